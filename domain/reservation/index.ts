export * from './errors';
export * from './events';
export * from './reservation-status';
export * from './reservation-seat';
export * from './reservation';
