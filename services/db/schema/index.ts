export * from './shops.ts';
export * from './members.ts';
export * from './ledger.ts';
