export * from './errors';
export * from './events';
export * from './ticket-status';
export * from './ticket-number';
export * from './ticket';
export * from './qr-claims';
