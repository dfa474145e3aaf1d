-- Portfolio health from the snapshot (GET /v1/portfolio for the default window and instant): the
-- job walks the window's buyers largest first and stores each one's place, tier and key reasons,
-- and the portfolio's sums (top-1, top-5, top fifth, HHI, tier counts, mono-clients) in the
-- snapshot's state; a read is then one state row, the counts and one page by an index.
ALTER TABLE client_classes ADD COLUMN portfolio_rank INTEGER;
ALTER TABLE client_classes ADD COLUMN tier TEXT CHECK (tier IN ('gold', 'silver', 'bronze'));
-- JSON: the tier's reason and the key-client reasons (null when not key), shown as they are.
ALTER TABLE client_classes ADD COLUMN tier_reason TEXT;
ALTER TABLE client_classes ADD COLUMN key_reasons TEXT;
-- The job's walk over the buyers: window revenue desc, then id.
CREATE INDEX client_classes_by_buyer ON client_classes (workspace_id, snapshot_id, window_revenue DESC, client_id) WHERE window_revenue > 0;
-- The tiers' list and the key clients, by their place among the buyers.
CREATE INDEX client_classes_by_portfolio_rank ON client_classes (workspace_id, snapshot_id, portfolio_rank) WHERE portfolio_rank IS NOT NULL;
CREATE INDEX client_classes_by_key_rank ON client_classes (workspace_id, snapshot_id, portfolio_rank) WHERE key_reasons IS NOT NULL;
