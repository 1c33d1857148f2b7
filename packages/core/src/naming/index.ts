export * from './validate.js';
export * from './patterns.js';
