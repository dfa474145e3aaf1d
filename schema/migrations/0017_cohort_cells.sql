-- Cohort retention, maintained like the other rollups (minus the written clients' old rows, plus
-- their new ones, in the write's batch): per grain (month, quarter), cohort (the period of a
-- client's first purchase) and period, how many of the cohort's clients bought in that period and
-- for how much (revenue and margin in cents, so that sums stay exact under +/-). A read costs the
-- triangle it answers, never the portfolio.
CREATE TABLE cohort_cells (
  workspace_id TEXT NOT NULL,
  grain TEXT NOT NULL,
  cohort TEXT NOT NULL,
  period TEXT NOT NULL,
  clients INTEGER NOT NULL,
  revenue_cents INTEGER NOT NULL,
  margin_cents INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, grain, cohort, period)
) WITHOUT ROWID;

-- The cells of the clients already stored (a recount of client_periods, as the writes keep it).
INSERT INTO cohort_cells (workspace_id, grain, cohort, period, clients, revenue_cents, margin_cents)
SELECT workspace_id, grain, cohort, period, COUNT(*), SUM(rc), SUM(mc) FROM (
  SELECT p.workspace_id, 'month' AS grain, f.cohort, p.period,
    CAST(ROUND(p.revenue * 100) AS INTEGER) AS rc, CAST(ROUND(p.margin * 100) AS INTEGER) AS mc
  FROM client_periods p
  JOIN (SELECT workspace_id, client_id, MIN(period) AS cohort FROM client_periods WHERE orders > 0
        GROUP BY workspace_id, client_id) f ON f.workspace_id = p.workspace_id AND f.client_id = p.client_id
  WHERE p.orders > 0
  UNION ALL
  SELECT p.workspace_id, 'quarter',
    substr(f.cohort, 1, 4) || '-Q' || ((CAST(substr(f.cohort, 6, 2) AS INTEGER) + 2) / 3),
    substr(p.period, 1, 4) || '-Q' || ((CAST(substr(p.period, 6, 2) AS INTEGER) + 2) / 3),
    SUM(CAST(ROUND(p.revenue * 100) AS INTEGER)), SUM(CAST(ROUND(p.margin * 100) AS INTEGER))
  FROM client_periods p
  JOIN (SELECT workspace_id, client_id, MIN(period) AS cohort FROM client_periods WHERE orders > 0
        GROUP BY workspace_id, client_id) f ON f.workspace_id = p.workspace_id AND f.client_id = p.client_id
  WHERE p.orders > 0
  GROUP BY p.workspace_id, p.client_id, substr(p.period, 1, 4) || '-Q' || ((CAST(substr(p.period, 6, 2) AS INTEGER) + 2) / 3)
) GROUP BY workspace_id, grain, cohort, period;
