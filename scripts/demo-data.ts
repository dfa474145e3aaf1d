import type { ClientAttributes } from '../schema/clients.ts';
import type { EventInput } from '../schema/events.ts';
import { prng } from '../core/random.ts';

export interface DemoClient {
  id: string;
  name: string;
  attributes: ClientAttributes;
  tags: string[];
  manualTypes: string[];
  acquisitionCost: number;
}

export interface DemoPortfolio {
  clients: DemoClient[];
  events: EventInput[];
}

const CHANNELS = ['web', 'referral', 'cold_call', 'exhibition', 'partner'] as const;
/** How likely a client from each channel is to become a regular: the segments worth attracting. */
const CHANNEL_LOYALTY: Record<(typeof CHANNELS)[number], number> = {
  web: 0.25,
  referral: 0.55,
  cold_call: 0.15,
  exhibition: 0.35,
  partner: 0.45,
};
const INDUSTRIES = ['retail', 'manufacturing', 'it', 'construction', 'logistics', 'healthcare'];
const REGIONS = ['north', 'south', 'east', 'west', 'center'];
const SIZES = ['small', 'small', 'small', 'medium', 'medium', 'large'];
const MANAGERS = ['anna', 'boris', 'dina', 'egor', 'irina', 'oleg', 'sofia', 'timur'];
const NAME_A = [
  'Nord',
  'Alfa',
  'Vega',
  'Orion',
  'Terra',
  'Volga',
  'Delta',
  'Polar',
  'Astra',
  'Lada',
  'Kama',
  'Ural',
  'Sever',
  'Zenit',
  'Altai',
  'Baikal',
];
const NAME_B = [
  'Trade',
  'Stroy',
  'Tech',
  'Logistic',
  'Med',
  'Prom',
  'Soft',
  'Service',
  'Group',
  'Systems',
  'Market',
  'Industries',
];
const REFUSAL_REASONS = ['price', 'product', 'timing', 'competitor', 'no budget', 'no need'];
const PRODUCTS = ['core', 'core', 'core', 'support', 'support', 'analytics', 'training'];
/** Products launched during the period: their first buyers are the pioneers. */
const LAUNCHES = [
  { product: 'mobile', afterDays: 400 },
  { product: 'ai-assistant', afterDays: 800 },
];

const DAY = 86_400_000;

/**
 * A believable B2B portfolio over `years` up to `end`: prospects that never answer, inquirers
 * and near-clients, one-off buyers who fall asleep, regulars (more of them from referrals and
 * partners), a few large key clients, fans who refer others, bad payers, pioneers of new
 * products, deferred interest and refusals with reasons. Deterministic for a seed and end date.
 */
export function generateDemo({
  seed = 42,
  clients = 2500,
  end = '2026-11-01T00:00:00.000Z',
  years = 3,
} = {}): DemoPortfolio {
  const r = prng(seed);
  const endMs = Date.parse(end);
  const startMs = endMs - years * 365 * DAY;
  const out: DemoPortfolio = { clients: [], events: [] };
  const iso = (ms: number) => new Date(Math.min(ms, endMs - DAY)).toISOString();

  for (let i = 0; i < clients; i++) {
    const id = `c${String(i + 1).padStart(5, '0')}`;
    const channel = r.pick(CHANNELS);
    const size = r.pick(SIZES);
    const client: DemoClient = {
      id,
      name: `${r.pick(NAME_A)}${r.pick(NAME_B)} ${i + 1}`,
      attributes: {
        channel,
        industry: r.pick(INDUSTRIES),
        region: r.pick(REGIONS),
        size,
        manager: r.pick(MANAGERS),
      },
      tags: [],
      manualTypes: [],
      acquisitionCost: r.int(50, 600),
    };
    if (r.chance(0.01)) client.manualTypes.push('status');
    if (r.chance(0.01)) client.manualTypes.push('lead_user');
    if (r.chance(0.02)) client.manualTypes.push('competitors');
    out.clients.push(client);

    let n = 0;
    const ev = (type: EventInput['type'], atMs: number, extra: Record<string, unknown> = {}) => {
      if (atMs >= endMs) return;
      out.events.push({
        id: `${id}-e${++n}`,
        clientId: id,
        type,
        at: iso(atMs),
        ...extra,
      } as EventInput);
    };

    const firstTouch = startMs + r.next() * (endMs - startMs - 30 * DAY);
    ev('outreach', firstTouch, { channel });
    const roll = r.next();
    if (roll < 0.14) continue; // prospect: never answered

    const responded = firstTouch + r.int(1, 20) * DAY;
    ev('response', responded);
    if (roll < 0.2) {
      ev('interest', responded + r.int(1, 10) * DAY);
      continue;
    }
    if (roll < 0.25) {
      ev('refusal', responded + r.int(1, 10) * DAY, {
        by: r.chance(0.3) ? 'us' : 'client',
        reason: r.pick(REFUSAL_REASONS),
        kind: r.chance(0.5) ? 'non_target' : 'not_now',
      });
      continue;
    }
    ev('request', responded + r.int(1, 5) * DAY);
    ev('meeting', responded + r.int(5, 15) * DAY);
    ev('offer', responded + r.int(15, 25) * DAY);
    if (roll < 0.33) {
      // near-client or false client: talked, got offers, never bought
      const offers = r.chance(0.3) ? r.int(3, 5) : 0;
      for (let k = 0; k < offers; k++) ev('offer', responded + (30 + k * 20) * DAY);
      ev('purchase_refused', responded + r.int(30, 60) * DAY, {
        by: r.chance(0.2) ? 'us' : 'client',
        reason: r.pick(REFUSAL_REASONS),
      });
      continue;
    }

    // Buyers. Key clients buy big; regulars buy often; the rest once or twice.
    const key = size === 'large' && r.chance(0.12);
    const regular = key || r.chance(CHANNEL_LOYALTY[channel]);
    const avg =
      (key ? 4000 : size === 'large' ? 900 : size === 'medium' ? 400 : 150) *
      (0.6 + r.next() * 0.8);
    // Some regulars are on a monthly contract: steady amounts every month, the X and Y of ABC-XYZ.
    const subscription = regular && r.chance(0.35);
    const wobble = subscription ? r.pick([0.1, 0.4, 0.6]) : 1;
    const meanGap = (regular ? r.int(20, 60) : r.int(60, 200)) * DAY;
    const purchases = subscription ? 40 : regular ? r.int(6, 48) : r.int(1, 2);
    const stopsEarly = r.chance(regular ? 0.3 : 0.5);
    const bad = r.chance(0.06);
    const fan = r.chance(0.08);
    const horizon = stopsEarly ? firstTouch + (endMs - firstTouch) * (0.3 + r.next() * 0.4) : endMs;
    let t = responded + r.int(20, 40) * DAY;
    for (let k = 0; k < purchases && t < horizon; k++) {
      const amount = Math.round(avg * (1 - wobble / 2 + r.next() * wobble) * 100) / 100;
      const launch = LAUNCHES.find(
        (l) => t > startMs + l.afterDays * DAY && t < startMs + (l.afterDays + 60) * DAY,
      );
      const product = launch && r.chance(0.3) ? launch.product : r.pick(PRODUCTS);
      const margin =
        Math.round(amount * (bad && r.chance(0.4) ? -0.1 : 0.15 + r.next() * 0.3) * 100) / 100;
      ev('purchase', t, {
        amount,
        margin,
        product,
        ...(bad && r.chance(0.7) ? { discount: 0.2 } : {}),
      });
      ev('payment', t + r.int(5, 30) * DAY, {
        daysLate: bad ? r.int(10, 60) : r.chance(0.05) ? r.int(1, 10) : 0,
        amount,
      });
      if (r.chance(0.45))
        ev('contact', t + r.int(1, 15) * DAY, {
          sentiment: bad && r.chance(0.5) ? 'negative' : r.chance(0.8) ? 'positive' : 'neutral',
        });
      if (bad && r.chance(0.4)) ev('complaint', t + r.int(2, 20) * DAY);
      t += subscription ? (30 + r.int(-2, 2)) * DAY : Math.max(DAY, r.exp(meanGap));
    }
    if (fan) {
      ev('review', t - r.int(1, 30) * DAY, { rating: 5 });
      ev('referral', t - r.int(1, 30) * DAY);
    }
    if (key && r.chance(0.5)) ev('tag', firstTouch + 60 * DAY, { tag: 'key-account' });
  }
  return out;
}
