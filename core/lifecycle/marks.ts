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

/**
 * The earliest entry per mark key (`first:stage`, `reach:stage`) over some spells: what the marks
 * are made of. Entries only ever lower a minimum, so minima over older spells can be kept and
 * later spells added to them.
 */
export type MarkMinima = Record<string, number>;

/** Adds `spells` to `minima` (in place) and returns it. */
export function addMarkMinima(
  minima: MarkMinima,
  spells: readonly Pick<StageSpell, 'stage' | 'enteredAt'>[],
  model: StageModel,
): MarkMinima {
  const path = model.stages.filter((s) => !model.dormantStages.includes(s));
  const keepMin = (key: string, at: number) => {
    const seen = minima[key];
    if (seen === undefined || at < seen) minima[key] = at;
  };
  for (const spell of spells) {
    const at = Date.parse(spell.enteredAt);
    keepMin(`first:${spell.stage}`, at);
    keepMin('first:*', at);
    const rank = path.indexOf(spell.stage);
    for (let p = 0; p <= rank; p++) keepMin(`reach:${path[p]!}`, at);
  }
  return minima;
}

/** The marks the minima make. */
export function marksOf(minima: MarkMinima): FunnelMark[] {
  const start = dayNumber(minima['first:*'] ?? 0);
  const entries = Object.entries(minima);
  return [
    ...entries.filter(([key]) => key.startsWith('first:')),
    ...entries.filter(([key]) => key.startsWith('reach:')),
  ].map(([key, atMs]) => {
    const [kind, stage] = key.split(':') as [FunnelMark['kind'], Stage | '*'];
    return { kind, stage, atMs, days: dayNumber(atMs) - start };
  });
}

/** The funnel marks of one client, from its stage spells. Pure; at most one mark per (kind, stage). */
export function funnelMarks(spells: readonly StageSpell[], model: StageModel): FunnelMark[] {
  return marksOf(addMarkMinima({}, spells, model));
}
