import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EventSchema } from '../../schema/events.ts';
import { deriveClient } from '../lifecycle/derive.ts';
import { LifecycleSettingsSchema } from '../../schema/lifecycle.ts';

const settings = v.parse(LifecycleSettingsSchema, {});
const ev = (e: Record<string, unknown>) => v.parse(EventSchema, e);

describe('aggregates for the work list', () => {
  const events = [
    ev({ id: 'p1', clientId: 'c', type: 'purchase', at: '2025-01-01', amount: 100 }),
    ev({
      id: 'd1',
      clientId: 'c',
      type: 'action_done',
      at: '2025-01-05',
      actionKind: 'keep_cadence',
      actionId: 'keep_cadence:2025-01-11:c',
    }),
    ev({
      id: 'd2',
      clientId: 'c',
      type: 'action_done',
      at: '2025-01-20',
      actionKind: 'keep_cadence',
    }),
    ev({
      id: 'd3',
      clientId: 'c',
      type: 'action_done',
      at: '2025-01-10',
      actionKind: 'loyal_touch',
      note: 'called',
    }),
    ev({ id: 'm1', clientId: 'c', type: 'meeting', at: '2025-01-07' }),
    ev({ id: 'r1', clientId: 'c', type: 'review', at: '2025-01-09', rating: 5 }),
  ];

  it('keeps the last done instant per kind, whatever the arrival order', () => {
    for (const order of [events, [...events].reverse()]) {
      const { aggregates } = deriveClient(order, settings);
      expect(aggregates.actionsDone).toEqual({
        keep_cadence: '2025-01-20T00:00:00.000Z',
        loyal_touch: '2025-01-10T00:00:00.000Z',
      });
    }
  });

  it('does not count a done mark as client activity', () => {
    const { aggregates } = deriveClient(events, settings);
    expect(aggregates.events).toBe(3);
    expect(aggregates.lastEventAt).toBe('2025-01-09T00:00:00.000Z');
  });

  it('lastTouchAt is our last contact, meeting, outreach or offer; a review is not one', () => {
    expect(deriveClient(events, settings).aggregates.lastTouchAt).toBe('2025-01-07T00:00:00.000Z');
    const more = [
      ...events,
      ev({ id: 'c1', clientId: 'c', type: 'contact', at: '2025-01-08', sentiment: 'neutral' }),
    ];
    expect(deriveClient(more, settings).aggregates.lastTouchAt).toBe('2025-01-08T00:00:00.000Z');
  });

  it('an action_done names a known kind and a well-formed item id', () => {
    const bad = v.safeParse(EventSchema, {
      id: 'x',
      clientId: 'c',
      type: 'action_done',
      at: '2025-01-01',
      actionKind: 'dance',
      actionId: 'nope',
    });
    expect(bad.success).toBe(false);
    expect([...new Set(bad.issues?.map((i) => i.path?.map((p) => p.key).join('.')))]).toEqual([
      'actionKind',
      'actionId',
    ]);
  });
});
