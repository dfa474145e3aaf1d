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

export const WorkspaceCreateSchema = v.strictObject({
  name: NameSchema,
  allowedOrigins: v.optional(
    v.pipe(v.array(OriginSchema), v.maxLength(50, 'must have at most 50 origins')),
    [],
  ),
  settings: v.optional(SettingsSchema),
});

export const WorkspaceCreatedSchema = v.object({
  id: v.string(),
  name: v.string(),
  allowedOrigins: v.array(v.string()),
  secretKey: v.string(),
  publishableKey: v.string(),
});
export type WorkspaceCreated = v.InferOutput<typeof WorkspaceCreatedSchema>;

export const WorkspaceSchema = v.object({
  id: v.string(),
  name: v.string(),
  allowedOrigins: v.array(v.string()),
  createdAt: v.string(),
});

/** `PATCH /v1/workspace`: rename, or replace the browser origins its publishable keys work from. */
export const WorkspacePatchSchema = v.strictObject({
  name: v.optional(NameSchema),
  allowedOrigins: v.optional(
    v.pipe(v.array(OriginSchema), v.maxLength(50, 'must have at most 50 origins')),
  ),
});
