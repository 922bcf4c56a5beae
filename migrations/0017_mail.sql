CREATE TABLE "expiry_reminders" (
	"shop_id" text NOT NULL,
	"member_id" text NOT NULL,
	"expires_on" date NOT NULL,
	"days" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "expiry_reminders_shop_id_member_id_expires_on_days_pk" PRIMARY KEY("shop_id","member_id","expires_on","days")
);
--> statement-breakpoint
CREATE TABLE "mail_messages" (
	"shop_id" text NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"template" text NOT NULL,
	"dedup_key" text NOT NULL,
	"data" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"last_response_code" integer,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mail_messages_shop_id_id_pk" PRIMARY KEY("shop_id","id"),
	CONSTRAINT "mail_messages_status" CHECK ("mail_messages"."status" IN ('pending','sent','logged','failed','skipped'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "mail_messages_dedup" ON "mail_messages" USING btree ("shop_id","dedup_key");--> statement-breakpoint
CREATE INDEX "mail_messages_due" ON "mail_messages" USING btree ("next_attempt_at") WHERE "mail_messages"."status" = 'pending';