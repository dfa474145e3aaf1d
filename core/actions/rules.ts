import type {
  ActionKind,
  ActionPeriod,
  ActionReason,
  ActionSettings,
  Priority,
} from '../../schema/actions.ts';
import type { ClientAggregates } from '../../schema/clients.ts';
import { DAY_MS } from '../../schema/common.ts';
import type { Reason } from '../../schema/reasons.ts';
import { addDays, toMs } from '../time.ts';
import type { ClientFacts } from './facts.ts';
import { periodBounds } from './periods.ts';

/** One item before it gets its id: what to do, about whom, by when and why. */
export interface Draft {
  kind: ActionKind;
  clientId: string | null;
  clientName: string | null;
  manager: string | null;
  /** The client id, or the manager for an item about a manager. */
  subject: string;
  priority: Priority;
  dueAt: string;
  openedAt: string;
  canMarkDone: boolean;
  reason: ActionReason;
}

export interface RuleContext {
  asOf: string;
  asOfMs: number;
  settings: ActionSettings;
}

export type ClientRule = (f: ClientFacts, ctx: RuleContext) => Draft | null;

const wholeDays = (fromIso: string, toMs_: number) =>
  Math.max(0, Math.floor((toMs_ - toMs(fromIso)) / DAY_MS));
const latest = (...isos: (string | null | undefined)[]): string | null =>
  isos.reduce<string | null>((m, x) => (x != null && (m === null || x > m) ? x : m), null);

/** When an item of this kind was last marked done; aggregates stored before the field existed have none. */
const doneAt = (f: ClientFacts, kind: ActionKind): string | null =>
  f.snapshot.aggregates.actionsDone?.[kind] ?? null;

/**
 * The due date of a rule that fires at `firedAt` and falls due at `dueAt`. Once the item was marked
 * done after it fired, it falls due again `repeatDays` after that (or never, when it does not repeat)
 * until the rule fires anew from a later `firedAt`.
 */
function nextDue(
  f: ClientFacts,
  kind: ActionKind,
  firedAt: string,
  dueAt: string,
  repeatDays: number | null,
): { dueAt: string; doneAt: string | null } | null {
  const done = doneAt(f, kind);
  if (done !== null && done >= firedAt)
    return repeatDays === null ? null : { dueAt: addDays(done, repeatDays), doneAt: done };
  return { dueAt, doneAt: null };
}

/** An item due at `dueAt` is listed from `lookaheadDays` before it. */
function listed(dueAt: string, ctx: RuleContext): { dueAt: string; openedAt: string } | null {
  const openedAt = addDays(dueAt, -ctx.settings.lookaheadDays);
  return openedAt <= ctx.asOf ? { dueAt, openedAt } : null;
}

/**
 * "Once per period" rules: open from the start of the period holding `asOf`, due on its last day,
 * unless the item was done, or the wanted thing happened (`satisfiedAt`), within the period.
 */
function periodic(
  f: ClientFacts | null,
  kind: ActionKind,
  period: ActionPeriod,
  ctx: RuleContext,
  satisfiedAt: string | null = null,
) {
  const { start, end } = periodBounds(ctx.asOf, period);
  const done = f ? doneAt(f, kind) : null;
  if ((done !== null && done >= start) || (satisfiedAt !== null && satisfiedAt >= start))
    return null;
  return { openedAt: start, dueAt: addDays(end, -1), start };
}

/** The pause after a negative contact, unless a positive contact since has mended things. */
export function pauseOf(
  a: Pick<ClientAggregates, 'lastNegativeContactAt' | 'lastPositiveContactAt'>,
  days: number,
): { start: string; end: string } | null {
  const negative = a.lastNegativeContactAt;
  if (negative === null || (a.lastPositiveContactAt !== null && a.lastPositiveContactAt > negative))
    return null;
  return { start: negative, end: addDays(negative, days) };
}

const activePause = (f: ClientFacts, ctx: RuleContext) => {
  const cfg = ctx.settings.rules.respect_pause;
  if (!cfg.enabled) return null;
  const p = pauseOf(f.snapshot.aggregates, cfg.days);
  return p && p.start <= ctx.asOf && ctx.asOf < p.end ? p : null;
};

function draft(
  f: ClientFacts,
  kind: ActionKind,
  priority: Priority,
  when: { dueAt: string; openedAt: string },
  why: Reason,
  rule: Reason,
  signals: readonly Reason[] = [],
): Draft {
  return {
    kind,
    clientId: f.snapshot.id,
    clientName: f.snapshot.name,
    manager: f.manager,
    subject: f.snapshot.id,
    priority,
    dueAt: when.dueAt,
    openedAt: when.openedAt,
    canMarkDone: true,
    reason: { ...why, rule, signals: [...signals] },
  };
}
/** The three criteria of a qualified lead, as reasons. */
const leadReasons = (f: ClientFacts): Reason[] =>
  [f.lead.contact, f.lead.wish, f.lead.budget].map(
    (c) => ({ code: c.code, params: c.params }) as Reason,
  );

const since = (f: ClientFacts) => f.snapshot.aggregates.firstPurchaseAt ?? f.snapshot.createdAt;

// ---------------------------------------------------------------------------------------------
// Key clients (docs/domain.md 5)
// ---------------------------------------------------------------------------------------------

const respectPause: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.respect_pause;
  const p = activePause(f, ctx);
  if (!p) return null;
  const done = doneAt(f, 'respect_pause');
  if (done !== null && done >= p.start) return null;
  const daysLeft = Math.ceil((toMs(p.end) - ctx.asOfMs) / DAY_MS);
  return draft(
    f,
    'respect_pause',
    cfg.priority,
    { openedAt: p.start, dueAt: p.end },
    {
      code: 'respect_pause',
      params: { negativeContactAt: p.start, pauseEndsAt: p.end, daysLeft },
    },
    { code: 'rule_respect_pause', params: { days: cfg.days } },
  );
};

const keepCadence: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.keep_cadence;
  if (!f.key) return null;
  const last = f.snapshot.aggregates.lastPositiveContactAt;
  const firedAt = last ?? since(f);
  const next = nextDue(f, 'keep_cadence', firedAt, addDays(firedAt, cfg.days), cfg.days);
  if (!next) return null;
  // No personal contact during a pause: the cadence resumes when the pause ends.
  const pause = ctx.settings.rules.respect_pause.enabled
    ? pauseOf(f.snapshot.aggregates, ctx.settings.rules.respect_pause.days)
    : null;
  const due = pause && pause.end > next.dueAt ? pause.end : next.dueAt;
  const when = listed(due, ctx);
  if (!when) return null;
  const touched = latest(last, next.doneAt);
  const daysSince = touched ? wholeDays(touched, ctx.asOfMs) : null;
  return draft(
    f,
    'keep_cadence',
    cfg.priority,
    when,
    last
      ? {
          code: 'keep_cadence',
          params: { daysSinceContact: daysSince ?? 0, lastContactAt: last, doneAt: next.doneAt },
        }
      : { code: 'keep_cadence_never', params: { doneAt: next.doneAt } },
    { code: 'rule_keep_cadence', params: { days: cfg.days } },
    f.types.get('golden'),
  );
};

const reviewDossier: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.review_dossier;
  if (!f.key) return null;
  const reviewed = f.reviewedAt;
  const firedAt = reviewed ?? since(f);
  const next = nextDue(
    f,
    'review_dossier',
    firedAt,
    reviewed ? addDays(reviewed, cfg.days) : firedAt,
    cfg.days,
  );
  const when = next && listed(next.dueAt, ctx);
  if (!next || !when) return null;
  return draft(
    f,
    'review_dossier',
    cfg.priority,
    when,
    reviewed
      ? {
          code: 'review_dossier',
          params: {
            reviewedAt: reviewed,
            daysSinceReview: wholeDays(reviewed, ctx.asOfMs),
            doneAt: next.doneAt,
          },
        }
      : { code: 'review_dossier_never', params: { doneAt: next.doneAt } },
    { code: 'rule_review_dossier', params: { days: cfg.days } },
    f.types.get('golden'),
  );
};

const assignManager: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.assign_manager;
  if (!f.key || f.manager !== null) return null;
  const when = periodic(f, 'assign_manager', cfg.period, ctx);
  if (!when) return null;
  return draft(
    f,
    'assign_manager',
    cfg.priority,
    when,
    { code: 'assign_manager', params: {} },
    { code: 'rule_assign_manager', params: {} },
    f.types.get('golden'),
  );
};

const reduceMonoClient: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.reduce_mono_client;
  if (!f.mono) return null;
  const when = periodic(f, 'reduce_mono_client', cfg.period, ctx);
  if (!when) return null;
  return draft(
    f,
    'reduce_mono_client',
    cfg.priority,
    when,
    { code: 'reduce_mono_client', params: { share: f.mono.share } },
    { code: 'rule_reduce_mono_client', params: { period: cfg.period } },
    [f.mono.reason],
  );
};

// ---------------------------------------------------------------------------------------------
// The pipeline: leads, deferred interest, near-clients (docs/domain.md 1.2, 3, 6)
// ---------------------------------------------------------------------------------------------

const followUpLead: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.follow_up_lead;
  if (!f.types.has('inquirer') || !f.lead.lead) return null;
  const firedAt = f.snapshot.aggregates.lastEventAt ?? f.snapshot.createdAt;
  const next = nextDue(
    f,
    'follow_up_lead',
    firedAt,
    addDays(firedAt, cfg.afterDays),
    cfg.repeatDays,
  );
  const when = next && listed(next.dueAt, ctx);
  if (!next || !when) return null;
  return draft(
    f,
    'follow_up_lead',
    cfg.priority,
    when,
    { code: 'follow_up_lead', params: { lastEventAt: firedAt, doneAt: next.doneAt } },
    { code: 'rule_follow_up_lead', params: { afterDays: cfg.afterDays } },
    [...leadReasons(f), ...(f.types.get('inquirer') ?? [])],
  );
};

const recheckInterest: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.recheck_interest;
  const a = f.snapshot.aggregates;
  const interest = a.lastInterestAt;
  const recheck = a.interestRecheckAt;
  if (interest === null || recheck === null) return null;
  // A purchase or a refusal since the interest answered the question already.
  if (
    (a.lastPurchaseAt !== null && a.lastPurchaseAt >= interest) ||
    (a.lastRefusal !== null && a.lastRefusal.at >= interest)
  )
    return null;
  const next = nextDue(f, 'recheck_interest', interest, recheck, null);
  const when = next && listed(next.dueAt, ctx);
  if (!next || !when) return null;
  return draft(
    f,
    'recheck_interest',
    f.lead.lead ? cfg.leadPriority : cfg.priority,
    when,
    { code: 'recheck_interest', params: { interestAt: interest, recheckAt: recheck } },
    { code: 'rule_recheck_interest', params: {} },
    f.lead.lead ? leadReasons(f) : [],
  );
};

const followUpNearClient: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.follow_up_near_client;
  if (!f.types.has('near_client')) return null;
  const firedAt = f.snapshot.aggregates.lastEventAt ?? f.snapshot.createdAt;
  const next = nextDue(
    f,
    'follow_up_near_client',
    firedAt,
    addDays(firedAt, cfg.afterDays),
    cfg.repeatDays,
  );
  const when = next && listed(next.dueAt, ctx);
  if (!next || !when) return null;
  return draft(
    f,
    'follow_up_near_client',
    cfg.priority,
    when,
    {
      code: 'follow_up_near_client',
      params: {
        lastEventAt: firedAt,
        days: wholeDays(firedAt, ctx.asOfMs),
        doneAt: next.doneAt,
      },
    },
    {
      code: 'rule_follow_up_near_client',
      params: { afterDays: cfg.afterDays, repeatDays: cfg.repeatDays },
    },
    f.types.get('near_client'),
  );
};

// ---------------------------------------------------------------------------------------------
// Existing clients: asleep, lost, loyal, fans, bad (docs/domain.md 1.3, 5, 6)
// ---------------------------------------------------------------------------------------------

const dormant =
  (kind: 'wake_sleeping' | 'win_back_lost', stages: readonly string[]): ClientRule =>
  (f, ctx) => {
    const cfg = ctx.settings.rules[kind];
    const s = f.snapshot;
    if (s.stage === null || !stages.includes(s.stage)) return null;
    const firedAt = s.stageSince ?? s.aggregates.lastPurchaseAt ?? s.createdAt;
    const next = nextDue(f, kind, firedAt, firedAt, cfg.repeatDays);
    const when = next && listed(next.dueAt, ctx);
    if (!next || !when) return null;
    const a = s.aggregates;
    const quiet = a.lastPurchaseAt ? wholeDays(a.lastPurchaseAt, ctx.asOfMs) : null;
    return draft(
      f,
      kind,
      cfg.priority,
      when,
      {
        code: 'dormant',
        params: {
          stage: s.stage,
          since: firedAt,
          daysSinceLastPurchase: quiet,
          orders: a.orders,
          revenue: a.revenue,
          doneAt: next.doneAt,
        },
      },
      { code: `rule_${kind}`, params: { repeatDays: cfg.repeatDays } },
      f.types.get('sleeping'),
    );
  };

const loyalTouch: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.loyal_touch;
  // Key clients keep the tighter cadence; during a pause nobody touches the client.
  if (!f.types.has('loyal') || f.key || activePause(f, ctx)) return null;
  const a = f.snapshot.aggregates;
  const touched = a.lastTouchAt ?? a.lastContactAt;
  const when = periodic(f, 'loyal_touch', cfg.period, ctx, touched);
  if (!when) return null;
  return draft(
    f,
    'loyal_touch',
    cfg.priority,
    when,
    { code: 'loyal_touch', params: { periodStart: when.start, lastTouchAt: touched ?? null } },
    { code: 'rule_loyal_touch', params: { period: cfg.period } },
    f.types.get('loyal'),
  );
};

const askReferral: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.ask_referral;
  if (!(f.types.has('loyal') || f.types.has('fan')) || f.types.has('bad') || activePause(f, ctx))
    return null;
  const last = f.snapshot.aggregates.lastReferralAt;
  const when = periodic(f, 'ask_referral', cfg.period, ctx, last);
  if (!when) return null;
  return draft(
    f,
    'ask_referral',
    cfg.priority,
    when,
    {
      code: 'ask_referral',
      params: {
        who: f.types.has('fan') ? 'fan' : 'loyal',
        periodStart: when.start,
        lastReferralAt: last ?? null,
      },
    },
    { code: 'rule_ask_referral', params: { period: cfg.period } },
    [...(f.types.get('fan') ?? []), ...(f.types.get('loyal') ?? [])],
  );
};

const reviewBadClient: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.review_bad_client;
  const signals = f.types.get('bad');
  if (!signals) return null;
  const when = periodic(f, 'review_bad_client', cfg.period, ctx);
  if (!when) return null;
  return draft(
    f,
    'review_bad_client',
    cfg.priority,
    when,
    { code: 'review_bad_client', params: { signals: [...signals] } },
    { code: 'rule_review_bad_client', params: { period: cfg.period } },
    signals,
  );
};

export const CLIENT_RULES: Record<Exclude<ActionKind, 'rebalance_manager'>, ClientRule> = {
  respect_pause: respectPause,
  keep_cadence: keepCadence,
  review_dossier: reviewDossier,
  assign_manager: assignManager,
  reduce_mono_client: reduceMonoClient,
  follow_up_lead: followUpLead,
  recheck_interest: recheckInterest,
  follow_up_near_client: followUpNearClient,
  wake_sleeping: dormant('wake_sleeping', ['sleeping', 're_engagement']),
  win_back_lost: dormant('win_back_lost', ['lost']),
  loyal_touch: loyalTouch,
  ask_referral: askReferral,
  review_bad_client: reviewBadClient,
};

/** A manager holding more key clients than one person can look after (docs/domain.md 5: 1–3). */
export function rebalanceManager(
  manager: string,
  keyClients: readonly { id: string; name: string | null }[],
  ctx: RuleContext,
): Draft | null {
  const cfg = ctx.settings.rules.rebalance_manager;
  if (!cfg.enabled || keyClients.length <= cfg.maxKeyClients) return null;
  const when = periodic(null, 'rebalance_manager', cfg.period, ctx);
  if (!when) return null;
  return {
    kind: 'rebalance_manager',
    clientId: null,
    clientName: null,
    manager,
    subject: manager,
    priority: cfg.priority,
    dueAt: when.dueAt,
    openedAt: when.openedAt,
    // It clears itself once key clients are reassigned; there is nothing to mark.
    canMarkDone: false,
    reason: {
      code: 'rebalance_manager',
      params: {
        manager,
        keyClients: keyClients.length,
        maxKeyClients: cfg.maxKeyClients,
        excess: keyClients.length - cfg.maxKeyClients,
      },
      rule: { code: 'rule_rebalance_manager', params: { maxKeyClients: cfg.maxKeyClients } },
      // Which key clients: the managers overview lists them with their names.
      signals: [],
    },
  };
}
