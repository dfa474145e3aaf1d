import { html, nothing, type PropertyDeclarations } from 'lit';
import { withQuery } from '../shared/api.ts';
import { FolioDataElement } from '../shared/data-element.ts';
import { emit } from '../shared/events.ts';
import type { I18n } from '../shared/folio-element.ts';
import { CLIENTS, type Text } from '../shared/messages.ts';
import { baseStyles, tableStyles } from '../shared/styles.ts';
import { stateTemplate, viewOf } from '../shared/view.ts';
import { matrixStyles } from './abc-xyz-matrix.styles.ts';
import {
  ABC_CLASSES,
  MATRIX_CELLS,
  XYZ_CLASSES,
  cellFigures,
  moveFrom,
  type Abc,
  type AbcXyzData,
  type CellFigures,
  type MatrixCell,
  type Xyz,
} from './cells.ts';

export interface SegmentSelectDetail {
  abc: Abc;
  xyz: Xyz;
  /** The cell's name, `AX` … `CZ`. */
  cell: MatrixCell;
  count: number;
  revenue: number;
}

/**
 * The ABC-XYZ matrix of the client portfolio: clients by revenue share (A, B, C) and by
 * stability of their purchases (X, Y, Z), with the number of clients and the revenue in each of
 * the nine cells. The cells form a grid: arrow keys, Home and End move between them.
 *
 * @summary ABC-XYZ 3×3 matrix with counts and revenue; pick a cell to drill down.
 * @tag folio-abc-xyz-matrix
 *
 * @event folio-segment-select - The user picked a cell (click, Enter or Space). `detail: { abc, xyz, cell, count, revenue }`.
 *
 * @csspart base - The outer box.
 * @csspart summary - The line with the number of clients and the total revenue.
 * @csspart grid - The 3×3 grid.
 * @csspart cell - A cell of the grid.
 * @csspart table - The data table with the same numbers (visually hidden unless `show-table`).
 * @csspart loading - The loading message.
 * @csspart empty - The message shown when no client has revenue in the window.
 * @csspart error - The error message, with the API's problem detail.
 *
 * @cssproperty --folio-color-accent - Cell tint, selection and focus ring. Default `#2558c7`.
 * @cssproperty --folio-color-surface - Cell background before tinting. Default `#fff`.
 * @cssproperty --folio-color-text - Text colour. Default `#1f2933`.
 * @cssproperty --folio-color-muted - Secondary text. Default `#52606d`.
 * @cssproperty --folio-color-border - Cell borders. Default `#cbd2d9`.
 * @cssproperty --folio-color-danger - Error text. Default `#b42318`.
 * @cssproperty --folio-matrix-cell-color - Tint of the cells, stronger with more revenue. Default: the accent colour.
 * @cssproperty --folio-font-family - Font. Inherited from the page by default.
 * @cssproperty --folio-font-size - Base font size. Default `0.875rem`.
 * @cssproperty --folio-radius - Corner radius. Default `6px`.
 * @cssproperty --folio-gap - Spacing unit. Default `0.5rem`.
 * @cssproperty --folio-transition-duration - Hover transitions. Default `150ms`.
 */
export class AbcXyzMatrix extends FolioDataElement<AbcXyzData> {
  static override properties: PropertyDeclarations = {
    from: {},
    to: {},
    period: {},
    measure: {},
    selected: { reflect: true },
    showTable: { type: Boolean, attribute: 'show-table', reflect: true },
    active: { state: true, attribute: false },
  };

  /** Exactly the JSON of `GET /v1/segments/abc-xyz`. When set, nothing is fetched. */
  declare data: AbcXyzData | null;
  /** Query of the analysis: window `[from, to)`, `period` (month, quarter, year) and `measure` (revenue, margin). */
  declare from?: string;
  declare to?: string;
  declare period?: string;
  declare measure?: string;
  /** The cell the user picked last (`AX` … `CZ`); highlighted. */
  declare selected?: MatrixCell;
  /** Shows the data table that is otherwise only read by screen readers. */
  declare showTable: boolean;
  /** The cell that takes the Tab stop (roving tabindex). @internal */
  declare private active: MatrixCell;

  static override styles = [baseStyles, tableStyles, matrixStyles];

  constructor() {
    super();
    this.showTable = false;
    this.active = 'AX';
  }

  protected override path() {
    return withQuery('/v1/segments/abc-xyz', {
      from: this.from,
      to: this.to,
      period: this.period,
      measure: this.measure,
    });
  }

  override render() {
    const view = viewOf(
      this.data,
      this.api.state,
      (d) => d.clients.length === 0 && !(d.cells ?? d.matrix),
    );
    const i = this.i18n(
      view.kind === 'data' ? (view.value as { currency?: unknown }).currency : undefined,
    );
    let body: unknown = nothing;
    let empty = view.kind === 'empty';
    if (view.kind === 'data') {
      const cells = cellFigures(view.value);
      empty = MATRIX_CELLS.every((c) => cells[c].count === 0);
      if (!empty) body = this.#renderMatrix(cells, i);
    }
    return html`<section part="base" aria-label=${i.t(...TITLE)} aria-busy=${view.kind === 'loading'}>
      ${stateTemplate(empty ? { kind: 'empty' } : view, i.t, i.t('No clients with revenue in this period.', 'Нет клиентов с выручкой за период.'))}${body}
    </section>`;
  }

  #renderMatrix(cells: Record<MatrixCell, CellFigures>, { t, f }: I18n) {
    const clients = MATRIX_CELLS.reduce((n, c) => n + cells[c].count, 0);
    const revenue = MATRIX_CELLS.reduce((n, c) => n + cells[c].revenue, 0);
    const maxShare = Math.max(...MATRIX_CELLS.map((c) => cells[c].revenueShare));
    const [count, money] = [f.number(clients, 0), f.money(revenue)];
    const summary = t(`${count} clients, revenue ${money}`, `Клиентов: ${count}, выручка ${money}`);
    const head = (axis: Abc | Xyz) => {
      const [name, hint] = t(...AXES[axis]).split(': ');
      return html`${name}<small>${hint}</small>`;
    };
    return html`<p part="summary" class="summary" id="summary">${summary}</p>
      <table part="grid" class="grid" role="grid" aria-label=${t(...TITLE)} aria-describedby="summary" @keydown=${this.#onKey}>
        <thead>
          <tr>
            <td></td>
            ${XYZ_CLASSES.map((x) => html`<th scope="col">${head(x)}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${ABC_CLASSES.map(
            (a) => html`<tr>
              <th scope="row">${head(a)}</th>
              ${XYZ_CLASSES.map((x) => {
                const cell: MatrixCell = `${a}${x}`;
                const c = cells[cell];
                return html`<td part="cell" class="cell" role="gridcell" data-cell=${cell} tabindex=${cell === this.active ? 0 : -1}
                  aria-selected=${cell === this.selected ? 'true' : 'false'} style="--level:${maxShare ? c.revenueShare / maxShare : 0}"
                  @click=${() => this.#select(cell, cells)}>
                  <span class="count"><span class="sr-only">${t(...CLIENTS)}: </span>${f.number(c.count, 0)}</span>
                  <span class="money"><span class="sr-only">${t(...REVENUE)}: </span>${f.moneyCompact(c.revenue)}</span>
                  <span class="share"><span class="sr-only">${t(...SHARE)}: </span>${f.percent(c.revenueShare)}</span>
                </td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table>
      <div class="data-table"><table part="table">
        <caption>${t(...TITLE)}: ${summary}</caption>
        <thead>
          <tr>
            <th scope="col">${t('Segment', 'Сегмент')}</th>
            <th scope="col">${t(...CLIENTS)}</th>
            <th scope="col">${t('Share of clients', 'Доля клиентов')}</th>
            <th scope="col">${t(...REVENUE)}</th>
            <th scope="col">${t(...SHARE)}</th>
          </tr>
        </thead>
        <tbody>
          ${MATRIX_CELLS.map(
            (cell) => html`<tr>
              <th scope="row">${cell}</th>
              <td>${f.number(cells[cell].count, 0)}</td>
              <td>${f.percent(cells[cell].countShare)}</td>
              <td>${f.money(cells[cell].revenue)}</td>
              <td>${f.percent(cells[cell].revenueShare)}</td>
            </tr>`,
          )}
        </tbody>
      </table></div>`;
  }

  #onKey = (e: KeyboardEvent) => {
    const cell = (e.target as HTMLElement).dataset.cell as MatrixCell | undefined;
    if (!cell) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      (e.target as HTMLElement).click();
      return;
    }
    const next = moveFrom(cell, e.key, e.ctrlKey || e.metaKey);
    if (!next) return;
    e.preventDefault();
    this.active = next;
    this.renderRoot.querySelector<HTMLElement>(`[data-cell=${next}]`)?.focus();
  };

  #select(cell: MatrixCell, cells: Record<MatrixCell, CellFigures>) {
    this.active = cell;
    this.selected = cell;
    const { count, revenue } = cells[cell];
    emit(this, 'folio-segment-select', {
      abc: cell[0] as Abc,
      xyz: cell[1] as Xyz,
      cell,
      count,
      revenue,
    });
  }
}

const TITLE: Text = ['ABC-XYZ matrix', 'Матрица ABC-XYZ'];
const REVENUE: Text = ['Revenue', 'Выручка'];
const SHARE: Text = ['Share of revenue', 'Доля выручки'];

/** The classes, as headings: the letter, then what it means. */
const AXES: Record<Abc | Xyz, Text> = {
  A: ['A: top 80% of revenue', 'A: первые 80% выручки'],
  B: ['B: next 15%', 'B: следующие 15%'],
  C: ['C: last 5%', 'C: последние 5%'],
  X: ['X: stable', 'X: стабильные'],
  Y: ['Y: variable', 'Y: колеблющиеся'],
  Z: ['Z: irregular', 'Z: нерегулярные'],
};

declare global {
  interface HTMLElementTagNameMap {
    'folio-abc-xyz-matrix': AbcXyzMatrix;
  }
  interface HTMLElementEventMap {
    'folio-segment-select': CustomEvent<SegmentSelectDetail>;
  }
}
