import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type {
  MigrationCell,
  MigrationMatrix as MigrationAnswer,
} from '../../schema/segment-migrations.ts';
import { withQuery } from '../shared/api.ts';
import { setCustomProperties } from '../shared/custom-properties.ts';
import { FolioDataElement } from '../shared/data-element.ts';
import { emit } from '../shared/events.ts';
import type { I18n } from '../shared/folio-element.ts';
import { moveInGrid } from '../shared/grid-keys.ts';
import { CLIENTS, labelOf, STAGES, type Text } from '../shared/messages.ts';
import { baseStyles, tableStyles } from '../shared/styles.ts';
import { stateTemplate, viewOf } from '../shared/view.ts';
import { migrationStyles } from './migration-matrix.styles.ts';

export interface MigrationSelectDetail {
  /** The class at the end of the earlier month; null: the clients did not exist yet. */
  from: string | null;
  /** The class at the end of the later month; null: the clients were erased since. */
  to: string | null;
  clients: number;
  revenue: number;
  /**
   * The answer's `list` of the cell: the `GET /v1/clients` address of its clients (null for an
   * empty cell). It needs the secret key, so a page passes it to its own server to fetch.
   */
  list: string | null;
}

/**
 * Migration between classes: how many clients moved from each class (stage, ABC, XYZ, RFM
 * segment or type) at the end of one month to each class at the end of a later one, and the
 * revenue they brought in the later window. Rows are where clients were, columns where they are
 * now; the diagonal (dashed) is who stayed. The cells form a grid: arrow keys, Home and End move.
 *
 * @summary Migration matrix between two month-ends: clients and revenue from each class to each class.
 * @tag folio-migration-matrix
 *
 * The clients behind a cell are one paginated `GET /v1/clients` query away: the answer gives each
 * cell's address as `list`, and the select event carries it, e.g.
 * `/v1/clients?movedDimension=abc&movedFrom=2026-06&movedTo=2026-09&fromClass=A&toClass=B`
 * (an empty class is the null side). That endpoint takes the secret key, so a page hands the
 * address to its own server, which follows `nextCursor` as with any client list.
 *
 * @event folio-migration-select - The user picked a cell (click, Enter or Space). `detail: { from, to, clients, revenue, list }`.
 *
 * @csspart base - The outer box.
 * @csspart summary - The line with the months compared and how many clients moved.
 * @csspart grid - The matrix.
 * @csspart cell - A cell of the matrix.
 * @csspart table - The data table with the same numbers (visually hidden unless `show-table`).
 * @csspart loading - The loading message.
 * @csspart empty - The message shown when there is no client in either month.
 * @csspart error - The error message, with the API's problem detail.
 *
 * @cssproperty --folio-color-accent - Cell tint, selection and focus ring. Default `#2558c7`.
 * @cssproperty --folio-color-surface - Cell background before tinting. Default `#fff`.
 * @cssproperty --folio-color-text - Text colour. Default `#1f2933`.
 * @cssproperty --folio-color-muted - Secondary text. Default `#52606d`.
 * @cssproperty --folio-color-border - Cell borders. Default `#cbd2d9`.
 * @cssproperty --folio-color-danger - Error text. Default `#b42318`.
 * @cssproperty --folio-migration-cell-color - Tint of the cells, stronger with more clients. Default: the accent colour.
 * @cssproperty --folio-font-family - Font. Inherited from the page by default.
 * @cssproperty --folio-font-size - Base font size. Default `0.875rem`.
 * @cssproperty --folio-radius - Corner radius. Default `6px`.
 * @cssproperty --folio-gap - Spacing unit. Default `0.5rem`.
 * @cssproperty --folio-transition-duration - Hover transitions. Default `150ms`.
 */
export class MigrationMatrix extends FolioDataElement<MigrationAnswer> {
  static override properties: PropertyDeclarations = {
    dimension: {},
    from: {},
    to: {},
    selected: { reflect: true },
    showTable: { type: Boolean, attribute: 'show-table', reflect: true },
    active: { state: true, attribute: false },
  };

  /** Exactly the JSON of `GET /v1/segments/migrations`. When set, nothing is fetched. */
  declare data: MigrationAnswer | null;
  /** Query: the `dimension` (stage, abc, xyz, rfm, type) and the two months `from`, `to` (`YYYY-MM`). */
  declare dimension?: string;
  declare from?: string;
  declare to?: string;
  /** The cell the user picked last, `from→to` (an empty side for null); highlighted. */
  declare selected?: string;
  /** Shows the data table that is otherwise only read by screen readers. */
  declare showTable: boolean;
  /** The cell that takes the Tab stop (roving tabindex), as `row:col`. @internal */
  declare private active: string;

  static override styles = [baseStyles, tableStyles, migrationStyles];

  constructor() {
    super();
    this.showTable = false;
    this.active = '0:0';
  }

  protected override path() {
    return withQuery('/v1/segments/migrations', {
      dimension: this.dimension,
      from: this.from,
      to: this.to,
    });
  }

  #levels = new Map<string, number>();
  #axes: {
    rows: (string | null)[];
    cols: (string | null)[];
    at: (r: number, c: number) => MigrationCell & { list?: string };
  } | null = null;

  override render() {
    // A 202 (month-end snapshots still being computed) carries no cells: nothing to show yet.
    const view = viewOf(
      this.data,
      this.api.state,
      (d) => !Array.isArray(d.cells) || d.cells.length === 0,
    );
    const i = this.i18n(view.kind === 'data' ? view.value.currency : undefined);
    const empty = i.t(
      'No clients in either month yet.',
      'Ни в одном из месяцев пока нет клиентов.',
    );
    return html`<section part="base" aria-label=${i.t(...TITLE)} aria-busy=${view.kind === 'loading'}>
      ${stateTemplate(view, i.t, empty)}${view.kind === 'data' ? this.#renderMatrix(view.value, i) : nothing}
    </section>`;
  }

  #renderMatrix(data: MigrationAnswer, i: I18n) {
    const { t, f } = i;
    const axes = axesOf(data);
    this.#axes = axes;
    const max = Math.max(1, ...data.cells.map((c) => c.clients));
    this.#levels = new Map(
      axes.rows.flatMap((_, r) =>
        axes.cols.map((_, c) => [`${r}:${c}`, axes.at(r, c).clients / max]),
      ),
    );
    const clients = data.cells.reduce((n, c) => n + c.clients, 0);
    const moved = data.cells.filter((c) => c.from !== c.to).reduce((n, c) => n + c.clients, 0);
    const [a, b] = [monthName(data.from, i), monthName(data.to, i)];
    const summary = t(
      `${a} → ${b}: ${i.count(clients, 'client')}, ${f.number(moved, 0)} moved`,
      `${a} → ${b}: ${i.count(clients, 'client')}, сменили класс: ${f.number(moved, 0)}`,
    );
    const name = (cls: string | null, side: 'from' | 'to') =>
      cls === null ? t(...(side === 'from' ? NEW : ERASED)) : className(data.dimension, cls, i);
    return html`<p part="summary" class="summary" id="summary">${summary}</p>
      <div class="scroll"><table part="grid" class="grid" role="grid" aria-label=${t(...TITLE)} aria-describedby="summary" @keydown=${this.#onKey}>
        <thead>
          <tr>
            <th scope="col" class="corner">${a} ↓ · ${b} →</th>
            ${axes.cols.map((c) => html`<th scope="col">${name(c, 'to')}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${axes.rows.map(
            (from, r) => html`<tr>
              <th scope="row">${name(from, 'from')}</th>
              ${axes.cols.map((to, c) => {
                const cell = axes.at(r, c);
                const id = `${r}:${c}`;
                return html`<td part="cell" class=${from === to && from !== null ? 'cell stay' : 'cell'} role="gridcell" data-cell=${id}
                  tabindex=${id === this.active ? 0 : -1} aria-selected=${keyOf(from, to) === this.selected ? 'true' : 'false'}
                  @click=${() => this.#select(r, c)}>
                  <span class="count"><span class="sr-only">${t(...CLIENTS)}: </span>${f.number(cell.clients, 0)}</span>
                  <span class="money"><span class="sr-only">${t(...REVENUE)}: </span>${f.moneyCompact(cell.revenue)}</span>
                </td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table></div>
      <div class="data-table"><table part="table">
        <caption>${t(...TITLE)}: ${summary}</caption>
        <thead>
          <tr>
            <th scope="col">${t('From', 'Откуда')} (${a})</th>
            <th scope="col">${t('To', 'Куда')} (${b})</th>
            <th scope="col">${t(...CLIENTS)}</th>
            <th scope="col">${t(...REVENUE)}</th>
          </tr>
        </thead>
        <tbody>
          ${data.cells.map(
            (c) => html`<tr>
              <th scope="row">${name(c.from, 'from')}</th>
              <td>${name(c.to, 'to')}</td>
              <td>${f.number(c.clients, 0)}</td>
              <td>${f.money(c.revenue)}</td>
            </tr>`,
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
    if (!id || !this.#axes) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      (e.target as HTMLElement).click();
      return;
    }
    const at = id.split(':').map(Number) as [number, number];
    const size = [this.#axes.rows.length, this.#axes.cols.length] as const;
    const next = moveInGrid(at, e.key, e.ctrlKey || e.metaKey, size);
    if (!next) return;
    e.preventDefault();
    this.active = next.join(':');
    this.renderRoot.querySelector<HTMLElement>(`[data-cell="${this.active}"]`)?.focus();
  };

  #select(r: number, c: number) {
    const axes = this.#axes!;
    const cell = axes.at(r, c);
    this.active = `${r}:${c}`;
    this.selected = keyOf(axes.rows[r]!, axes.cols[c]!);
    emit(this, 'folio-migration-select', {
      from: axes.rows[r]!,
      to: axes.cols[c]!,
      clients: cell.clients,
      revenue: cell.revenue,
      list: cell.list ?? null,
    });
  }
}

const TITLE: Text = ['Migration between classes', 'Миграция между классами'];
const REVENUE: Text = ['Revenue', 'Выручка'];
const NEW: Text = ['Not yet a client', 'Ещё не клиент'];
const ERASED: Text = ['Erased', 'Удалён'];

const keyOf = (from: string | null, to: string | null) => `${from ?? ''}→${to ?? ''}`;

/** Classes in their natural order where there is one (stages, A–C, X–Z), otherwise alphabetical. */
const ORDER: Record<string, readonly string[]> = {
  stage: Object.keys(STAGES),
  abc: ['A', 'B', 'C'],
  xyz: ['X', 'Y', 'Z'],
};

function axesOf(data: MigrationAnswer) {
  const order = ORDER[data.dimension] ?? [];
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
  const sort = (list: Set<string>) =>
    [...list].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
  const known = new Set(data.cells.flatMap((c) => [c.from, c.to]).filter((c) => c !== null));
  // The same classes on both axes, so that the diagonal is who stayed; new clients on top, erased ones last.
  const classes = sort(known);
  const rows = [...(data.cells.some((c) => c.from === null) ? [null] : []), ...classes];
  const cols = [...classes, ...(data.cells.some((c) => c.to === null) ? [null] : [])];
  const byKey = new Map(data.cells.map((c) => [keyOf(c.from, c.to), c]));
  return {
    rows,
    cols,
    at: (r: number, c: number): MigrationCell & { list?: string } =>
      byKey.get(keyOf(rows[r]!, cols[c]!)) ?? {
        from: rows[r]!,
        to: cols[c]!,
        clients: 0,
        revenue: 0,
      },
  };
}

function className(dimension: MigrationAnswer['dimension'], cls: string, { t }: I18n): string {
  return dimension === 'stage' ? labelOf(t, STAGES, cls) : cls;
}

/** `2026-06` → "Jun 2026" / "июнь 2026 г.". */
function monthName(label: string, { locale }: I18n): string {
  const date = Date.UTC(Number(label.slice(0, 4)), Number(label.slice(5, 7)) - 1, 1);
  return new Intl.DateTimeFormat(locale, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

declare global {
  interface HTMLElementTagNameMap {
    'folio-migration-matrix': MigrationMatrix;
  }
  interface HTMLElementEventMap {
    'folio-migration-select': CustomEvent<MigrationSelectDetail>;
  }
}
