export * from './code.js';
export * from './retry.js';
