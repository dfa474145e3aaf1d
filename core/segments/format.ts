/** Numbers as the reasons print them: money with thousands separators, shares as percentages. */

const money = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

// Intl formatting costs microseconds a call, and a portfolio prints a reason per client. Below 1,000
// there is no grouping separator, so rounding and String() print exactly what Intl would.
const fast = (x: number, digits: number, intl: Intl.NumberFormat): string => {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r > -1000 && r < 1000 ? String(r === 0 ? 0 : r) : intl.format(x);
};
export const fmtMoney = (x: number): string => fast(x, 2, money);
export const fmtNumber = (x: number): string => fast(x, 1, plain);
/** 0.1234 → "12.3%". */
export const fmtShare = (x: number): string => `${fast(x * 100, 1, plain)}%`;
/** Days as the largest readable unit: "45 days", "5 months", "2.3 years". */
export function fmtDuration(days: number): string {
  if (days >= 730) return `${plain.format(days / 365.25)} years`;
  if (days >= 60) return `${Math.round(days / 30.44)} months`;
  const d = Math.round(days);
  return `${d} day${d === 1 ? '' : 's'}`;
}
export const fmtDay = (iso: string): string => iso.slice(0, 10);
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${fmtNumber(n)} ${n === 1 ? one : many}`;
