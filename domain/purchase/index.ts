export * from './errors';
export * from './events';
export * from './saga-state';
export * from './saga-steps';
export * from './ticket-purchase-saga';
