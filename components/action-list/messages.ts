import type { ActionKind } from '../../schema/actions.ts';
import type { Text } from '../shared/messages.ts';
import type { DueBucket } from './groups.ts';

// The work list's words looked up by an id of the data, [English, Russian] as everywhere; its
// other words are written where they are shown. Why an item is listed is not here: the reason
// comes as data and is rendered from the message tables the API uses (core/messages).

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
