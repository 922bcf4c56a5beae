-- Issue 15: group commit's shared write (services/core/orders/order-batch-repo.ts) updates many members' balances,
-- each only if its row still has the version the award was planned on. As an UPDATE … FROM of the batch's rows, the
-- plan is a join that PostgreSQL may make by hashing the whole members table, and a named statement keeps the plan
-- it made on a new database's first minute. One call of this function per row updates that row by its key: the
-- function's own UPDATE is a lookup by the primary key, whatever the statement around it. Returns whether the guard
-- held (the row was updated).
CREATE FUNCTION lojal_balance_write(
  p_shop text, p_id text, p_version integer, p_pending bigint, p_available bigint, p_held bigint,
  p_earned bigint, p_redeemed bigint, p_expired bigint, p_last_activity_at timestamptz
) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  UPDATE members SET pending = p_pending, available = p_available, held = p_held, lifetime_earned = p_earned,
         lifetime_redeemed = p_redeemed, lifetime_expired = p_expired, last_activity_at = p_last_activity_at,
         version = version + 1
   WHERE shop_id = p_shop AND id = p_id AND version = p_version;
  RETURN FOUND;
END;
$$;
