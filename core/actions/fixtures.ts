import * as v from 'valibot';
import {
  type ActionSettings,
  ActionSettingsSchema,
  type LeadQualification,
} from '../../schema/actions.ts';
import type { ClientAggregates } from '../../schema/clients.ts';
import type { Stage } from '../../schema/lifecycle.ts';
import { snapshot } from '../segments/fixtures.ts';
import type { Reason } from '../../schema/reasons.ts';
import { addDays } from '../time.ts';
import type { ClientFacts } from './facts.ts';

/** Test helpers: clients described by the facts a rule reads, so each test states only those. */

export const settingsOf = (patch: Record<string, unknown> = {}): ActionSettings =>
  v.parse(ActionSettingsSchema, patch);

export const NOT_A_LEAD: LeadQualification = {
  lead: false,
  contact: { met: false, via: [], code: 'lead_no_contact', params: { attributes: ['email'] } },
  wish: { met: false, via: null, code: 'lead_no_wish', params: { attribute: 'wishToBuy' } },
  budget: { met: false, amount: null, code: 'lead_no_budget', params: { attribute: 'budget' } },
  missing: ['contact', 'wish', 'budget'],
};
export const A_LEAD: LeadQualification = {
  lead: true,
  contact: { met: true, via: ['email'], code: 'lead_contact', params: { via: ['email'] } },
  wish: {
    met: true,
    via: 'attribute',
    code: 'lead_wish_stated',
    params: { attribute: 'wishToBuy' },
  },
  budget: { met: true, amount: 5000, code: 'lead_budget', params: { amount: 5000 } },
  missing: [],
};

/** The reason a test's key client is key. */
export const KEY_REASON: Reason = {
  code: 'key_revenue_share',
  params: { share: 0.3, threshold: 0.1 },
};

export interface FactSpec {
  name?: string;
  key?: boolean;
  manager?: string | null;
  types?: Record<string, Reason[]>;
  stage?: Stage | null;
  stageSince?: string | null;
  aggregates?: Partial<ClientAggregates>;
  reviewedAt?: string | null;
  mono?: { share: number; reason: Reason } | null;
  lead?: LeadQualification;
}

export function fact(id: string, spec: FactSpec = {}): ClientFacts {
  const s = snapshot(id, {
    stage: spec.stage ?? null,
    stageSince: spec.stageSince ?? null,
    aggregates: spec.aggregates ?? {},
  });
  s.name = spec.name ?? `Client ${id}`;
  const types = new Map(Object.entries(spec.types ?? {}));
  if (spec.key) types.set('golden', types.get('golden') ?? [KEY_REASON]);
  return {
    snapshot: s,
    manager: spec.manager === undefined ? 'anna' : spec.manager,
    types,
    key: types.has('golden'),
    mono: spec.mono ?? null,
    reviewedAt: spec.reviewedAt ?? null,
    lead: spec.lead ?? NOT_A_LEAD,
  };
}

/** `at(T, 10)`: ten days after T; fractions for hours. */
export const at = (iso: string, days: number): string => addDays(iso, days);
