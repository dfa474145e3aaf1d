import * as v from 'valibot';

/**
 * What a webhook can subscribe to. `client.stage_changed` is announced when a write changes a
 * client's current stage and when the clock passes a transition stored ahead (falling asleep).
 * `client.types_changed` and `portfolio.mono_client` are announced by the nightly run, which
 * compares the classified portfolio with the night before (worker/announce-classes.ts): they are
 * portfolio-relative, so no single write decides them.
 */
export const WEBHOOK_EVENT_TYPES = [
  'client.stage_changed',
  'client.types_changed',
  'portfolio.mono_client',
] as const;
export const WebhookEventTypeSchema = v.picklist(
  WEBHOOK_EVENT_TYPES,
  `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
);
export type WebhookEventType = v.InferOutput<typeof WebhookEventTypeSchema>;

/** Webhook ids as minted (`wh_…`). */
export const WebhookIdSchema = v.pipe(
  v.string(),
  v.regex(/^wh_[A-Za-z0-9_-]{1,64}$/, 'is not a webhook id'),
);
/** Message ids as minted (`msg_…`): the `webhook-id` header of every attempt. */
export const DeliveryIdSchema = v.pipe(
  v.string(),
  v.regex(/^msg_[A-Za-z0-9_-]{1,64}$/, 'is not a delivery id'),
);

/** An absolute http(s) URL; which hosts are allowed depends on the deployment (worker/webhook-url.ts). */
export const WebhookUrlSchema = v.pipe(
  v.string(),
  v.maxLength(2000, 'must be at most 2000 characters'),
  v.url('must be an absolute URL'),
  v.regex(/^https?:\/\//i, 'must be an http(s) URL'),
);

export const WebhookCreateSchema = v.strictObject({
  url: WebhookUrlSchema,
  events: v.pipe(
    v.array(WebhookEventTypeSchema),
    v.minLength(1, 'must name at least one event type'),
    v.maxLength(WEBHOOK_EVENT_TYPES.length, 'must not repeat event types'),
    v.check((a) => new Set(a).size === a.length, 'must not repeat event types'),
  ),
});

export const WebhookSchema = v.object({
  id: v.string(),
  url: v.string(),
  events: v.array(WebhookEventTypeSchema),
  createdAt: v.string(),
});
export type Webhook = v.InferOutput<typeof WebhookSchema>;

/** The answer to a creation: the only time the signing secret (`whsec_` + base64) is shown. */
export const WebhookCreatedSchema = v.object({ ...WebhookSchema.entries, secret: v.string() });

export const WebhookListSchema = v.object({ data: v.array(WebhookSchema) });

/** The body of every message, as signed: `data.previous`/`data.current` are the states before and after. */
export const WebhookPayloadSchema = v.object({
  type: WebhookEventTypeSchema,
  timestamp: v.string(),
  data: v.object({
    clientId: v.nullable(v.string()),
    previous: v.unknown(),
    current: v.unknown(),
    at: v.string(),
  }),
});
export type WebhookPayload = v.InferOutput<typeof WebhookPayloadSchema>;

export const DeliveryStatusSchema = v.picklist(['pending', 'queued', 'delivered', 'failed']);
export type DeliveryStatus = v.InferOutput<typeof DeliveryStatusSchema>;

/** One attempt: the receiver's HTTP status, or why it could not be reached (`status` null). */
export const DeliveryAttemptSchema = v.object({
  attempt: v.number(),
  at: v.string(),
  status: v.nullable(v.number()),
  error: v.nullable(v.string()),
  durationMs: v.number(),
});
export type DeliveryAttempt = v.InferOutput<typeof DeliveryAttemptSchema>;

export const DeliverySchema = v.object({
  /** The `webhook-id` header, the same on every attempt and on a resend. */
  id: v.string(),
  webhookId: v.string(),
  type: WebhookEventTypeSchema,
  status: DeliveryStatusSchema,
  createdAt: v.string(),
  finishedAt: v.nullable(v.string()),
  payload: WebhookPayloadSchema,
  attempts: v.array(DeliveryAttemptSchema),
});
export type Delivery = v.InferOutput<typeof DeliverySchema>;

export const DeliveryPageSchema = v.object({
  data: v.array(DeliverySchema),
  nextCursor: v.nullable(v.string()),
});

export const DELIVERIES_MAX_LIMIT = 100;
export const DeliveryListQuerySchema = v.strictObject({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, `must be a whole number from 1 to ${DELIVERIES_MAX_LIMIT}`),
      v.transform(Number),
      v.minValue(1, `must be a whole number from 1 to ${DELIVERIES_MAX_LIMIT}`),
      v.maxValue(DELIVERIES_MAX_LIMIT, `must be a whole number from 1 to ${DELIVERIES_MAX_LIMIT}`),
    ),
    '20',
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512, 'is not a valid cursor'))),
});

/**
 * Seconds to wait after each failed attempt before the next one (Standard Webhooks' reference
 * schedule): 8 attempts over about 27.5 hours, then the delivery is `failed` (a resend starts over).
 */
export const RETRY_DELAYS_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
