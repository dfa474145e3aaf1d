import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { Cohort, CohortTriangle as CohortAnswer } from '../../schema/cohorts.ts';
import { withQuery } from '../shared/api.ts';
import { setCustomProperties } from '../shared/custom-properties.ts';
import { FolioDataElement } from '../shared/data-element.ts';
import { emit } from '../shared/events.ts';
import type { I18n } from '../shared/folio-element.ts';
import { moveInGrid } from '../shared/grid-keys.ts';
import { CLIENTS, type Text } from '../shared/messages.ts';
import { baseStyles, tableStyles } from '../shared/styles.ts';
import { stateTemplate, viewOf } from '../shared/view.ts';
import { triangleStyles } from './cohort-triangle.styles.ts';

export interface CohortSelectDetail {
  cohort: string;
  /** Periods since the cohort's first. */
  offset: number;
  period: string;
  active: number;
  share: number;
  revenue: number;
}

/**
 * Cohort retention: each row a cohort of clients by the period of their first purchase, each
 * column the periods since, each cell the share of the cohort still buying (or the revenue per
 * cohort client), tinted by it. The cells form a grid: arrow keys, Home and End move between them.
 *
 * @summary Cohort retention triangle: share still buying, or revenue per client, by period since the first purchase.
 * @tag folio-cohort-triangle
 *
 * @event folio-cohort-select - The user picked a cell (click, Enter or Space). `detail: { cohort, offset, period, active, share, revenue }`.
 *
 * @csspart base - The outer box.
 * @csspart summary - The line with the number of cohorts and clients.
 * @csspart grid - The triangle.
 * @csspart cell - A cell of the triangle.
 * @csspart table - The data table with the same numbers (visually hidden unless `show-table`).
 * @csspart loading - The loading message.
 * @csspart empty - The message shown when no cohort has clients.
 * @csspart error - The error message, with the API's problem detail.
 *
 * @cssproperty --folio-color-accent - Cell tint, selection and focus ring. Default `#2558c7`.
 * @cssproperty --folio-color-surface - Cell background before tinting. Default `#fff`.
 * @cssproperty --folio-color-text - Text colour. Default `#1f2933`.
 * @cssproperty --folio-color-muted - Secondary text. Default `#52606d`.
 * @cssproperty --folio-color-border - Cell borders. Default `#cbd2d9`.
 * @cssproperty --folio-color-danger - Error text. Default `#b42318`.
 * @cssproperty --folio-cohort-cell-color - Tint of the cells, stronger with a larger figure. Default: the accent colour.
 * @cssproperty --folio-font-family - Font. Inherited from the page by default.
 * @cssproperty --folio-font-size - Base font size. Default `0.875rem`.
 * @cssproperty --folio-radius - Corner radius. Default `6px`.
 * @cssproperty --folio-gap - Spacing unit. Default `0.5rem`.
 * @cssproperty --folio-transition-duration - Hover transitions. Default `150ms`.
 */
export class CohortTriangle extends FolioDataElement<CohortAnswer> {
  static override properties: PropertyDeclarations = {
    period: {},
    from: {},
    to: {},
    measure: {},
    metric: { reflect: true },
    selected: { reflect: true },
    showTable: { type: Boolean, attribute: 'show-table', reflect: true },
    active: { state: true, attribute: false },
  };

  /** Exactly the JSON of `GET /v1/cohorts`. When set, nothing is fetched. */
  declare data: CohortAnswer | null;
  /** Query of the triangle: `period` (month, quarter), the cohorts `from`…`to`, `measure` (revenue, margin). */
  declare period?: string;
  declare from?: string;
  declare to?: string;
  declare measure?: string;
  /** What the cells show: `share` of the cohort still buying (default) or `revenue` per cohort client. */
  declare metric: 'share' | 'revenue';
  /** The cell the user picked last, `cohort:offset` (e.g. `2026-01:2`); highlighted. */
  declare selected?: string;
  /** Shows the data table that is otherwise only read by screen readers. */
  declare showTable: boolean;
  /** The cell that takes the Tab stop (roving tabindex), as `row:col`. @internal */
  declare private active: string;

  static override styles = [baseStyles, tableStyles, triangleStyles];

  constructor() {
    super();
    this.metric = 'share';
    this.showTable = false;
    this.active = '0:0';
  }

  protected override path() {
    return withQuery('/v1/cohorts', {
      period: this.period,
      from: this.from,
      to: this.to,
      measure: this.measure,
    });
  }

  /** Each cell's figure relative to the largest, set as `--level` after rendering. */
  #levels = new Map<string, number>();
  #cohorts: Cohort[] = [];

  override render() {
    const view = viewOf(this.data, this.api.state, (d) => d.cohorts.length === 0);
    const i = this.i18n();
    const empty = i.t(
      'No clients bought in these periods.',
      'Нет покупок клиентов за эти периоды.',
    );
    return html`<section part="base" aria-label=${i.t(...TITLE)} aria-busy=${view.kind === 'loading'}>
      ${stateTemplate(view, i.t, empty)}${view.kind === 'data' ? this.#renderTriangle(view.value, i) : nothing}
    </section>`;
  }

  #renderTriangle(data: CohortAnswer, i: I18n) {
    const { t, f } = i;
    this.#cohorts = data.cohorts;
    const width = Math.max(...data.cohorts.map((c) => c.periods.length));
    const figure = (p: Cohort['periods'][number]) =>
      this.metric === 'revenue' ? p.revenue : p.share;
    const max = Math.max(0, ...data.cohorts.flatMap((c) => c.periods.map(figure)));
    this.#levels = new Map(
      data.cohorts.flatMap((c, r) =>
        c.periods.map((p, k) => [`${r}:${k}`, max ? figure(p) / max : 0]),
      ),
    );
    const clients = data.cohorts.reduce((n, c) => n + c.clients, 0);
    const summary = t(
      `${data.cohorts.length} cohorts, ${i.count(clients, 'client')}`,
      `Когорт: ${data.cohorts.length}, ${i.count(clients, 'client')}`,
    );
    const unit = data.period === 'quarter' ? t('Quarter', 'Квартал') : t('Month', 'Месяц');
    const money = data.measure === 'margin' ? t(...MARGIN) : t(...REVENUE);
    const shown = (p: Cohort['periods'][number]) =>
      this.metric === 'revenue' ? f.money(p.revenue) : f.percent(p.share);
    return html`<p part="summary" class="summary" id="summary">${summary}</p>
      <div class="scroll"><table part="grid" class="grid" role="grid" aria-label=${t(...TITLE)} aria-describedby="summary" @keydown=${this.#onKey}>
        <thead>
          <tr>
            <th scope="col">${t('Cohort', 'Когорта')}</th>
            ${Array.from({ length: width }, (_, k) => html`<th scope="col">${unit} ${k}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${data.cohorts.map(
            (c, r) => html`<tr>
              <th scope="row">${periodName(c.cohort, i)}<small>${i.count(c.clients, 'client')}</small></th>
              ${Array.from({ length: width }, (_, k) => {
                const p = c.periods[k];
                if (!p) return html`<td class="hole"></td>`;
                const id = `${r}:${k}`;
                return html`<td part="cell" class="cell" role="gridcell" data-cell=${id} tabindex=${id === this.active ? 0 : -1}
                  aria-selected=${`${c.cohort}:${k}` === this.selected ? 'true' : 'false'}
                  aria-label=${`${periodName(p.period, i)}: ${t(...ACTIVE)} ${f.number(p.active, 0)}, ${f.percent(p.share)}, ${money} ${f.money(p.revenue)}`}
                  @click=${() => this.#select(r, k)}>${shown(p)}</td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table></div>
      <div class="data-table"><table part="table">
        <caption>${t(...TITLE)}: ${summary}</caption>
        <thead>
          <tr>
            <th scope="col">${t('Cohort', 'Когорта')}</th>
            <th scope="col">${t(...CLIENTS)}</th>
            <th scope="col">${t('Period', 'Период')}</th>
            <th scope="col">${t('Periods since first purchase', 'Периодов с первой покупки')}</th>
            <th scope="col">${t(...ACTIVE)}</th>
            <th scope="col">${t('Share of the cohort', 'Доля когорты')}</th>
            <th scope="col">${money} ${t('per cohort client', 'на клиента когорты')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.cohorts.flatMap((c) =>
            c.periods.map(
              (p) => html`<tr>
                <th scope="row">${periodName(c.cohort, i)}</th>
                <td>${f.number(c.clients, 0)}</td>
                <td>${periodName(p.period, i)}</td>
                <td>${f.number(p.offset, 0)}</td>
                <td>${f.number(p.active, 0)}</td>
                <td>${f.percent(p.share)}</td>
                <td>${f.money(p.revenue)}</td>
              </tr>`,
            ),
          )}
        </tbody>
      </table></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    setCustomProperties(this.renderRoot, 'data-cell', '--level', this.#levels);
  }

  #onKey = (e: KeyboardEvent) => {
    const id = (e.target as HTMLElement).dataset.cell;
    if (!id) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      (e.target as HTMLElement).click();
      return;
    }
    const [row, col] = id.split(':').map(Number) as [number, number];
    const cohorts = this.#cohorts;
    const width = Math.max(...cohorts.map((c) => c.periods.length));
    const next = moveInGrid(
      [row, col],
      e.key,
      e.ctrlKey || e.metaKey,
      [cohorts.length, width],
      (r, c) => Boolean(cohorts[r]?.periods[c]),
    );
    if (!next) return;
    e.preventDefault();
    this.active = next.join(':');
    this.renderRoot.querySelector<HTMLElement>(`[data-cell="${this.active}"]`)?.focus();
  };

  #select(row: number, col: number) {
    const c = this.#cohorts[row]!;
    const p = c.periods[col]!;
    this.active = `${row}:${col}`;
    this.selected = `${c.cohort}:${p.offset}`;
    emit(this, 'folio-cohort-select', {
      cohort: c.cohort,
      offset: p.offset,
      period: p.period,
      active: p.active,
      share: p.share,
      revenue: p.revenue,
    });
  }
}

const TITLE: Text = ['Cohort retention', 'Удержание когорт'];
const ACTIVE: Text = ['Still buying', 'Покупали'];
const REVENUE: Text = ['Revenue', 'Выручка'];
const MARGIN: Text = ['Margin', 'Маржа'];

/** `2026-01` → "Jan 2026" / "янв. 2026 г."; `2026-Q1` → "Q1 2026" / "1 кв. 2026". */
function periodName(label: string, { t, locale }: I18n): string {
  const year = label.slice(0, 4);
  if (label[5] === 'Q') return t(`Q${label[6]} ${year}`, `${label[6]} кв. ${year}`);
  const date = Date.UTC(Number(year), Number(label.slice(5, 7)) - 1, 1);
  return new Intl.DateTimeFormat(locale, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

declare global {
  interface HTMLElementTagNameMap {
    'folio-cohort-triangle': CohortTriangle;
  }
  interface HTMLElementEventMap {
    'folio-cohort-select': CustomEvent<CohortSelectDetail>;
  }
}
