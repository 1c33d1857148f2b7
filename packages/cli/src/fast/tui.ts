/**
 * `anwbis tui` without oclif: bundled with Ink and React (their production builds) and started
 * straight from the bin, so the picker's first frame does not wait for the CLI's command tree.
 */
import { BROWSER_CHOICES } from '@anwbis/core';
import { visitPicker, type PickerRequest } from '../services/tui.js';
import { FLAG_GROUPS } from '../flags/argv.js';
import { exitStatusOf } from './exit-status.js';
import { readFlags } from './simple-args.js';

const FLAGS = ['profile', 'region', 'mfa-code', 'mfa-process', 'mfa-serial', 'duration', 'stdout', 'json', ...FLAG_GROUPS.console, ...FLAG_GROUPS.sessionTags] as const;

/** The request of `anwbis tui ARGS` when the fast path reads it as oclif would; else undefined. */
export function pickerRequestOf(args: readonly string[]): PickerRequest | undefined {
  const values = readFlags('tui', args, FLAGS);
  if (!values) return undefined;
  // What oclif refuses (with its message) is left to oclif.
  if (values.stdout && values.json) return undefined;
  if (values.browser !== undefined && !(BROWSER_CHOICES as readonly string[]).includes(values.browser)) return undefined;
  return {
    profile: values.profile,
    region: values.region,
    'mfa-code': values['mfa-code'],
    'mfa-process': values['mfa-process'],
    'mfa-serial': values['mfa-serial'],
    duration: values.duration ?? 3600,
    stdout: values.stdout ?? false,
    json: values.json ?? false,
    browser: values.browser,
    'browser-command': values['browser-command'],
    destination: values.destination,
    isolate: values.isolate ?? false,
    'source-identity': values['source-identity'],
    tag: values.tag,
    'transitive-tag': values['transitive-tag'],
  };
}

/** Runs `anwbis tui ARGS` and returns its exit status; undefined (nothing done) when oclif must parse them. */
export async function fastTui(args: readonly string[]): Promise<number | undefined> {
  const request = pickerRequestOf(args);
  return request && exitStatusOf(() => visitPicker(request));
}
