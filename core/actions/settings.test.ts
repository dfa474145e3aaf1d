import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ActionListQuerySchema, ActionSettingsSchema } from '../../schema/actions.ts';
import { DossierBodySchema } from '../../schema/dossier.ts';
import { SettingsSchema } from '../../schema/settings.ts';

const paths = (schema: v.GenericSchema, input: unknown) => {
  const r = v.safeParse(schema, input);
  return r.success
    ? []
    : [...new Set(r.issues.map((i) => i.path?.map((p) => p.key).join('.') ?? '(root)'))];
};

describe('action settings', () => {
  it('{} is docs/domain.md’s defaults', () => {
    const s = v.parse(SettingsSchema, {}).actions;
    expect(s.rules.keep_cadence.days).toBe(10);
    expect(s.rules.respect_pause.days).toBe(14);
    expect(s.rules.review_dossier.days).toBe(90);
    expect(s.rules.rebalance_manager.maxKeyClients).toBe(3);
    expect(s.rules.loyal_touch.period).toBe('month');
    expect(s).toMatchObject({
      lookaheadDays: 0,
      supervisors: {},
      leads: {
        contactAttributes: ['email', 'phone'],
        wishAttribute: 'wishToBuy',
        budgetAttribute: 'budget',
      },
    });
  });

  it.each([
    [{ lookaheadDays: -1 }, 'lookaheadDays'],
    [{ rules: { keep_cadence: { days: 0 } } }, 'rules.keep_cadence.days'],
    [{ rules: { respect_pause: { days: 1.5 } } }, 'rules.respect_pause.days'],
    [{ rules: { loyal_touch: { period: 'fortnight' } } }, 'rules.loyal_touch.period'],
    [{ rules: { ask_referral: { priority: 4 } } }, 'rules.ask_referral.priority'],
    [
      { rules: { rebalance_manager: { maxKeyClients: 0 } } },
      'rules.rebalance_manager.maxKeyClients',
    ],
    [{ rules: { nope: {} } }, 'rules.nope'],
    [{ rules: { wake_sleeping: { enabled: 'yes' } } }, 'rules.wake_sleeping.enabled'],
    [{ supervisors: { irina: 'anna' } }, 'supervisors.irina'],
    [{ supervisors: { irina: ['anna'], oleg: ['anna'] } }, 'supervisors'],
    [{ leads: { contactAttributes: [''] } }, 'leads.contactAttributes.0'],
  ])('%j names %s', (input, path) => {
    expect(paths(ActionSettingsSchema, input)).toEqual([path]);
  });
});

describe('work-list query and dossier body', () => {
  it.each([
    [{ kind: 'keep_cadence,dance' }, 'kind'],
    [{ clientId: '' }, 'clientId'],
    [{ manager: '' }, 'manager'],
    [{ dueBefore: 'tomorrow' }, 'dueBefore'],
    [{ asOf: '2025-13-01' }, 'asOf'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ sort: 'x' }, 'sort'],
  ])('%j names %s', (input, path) => {
    expect(paths(ActionListQuerySchema, input)).toEqual([path]);
  });

  it('parses a list of kinds', () => {
    expect(
      v.parse(ActionListQuerySchema, { kind: 'keep_cadence,respect_pause,keep_cadence' }).kind,
    ).toEqual(['keep_cadence', 'respect_pause']);
  });

  it.each([
    [{ relationship: [{ criterion: 'Price', score: 5 }] }, 'relationship.0.score'],
    [
      {
        relationship: [
          { criterion: 'Price', score: 2 },
          { criterion: 'price', score: 3 },
        ],
      },
      'relationship',
    ],
    [{ qualification: { need: { met: 'yes' } } }, 'qualification.need.met'],
    [{ decisionMakers: [{ name: 'A', influence: 'boss' }] }, 'decisionMakers.0.influence'],
    [{ history: [{ at: 'yesterday', text: 'x' }] }, 'history.0.at'],
    [{ reviewedAt: 'x' }, 'reviewedAt'],
    [{ secret: 1 }, 'secret'],
  ])('dossier %j names %s', (input, path) => {
    expect(paths(DossierBodySchema, input)).toEqual([path]);
  });
});
