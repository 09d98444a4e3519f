export * from './errors';
export * from './events';
export * from './payment-status';
export * from './payment-method';
export * from './card-number';
export * from './payment';
// Money is a shared-kernel value object; the payment context is its natural home in the API.
export * from '../shared/money';
