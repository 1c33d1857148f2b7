export type { PassphrasePrompt } from './backend.js';
export { KEY_BACKENDS, type KeyBackend } from './key-index.js';
export type { StoredKeys } from './secret.js';
export { addKeys, listKeys, removeKeys, rotateKeys, type AddKeysRequest, type AddKeysResult, type KeysDeps, type RotateResult, type StoredKeysEntry } from './keys.js';
