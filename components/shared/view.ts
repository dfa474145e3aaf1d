import { html, nothing, type TemplateResult } from 'lit';
import type { ApiState } from './api.ts';
import { LOAD_FAILED, LOADING, type Translate } from './messages.ts';

/** What a data component shows: the data, or one of the states around it. */
export type View<T> =
  | { kind: 'loading' }
  | { kind: 'error'; message: string | null }
  | { kind: 'empty' }
  | { kind: 'data'; value: T };

/** The `data` property wins; otherwise the API's state; nothing at all counts as empty. */
export function viewOf<T>(
  data: T | null | undefined,
  state: ApiState<T> | null,
  isEmpty: (value: T) => boolean,
): View<T> {
  let value: T | null | undefined = data;
  if (value == null && state) {
    if (state.status === 'loading') return { kind: 'loading' };
    if (state.status === 'error') return { kind: 'error', message: state.message };
    if (state.status === 'ready') value = state.value;
  }
  return value == null || isEmpty(value) ? { kind: 'empty' } : { kind: 'data', value };
}

/**
 * The live regions every data component carries. The polite status region stays in the DOM so
 * that screen readers announce its text changing (loading, then empty); errors are inserted as an
 * alert, which is announced on insertion.
 */
export function stateTemplate(
  view: View<unknown>,
  t: Translate,
  emptyText: string,
): TemplateResult {
  const status = view.kind === 'loading' ? t(...LOADING) : view.kind === 'empty' ? emptyText : '';
  return html`<div class="status" role="status" aria-live="polite">${
    status ? html`<p part=${view.kind} class="state">${status}</p>` : nothing
  }</div>${
    view.kind === 'error'
      ? html`<div part="error" class="state error" role="alert"><strong>${t(...LOAD_FAILED)}</strong>${view.message ? html` <span>${view.message}</span>` : nothing}</div>`
      : nothing
  }`;
}
