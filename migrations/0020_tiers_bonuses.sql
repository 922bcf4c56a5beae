CREATE TABLE "bonuses" (
	"shop_id" text NOT NULL,
	"member_id" text NOT NULL,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"points" bigint NOT NULL,
	"entry_id" text NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bonuses_shop_id_member_id_kind_reference_pk" PRIMARY KEY("shop_id","member_id","kind","reference"),
	CONSTRAINT "bonuses_kind" CHECK ("bonuses"."kind" IN ('signup','birthday','review','referral','feedback','custom')),
	CONSTRAINT "bonuses_points_positive" CHECK ("bonuses"."points" > 0)
);
--> statement-breakpoint
CREATE TABLE "tier_credits" (
	"shop_id" text NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "tier_credits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"member_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"points" bigint NOT NULL,
	"spend" bigint NOT NULL,
	"order_id" text NOT NULL,
	"entry_id" text NOT NULL,
	CONSTRAINT "tier_credits_shop_id_member_id_at_id_pk" PRIMARY KEY("shop_id","member_id","at","id")
);
--> statement-breakpoint
CREATE TABLE "tier_history" (
	"shop_id" text NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "tier_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"member_id" text NOT NULL,
	"from_tier" text,
	"to_tier" text NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "tier_history_shop_id_member_id_id_pk" PRIMARY KEY("shop_id","member_id","id"),
	CONSTRAINT "tier_history_reason" CHECK ("tier_history"."reason" IN ('qualified','window_closed','config_changed','manual'))
);
--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "tier_id" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "tier_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "tier_review_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "tier_held_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "tiers" jsonb;--> statement-breakpoint
CREATE INDEX "members_birthday" ON "members" USING btree ("shop_id",extract(month from "birthday"),extract(day from "birthday")) WHERE "members"."birthday" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "members_tier_review" ON "members" USING btree ("shop_id","tier_review_at") WHERE "members"."tier_review_at" IS NOT NULL;
