/**
 * Public API of the domain layer: pure TypeScript, safe to import from the Temporal workflow
 * sandbox (no Node APIs, no clock, no randomness).
 */
export * from './shared/result';
export * from './shared/events';
export * from './shared/context';
export * from './shared/aggregate-root';
export * from './shared/ids';
export * from './shared/time';
export * from './shared/seat';
export * from './shared/money';
export * from './showtime';
export * from './reservation';
export * from './payment';
export * from './ticket';
export * from './purchase';
export * from './events';
export * from './errors';
