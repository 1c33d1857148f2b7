/** The shells `anwbis autocomplete` writes a completion script for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/**
 * A completion script that asks `<bin> __complete -- <words…>` for the candidates, so commands,
 * flags and the values of -p, -e and -r all come from one place (the CLI's own metadata and
 * anwbis's cached roles) instead of being frozen into the script.
 */
export function completionScript(shell: CompletionShell, bin: string): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
  switch (shell) {
    case 'bash':
      return `# ${bin} completion for bash: eval "$(${bin} autocomplete bash)" in ~/.bashrc
${fn}() {
  local line
  COMPREPLY=()
  while IFS= read -r line; do
    [ -n "$line" ] && COMPREPLY+=("$line")
  done < <(command ${bin} __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
}
complete -o default -F ${fn} ${bin}
`;
    case 'zsh':
      return `# ${bin} completion for zsh: eval "$(${bin} autocomplete zsh)" in ~/.zshrc, after compinit
${fn}() {
  local out
  out="$(command ${bin} __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)"
  [[ -n $out ]] && compadd -Q -- "\${(@f)out}"
}
compdef ${fn} ${bin}
`;
    case 'fish':
      return `# ${bin} completion for fish: ${bin} autocomplete fish > ~/.config/fish/completions/${bin}.fish
function ${fn}
    set -l words (commandline -opc) (commandline -ct)
    command ${bin} __complete -- $words[2..-1] 2>/dev/null
end
complete -c ${bin} -f -a '(${fn})'
`;
  }
}
