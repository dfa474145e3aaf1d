import { describe, expect, it } from 'vitest';
import type { ActionKind } from '../../schema/actions.ts';
import { deriveActions } from './engine.ts';
import type { Reason } from '../../schema/reasons.ts';
import { renderReason } from '../messages/render.ts';

const en = (r: unknown) => renderReason(r as Reason, 'en');
const LOYAL: Reason = {
  code: 'loyal_tenure',
  params: { days: 730, firstPurchaseAt: '2023-03-01T00:00:00.000Z' },
};
const NEAR_MET: Reason = { code: 'near_met', params: { meetings: 1 } };
const NO_PURCHASE: Reason = { code: 'no_purchase', params: {} };
const MONO: Reason = {
  code: 'mono_client',
  params: { client: 'c1', share: 0.62, basis: 'revenue', threshold: 0.5 },
};
const LATE: Reason = {
  code: 'bad_late_payments',
  params: { late: 3, payments: 4, maxDaysLate: 70 },
};
import { A_LEAD, at, fact, type FactSpec, settingsOf } from './fixtures.ts';

const T = '2025-03-03T10:00:00.000Z';

/** The items of one kind the engine lists for one client at `asOf`. */
function itemsOf(kind: ActionKind, spec: FactSpec, asOf: string, settings = settingsOf()) {
  return deriveActions([fact('c1', spec)], settings, asOf).filter((i) => i.kind === kind);
}

describe('keep_cadence: a positive contact with a key client every 10 days', () => {
  const key = { key: true, aggregates: { lastPositiveContactAt: T, firstPurchaseAt: at(T, -400) } };
  it.each([
    ['the day before (9 days after the contact)', 9, null],
    ['the day of (10 days)', 10, 0],
    ['the day after (11 days)', 11, 1],
  ])('%s', (_label, days, overdue) => {
    const items = itemsOf('keep_cadence', key, at(T, days));
    if (overdue === null) expect(items).toEqual([]);
    else {
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        id: 'keep_cadence:2025-03-13:c1',
        dueAt: at(T, 10),
        overdueDays: overdue,
        priority: 1,
        manager: 'anna',
        clientName: 'Client c1',
      });
      expect(items[0]!.reason.params).toEqual({
        daysSinceContact: days,
        lastContactAt: at(T, 0),
        doneAt: null,
      });
      expect(items[0]!.reason.rule).toEqual({ code: 'rule_keep_cadence', params: { days: 10 } });
      expect(en(items[0]!.reason)).toBe(
        `No positive contact for ${days} days (last on Mar 3, 2025)`,
      );
    }
  });

  it('asks nothing of a client that is not key', () => {
    expect(itemsOf('keep_cadence', { ...key, key: false }, at(T, 30))).toEqual([]);
  });

  it('a neutral or negative contact does not reset the cadence; a positive one does', () => {
    const neutral = { ...key, aggregates: { ...key.aggregates, lastContactAt: at(T, 5) } };
    expect(itemsOf('keep_cadence', neutral, at(T, 10))).toHaveLength(1);
    const positive = { ...key, aggregates: { ...key.aggregates, lastPositiveContactAt: at(T, 5) } };
    expect(itemsOf('keep_cadence', positive, at(T, 10))).toEqual([]);
  });

  it('marked done, it falls due again 10 days after the day it was done, under a new id', () => {
    const done = {
      ...key,
      aggregates: { ...key.aggregates, actionsDone: { keep_cadence: at(T, 11) } },
    };
    expect(itemsOf('keep_cadence', done, at(T, 20))).toEqual([]);
    const again = itemsOf('keep_cadence', done, at(T, 21));
    expect(again.map((i) => i.id)).toEqual(['keep_cadence:2025-03-24:c1']);
    expect(again[0]!.reason.params.doneAt).toBe(at(T, 11));
  });

  it('a key client never contacted positively is due 10 days after its first purchase', () => {
    const items = itemsOf(
      'keep_cadence',
      { key: true, aggregates: { firstPurchaseAt: T } },
      at(T, 40),
    );
    expect(items[0]).toMatchObject({ dueAt: at(T, 10), overdueDays: 30 });
    expect(en(items[0]!.reason)).toBe('No positive contact recorded with this key client');
  });

  it('follows the workspace cadence and the look-ahead', () => {
    const settings = settingsOf({ lookaheadDays: 3, rules: { keep_cadence: { days: 7 } } });
    expect(itemsOf('keep_cadence', key, at(T, 3.9), settings)).toEqual([]);
    expect(itemsOf('keep_cadence', key, at(T, 4), settings)).toMatchObject([
      { dueAt: at(T, 7), openedAt: at(T, 4), overdueDays: 0 },
    ]);
  });
});

describe('respect_pause: no personal contact for 14 days after a negative contact', () => {
  // The last positive contact is long past, so without the pause the cadence would be overdue.
  const spec = {
    key: true,
    aggregates: {
      lastPositiveContactAt: at(T, -30),
      lastNegativeContactAt: T,
      firstPurchaseAt: at(T, -400),
    },
  };
  it.each([
    ['the day before the pause ends (13 days)', 13, true],
    ['the day it ends (14 days)', 14, false],
    ['the day after (15 days)', 15, false],
  ])('%s', (_label, days, paused) => {
    const all = deriveActions([fact('c1', spec)], settingsOf(), at(T, days));
    const pause = all.filter((i) => i.kind === 'respect_pause');
    const cadence = all.filter((i) => i.kind === 'keep_cadence');
    if (paused) {
      expect(pause).toMatchObject([
        { id: 'respect_pause:2025-03-17:c1', dueAt: at(T, 14), openedAt: T, overdueDays: 0 },
      ]);
      expect(pause[0]!.reason.params).toMatchObject({ daysLeft: 1 });
      expect(pause[0]!.reason.rule.params).toEqual({ days: 14 });
      expect(cadence).toEqual([]);
    } else {
      expect(pause).toEqual([]);
      // The cadence resumes when the pause ends, not back-dated to before it.
      expect(cadence).toMatchObject([{ dueAt: at(T, 14), overdueDays: days - 14 }]);
    }
  });

  it('is listed from the negative contact itself', () => {
    expect(itemsOf('respect_pause', spec, at(T, -0.01))).toEqual([]);
    expect(itemsOf('respect_pause', spec, T)).toHaveLength(1);
  });

  it('a positive contact after the negative one ends the pause', () => {
    const mended = { ...spec, aggregates: { ...spec.aggregates, lastPositiveContactAt: at(T, 2) } };
    expect(itemsOf('respect_pause', mended, at(T, 3))).toEqual([]);
  });

  it('applies to any client, and marking it done hides it for this pause only', () => {
    const plain = { aggregates: { lastNegativeContactAt: T } };
    expect(itemsOf('respect_pause', plain, at(T, 1))).toHaveLength(1);
    const done = {
      aggregates: { lastNegativeContactAt: T, actionsDone: { respect_pause: at(T, 1) } },
    };
    expect(itemsOf('respect_pause', done, at(T, 2))).toEqual([]);
    const newPause = {
      aggregates: { lastNegativeContactAt: at(T, 3), actionsDone: { respect_pause: at(T, 1) } },
    };
    expect(itemsOf('respect_pause', newPause, at(T, 4))).toHaveLength(1);
  });

  it('holds loyal touches and referral requests too', () => {
    const loyal = {
      types: { loyal: [LOYAL] },
      aggregates: { lastNegativeContactAt: at(T, -1) },
    };
    const asOf = '2025-03-05T00:00:00.000Z';
    expect(itemsOf('loyal_touch', loyal, asOf)).toEqual([]);
    expect(itemsOf('ask_referral', loyal, asOf)).toEqual([]);
    expect(itemsOf('loyal_touch', { ...loyal, aggregates: {} }, asOf)).toHaveLength(1);
  });
});

describe('review_dossier: a key client dossier every 90 days', () => {
  const spec = { key: true, reviewedAt: T, aggregates: { firstPurchaseAt: at(T, -400) } };
  it.each([
    ['the day before (89 days)', 89, null],
    ['the day of (90 days)', 90, 0],
    ['the day after (91 days)', 91, 1],
  ])('%s', (_label, days, overdue) => {
    const items = itemsOf('review_dossier', spec, at(T, days));
    if (overdue === null) expect(items).toEqual([]);
    else {
      expect(items).toMatchObject([
        { id: 'review_dossier:2025-06-01:c1', dueAt: at(T, 90), overdueDays: overdue },
      ]);
      expect(items[0]!.reason.params).toMatchObject({ daysSinceReview: days });
      expect(items[0]!.reason.rule.params).toEqual({ days: 90 });
    }
  });

  it('a key client without a dossier needs one now', () => {
    const items = itemsOf(
      'review_dossier',
      { key: true, aggregates: { firstPurchaseAt: at(T, -10) } },
      T,
    );
    expect(items).toMatchObject([{ dueAt: at(T, -10), overdueDays: 10 }]);
    expect(en(items[0]!.reason)).toBe('No dossier yet for this key client');
  });

  it('only key clients', () => {
    expect(itemsOf('review_dossier', { ...spec, key: false }, at(T, 200))).toEqual([]);
  });
});

describe('rebalance_manager: at most 3 key clients per manager', () => {
  const team = (n: number, manager = 'boris') =>
    Array.from({ length: n }, (_, i) =>
      fact(`k${i}`, { key: true, manager, aggregates: { lastPositiveContactAt: T } }),
    );
  it.each([
    [2, false],
    [3, false],
    [4, true],
  ])('%i key clients: warned %s', (n, warned) => {
    const items = deriveActions(
      [...team(n), fact('small', { manager: 'boris' })],
      settingsOf(),
      T,
    ).filter((i) => i.kind === 'rebalance_manager');
    if (!warned) expect(items).toEqual([]);
    else {
      expect(items).toMatchObject([
        {
          id: 'rebalance_manager:2025-03-31:boris',
          clientId: null,
          manager: 'boris',
          canMarkDone: false,
          openedAt: '2025-03-01T00:00:00.000Z',
        },
      ]);
      expect(items[0]!.reason.params).toMatchObject({ keyClients: 4, maxKeyClients: 3, excess: 1 });
      expect(en(items[0]!.reason)).toBe(
        'boris holds 4 key clients, 1 more than 3: hand some to another manager',
      );
    }
  });

  it('follows the workspace limit', () => {
    const items = deriveActions(
      team(2),
      settingsOf({ rules: { rebalance_manager: { maxKeyClients: 1 } } }),
      T,
    ).filter((i) => i.kind === 'rebalance_manager');
    expect(items).toHaveLength(1);
  });

  it('a key client without a manager asks for one', () => {
    const items = deriveActions(
      [fact('k', { key: true, manager: null, aggregates: { lastPositiveContactAt: T } })],
      settingsOf(),
      T,
    );
    expect(items.filter((i) => i.kind === 'assign_manager')).toMatchObject([
      { manager: null, clientId: 'k' },
    ]);
    expect(items.filter((i) => i.kind === 'rebalance_manager')).toEqual([]);
  });
});

describe('loyal_touch: one touch per period', () => {
  const lastTouch = '2025-03-31T10:00:00.000Z';
  const loyal = { types: { loyal: [LOYAL] }, aggregates: { lastTouchAt: lastTouch } };
  it.each([
    ['the last day of the touched month', '2025-03-31T23:00:00.000Z', false],
    ['the first day of the next month', '2025-04-01T00:00:00.000Z', true],
    ['the day after', '2025-04-02T00:00:00.000Z', true],
  ])('%s', (_label, asOf, listed) => {
    const items = itemsOf('loyal_touch', loyal, asOf);
    if (!listed) expect(items).toEqual([]);
    else {
      expect(items).toMatchObject([
        {
          id: 'loyal_touch:2025-04-30:c1',
          openedAt: '2025-04-01T00:00:00.000Z',
          dueAt: '2025-04-30T00:00:00.000Z',
          priority: 2,
        },
      ]);
      expect(items[0]!.reason.params).toEqual({
        periodStart: '2025-04-01T00:00:00.000Z',
        lastTouchAt: lastTouch,
      });
    }
  });

  it('a touch or a done mark within the period clears it until the next period', () => {
    const touched = { ...loyal, aggregates: { lastTouchAt: '2025-04-02T09:00:00.000Z' } };
    expect(itemsOf('loyal_touch', touched, '2025-04-20T00:00:00.000Z')).toEqual([]);
    const done = {
      ...loyal,
      aggregates: {
        lastTouchAt: lastTouch,
        actionsDone: { loyal_touch: '2025-04-02T09:00:00.000Z' },
      },
    };
    expect(itemsOf('loyal_touch', done, '2025-04-30T23:00:00.000Z')).toEqual([]);
    expect(itemsOf('loyal_touch', done, '2025-05-01T00:00:00.000Z').map((i) => i.id)).toEqual([
      'loyal_touch:2025-05-31:c1',
    ]);
  });

  it('the period is a setting: a quarter', () => {
    const settings = settingsOf({ rules: { loyal_touch: { period: 'quarter' } } });
    expect(itemsOf('loyal_touch', loyal, '2025-04-01T00:00:00.000Z', settings)).toMatchObject([
      { dueAt: '2025-06-30T00:00:00.000Z' },
    ]);
    expect(
      itemsOf(
        'loyal_touch',
        { ...loyal, aggregates: { lastTouchAt: '2025-04-10T00:00:00.000Z' } },
        '2025-06-30T00:00:00.000Z',
        settings,
      ),
    ).toEqual([]);
  });

  it('not for key clients (the 10-day cadence covers them) nor for clients that are not loyal', () => {
    expect(itemsOf('loyal_touch', { ...loyal, key: true }, '2025-04-02T00:00:00.000Z')).toEqual([]);
    expect(
      itemsOf(
        'loyal_touch',
        { aggregates: { lastTouchAt: lastTouch } },
        '2025-04-02T00:00:00.000Z',
      ),
    ).toEqual([]);
  });
});

describe('the pipeline: re-checked interest, leads, near-clients', () => {
  const interest = { aggregates: { lastInterestAt: T, interestRecheckAt: at(T, 30) } };
  it.each([
    [29, 0],
    [30, 1],
    [31, 1],
  ])('recheck_interest %i days after the interest: %i item', (days, n) => {
    const items = itemsOf('recheck_interest', interest, at(T, days));
    expect(items).toHaveLength(n);
    if (n)
      expect(items[0]).toMatchObject({
        id: 'recheck_interest:2025-04-02:c1',
        priority: 2,
        dueAt: at(T, 30),
      });
  });

  it('a purchase or a refusal since the interest answered it; done hides it until a new interest', () => {
    expect(
      itemsOf(
        'recheck_interest',
        { aggregates: { ...interest.aggregates, lastPurchaseAt: at(T, 1) } },
        at(T, 40),
      ),
    ).toEqual([]);
    expect(
      itemsOf(
        'recheck_interest',
        {
          aggregates: {
            ...interest.aggregates,
            lastRefusal: { at: at(T, 1), by: 'client', reason: 'price', kind: null },
          },
        },
        at(T, 40),
      ),
    ).toEqual([]);
    expect(
      itemsOf(
        'recheck_interest',
        { aggregates: { ...interest.aggregates, actionsDone: { recheck_interest: at(T, 31) } } },
        at(T, 90),
      ),
    ).toEqual([]);
  });

  it('a qualified lead re-checks at high priority', () => {
    expect(itemsOf('recheck_interest', { ...interest, lead: A_LEAD }, at(T, 30))).toMatchObject([
      { priority: 1 },
    ]);
  });

  it('follow_up_lead: an inquirer that is a lead, a day after its last event, then weekly after a follow-up', () => {
    const lead = {
      types: { inquirer: [{ code: 'inquirer' as const, params: { contacts: { request: 1 } } }] },
      lead: A_LEAD,
      aggregates: { lastEventAt: T },
    };
    expect(itemsOf('follow_up_lead', lead, at(T, 0.9))).toEqual([]);
    expect(itemsOf('follow_up_lead', lead, at(T, 1))).toMatchObject([
      { priority: 1, dueAt: at(T, 1) },
    ]);
    expect(itemsOf('follow_up_lead', { ...lead, lead: undefined }, at(T, 5))).toEqual([]);
    const done = {
      ...lead,
      aggregates: { lastEventAt: T, actionsDone: { follow_up_lead: at(T, 2) } },
    };
    expect(itemsOf('follow_up_lead', done, at(T, 8.9))).toEqual([]);
    expect(itemsOf('follow_up_lead', done, at(T, 9))).toMatchObject([{ dueAt: at(T, 9) }]);
  });

  it('follow_up_near_client: 7 days after the last event', () => {
    const near = {
      types: { near_client: [NEAR_MET, NO_PURCHASE] },
      aggregates: { lastEventAt: T },
    };
    expect(itemsOf('follow_up_near_client', near, at(T, 6))).toEqual([]);
    const items = itemsOf('follow_up_near_client', near, at(T, 8));
    expect(items).toMatchObject([{ dueAt: at(T, 7), overdueDays: 1 }]);
    expect(items[0]!.reason.signals).toEqual([NEAR_MET, NO_PURCHASE]);
  });
});

describe('asleep and lost', () => {
  it('wake_sleeping: from the day the client fell asleep, again 30 days after an attempt', () => {
    const sleeping = {
      stage: 'sleeping' as const,
      stageSince: T,
      aggregates: { lastPurchaseAt: at(T, -100), orders: 4, revenue: 1200 },
    };
    const items = itemsOf('wake_sleeping', sleeping, at(T, 1));
    expect(items).toMatchObject([{ id: 'wake_sleeping:2025-03-03:c1', overdueDays: 1 }]);
    expect(items[0]!.reason.params).toMatchObject({
      orders: 4,
      revenue: 1200,
      daysSinceLastPurchase: 101,
    });
    const tried = {
      ...sleeping,
      aggregates: { ...sleeping.aggregates, actionsDone: { wake_sleeping: at(T, 2) } },
    };
    expect(itemsOf('wake_sleeping', tried, at(T, 31))).toEqual([]);
    expect(itemsOf('wake_sleeping', tried, at(T, 32))).toMatchObject([
      { id: 'wake_sleeping:2025-04-04:c1' },
    ]);
  });

  it('win_back_lost: lost clients at low priority', () => {
    expect(itemsOf('win_back_lost', { stage: 'lost', stageSince: T }, at(T, 5))).toMatchObject([
      { priority: 3 },
    ]);
    expect(itemsOf('win_back_lost', { stage: 'sleeping', stageSince: T }, at(T, 5))).toEqual([]);
  });
});

describe('portfolio flags: mono-client, bad clients, referrals', () => {
  const asOf = '2025-05-10T00:00:00.000Z';
  it('reduce_mono_client: monthly while the client stays a mono-client', () => {
    const items = itemsOf('reduce_mono_client', { mono: { share: 0.62, reason: MONO } }, asOf);
    expect(items).toMatchObject([{ id: 'reduce_mono_client:2025-05-31:c1', priority: 1 }]);
    expect(items[0]!.reason.signals).toEqual([MONO]);
    expect(
      itemsOf(
        'reduce_mono_client',
        {
          mono: { share: 0.62, reason: MONO },
          aggregates: { actionsDone: { reduce_mono_client: '2025-05-02T00:00:00.000Z' } },
        },
        asOf,
      ),
    ).toEqual([]);
  });

  it('review_bad_client: quarterly with the signals that fired', () => {
    const items = itemsOf('review_bad_client', { types: { bad: [LATE] } }, asOf);
    expect(items).toMatchObject([{ dueAt: '2025-06-30T00:00:00.000Z' }]);
    expect(en(items[0]!.reason)).toBe('Bad-client signals: 3 of 4 payments late (max 70 days)');
  });

  it('ask_referral: loyal clients and fans once a quarter, unless they referred someone in it; never bad ones', () => {
    expect(
      itemsOf(
        'ask_referral',
        { types: { fan: [{ code: 'fan_referrals', params: { count: 1 } }] } },
        asOf,
      ),
    ).toHaveLength(1);
    expect(
      itemsOf(
        'ask_referral',
        {
          types: { loyal: [NO_PURCHASE] },
          aggregates: { lastReferralAt: '2025-04-02T00:00:00.000Z' },
        },
        asOf,
      ),
    ).toEqual([]);
    expect(
      itemsOf(
        'ask_referral',
        {
          types: { loyal: [NO_PURCHASE] },
          aggregates: { lastReferralAt: '2025-03-31T00:00:00.000Z' },
        },
        asOf,
      ),
    ).toHaveLength(1);
    expect(itemsOf('ask_referral', { types: { fan: [NO_PURCHASE], bad: [LATE] } }, asOf)).toEqual(
      [],
    );
  });
});

describe('settings switch rules off and set priorities', () => {
  it('a disabled kind is never listed; a priority is the workspace’s', () => {
    const spec = { stage: 'lost' as const, stageSince: T };
    expect(
      itemsOf(
        'win_back_lost',
        spec,
        at(T, 1),
        settingsOf({ rules: { win_back_lost: { enabled: false } } }),
      ),
    ).toEqual([]);
    expect(
      itemsOf(
        'win_back_lost',
        spec,
        at(T, 1),
        settingsOf({ rules: { win_back_lost: { priority: 1 } } }),
      ),
    ).toMatchObject([{ priority: 1 }]);
  });
});
