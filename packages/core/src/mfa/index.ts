export * from './code.js';
export * from './shell-words.js';
export * from './retry.js';
export * from './device.js';
