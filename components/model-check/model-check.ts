import { html, nothing, svg, type PropertyDeclarations } from 'lit';
import type { ModelDiagnostics } from '../../schema/value.ts';
import { FolioDataElement } from '../shared/data-element.ts';
import type { I18n } from '../shared/folio-element.ts';
import { baseStyles, tableStyles } from '../shared/styles.ts';
import { stateTemplate, viewOf } from '../shared/view.ts';
import { modelCheckStyles } from './model-check.styles.ts';

interface Pair {
  label: string;
  actual: number;
  expected: number;
  customers?: number;
}

// The charts are drawn in a 100 × 60 box stretched to the element's width (SVG attributes only:
// no style attribute, so a strict CSP holds).
const W = 100;
const H = 60;

/**
 * Whether a fitted purchase model tells the truth about its own data: customers by repeat
 * purchases in the calibration period, holdout purchases by calibration frequency, and weekly
 * cumulative repeat purchases, each actual against the model (Fader, Hardie & Lee 2005).
 *
 * @summary Model checks: calibration histogram, holdout by frequency, weekly tracking.
 * @tag folio-model-check
 *
 * @csspart base - The outer box.
 * @csspart histogram - The calibration histogram figure.
 * @csspart holdout - The holdout-by-frequency figure.
 * @csspart tracking - The weekly tracking figure.
 * @csspart legend - The key of a figure.
 * @csspart table - A figure's data table (visually hidden unless `show-table`).
 * @csspart loading - The loading message.
 * @csspart empty - The message shown when there is no model.
 * @csspart error - The error message, with the API's problem detail.
 *
 * @cssproperty --folio-color-accent - Actual figures. Default `#2558c7`.
 * @cssproperty --folio-color-text - Text colour. Default `#1f2933`.
 * @cssproperty --folio-color-muted - Model figures and secondary text. Default `#52606d`.
 * @cssproperty --folio-color-border - The calibration-end line. Default `#cbd2d9`.
 * @cssproperty --folio-color-danger - Error text. Default `#b42318`.
 * @cssproperty --folio-font-family - Font. Inherited from the page by default.
 * @cssproperty --folio-font-size - Base font size. Default `0.875rem`.
 * @cssproperty --folio-radius - Corner radius. Default `6px`.
 * @cssproperty --folio-gap - Spacing unit. Default `0.5rem`.
 * @cssproperty --folio-transition-duration - Transitions. Default `150ms`.
 * @cssproperty --folio-model-check-actual-color - Actual bars and line. Default: the accent colour.
 * @cssproperty --folio-model-check-model-color - Model bars and line. Default: the muted colour.
 * @cssproperty --folio-model-check-height - Height of each chart. Default `9rem`.
 */
export class ModelCheck extends FolioDataElement<ModelDiagnostics> {
  static override properties: PropertyDeclarations = {
    end: {},
    showTable: { type: Boolean, attribute: 'show-table', reflect: true },
  };

  /** Exactly the JSON of `GET /v1/clv/model/diagnostics`. When set, nothing is fetched. */
  declare data: ModelDiagnostics | null;
  /** End of the holdout and tracking (`?end=`); default the day after the last purchase. */
  declare end?: string;
  /** Shows the data tables that are otherwise only read by screen readers. */
  declare showTable: boolean;

  static override styles = [baseStyles, tableStyles, modelCheckStyles];

  constructor() {
    super();
    this.showTable = false;
  }

  protected override path() {
    return `/v1/clv/model/diagnostics${this.end ? `?end=${encodeURIComponent(this.end)}` : ''}`;
  }

  override render() {
    const view = viewOf(this.data, this.api.state, (d) => d.histogram.length === 0);
    const i = this.i18n();
    const { t } = i;
    return html`<section part="base" aria-label=${t('Model checks', 'Проверка модели')} aria-busy=${view.kind === 'loading'}>
      ${stateTemplate(view, t, t('No fitted model to check.', 'Нет обученной модели.'))}${view.kind === 'data' ? this.#renderCharts(view.value, i) : nothing}
    </section>`;
  }

  #renderCharts(d: ModelDiagnostics, i: I18n) {
    const { t } = i;
    const histogram = d.histogram.map((h) => ({ label: h.frequency, ...h }));
    const holdout = d.holdout.bins.map((b) => ({ label: b.frequency, ...b }));
    const weeks = d.tracking.weeks.map((w) => ({ label: String(w.week), ...w }));
    return html`<div class="charts">
      ${this.#figure('histogram', t('Customers by repeat purchases in calibration', 'Клиенты по числу повторных покупок (калибровка)'), histogram, bars(histogram), i)}
      ${this.#figure('holdout', t('Holdout purchases by calibration frequency', 'Покупки в контрольном периоде по частоте в калибровке'), holdout, bars(holdout), i)}
      ${this.#figure('tracking', t('Cumulative repeat purchases, week by week', 'Накопленные повторные покупки по неделям'), weeks, lines(weeks, d.tracking.calibrationEndWeek), i)}
    </div>`;
  }

  #figure(name: string, caption: string, rows: Pair[], chart: unknown, { t, f }: I18n) {
    const withSize = rows.some((r) => r.customers !== undefined);
    return html`<figure part=${name}>
      <figcaption>${caption}</figcaption>
      <svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" aria-hidden="true">${chart}</svg>
      <ul part="legend" class="legend"><li>${t('Actual', 'Факт')}</li><li class="model">${t('Model', 'Модель')}</li></ul>
      <div class="data-table"><table part="table">
        <caption>${caption}</caption>
        <thead><tr>
          <th scope="col">${name === 'tracking' ? t('Week', 'Неделя') : t('Repeat purchases', 'Повторные покупки')}</th>
          ${withSize ? html`<th scope="col">${t('Customers', 'Клиенты')}</th>` : nothing}
          <th scope="col">${t('Actual', 'Факт')}</th>
          <th scope="col">${t('Model', 'Модель')}</th>
        </tr></thead>
        <tbody>${rows.map(
          (r) =>
            html`<tr><th scope="row">${r.label}</th>${withSize ? html`<td>${f.number(r.customers ?? 0, 0)}</td>` : nothing}<td>${f.number(r.actual, 0)}</td><td>${f.number(r.expected, 1)}</td></tr>`,
        )}</tbody>
      </table></div>
    </figure>`;
  }
}

const top = (rows: Pair[]) => Math.max(1, ...rows.flatMap((r) => [r.actual, r.expected]));
const round = (x: number) => Math.round(x * 100) / 100;

/** Actual and model side by side in each bin, scaled to the largest. */
function bars(rows: Pair[]) {
  const max = top(rows);
  const slot = W / rows.length;
  const width = slot * 0.38;
  const bar = (x: number, value: number, cls: string) => {
    const h = round((value / max) * (H - 8));
    return svg`<rect class=${cls} x=${round(x)} y=${round(H - 8 - h)} width=${round(width)} height=${h}></rect>`;
  };
  return rows.map(
    (r, k) =>
      svg`${bar(k * slot + slot * 0.1, r.actual, 'actual')}${bar(k * slot + slot * 0.5, r.expected, 'model')}<text x=${round(k * slot + slot / 2)} y=${H} text-anchor="middle">${r.label}</text>`,
  );
}

/** Two cumulative lines and a vertical rule where the calibration ends. */
function lines(rows: Pair[], calibrationEndWeek: number) {
  const max = top(rows);
  const x = (k: number) => round((k / Math.max(1, rows.length - 1)) * W);
  const y = (v: number) => round(H - (v / max) * H);
  const points = (key: 'actual' | 'expected') =>
    rows.map((r, k) => `${x(k)},${y(r[key])}`).join(' ');
  const cut = x(calibrationEndWeek - 1);
  return svg`<line class="cut" x1=${cut} x2=${cut} y1="0" y2=${H}></line><polyline class="actual" points=${points('actual')}></polyline><polyline class="model" points=${points('expected')}></polyline>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'folio-model-check': ModelCheck;
  }
}
