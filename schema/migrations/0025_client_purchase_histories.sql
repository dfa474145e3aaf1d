-- Each client's purchase history as the purchase models read it, in typed columns written with its
-- aggregates (worker/db/derived.ts, in the same batch as the events): purchase days (UTC), the UTC
-- day numbers (days since 1970-01-01) of the first and last purchase, and the repeat spend (the
-- purchases after the first purchase day). A fit then groups the clients whose last purchase is
-- before its asOf from one covering index, in index order, and reads the purchase index only for
-- the clients whose history straddles asOf (worker/db/value.ts, loadPurchaseHistories).
ALTER TABLE client_aggregates ADD COLUMN purchase_days INTEGER;
ALTER TABLE client_aggregates ADD COLUMN first_purchase_day INTEGER;
ALTER TABLE client_aggregates ADD COLUMN last_purchase_day INTEGER;
ALTER TABLE client_aggregates ADD COLUMN repeat_spend REAL;
-- The same figures from the stored aggregates. A row whose aggregates lack them stays NULL, and
-- the fits read that client from the purchase index.
UPDATE client_aggregates SET
  purchase_days = json_extract(data, '$.purchaseDays'),
  first_purchase_day = CAST(julianday(substr(first_purchase_at, 1, 10)) - 2440587.5 AS INTEGER),
  last_purchase_day = CAST(julianday(substr(last_purchase_at, 1, 10)) - 2440587.5 AS INTEGER),
  repeat_spend = CASE WHEN json_extract(data, '$.purchaseDays') > 1
    THEN revenue - json_extract(data, '$.firstPurchaseDayRevenue') ELSE 0 END
WHERE last_purchase_at IS NOT NULL;
CREATE INDEX client_purchase_histories ON client_aggregates
  (workspace_id, purchase_days, first_purchase_day, last_purchase_day, repeat_spend, last_purchase_at, first_purchase_at)
  WHERE last_purchase_at IS NOT NULL;
