// Customers drawn from known BG/NBD and Gamma-Gamma parameters, with a seeded generator: the
// ground truth for parameter-recovery tests and the data of the benchmark.
import type { BgNbdParams, GammaGammaParams } from '../../schema/value.ts';
import type { CustomerSummary } from './summary.ts';

/** sfc32, seeded through splitmix32: small, fast, and good enough for simulation. */
export function createRng(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    // (0, 1]: never 0, so that ln(u) is always finite
    return (t + 1) / 4294967296;
  };
}

const normal = (rng: () => number): number =>
  Math.sqrt(-2 * Math.log(rng())) * Math.cos(2 * Math.PI * rng());

/** Gamma(shape, rate) by Marsaglia & Tsang (2000); shape < 1 through Gamma(shape+1)·U^(1/shape). */
export function gammaSample(rng: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaSample(rng, shape + 1, rate) * rng() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export const betaSample = (rng: () => number, a: number, b: number): number => {
  const x = gammaSample(rng, a, 1);
  return x / (x + gammaSample(rng, b, 1));
};

export interface SimulationOptions {
  customers: number;
  params: BgNbdParams;
  spend: GammaGammaParams;
  /** Each customer is observed for a T drawn uniformly from this range (staggered acquisition). */
  observation: { min: number; max: number };
  /** A period after T in which repeat purchases are counted but not shown to the model. */
  holdout?: number;
  seed: number;
}

export interface SimulatedCustomer extends CustomerSummary {
  /** Repeat purchases in (T, T + holdout]. */
  holdoutPurchases: number;
  /** Whether the customer was still alive at T: the truth that P(alive) estimates. */
  aliveAtT: boolean;
}

/**
 * Draws each customer's purchase rate λ ~ Gamma(r, α) and dropout probability p ~ Beta(a, b), then
 * runs the BG/NBD story: purchases at Poisson(λ) times after the first, and after each repeat
 * purchase the customer leaves for good with probability p. Spend: ν ~ Gamma(q, v) per customer
 * and each transaction ~ Gamma(p, ν).
 */
export function simulateCustomers(o: SimulationOptions): SimulatedCustomer[] {
  const rng = createRng(o.seed);
  const { r, alpha, a, b } = o.params;
  const holdout = o.holdout ?? 0;
  const out: SimulatedCustomer[] = [];
  for (let i = 0; i < o.customers; i++) {
    const T = o.observation.min + (o.observation.max - o.observation.min) * rng();
    const lambda = gammaSample(rng, r, alpha);
    const dropout = betaSample(rng, a, b);
    const nu = gammaSample(rng, o.spend.q, o.spend.v);
    let t = 0;
    let x = 0;
    let tx = 0;
    let spent = 0;
    let holdoutPurchases = 0;
    let aliveAtT = true;
    for (;;) {
      t += -Math.log(rng()) / lambda;
      if (t > T + holdout) break;
      if (t > T) holdoutPurchases++;
      else {
        x++;
        tx = t;
        spent += gammaSample(rng, o.spend.p, nu);
      }
      if (rng() < dropout) {
        if (t <= T) aliveAtT = false;
        break;
      }
    }
    out.push({ id: `sim${i}`, x, tx, T, zbar: x > 0 ? spent / x : 0, holdoutPurchases, aliveAtT });
  }
  return out;
}

/** Pareto/NBD and MBG/NBD draws: continuous-time histories (x, tx, T) and the holdout count. */
export interface SimulatedFrequency {
  x: number;
  tx: number;
  T: number;
  holdoutPurchases: number;
}

/**
 * The Pareto/NBD story: λ ~ Gamma(r, α), μ ~ Gamma(s, β), a lifetime Exponential(μ) from the first
 * purchase, and purchases at Poisson(λ) times while alive.
 */
export function simulatePnbd(o: {
  customers: number;
  params: { r: number; alpha: number; s: number; beta: number };
  observation: { min: number; max: number };
  holdout?: number;
  seed: number;
}): SimulatedFrequency[] {
  const rng = createRng(o.seed);
  const holdout = o.holdout ?? 0;
  const out: SimulatedFrequency[] = [];
  for (let i = 0; i < o.customers; i++) {
    const T = o.observation.min + (o.observation.max - o.observation.min) * rng();
    const lambda = gammaSample(rng, o.params.r, o.params.alpha);
    const mu = gammaSample(rng, o.params.s, o.params.beta);
    const death = -Math.log(rng()) / mu;
    let t = 0;
    let x = 0;
    let tx = 0;
    let holdoutPurchases = 0;
    for (;;) {
      t += -Math.log(rng()) / lambda;
      if (t > death || t > T + holdout) break;
      if (t > T) holdoutPurchases++;
      else {
        x++;
        tx = t;
      }
    }
    out.push({ x, tx, T, holdoutPurchases });
  }
  return out;
}

/**
 * The MBG/NBD story (Batislam, Denizel & Filiztekin 2007): as BG/NBD, but the customer may also
 * leave right at the first purchase, so a coin with the dropout probability p is tossed at every
 * purchase, the first included.
 */
export function simulateMbgnbd(o: {
  customers: number;
  params: BgNbdParams;
  observation: { min: number; max: number };
  holdout?: number;
  seed: number;
}): SimulatedFrequency[] {
  const rng = createRng(o.seed);
  const holdout = o.holdout ?? 0;
  const out: SimulatedFrequency[] = [];
  for (let i = 0; i < o.customers; i++) {
    const T = o.observation.min + (o.observation.max - o.observation.min) * rng();
    const lambda = gammaSample(rng, o.params.r, o.params.alpha);
    const dropout = betaSample(rng, o.params.a, o.params.b);
    let t = 0;
    let x = 0;
    let tx = 0;
    let holdoutPurchases = 0;
    while (!(rng() < dropout)) {
      t += -Math.log(rng()) / lambda;
      if (t > T + holdout) break;
      if (t > T) holdoutPurchases++;
      else {
        x++;
        tx = t;
      }
    }
    out.push({ x, tx, T, holdoutPurchases });
  }
  return out;
}

/** A BG/BB history in opportunities: x transactions, the last at opportunity tx, out of n. */
export interface SimulatedOpportunities {
  x: number;
  tx: number;
  n: number;
  holdoutPurchases: number;
}

/**
 * The BG/BB story (Fader, Hardie & Shang 2010): p ~ Beta(α, β), θ ~ Beta(γ, δ); a customer alive
 * at an opportunity transacts with probability p, and dies before each opportunity with
 * probability θ.
 */
export function simulateBgbb(o: {
  customers: number;
  params: { alpha: number; beta: number; gamma: number; delta: number };
  opportunities: { min: number; max: number };
  holdout?: number;
  seed: number;
}): SimulatedOpportunities[] {
  const rng = createRng(o.seed);
  const holdout = o.holdout ?? 0;
  const out: SimulatedOpportunities[] = [];
  for (let i = 0; i < o.customers; i++) {
    const n =
      o.opportunities.min + Math.floor((o.opportunities.max - o.opportunities.min + 1) * rng());
    const p = betaSample(rng, o.params.alpha, o.params.beta);
    const theta = betaSample(rng, o.params.gamma, o.params.delta);
    let x = 0;
    let tx = 0;
    let holdoutPurchases = 0;
    for (let t = 1; t <= n + holdout; t++) {
      if (rng() < theta) break;
      if (rng() < p) {
        if (t > n) holdoutPurchases++;
        else {
          x++;
          tx = t;
        }
      }
    }
    out.push({ x, tx, n, holdoutPurchases });
  }
  return out;
}
