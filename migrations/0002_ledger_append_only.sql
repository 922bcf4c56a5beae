-- D13: the ledger is append-only. Corrections are new entries; no UPDATE or DELETE of an entry or of a lot
-- movement ever succeeds, whoever sends it.
CREATE FUNCTION lojal_reject_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION lojal_reject_ledger_change();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION lojal_reject_ledger_change();
--> statement-breakpoint
CREATE TRIGGER lot_movements_append_only BEFORE UPDATE OR DELETE ON lot_movements
  FOR EACH ROW EXECUTE FUNCTION lojal_reject_ledger_change();
