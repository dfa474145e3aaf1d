import * as v from 'valibot';
import {
  type ActionSettings,
  ActionSettingsSchema,
  type LeadQualification,
} from '../../schema/actions.ts';
import type { ClientAggregates } from '../../schema/clients.ts';
import type { Stage } from '../../schema/lifecycle.ts';
import { snapshot } from '../segments/fixtures.ts';
import { addDays } from '../time.ts';
import type { ClientFacts } from './facts.ts';

/** Test helpers: clients described by the facts a rule reads, so each test states only those. */

export const settingsOf = (patch: Record<string, unknown> = {}): ActionSettings =>
  v.parse(ActionSettingsSchema, patch);

export const NOT_A_LEAD: LeadQualification = {
  lead: false,
  contact: { met: false, via: [], text: 'no contact data' },
  wish: { met: false, via: null, text: 'no stated wish to buy' },
  budget: { met: false, amount: null, text: 'no budget' },
  missing: ['contact', 'wish', 'budget'],
};
export const A_LEAD: LeadQualification = {
  lead: true,
  contact: { met: true, via: ['email'], text: 'contact data: email' },
  wish: { met: true, via: 'attribute', text: 'wish to buy stated (wishToBuy)' },
  budget: { met: true, amount: 5000, text: 'budget 5,000' },
  missing: [],
};

export interface FactSpec {
  name?: string;
  key?: boolean;
  manager?: string | null;
  types?: Record<string, string[]>;
  stage?: Stage | null;
  stageSince?: string | null;
  aggregates?: Partial<ClientAggregates>;
  reviewedAt?: string | null;
  mono?: { share: number; message: string } | null;
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
  if (spec.key) types.set('golden', types.get('golden') ?? ['30% of revenue (key from 10%)']);
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
