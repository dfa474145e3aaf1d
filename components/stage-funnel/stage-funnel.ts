import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { Funnel, FunnelStage } from '../../schema/lifecycle.ts';
import { withQuery } from '../shared/api.ts';
import { setCustomProperties } from '../shared/custom-properties.ts';
import { FolioDataElement } from '../shared/data-element.ts';
import { emit } from '../shared/events.ts';
import type { I18n } from '../shared/folio-element.ts';
import { CLIENTS, labelOf, NONE, STAGES } from '../shared/messages.ts';
import { baseStyles, tableStyles } from '../shared/styles.ts';
import { stateTemplate, viewOf } from '../shared/view.ts';
import { funnelStyles } from './stage-funnel.styles.ts';

export interface StageSelectDetail {
  stage: FunnelStage['stage'];
}

/**
 * The lifecycle funnel of a workspace: how many clients are in each stage now, how many of them
 * move on to the next stage and how long they stay.
 *
 * @summary Lifecycle funnel with counts, stage-to-stage conversion and median days in stage.
 * @tag folio-stage-funnel
 *
 * @event folio-stage-select - The user picked a stage (click, Enter or Space). `detail: { stage }`.
 *
 * @csspart base - The outer box.
 * @csspart summary - The line with the number of clients and the date.
 * @csspart stages - The list of stages.
 * @csspart stage - One stage's button.
 * @csspart bar - The bar of a stage, sized by its count.
 * @csspart label - A stage's name.
 * @csspart count - A stage's number of clients.
 * @csspart meta - Conversion to the next stage and median time in stage.
 * @csspart table - The data table with the same numbers (visually hidden unless `show-table`).
 * @csspart loading - The loading message.
 * @csspart empty - The message shown when there are no clients.
 * @csspart error - The error message, with the API's problem detail.
 *
 * @cssproperty --folio-color-accent - Bars, focus ring and highlights. Default `#2558c7`.
 * @cssproperty --folio-color-text - Text colour. Default `#1f2933`.
 * @cssproperty --folio-color-muted - Secondary text. Default `#52606d`.
 * @cssproperty --folio-color-border - Rules and borders. Default `#cbd2d9`.
 * @cssproperty --folio-color-danger - Error text. Default `#b42318`.
 * @cssproperty --folio-font-family - Font. Inherited from the page by default.
 * @cssproperty --folio-font-size - Base font size. Default `0.875rem`.
 * @cssproperty --folio-radius - Corner radius. Default `6px`.
 * @cssproperty --folio-gap - Spacing unit. Default `0.5rem`.
 * @cssproperty --folio-transition-duration - Bar and hover transitions. Default `150ms`.
 * @cssproperty --folio-funnel-bar-color - Bar colour. Default: the accent colour.
 * @cssproperty --folio-funnel-bar-thickness - Bar thickness in the vertical layout. Default `1.25rem`.
 * @cssproperty --folio-funnel-height - Bar area height in the horizontal layout. Default `8rem`.
 */
export class StageFunnel extends FolioDataElement<Funnel> {
  static override properties: PropertyDeclarations = {
    asOf: { attribute: 'as-of' },
    from: {},
    to: {},
    layout: { reflect: true },
    selected: { reflect: true },
    showTable: { type: Boolean, attribute: 'show-table', reflect: true },
  };

  /** Exactly the JSON of `GET /v1/lifecycle/funnel`. When set, nothing is fetched. */
  declare data: Funnel | null;
  /** Query of the funnel: the instant the counts are taken at, and the window of `entered`. */
  declare asOf?: string;
  declare from?: string;
  declare to?: string;
  /** `vertical` (stages stacked, bars across) or `horizontal` (stages side by side). */
  declare layout: 'vertical' | 'horizontal';
  /** The stage the user picked last; highlighted. */
  declare selected?: string;
  /** Shows the data table that is otherwise only read by screen readers. */
  declare showTable: boolean;

  static override styles = [baseStyles, tableStyles, funnelStyles];

  constructor() {
    super();
    this.layout = 'vertical';
    this.showTable = false;
  }

  protected override path() {
    return withQuery('/v1/lifecycle/funnel', { asOf: this.asOf, from: this.from, to: this.to });
  }

  /** Each shown stage's count relative to the largest, set as `--size` after rendering. */
  #sizes = new Map<string, number>();

  override render() {
    const view = viewOf(this.data, this.api.state, (d) => d.total === 0 || d.stages.length === 0);
    const i = this.i18n();
    return html`<section part="base" aria-label=${title(i)} aria-busy=${view.kind === 'loading'}>
      ${stateTemplate(view, i.t, i.t('No clients in the funnel yet.', 'В воронке пока нет клиентов.'))}${view.kind === 'data' ? this.#renderFunnel(view.value, i) : nothing}
    </section>`;
  }

  #renderFunnel(funnel: Funnel, i: I18n) {
    const { t, f } = i;
    const max = Math.max(1, ...funnel.stages.map((s) => s.count));
    this.#sizes = new Map(funnel.stages.map((s) => [s.stage, s.count / max]));
    const [total, asOf] = [i.count(funnel.total, 'client'), f.date(funnel.asOf)];
    const summary = t(`${total}, as of ${asOf}`, `${total} на ${asOf}`);
    const rows = funnel.stages.map((s) => ({ s, name: stageName(s, i), ...figures(s, i) }));
    return html`<p part="summary" class="summary">${summary}</p>
      <ol part="stages" class="stages" aria-label=${title(i)}>
        ${rows.map(
          ({ s, name, meta }) => html`<li>
            <button type="button" part="stage" class="stage" aria-current=${s.stage === this.selected ? 'true' : 'false'} data-stage=${s.stage} @click=${() => this.#select(s.stage)}>
              <span part="label" class="label">${name}</span>
              <span class="track"><span part="bar" class="bar"></span></span>
              <span part="count" class="count">${f.number(s.count, 0)}</span>
              ${meta ? html`<span part="meta" class="meta">${meta}</span>` : nothing}
            </button>
          </li>`,
        )}
      </ol>
      <div class="data-table"><table part="table">
        <caption>${title(i)}: ${summary}</caption>
        <thead>
          <tr>
            <th scope="col">${t('Stage', 'Стадия')}</th>
            <th scope="col">${t(...CLIENTS)}</th>
            <th scope="col">${t('Entered in period', 'Вошли за период')}</th>
            <th scope="col">${t('Ever reached', 'Дошли когда-либо')}</th>
            <th scope="col">${t('Conversion to next stage', 'Конверсия в следующую стадию')}</th>
            <th scope="col">${t('Reached from the start', 'Дошли от начала')}</th>
            <th scope="col">${t('Median time in stage', 'Медиана времени в стадии')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            ({ s, name, conversion, median }) => html`<tr>
              <th scope="row">${name}</th>
              <td>${f.number(s.count, 0)}</td>
              <td>${f.number(s.entered, 0)}</td>
              <td>${f.number(s.reached, 0)}</td>
              <td>${conversion}</td>
              <td>${f.percent(s.cumulativeConversion)}</td>
              <td>${median}</td>
            </tr>`,
          )}
        </tbody>
      </table></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    setCustomProperties(this.renderRoot, 'data-stage', '--size', this.#sizes);
  }

  #select(stage: FunnelStage['stage']) {
    this.selected = stage;
    emit(this, 'folio-stage-select', { stage });
  }
}

/**
 * The API sends the workspace's label, which is the stage id unless the workspace renamed it: a
 * rename is shown as is, a default name in the reader's language.
 */
function stageName(s: FunnelStage, { t }: I18n): string {
  const english = labelOf((en) => en, STAGES, s.stage);
  const renamed = s.label && s.label !== s.stage && s.label.toLowerCase() !== english.toLowerCase();
  return renamed ? s.label : labelOf(t, STAGES, s.stage);
}

const title = ({ t }: I18n) => t('Lifecycle funnel', 'Воронка жизненного цикла');

function figures(s: FunnelStage, { t, f }: I18n) {
  const conversion = s.conversionToNext == null ? null : f.percent(s.conversionToNext);
  const median = s.medianDays == null ? null : f.duration(s.medianDays, 'day');
  return {
    conversion: conversion ?? NONE,
    median: median ?? NONE,
    // Under the bar, only what is known: the last stages have no next one to convert to.
    meta: [
      conversion && t(`${conversion} move on`, `дальше: ${conversion}`),
      median && t(`median ${median}`, `медиана ${median}`),
    ]
      .filter(Boolean)
      .join(' · '),
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'folio-stage-funnel': StageFunnel;
  }
  interface HTMLElementEventMap {
    'folio-stage-select': CustomEvent<StageSelectDetail>;
  }
}
