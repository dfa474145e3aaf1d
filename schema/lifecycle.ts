import * as v from 'valibot';
import { InstantSchema } from './common.ts';
import { wholeSetting } from './fields.ts';

export const STAGE_MODELS = ['portfolio', 'clc6'] as const;
export const StageModelSchema = v.picklist(STAGE_MODELS, 'must be portfolio or clc6');
export type StageModelName = v.InferOutput<typeof StageModelSchema>;

export const PORTFOLIO_STAGES = [
  'prospect',
  'potential',
  'developing',
  'developed',
  'sleeping',
  'lost',
] as const;
export const CLC6_STAGES = [
  'awareness',
  'acquisition',
  'conversion',
  'retention',
  'loyalty',
  're_engagement',
] as const;
export const STAGES = [...PORTFOLIO_STAGES, ...CLC6_STAGES] as const;
export const StageSchema = v.picklist(STAGES, `must be a stage: ${STAGES.join(', ')}`);
export type Stage = v.InferOutput<typeof StageSchema>;

export const LifecycleSettingsSchema = v.pipe(
  v.strictObject({
    model: v.optional(StageModelSchema, 'portfolio'),
    /** Display names per stage, e.g. `{ "developed": "Regular" }`; stage keys stay fixed. */
    stageLabels: v.optional(
      v.record(StageSchema, v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
      {},
    ),
    /** The order that makes a client *developed* (portfolio model). */
    developedAfterOrders: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(2, 'must be at least 2'),
        v.maxValue(100, 'must be at most 100'),
      ),
      3,
    ),
    /** A buyer sleeps when the time since the last purchase exceeds both this many days… */
    sleepingAfterDays: wholeSetting(90, 1, 3650, 'days'),
    /** …and this multiple of the client's own median gap between purchases. */
    sleepingGapMultiple: v.optional(
      v.pipe(
        v.number(),
        v.finite(),
        v.minValue(1, 'must be at least 1'),
        v.maxValue(50, 'must be at most 50'),
      ),
      3,
    ),
    /** A buyer is lost this many days after the last purchase. */
    lostAfterDays: wholeSetting(365, 2, 7300, 'days'),
    /** When to re-check a deferred *interest* result that names no date of its own. */
    interestRecheckDays: wholeSetting(30, 1, 730, 'days'),
    /** `days`: the fixed rule above; `pAlive`: P(alive) below the threshold once a BG/NBD model is fitted. */
    sleepingRule: v.optional(v.picklist(['days', 'pAlive'], 'must be days or pAlive'), 'days'),
    sleepingPAliveBelow: v.optional(
      v.pipe(
        v.number(),
        v.finite(),
        v.minValue(0.01, 'must be between 0.01 and 0.99'),
        v.maxValue(0.99, 'must be between 0.01 and 0.99'),
      ),
      0.3,
    ),
  }),
  v.forward(
    v.check((s) => s.lostAfterDays > s.sleepingAfterDays, 'must be greater than sleepingAfterDays'),
    ['lostAfterDays'],
  ),
);
export type LifecycleSettings = v.InferOutput<typeof LifecycleSettingsSchema>;

export const StageSpellSchema = v.object({
  stage: StageSchema,
  enteredAt: v.string(),
  leftAt: v.nullable(v.string()),
  /** The event that moved the client here, or null when the passage of time did (sleeping, lost). */
  eventId: v.nullable(v.string()),
});
export type StageSpell = v.InferOutput<typeof StageSpellSchema>;

export const MILESTONE_KINDS = [
  'attraction_request',
  'attraction_interest',
  'attraction_refusal',
  'deal_purchase',
  'deal_refused_by_client',
  'deal_refused_by_us',
  'repeat_deal',
  'referral_given',
  'kept_in_touch',
  'reactivation',
] as const;
export const MilestoneKindSchema = v.picklist(MILESTONE_KINDS);
export const MilestoneSchema = v.object({
  kind: MilestoneKindSchema,
  at: v.string(),
  eventId: v.string(),
  /** Refusals: who refused and why; interest: when to re-check; purchases: the order number. */
  by: v.optional(v.picklist(['client', 'us'])),
  reason: v.optional(v.string()),
  refusalKind: v.optional(v.picklist(['non_target', 'not_now'])),
  recheckAt: v.optional(v.string()),
  orderNumber: v.optional(v.number()),
  fromStage: v.optional(StageSchema),
});
export type Milestone = v.InferOutput<typeof MilestoneSchema>;

export const HistoryQuerySchema = v.strictObject({ asOf: v.optional(InstantSchema) });

export const ClientHistorySchema = v.object({
  clientId: v.string(),
  model: StageModelSchema,
  asOf: v.string(),
  stage: v.nullable(StageSchema),
  stages: v.array(StageSpellSchema),
  milestones: v.array(MilestoneSchema),
});
export type ClientHistory = v.InferOutput<typeof ClientHistorySchema>;

export const FunnelQuerySchema = v.pipe(
  v.strictObject({
    asOf: v.optional(InstantSchema),
    from: v.optional(InstantSchema),
    to: v.optional(InstantSchema),
  }),
  v.forward(
    v.check((q) => !q.from || !q.to || q.from < q.to, 'must be after from'),
    ['to'],
  ),
);

export const FunnelStageSchema = v.object({
  stage: StageSchema,
  label: v.string(),
  /** Clients in the stage at `asOf`. */
  count: v.number(),
  /** Entries into the stage in `[from, to)` (and by `asOf`): a client who re-enters counts again. */
  entered: v.number(),
  /** Clients who were ever in this stage by `asOf`. */
  reached: v.number(),
  /** Of those who reached this stage, the share that reached the next stage or beyond (null for the last). */
  conversionToNext: v.nullable(v.number()),
  /** Of all clients with a stage, the share that reached this stage or beyond. */
  cumulativeConversion: v.number(),
  /** Median length in whole UTC days of a stay in this stage, ongoing stays counted up to `asOf`. */
  medianDays: v.nullable(v.number()),
  /** Median whole UTC days from a client's first stage to first entering this one. */
  cumulativeMedianDays: v.nullable(v.number()),
});
export type FunnelStage = v.InferOutput<typeof FunnelStageSchema>;

export const FunnelSchema = v.object({
  model: StageModelSchema,
  asOf: v.string(),
  from: v.string(),
  to: v.string(),
  total: v.number(),
  stages: v.array(FunnelStageSchema),
});
export type Funnel = v.InferOutput<typeof FunnelSchema>;
