ALTER TABLE "orders" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A statement that writes several rows under several guards (a member's version, an order's version, an event id
-- not seen yet) calls this with whether they all held: if one did not, the whole statement fails with LJ001 and
-- writes nothing, and the caller applies the command again under row locks.
CREATE FUNCTION lojal_all_or_nothing(held boolean) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF NOT held THEN
    RAISE EXCEPTION 'a guard of a multi-row write no longer held' USING ERRCODE = 'LJ001';
  END IF;
  RETURN true;
END;
$$;
