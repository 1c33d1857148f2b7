export * from './moto.js';
export * from './recording.js';
export * from './scenario.js';
export * from './sandbox.js';
export * from './processes.js';
export * from './demo-scenario.js';
export * from './roles-scenario.js';
export * from './hostile-roles.js';
