/** Numbers as the reasons print them: money with thousands separators, shares as percentages. */

const money = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export const fmtMoney = (x: number): string => money.format(x);
export const fmtNumber = (x: number): string => plain.format(x);
/** 0.1234 → "12.3%". */
export const fmtShare = (x: number): string => `${plain.format(x * 100)}%`;
/** Days as the largest readable unit: "45 days", "5 months", "2.3 years". */
export function fmtDuration(days: number): string {
  if (days >= 730) return `${plain.format(days / 365.25)} years`;
  if (days >= 60) return `${Math.round(days / 30.44)} months`;
  const d = Math.round(days);
  return `${d} day${d === 1 ? '' : 's'}`;
}
export const fmtDay = (iso: string): string => iso.slice(0, 10);
export const plural = (n: number, one: string, many = `${one}s`): string => `${fmtNumber(n)} ${n === 1 ? one : many}`;
