-- D1: money (minor units) and points are 64-bit. A zero-decimal or high-nominal currency passes 2^31 − 1 minor
-- units with ordinary orders; the API allows up to 2^53 − 1 (the largest integer JSON and JavaScript carry
-- exactly), and the service keeps every stored value within it. One ALTER TABLE per table, so each table is
-- rewritten once (ALTER TYPE rewrites without firing row triggers: the ledger's append-only ones stay quiet).
ALTER TABLE "members" ALTER COLUMN "pending" SET DATA TYPE bigint,
  ALTER COLUMN "available" SET DATA TYPE bigint,
  ALTER COLUMN "held" SET DATA TYPE bigint,
  ALTER COLUMN "lifetime_earned" SET DATA TYPE bigint,
  ALTER COLUMN "lifetime_redeemed" SET DATA TYPE bigint,
  ALTER COLUMN "lifetime_expired" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "ledger_entries" ALTER COLUMN "points" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "lot_movements" ALTER COLUMN "points" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "lots" ALTER COLUMN "amount" SET DATA TYPE bigint,
  ALTER COLUMN "remaining" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "award_points" SET DATA TYPE bigint,
  ALTER COLUMN "award_eligible" SET DATA TYPE bigint,
  ALTER COLUMN "award_order_total" SET DATA TYPE bigint,
  ALTER COLUMN "reversed_points" SET DATA TYPE bigint,
  ALTER COLUMN "written_off_points" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "refunds" ALTER COLUMN "amount" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "redemptions" ALTER COLUMN "points" SET DATA TYPE bigint,
  ALTER COLUMN "amount" SET DATA TYPE bigint,
  ALTER COLUMN "restored_points" SET DATA TYPE bigint;
