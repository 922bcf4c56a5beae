export * from './shops.ts';
export * from './members.ts';
export * from './ledger.ts';
export * from './program.ts';
export * from './orders.ts';
export * from './redemptions.ts';
export * from './outbox.ts';
export * from './feedback.ts';
