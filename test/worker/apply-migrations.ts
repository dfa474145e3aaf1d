import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Storage is isolated per test file: every file starts from freshly migrated databases. Every
// migration applies to both data databases, as `wrangler d1 migrations apply` does (wrangler.toml).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await applyD1Migrations(env.DB_2, env.TEST_MIGRATIONS);
