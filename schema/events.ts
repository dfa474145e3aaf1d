import * as v from 'valibot';
import { ActionIdSchema, ActionKindSchema } from './actions.ts';
import {
  IdSchema,
  InstantSchema,
  MoneySchema,
  ShortTextSchema,
  SignedMoneySchema,
} from './common.ts';
import { StageSchema } from './lifecycle.ts';

export const EVENT_TYPES = [
  'outreach',
  'response',
  'request',
  'interest',
  'refusal',
  'meeting',
  'offer',
  'purchase',
  'purchase_refused',
  'payment',
  'contact',
  'complaint',
  'review',
  'referral',
  'tag',
  'stage_override',
  'action_done',
] as const;
export const EventTypeSchema = v.picklist(EVENT_TYPES, `must be one of ${EVENT_TYPES.join(', ')}`);
export type EventType = v.InferOutput<typeof EventTypeSchema>;

export const RefusalSideSchema = v.picklist(['client', 'us'], 'must be client or us');
export const SentimentSchema = v.picklist(
  ['positive', 'neutral', 'negative'],
  'must be positive, neutral or negative',
);
/** Why an attraction ended in a refusal: not our target at all, or a target that is not ready now. */
export const RefusalKindSchema = v.picklist(
  ['non_target', 'not_now'],
  'must be non_target or not_now',
);

const NoteSchema = v.pipe(v.string(), v.maxLength(1000, 'must be at most 1000 characters'));

const base = {
  id: IdSchema,
  clientId: IdSchema,
  at: InstantSchema,
  note: v.optional(NoteSchema),
  channel: v.optional(ShortTextSchema),
};

const plain = <T extends EventType>(type: T) => v.strictObject({ ...base, type: v.literal(type) });

export const EventSchema = v.variant(
  'type',
  [
    plain('outreach'),
    plain('response'),
    plain('request'),
    v.strictObject({
      ...base,
      type: v.literal('interest'),
      /** When to ask again; defaults to the workspace's interest re-check delay. */
      recheckAt: v.optional(InstantSchema),
    }),
    v.strictObject({
      ...base,
      type: v.literal('refusal'),
      by: RefusalSideSchema,
      reason: ShortTextSchema,
      kind: v.optional(RefusalKindSchema),
    }),
    plain('meeting'),
    v.strictObject({ ...base, type: v.literal('offer'), amount: v.optional(MoneySchema) }),
    v.strictObject({
      ...base,
      type: v.literal('purchase'),
      amount: MoneySchema,
      margin: v.optional(SignedMoneySchema),
      product: v.optional(ShortTextSchema),
      /** Share of the list price given away, 0–1. */
      discount: v.optional(
        v.pipe(
          v.number(),
          v.finite(),
          v.minValue(0, 'must be between 0 and 1'),
          v.maxValue(1, 'must be between 0 and 1'),
        ),
      ),
    }),
    v.strictObject({
      ...base,
      type: v.literal('purchase_refused'),
      by: RefusalSideSchema,
      reason: ShortTextSchema,
    }),
    v.strictObject({
      ...base,
      type: v.literal('payment'),
      daysLate: v.pipe(
        v.number(),
        v.integer('must be a whole number'),
        v.minValue(0, 'must not be negative'),
        v.maxValue(3650, 'must be at most 3650'),
      ),
      amount: v.optional(MoneySchema),
    }),
    v.strictObject({ ...base, type: v.literal('contact'), sentiment: SentimentSchema }),
    plain('complaint'),
    v.strictObject({
      ...base,
      type: v.literal('review'),
      rating: v.optional(
        v.pipe(
          v.number(),
          v.integer('must be a whole number'),
          v.minValue(1, 'must be 1 to 5'),
          v.maxValue(5, 'must be 1 to 5'),
        ),
      ),
    }),
    v.strictObject({
      ...base,
      type: v.literal('referral'),
      referredClientId: v.optional(IdSchema),
    }),
    v.strictObject({
      ...base,
      type: v.literal('tag'),
      tag: v.pipe(ShortTextSchema, v.minLength(1, 'must not be empty')),
    }),
    v.strictObject({
      ...base,
      type: v.literal('stage_override'),
      stage: StageSchema,
    }),
    /** A work-list item was done (`POST /v1/actions/{id}/done` records one): our bookkeeping, not the client's activity. */
    v.strictObject({
      ...base,
      type: v.literal('action_done'),
      actionKind: ActionKindSchema,
      actionId: v.optional(ActionIdSchema),
    }),
  ],
  `must be one of ${EVENT_TYPES.join(', ')}`,
);
export type ClientEvent = v.InferOutput<typeof EventSchema>;
export type EventInput = v.InferInput<typeof EventSchema>;

export const MAX_EVENTS_PER_BATCH = 1000;

export const EventBatchSchema = v.strictObject({
  events: v.pipe(
    v.array(EventSchema),
    v.minLength(1, 'must hold 1 to 1000 events'),
    v.maxLength(MAX_EVENTS_PER_BATCH, 'must hold 1 to 1000 events'),
  ),
});

export const EventBatchResultSchema = v.object({
  accepted: v.number(),
  duplicates: v.number(),
});
export type EventBatchResult = v.InferOutput<typeof EventBatchResultSchema>;
