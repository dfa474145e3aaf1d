import * as v from 'valibot';
import { ClvCalculatorInputSchema, type ClvCalculatorInput } from '../../schema/calculator.ts';
import type { Format } from '../shared/format.ts';
import type { Text, Translate } from '../shared/messages.ts';

export type Field = keyof ClvCalculatorInput;
export type Basis = 'lifetime' | 'retention';

export interface FieldSpec {
  name: Field;
  /** `{0}` stands for the period: "per month" (or, for a lifetime, "months"). */
  label: Text;
  /** Shares (0–1) are typed and shown as percentages. */
  percent: boolean;
  /** Shown only when this basis is chosen. */
  basis?: Basis;
}

/** The form, in reading order. */
export const FIELDS: readonly FieldSpec[] = [
  { name: 'averageOrderValue', label: ['Average order value', 'Средний чек'], percent: false },
  { name: 'ordersPerPeriod', label: ['Orders per {0}', 'Заказов за {0}'], percent: false },
  { name: 'grossMargin', label: ['Gross margin, %', 'Валовая маржа, %'], percent: true },
  {
    name: 'lifetimePeriods',
    label: ['Lifetime, {0}', 'Срок жизни, {0}'],
    percent: false,
    basis: 'lifetime',
  },
  {
    name: 'retentionRate',
    label: ['Retention per {0}, %', 'Удержание за {0}, %'],
    percent: true,
    basis: 'retention',
  },
  {
    name: 'discountRate',
    label: ['Discount rate per {0}, %', 'Ставка дисконтирования за {0}, %'],
    percent: true,
  },
  {
    name: 'acquisitionCost',
    label: ['Acquisition cost (CAC)', 'Стоимость привлечения (CAC)'],
    percent: false,
  },
  { name: 'targetRatio', label: ['Target CLV/CAC', 'Целевое CLV/CAC'], percent: false },
];

/**
 * What the user typed, as the property holds it: blank is undefined, anything else a number or
 * NaN. Accepts a decimal comma and grouping spaces, as Russian users type numbers.
 */
export function parseField(text: string, percent: boolean): number | undefined {
  const s = text
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(',', '.')
    .replace(/%$/, '');
  if (s === '') return undefined;
  const n = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : Number.NaN;
  // Round away the binary noise of a division (7 / 100 = 0.07000000000000001).
  return percent ? Number((n / 100).toPrecision(12)) : n;
}

/** The text an input shows for a property value. */
export function showField(
  value: number | undefined,
  percent: boolean,
  decimalComma: boolean,
): string {
  if (value === undefined || Number.isNaN(value)) return '';
  const s = String(percent ? Number((value * 100).toPrecision(12)) : value);
  return decimalComma ? s.replace('.', ',') : s;
}

export type Checked =
  | { ok: true; input: v.InferOutput<typeof ClvCalculatorInputSchema> }
  | { ok: false; errors: Partial<Record<Field, string>> };

/**
 * Validates with the API's own schema, so the form refuses exactly what the API would, and words
 * each refusal in the reader's language and in the field's unit (a margin limit reads "100%").
 */
export function check(
  values: Partial<Record<Field, number>>,
  basis: Basis,
  t: Translate,
  f: Format,
): Checked {
  const input: Partial<Record<Field, number>> = {};
  for (const spec of FIELDS)
    if (!spec.basis || spec.basis === basis) input[spec.name] = values[spec.name];
  const result = v.safeParse(ClvCalculatorInputSchema, input);
  if (result.success) return { ok: true, input: result.output };
  const errors: Partial<Record<Field, string>> = {};
  for (const issue of result.issues) {
    const name = v.getDotPath(issue) as Field | null;
    const spec = FIELDS.find((s) => s.name === name);
    if (spec && !errors[spec.name]) errors[spec.name] = describe(issue, spec, t, f);
  }
  return { ok: false, errors };
}

function describe(issue: v.BaseIssue<unknown>, spec: FieldSpec, t: Translate, f: Format): string {
  const notNumber = () => t('Enter a number', 'Введите число');
  if (issue.kind === 'schema')
    return issue.received === 'undefined' ? t('Required', 'Обязательное поле') : notNumber();
  const bound =
    typeof issue.requirement === 'number'
      ? spec.percent
        ? f.percent(issue.requirement)
        : f.number(issue.requirement, 6)
      : '';
  switch (issue.type) {
    case 'finite':
      return notNumber();
    case 'min_value':
      return t(`Must be at least ${bound}`, `Не меньше ${bound}`);
    case 'max_value':
      return t(`Must be at most ${bound}`, `Не больше ${bound}`);
    case 'gt_value':
      return t(`Must be greater than ${bound}`, `Больше ${bound}`);
    case 'lt_value':
      return t(`Must be less than ${bound}`, `Меньше ${bound}`);
    default:
      return t('Invalid value', 'Недопустимое значение');
  }
}
