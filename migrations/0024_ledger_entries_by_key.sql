-- Issue 15 (docs/operations.md, "Query plans on a new database"): ledger_entries_member_seq was the one full index
-- led by shop_id on ledger_entries, so on a new, never-analyzed database a lookup of an entry by its id (the outbox
-- relay's claim) could keep a plan through it, reading all of a shop's entries. Partial on member_id (never null),
-- it still holds every entry and serves the statements that name member_id only.
DROP INDEX "ledger_entries_member_seq";--> statement-breakpoint
CREATE INDEX "ledger_entries_member_seq" ON "ledger_entries" USING btree ("shop_id","member_id","seq") WHERE "ledger_entries"."member_id" IS NOT NULL;