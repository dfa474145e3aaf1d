export interface Env {
  DB: D1Database;
  /** Worker secret: the only token that may create workspaces. */
  ADMIN_TOKEN?: string;
  ASSETS?: Fetcher;
  ENVIRONMENT?: string;
}
