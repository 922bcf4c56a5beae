export * from './shops.ts';
