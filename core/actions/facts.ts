import type { ActionSettings, LeadQualification } from '../../schema/actions.ts';
import type { ClientSnapshot } from '../../schema/clients.ts';
import type { Reason } from '../../schema/reasons.ts';
import type { StageModelName } from '../../schema/lifecycle.ts';
import type { SegmentSettings } from '../../schema/segments.ts';
import { classifyAll } from '../segments/client-types.ts';
import { portfolio } from '../segments/portfolio.ts';
import { managerOf } from './access.ts';
import { qualifyLead } from './qualify.ts';

/** What the work-list rules read about one client; built once per list from the whole workspace. */
export interface ClientFacts {
  snapshot: ClientSnapshot;
  manager: string | null;
  /** Client type → the reasons segmentation gave (docs/domain.md 3). */
  types: ReadonlyMap<string, readonly Reason[]>;
  /** A key client: the `golden` type (top revenue or margin share, or set by hand). */
  key: boolean;
  /** The portfolio's mono-client warning about this client, if any. */
  mono: { share: number; reason: Reason } | null;
  /** When the client's dossier was last reviewed; null without a dossier. */
  reviewedAt: string | null;
  lead: LeadQualification;
}

export interface FactSettings {
  segments: SegmentSettings;
  model: StageModelName;
  actions: ActionSettings;
}

/**
 * The adapter between segmentation and the work list: client types with their reasons, key
 * clients and mono-clients come from `core/segments`, so the list and the profile never disagree.
 */
export function gatherFacts(
  snapshots: readonly ClientSnapshot[],
  settings: FactSettings,
  reviewDates: ReadonlyMap<string, string>,
  asOf: string,
): ClientFacts[] {
  const types = classifyAll(snapshots, settings.segments, asOf);
  const health = portfolio(
    snapshots,
    { asOf, months: settings.segments.windowMonths, model: settings.model },
    settings.segments,
  );
  const mono = new Map(
    health.warnings
      .filter((w) => w.code === 'mono_client' && w.clientId !== undefined)
      .map((w) => [
        w.clientId!,
        { share: w.share ?? 0, reason: { code: w.code, params: w.params } as Reason },
      ]),
  );
  return snapshots.map((s) => {
    const entries = types.get(s.id) ?? [];
    const typeMap = new Map(entries.map((e) => [e.type, e.reasons]));
    return {
      snapshot: s,
      manager: managerOf(s.attributes),
      types: typeMap,
      key: typeMap.has('golden'),
      mono: mono.get(s.id) ?? null,
      reviewedAt: reviewDates.get(s.id) ?? null,
      lead: qualifyLead(s.attributes, s.aggregates, settings.actions.leads),
    };
  });
}
