import * as v from 'valibot';

/**
 * Every reason `core/` gives is data, `{ code, params }`, never a sentence: the API adds `text` in
 * the reader's language and the components render the same data themselves, both from the
 * message tables of `core/messages/`. This table is the one place a code and its parameters are
 * defined; each parameter's kind says what it holds and how a message may show it.
 *
 * Kinds: `n` a number; `%` a share (0.25); `$` money in the workspace currency; `days` a
 * number of days; `date` an ISO instant; `text` free text from the data (a tag, a product, an
 * id); `list` several such texts; `counts` how many of each countable thing (nouns of the tables);
 * `stage` / `stages` stage ids; `word` a small closed word of the tables (`revenue`, `month`);
 * `reasons` nested reasons. A trailing `?` makes the parameter nullable: messages show it only
 * inside an optional `[…]` part.
 */
export const REASON_PARAMS = {
  // Client types (core/segments/client-types.ts) and key clients (core/segments/key-clients.ts).
  manual: {},
  tagged: { tag: 'text' },
  key_revenue_share: { share: '%', threshold: '%' },
  key_margin_share: { share: '%', threshold: '%' },
  key_revenue_rank: { rank: 'n', buyers: 'n', top: '%' },
  super_revenue: { revenue: '$', top: '%', cut: '$' },
  super_orders: { orders: 'n', top: '%', cut: 'n' },
  super_check: { check: '$', ratio: 'n', median: '$' },
  loyal_tenure: { days: 'days', firstPurchaseAt: 'date' },
  loyal_rhythm: { purchaseDays: 'n', medianGapDays: 'days' },
  last_purchase: { days: 'days' },
  pioneer_product: { product: 'text', days: 'days', launchedAt: 'date' },
  pioneer_more: { count: 'n' },
  fan_referrals: { count: 'n' },
  fan_reviews: { count: 'n' },
  small_check: { check: '$', ratio: '%', median: '$' },
  bad_late_payments: { late: 'n', payments: 'n', maxDaysLate: 'days' },
  bad_loss_orders: { loss: 'n', orders: 'n', margin: '$' },
  bad_complaints: { complaints: 'n', orders: 'n' },
  bad_negative_contacts: { negative: 'n', contacts: 'n' },
  bad_discounts: { discounted: 'n', orders: 'n', averageDiscount: '%?' },
  bad_time: { contacts: 'n', orders: 'n' },
  bad_negative_reviews: { count: 'n' },
  in_stage: { stage: 'stage', since: 'date?' },
  false_client: { promises: 'counts', days: 'days' },
  near_met: { meetings: 'n' },
  near_offers: { offers: 'n' },
  near_refused: { refusals: 'n' },
  no_purchase: {},
  inquirer: { contacts: 'counts' },
  competitor_refusal: { reason: 'text' },
  potential: { outreaches: 'n?' },
  refused_for_now: { reason: 'text' },

  // Portfolio (core/segments/portfolio.ts): tiers and warnings.
  tier_gold: { days: 'days', reasons: 'reasons' },
  tier_silver_young: { days: 'days', goldAfterDays: 'days', reasons: 'reasons' },
  tier_class_a: { share: '%', threshold: '%' },
  tier_new: { months: 'n' },
  tier_growing: { change: '%', months: 'n' },
  tier_class: { abc: 'text', share: '%' },
  tier_flat: { share: '%' },
  mono_client: { client: 'text', share: '%', basis: 'word', threshold: '%' },
  empty_stage: { stage: 'stage' },
  resting_on_regulars: {
    regulars: 'stages',
    share: '%',
    pipeline: 'n',
    pipelineShare: '%',
    pipelineStages: 'stages',
  },
  sleeping_share_high: { share: '%', asleep: 'n', threshold: '%' },
  manager_overloaded: { manager: 'text', keyClients: 'n', maxKeyClients: 'n' },
  key_client_unassigned: { client: 'text' },

  // Lead qualification (core/actions/qualify.ts).
  lead_contact: { via: 'list' },
  lead_no_contact: { attributes: 'list' },
  lead_wish_stated: { attribute: 'text' },
  lead_wish_requests: { requests: 'n' },
  lead_no_wish: { attribute: 'text' },
  lead_budget: { amount: '$' },
  lead_no_budget: { attribute: 'text' },

  // The work list (core/actions/rules.ts): why an item, and the rule behind it.
  respect_pause: { negativeContactAt: 'date', pauseEndsAt: 'date', daysLeft: 'days' },
  keep_cadence: { daysSinceContact: 'days', lastContactAt: 'date', doneAt: 'date?' },
  keep_cadence_never: { doneAt: 'date?' },
  review_dossier: { reviewedAt: 'date', daysSinceReview: 'days', doneAt: 'date?' },
  review_dossier_never: { doneAt: 'date?' },
  assign_manager: {},
  rebalance_manager: { manager: 'text', keyClients: 'n', maxKeyClients: 'n', excess: 'n' },
  reduce_mono_client: { share: '%' },
  follow_up_lead: { lastEventAt: 'date', doneAt: 'date?' },
  recheck_interest: { interestAt: 'date', recheckAt: 'date' },
  follow_up_near_client: { lastEventAt: 'date', days: 'days', doneAt: 'date?' },
  dormant: {
    stage: 'stage',
    since: 'date',
    daysSinceLastPurchase: 'days?',
    orders: 'n',
    revenue: '$',
    doneAt: 'date?',
  },
  loyal_touch: { periodStart: 'date', lastTouchAt: 'date?' },
  ask_referral: { who: 'word', periodStart: 'date', lastReferralAt: 'date?' },
  review_bad_client: { signals: 'reasons' },
  rule_respect_pause: { days: 'days' },
  rule_keep_cadence: { days: 'days' },
  rule_review_dossier: { days: 'days' },
  rule_assign_manager: {},
  rule_rebalance_manager: { maxKeyClients: 'n' },
  rule_reduce_mono_client: { period: 'word' },
  rule_follow_up_lead: { afterDays: 'days' },
  rule_recheck_interest: {},
  rule_follow_up_near_client: { afterDays: 'days', repeatDays: 'days' },
  rule_wake_sleeping: { repeatDays: 'days' },
  rule_win_back_lost: { repeatDays: 'days' },
  rule_loyal_touch: { period: 'word' },
  rule_ask_referral: { period: 'word' },
  rule_review_bad_client: { period: 'word' },

  // Model fallbacks (core/value/): why a profile shows historic value only.
  value_no_model: {},
  value_too_little_history: {
    customers: 'n',
    minCustomers: 'n',
    repeatBuyers: 'n',
    minRepeatBuyers: 'n',
  },
  value_not_converged: {},
  value_no_purchases: {},
  value_purchases_after_as_of: {},
  value_not_computable: {},
  value_infinite_spend: {},

  // How `auto` chose a purchase model (core/value/select.ts).
  lowest_holdout_error: {
    model: 'word',
    totalError: '%',
    binError: '%',
    runnerUp: 'word?',
    runnerUpTotalError: '%?',
    runnerUpBinError: '%?',
  },
  only_candidate_converged: { model: 'word' },
} as const satisfies Record<string, Record<string, ParamKind>>;

export const PARAM_KINDS = [
  'n',
  '%',
  '$',
  'days',
  'date',
  'text',
  'list',
  'counts',
  'stage',
  'stages',
  'word',
  'reasons',
] as const;
type BaseKind = (typeof PARAM_KINDS)[number];
export type ParamKind = BaseKind | `${BaseKind}?`;

export type ReasonCode = keyof typeof REASON_PARAMS;
export const REASON_CODES = Object.keys(REASON_PARAMS) as ReasonCode[];

type ValueOf<K> = K extends `${infer B}?`
  ? ValueOf<B> | null
  : K extends 'text' | 'date' | 'stage' | 'word'
    ? string
    : K extends 'list' | 'stages'
      ? string[]
      : K extends 'counts'
        ? Record<string, number>
        : K extends 'reasons'
          ? Reason[]
          : number;
type ParamsOf<C extends ReasonCode> = {
  -readonly [P in keyof (typeof REASON_PARAMS)[C]]: ValueOf<(typeof REASON_PARAMS)[C][P]>;
};
/** One reason: a code of `REASON_PARAMS` and exactly its parameters. */
export type Reason = { [C in ReasonCode]: { code: C; params: ParamsOf<C> } }[ReasonCode];
/** A reason as the API sends it: with its text in the language of `Accept-Language`. */
export type ReasonWithText = Reason & { text?: string };

const KIND_SCHEMAS: Record<BaseKind, () => v.GenericSchema> = {
  n: () => v.number(),
  '%': () => v.number(),
  $: () => v.number(),
  days: () => v.number(),
  date: () => v.string(),
  text: () => v.string(),
  list: () => v.array(v.string()),
  counts: () => v.record(v.string(), v.number()),
  stage: () => v.string(),
  stages: () => v.array(v.string()),
  word: () => v.string(),
  reasons: () => v.array(v.lazy(() => StrictReasonSchema)),
};
const paramSchema = (kind: ParamKind) =>
  kind.endsWith('?')
    ? v.nullable(KIND_SCHEMAS[kind.slice(0, -1) as BaseKind]())
    : KIND_SCHEMAS[kind as BaseKind]();

export const ReasonCodeSchema = v.picklist(REASON_CODES);

/**
 * Each code with exactly its parameters, checked per code: what tests hold every reason `core/`
 * gives against.
 */
export const StrictReasonSchema: v.GenericSchema<ReasonWithText> = v.variant(
  'code',
  REASON_CODES.map((code) =>
    v.object({
      code: v.literal(code),
      params: v.strictObject(
        Object.fromEntries(
          Object.entries(REASON_PARAMS[code]).map(([name, kind]) => [
            name,
            paramSchema(kind as ParamKind),
          ]),
        ),
      ),
      text: v.optional(v.string()),
    }),
  ) as never,
);

/**
 * A reason on the wire. The per-code parameters are the table `REASON_PARAMS` of
 * schema/reasons.ts (listed in the README); the OpenAPI document states the closed set of codes.
 */
export const reasonEntries = {
  code: ReasonCodeSchema,
  params: v.pipe(
    v.record(v.string(), v.unknown()),
    v.description('The figures, dates and names the reason speaks of; per code'),
  ),
  text: v.pipe(
    v.optional(v.string()),
    v.description(
      'The reason as a sentence, in the language of Accept-Language (English by default, Russian for ru)',
    ),
  ),
};
export const ReasonSchema: v.GenericSchema<ReasonWithText> = v.pipe(
  v.object(reasonEntries),
  v.description('Why, as data: a code and its parameters, plus the rendered text'),
) as never;
