import type { Lang } from './locale.ts';

// Our own tables rather than @lit/localize: an embedded widget must not configure a page-wide
// localisation runtime that the host page may also use. `{0}`, `{1}` are filled by `fill`.
// Each message is written once with both its languages, [English, Russian]: side by side they are
// easier to keep in step, and the one-file bundle carries every key once instead of once a language.
const messages = {
  loading: ['Loading…', 'Загрузка…'],
  empty: ['No data yet.', 'Данных пока нет.'],
  error: ['Could not load the data.', 'Не удалось загрузить данные.'],
  clients: ['Clients', 'Клиенты'],
  revenue: ['Revenue', 'Выручка'],
  share: ['Share of revenue', 'Доля выручки'],
  stage: ['Stage', 'Стадия'],
  none: ['—', '—'],

  'funnel.title': ['Lifecycle funnel', 'Воронка жизненного цикла'],
  'funnel.summary': ['{0} clients, as of {1}', 'Клиентов: {0}, на {1}'],
  'funnel.empty': ['No clients in the funnel yet.', 'В воронке пока нет клиентов.'],
  'funnel.entered': ['Entered in period', 'Вошли за период'],
  'funnel.reached': ['Ever reached', 'Дошли когда-либо'],
  'funnel.conversion': ['Conversion to next stage', 'Конверсия в следующую стадию'],
  'funnel.cumulative': ['Reached from the start', 'Дошли от начала'],
  'funnel.median': ['Median time in stage', 'Медиана времени в стадии'],
  'funnel.moveOn': ['{0} move on', 'дальше: {0}'],
  'funnel.medianShort': ['median {0}', 'медиана {0}'],

  'stage.prospect': ['Prospect', 'Стадия привлечения'],
  'stage.potential': ['Potential', 'Потенциальный'],
  'stage.developing': ['Developing', 'Развивающийся'],
  'stage.developed': ['Developed', 'Развитый'],
  'stage.sleeping': ['Sleeping', 'Спящий'],
  'stage.lost': ['Lost', 'Утерянный'],
  'stage.awareness': ['Awareness', 'Осведомлённость'],
  'stage.acquisition': ['Acquisition', 'Привлечение'],
  'stage.conversion': ['Conversion', 'Конверсия'],
  'stage.retention': ['Retention', 'Удержание'],
  'stage.loyalty': ['Loyalty', 'Лояльность'],
  'stage.re_engagement': ['Re-engagement', 'Повторное привлечение'],

  'type.golden': ['Golden', 'Золотой'],
  'type.pioneer': ['Pioneer', 'Пионер'],
  'type.fan': ['Fan', 'Фанат'],
  'type.bad': ['Bad', 'Плохой'],
  'type.sleeping': ['Sleeping', 'Спящий'],
  'type.loyal': ['Loyal', 'Постоянный'],
  'type.super_consumer': ['Super-consumer', 'Суперпотребитель'],
  'type.small_fry': ['Small fry', 'Мелочь'],
  'type.lead_user': ['Lead user', 'Ведущий пользователь'],
  'type.status': ['Status', 'Статусный'],
  'type.inquirer': ['Inquirer', 'Обращенец'],
  'type.near_client': ['Near-client', 'Недоклиент'],
  'type.false_client': ['False client', 'Ложный клиент'],
  'type.potential': ['Potential', 'Потенциальный'],
  'type.competitors': ["Competitor's", 'Чужой'],
  'badge.label': ['Client types', 'Виды клиента'],
  'badge.empty': ['No types', 'Вид не определён'],
  'badge.manual': ['Set by hand', 'Задан вручную'],
  'badge.noReasons': ['No reasons given', 'Причины не указаны'],

  'matrix.title': ['ABC-XYZ matrix', 'Матрица ABC-XYZ'],
  'matrix.summary': ['{0} clients, revenue {1}', 'Клиентов: {0}, выручка {1}'],
  'matrix.empty': ['No clients with revenue in this period.', 'Нет клиентов с выручкой за период.'],
  'matrix.cell': ['Segment', 'Сегмент'],
  'matrix.clientsShare': ['Share of clients', 'Доля клиентов'],
  'matrix.A': ['A: top 80% of revenue', 'A: первые 80% выручки'],
  'matrix.B': ['B: next 15%', 'B: следующие 15%'],
  'matrix.C': ['C: last 5%', 'C: последние 5%'],
  'matrix.X': ['X: stable', 'X: стабильные'],
  'matrix.Y': ['Y: variable', 'Y: колеблющиеся'],
  'matrix.Z': ['Z: irregular', 'Z: нерегулярные'],

  'card.notFound': ['No client to show.', 'Нет клиента для показа.'],
  'card.since': ['since {0}', 'с {0}'],
  'card.value': ['Value', 'Ценность'],
  'card.events': ['Recent events', 'Последние события'],
  'card.noEvents': ['No events yet.', 'Событий пока нет.'],
  'card.historicClv': ['Historic CLV', 'Накопленная CLV'],
  'card.predictedClv': ['Predicted CLV', 'Прогноз CLV'],
  'card.totalClv': ['Total CLV', 'Итоговая CLV'],
  'card.pAlive': ['Probability still active', 'Вероятность, что клиент активен'],
  'card.churn': ['Churn probability', 'Вероятность ухода'],
  'card.predictedOrders': ['Predicted orders', 'Прогноз заказов'],
  'card.gap': ['Average days between orders', 'Дней между заказами в среднем'],
  'card.nextOrder': ['Expected next order', 'Ожидаемый следующий заказ'],
  'card.orders': ['Orders', 'Заказы'],
  'card.margin': ['Margin', 'Маржа'],
  'card.firstPurchase': ['First purchase', 'Первая покупка'],
  'card.lastPurchase': ['Last purchase', 'Последняя покупка'],
  'card.rfm': ['RFM', 'RFM'],
  'card.abcXyz': ['ABC-XYZ', 'ABC-XYZ'],
  'card.tags': ['Tags', 'Метки'],

  'event.outreach': ['Outreach', 'Касание'],
  'event.response': ['Response', 'Отклик'],
  'event.request': ['Request', 'Запрос'],
  'event.interest': ['Interest', 'Интерес'],
  'event.refusal': ['Refusal', 'Отказ'],
  'event.meeting': ['Meeting', 'Встреча'],
  'event.offer': ['Offer', 'Предложение'],
  'event.purchase': ['Purchase', 'Покупка'],
  'event.purchase_refused': ['Purchase refused', 'Отказ от покупки'],
  'event.payment': ['Payment', 'Оплата'],
  'event.contact': ['Contact', 'Контакт'],
  'event.complaint': ['Complaint', 'Жалоба'],
  'event.review': ['Review', 'Отзыв'],
  'event.referral': ['Referral', 'Рекомендация'],
  'event.tag': ['Tag', 'Метка'],
  'event.stage_override': ['Stage set by hand', 'Стадия задана вручную'],

  'period.week': ['week', 'неделю'],
  'period.month': ['month', 'месяц'],
  'period.year': ['year', 'год'],
  'periods.week': ['weeks', 'недель'],
  'periods.month': ['months', 'месяцев'],
  'periods.year': ['years', 'лет'],
  'clv.title': ['CLV calculator', 'Калькулятор CLV'],
  'clv.averageOrderValue': ['Average order value', 'Средний чек'],
  'clv.ordersPerPeriod': ['Orders per {0}', 'Заказов за {0}'],
  'clv.grossMargin': ['Gross margin, %', 'Валовая маржа, %'],
  'clv.basis': ['Client lifetime from', 'Срок жизни клиента задаётся'],
  'clv.basisLifetime': ['Expected lifetime', 'Ожидаемым сроком'],
  'clv.basisRetention': ['Retention rate', 'Долей удержания'],
  'clv.lifetimePeriods': ['Lifetime, {0}', 'Срок жизни, {0}'],
  'clv.retentionRate': ['Retention per {0}, %', 'Удержание за {0}, %'],
  'clv.discountRate': ['Discount rate per {0}, %', 'Ставка дисконтирования за {0}, %'],
  'clv.acquisitionCost': ['Acquisition cost (CAC)', 'Стоимость привлечения (CAC)'],
  'clv.targetRatio': ['Target CLV/CAC', 'Целевое CLV/CAC'],
  'clv.periodMargin': ['Margin per {0}', 'Маржа за {0}'],
  'clv.expectedLifetime': ['Expected lifetime', 'Ожидаемый срок жизни'],
  'clv.clvSimple': ['CLV, simple', 'CLV, простая'],
  'clv.clvDiscounted': ['CLV, discounted', 'CLV, дисконтированная'],
  'clv.clvToCac': ['CLV/CAC', 'CLV/CAC'],
  'clv.allowableCac': ['Allowable CAC', 'Допустимая CAC'],
  'clv.payback': ['Payback', 'Окупаемость'],
  'clv.netValue': ['Net value of a client', 'Чистая ценность клиента'],
  'clv.meets': ['Healthy: CLV is {0} CAC, target {1}.', 'Хорошо: CLV равна {0} CAC при цели {1}.'],
  'clv.below': ['Below target: CLV is {0} CAC, target {1}.', 'Ниже цели: CLV равна {0} CAC при цели {1}.'],
  'clv.losing': [
    'Losing money: a client is worth less than it costs to win.',
    'В убыток: клиент приносит меньше, чем стоит его привлечение.',
  ],
  'clv.noRatio': ['No CLV/CAC ratio without an acquisition cost.', 'Без стоимости привлечения отношения CLV/CAC нет.'],
  'clv.never': ['never', 'никогда'],
  'clv.invalid': ['Correct the highlighted fields to see the result.', 'Исправьте выделенные поля, чтобы увидеть результат.'],
  'clv.required': ['Required', 'Обязательное поле'],
  'clv.notNumber': ['Enter a number', 'Введите число'],
  'clv.min': ['Must be at least {0}', 'Не меньше {0}'],
  'clv.max': ['Must be at most {0}', 'Не больше {0}'],
  'clv.gt': ['Must be greater than {0}', 'Больше {0}'],
  'clv.lt': ['Must be less than {0}', 'Меньше {0}'],
  'clv.bad': ['Invalid value', 'Недопустимое значение'],
} satisfies Translations;

export type MessageKey = keyof typeof messages;
export type Messages = Record<MessageKey, string>;

/** Messages by key, each in every language we speak: English first, then Russian. */
export type Translations = Record<string, readonly [en: string, ru: string]>;

/** One language's column of a table of translations. */
export const inLanguage = <K extends string>(table: Record<K, readonly [string, string]>, lang: Lang): Record<K, string> =>
  Object.fromEntries(Object.entries<readonly [string, string]>(table).map(([key, pair]) => [key, pair[lang === 'ru' ? 1 : 0]])) as Record<K, string>;

const tables = new Map<Lang, Messages>();

/** The table of one language, built on first use. */
export function messagesFor(lang: Lang): Messages {
  let t = tables.get(lang);
  if (!t) tables.set(lang, (t = inLanguage(messages, lang)));
  return t;
}

export const fill = (template: string, ...args: string[]): string =>
  template.replace(/\{(\d)\}/g, (_, i: string) => args[Number(i)] ?? '');

/**
 * The label of an open-ended id (a stage, a client type, an event type): ours when we know the id,
 * otherwise the id itself, so that a workspace's new kinds still show something readable.
 */
export function labelOf(t: Messages, group: 'stage' | 'type' | 'event', id: string): string {
  return (t as Record<string, string>)[`${group}.${id}`] ?? id;
}
