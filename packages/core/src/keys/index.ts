export { PASSPHRASE_VARIABLE, type PassphrasePrompt, type SecretBackend } from './backend.js';
export { KEY_BACKENDS, keyIndexPath, readKeyIndex, type KeyBackend, type KeyIndex } from './key-index.js';
export { keyFilePath } from './key-file.js';
export { KEYCHAIN_SERVICE, platformKeychain, type KeyringModule } from './keychain.js';
export { MAX_SECRET_BYTES, maskedKeyId, type StoredKeys } from './secret.js';
export { openBackend, loadStoredKeys, type KeyStoreDeps } from './store.js';
export { addKeys, listKeys, removeKeys, rotateKeys, type AddKeysRequest, type AddKeysResult, type KeysDeps, type RotateResult, type StoredKeysEntry } from './keys.js';
