-- What the webhook announcer last saw of the portfolio-relative facts no single write decides:
-- each client's types (`subject` = 'types', `value` = the sorted type ids as JSON) and which
-- clients are mono-clients ('mono', value '1'). The nightly run compares the portfolio with these
-- rows and writes the differences to the webhook outbox in the same batch as the new rows.
-- A workspace's first comparison only records (client_id '*' marks that it is watched).
CREATE TABLE class_watch (
  workspace_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  client_id TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (workspace_id, subject, client_id)
) WITHOUT ROWID;
