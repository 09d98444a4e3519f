export const table = 'tickets';
