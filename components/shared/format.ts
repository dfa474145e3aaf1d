/** Every number, share, amount and date a component shows goes through these, so one `lang` rules them all. */
export interface Format {
  number: (n: number, maxDigits?: number) => string;
  percent: (share: number) => string;
  money: (amount: number) => string;
  /** Short money for tight spots (a matrix cell): 1.2M, 1,2 млн. */
  moneyCompact: (amount: number) => string;
  /** A count of a time unit: "12 days", "2,5 месяца". */
  duration: (n: number, unit: 'day' | 'week' | 'month' | 'year') => string;
  date: (iso: string) => string;
}

const cache = new Map<string, Format>();

export function formatFor(locale: string, currency: string): Format {
  const key = `${locale}|${currency}`;
  let f = cache.get(key);
  if (!f) {
    f = build(locale, validCurrency(currency));
    cache.set(key, f);
  }
  return f;
}

// A bad currency code would make Intl throw on every render: fall back to USD instead.
function validCurrency(code: string): string {
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code });
    return code.toUpperCase();
  } catch {
    return 'USD';
  }
}

function build(locale: string, currency: string): Format {
  const numbers = new Map<number, Intl.NumberFormat>();
  const number = (n: number, maxDigits = 1) => {
    let nf = numbers.get(maxDigits);
    if (!nf)
      numbers.set(
        maxDigits,
        (nf = new Intl.NumberFormat(locale, { maximumFractionDigits: maxDigits })),
      );
    return nf.format(n);
  };
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
  });
  const cents = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const compact = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    notation: 'compact',
  });
  const units = new Map<string, Intl.NumberFormat>();
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    number,
    percent: (share) => percent.format(share),
    // Whole units once an amount is large enough that cents are noise.
    money: (amount) => (Math.abs(amount) >= 100 ? money : cents).format(amount),
    moneyCompact: (amount) => compact.format(amount),
    duration(n, unit) {
      let nf = units.get(unit);
      if (!nf)
        units.set(
          unit,
          (nf = new Intl.NumberFormat(locale, {
            style: 'unit',
            unit,
            unitDisplay: 'long',
            maximumFractionDigits: 1,
          })),
        );
      return nf.format(n);
    },
    date(iso) {
      const ms = Date.parse(iso);
      return Number.isFinite(ms) ? date.format(ms) : iso;
    },
  };
}
