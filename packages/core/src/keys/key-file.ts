import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AnwbisError } from '../errors/errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { displayPath } from '../fs/display.js';
import { isErrno } from '../fs/errno.js';
import type { Env } from '../paths/paths.js';
import { PASSPHRASE_VARIABLE, type PassphrasePrompt, type SecretBackend } from './backend.js';

export function keyFilePath(home: string): string {
  return join(home, 'keys.enc');
}

/**
 * scrypt's cost: N = 2^15 with r = 8 takes about 0.1 s and 32 MiB, OWASP's floor for scrypt;
 * paid once per command that opens the file.
 */
const KDF = { N: 2 ** 15, r: 8, p: 1 } as const;

interface Header {
  readonly v: 1;
  readonly kdf: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
}

interface KeyFile extends Header {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

function deriveKey(passphrase: string, header: Header): Promise<Buffer> {
  const options: ScryptOptions = { N: header.N, r: header.r, p: header.p, maxmem: 256 * header.N * header.r };
  return new Promise((resolve, reject) => scryptCallback(passphrase.normalize('NFC'), Buffer.from(header.salt, 'base64'), 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** The header is authenticated with the data: changing the salt or the cost makes the file unreadable, not weaker. */
function aad(header: Header): Buffer {
  return Buffer.from(JSON.stringify([header.v, header.kdf, header.N, header.r, header.p, header.salt]));
}

type Derive = (passphrase: string, header: Header) => Promise<Buffer>;

/** Encrypts the profile → secret map (AES-256-GCM, a fresh IV each time). */
export async function sealKeyFile(secrets: Readonly<Record<string, string>>, passphrase: string, header?: Header, derive: Derive = deriveKey): Promise<string> {
  const h: Header = header ?? { v: 1, kdf: 'scrypt', ...KDF, salt: randomBytes(16).toString('base64') };
  const key = await derive(passphrase, h);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(h));
  const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  const file: KeyFile = { ...h, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  return `${JSON.stringify(file)}\n`;
}

/** Decrypts a key file; a wrong passphrase and a changed file are the same failure (GCM cannot tell them apart). */
export async function openKeyFile(text: string, passphrase: string, where: string, derive: Derive = deriveKey): Promise<{ secrets: Record<string, string>; header: Header }> {
  const file = parseKeyFile(text);
  if (file === undefined) throw new AnwbisError('file', `${where} is not a key file this anwbis reads`, { next: `move it away and add your keys again with \`anwbis keys add --backend file\`` });
  const header: Header = { v: file.v, kdf: file.kdf, N: file.N, r: file.r, p: file.p, salt: file.salt };
  const key = await derive(passphrase, header);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'));
    decipher.setAAD(aad(header));
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8');
    return { secrets: JSON.parse(plain) as Record<string, string>, header };
  } catch (error) {
    throw new AnwbisError('config', `the passphrase does not open ${where} (or the file was changed)`, {
      next: `give the passphrase the file was made with (prompt, or ${PASSPHRASE_VARIABLE})`,
      cause: error,
    });
  }
}

function parseKeyFile(text: string): KeyFile | undefined {
  try {
    const f = JSON.parse(text) as Partial<KeyFile>;
    const strings = [f.salt, f.iv, f.tag, f.data].every((s) => typeof s === 'string');
    const numbers = [f.N, f.r, f.p].every((n) => Number.isInteger(n) && (n as number) > 0);
    // A cost far above ours would only be a way to make anwbis spin or run out of memory.
    const sane = (f.N ?? 0) <= 2 ** 20 && (f.r ?? 0) <= 32 && (f.p ?? 0) <= 16;
    return f.v === 1 && f.kdf === 'scrypt' && strings && numbers && sane ? (f as KeyFile) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The encrypted key file (`ANWBIS_HOME/keys.enc`, 0600) as a {@link SecretBackend}: for
 * machines without a keychain (headless, WSL). The passphrase comes from
 * `ANWBIS_KEYS_PASSPHRASE`, else from `ask` (a terminal prompt), once per process.
 */
export function encryptedFileBackend(options: { home: string; env: Env; ask?: PassphrasePrompt | undefined }): SecretBackend {
  const path = keyFilePath(options.home);
  const where = displayPath(path);
  let passphrase: Promise<string> | undefined;
  // One passphrase per backend, so a key per salt and cost: an update derives it once, not to read and again to write.
  const derived = new Map<string, Promise<Buffer>>();
  const derive: Derive = (given, header) => {
    const id = JSON.stringify([header.salt, header.N, header.r, header.p]);
    let key = derived.get(id);
    if (!key) derived.set(id, (key = deriveKey(given, header)));
    return key;
  };

  const passphraseFor = (purpose: 'open' | 'create') =>
    (passphrase ??= (async () => {
      const given = options.env[PASSPHRASE_VARIABLE] || (await options.ask?.(purpose));
      if (!given) {
        passphrase = undefined;
        throw new AnwbisError('config', `the key file ${where} needs its passphrase and there is no terminal to ask on`, {
          next: `set ${PASSPHRASE_VARIABLE}, or run the command in a terminal`,
        });
      }
      return given;
    })());

  async function load(): Promise<{ secrets: Record<string, string>; header?: Header } | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw new AnwbisError('file', `cannot read ${where}: ${(error as Error).message}`, { cause: error });
    }
    return openKeyFile(text, await passphraseFor('open'), where, derive);
  }

  async function save(secrets: Record<string, string>, header: Header | undefined): Promise<void> {
    const text = await sealKeyFile(secrets, await passphraseFor(header ? 'open' : 'create'), header, derive);
    await writeFileAtomic(path, text, { mode: 0o600 });
  }

  return {
    name: 'file',
    where,
    async get(profile) {
      return (await load())?.secrets[profile];
    },
    async set(profile, secret) {
      const current = await load();
      await save({ ...current?.secrets, [profile]: secret }, current?.header);
    },
    async delete(profile) {
      const current = await load();
      if (current?.secrets[profile] === undefined) return false;
      const { [profile]: _gone, ...rest } = current.secrets;
      await save(rest, current.header);
      return true;
    },
  };
}
