-- Incremental ingestion (issue 11): the state a client's derivation continues from when a later
-- event arrives (ClientFold in core/lifecycle/derive.ts, compacted: the open spell, the latest
-- month, the running figures), and a key of the lifecycle settings it was derived under. An event
-- later than everything stored for its client is folded into this state; an event in the client's
-- past, a NULL fold (rows stored before this migration) or another key means a replay of the
-- client's events.
ALTER TABLE client_aggregates ADD COLUMN fold TEXT;
ALTER TABLE client_aggregates ADD COLUMN fold_key TEXT;
