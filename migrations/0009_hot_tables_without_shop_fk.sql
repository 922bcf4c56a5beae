ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "lot_movements" DROP CONSTRAINT "lot_movements_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "lots" DROP CONSTRAINT "lots_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "inbound_events" DROP CONSTRAINT "inbound_events_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "refunds" DROP CONSTRAINT "refunds_shop_id_shops_id_fk";
--> statement-breakpoint
ALTER TABLE "redemptions" DROP CONSTRAINT "redemptions_shop_id_shops_id_fk";
