export * from './fuzzy.js';
export * from './picker-state.js';
export * from './table.js';
export * from './services.js';
export * from './run.js';
export type { PickerOutcome, PickerAppProps } from './app.js';
