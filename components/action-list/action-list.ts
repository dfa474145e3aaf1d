import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ActionItem, ActionList as ActionListData } from '../../schema/actions.ts';
import { send, withQuery } from '../shared/api.ts';
import { FolioDataElement } from '../shared/data-element.ts';
import { emit } from '../shared/events.ts';
import type { Format } from '../shared/format.ts';
import { labelOf, type Translate } from '../shared/messages.ts';
import { baseStyles } from '../shared/styles.ts';
import { stateTemplate, viewOf } from '../shared/view.ts';
import { actionListStyles } from './action-list.styles.ts';
import { dueBucket, dueText, type GroupBy, groupItems, kindLabel, reasonText } from './groups.ts';
import { PRIORITIES } from './messages.ts';

export interface ActionDoneDetail {
  id: string;
  kind: ActionItem['kind'];
  clientId: string | null;
  /** The API's answer to the POST, or null when the list has no `api-base` (the page records it). */
  result: unknown;
}

type Marking = { state: 'pending' } | { state: 'failed'; message: string | null };

/**
 * A manager's work list: what to do next for which client, and why, grouped by due date or by
 * kind. Each item shows the rule's reason and a "done" button that records it through the API.
 * Arrow keys move between items; Tab reaches the current item's button.
 *
 * @summary The work list (`GET /v1/actions`) with reasons and a done button per item.
 * @tag folio-action-list
 *
 * @event folio-action-done - The user marked an item done and the API accepted it (or, without `api-base`, the user asked to). `detail: { id, kind, clientId, result }`.
 *
 * @csspart base - The outer box.
 * @csspart summary - The count of items and the date of the list.
 * @csspart group - One group of items.
 * @csspart group-heading - A group's heading with its count.
 * @csspart items - The list of a group's items.
 * @csspart item - One item; also `priority-1`, `priority-2` or `priority-3`, and `overdue` when it is.
 * @csspart kind - What to do.
 * @csspart client - The client (or, for a manager's item, the manager).
 * @csspart priority - The priority badge.
 * @csspart due - The due date, or how long it is overdue.
 * @csspart reason - Why: the rule and the figures that fired.
 * @csspart done-button - The button that marks the item done.
 * @csspart item-error - Why marking an item done failed.
 * @csspart more - The note that more items wait on the next page.
 * @csspart loading - The loading message.
 * @csspart empty - The message shown when there is nothing to do.
 * @csspart error - The error message, with the API's problem detail.
 *
 * @cssproperty --folio-color-accent - Buttons, focus ring and the current item. Default `#2558c7`.
 * @cssproperty --folio-color-surface - Item background. Default `#fff`.
 * @cssproperty --folio-color-text - Text colour. Default `#1f2933`.
 * @cssproperty --folio-color-muted - Secondary text. Default `#52606d`.
 * @cssproperty --folio-color-border - Item borders. Default `#cbd2d9`.
 * @cssproperty --folio-color-danger - Overdue dates and errors. Default `#b42318`.
 * @cssproperty --folio-action-priority-1 - Colour of high priority. Default `#b42318`.
 * @cssproperty --folio-action-priority-2 - Colour of normal priority. Default `#8a5a00`.
 * @cssproperty --folio-action-priority-3 - Colour of low priority. Default `#52606d`.
 * @cssproperty --folio-font-family - Font. Inherited from the page by default.
 * @cssproperty --folio-font-size - Base font size. Default `0.875rem`.
 * @cssproperty --folio-radius - Corner radius. Default `6px`.
 * @cssproperty --folio-gap - Spacing unit. Default `0.5rem`.
 */
export class ActionList extends FolioDataElement<ActionListData> {
  static override properties: PropertyDeclarations = {
    manager: {},
    kind: {},
    clientId: { attribute: 'client-id' },
    asOf: { attribute: 'as-of' },
    limit: { type: Number },
    groupBy: { attribute: 'group-by', reflect: true },
    readonly: { type: Boolean, reflect: true },
    marking: { state: true },
    done: { state: true },
    current: { state: true },
    announcement: { state: true },
  };

  /** Exactly the JSON of `GET /v1/actions`. When set, nothing is fetched. */
  declare data: ActionListData | null;
  /** A restricted key (`rk_…`) for the manager, or a publishable key or widget session to read only. */
  declare key?: string;
  /** Filters of the list: a manager, one kind or several (comma-separated), a client, the date of the list. */
  declare manager?: string;
  declare kind?: string;
  declare clientId?: string;
  declare asOf?: string;
  /** Items per request (1–500). Default 100. */
  declare limit: number;
  /** `due` (overdue, today, next 7 days, later) or `kind`. */
  declare groupBy: GroupBy;
  /** Hides the done buttons, e.g. for a supervisor's overview or a read-only key. */
  declare readonly: boolean;

  /** Items being marked or whose marking failed. @internal */
  declare protected marking: ReadonlyMap<string, Marking>;
  /** Items marked done since the data arrived. @internal */
  declare protected done: ReadonlySet<string>;
  /** The item that takes the Tab stop (roving tabindex). @internal */
  declare protected current: string | null;
  /** What the polite live region says after an item is marked. @internal */
  declare protected announcement: string;

  static override styles = [baseStyles, actionListStyles];

  constructor() {
    super();
    this.limit = 100;
    this.groupBy = 'due';
    this.readonly = false;
    this.marking = new Map();
    this.done = new Set();
    this.current = null;
    this.announcement = '';
  }

  protected override path() {
    return withQuery('/v1/actions', {
      manager: this.manager,
      kind: this.kind,
      clientId: this.clientId,
      asOf: this.asOf,
      limit: this.limit,
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // New data starts afresh: what was marked belongs to the old list.
    if (changed.has('data')) {
      this.done = new Set();
      this.marking = new Map();
    }
  }

  #source(): ActionListData | null {
    if (this.data != null) return this.data;
    return this.api.state.status === 'ready' ? this.api.state.value : null;
  }

  override render() {
    const view = viewOf(
      this.data,
      this.api.state,
      (d) => d.data.filter((i) => !this.done.has(i.id)).length === 0,
    );
    const { t, f } = this.i18n();
    return html`<section part="base" aria-label=${t('Work list', 'Что сделать')} aria-busy=${view.kind === 'loading'}>
      ${stateTemplate(view, t, t('Nothing to do right now.', 'Сейчас делать нечего.'))}
      <p class="sr-only" role="status" aria-live="polite">${this.announcement}</p>
      ${view.kind === 'data' ? this.#renderList(view.value, t, f) : nothing}
    </section>`;
  }

  #renderList(list: ActionListData, t: Translate, f: Format) {
    const items = list.data.filter((i) => !this.done.has(i.id));
    const current = items.some((i) => i.id === this.current)
      ? this.current
      : (items[0]?.id ?? null);
    const groups = groupItems(items, this.groupBy === 'kind' ? 'kind' : 'due', list.asOf, t);
    // `total` counts every page; the items marked here are gone from it too.
    const total = Math.max(
      items.length,
      (list.total ?? list.data.length) - (list.data.length - items.length),
    );
    const [count, asOf] = [f.number(total, 0), f.date(list.asOf)];
    return html`<p part="summary" class="summary">${t(`${count} to do, as of ${asOf}`, `Дел: ${count}, на ${asOf}`)}</p>
      ${groups.map(
        (g, gi) => html`<section part="group" class="group" data-group=${g.key}>
          <h3 part="group-heading" id="group-${gi}">${g.label} <span class="count">(${f.number(g.items.length, 0)})</span></h3>
          <ul part="items" class="items" aria-labelledby="group-${gi}" @keydown=${this.#onKeydown}>
            ${g.items.map((item) => this.#renderItem(item, item.id === current, list.asOf, t, f))}
          </ul>
        </section>`,
      )}
      ${list.nextCursor ? html`<p part="more" class="muted">${t('More items are waiting on the next page.', 'Остальные дела — на следующей странице.')}</p>` : nothing}`;
  }

  #renderItem(item: ActionItem, isCurrent: boolean, asOf: string, t: Translate, f: Format) {
    const marking = this.marking.get(item.id);
    const overdue =
      item.overdueDays > 0 ||
      (item.kind !== 'respect_pause' && dueBucket(item, asOf) === 'overdue');
    const who =
      item.clientName ??
      item.clientId ??
      (item.manager ? t(`Manager: ${item.manager}`, `Менеджер: ${item.manager}`) : '');
    const what = kindLabel(item.kind, t);
    const reasonId = `reason-${cssId(item.id)}`;
    const canMark = item.canMarkDone && !this.readonly;
    return html`<li
      part="item priority-${item.priority}${overdue ? ' overdue' : ''}"
      class="item"
      data-id=${item.id}
      tabindex=${isCurrent ? 0 : -1}
      aria-describedby=${reasonId}
      @focus=${() => (this.current = item.id)}
    >
      <div class="head">
        <span part="kind" class="kind">${what}</span>
        <span part="client" class="client">${who}</span>
        <span part="priority" class="priority p${item.priority}">${labelOf(t, PRIORITIES, String(item.priority))}</span>
        <span part="due" class="due${overdue ? ' late' : ''}"><time datetime=${item.dueAt}>${dueText(item, t, f)}</time></span>
      </div>
      <p part="reason" class="reason" id=${reasonId}>${reasonText(item, t, f)}</p>
      ${
        canMark
          ? html`<button
            type="button"
            part="done-button"
            class="done"
            tabindex=${isCurrent ? 0 : -1}
            aria-label=${t(`Mark done: ${what}, ${who}`, `Отметить сделанным: ${what}, ${who}`)}
            aria-disabled=${marking?.state === 'pending' ? 'true' : 'false'}
            @click=${() => this.#markDone(item, t)}
          >${t('Done', 'Сделано')}</button>`
          : nothing
      }
      ${
        marking?.state === 'failed'
          ? html`<p part="item-error" class="error" role="alert">${t('Could not mark it done.', 'Не удалось отметить дело сделанным.')}${marking.message ? ` ${marking.message}` : ''}</p>`
          : nothing
      }
    </li>`;
  }

  /** Up and Down move between items (across groups), Home and End to the ends. */
  #onKeydown = (e: KeyboardEvent) => {
    const all = [...this.renderRoot.querySelectorAll<HTMLElement>('li.item')];
    const from = all.findIndex((li) => li === (e.target as Element).closest('li.item'));
    if (from === -1) return;
    const to =
      e.key === 'ArrowDown'
        ? Math.min(all.length - 1, from + 1)
        : e.key === 'ArrowUp'
          ? Math.max(0, from - 1)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? all.length - 1
              : null;
    if (to === null) return;
    e.preventDefault();
    void this.#focusItem(all[to]!.dataset.id!);
  };

  async #focusItem(id: string): Promise<void> {
    this.current = id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`li.item[data-id="${CSS.escape(id)}"]`)?.focus();
  }

  async #markDone(item: ActionItem, t: Translate): Promise<void> {
    if (this.marking.get(item.id)?.state === 'pending') return;
    const who = item.clientName ?? item.clientId ?? item.manager ?? '';
    let result: unknown = null;
    if (this.apiBase) {
      this.#setMarking(item.id, { state: 'pending' });
      const outcome = await send(
        {
          base: this.apiBase,
          path: `/v1/actions/${encodeURIComponent(item.id)}/done`,
          key: this.key,
        },
        { method: 'POST', body: '{}' },
      );
      if (!outcome.ok) {
        this.#setMarking(item.id, { state: 'failed', message: outcome.message });
        return;
      }
      result = outcome.body;
    }
    // Keep the keyboard where it was: on the next item, or the previous one at the end of the list.
    const order = [...this.renderRoot.querySelectorAll<HTMLElement>('li.item')].map(
      (li) => li.dataset.id!,
    );
    const at = order.indexOf(item.id);
    const next = order[at + 1] ?? order[at - 1] ?? null;
    const hadFocus =
      this.renderRoot
        .querySelector(`li.item[data-id="${CSS.escape(item.id)}"]`)
        ?.contains((this.renderRoot as ShadowRoot).activeElement) ?? false;
    this.#setMarking(item.id, null);
    this.done = new Set([...this.done, item.id]);
    const what = kindLabel(item.kind, t);
    this.announcement = t(`Marked done: ${what}, ${who}.`, `Отмечено сделанным: ${what}, ${who}.`);
    emit(this, 'folio-action-done', {
      id: item.id,
      kind: item.kind,
      clientId: item.clientId,
      result,
    });
    if (next && hadFocus) await this.#focusItem(next);
  }

  #setMarking(id: string, value: Marking | null): void {
    const next = new Map(this.marking);
    if (value) next.set(id, value);
    else next.delete(id);
    this.marking = next;
  }

  /** The list as currently shown (the data or the fetched answer, less the items marked done). */
  get items(): ActionItem[] {
    return (this.#source()?.data ?? []).filter((i) => !this.done.has(i.id));
  }
}

/** Item ids hold any character a client id may; element ids get a safe form. */
const cssId = (id: string) =>
  id.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}`);

declare global {
  interface HTMLElementTagNameMap {
    'folio-action-list': ActionList;
  }
  interface HTMLElementEventMap {
    'folio-action-done': CustomEvent<ActionDoneDetail>;
  }
}
