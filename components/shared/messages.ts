import { STAGE_LABELS } from '../../schema/stage-labels.ts';
import type { Lang } from './locale.ts';

// Our own words rather than @lit/localize: an embedded widget must not configure a page-wide
// localisation runtime that the host page may also use. Each text is written where it is shown,
// in both languages at once, `t('Clients', 'Клиенты')`: side by side they are easy to keep in
// step, and no table of keys stands between a template and its words (dropping the keys took
// 648 B off the gzipped one-file bundle). Words looked up by an id that comes with the data (a
// stage, a client type, an event type) live in tables keyed by that id, beside the component that
// shows them (the stages, which two show, here).

/** A text in both our languages: English, then Russian. */
export type Text = readonly [en: string, ru: string];

/** Picks the reader's language: `t('Clients', 'Клиенты')`, or `t(...CLIENTS)` for a shared text. */
export type Translate = (en: string, ru: string) => string;

const english: Translate = (en) => en;
const russian: Translate = (_en, ru) => ru;

export const translator = (lang: Lang): Translate => (lang === 'ru' ? russian : english);

/** The label of an open-ended id: ours when we know the id, otherwise the id itself, so that a workspace's new kinds still show something readable. */
export const labelOf = (
  t: Translate,
  labels: Readonly<Record<string, Text>>,
  id: string,
): string => (Object.hasOwn(labels, id) ? t(...labels[id]!) : id);

// Texts more than one component shows.
export const LOADING: Text = ['Loading…', 'Загрузка…'];
export const LOAD_FAILED: Text = ['Could not load the data.', 'Не удалось загрузить данные.'];
export const CLIENTS: Text = ['Clients', 'Клиенты'];
/** Shown for a figure that does not exist (no next stage, no ratio), the same in both languages. */
export const NONE = '—';

/** The stages of both stage models, for the funnel and the card (one list with the API's). */
export const STAGES: Readonly<Record<string, Text>> = STAGE_LABELS;
