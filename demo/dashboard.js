// The glue of the demo dashboard: it hands the API settings to the elements, turns a click on a
// funnel stage, a matrix cell, a key client or a work-list item into client cards, and switches
// language and theme. The elements do the rest. Plain ES module, no build step.

const app = document.getElementById('app');
const $ = (id) => document.getElementById(id);

/** How many cards a selection shows at a time, and how many profiles a search may read for them. */
const PAGE = 6;
const SCAN_BUDGET = 60;
const CONCURRENCY = 6;

const TEXT = {
  en: {
    subtitle: 'Client portfolio · sales team',
    language: 'Language',
    theme: 'Theme',
    'theme.calm': 'Calm',
    'theme.teal': 'Teal',
    'theme.night': 'Night',
    kpis: 'Portfolio at a glance',
    funnel: 'Lifecycle funnel',
    'funnel.hint': 'Click a stage to see its clients',
    matrix: 'ABC-XYZ, last 12 months',
    'matrix.hint': 'Revenue share by stability; click a cell',
    cohorts: 'Cohort retention',
    'cohorts.hint': "Share of each month's new clients still buying, by months since",
    migrations: 'Stage migration, last quarter',
    'migrations.hint': 'Where clients were, and where they are now',
    clients: 'Clients',
    more: 'Show more',
    actions: 'Work list',
    'actions.hint': 'Read-only with a publishable key; click an item for the client',
    'actions.missing':
      'This build of clientfolio.js has no <folio-action-list> yet: rebuild it with npm start once the element is in the bundle.',
    manager: 'Manager',
    'manager.all': 'All managers',
    key: 'Key clients',
    'key.hint': 'By share of revenue; click one for its card',
    'key.share': '{0} of revenue',
    clv: 'What is a client worth?',
    'clv.hint': 'Runs in the page, no server needed',
    'clv.from':
      'Inputs from the history of {0}: average order, orders per month since the first purchase, margin, acquisition cost',
    'kpi.clients': 'Clients',
    'kpi.buyers': 'Bought in the window',
    'kpi.revenue': 'Revenue in the window',
    'kpi.top5': 'Share of the top 5',
    'kpi.effective': 'Effective number of clients',
    'kpi.sleeping': 'Sleeping, to wake',
    'kpi.window': '{0} – {1}',
    'kpi.effectiveNote': '1 / HHI of revenue shares',
    'sel.prompt':
      'Pick a stage in the funnel, a cell of the matrix or a key client to see the clients here. Stage and cell combine.',
    'sel.stage': 'Stage: {0}',
    'sel.cell': 'Cell {0}',
    'sel.client': 'Client: {0}',
    'sel.clear': 'Clear {0}',
    'sel.searching': 'Looking through client profiles…',
    'sel.cellSummary': '{0} clients in {1}, {2} of the revenue; largest first.',
    'sel.stageSample':
      'The publishable key cannot list clients by stage, so the page reads profiles across the RFM segments, largest buyers first.',
    'sel.stageInCell': 'Profiles of {0} read in order of revenue, keeping those at this stage.',
    'sel.found': '{0} shown after reading {1} profiles.',
    'sel.none': 'None at this stage among the {0} profiles read.',
    'sel.error': 'Could not load: {0}',
    'card.model': 'Model in the calculator',
    'notice.config':
      'No demo-config.js here, so this page cannot reach the API. Run npm start and open the address it prints. The CLV calculator below works anyway.',
    'notice.api': 'The API refused a request: {0}',
    'stage.prospect': 'Prospect',
    'stage.potential': 'Potential',
    'stage.developing': 'Developing',
    'stage.developed': 'Developed',
    'stage.sleeping': 'Sleeping',
    'stage.lost': 'Lost',
    'stage.awareness': 'Awareness',
    'stage.acquisition': 'Acquisition',
    'stage.conversion': 'Conversion',
    'stage.retention': 'Retention',
    'stage.loyalty': 'Loyalty',
    'stage.re_engagement': 'Re-engagement',
  },
  ru: {
    subtitle: 'Портфель клиентов · отдел продаж',
    language: 'Язык',
    theme: 'Тема',
    'theme.calm': 'Спокойная',
    'theme.teal': 'Бирюзовая',
    'theme.night': 'Ночная',
    kpis: 'Портфель коротко',
    funnel: 'Воронка жизненного цикла',
    'funnel.hint': 'Нажмите на стадию, чтобы увидеть её клиентов',
    matrix: 'ABC-XYZ за 12 месяцев',
    'matrix.hint': 'Доля выручки и стабильность; нажмите на ячейку',
    cohorts: 'Удержание когорт',
    'cohorts.hint': 'Доля новых клиентов каждого месяца, которые покупают и дальше',
    migrations: 'Миграция по стадиям за квартал',
    'migrations.hint': 'Где клиенты были и где они сейчас',
    clients: 'Клиенты',
    more: 'Показать ещё',
    actions: 'Список дел',
    'actions.hint': 'Только чтение с публичным ключом; нажмите на дело, чтобы открыть клиента',
    'actions.missing':
      'В этой сборке clientfolio.js ещё нет <folio-action-list>: пересоберите её через npm start, когда элемент попадёт в бандл.',
    manager: 'Менеджер',
    'manager.all': 'Все менеджеры',
    key: 'Ключевые клиенты',
    'key.hint': 'По доле выручки; нажмите, чтобы открыть карточку',
    'key.share': '{0} выручки',
    clv: 'Сколько стоит клиент?',
    'clv.hint': 'Считает прямо на странице, без сервера',
    'clv.from':
      'Данные из истории клиента {0}: средний чек, заказы в месяц с первой покупки, маржа, стоимость привлечения',
    'kpi.clients': 'Клиентов',
    'kpi.buyers': 'Покупали за период',
    'kpi.revenue': 'Выручка за период',
    'kpi.top5': 'Доля пяти крупнейших',
    'kpi.effective': 'Эффективное число клиентов',
    'kpi.sleeping': 'Спящих, разбудить',
    'kpi.window': '{0} – {1}',
    'kpi.effectiveNote': '1 / HHI долей выручки',
    'sel.prompt':
      'Выберите стадию воронки, ячейку матрицы или ключевого клиента, и клиенты появятся здесь. Стадия и ячейка сочетаются.',
    'sel.stage': 'Стадия: {0}',
    'sel.cell': 'Ячейка {0}',
    'sel.client': 'Клиент: {0}',
    'sel.clear': 'Убрать {0}',
    'sel.searching': 'Просматриваем профили клиентов…',
    'sel.cellSummary': '{0} клиентов в {1}, {2} выручки; сначала крупнейшие.',
    'sel.stageSample':
      'Публичный ключ не даёт списка клиентов по стадии, поэтому страница читает профили из всех RFM-сегментов, начиная с крупнейших покупателей.',
    'sel.stageInCell':
      'Профили ячейки {0} читаются по убыванию выручки, остаются клиенты этой стадии.',
    'sel.found': 'Показано {0}, прочитано профилей: {1}.',
    'sel.none': 'Среди {0} прочитанных профилей нет клиентов этой стадии.',
    'sel.error': 'Не удалось загрузить: {0}',
    'card.model': 'Посчитать в калькуляторе',
    'notice.config':
      'Здесь нет demo-config.js, поэтому страница не видит API. Запустите npm start и откройте адрес, который он напечатает. Калькулятор CLV ниже работает и так.',
    'notice.api': 'API отказал в запросе: {0}',
    'stage.prospect': 'Стадия привлечения',
    'stage.potential': 'Потенциальный',
    'stage.developing': 'Развивающийся',
    'stage.developed': 'Развитый',
    'stage.sleeping': 'Спящий',
    'stage.lost': 'Утерянный',
    'stage.awareness': 'Осведомлённость',
    'stage.acquisition': 'Привлечение',
    'stage.conversion': 'Конверсия',
    'stage.retention': 'Удержание',
    'stage.loyalty': 'Лояльность',
    'stage.re_engagement': 'Повторное привлечение',
  },
};

const state = {
  lang: 'en',
  theme: 'calm',
  /** The current selection: a stage and/or a matrix cell, or one client. */
  stage: null,
  cell: null,
  client: null,
  currency: 'USD',
  /** The client whose history fills the calculator, if any. */
  modelled: null,
};

const t = (key, ...args) =>
  (TEXT[state.lang][key] ?? TEXT.en[key] ?? key).replace(
    /\{(\d)\}/g,
    (_, i) => args[Number(i)] ?? '',
  );
const stageName = (stage) => TEXT[state.lang][`stage.${stage}`] ?? stage;
const locale = () => (state.lang === 'ru' ? 'ru-RU' : 'en-US');
const fmt = {
  number: (n, digits = 0) =>
    new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n),
  percent: (n) =>
    new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(n),
  money: (n) =>
    new Intl.NumberFormat(locale(), {
      style: 'currency',
      currency: state.currency,
      notation: Math.abs(n) >= 1e6 ? 'compact' : 'standard',
      maximumFractionDigits: Math.abs(n) >= 1e6 ? 2 : 0,
    }).format(n),
  date: (iso) =>
    new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', year: 'numeric' }).format(
      new Date(iso),
    ),
};

// ---------------------------------------------------------------------------------------------
// The API

/**
 * A browser sends no Origin header on a same-origin GET, and the API refuses a publishable key
 * without one. `npm start` allows both loopback names, so when the page and the API share an
 * origin the elements read the API through the other name, which makes the request cross-origin.
 */
function crossOriginBase(apiBase) {
  const url = new URL(apiBase, location.href);
  if (url.origin === location.origin) {
    const other = { localhost: '127.0.0.1', '127.0.0.1': 'localhost' }[url.hostname];
    if (other) url.hostname = other;
  }
  return url.origin;
}

let api = null;

async function getJson(path) {
  const res = await fetch(`${api.base}${path}`, {
    headers: { accept: 'application/json', authorization: `Bearer ${api.key}` },
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.detail || body?.title || `HTTP ${res.status}`);
  return body;
}

/** Each answer is read once per page view: profiles, the ABC-XYZ clients, the RFM scores. */
const cache = new Map();
const once = (path) => {
  if (!cache.has(path)) cache.set(path, getJson(path));
  return cache.get(path);
};
/** Client names for the selection's label, from the list answers (each client carries its name). */
const names = new Map();
const rememberNames = (clients) => {
  for (const c of clients ?? []) if (c.name) names.set(c.id, c.name);
};
const profileOf = (id) => once(`/v1/clients/${encodeURIComponent(id)}`).catch(() => null);

// ---------------------------------------------------------------------------------------------
// Language and theme

function translateStatic() {
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  document.title = `Clientfolio · ${t('kpis').toLowerCase()}`;
}

/**
 * The elements read the nearest `lang` when they render, so a switch needs a render: each folio
 * element, and then the ones inside its shadow root (the badges inside a card).
 */
async function rerenderElements(root) {
  const pending = [];
  for (const el of root.querySelectorAll('*')) {
    if (!el.localName.startsWith('folio-') || typeof el.requestUpdate !== 'function') continue;
    el.requestUpdate();
    pending.push(el.updateComplete.then(() => el.shadowRoot && rerenderElements(el.shadowRoot)));
  }
  await Promise.all(pending);
}

function setLang(lang) {
  state.lang = lang === 'ru' ? 'ru' : 'en';
  app.lang = state.lang;
  document.documentElement.lang = state.lang;
  for (const input of document.querySelectorAll('input[name=lang]'))
    input.checked = input.value === state.lang;
  translateStatic();
  renderKpis();
  renderKeyClients();
  renderChips();
  renderSelectionStatus();
  if (state.modelled) $('clv-source').textContent = t('clv.from', state.modelled);
  rerenderElements(document);
}

function setTheme(theme) {
  state.theme = ['calm', 'teal', 'night'].includes(theme) ? theme : 'calm';
  app.dataset.theme = state.theme;
  $('theme').value = state.theme;
}

// The view lives in the address (#lang=ru&theme=night&stage=sleeping&cell=AZ), so a link or the
// screenshot script can open the dashboard in any state.
function saveHash() {
  const params = new URLSearchParams();
  for (const name of ['lang', 'theme', 'stage', 'cell', 'client']) {
    if (
      state[name] &&
      !(name === 'lang' && state.lang === 'en') &&
      !(name === 'theme' && state.theme === 'calm')
    )
      params.set(name, state[name]);
  }
  history.replaceState(
    null,
    '',
    `${location.pathname}${location.search}${params.size ? `#${params}` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Portfolio figures and key clients

let portfolio = null;

function renderKpis() {
  const list = $('kpis');
  if (!portfolio) return;
  const c = portfolio.concentration;
  const sleeping = portfolio.stages.find((s) => s.stage === 'sleeping');
  const windowText = t(
    'kpi.window',
    fmt.date(portfolio.from),
    fmt.date(new Date(Date.parse(portfolio.to) - 1).toISOString()),
  );
  const tiles = [
    ['kpi.clients', fmt.number(portfolio.clients), null],
    ['kpi.buyers', fmt.number(portfolio.buyers), windowText],
    ['kpi.revenue', fmt.money(c.revenue), windowText],
    ['kpi.top5', fmt.percent(c.top5Share), null],
    [
      'kpi.effective',
      c.effectiveClients == null ? '—' : fmt.number(c.effectiveClients),
      t('kpi.effectiveNote'),
    ],
    ...(sleeping
      ? [['kpi.sleeping', fmt.number(sleeping.count), fmt.percent(sleeping.share)]]
      : []),
  ];
  list.replaceChildren(
    ...tiles.map(([key, value, note]) => {
      const tile = document.createElement('div');
      tile.className = 'kpi';
      tile.innerHTML = '<dt></dt><dd class="kpi-value"></dd>';
      tile.querySelector('dt').textContent = t(key);
      tile.querySelector('dd').textContent = value;
      if (note) {
        const small = document.createElement('dd');
        small.className = 'kpi-note';
        small.textContent = note;
        tile.append(small);
      }
      return tile;
    }),
  );
}

function renderKeyClients() {
  const list = $('key-list');
  if (!portfolio) return;
  list.replaceChildren(
    ...portfolio.keyClients.map((k) => {
      const li = document.createElement('li');
      li.className = 'key-row';
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link';
      button.textContent = k.name || k.id;
      button.setAttribute('aria-pressed', String(state.client === k.id));
      button.addEventListener('click', () => select({ client: k.id }));
      const share = document.createElement('span');
      share.className = 'key-share';
      share.textContent = t('key.share', fmt.percent(k.revenueShare));
      const bar = document.createElement('span');
      bar.className = 'key-bar';
      bar.style.setProperty(
        '--share',
        String(k.revenueShare / portfolio.keyClients[0].revenueShare),
      );
      // The badge reads the client's types itself; the name came with the portfolio.
      const badge = document.createElement('folio-client-badge');
      badge.setAttribute('client-id', k.id);
      badge.setAttribute('api-base', api.base);
      badge.setAttribute('key', api.key);
      li.append(button, share, bar, badge);
      return li;
    }),
  );
}

const setBusy = (el, busy) => el.setAttribute('aria-busy', String(busy));

async function loadPortfolio() {
  const panels = [$('kpis').closest('section'), $('key-list').closest('section')];
  try {
    portfolio = await once('/v1/portfolio');
    rememberNames(portfolio.keyClients);
    state.currency = portfolio.currency ?? state.currency;
    for (const el of document.querySelectorAll('[data-api], folio-clv-calculator'))
      el.setAttribute('currency', state.currency);
    const { revenue, margin } = portfolio.concentration;
    if (revenue > 0) $('calculator').grossMargin = Math.round((margin / revenue) * 100) / 100;
    renderKpis();
    renderKeyClients();
  } catch (error) {
    // A refused key (another port's workspace, an origin not allowed) fails every element alike: say it once, on top.
    const notice = $('notice');
    notice.textContent = t('notice.api', error.message);
    notice.hidden = false;
  } finally {
    for (const panel of panels) setBusy(panel, false);
  }
}

// ---------------------------------------------------------------------------------------------
// The selection: which clients' cards to show

/**
 * Hands out client ids to read, from one or more queues. With several queues it leans towards
 * those where the wanted clients keep turning up: each queue scores (hits + 1) / (reads + 2), and
 * every id goes to the best-scoring queue, so untried queues are tried early and barren ones fade.
 */
function makeSource(queues) {
  const arms = queues.map((ids) => ({ ids, next: 0, hits: 0, reads: 0 }));
  const armOf = new Map();
  const returned = [];
  const score = (a) => (a.hits + 1) / (a.reads + 2);
  return {
    take(n) {
      const out = returned.splice(0, n);
      while (out.length < n) {
        const open = arms.filter((a) => a.next < a.ids.length);
        if (open.length === 0) break;
        const best = open.reduce((x, y) => (score(y) > score(x) ? y : x));
        const id = best.ids[best.next++];
        // Counted on hand-out, so that one batch spreads over the queues worth trying.
        best.reads += 1;
        armOf.set(id, best);
        out.push(id);
      }
      return out;
    },
    hit(id) {
      const arm = armOf.get(id);
      if (arm) arm.hits += 1;
    },
    /** Ids read but not shown (the page was full): first in line next time, from the cache. */
    putBack(ids) {
      returned.unshift(...ids);
    },
    get left() {
      return returned.length > 0 || arms.some((a) => a.next < a.ids.length);
    },
  };
}

/** The queues of ids to read for the current selection. */
async function candidates() {
  if (state.client) {
    // A client picked through the address: its name comes with the RFM list, read once.
    if (!names.has(state.client))
      once('/v1/segments/rfm')
        .then(({ clients }) => (rememberNames(clients), renderChips()))
        .catch(() => {});
    return [[state.client]];
  }
  if (state.cell) {
    const answer = await once('/v1/segments/abc-xyz?period=month&measure=revenue');
    rememberNames(answer.clients);
    return [
      answer.clients
        .filter((c) => `${c.abc}${c.xyz}` === state.cell)
        .sort((a, b) => a.rank - b.rank)
        .map((c) => c.id),
    ];
  }
  // A stage alone: one queue per RFM segment (champions, at risk, new, prospects…), each largest
  // buyer first; a stage's clients gather in a few segments, which the source then favours.
  const { clients } = await once('/v1/segments/rfm');
  rememberNames(clients);
  const bySegment = new Map();
  for (const c of [...clients].sort((a, b) => (b.monetary ?? 0) - (a.monetary ?? 0))) {
    if (!bySegment.has(c.segment)) bySegment.set(c.segment, []);
    bySegment.get(c.segment).push(c.id);
  }
  return [...bySegment.values()];
}

let search = null;

/** Starts a selection afresh: clears the cards and shows the first page. */
async function startSearch() {
  const s = { source: null, read: 0, shown: 0, error: null, busy: false, done: false };
  search = s;
  $('cards').replaceChildren();
  renderChips();
  saveHash();
  if (!state.stage && !state.cell && !state.client) {
    $('more').hidden = true;
    setBusy($('cards').closest('section'), false);
    renderSelectionStatus();
    return;
  }
  setBusy($('cards').closest('section'), true);
  try {
    s.source = makeSource(await candidates());
  } catch (error) {
    if (search !== s) return;
    s.error = error.message;
    setBusy($('cards').closest('section'), false);
    renderSelectionStatus();
    return;
  }
  if (search === s) await showMore();
}

/** Reads profiles in small parallel batches until a page of matching clients is on screen. */
async function showMore() {
  const s = search;
  if (!s?.source || s.busy) return;
  s.busy = true;
  setBusy($('cards').closest('section'), true);
  $('more').hidden = true;
  renderSelectionStatus();
  let found = 0;
  let readNow = 0;
  const budget = state.stage ? SCAN_BUDGET : PAGE;
  while (found < PAGE && readNow < budget && s.source.left) {
    const batch = s.source.take(Math.min(CONCURRENCY, budget - readNow));
    const profiles = await Promise.all(batch.map(profileOf));
    if (search !== s) return;
    for (const [i, profile] of profiles.entries()) {
      if (found === PAGE) {
        s.source.putBack(batch.slice(i));
        break;
      }
      readNow += 1;
      s.read += 1;
      if (!profile || (state.stage && profile.stage !== state.stage)) continue;
      s.source.hit(batch[i]);
      $('cards').append(cardFor(profile));
      s.shown += 1;
      found += 1;
      if (state.client) renderChips();
    }
  }
  s.busy = false;
  setBusy($('cards').closest('section'), false);
  s.done = !s.source.left;
  $('more').hidden = s.done || state.client !== null;
  renderSelectionStatus();
}

function cardFor(profile) {
  const li = document.createElement('li');
  li.className = 'card-item';
  const card = document.createElement('folio-client-card');
  card.setAttribute('currency', state.currency);
  card.data = profile;
  li.append(card);
  const inputs = calculatorInputs(profile);
  if (inputs) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button quiet';
    button.dataset.i18n = 'card.model';
    button.textContent = t('card.model');
    button.addEventListener('click', () => modelClient(profile, inputs));
    li.append(button);
  }
  return li;
}

function renderChips() {
  const chips = [];
  if (state.stage) chips.push(['stage', t('sel.stage', stageName(state.stage))]);
  if (state.cell) chips.push(['cell', t('sel.cell', state.cell)]);
  if (state.client)
    chips.push(['client', t('sel.client', names.get(state.client) ?? state.client)]);
  $('chips').replaceChildren(
    ...chips.map(([name, label]) => {
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip';
      chip.textContent = label;
      chip.setAttribute('aria-label', t('sel.clear', label));
      chip.addEventListener('click', () => select({ ...pick(), [name]: null }));
      return chip;
    }),
  );
}

async function renderSelectionStatus() {
  const status = $('selection-status');
  const s = search;
  if (!state.stage && !state.cell && !state.client) {
    status.textContent = t('sel.prompt');
    return;
  }
  if (!s || s.error) {
    status.textContent = s?.error ? t('sel.error', s.error) : '';
    return;
  }
  if (s.busy && s.shown === 0) {
    status.textContent = t('sel.searching');
    return;
  }
  const lines = [];
  if (state.cell && !state.client) {
    const abc = await once('/v1/segments/abc-xyz?period=month&measure=revenue').catch(() => null);
    const cell = abc?.cells?.[state.cell];
    if (cell)
      lines.push(t('sel.cellSummary', fmt.number(cell.count), state.cell, fmt.percent(cell.share)));
  }
  if (state.stage && !state.client) {
    lines.push(state.cell ? t('sel.stageInCell', state.cell) : t('sel.stageSample'));
    lines.push(
      s.shown
        ? t('sel.found', fmt.number(s.shown), fmt.number(s.read))
        : s.busy
          ? t('sel.searching')
          : t('sel.none', fmt.number(s.read)),
    );
  }
  if (search === s) status.textContent = lines.join(' ');
}

const pick = () => ({ stage: state.stage, cell: state.cell, client: state.client });

/** A stage and a cell combine; a single client replaces both. */
function select(next) {
  const target =
    'client' in next && next.client
      ? { stage: null, cell: null, client: next.client }
      : { stage: next.stage ?? null, cell: next.cell ?? null, client: null };
  Object.assign(state, target);
  const funnel = $('funnel');
  const matrix = $('matrix');
  if (funnel.selected !== (state.stage ?? undefined)) funnel.selected = state.stage ?? undefined;
  if (matrix.selected !== (state.cell ?? undefined)) matrix.selected = state.cell ?? undefined;
  renderKeyClients();
  startSearch();
}

// ---------------------------------------------------------------------------------------------
// The calculator, fed from a client's history

function calculatorInputs(profile) {
  const a = profile.aggregates ?? {};
  if (!a.orders || !a.revenue || !a.firstPurchaseAt) return null;
  const months = Math.max(1, (Date.now() - Date.parse(a.firstPurchaseAt)) / (30.44 * 86_400_000));
  const round = (n, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
  return {
    averageOrderValue: round(a.revenue / a.orders),
    ordersPerPeriod: round(a.orders / months),
    ...(typeof a.margin === 'number' &&
      a.margin > 0 && { grossMargin: round(a.margin / a.revenue) }),
    ...(typeof profile.acquisitionCost === 'number' &&
      profile.acquisitionCost > 0 && { acquisitionCost: profile.acquisitionCost }),
  };
}

function modelClient(profile, inputs) {
  const calculator = $('calculator');
  Object.assign(calculator, inputs);
  state.modelled = profile.name || profile.id;
  const hint = $('clv-source');
  delete hint.dataset.i18n;
  hint.textContent = t('clv.from', state.modelled);
  const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
  calculator
    .closest('section')
    .scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'center' });
}

// ---------------------------------------------------------------------------------------------
// The work list

async function wireActionList() {
  const list = $('action-list');
  if (!customElements.get('folio-action-list')) {
    const note = document.createElement('p');
    note.className = 'hint';
    note.dataset.i18n = 'actions.missing';
    note.textContent = t('actions.missing');
    list.replaceWith(note);
    $('manager').closest('label').hidden = true;
    return;
  }
  const hint = document.createElement('p');
  hint.className = 'hint';
  hint.dataset.i18n = 'actions.hint';
  hint.textContent = t('actions.hint');
  list.closest('section').querySelector('.panel-head').append(hint);

  // A publishable key may not read GET /v1/managers: the names come from the unfiltered list.
  // The fetch starts in the update after api-base is set; wait for that update, then the data.
  await list.updateComplete;
  await list.dataComplete;
  const managers = [...new Set(list.items.map((i) => i.manager).filter(Boolean))].sort();
  $('manager').append(
    ...managers.map((m) =>
      Object.assign(document.createElement('option'), { value: m, textContent: m }),
    ),
  );
  $('manager').addEventListener('change', (e) => {
    if (e.target.value) list.setAttribute('manager', e.target.value);
    else list.removeAttribute('manager');
  });

  const open = (event) => {
    const item = event
      .composedPath()
      .find((n) => n instanceof HTMLElement && n.classList.contains('item') && n.dataset.id);
    const clientId = item && list.items.find((i) => i.id === item.dataset.id)?.clientId;
    if (clientId) select({ client: clientId });
  };
  list.addEventListener('click', open);
  list.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.composedPath()[0]?.classList?.contains('item')) open(e);
  });
}

// ---------------------------------------------------------------------------------------------
// Start

function restoreFromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  setTheme(params.get('theme') ?? 'calm');
  setLang(params.get('lang') ?? 'en');
  const cell = params.get('cell');
  return {
    stage: params.get('stage'),
    cell: /^[ABC][XYZ]$/.test(cell ?? '') ? cell : null,
    client: params.get('client'),
  };
}

/**
 * The migration matrix reads month-end snapshots (GET /v1/segments/migrations). Its panel shows
 * only once the API answers it with a matrix: an API without the endpoint, or one still computing
 * the snapshots (202), leaves the panel hidden rather than showing an error.
 */
async function showMigrations() {
  const month = (d) => d.toISOString().slice(0, 7);
  const now = new Date();
  const to = month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
  const from = month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 4, 1)));
  const answer = await once(`/v1/segments/migrations?dimension=stage&from=${from}&to=${to}`).catch(
    () => null,
  );
  if (!answer || !Array.isArray(answer.cells)) return;
  $('migrations').data = answer;
  $('migrations').closest('section').hidden = false;
}

async function main() {
  const initial = restoreFromHash();
  document.querySelector('.segmented').addEventListener('change', (e) => {
    setLang(e.target.value);
    saveHash();
  });
  $('theme').addEventListener('change', (e) => {
    setTheme(e.target.value);
    saveHash();
  });

  let config;
  try {
    config = await import('./demo-config.js');
  } catch {
    app.classList.add('offline');
    for (const el of document.querySelectorAll('[aria-busy]')) setBusy(el, false);
    const notice = $('notice');
    notice.dataset.i18n = 'notice.config';
    notice.textContent = t('notice.config');
    notice.hidden = false;
    return;
  }
  api = { base: crossOriginBase(config.apiBase), key: config.publishableKey };
  for (const el of document.querySelectorAll('[data-api]')) {
    el.setAttribute('api-base', api.base);
    el.setAttribute('key', api.key);
  }
  // The head of sales' restricted key (rk_…) may mark work-list items done; a publishable key only reads.
  if (config.restrictedKey) {
    const list = $('action-list');
    list.setAttribute('key', config.restrictedKey);
    list.removeAttribute('readonly');
  }

  $('funnel').addEventListener('folio-stage-select', (e) =>
    select({ ...pick(), client: null, stage: e.detail.stage }),
  );
  $('matrix').addEventListener('folio-segment-select', (e) =>
    select({ ...pick(), client: null, cell: e.detail.cell }),
  );
  $('more').addEventListener('click', showMore);

  await Promise.all([loadPortfolio(), wireActionList(), select(initial), showMigrations()]);
}

main();
