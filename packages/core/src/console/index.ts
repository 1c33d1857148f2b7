export * from './federation.js';
export * from './signin.js';
export * from './browser.js';
export * from './open.js';
