ALTER TABLE "programs" ADD COLUMN "tiers_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "tiers_remap" jsonb;