import type { ActionKind } from '../../schema/actions.ts';
import type { Lang } from '../shared/locale.ts';

// The work list's own words. Kept beside the component (not in the shared table) because only it
// uses them; `{0}`, `{1}` are filled by the shared `fill`.

/** What to do, per kind; the key order is the order of a list grouped by kind. */
type KindLabels = Record<ActionKind, string>;

const enKinds: KindLabels = {
  respect_pause: 'Hold off: pause after a negative contact',
  keep_cadence: 'Keep the contact cadence',
  review_dossier: 'Review the key-client dossier',
  assign_manager: 'Assign a manager',
  rebalance_manager: 'Rebalance key clients',
  reduce_mono_client: 'Reduce mono-client dependence',
  follow_up_lead: 'Follow up a qualified lead',
  recheck_interest: 'Re-check deferred interest',
  follow_up_near_client: 'Follow up a near-client',
  wake_sleeping: 'Wake a sleeping client',
  win_back_lost: 'Win back a lost client',
  loyal_touch: 'Touch a loyal client',
  ask_referral: 'Ask for a referral',
  review_bad_client: 'Review a bad client',
};

const ruKinds: KindLabels = {
  respect_pause: 'Пауза после негативного контакта',
  keep_cadence: 'Соблюсти частоту контактов',
  review_dossier: 'Обновить досье ключевого клиента',
  assign_manager: 'Назначить менеджера',
  rebalance_manager: 'Перераспределить ключевых клиентов',
  reduce_mono_client: 'Снизить зависимость от моноклиента',
  follow_up_lead: 'Связаться с квалифицированным лидом',
  recheck_interest: 'Вернуться к отложенному интересу',
  follow_up_near_client: 'Связаться с недоклиентом',
  wake_sleeping: 'Разбудить спящего клиента',
  win_back_lost: 'Вернуть утерянного клиента',
  loyal_touch: 'Напомнить о себе постоянному клиенту',
  ask_referral: 'Попросить рекомендацию',
  review_bad_client: 'Пересмотреть условия плохого клиента',
};

const en = {
  title: 'Work list',
  summary: '{0} to do, as of {1}',
  empty: 'Nothing to do right now.',
  more: 'More items are waiting on the next page.',
  done: 'Done',
  doneLabel: 'Mark done: {0}, {1}',
  marked: 'Marked done: {0}, {1}.',
  failed: 'Could not mark it done.',
  due: 'due {0}',
  overdue: '{0} overdue',
  until: 'until {0}',
  manager: 'Manager: {0}',
  'priority.1': 'High priority',
  'priority.2': 'Normal priority',
  'priority.3': 'Low priority',
  'group.overdue': 'Overdue',
  'group.today': 'Due today',
  'group.week': 'Next 7 days',
  'group.later': 'Later',
  'reason.respect_pause': 'Negative contact on {negativeContactAt}: no personal contact until {pauseEndsAt}; urgent matters through other people.',
  'reason.keep_cadence': 'No positive contact for {daysSinceContact}; a key client needs one every {cadenceDays}.',
  'reason.keep_cadence.never': 'No positive contact recorded; a key client needs one every {cadenceDays}.',
  'reason.review_dossier': 'Dossier last reviewed {daysSinceReview} ago ({reviewedAt}); it is reviewed every {reviewDays}.',
  'reason.review_dossier.never': 'This key client has no dossier yet.',
  'reason.assign_manager': 'A key client without a key-account manager.',
  'reason.rebalance_manager': 'Holds {keyClients} key clients; one manager handles at most {maxKeyClients}.',
  'reason.reduce_mono_client': 'Brings {share} of revenue or margin: grow other clients to reduce the dependence.',
  'reason.follow_up_lead': 'A qualified lead: contact data, a wish to buy and a budget.',
  'reason.recheck_interest': 'Showed interest on {interestAt} and asked to come back later: re-check due {recheckAt}.',
  'reason.follow_up_near_client': 'Met us but has not bought; last event {daysSinceLastEvent} ago.',
  'reason.wake_sleeping': 'Asleep since {stageSince}; last purchase {daysSinceLastPurchase} ago, {orders} orders so far.',
  'reason.win_back_lost': 'Lost since {stageSince}; last purchase {daysSinceLastPurchase} ago, {orders} orders so far.',
  'reason.loyal_touch': 'A loyal client who has not heard from us this period.',
  'reason.ask_referral': 'A loyal client or fan who gave no referral this period.',
  'reason.review_bad_client': 'Bad-client signals: {signals}.',
};

export type ActionMessages = typeof en & { kinds: KindLabels };

const ru: typeof en = {
  title: 'Что сделать',
  summary: 'Дел: {0}, на {1}',
  empty: 'Сейчас делать нечего.',
  more: 'Остальные дела — на следующей странице.',
  done: 'Сделано',
  doneLabel: 'Отметить сделанным: {0}, {1}',
  marked: 'Отмечено сделанным: {0}, {1}.',
  failed: 'Не удалось отметить дело сделанным.',
  due: 'срок {0}',
  overdue: 'просрочено на {0}',
  until: 'до {0}',
  manager: 'Менеджер: {0}',
  'priority.1': 'Высокий приоритет',
  'priority.2': 'Обычный приоритет',
  'priority.3': 'Низкий приоритет',
  'group.overdue': 'Просрочено',
  'group.today': 'Сегодня',
  'group.week': 'Ближайшие 7 дней',
  'group.later': 'Позже',
  'reason.respect_pause': 'Негативный контакт {negativeContactAt}: без личных контактов до {pauseEndsAt}, срочное — через других людей.',
  'reason.keep_cadence': 'Нет позитивного контакта уже {daysSinceContact}; с ключевым клиентом — не реже чем раз в {cadenceDays}.',
  'reason.keep_cadence.never': 'Позитивных контактов не было; с ключевым клиентом — не реже чем раз в {cadenceDays}.',
  'reason.review_dossier': 'Досье обновлялось {daysSinceReview} назад ({reviewedAt}); обновлять раз в {reviewDays}.',
  'reason.review_dossier.never': 'У ключевого клиента ещё нет досье.',
  'reason.assign_manager': 'У ключевого клиента нет менеджера.',
  'reason.rebalance_manager': 'Ключевых клиентов: {keyClients}; один менеджер ведёт не больше {maxKeyClients}.',
  'reason.reduce_mono_client': 'Приносит {share} выручки или маржи: развивайте других клиентов, чтобы снизить зависимость.',
  'reason.follow_up_lead': 'Квалифицированный лид: есть контакты, желание купить и бюджет.',
  'reason.recheck_interest': 'Проявил интерес {interestAt} и просил вернуться позже: пора уточнить ({recheckAt}).',
  'reason.follow_up_near_client': 'Познакомился с нами, но не купил; последнее событие {daysSinceLastEvent} назад.',
  'reason.wake_sleeping': 'Спит с {stageSince}; последняя покупка {daysSinceLastPurchase} назад, заказов: {orders}.',
  'reason.win_back_lost': 'Утерян с {stageSince}; последняя покупка {daysSinceLastPurchase} назад, заказов: {orders}.',
  'reason.loyal_touch': 'Постоянный клиент, которого мы ещё не касались в этом периоде.',
  'reason.ask_referral': 'Постоянный клиент или фанат без рекомендации в этом периоде.',
  'reason.review_bad_client': 'Признаки плохого клиента: {signals}.',
};

const tables: Record<Lang, ActionMessages> = { en: { ...en, kinds: enKinds }, ru: { ...ru, kinds: ruKinds } };

export const actionMessagesFor = (lang: Lang): ActionMessages => tables[lang];

/** Every kind, in the order a list grouped by kind shows them. */
export const KIND_ORDER = Object.keys(enKinds) as ActionKind[];
