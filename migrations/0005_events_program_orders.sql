CREATE TABLE "programs" (
	"shop_id" text PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rule_versions" (
	"shop_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rule_versions_shop_id_rule_id_version_pk" PRIMARY KEY("shop_id","rule_id","version")
);
--> statement-breakpoint
CREATE TABLE "rules" (
	"shop_id" text NOT NULL,
	"id" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"active" boolean NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"conditions" jsonb NOT NULL,
	"effect" jsonb NOT NULL,
	"stackable" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "rules_shop_id_id_pk" PRIMARY KEY("shop_id","id")
);
--> statement-breakpoint
CREATE TABLE "inbound_events" (
	"shop_id" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"order_id" text,
	CONSTRAINT "inbound_events_shop_id_event_id_pk" PRIMARY KEY("shop_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"shop_id" text NOT NULL,
	"order_id" text NOT NULL,
	"number" text,
	"customer_id" text,
	"member_id" text,
	"guest_email" text,
	"status" text NOT NULL,
	"status_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"currency" text NOT NULL,
	"exchange_rate" text,
	"data" jsonb NOT NULL,
	"award_status" text,
	"award_points" integer,
	"award_eligible" integer,
	"awarded_at" timestamp with time zone,
	"award_available_at" timestamp with time zone,
	"award_lines" jsonb,
	"award_rules" jsonb,
	"award_order_total" integer,
	"reversed_points" integer DEFAULT 0 NOT NULL,
	"written_off_points" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "orders_shop_id_order_id_pk" PRIMARY KEY("shop_id","order_id"),
	CONSTRAINT "orders_award_status" CHECK ("orders"."award_status" IS NULL OR "orders"."award_status" IN ('pending','available','void')),
	CONSTRAINT "orders_reversed_capped" CHECK ("orders"."reversed_points" >= 0 AND "orders"."reversed_points" <= coalesce("orders"."award_points", 0))
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"shop_id" text NOT NULL,
	"refund_id" text NOT NULL,
	"order_id" text NOT NULL,
	"amount" integer NOT NULL,
	"lines" jsonb,
	"reason" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "refunds_shop_id_refund_id_pk" PRIMARY KEY("shop_id","refund_id")
);
--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_versions" ADD CONSTRAINT "rule_versions_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rules" ADD CONSTRAINT "rules_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD CONSTRAINT "inbound_events_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rules_live" ON "rules" USING btree ("shop_id") WHERE "rules"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "inbound_events_received" ON "inbound_events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "orders_maturing" ON "orders" USING btree ("shop_id","award_available_at") WHERE "orders"."award_status" = 'pending';--> statement-breakpoint
CREATE INDEX "orders_guest" ON "orders" USING btree ("shop_id","guest_email") WHERE "orders"."member_id" IS NULL AND "orders"."guest_email" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_member" ON "orders" USING btree ("shop_id","member_id");--> statement-breakpoint
CREATE INDEX "refunds_order" ON "refunds" USING btree ("shop_id","order_id");