// MBG/NBD: Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of models
// for customer base analysis", IJRM 24(3). BG/NBD whose customers may also leave right after
// their first purchase, so a one-time buyer is not certainly alive.
import type { BgNbdParams } from '../../schema/value.ts';
import {
  betaGeometricGradient,
  betaGeometricLogLikelihood,
  fitBetaGeometric,
  type BetaGeometricFit,
} from './beta-geometric.ts';
import { expectedPurchases } from './bgnbd.ts';
import type { Frequency } from './sufficient.ts';

export const fitMbgnbd = (
  customers: readonly Frequency[],
  options: { start?: BgNbdParams } = {},
): BetaGeometricFit => fitBetaGeometric(customers, 1, options);

export const mbgnbdLogLikelihood = (params: BgNbdParams, customers: Iterable<Frequency>): number =>
  betaGeometricLogLikelihood(params, customers, 1);

export const mbgnbdGradient = (params: BgNbdParams, customers: Iterable<Frequency>): number[] =>
  betaGeometricGradient(params, customers, 1);

/** P(alive | x, tx, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+tx))^(r+x)), for x = 0 too. */
export function mbgnbdPAlive(p: BgNbdParams, c: Frequency): number {
  const tx = c.x === 0 ? 0 : c.tx;
  const k =
    Math.log(p.a) -
    Math.log(p.b + c.x) +
    (p.r + c.x) * (Math.log(p.alpha + c.T) - Math.log(p.alpha + tx));
  return 1 / (1 + Math.exp(k));
}

/**
 * E[Y(t) | x, tx, T]. MBG/NBD's expression is BG/NBD's with b + 1 in place of b (one more
 * dropout chance survived), times P(alive) where BG/NBD takes a customer without repeat purchases
 * as alive: so BG/NBD's stable evaluation (series or quadrature) serves both.
 */
export function mbgnbdExpectedPurchases(p: BgNbdParams, c: Frequency, t: number): number {
  const shifted = expectedPurchases({ ...p, b: p.b + 1 }, c, t);
  return c.x === 0 ? shifted * mbgnbdPAlive(p, c) : shifted;
}

/** E[X(t)] for a new customer. */
export const mbgnbdExpectedPurchasesNew = (p: BgNbdParams, t: number): number =>
  mbgnbdExpectedPurchases(p, { x: 0, tx: 0, T: 0 }, t);
