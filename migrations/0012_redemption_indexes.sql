DROP INDEX "redemptions_order";--> statement-breakpoint
DROP INDEX "redemptions_cart";--> statement-breakpoint
CREATE INDEX "redemptions_cart" ON "redemptions" USING btree ("shop_id","member_id","cart_id") WHERE "redemptions"."status" = 'held' AND "redemptions"."cart_id" IS NOT NULL;