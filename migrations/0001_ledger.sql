CREATE TABLE "members" (
	"shop_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"email" text,
	"email_verified" boolean DEFAULT false NOT NULL,
	"first_name" text,
	"last_name" text,
	"locale" text DEFAULT 'en' NOT NULL,
	"birthday" date,
	"marketing_consent" boolean DEFAULT false NOT NULL,
	"referred_by" text,
	"pending" integer DEFAULT 0 NOT NULL,
	"available" integer DEFAULT 0 NOT NULL,
	"held" integer DEFAULT 0 NOT NULL,
	"lifetime_earned" integer DEFAULT 0 NOT NULL,
	"lifetime_redeemed" integer DEFAULT 0 NOT NULL,
	"lifetime_expired" integer DEFAULT 0 NOT NULL,
	"last_activity_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"erased_at" timestamp with time zone,
	CONSTRAINT "members_shop_id_id_pk" PRIMARY KEY("shop_id","id"),
	CONSTRAINT "members_pending_nonnegative" CHECK ("members"."pending" >= 0),
	CONSTRAINT "members_held_nonnegative" CHECK ("members"."held" >= 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"shop_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"content_type" text,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_shop_id_key_pk" PRIMARY KEY("shop_id","key")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"shop_id" text NOT NULL,
	"id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "ledger_entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"member_id" text NOT NULL,
	"kind" text NOT NULL,
	"from_bucket" text,
	"to_bucket" text,
	"points" integer NOT NULL,
	"order_id" text,
	"refund_id" text,
	"redemption_id" text,
	"reference" text,
	"reason" text,
	"actor" text NOT NULL,
	"lot_id" text,
	"expires_at" timestamp with time zone,
	"corrects_entry_id" text,
	"exchange_rate" text,
	"metadata" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_entries_shop_id_id_pk" PRIMARY KEY("shop_id","id"),
	CONSTRAINT "ledger_entries_points_positive" CHECK ("ledger_entries"."points" > 0),
	CONSTRAINT "ledger_entries_buckets" CHECK (("ledger_entries"."from_bucket" IS NULL OR "ledger_entries"."from_bucket" IN ('pending','available','held'))
        AND ("ledger_entries"."to_bucket" IS NULL OR "ledger_entries"."to_bucket" IN ('pending','available','held'))
        AND ("ledger_entries"."from_bucket" IS DISTINCT FROM "ledger_entries"."to_bucket" OR "ledger_entries"."kind" = 'writeoff'))
);
--> statement-breakpoint
CREATE TABLE "lot_movements" (
	"shop_id" text NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "lot_movements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"member_id" text NOT NULL,
	"lot_id" text NOT NULL,
	"entry_id" text NOT NULL,
	"points" integer NOT NULL,
	CONSTRAINT "lot_movements_shop_id_id_pk" PRIMARY KEY("shop_id","id"),
	CONSTRAINT "lot_movements_points_nonzero" CHECK ("lot_movements"."points" <> 0)
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"shop_id" text NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"entry_id" text NOT NULL,
	"amount" integer NOT NULL,
	"remaining" integer NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lots_shop_id_id_pk" PRIMARY KEY("shop_id","id"),
	CONSTRAINT "lots_amount_positive" CHECK ("lots"."amount" > 0),
	CONSTRAINT "lots_remaining_range" CHECK ("lots"."remaining" >= 0 AND "lots"."remaining" <= "lots"."amount")
);
--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_movements" ADD CONSTRAINT "lot_movements_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "members_shop_customer" ON "members" USING btree ("shop_id","customer_id");--> statement-breakpoint
CREATE INDEX "members_shop_email" ON "members" USING btree ("shop_id","email");--> statement-breakpoint
CREATE INDEX "idempotency_keys_expiry" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_member_seq" ON "ledger_entries" USING btree ("shop_id","member_id","seq");--> statement-breakpoint
CREATE INDEX "lot_movements_lot" ON "lot_movements" USING btree ("shop_id","lot_id");--> statement-breakpoint
CREATE INDEX "lot_movements_entry" ON "lot_movements" USING btree ("shop_id","entry_id");--> statement-breakpoint
CREATE INDEX "lots_member_open" ON "lots" USING btree ("shop_id","member_id","expires_at") WHERE "lots"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "lots_expiring" ON "lots" USING btree ("shop_id","expires_at") WHERE "lots"."remaining" > 0 AND "lots"."expires_at" IS NOT NULL;