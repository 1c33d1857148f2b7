export * from './socket-path.js';
