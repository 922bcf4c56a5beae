-- Issue 15 (docs/operations.md, "Query plans on a new database"): a named statement keeps the generic plan it made
-- on its sixth run; on a new, never-analyzed database every index led by shop_id looks as good as the key, so each
-- lookup must have only its key's index to choose from. Partial indexes are usable only by statements that imply
-- their predicate: members_shop_customer holds every row (customer_id is NOT NULL) but serves only statements that
-- name customer_id, so a lookup by member id can only use the primary key; members_shop_email and orders_member no
-- longer serve lookups by customer, by member id or by order id.
DROP INDEX "members_shop_customer";--> statement-breakpoint
DROP INDEX "members_shop_email";--> statement-breakpoint
DROP INDEX "orders_member";--> statement-breakpoint
CREATE UNIQUE INDEX "members_shop_customer" ON "members" USING btree ("shop_id","customer_id") WHERE "members"."customer_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "members_shop_email" ON "members" USING btree ("shop_id","email") WHERE "members"."email" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_member" ON "orders" USING btree ("shop_id","member_id") WHERE "orders"."member_id" IS NOT NULL;