DROP INDEX "lot_movements_lot";--> statement-breakpoint
ALTER TABLE "lot_movements" DROP CONSTRAINT "lot_movements_shop_id_id_pk";--> statement-breakpoint
ALTER TABLE "lot_movements" ADD CONSTRAINT "lot_movements_shop_id_lot_id_id_pk" PRIMARY KEY("shop_id","lot_id","id");