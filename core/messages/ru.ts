import type { MessageTable } from './table.ts';

// The seeds' vocabulary (docs/domain.md): стадии, виды клиентов, ключевой клиент, моноклиент, лид.
export const ru: MessageTable = {
  reasons: {
    manual: 'задан вручную',
    tagged: 'метка «{tag}»',
    key_revenue_share: '{share|%} выручки (ключевой от {threshold|%})',
    key_margin_share: '{share|%} маржи (ключевой от {threshold|%})',
    key_revenue_rank: '{rank}-е место по выручке из {buyers} (первые {top|%})',
    super_revenue: 'выручка {revenue|$} за период (первые {top|%} — от {cut|$})',
    super_orders: '{orders#order} за период (первые {top|%} — от {cut})',
    super_check: 'средний чек {check|$}, в {ratio} раза выше медианного ({median|$})',
    loyal_tenure: 'с нами {days|dur} (первая покупка {firstPurchaseAt|date})',
    loyal_rhythm: '{purchaseDays#purchaseDay}, в среднем (медиана) раз в {medianGapDays|day}',
    last_purchase: 'последняя покупка {days|day} назад',
    pioneer_product:
      'купил новинку «{product}» через {days|day} после её первой продажи {launchedAt|date}',
    pioneer_more: 'и ещё {count#newProduct}',
    fan_referrals: '{count#referral}',
    fan_reviews: '{count#positiveReview} (оценка 4–5)',
    small_check: 'средний чек {check|$} — {ratio|%} медианного ({median|$})',
    bad_late_payments: 'просрочено {late} из {payments#payment} (до {maxDaysLate|day})',
    bad_loss_orders: 'в убыток {loss} из {orders#order} (маржа всего {margin|$})',
    bad_complaints: '{complaints#complaint} на {orders#order}',
    bad_negative_contacts: 'негативных {negative} из {contacts#contact}',
    bad_discounts:
      'покупает только со скидкой: {discounted} из {orders#order}[ (средняя скидка {averageDiscount|%})]',
    bad_time: 'отнимает время: {contacts#contact} на {orders#order}',
    bad_negative_reviews: '{count#negativeReview} (оценка 1–2)',
    in_stage: 'стадия «{stage|stage}»[ с {since|date}]',
    false_client: '{promises|counts} за {days|dur}, покупок нет',
    near_met: 'встречался с нами {meetings#time}',
    near_offers: 'получил {offers#offer}',
    near_refused: 'отказался от покупки {refusals#time}',
    no_purchase: 'покупок нет',
    inquirer: '{contacts|counts}, покупок пока нет',
    competitor_refusal: 'последний отказ: «{reason}»',
    potential: 'ни покупок, ни отклика[ после {outreaches#outreach}]',
    refused_for_now: 'пока отказался: «{reason}»',

    tier_gold: 'ключевой клиент, с нами {days|dur}: {reasons|reasons}',
    tier_silver_young:
      'ключевой клиент, с нами лишь {days|dur} (золотой — после {goldAfterDays|dur}): {reasons|reasons}',
    tier_class_a: 'класс A: {share|%} выручки, в пределах первых {threshold|%}',
    tier_new: 'класс B, новый: вся выручка за последние {months#month}',
    tier_growing: 'класс B, выручка выросла на {change|%} к предыдущим {months#month}',
    tier_class: 'класс {abc}: {share|%} выручки',
    tier_flat: 'класс B: {share|%} выручки, без роста',
    mono_client:
      'Моноклиент: {client} приносит {share|%} {basis|word} (больше {threshold|%}); снижайте зависимость, развивая других клиентов',
    empty_stage:
      'На стадии «{stage|stage}» нет ни одного клиента: в здоровом портфеле клиенты есть на каждой стадии',
    resting_on_regulars:
      'Всё держится на постоянных: клиенты стадий {regulars|stages} приносят {share|%} выручки, а привлекается лишь {pipeline#client} ({pipelineShare|%}; стадии {pipelineStages|stages})',
    sleeping_share_high:
      'Спят {share|%} когда-либо покупавших клиентов ({asleep#client}, больше {threshold|%}): будите их — это дешевле, чем привлекать новых',
    manager_overloaded:
      'У менеджера {manager} {keyClients#keyClient}; один менеджер ведёт не больше {maxKeyClients}',
    key_client_unassigned: 'У ключевого клиента {client} нет менеджера',

    lead_contact: 'контакты: {via|list}',
    lead_no_contact: 'нет контактов (атрибуты {attributes|list} пусты)',
    lead_wish_stated: 'желание купить заявлено ({attribute})',
    lead_wish_requests: '{requests#request} на обсуждение сделки',
    lead_no_wish: 'желание купить не заявлено ({attribute})',
    lead_budget: 'бюджет {amount|$}',
    lead_no_budget: 'нет бюджета ({attribute} — не положительная сумма)',

    respect_pause:
      'Негативный контакт {negativeContactAt|date}: без личных контактов до {pauseEndsAt|date} (осталось {daysLeft|day})',
    keep_cadence:
      'Нет позитивного контакта уже {daysSinceContact|day} (последний {lastContactAt|date}[; отмечено выполненным {doneAt|date}])',
    keep_cadence_never:
      'С этим ключевым клиентом позитивных контактов не было[ (отмечено выполненным {doneAt|date})]',
    review_dossier:
      'Досье обновлялось {reviewedAt|date}, {daysSinceReview|day} назад[; отмечено выполненным {doneAt|date}]',
    review_dossier_never: 'У ключевого клиента ещё нет досье[; отмечено выполненным {doneAt|date}]',
    assign_manager: 'У ключевого клиента нет менеджера',
    rebalance_manager:
      'У менеджера {manager} {keyClients#keyClient}, на {excess} больше {maxKeyClients}: передайте часть другому менеджеру',
    reduce_mono_client:
      'Приносит {share|%} выручки или маржи: развивайте других клиентов, чтобы снизить зависимость',
    follow_up_lead:
      'Квалифицированный лид: есть контакты, желание купить и бюджет; последнее событие {lastEventAt|date}[; отмечено выполненным {doneAt|date}]',
    recheck_interest:
      'Проявил интерес {interestAt|date} и просил вернуться позже: уточнить {recheckAt|date}',
    follow_up_near_client:
      'Познакомился с нами, но не купил; последнее событие {lastEventAt|date}, {days|day} назад[; отмечено выполненным {doneAt|date}]',
    dormant:
      'Стадия «{stage|stage}» с {since|date}[; последняя покупка {daysSinceLastPurchase|day} назад]; {orders#order} на {revenue|$}[; отмечено выполненным {doneAt|date}]',
    loyal_touch:
      'В этом периоде (с {periodStart|date}) контакта ещё не было[; последний — {lastTouchAt|date}]',
    ask_referral:
      '{who|word} без рекомендаций в этом периоде (с {periodStart|date})[; последняя — {lastReferralAt|date}]',
    review_bad_client: 'Признаки плохого клиента: {signals|reasons}',
    rule_respect_pause:
      'После негативного контакта — {days|day} без личных контактов; срочное — через других людей',
    rule_keep_cadence: 'С ключевым клиентом — позитивный контакт не реже чем раз в {days|day}',
    rule_review_dossier: 'Досье ключевого клиента обновляется не реже чем раз в {days|day}',
    rule_assign_manager: 'У каждого ключевого клиента есть менеджер (атрибут клиента manager)',
    rule_rebalance_manager: 'Один менеджер ведёт не больше {maxKeyClients#keyClient}',
    rule_reduce_mono_client:
      'Моноклиент — риск, который нужно снижать; пересмотр раз в {period|word}',
    rule_follow_up_lead:
      'С квалифицированным лидом (контакты, желание купить, бюджет) связываются через {afterDays|day} после последнего события',
    rule_recheck_interest: 'К отложенному «интересу» возвращаются в назначенный день',
    rule_follow_up_near_client:
      'С недоклиентом (встречался, не купил) связываются через {afterDays|day} после последнего события, затем раз в {repeatDays|day}',
    rule_wake_sleeping:
      'Спящего клиента будят: это дешевле, чем привлечь нового; повторно — раз в {repeatDays|day} после попытки',
    rule_win_back_lost:
      'Утерянному клиенту предлагают вернуться; повторно — раз в {repeatDays|day} после попытки',
    rule_loyal_touch: 'Один период — один контакт: постоянному клиенту пишем раз в {period|word}',
    rule_ask_referral: 'Постоянных клиентов и фанатов просим о рекомендации раз в {period|word}',
    rule_review_bad_client:
      'Условия плохого клиента пересматриваются раз в {period|word}, пока есть его признаки',

    value_no_model: 'Для этого пространства ещё не построена прогнозная модель.',
    value_too_little_history:
      'Слишком мало истории покупок для прогнозной модели: {customers#customer} с покупкой (нужно не меньше {minCustomers}), {repeatBuyers#repeatBuyer} с ненулевыми тратами (нужно не меньше {minRepeatBuyers}).',
    value_not_converged: 'Последняя подгонка модели не сошлась; прогноз не показывается.',
    value_no_purchases: 'Покупок пока нет.',
    value_purchases_after_as_of: 'У клиента есть покупки позже даты asOf.',
    value_not_computable: 'Для этой истории прогноз не вычисляется; прогноз не показывается.',
    lowest_holdout_error:
      '{model|word} лучше других предсказала контрольный период: ошибка {totalError|%} в сумме и {binError|%} по группам частоты[, против {runnerUpTotalError|%} и {runnerUpBinError|%} у {runnerUp|word}, следующей по точности]',
    only_candidate_converged: 'Подгонка сошлась только у {model|word}',
    value_infinite_spend: 'У модели трат нет конечного среднего (q ≤ 1); прогноз не показывается.',
  },
  nouns: {
    order: { one: '# заказ', few: '# заказа', many: '# заказов', other: '# заказа' },
    purchaseDay: {
      one: '# день с покупкой',
      few: '# дня с покупками',
      many: '# дней с покупками',
      other: '# дня с покупками',
    },
    newProduct: {
      one: '# новинку',
      few: '# новинки',
      many: '# новинок',
      other: '# новинки',
    },
    referral: {
      one: '# рекомендация',
      few: '# рекомендации',
      many: '# рекомендаций',
      other: '# рекомендации',
    },
    positiveReview: {
      one: '# хороший отзыв',
      few: '# хороших отзыва',
      many: '# хороших отзывов',
      other: '# хорошего отзыва',
    },
    negativeReview: {
      one: '# плохой отзыв',
      few: '# плохих отзыва',
      many: '# плохих отзывов',
      other: '# плохого отзыва',
    },
    payment: { one: '# платежа', few: '# платежей', many: '# платежей', other: '# платежа' },
    complaint: { one: '# жалоба', few: '# жалобы', many: '# жалоб', other: '# жалобы' },
    contact: { one: '# контакт', few: '# контакта', many: '# контактов', other: '# контакта' },
    meeting: { one: '# встреча', few: '# встречи', many: '# встреч', other: '# встречи' },
    offer: {
      one: '# предложение',
      few: '# предложения',
      many: '# предложений',
      other: '# предложения',
    },
    interest: {
      one: '# отложенный интерес',
      few: '# отложенных интереса',
      many: '# отложенных интересов',
      other: '# отложенного интереса',
    },
    interestShown: {
      one: '# проявленный интерес',
      few: '# проявленных интереса',
      many: '# проявленных интересов',
      other: '# проявленного интереса',
    },
    request: { one: '# запрос', few: '# запроса', many: '# запросов', other: '# запроса' },
    response: { one: '# отклик', few: '# отклика', many: '# откликов', other: '# отклика' },
    outreach: { one: '# касания', few: '# касаний', many: '# касаний', other: '# касания' },
    time: { one: '# раз', few: '# раза', many: '# раз', other: '# раза' },
    month: { one: '# месяц', few: '# месяца', many: '# месяцев', other: '# месяца' },
    client: { one: '# клиент', few: '# клиента', many: '# клиентов', other: '# клиента' },
    keyClient: {
      one: '# ключевой клиент',
      few: '# ключевых клиента',
      many: '# ключевых клиентов',
      other: '# ключевого клиента',
    },
    customer: { one: '# клиент', few: '# клиента', many: '# клиентов', other: '# клиента' },
    repeatBuyer: {
      one: '# повторный покупатель',
      few: '# повторных покупателя',
      many: '# повторных покупателей',
      other: '# повторного покупателя',
    },
  },
  words: {
    revenue: 'выручки',
    margin: 'маржи',
    week: 'неделю',
    month: 'месяц',
    quarter: 'квартал',
    year: 'год',
    fan: 'Фанат',
    bgnbd: 'BG/NBD',
    pnbd: 'Pareto/NBD',
    mbgnbd: 'MBG/NBD',
    loyal: 'Постоянный клиент',
  },
  stages: {
    prospect: 'стадия привлечения',
    potential: 'потенциальный',
    developing: 'развивающийся',
    developed: 'развитый',
    sleeping: 'спящий',
    lost: 'утерянный',
    awareness: 'осведомлённость',
    acquisition: 'привлечение',
    conversion: 'конверсия',
    retention: 'удержание',
    loyalty: 'лояльность',
    re_engagement: 'повторное привлечение',
  },
  separator: '; ',
};
