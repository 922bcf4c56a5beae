CREATE TABLE "feedback" (
	"shop_id" text NOT NULL,
	"order_id" text NOT NULL,
	"member_id" text NOT NULL,
	"requested_at" timestamp with time zone,
	"score" smallint,
	"comment" text,
	"answered_at" timestamp with time zone,
	"source" text,
	CONSTRAINT "feedback_shop_id_order_id_pk" PRIMARY KEY("shop_id","order_id"),
	CONSTRAINT "feedback_score" CHECK ("feedback"."score" IS NULL OR "feedback"."score" BETWEEN 0 AND 10),
	CONSTRAINT "feedback_comment" CHECK ("feedback"."comment" IS NULL OR char_length("feedback"."comment") <= 2000),
	CONSTRAINT "feedback_source" CHECK ("feedback"."source" IS NULL OR "feedback"."source" IN ('email','api')),
	CONSTRAINT "feedback_answered" CHECK (("feedback"."answered_at" IS NULL) = ("feedback"."score" IS NULL) AND ("feedback"."answered_at" IS NULL) = ("feedback"."source" IS NULL))
);
--> statement-breakpoint
CREATE INDEX "feedback_member" ON "feedback" USING btree ("shop_id","member_id");--> statement-breakpoint
CREATE INDEX "orders_completed" ON "orders" USING btree ("shop_id","status_at") WHERE "orders"."status" = 'completed';