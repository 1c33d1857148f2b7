export * from './document.js';
export * from './delegated-roles.js';
export * from './glob.js';
export * from './select-role.js';
