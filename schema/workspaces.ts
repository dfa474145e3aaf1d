import * as v from 'valibot';
import { NameSchema } from './common.ts';
import { SettingsSchema } from './settings.ts';

/** A browser origin as sent in the Origin header: scheme, host and optional port, nothing else. */
export const OriginSchema = v.pipe(
  v.string(),
  v.maxLength(200, 'must be at most 200 characters'),
  v.regex(
    /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/i,
    'must be an origin such as https://intranet.example.com (no path or trailing slash)',
  ),
);

/**
 * The data databases a workspace can live on, by name (worker/databases.ts maps each to its
 * binding in wrangler.toml). `primary` is also the control database. A new database is a new name
 * here, a binding, and an entry in that map.
 */
export const DATABASE_NAMES = ['primary', 'secondary'] as const;
export const DatabaseNameSchema = v.picklist(
  DATABASE_NAMES,
  `must be one of ${DATABASE_NAMES.join(', ')}`,
);
export type DatabaseName = v.InferOutput<typeof DatabaseNameSchema>;

export const WorkspaceCreateSchema = v.strictObject({
  name: NameSchema,
  allowedOrigins: v.optional(
    v.pipe(v.array(OriginSchema), v.maxLength(50, 'must have at most 50 origins')),
    [],
  ),
  settings: v.optional(SettingsSchema),
  /** Where its data lives; left out, the database with the fewest workspaces. */
  database: v.optional(DatabaseNameSchema),
});

export const WorkspaceCreatedSchema = v.object({
  id: v.string(),
  name: v.string(),
  allowedOrigins: v.array(v.string()),
  database: DatabaseNameSchema,
  secretKey: v.string(),
  publishableKey: v.string(),
});
export type WorkspaceCreated = v.InferOutput<typeof WorkspaceCreatedSchema>;

export const WorkspaceSchema = v.object({
  id: v.string(),
  name: v.string(),
  allowedOrigins: v.array(v.string()),
  database: DatabaseNameSchema,
  createdAt: v.string(),
});

/** `PATCH /v1/workspace`: rename, or replace the browser origins its publishable keys work from. */
export const WorkspacePatchSchema = v.strictObject({
  name: v.optional(NameSchema),
  allowedOrigins: v.optional(
    v.pipe(v.array(OriginSchema), v.maxLength(50, 'must have at most 50 origins')),
  ),
});
