import type { MessageTable } from './table.ts';

export const en: MessageTable = {
  reasons: {
    manual: 'set by hand',
    tagged: 'tagged “{tag}”',
    key_revenue_share: '{share|%} of revenue (key from {threshold|%})',
    key_margin_share: '{share|%} of margin (key from {threshold|%})',
    key_revenue_rank: 'revenue rank {rank} of {buyers} (top {top|%})',
    super_revenue: 'revenue {revenue|$} in the window (top {top|%} from {cut|$})',
    super_orders: '{orders#order} in the window (top {top|%} from {cut})',
    super_check: "average check {check|$}, {ratio}× the median buyer's {median|$}",
    loyal_tenure: 'with us {days|dur} (first purchase {firstPurchaseAt|date})',
    loyal_rhythm: '{purchaseDays#purchaseDay}, a median {medianGapDays|day} apart',
    last_purchase: 'last purchase {days|day} ago',
    pioneer_product:
      'bought the new “{product}” {days|day} after its first sale on {launchedAt|date}',
    pioneer_more: 'and {count#newProduct}',
    fan_referrals: '{count#referral}',
    fan_reviews: '{count#positiveReview} (rating 4–5)',
    small_check: "average check {check|$} is {ratio|%} of the median buyer's {median|$}",
    bad_late_payments: '{late} of {payments#payment} late (max {maxDaysLate|day})',
    bad_loss_orders: '{loss} of {orders#order} at a loss (total margin {margin|$})',
    bad_complaints: '{complaints#complaint} over {orders#order}',
    bad_negative_contacts: '{negative} of {contacts#contact} negative',
    bad_discounts:
      'buys at a discount: {discounted} of {orders#order} discounted[ (average discount {averageDiscount|%})]',
    bad_time: 'takes our time: {contacts#contact} for {orders#order}',
    bad_negative_reviews: '{count#negativeReview} (rating 1–2)',
    in_stage: 'stage {stage|stage}[ since {since|date}]',
    false_client: '{promises|counts} over {days|dur}, no purchase',
    near_met: 'met us {meetings#time}',
    near_offers: 'received {offers#offer}',
    near_refused: 'refused to buy {refusals#time}',
    no_purchase: 'no purchase',
    inquirer: '{contacts|counts}, no purchase yet',
    competitor_refusal: 'last refusal: “{reason}”',
    potential: 'no purchase and no response yet[ after {outreaches#outreach}]',
    refused_for_now: 'refused for now: “{reason}”',

    tier_gold: 'key client with us {days|dur}: {reasons|reasons}',
    tier_silver_young:
      'key client with us only {days|dur} (gold after {goldAfterDays|dur}): {reasons|reasons}',
    tier_class_a: 'class A: {share|%} of revenue, within the first {threshold|%}',
    tier_new: 'class B, new: all its revenue in the last {months#month}',
    tier_growing: 'class B, revenue up {change|%} on the previous {months#month}',
    tier_class: 'class {abc}: {share|%} of revenue',
    tier_flat: 'class B: {share|%} of revenue, not growing',
    mono_client:
      'Mono-client: {client} brings {share|%} of {basis|word} (more than {threshold|%}); reduce the dependence by growing other clients',
    empty_stage:
      'No client is in the stage {stage|stage}: a healthy portfolio has clients at every stage',
    resting_on_regulars:
      'Everything rests on regulars: {regulars|stages} clients bring {share|%} of revenue while {pipeline#client} ({pipelineShare|%}) are being attracted ({pipelineStages|stages})',
    sleeping_share_high:
      '{share|%} of the clients who ever bought are asleep ({asleep#client}, more than {threshold|%}): wake them, it is cheaper than winning new ones',
    manager_overloaded:
      '{manager} holds {keyClients#keyClient}; one manager handles at most {maxKeyClients}',
    key_client_unassigned: 'Key client {client} has no manager',

    lead_contact: 'contact data: {via|list}',
    lead_no_contact: 'no contact data (attributes {attributes|list} are empty)',
    lead_wish_stated: 'wish to buy stated ({attribute})',
    lead_wish_requests: '{requests#request} to discuss a deal',
    lead_no_wish: 'no stated wish to buy ({attribute})',
    lead_budget: 'budget {amount|$}',
    lead_no_budget: 'no budget ({attribute} is not a positive amount)',

    respect_pause:
      'Negative contact on {negativeContactAt|date}: hold off personal contact until {pauseEndsAt|date} ({daysLeft|day} left)',
    keep_cadence:
      'No positive contact for {daysSinceContact|day} (last on {lastContactAt|date}[; last marked done on {doneAt|date}])',
    keep_cadence_never:
      'No positive contact recorded with this key client[ (cadence last marked done on {doneAt|date})]',
    review_dossier:
      'Dossier last reviewed on {reviewedAt|date}, {daysSinceReview|day} ago[; last marked done on {doneAt|date}]',
    review_dossier_never: 'No dossier yet for this key client[; last marked done on {doneAt|date}]',
    assign_manager: 'Key client without a manager',
    rebalance_manager:
      '{manager} holds {keyClients#keyClient}, {excess} more than {maxKeyClients}: hand some to another manager',
    reduce_mono_client:
      'Brings {share|%} of revenue or margin: grow other clients to reduce the dependence',
    follow_up_lead:
      'Qualified lead: contact data, a wish to buy and a budget; last event on {lastEventAt|date}[; last marked done on {doneAt|date}]',
    recheck_interest:
      'Showed interest on {interestAt|date} and asked to come back later: re-check due {recheckAt|date}',
    follow_up_near_client:
      'Met us but has not bought; last event on {lastEventAt|date}, {days|day} ago[; last marked done on {doneAt|date}]',
    dormant:
      '{stage|stage} since {since|date}[; last purchase {daysSinceLastPurchase|day} ago]; {orders#order} worth {revenue|$} so far[; last marked done on {doneAt|date}]',
    loyal_touch:
      'No contact this period yet (since {periodStart|date})[; last touch on {lastTouchAt|date}]',
    ask_referral:
      '{who|word} with no referral this period (since {periodStart|date})[; last referral on {lastReferralAt|date}]',
    review_bad_client: 'Bad-client signals: {signals|reasons}',
    rule_respect_pause:
      'After a negative contact, no personal contact for {days|day}; urgent matters go through other people',
    rule_keep_cadence: 'A key client needs a positive contact at least every {days|day}',
    rule_review_dossier: "A key client's dossier is reviewed at least every {days|day}",
    rule_assign_manager:
      'Every key client has a key-account manager (the client attribute manager)',
    rule_rebalance_manager: 'One key-account manager handles at most {maxKeyClients#keyClient}',
    rule_reduce_mono_client: 'A mono-client is a risk to reduce; reviewed once a {period|word}',
    rule_follow_up_lead:
      'A qualified lead (contact data, a wish to buy, a budget) is followed up {afterDays|day} after its last event',
    rule_recheck_interest: 'A deferred “interest” result is re-checked on its re-check date',
    rule_follow_up_near_client:
      'A near-client (met us, did not buy) is followed up {afterDays|day} after the last event, then every {repeatDays|day}',
    rule_wake_sleeping:
      'A sleeping client is woken: cheaper than winning a new one; again every {repeatDays|day} after an attempt',
    rule_win_back_lost:
      'A lost client is offered a way back; again every {repeatDays|day} after an attempt',
    rule_loyal_touch:
      'One {period|word}, one touch: a loyal client hears from us once per {period|word}',
    rule_ask_referral: 'Ask loyal clients and fans for a referral once per {period|word}',
    rule_review_bad_client:
      "Review a bad client's terms once per {period|word} while its signals last",

    value_no_model: 'No predictive model has been fitted for this workspace yet.',
    value_too_little_history:
      'Too little purchase history for a predictive model: {customers#customer} with a purchase (at least {minCustomers} needed), {repeatBuyers#repeatBuyer} with a positive spend (at least {minRepeatBuyers} needed).',
    value_not_converged: 'The last model fit did not converge; predictions are withheld.',
    value_no_purchases: 'No purchases yet.',
    value_purchases_after_as_of: 'The client has purchases after asOf.',
    value_not_computable:
      'The prediction could not be computed for this history; predictions are withheld.',
    lowest_holdout_error:
      '{model|word} predicted the holdout best: {totalError|%} off in total and {binError|%} summed over the frequency bins[, against {runnerUpTotalError|%} and {runnerUpBinError|%} for {runnerUp|word}, the next best]',
    only_candidate_converged: '{model|word} was the only candidate whose calibration fit converged',
    value_infinite_spend: 'The spend model has no finite mean (q ≤ 1); predictions are withheld.',
  },
  nouns: {
    order: { one: '# order', other: '# orders' },
    purchaseDay: { one: '# purchase day', other: '# purchase days' },
    newProduct: { one: '# more new product', other: '# more new products' },
    referral: { one: '# referral', other: '# referrals' },
    positiveReview: { one: '# positive review', other: '# positive reviews' },
    negativeReview: { one: '# negative review', other: '# negative reviews' },
    payment: { one: '# payment', other: '# payments' },
    complaint: { one: '# complaint', other: '# complaints' },
    contact: { one: '# contact', other: '# contacts' },
    meeting: { one: '# meeting', other: '# meetings' },
    offer: { one: '# offer', other: '# offers' },
    interest: { one: '# deferred interest', other: '# deferred interests' },
    interestShown: { one: '# interest shown', other: '# interests shown' },
    request: { one: '# request', other: '# requests' },
    response: { one: '# response', other: '# responses' },
    outreach: { one: '# outreach', other: '# outreaches' },
    time: { one: 'once', other: '# times' },
    month: { one: 'month', other: '# months' },
    client: { one: '# client', other: '# clients' },
    keyClient: { one: '# key client', other: '# key clients' },
    customer: { one: '# customer', other: '# customers' },
    repeatBuyer: { one: '# repeat buyer', other: '# repeat buyers' },
  },
  words: {
    revenue: 'revenue',
    margin: 'margin',
    week: 'week',
    month: 'month',
    quarter: 'quarter',
    year: 'year',
    fan: 'A fan',
    bgnbd: 'BG/NBD',
    pnbd: 'Pareto/NBD',
    mbgnbd: 'MBG/NBD',
    loyal: 'A loyal client',
  },
  stages: {
    prospect: 'prospect',
    potential: 'potential',
    developing: 'developing',
    developed: 'developed',
    sleeping: 'sleeping',
    lost: 'lost',
    awareness: 'awareness',
    acquisition: 'acquisition',
    conversion: 'conversion',
    retention: 'retention',
    loyalty: 'loyalty',
    re_engagement: 're-engagement',
  },
  separator: '; ',
};
