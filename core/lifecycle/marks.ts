import { DAY_MS } from '../../schema/common.ts';
import type { Stage, StageSpell } from '../../schema/lifecycle.ts';
import type { StageModel } from './models.ts';

/**
 * A once-per-client instant the funnel counts: `first` is the client's first entry into a stage
 * (`*`: into any stage, i.e. when the client joined the funnel); `reach` is when the client first
 * stood on this path stage or beyond (what "reached" and conversion count).
 */
export interface FunnelMark {
  kind: 'first' | 'reach';
  stage: Stage | '*';
  atMs: number;
  /** Whole UTC days from the client's first entry into the funnel to this mark. */
  days: number;
}

/** The UTC day number of an instant: whole-day figures subtract these. */
export const dayNumber = (ms: number) => Math.floor(ms / DAY_MS);

/** The funnel marks of one client, from its stage spells. Pure; at most one mark per (kind, stage). */
export function funnelMarks(spells: readonly StageSpell[], model: StageModel): FunnelMark[] {
  const path = model.stages.filter((s) => !model.dormantStages.includes(s));
  const first = new Map<Stage | '*', number>();
  const reach = new Map<Stage, number>();
  const keepMin = <K>(map: Map<K, number>, key: K, at: number) => {
    const seen = map.get(key);
    if (seen === undefined || at < seen) map.set(key, at);
  };
  for (const spell of spells) {
    const at = Date.parse(spell.enteredAt);
    keepMin(first, spell.stage, at);
    keepMin(first, '*', at);
    const rank = path.indexOf(spell.stage);
    for (let p = 0; p <= rank; p++) keepMin(reach, path[p]!, at);
  }
  const start = dayNumber(first.get('*') ?? 0);
  const mark = (kind: FunnelMark['kind'], stage: Stage | '*', atMs: number): FunnelMark => ({
    kind,
    stage,
    atMs,
    days: dayNumber(atMs) - start,
  });
  return [
    ...[...first].map(([stage, atMs]) => mark('first', stage, atMs)),
    ...[...reach].map(([stage, atMs]) => mark('reach', stage, atMs)),
  ];
}
