import type { ActionKind } from '../../schema/actions.ts';
import type { Text } from '../shared/messages.ts';
import type { DueBucket } from './groups.ts';

// The work list's words looked up by an id of the data, [English, Russian] as everywhere; its
// other words are written where they are shown.

/** What to do, per kind; the key order is the order of a list grouped by kind. */
export const KINDS = {
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
} satisfies Record<ActionKind, Text>;

/** Every kind, in the order a list grouped by kind shows them. */
export const KIND_ORDER = Object.keys(KINDS) as ActionKind[];

/**
 * Why, per kind: `{name}` stands for the figure of that name the rule sent; `kind.never` is the
 * sentence for a rule whose figure cannot exist yet (no contact ever recorded).
 */
export const REASONS: Readonly<Record<string, Text>> = {
  respect_pause: [
    'Negative contact on {negativeContactAt}: no personal contact until {pauseEndsAt}; urgent matters through other people.',
    'Негативный контакт {negativeContactAt}: без личных контактов до {pauseEndsAt}, срочное — через других людей.',
  ],
  keep_cadence: [
    'No positive contact for {daysSinceContact}; a key client needs one every {cadenceDays}.',
    'Нет позитивного контакта уже {daysSinceContact}; с ключевым клиентом — не реже чем раз в {cadenceDays}.',
  ],
  'keep_cadence.never': [
    'No positive contact recorded; a key client needs one every {cadenceDays}.',
    'Позитивных контактов не было; с ключевым клиентом — не реже чем раз в {cadenceDays}.',
  ],
  review_dossier: [
    'Dossier last reviewed {daysSinceReview} ago ({reviewedAt}); it is reviewed every {reviewDays}.',
    'Досье обновлялось {daysSinceReview} назад ({reviewedAt}); обновлять раз в {reviewDays}.',
  ],
  'review_dossier.never': [
    'This key client has no dossier yet.',
    'У ключевого клиента ещё нет досье.',
  ],
  assign_manager: [
    'A key client without a key-account manager.',
    'У ключевого клиента нет менеджера.',
  ],
  rebalance_manager: [
    'Holds {keyClients} key clients; one manager handles at most {maxKeyClients}.',
    'Ключевых клиентов: {keyClients}; один менеджер ведёт не больше {maxKeyClients}.',
  ],
  reduce_mono_client: [
    'Brings {share} of revenue or margin: grow other clients to reduce the dependence.',
    'Приносит {share} выручки или маржи: развивайте других клиентов, чтобы снизить зависимость.',
  ],
  follow_up_lead: [
    'A qualified lead: contact data, a wish to buy and a budget.',
    'Квалифицированный лид: есть контакты, желание купить и бюджет.',
  ],
  recheck_interest: [
    'Showed interest on {interestAt} and asked to come back later: re-check due {recheckAt}.',
    'Проявил интерес {interestAt} и просил вернуться позже: пора уточнить ({recheckAt}).',
  ],
  follow_up_near_client: [
    'Met us but has not bought; last event {daysSinceLastEvent} ago.',
    'Познакомился с нами, но не купил; последнее событие {daysSinceLastEvent} назад.',
  ],
  wake_sleeping: [
    'Asleep since {stageSince}; last purchase {daysSinceLastPurchase} ago, {orders} orders so far.',
    'Спит с {stageSince}; последняя покупка {daysSinceLastPurchase} назад, заказов: {orders}.',
  ],
  win_back_lost: [
    'Lost since {stageSince}; last purchase {daysSinceLastPurchase} ago, {orders} orders so far.',
    'Утерян с {stageSince}; последняя покупка {daysSinceLastPurchase} назад, заказов: {orders}.',
  ],
  loyal_touch: [
    'A loyal client who has not heard from us this period.',
    'Постоянный клиент, которого мы ещё не касались в этом периоде.',
  ],
  ask_referral: [
    'A loyal client or fan who gave no referral this period.',
    'Постоянный клиент или фанат без рекомендации в этом периоде.',
  ],
  review_bad_client: ['Bad-client signals: {signals}.', 'Признаки плохого клиента: {signals}.'],
};

export const PRIORITIES: Readonly<Record<string, Text>> = {
  1: ['High priority', 'Высокий приоритет'],
  2: ['Normal priority', 'Обычный приоритет'],
  3: ['Low priority', 'Низкий приоритет'],
};

export const DUE_GROUPS: Record<DueBucket, Text> = {
  overdue: ['Overdue', 'Просрочено'],
  today: ['Due today', 'Сегодня'],
  week: ['Next 7 days', 'Ближайшие 7 дней'],
  later: ['Later', 'Позже'],
};
