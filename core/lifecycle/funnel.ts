import type { FunnelStage, Stage } from '../../schema/lifecycle.ts';
import { STAGE_LABELS } from '../../schema/stage-labels.ts';
import type { StageModel } from './models.ts';

/** What the store counts per stage; the funnel's ratios are computed from these alone. */
export interface StageCounts {
  /** Clients in the stage at asOf. */
  current: number;
  /** Clients who entered the stage within the window. */
  entered: number;
  /** Clients ever in the stage by asOf. */
  ever: number;
  medianDays: number | null;
  cumulativeMedianDays: number | null;
}

/**
 * Per stage: the client counts and conversions. Stages on the progression path (prospect →
 * developed, awareness → loyalty) convert to "this stage or beyond", measured on each client's
 * furthest path stage; the dormant stages (sleeping → lost, re-engagement) count who ever got there.
 */
export function buildFunnel(
  model: StageModel,
  counts: ReadonlyMap<Stage, StageCounts>,
  furthest: ReadonlyMap<Stage, number>,
  total: number,
  labels: Partial<Record<Stage, string>>,
): FunnelStage[] {
  const path = model.stages.filter((s) => !model.dormantStages.includes(s));
  const atLeast = (i: number) => path.slice(i).reduce((n, s) => n + (furthest.get(s) ?? 0), 0);
  const share = (num: number, den: number) =>
    den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null;
  return model.stages.map((stage, i) => {
    const c = counts.get(stage) ?? {
      current: 0,
      entered: 0,
      ever: 0,
      medianDays: null,
      cumulativeMedianDays: null,
    };
    const p = path.indexOf(stage);
    const next = model.stages[i + 1];
    const reached = p >= 0 ? atLeast(p) : c.ever;
    // The end of the path converts to nothing further; sleeping converts to lost.
    const conversionToNext =
      p >= 0
        ? p + 1 < path.length
          ? share(atLeast(p + 1), reached)
          : null
        : next !== undefined
          ? share(counts.get(next)?.ever ?? 0, reached)
          : null;
    return {
      stage,
      // English, the API's language, when the workspace names the stage nothing.
      label: labels[stage] ?? STAGE_LABELS[stage][0],
      count: c.current,
      entered: c.entered,
      reached,
      conversionToNext,
      cumulativeConversion: share(reached, total) ?? 0,
      medianDays: c.medianDays,
      cumulativeMedianDays: c.cumulativeMedianDays,
    };
  });
}

/**
 * The median of a whole-day histogram (days → how many), the mean of the two middle values when
 * the count is even; null when empty.
 */
export function histogramMedian(counts: ReadonlyMap<number, number>): number | null {
  const days = [...counts].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = days.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const at = (rank: number) => {
    let seen = 0;
    for (const [d, n] of days) if ((seen += n) >= rank) return d;
    return days.at(-1)![0];
  };
  return (at(Math.floor((total + 1) / 2)) + at(Math.floor((total + 2) / 2))) / 2;
}
