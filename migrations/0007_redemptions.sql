CREATE TABLE "redemptions" (
	"shop_id" text NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"cart_id" text,
	"points" integer NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"order_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"commit_entry_id" text,
	"restored_points" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "redemptions_shop_id_id_pk" PRIMARY KEY("shop_id","id"),
	CONSTRAINT "redemptions_status" CHECK ("redemptions"."status" IN ('held','committed','released','expired')),
	CONSTRAINT "redemptions_points_positive" CHECK ("redemptions"."points" > 0),
	CONSTRAINT "redemptions_restored_capped" CHECK ("redemptions"."restored_points" >= 0 AND "redemptions"."restored_points" <= "redemptions"."points")
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "redemption_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "redemption_status" text;--> statement-breakpoint
ALTER TABLE "redemptions" ADD CONSTRAINT "redemptions_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "redemptions_open" ON "redemptions" USING btree ("shop_id","expires_at") WHERE "redemptions"."status" = 'held';--> statement-breakpoint
CREATE INDEX "redemptions_cart" ON "redemptions" USING btree ("shop_id","member_id","cart_id") WHERE "redemptions"."status" = 'held';--> statement-breakpoint
CREATE INDEX "redemptions_order" ON "redemptions" USING btree ("shop_id","order_id");