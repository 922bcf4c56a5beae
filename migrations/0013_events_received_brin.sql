DROP INDEX "inbound_events_received";--> statement-breakpoint
CREATE INDEX "inbound_events_received" ON "inbound_events" USING brin ("received_at");