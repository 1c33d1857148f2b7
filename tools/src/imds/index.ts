export * from './metadata-mock.js';
