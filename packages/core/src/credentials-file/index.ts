export * from './errors.js';
export * from './ini-edit.js';
export * from './aws-file.js';
