import { AnwbisError } from '../errors/errors.js';
import type { FsProblem } from '../fs/explain.js';

/**
 * Errors raised while reading or editing AWS shared credentials/config files.
 *
 * Each carries a `nextStep` so the CLI can tell the user what to do, and none of them ever
 * quotes a line of the file: a broken line may well be half a secret.
 */

/** Base class of every error this module raises on purpose: a `file` error of the family. */
export class CredentialsFileError extends AnwbisError {
  /** What the user can do about it, in their terms. */
  readonly nextStep: string;

  constructor(message: string, nextStep: string) {
    super('file', message, { next: nextStep });
    this.name = new.target.name;
    this.nextStep = nextStep;
  }
}

/** Why a line of an AWS file was rejected. */
export type IniParseReason =
  | { readonly kind: 'key-before-section' }
  | { readonly kind: 'malformed-header' }
  | { readonly kind: 'not-a-key-value-line' }
  | { readonly kind: 'empty-key' }
  | { readonly kind: 'stray-carriage-return' }
  | { readonly kind: 'duplicate-section'; readonly section: string; readonly firstLine: number }
  | { readonly kind: 'duplicate-key'; readonly section: string; readonly key: string; readonly firstLine: number };

function describeReason(reason: IniParseReason): string {
  switch (reason.kind) {
    case 'key-before-section':
      return 'key before any [section]';
    case 'malformed-header':
      return 'malformed [section] header';
    case 'not-a-key-value-line':
      return 'not a "key = value" line, a comment or a [section] header';
    case 'empty-key':
      return 'a "=" with no key before it';
    case 'stray-carriage-return':
      return 'carriage return in the middle of a line';
    case 'duplicate-section':
      return `section [${reason.section}] appears twice (first at line ${reason.firstLine}), which the AWS CLI refuses`;
    case 'duplicate-key':
      return `key ${reason.key} appears twice in [${reason.section}] (first at line ${reason.firstLine}), which the AWS CLI refuses`;
  }
}

/**
 * An AWS file that anwbis will not edit because botocore would not read it the way anwbis
 * would. The file is never written when this is raised.
 */
export class IniParseError extends CredentialsFileError {
  /** 1-based line number of the offending line. */
  readonly line: number;
  readonly reason: IniParseReason;
  /** The file as the user named it (`~/...`), when known. */
  readonly file: string | undefined;

  constructor(line: number, reason: IniParseReason, file?: string) {
    super(
      `cannot parse ${file ?? 'the AWS file'} line ${line}: ${describeReason(reason)}`,
      'the file was left unchanged — fix it by hand and run again',
    );
    this.line = line;
    this.reason = reason;
    this.file = file;
  }

  /** The same error, naming the file; the parser itself only ever sees text. */
  inFile(file: string): IniParseError {
    return new IniParseError(this.line, this.reason, file);
  }
}

/** Which part of a line a refused name or value was meant for. */
export type IniNameRole = 'section' | 'key' | 'value';

/**
 * A section name, key or value that cannot be written without breaking out of its line or
 * section (newlines, brackets, control characters, significant surrounding whitespace).
 */
export class InvalidIniNameError extends CredentialsFileError {
  readonly role: IniNameRole;

  constructor(role: IniNameRole, why: string) {
    super(`refusing to write this ${role} to an AWS file: ${why}`, 'nothing was written — check the name or value you passed');
    this.role = role;
  }
}

/** An AWS file whose bytes are not UTF-8; rewriting it would corrupt them. */
export class AwsFileEncodingError extends CredentialsFileError {
  readonly file: string;

  constructor(file: string) {
    super(`cannot read ${file}: it is not valid UTF-8 text`, 'the file was left unchanged — fix it by hand and run again');
    this.file = file;
  }
}

/** Another writer held the AWS file's lock for longer than we were willing to wait. */
export class AwsFileLockedError extends CredentialsFileError {
  readonly file: string;
  readonly lockPath: string;

  constructor(file: string, lockPath: string, holderPid?: number) {
    super(
      `${file} is locked by another anwbis process${holderPid === undefined ? '' : ` (pid ${holderPid})`}`,
      `try again in a moment; if no anwbis is running, remove the directory ${lockPath}`,
    );
    this.file = file;
    this.lockPath = lockPath;
  }
}

/** The lock was lost while we held it (for example the machine slept past its staleness). */
export class AwsFileLockLostError extends CredentialsFileError {
  readonly file: string;

  constructor(file: string) {
    super(`lost the lock on ${file} before writing it`, 'nothing was written — run the command again');
    this.file = file;
  }
}

/** The file kept being replaced by something that does not take anwbis's lock. */
export class AwsFileChangingError extends CredentialsFileError {
  readonly file: string;

  constructor(file: string) {
    super(`${file} kept changing while anwbis was writing it`, 'nothing was written — close what else is editing it and run the command again');
    this.file = file;
  }
}

/** A system error reading or writing an AWS file (permissions, read-only or full disk, …). */
export class AwsFileAccessError extends CredentialsFileError {
  readonly file: string;
  /** The system error code, e.g. `EROFS`. */
  readonly code: string;

  constructor(file: string, action: 'read' | 'write', problem: FsProblem) {
    super(`cannot ${action} ${file}: ${problem.problem}`, `${problem.next}; ${file} was left unchanged`);
    this.file = file;
    this.code = problem.code;
  }
}

/** An AWS file anwbis will not replace, for a reason the user chose (read-only, hard links). */
export class AwsFileRefusedError extends CredentialsFileError {
  readonly file: string;

  constructor(file: string, why: string, nextStep: string) {
    super(`refusing to write ${file}: ${why}`, nextStep);
    this.file = file;
  }
}
