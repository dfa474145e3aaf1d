import { html, nothing, type PropertyDeclarations } from 'lit';
import type { ClientEvent } from '../../schema/events.ts';
import { FolioDataElement } from '../shared/data-element.ts';
import type { I18n } from '../shared/folio-element.ts';
import { labelOf, NONE, STAGES, type Text } from '../shared/messages.ts';
import type { ClientProfile } from '../shared/profile.ts';
import { baseStyles } from '../shared/styles.ts';
import { stateTemplate, viewOf } from '../shared/view.ts';
import { cardStyles } from './client-card.styles.ts';

/**
 * One client at a glance: where it stands in the lifecycle, its types (with the reasons behind
 * them), what it is worth and its latest events. Shows whatever the profile holds: value fields
 * the API has not computed yet are simply left out. The types are drawn by
 * `<folio-client-badge>`, which the `folio-client-card` define module registers too.
 *
 * @summary A client's stage, types, value and recent events.
 * @tag folio-client-card
 *
 * @csspart base - The card.
 * @csspart header - Name, stage, types and tags.
 * @csspart name - The client's name.
 * @csspart stage - The client's stage.
 * @csspart types - The `<folio-client-badge>` inside the card; its parts `type`, `icon`, `tooltip` are exported, its `label` as `type-label`.
 * @csspart value - The value figures.
 * @csspart events - The list of recent events.
 * @csspart loading - The loading message.
 * @csspart empty - The message shown when there is no client.
 * @csspart error - The error message, with the API's problem detail (e.g. an unknown client).
 *
 * @cssproperty --folio-color-accent - Stage chip and focus ring. Default `#2558c7`.
 * @cssproperty --folio-color-surface - Card background. Default `#fff`.
 * @cssproperty --folio-color-text - Text colour. Default `#1f2933`.
 * @cssproperty --folio-color-muted - Labels and dates. Default `#52606d`.
 * @cssproperty --folio-color-border - Card border and rules. Default `#cbd2d9`.
 * @cssproperty --folio-color-danger - Error text. Default `#b42318`.
 * @cssproperty --folio-card-stage-color - Colour of the stage chip. Default: the accent colour.
 * @cssproperty --folio-font-family - Font. Inherited from the page by default.
 * @cssproperty --folio-font-size - Base font size. Default `0.875rem`.
 * @cssproperty --folio-radius - Corner radius. Default `6px`.
 * @cssproperty --folio-gap - Spacing unit. Default `0.5rem`.
 */
export class ClientCard extends FolioDataElement<ClientProfile> {
  static override properties: PropertyDeclarations = {
    clientId: { attribute: 'client-id' },
  };

  /** Exactly the JSON of `GET /v1/clients/{id}`. When set, nothing is fetched. */
  declare data: ClientProfile | null;
  /** The client to fetch. */
  declare clientId?: string;

  static override styles = [baseStyles, cardStyles];

  protected override path() {
    return this.clientId ? `/v1/clients/${encodeURIComponent(this.clientId)}` : null;
  }

  override render() {
    const view = viewOf(this.data, this.api.state, (p) => !p.id);
    const i = this.i18n(view.kind === 'data' ? view.value.currency : undefined);
    return html`<div aria-busy=${view.kind === 'loading'}>
      ${stateTemplate(view, i.t, i.t('No client to show.', 'Нет клиента для показа.'))}${view.kind === 'data' ? this.#renderCard(view.value, i) : nothing}
    </div>`;
  }

  #renderCard(p: ClientProfile, i: I18n) {
    const { t, f } = i;
    const tags = p.tags ?? [];
    const events = p.recentEvents ?? [];
    const figures = valueFigures(p, i);
    return html`<article part="base" aria-labelledby="name">
      <header part="header">
        <h2 id="name" part="name">${p.name || p.id}</h2>
        ${
          p.stage
            ? html`<p class="stage-line">
              <span part="stage" class="stage">${labelOf(t, STAGES, p.stage)}</span>
              ${p.stageSince ? html`<span class="muted">${since(t, f.date(p.stageSince))}</span>` : nothing}
            </p>`
            : nothing
        }
        ${
          p.types?.length
            ? html`<folio-client-badge part="types" exportparts="type, icon, tooltip, label: type-label" .types=${p.types}></folio-client-badge>`
            : nothing
        }
        ${tags.length ? html`<ul class="tags" aria-label=${t('Tags', 'Метки')}>${tags.map((tag) => html`<li>${tag}</li>`)}</ul>` : nothing}
      </header>
      ${
        figures.length
          ? html`<section part="value" aria-labelledby="value">
            <h3 id="value">${t('Value', 'Ценность')}</h3>
            <dl>${figures.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}</dl>
          </section>`
          : nothing
      }
      <section aria-labelledby="events">
        <h3 id="events">${t('Recent events', 'Последние события')}</h3>
        ${
          events.length
            ? html`<ol part="events" class="events">
              ${events.map(
                (e) => html`<li>
                  <time datetime=${e.at}>${f.date(e.at)}</time>
                  <span>${labelOf(t, EVENTS, e.type)}${eventDetail(e, i)}</span>
                </li>`,
              )}
            </ol>`
            : html`<p class="muted">${t('No events yet.', 'Событий пока нет.')}</p>`
        }
      </section>
    </article>`;
  }
}

/** The value rows the profile can fill, in reading order; a missing or null field is no row. */
function valueFigures(p: ClientProfile, { f, t }: I18n): [string, string][] {
  const clv = p.clv ?? {};
  const agg = p.aggregates ?? {};
  const rows: [string, string | null][] = [
    [t('Historic CLV', 'Накопленная CLV'), num(clv.historicClv ?? agg.revenue, f.money)],
    [t('Predicted CLV', 'Прогноз CLV'), num(clv.predictedClv, f.money)],
    // Without a fitted model the total is the historic value: no need to say it twice.
    [
      t('Total CLV', 'Итоговая CLV'),
      clv.totalClv != null && clv.totalClv !== clv.historicClv ? f.money(clv.totalClv) : null,
    ],
    [t('Orders', 'Заказы'), num(agg.orders ?? clv.orders, (n) => f.number(n, 0))],
    [t('Margin', 'Маржа'), num(clv.historicMargin ?? agg.margin, f.money)],
    [t('Probability still active', 'Вероятность, что клиент активен'), num(clv.pAlive, f.percent)],
    [t('Churn probability', 'Вероятность ухода'), num(clv.churnProbability, f.percent)],
    [
      t('Predicted orders', 'Прогноз заказов'),
      num(clv.predictedNumberOfOrders, (n) => f.number(n, 1)),
    ],
    [
      t('Average days between orders', 'Дней между заказами в среднем'),
      num(clv.averageDaysBetweenOrders, (n) => f.duration(n, 'day')),
    ],
    [
      t('Expected next order', 'Ожидаемый следующий заказ'),
      clv.expectedDateOfNextOrder ? f.date(clv.expectedDateOfNextOrder) : null,
    ],
    [
      t('First purchase', 'Первая покупка'),
      agg.firstPurchaseAt ? f.date(agg.firstPurchaseAt) : null,
    ],
    [
      t('Last purchase', 'Последняя покупка'),
      agg.lastPurchaseAt ? f.date(agg.lastPurchaseAt) : null,
    ],
    // The same abbreviations in both languages.
    [
      'RFM',
      p.rfm
        ? `R${p.rfm.r ?? NONE} F${p.rfm.f ?? NONE} M${p.rfm.m ?? NONE} · ${p.rfm.segment}`
        : null,
    ],
    ['ABC-XYZ', p.abc || p.xyz ? `${p.abc ?? NONE}${p.xyz ?? NONE}` : null],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== null);
}

const since = (t: I18n['t'], date: string) => t(`since ${date}`, `с ${date}`);

/** The kinds of event (schema/events.ts), as the list of recent events names them. */
const EVENTS: Readonly<Record<string, Text>> = {
  outreach: ['Outreach', 'Касание'],
  response: ['Response', 'Отклик'],
  request: ['Request', 'Запрос'],
  interest: ['Interest', 'Интерес'],
  refusal: ['Refusal', 'Отказ'],
  meeting: ['Meeting', 'Встреча'],
  offer: ['Offer', 'Предложение'],
  purchase: ['Purchase', 'Покупка'],
  purchase_refused: ['Purchase refused', 'Отказ от покупки'],
  payment: ['Payment', 'Оплата'],
  contact: ['Contact', 'Контакт'],
  complaint: ['Complaint', 'Жалоба'],
  review: ['Review', 'Отзыв'],
  referral: ['Referral', 'Рекомендация'],
  tag: ['Tag', 'Метка'],
  stage_override: ['Stage set by hand', 'Стадия задана вручную'],
};

const num = (n: number | null | undefined, format: (n: number) => string): string | null =>
  typeof n === 'number' && Number.isFinite(n) ? format(n) : null;

/** What is worth a glance about one event: the amount of a purchase, the reason of a refusal. */
function eventDetail(e: ClientEvent, { f }: I18n) {
  const fields = e as { amount?: unknown; product?: unknown; reason?: unknown };
  const parts = [
    typeof fields.amount === 'number' ? f.money(fields.amount) : null,
    typeof fields.product === 'string' ? fields.product : null,
    typeof fields.reason === 'string' ? fields.reason : null,
  ].filter((s) => s);
  return parts.length ? `: ${parts.join(', ')}` : '';
}

declare global {
  interface HTMLElementTagNameMap {
    'folio-client-card': ClientCard;
  }
}
