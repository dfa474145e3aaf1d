import * as v from 'valibot';
import { IdSchema, ShortTextSchema } from './common.ts';

/** Secret (`sk_…`, server side), publishable (`pk_…`, widgets) and restricted (`rk_…`, one manager's scope). */
export const KEY_KINDS = ['secret', 'publishable', 'restricted'] as const;
export const KeyKindSchema = v.picklist(KEY_KINDS, 'must be secret, publishable or restricted');
export type KeyKind = v.InferOutput<typeof KeyKindSchema>;
/** The prefix that tells a key's kind at a glance (and to the authenticator). */
export const KEY_PREFIXES = {
  secret: 'sk_',
  publishable: 'pk_',
  restricted: 'rk_',
} as const satisfies Record<KeyKind, string>;

/** The kinds a caller may create; restricted keys (`rk_…`) come with manager scoping later. */
export const CreatableKeyKindSchema = v.picklist(
  ['secret', 'publishable'],
  'must be secret or publishable',
);

export const KeyCreateSchema = v.strictObject({
  kind: CreatableKeyKindSchema,
  label: v.optional(v.pipe(ShortTextSchema, v.minLength(1, 'must not be empty'))),
});

/** A key as listed: never the key itself, which is shown once at creation and stored only as a hash. */
export const KeySchema = v.object({
  id: v.string(),
  kind: KeyKindSchema,
  label: v.nullable(v.string()),
  createdAt: v.string(),
  revokedAt: v.nullable(v.string()),
});
export type Key = v.InferOutput<typeof KeySchema>;

export const KeyCreatedSchema = v.object({
  ...KeySchema.entries,
  /** The key itself (`sk_…` or `pk_…`): shown in this answer only. */
  key: v.string(),
});

export const KeyListSchema = v.object({ data: v.array(KeySchema) });

/** Key ids as minted (`key_…`); anything else cannot name a key. */
export const KeyIdSchema = v.pipe(
  v.string(),
  v.regex(/^key_[A-Za-z0-9_-]{1,64}$/, 'is not a key id'),
);

export const WIDGET_SESSION_DEFAULT_TTL_SECONDS = 900;
export const WIDGET_SESSION_MAX_TTL_SECONDS = 86_400;
export const WIDGET_SESSION_MIN_TTL_SECONDS = 60;

/** What a widget session may read: everything a publishable key may, or one manager's or one client's data. */
export const WidgetScopeSchema = v.union(
  [
    v.strictObject({ manager: v.pipe(ShortTextSchema, v.minLength(1, 'must not be empty')) }),
    v.strictObject({ clientId: IdSchema }),
  ],
  'must be { manager } or { clientId }',
);

export const WidgetSessionCreateSchema = v.strictObject({
  ttlSeconds: v.optional(
    v.pipe(
      v.number(),
      v.integer('must be a whole number of seconds'),
      v.minValue(
        WIDGET_SESSION_MIN_TTL_SECONDS,
        `must be ${WIDGET_SESSION_MIN_TTL_SECONDS} to ${WIDGET_SESSION_MAX_TTL_SECONDS} seconds`,
      ),
      v.maxValue(
        WIDGET_SESSION_MAX_TTL_SECONDS,
        `must be ${WIDGET_SESSION_MIN_TTL_SECONDS} to ${WIDGET_SESSION_MAX_TTL_SECONDS} seconds`,
      ),
    ),
    WIDGET_SESSION_DEFAULT_TTL_SECONDS,
  ),
  scope: v.optional(WidgetScopeSchema),
});

export const WidgetSessionSchema = v.object({
  id: v.string(),
  /** `wst_…`: sent by components as `Authorization: Bearer wst_…` in place of a publishable key. */
  token: v.string(),
  expiresAt: v.string(),
  scope: v.object({ manager: v.optional(v.string()), clientId: v.optional(v.string()) }),
});
export type WidgetSession = v.InferOutput<typeof WidgetSessionSchema>;

/** Stripe's Idempotency-Key: any printable ASCII up to 255 characters (a UUID is typical). */
export const IdempotencyKeySchema = v.pipe(
  v.string(),
  v.minLength(1, 'must be 1 to 255 printable ASCII characters'),
  v.maxLength(255, 'must be 1 to 255 printable ASCII characters'),
  v.regex(/^[\x21-\x7e]+$/, 'must be 1 to 255 printable ASCII characters'),
);
