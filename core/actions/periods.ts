import type { ActionPeriod } from '../../schema/actions.ts';
import { DAY_MS } from '../../schema/common.ts';

/** The calendar period (UTC) holding an instant: `[start, end)`. Weeks start on Monday (ISO 8601). */
export function periodBounds(iso: string, period: ActionPeriod): { start: string; end: string } {
  const t = new Date(iso);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  switch (period) {
    case 'week': {
      const midnight = Date.UTC(y, m, t.getUTCDate());
      const sinceMonday = (t.getUTCDay() + 6) % 7;
      const start = midnight - sinceMonday * DAY_MS;
      return {
        start: new Date(start).toISOString(),
        end: new Date(start + 7 * DAY_MS).toISOString(),
      };
    }
    case 'month':
      return {
        start: new Date(Date.UTC(y, m, 1)).toISOString(),
        end: new Date(Date.UTC(y, m + 1, 1)).toISOString(),
      };
    case 'quarter': {
      const q = m - (m % 3);
      return {
        start: new Date(Date.UTC(y, q, 1)).toISOString(),
        end: new Date(Date.UTC(y, q + 3, 1)).toISOString(),
      };
    }
    case 'year':
      return {
        start: new Date(Date.UTC(y, 0, 1)).toISOString(),
        end: new Date(Date.UTC(y + 1, 0, 1)).toISOString(),
      };
  }
}
