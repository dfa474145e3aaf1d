/**
 * The workspace's (?1) sweep instant in ms, -1 before its first sweep, as an SQL expression: the
 * instant up to which the clock-kept rollups (day histograms, their blocks, vanished buyers, the
 * spells flagged current) are kept; reads add the transitions since (worker/sweep.ts).
 */
export const CLOCK = `(SELECT COALESCE((SELECT swept_ms FROM rollup_clocks WHERE workspace_id = ?1), -1))`;
