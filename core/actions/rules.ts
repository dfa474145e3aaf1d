import type {
  ActionKind,
  ActionPeriod,
  ActionReason,
  ActionSettings,
  Priority,
} from '../../schema/actions.ts';
import type { ClientAggregates } from '../../schema/clients.ts';
import { DAY_MS } from '../../schema/common.ts';
import { fmtDay, fmtMoney, fmtShare, plural } from '../segments/format.ts';
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
  reason: Partial<ActionReason> & Pick<ActionReason, 'rule' | 'text'>,
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
    reason: { numbers: {}, dates: {}, signals: [], ...reason },
  };
}

const doneNote = (done: string | null) => (done ? `; last marked done on ${fmtDay(done)}` : '');
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
      rule: `After a negative contact, no personal contact for ${plural(cfg.days, 'day')}; urgent matters go through other people`,
      text: `Negative contact on ${fmtDay(p.start)}: hold off personal contact until ${fmtDay(p.end)} (${plural(daysLeft, 'day')} left)`,
      numbers: { pauseDays: cfg.days, daysLeft },
      dates: { negativeContactAt: p.start, pauseEndsAt: p.end },
    },
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
  return draft(f, 'keep_cadence', cfg.priority, when, {
    rule: `A key client needs a positive contact at least every ${plural(cfg.days, 'day')}`,
    text: last
      ? `No positive contact for ${plural(daysSince ?? 0, 'day')} (last on ${fmtDay(last)}${doneNote(next.doneAt)})`
      : `No positive contact recorded with this key client${next.doneAt ? ` (cadence last marked done on ${fmtDay(next.doneAt)})` : ''}`,
    numbers: { cadenceDays: cfg.days, ...(daysSince !== null && { daysSinceContact: daysSince }) },
    dates: {
      ...(last && { lastPositiveContactAt: last }),
      ...(next.doneAt && { lastDoneAt: next.doneAt }),
      ...(pause && due === pause.end && { pauseEndedAt: pause.end }),
    },
    signals: [...(f.types.get('golden') ?? [])],
  });
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
  return draft(f, 'review_dossier', cfg.priority, when, {
    rule: `A key client's dossier is reviewed at least every ${plural(cfg.days, 'day')}`,
    text: reviewed
      ? `Dossier last reviewed on ${fmtDay(reviewed)}, ${plural(wholeDays(reviewed, ctx.asOfMs), 'day')} ago${doneNote(next.doneAt)}`
      : `No dossier yet for this key client${doneNote(next.doneAt)}`,
    numbers: {
      reviewDays: cfg.days,
      ...(reviewed && { daysSinceReview: wholeDays(reviewed, ctx.asOfMs) }),
    },
    dates: {
      ...(reviewed && { reviewedAt: reviewed }),
      ...(next.doneAt && { lastDoneAt: next.doneAt }),
    },
    signals: [...(f.types.get('golden') ?? [])],
  });
};

const assignManager: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.assign_manager;
  if (!f.key || f.manager !== null) return null;
  const when = periodic(f, 'assign_manager', cfg.period, ctx);
  if (!when) return null;
  return draft(f, 'assign_manager', cfg.priority, when, {
    rule: 'Every key client has a key-account manager (the client attribute manager)',
    text: 'Key client without a manager',
    signals: [...(f.types.get('golden') ?? [])],
  });
};

const reduceMonoClient: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.reduce_mono_client;
  if (!f.mono) return null;
  const when = periodic(f, 'reduce_mono_client', cfg.period, ctx);
  if (!when) return null;
  return draft(f, 'reduce_mono_client', cfg.priority, when, {
    rule: `A mono-client is a risk to reduce; reviewed once a ${cfg.period}`,
    text: `Brings ${fmtShare(f.mono.share)} of revenue or margin: grow other clients to reduce the dependence`,
    numbers: { share: f.mono.share },
    signals: [f.mono.message],
  });
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
  return draft(f, 'follow_up_lead', cfg.priority, when, {
    rule: `A qualified lead (contact data, a wish to buy, a budget) is followed up ${plural(cfg.afterDays, 'day')} after its last event`,
    text: `Qualified lead: ${f.lead.contact.text}, ${f.lead.wish.text}, ${f.lead.budget.text}; last event on ${fmtDay(firedAt)}${doneNote(next.doneAt)}`,
    numbers: {
      ...(f.lead.budget.amount !== null && { budget: f.lead.budget.amount }),
      afterDays: cfg.afterDays,
    },
    dates: { lastEventAt: firedAt, ...(next.doneAt && { lastDoneAt: next.doneAt }) },
    signals: [...(f.types.get('inquirer') ?? [])],
  });
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
  return draft(f, 'recheck_interest', f.lead.lead ? cfg.leadPriority : cfg.priority, when, {
    rule: 'A deferred "interest" result is re-checked on its re-check date',
    text: `Showed interest on ${fmtDay(interest)} and asked to come back later: re-check due ${fmtDay(recheck)}${f.lead.lead ? ' (a qualified lead)' : ''}`,
    numbers: { deferredDays: wholeDays(interest, toMs(recheck)) },
    dates: { interestAt: interest, recheckAt: recheck },
    signals: f.lead.lead ? [f.lead.contact.text, f.lead.wish.text, f.lead.budget.text] : [],
  });
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
  return draft(f, 'follow_up_near_client', cfg.priority, when, {
    rule: `A near-client (met us, did not buy) is followed up ${plural(cfg.afterDays, 'day')} after the last event, then every ${plural(cfg.repeatDays, 'day')}`,
    text: `Met us but has not bought; last event on ${fmtDay(firedAt)}, ${plural(wholeDays(firedAt, ctx.asOfMs), 'day')} ago${doneNote(next.doneAt)}`,
    numbers: { daysSinceLastEvent: wholeDays(firedAt, ctx.asOfMs) },
    dates: { lastEventAt: firedAt, ...(next.doneAt && { lastDoneAt: next.doneAt }) },
    signals: [...(f.types.get('near_client') ?? [])],
  });
};

// ---------------------------------------------------------------------------------------------
// Existing clients: asleep, lost, loyal, fans, bad (docs/domain.md 1.3, 5, 6)
// ---------------------------------------------------------------------------------------------

const dormant =
  (kind: 'wake_sleeping' | 'win_back_lost', stages: readonly string[], label: string): ClientRule =>
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
    return draft(f, kind, cfg.priority, when, {
      rule: `${label}; again every ${plural(cfg.repeatDays, 'day')} after an attempt`,
      text: `${s.stage} since ${fmtDay(firedAt)}${quiet !== null ? `; last purchase ${plural(quiet, 'day')} ago` : ''}; ${plural(a.orders, 'order')} worth ${fmtMoney(a.revenue)} so far${doneNote(next.doneAt)}`,
      numbers: {
        orders: a.orders,
        revenue: a.revenue,
        ...(quiet !== null && { daysSinceLastPurchase: quiet }),
        ...(a.medianGapDays !== null && { medianGapDays: a.medianGapDays }),
      },
      dates: {
        stageSince: firedAt,
        ...(a.lastPurchaseAt && { lastPurchaseAt: a.lastPurchaseAt }),
        ...(next.doneAt && { lastDoneAt: next.doneAt }),
      },
      signals: [...(f.types.get('sleeping') ?? [])],
    });
  };

const loyalTouch: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.loyal_touch;
  // Key clients keep the tighter cadence; during a pause nobody touches the client.
  if (!f.types.has('loyal') || f.key || activePause(f, ctx)) return null;
  const a = f.snapshot.aggregates;
  const touched = a.lastTouchAt ?? a.lastContactAt;
  const when = periodic(f, 'loyal_touch', cfg.period, ctx, touched);
  if (!when) return null;
  return draft(f, 'loyal_touch', cfg.priority, when, {
    rule: `One ${cfg.period}, one touch: a loyal client hears from us once per ${cfg.period}`,
    text: `No contact this ${cfg.period} yet (since ${fmtDay(when.start)})${touched ? `; last touch on ${fmtDay(touched)}` : ''}`,
    dates: { periodStart: when.start, ...(touched && { lastTouchAt: touched }) },
    signals: [...(f.types.get('loyal') ?? [])],
  });
};

const askReferral: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.ask_referral;
  if (!(f.types.has('loyal') || f.types.has('fan')) || f.types.has('bad') || activePause(f, ctx))
    return null;
  const last = f.snapshot.aggregates.lastReferralAt;
  const when = periodic(f, 'ask_referral', cfg.period, ctx, last);
  if (!when) return null;
  const who = f.types.has('fan') ? 'a fan' : 'a loyal client';
  return draft(f, 'ask_referral', cfg.priority, when, {
    rule: `Ask loyal clients and fans for a referral once per ${cfg.period}`,
    text: `${who[0]!.toUpperCase()}${who.slice(1)} with no referral this ${cfg.period}${last ? ` (last referral on ${fmtDay(last)})` : ''}`,
    numbers: { referrals: f.snapshot.aggregates.referrals },
    dates: { periodStart: when.start, ...(last && { lastReferralAt: last }) },
    signals: [...(f.types.get('fan') ?? []), ...(f.types.get('loyal') ?? [])],
  });
};

const reviewBadClient: ClientRule = (f, ctx) => {
  const cfg = ctx.settings.rules.review_bad_client;
  const signals = f.types.get('bad');
  if (!signals) return null;
  const when = periodic(f, 'review_bad_client', cfg.period, ctx);
  if (!when) return null;
  return draft(f, 'review_bad_client', cfg.priority, when, {
    rule: `Review a bad client's terms once per ${cfg.period} while its signals last`,
    text: `Bad-client signals: ${signals.join('; ')}`,
    dates: { periodStart: when.start },
    signals: [...signals],
  });
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
  wake_sleeping: dormant(
    'wake_sleeping',
    ['sleeping', 're_engagement'],
    'A sleeping client is woken: cheaper than winning a new one',
  ),
  win_back_lost: dormant('win_back_lost', ['lost'], 'A lost client is offered a way back'),
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
      rule: `One key-account manager handles at most ${plural(cfg.maxKeyClients, 'key client')}`,
      text: `${manager} holds ${plural(keyClients.length, 'key client')}, ${keyClients.length - cfg.maxKeyClients} more than ${cfg.maxKeyClients}: hand some to another manager`,
      numbers: { keyClients: keyClients.length, maxKeyClients: cfg.maxKeyClients },
      dates: { periodStart: when.start },
      signals: keyClients.map((c) => (c.name ? `${c.name} (${c.id})` : c.id)),
    },
  };
}
