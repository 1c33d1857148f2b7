export * from './delegated-role.js';
export * from './discover.js';
export * from './cache.js';
export * from './status.js';
export * from './list.js';
export * from './history.js';
