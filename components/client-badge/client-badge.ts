import { html, nothing, type PropertyDeclarations } from 'lit';
import type { ApiState } from '../shared/api.ts';
import { FolioDataElement } from '../shared/data-element.ts';
import type { I18n } from '../shared/folio-element.ts';
import { labelOf, type Text } from '../shared/messages.ts';
import { reasonText, type ReasonLike } from '../shared/reasons.ts';
import type { ClientProfile, ClientTypeEntry } from '../shared/profile.ts';
import { baseStyles } from '../shared/styles.ts';
import { stateTemplate, viewOf } from '../shared/view.ts';
import { badgeStyles } from './client-badge.styles.ts';
import { iconFor, toneOf } from './icons.ts';

/**
 * A client's types (golden, pioneer, fan, bad, sleeping…), each an icon and a label with a
 * tooltip that says why the client has it. The tooltip shows on hover and on keyboard focus,
 * is the label's accessible description, and Escape hides it.
 *
 * @summary A client's types with icons and the reasons behind each.
 * @tag folio-client-badge
 *
 * @csspart base - The outer box.
 * @csspart types - The list of types.
 * @csspart type - One type.
 * @csspart icon - A type's icon.
 * @csspart label - A type's name.
 * @csspart tooltip - The reasons of a type.
 * @csspart loading - The loading message.
 * @csspart empty - The message shown when the client has no type.
 * @csspart error - The error message, with the API's problem detail.
 *
 * @cssproperty --folio-color-accent - Colour of an ordinary type. Default `#2558c7`.
 * @cssproperty --folio-color-danger - Colour of a warning type (bad, false client) and of errors. Default `#b42318`.
 * @cssproperty --folio-color-muted - Colour of a quiet type (sleeping, small fry, near-client). Default `#52606d`.
 * @cssproperty --folio-color-surface - Background the chips are tinted over. Default `#fff`.
 * @cssproperty --folio-badge-color - Overrides the ordinary type colour.
 * @cssproperty --folio-badge-warn-color - Overrides the warning type colour.
 * @cssproperty --folio-badge-quiet-color - Overrides the quiet type colour.
 * @cssproperty --folio-tooltip-background - Tooltip background. Default `#1f2933`.
 * @cssproperty --folio-tooltip-color - Tooltip text. Default `#fff`.
 * @cssproperty --folio-tooltip-z-index - Stacking of the tooltip. Default `10`.
 * @cssproperty --folio-font-family - Font. Inherited from the page by default.
 * @cssproperty --folio-font-size - Base font size. Default `0.875rem`.
 * @cssproperty --folio-radius - Tooltip corner radius. Default `6px`.
 */
export class ClientBadge extends FolioDataElement<ClientProfile> {
  static override properties: PropertyDeclarations = {
    types: { attribute: false },
    clientId: { attribute: 'client-id' },
    dismissed: { state: true, attribute: false },
  };

  /** The profile's `types` array. When set, it wins over `data`, and nothing is fetched. */
  declare types: ClientTypeEntry[] | null;
  /** Exactly the JSON of `GET /v1/clients/{id}`, whose `types` are shown. When set, nothing is fetched. */
  declare data: ClientProfile | null;
  /** The client whose profile (`GET /v1/clients/{id}`) gives the types. */
  declare clientId?: string;
  /** The tooltip the user closed with Escape, until the pointer or focus leaves it. @internal */
  declare private dismissed: number | null;

  static override styles = [baseStyles, badgeStyles];

  constructor() {
    super();
    this.types = null;
    this.dismissed = null;
  }

  protected override path() {
    return this.types == null && this.clientId
      ? `/v1/clients/${encodeURIComponent(this.clientId)}`
      : null;
  }

  override render() {
    const s = this.api.state;
    const state: ApiState<ClientTypeEntry[]> =
      s.status === 'ready' ? { status: 'ready', value: s.value?.types ?? [] } : s;
    const view = viewOf(
      this.types ?? (this.data && (this.data.types ?? [])),
      state,
      (types) => types.length === 0,
    );
    const i = this.i18n(this.data?.currency);
    const { t } = i;
    return html`<div part="base">${stateTemplate(view, t, t('No types', 'Вид не определён'))}${view.kind === 'data' ? this.#renderTypes(view.value, i) : nothing}</div>`;
  }

  #renderTypes(types: ClientTypeEntry[], i18n: I18n) {
    const { t } = i18n;
    return html`<ul part="types" class="types" aria-label=${t('Client types', 'Виды клиента')}>
      ${types.map((entry, i) => {
        // "Set by hand" has a line of its own below; the other reasons are rendered here.
        const given = (entry.reasons as ReasonLike[])
          .filter((r) => typeof r === 'string' || r.code !== 'manual')
          .map((r) => reasonText(r, i18n));
        const reasons = given.length ? given : [t('No reasons given', 'Причины не указаны')];
        return html`<li part="type" class="chip ${this.dismissed === i ? 'dismissed' : ''}" data-type=${entry.type} data-tone=${toneOf(entry.type)}
          @mouseleave=${this.#restore} @focusout=${this.#restore}>
          <span class="trigger" tabindex="0" aria-describedby="tip-${i}" @keydown=${(e: KeyboardEvent) => this.#dismiss(e, i)}>
            <svg part="icon" viewBox="0 0 16 16" aria-hidden="true">${iconFor(entry.type)}</svg>
            <span part="label">${labelOf(t, TYPES, entry.type)}</span>
          </span>
          <span part="tooltip" class="tip" role="tooltip" id="tip-${i}">
            ${entry.source === 'manual' ? html`<span class="reason">${t('Set by hand', 'Задан вручную')}<span class="sr-only">; </span></span>` : nothing}
            ${reasons.map((r, j) => html`<span class="reason">${r}${j < reasons.length - 1 ? html`<span class="sr-only">; </span>` : nothing}</span>`)}
          </span>
        </li>`;
      })}
    </ul>`;
  }

  #dismiss(e: KeyboardEvent, index: number) {
    if (e.key === 'Escape') this.dismissed = index;
  }

  #restore = () => {
    this.dismissed = null;
  };
}

/** The client types of docs/domain.md 3. */
const TYPES: Readonly<Record<string, Text>> = {
  golden: ['Golden', 'Золотой'],
  pioneer: ['Pioneer', 'Пионер'],
  fan: ['Fan', 'Фанат'],
  bad: ['Bad', 'Плохой'],
  sleeping: ['Sleeping', 'Спящий'],
  loyal: ['Loyal', 'Постоянный'],
  super_consumer: ['Super-consumer', 'Суперпотребитель'],
  small_fry: ['Small fry', 'Мелочь'],
  lead_user: ['Lead user', 'Ведущий пользователь'],
  status: ['Status', 'Статусный'],
  inquirer: ['Inquirer', 'Обращенец'],
  near_client: ['Near-client', 'Недоклиент'],
  false_client: ['False client', 'Ложный клиент'],
  potential: ['Potential', 'Потенциальный'],
  competitors: ["Competitor's", 'Чужой'],
};

declare global {
  interface HTMLElementTagNameMap {
    'folio-client-badge': ClientBadge;
  }
}
