export * from './headless-chromium.js';
