export * from './validate.js';
export * from './patterns.js';
export * from './target-name.js';
export * from './parse.js';
