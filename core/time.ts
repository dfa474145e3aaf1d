import { DAY_MS } from '../schema/common.ts';

export const toMs = (iso: string): number => Date.parse(iso);
export const toIso = (ms: number): string => new Date(ms).toISOString();
export const addDays = (iso: string, days: number): string => toIso(toMs(iso) + days * DAY_MS);
export const daysBetween = (fromIso: string, toIso_: string): number =>
  (toMs(toIso_) - toMs(fromIso)) / DAY_MS;
/** The UTC calendar day of an instant, `YYYY-MM-DD`. */
export const utcDay = (iso: string): string => iso.slice(0, 10);
/** The UTC calendar month of an instant, `YYYY-MM`. */
export const utcMonth = (iso: string): string => iso.slice(0, 7);
