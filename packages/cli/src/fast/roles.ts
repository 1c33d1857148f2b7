/**
 * `anwbis roles` without oclif: bundled (with the parts of core it uses) and started straight
 * from the bin, since a cached listing should cost little more than starting Node.
 */
import { showRoles, type RolesRequest } from '../services/roles.js';
import { exitStatusOf } from './exit-status.js';
import { readFlags } from './simple-args.js';

const FLAGS = ['profile', 'region', 'json', 'refresh', 'verbose'] as const;

/** The request of `anwbis roles ARGS` when the fast path reads it as oclif would; else undefined. */
export function rolesRequestOf(args: readonly string[]): RolesRequest | undefined {
  const values = readFlags('roles', args, FLAGS);
  if (!values) return undefined;
  return { profile: values.profile, region: values.region, json: values.json ?? false, refresh: values.refresh ?? false, verbose: values.verbose ?? false };
}

/** Runs `anwbis roles ARGS` and returns its exit status; undefined (nothing done) when oclif must parse them. */
export async function fastRoles(args: readonly string[]): Promise<number | undefined> {
  const request = rolesRequestOf(args);
  return request && exitStatusOf(() => showRoles(request));
}
