import { html, nothing, type PropertyDeclarations } from 'lit';
import { calculateClv } from '../../core/value/calculator.ts';
import type { ClvCalculatorResult } from '../../schema/calculator.ts';
import { emit } from '../shared/events.ts';
import { FolioElement, type I18n } from '../shared/folio-element.ts';
import { NONE, type Text } from '../shared/messages.ts';
import { baseStyles } from '../shared/styles.ts';
import { calculatorStyles } from './clv-calculator.styles.ts';
import {
  FIELDS,
  check,
  parseField,
  showField,
  type Basis,
  type Field,
  type FieldSpec,
} from './fields.ts';

export type ClvChangeDetail = ClvCalculatorResult;
type Period = 'week' | 'month' | 'year';

/**
 * The CLV calculator: what a client is worth over its lifetime, against what it costs to win
 * one. Results follow every keystroke; it needs no server (the same pure function as
 * `POST /v1/clv/calculate`). Its inputs are properties named as the API's request fields, also
 * settable as kebab-case attributes; rates are shares (`gross-margin="0.4"`) that the form shows
 * as percentages.
 *
 * @summary CLV calculator with CLV/CAC verdict, allowable CAC and payback.
 * @tag folio-clv-calculator
 *
 * @event folio-clv-change - The user changed an input and the result is valid. `detail` is the calculator's output: `{ periodMargin, expectedLifetimePeriods, clvSimple, clvDiscounted, clvToCac, allowableCac, paybackPeriods, netValue, meetsTarget }`.
 *
 * @csspart base - The outer box.
 * @csspart form - The inputs.
 * @csspart input - Every text input.
 * @csspart field-error - The message under an invalid input.
 * @csspart result - The results panel.
 * @csspart headline - The discounted CLV, in large type.
 * @csspart verdict - The CLV/CAC verdict.
 *
 * @cssproperty --folio-color-accent - Focus ring. Default `#2558c7`.
 * @cssproperty --folio-color-success - Verdict when the target ratio is met. Default `#1d7a3c`.
 * @cssproperty --folio-color-warning - Verdict when below target. Default `#a15c07`.
 * @cssproperty --folio-color-danger - Verdict when a client loses money, and field errors. Default `#b42318`.
 * @cssproperty --folio-color-surface - Input and panel background. Default `#fff`.
 * @cssproperty --folio-color-text - Text colour. Default `#1f2933`.
 * @cssproperty --folio-color-muted - Labels. Default `#52606d`.
 * @cssproperty --folio-color-border - Borders. Default `#cbd2d9`.
 * @cssproperty --folio-font-family - Font. Inherited from the page by default.
 * @cssproperty --folio-font-size - Base font size. Default `0.875rem`.
 * @cssproperty --folio-radius - Corner radius. Default `6px`.
 * @cssproperty --folio-gap - Spacing unit. Default `0.5rem`.
 */
export class ClvCalculator extends FolioElement {
  static override properties: PropertyDeclarations = {
    averageOrderValue: { type: Number, reflect: true, attribute: 'average-order-value' },
    ordersPerPeriod: { type: Number, reflect: true, attribute: 'orders-per-period' },
    grossMargin: { type: Number, reflect: true, attribute: 'gross-margin' },
    lifetimePeriods: { type: Number, reflect: true, attribute: 'lifetime-periods' },
    retentionRate: { type: Number, reflect: true, attribute: 'retention-rate' },
    discountRate: { type: Number, reflect: true, attribute: 'discount-rate' },
    acquisitionCost: { type: Number, reflect: true, attribute: 'acquisition-cost' },
    targetRatio: { type: Number, reflect: true, attribute: 'target-ratio' },
    basis: { reflect: true },
    period: { reflect: true },
    typed: { state: true, attribute: false },
  };

  /** Average order value, in the currency. Default 100. */
  declare averageOrderValue?: number;
  /** Orders per period. Default 1. */
  declare ordersPerPeriod?: number;
  /** Gross margin as a share of the order value, 0–1. Default 0.3. */
  declare grossMargin?: number;
  /** Expected lifetime in periods (used when `basis` is `lifetime`). Default 24. */
  declare lifetimePeriods?: number;
  /** Share of clients still there after each period, 0 ≤ r < 1 (used when `basis` is `retention`). Default 0.8. */
  declare retentionRate?: number;
  /** Discount rate per period, 0–1. Default 0.01. */
  declare discountRate?: number;
  /** Acquisition cost (CAC), in the currency. Default 300. */
  declare acquisitionCost?: number;
  /** The CLV/CAC ratio aimed for. Default 3. */
  declare targetRatio?: number;
  /** Whether the lifetime comes from `lifetimePeriods` or from `retentionRate`. */
  declare basis: Basis;
  /** What one period is, for the labels: `week`, `month` (default) or `year`. */
  declare period: Period;
  /** The text of each input as typed, kept while it still means the property's value. @internal */
  declare private typed: Partial<Record<Field, string>>;

  static override styles = [baseStyles, calculatorStyles];

  constructor() {
    super();
    this.averageOrderValue = 100;
    this.ordersPerPeriod = 1;
    this.grossMargin = 0.3;
    this.lifetimePeriods = 24;
    this.retentionRate = 0.8;
    this.discountRate = 0.01;
    this.acquisitionCost = 300;
    this.targetRatio = 3;
    this.basis = 'lifetime';
    this.period = 'month';
    this.typed = {};
  }

  /** The result of the current inputs, or null while any of them is invalid. */
  get result(): ClvCalculatorResult | null {
    const { t, f } = this.i18n();
    const checked = check(this.#values(), this.basis, t, f);
    return checked.ok ? calculateClv(checked.input) : null;
  }

  override render() {
    const i = this.i18n();
    const checked = check(this.#values(), this.basis, i.t, i.f);
    const errors = checked.ok ? {} : checked.errors;
    return html`<div part="base" class="base">
      <form part="form" aria-label=${i.t('CLV calculator', 'Калькулятор CLV')} @submit=${(e: Event) => e.preventDefault()}>
        ${FIELDS.slice(0, 3).map((spec) => this.#renderField(spec, errors[spec.name], i))}
        <fieldset>
          <legend>${i.t('Client lifetime from', 'Срок жизни клиента задаётся')}</legend>
          ${(['lifetime', 'retention'] as const).map(
            (
              b,
            ) => html`<label><input type="radio" name="basis" value=${b} .checked=${this.basis === b} @change=${() => this.#choose(b)} />
              ${b === 'lifetime' ? i.t('Expected lifetime', 'Ожидаемым сроком') : i.t('Retention rate', 'Долей удержания')}</label>`,
          )}
        </fieldset>
        ${FIELDS.slice(3)
          .filter((spec) => !spec.basis || spec.basis === this.basis)
          .map((spec) => this.#renderField(spec, errors[spec.name], i))}
      </form>
      ${this.#renderResult(checked.ok ? calculateClv(checked.input) : null, i)}
    </div>`;
  }

  #renderField(spec: FieldSpec, error: string | undefined, { t, lang }: I18n) {
    const id = `f-${spec.name}`;
    const value = this[spec.name];
    const typed = this.typed[spec.name];
    // Keep the user's own text (a trailing comma, "07") while it still means the property value.
    const shown =
      typed !== undefined && Object.is(parseField(typed, spec.percent), value)
        ? typed
        : showField(value, spec.percent, lang === 'ru');
    const label = t(...spec.label).replace(
      '{0}',
      t(...PERIODS[this.period][spec.name === 'lifetimePeriods' ? 1 : 0]),
    );
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input part="input" id=${id} type="text" inputmode="decimal" autocomplete="off" .value=${shown}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `${id}-error` : nothing}
        @input=${(e: Event) => this.#edit(spec, (e.target as HTMLInputElement).value)} />
      ${error ? html`<span part="field-error" class="field-error" id="${id}-error">${error}</span>` : nothing}
    </div>`;
  }

  #renderResult(r: ClvCalculatorResult | null, { t, f }: I18n) {
    if (!r) {
      return html`<div part="result" class="result"><p role="status" class="muted">${t('Correct the highlighted fields to see the result.', 'Исправьте выделенные поля, чтобы увидеть результат.')}</p></div>`;
    }
    const unit = this.period;
    const times = (x: number) => `${f.number(x, 1)}×`;
    const verdict =
      r.clvToCac === null ? 'none' : r.meetsTarget ? 'meets' : r.clvToCac < 1 ? 'losing' : 'below';
    const [ratio, target] = [times(r.clvToCac ?? 0), times(this.targetRatio ?? 3)];
    const verdicts: Record<typeof verdict, string> = {
      none: t(
        'No CLV/CAC ratio without an acquisition cost.',
        'Без стоимости привлечения отношения CLV/CAC нет.',
      ),
      meets: t(
        `Healthy: CLV is ${ratio} CAC, target ${target}.`,
        `Хорошо: CLV равна ${ratio} CAC при цели ${target}.`,
      ),
      below: t(
        `Below target: CLV is ${ratio} CAC, target ${target}.`,
        `Ниже цели: CLV равна ${ratio} CAC при цели ${target}.`,
      ),
      losing: t(
        'Losing money: a client is worth less than it costs to win.',
        'В убыток: клиент приносит меньше, чем стоит его привлечение.',
      ),
    };
    const per = t(...PERIODS[unit][0]);
    const rows: [string, string][] = [
      [t('CLV, simple', 'CLV, простая'), f.money(r.clvSimple)],
      ['CLV/CAC', r.clvToCac === null ? NONE : times(r.clvToCac)],
      [t('Allowable CAC', 'Допустимая CAC'), f.money(r.allowableCac)],
      [
        t('Payback', 'Окупаемость'),
        r.paybackPeriods === null ? t('never', 'никогда') : f.duration(r.paybackPeriods, unit),
      ],
      [t('Net value of a client', 'Чистая ценность клиента'), f.money(r.netValue)],
      [t(`Margin per ${per}`, `Маржа за ${per}`), f.money(r.periodMargin)],
      [t('Expected lifetime', 'Ожидаемый срок жизни'), f.duration(r.expectedLifetimePeriods, unit)],
    ];
    return html`<div part="result" class="result">
      <div>
        <span class="muted">${t('CLV, discounted', 'CLV, дисконтированная')}</span>
        <p part="headline" class="headline">${f.money(r.clvDiscounted)}</p>
      </div>
      <p part="verdict" class="verdict" role="status" data-verdict=${verdict}>${verdicts[verdict]}</p>
      <dl>${rows.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl>
    </div>`;
  }

  #values(): Partial<Record<Field, number>> {
    return Object.fromEntries(FIELDS.map((s) => [s.name, this[s.name]]));
  }

  #edit(spec: FieldSpec, text: string) {
    this.typed = { ...this.typed, [spec.name]: text };
    this[spec.name] = parseField(text, spec.percent);
    this.#announce();
  }

  #choose(basis: Basis) {
    this.basis = basis;
    this.#announce();
  }

  // Only the handlers of the user's own input call this, so programmatic changes never emit.
  #announce() {
    const result = this.result;
    if (result) emit(this, 'folio-clv-change', result);
  }
}

/** A period in the labels: "per month" takes the first, a lifetime "in months" the second. */
const PERIODS: Record<Period, readonly [one: Text, many: Text]> = {
  week: [
    ['week', 'неделю'],
    ['weeks', 'недель'],
  ],
  month: [
    ['month', 'месяц'],
    ['months', 'месяцев'],
  ],
  year: [
    ['year', 'год'],
    ['years', 'лет'],
  ],
};

declare global {
  interface HTMLElementTagNameMap {
    'folio-clv-calculator': ClvCalculator;
  }
  interface HTMLElementEventMap {
    'folio-clv-change': CustomEvent<ClvChangeDetail>;
  }
}
