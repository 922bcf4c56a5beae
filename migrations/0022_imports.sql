-- Imports are idempotent per (shop, reference): the last guard when two imports of one reference race. Partial:
-- only import entries are indexed, so no other posting writes more. The build scans ledger_entries once.
CREATE UNIQUE INDEX "ledger_entries_imports" ON "ledger_entries" USING btree ("shop_id","reference") WHERE "ledger_entries"."kind" = 'import';
