# Drives an interactive shell on a pseudo-terminal (zsh's zpty) as a person would: loads the
# completion script ($2), types a line ($4, by default `anwbis -p da`) and TAB, then goes to the
# start of the line and turns it into an `echo` ($3) whose output shows what TAB made of the
# line. The output starts with `X:2`, which the shell computes, so the echoed keystrokes can never
# match; the read waits for that line, not for a time.
# Usage: zsh -f complete-in-shell.zsh SHELL-COMMAND LOAD ECHO [LINE]
line=${4:-anwbis -p da}
zmodload zsh/zpty
zpty -b s "$1"
zpty -w s "$2"
zpty -n -w s "$line"$'\t'
zpty -n -w s $'\x01'"echo $3 "$'\n'
zpty -r -m s out "*X:2 ${line}*"$'\n*' && print -r -- "$out" | tr -d '\r' | grep -a -o "X:2 ${line}[a-z]*" | tail -n 1
zpty -d s
