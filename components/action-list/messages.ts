import type { ActionKind } from '../../schema/actions.ts';
import type { Lang } from '../shared/locale.ts';
import { inLanguage, type Translations } from '../shared/messages.ts';

// The work list's own words, [English, Russian] as in the shared table. Kept beside the component
// (not in the shared table) because only it uses them; `{0}`, `{1}` are filled by the shared `fill`.

/** What to do, per kind; the key order is the order of a list grouped by kind. */
const kinds = {
  respect_pause: ['Hold off: pause after a negative contact', 'Пауза после негативного контакта'],
  keep_cadence: ['Keep the contact cadence', 'Соблюсти частоту контактов'],
  review_dossier: ['Review the key-client dossier', 'Обновить досье ключевого клиента'],
  assign_manager: ['Assign a manager', 'Назначить менеджера'],
  rebalance_manager: ['Rebalance key clients', 'Перераспределить ключевых клиентов'],
  reduce_mono_client: ['Reduce mono-client dependence', 'Снизить зависимость от моноклиента'],
  follow_up_lead: ['Follow up a qualified lead', 'Связаться с квалифицированным лидом'],
  recheck_interest: ['Re-check deferred interest', 'Вернуться к отложенному интересу'],
  follow_up_near_client: ['Follow up a near-client', 'Связаться с недоклиентом'],
  wake_sleeping: ['Wake a sleeping client', 'Разбудить спящего клиента'],
  win_back_lost: ['Win back a lost client', 'Вернуть утерянного клиента'],
  loyal_touch: ['Touch a loyal client', 'Напомнить о себе постоянному клиенту'],
  ask_referral: ['Ask for a referral', 'Попросить рекомендацию'],
  review_bad_client: ['Review a bad client', 'Пересмотреть условия плохого клиента'],
} satisfies Record<ActionKind, Translations[string]>;

const messages = {
  title: ['Work list', 'Что сделать'],
  summary: ['{0} to do, as of {1}', 'Дел: {0}, на {1}'],
  empty: ['Nothing to do right now.', 'Сейчас делать нечего.'],
  more: ['More items are waiting on the next page.', 'Остальные дела — на следующей странице.'],
  done: ['Done', 'Сделано'],
  doneLabel: ['Mark done: {0}, {1}', 'Отметить сделанным: {0}, {1}'],
  marked: ['Marked done: {0}, {1}.', 'Отмечено сделанным: {0}, {1}.'],
  failed: ['Could not mark it done.', 'Не удалось отметить дело сделанным.'],
  due: ['due {0}', 'срок {0}'],
  overdue: ['{0} overdue', 'просрочено на {0}'],
  until: ['until {0}', 'до {0}'],
  manager: ['Manager: {0}', 'Менеджер: {0}'],
  'priority.1': ['High priority', 'Высокий приоритет'],
  'priority.2': ['Normal priority', 'Обычный приоритет'],
  'priority.3': ['Low priority', 'Низкий приоритет'],
  'group.overdue': ['Overdue', 'Просрочено'],
  'group.today': ['Due today', 'Сегодня'],
  'group.week': ['Next 7 days', 'Ближайшие 7 дней'],
  'group.later': ['Later', 'Позже'],
  'reason.respect_pause': [
    'Negative contact on {negativeContactAt}: no personal contact until {pauseEndsAt}; urgent matters through other people.',
    'Негативный контакт {negativeContactAt}: без личных контактов до {pauseEndsAt}, срочное — через других людей.',
  ],
  'reason.keep_cadence': [
    'No positive contact for {daysSinceContact}; a key client needs one every {cadenceDays}.',
    'Нет позитивного контакта уже {daysSinceContact}; с ключевым клиентом — не реже чем раз в {cadenceDays}.',
  ],
  'reason.keep_cadence.never': [
    'No positive contact recorded; a key client needs one every {cadenceDays}.',
    'Позитивных контактов не было; с ключевым клиентом — не реже чем раз в {cadenceDays}.',
  ],
  'reason.review_dossier': [
    'Dossier last reviewed {daysSinceReview} ago ({reviewedAt}); it is reviewed every {reviewDays}.',
    'Досье обновлялось {daysSinceReview} назад ({reviewedAt}); обновлять раз в {reviewDays}.',
  ],
  'reason.review_dossier.never': ['This key client has no dossier yet.', 'У ключевого клиента ещё нет досье.'],
  'reason.assign_manager': ['A key client without a key-account manager.', 'У ключевого клиента нет менеджера.'],
  'reason.rebalance_manager': [
    'Holds {keyClients} key clients; one manager handles at most {maxKeyClients}.',
    'Ключевых клиентов: {keyClients}; один менеджер ведёт не больше {maxKeyClients}.',
  ],
  'reason.reduce_mono_client': [
    'Brings {share} of revenue or margin: grow other clients to reduce the dependence.',
    'Приносит {share} выручки или маржи: развивайте других клиентов, чтобы снизить зависимость.',
  ],
  'reason.follow_up_lead': [
    'A qualified lead: contact data, a wish to buy and a budget.',
    'Квалифицированный лид: есть контакты, желание купить и бюджет.',
  ],
  'reason.recheck_interest': [
    'Showed interest on {interestAt} and asked to come back later: re-check due {recheckAt}.',
    'Проявил интерес {interestAt} и просил вернуться позже: пора уточнить ({recheckAt}).',
  ],
  'reason.follow_up_near_client': [
    'Met us but has not bought; last event {daysSinceLastEvent} ago.',
    'Познакомился с нами, но не купил; последнее событие {daysSinceLastEvent} назад.',
  ],
  'reason.wake_sleeping': [
    'Asleep since {stageSince}; last purchase {daysSinceLastPurchase} ago, {orders} orders so far.',
    'Спит с {stageSince}; последняя покупка {daysSinceLastPurchase} назад, заказов: {orders}.',
  ],
  'reason.win_back_lost': [
    'Lost since {stageSince}; last purchase {daysSinceLastPurchase} ago, {orders} orders so far.',
    'Утерян с {stageSince}; последняя покупка {daysSinceLastPurchase} назад, заказов: {orders}.',
  ],
  'reason.loyal_touch': [
    'A loyal client who has not heard from us this period.',
    'Постоянный клиент, которого мы ещё не касались в этом периоде.',
  ],
  'reason.ask_referral': [
    'A loyal client or fan who gave no referral this period.',
    'Постоянный клиент или фанат без рекомендации в этом периоде.',
  ],
  'reason.review_bad_client': ['Bad-client signals: {signals}.', 'Признаки плохого клиента: {signals}.'],
} satisfies Translations;

type KindLabels = Record<ActionKind, string>;
export type ActionMessages = Record<keyof typeof messages, string> & { kinds: KindLabels };

const tables = new Map<Lang, ActionMessages>();

export function actionMessagesFor(lang: Lang): ActionMessages {
  let m = tables.get(lang);
  if (!m) tables.set(lang, (m = { ...inLanguage(messages, lang), kinds: inLanguage(kinds, lang) }));
  return m;
}

/** Every kind, in the order a list grouped by kind shows them. */
export const KIND_ORDER = Object.keys(kinds) as ActionKind[];
