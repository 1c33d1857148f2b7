export * from './code.js';
export * from './retry.js';
export * from './device.js';
