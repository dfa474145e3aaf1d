import {
  CLC6_STAGES,
  PORTFOLIO_STAGES,
  type Stage,
  type StageModelName,
} from '../../schema/lifecycle.ts';

/**
 * What the events say about a client, independent of any stage model. Both models of docs/domain.md 1
 * are views of this state, which is why switching a workspace's model needs no reprocessing.
 */
export interface RelationshipState {
  /** We reached out or know of them. */
  known: boolean;
  /** They answered: a reply, a request, interest, a meeting, a contact… */
  responded: boolean;
  orders: number;
  /** They recommend us: a referral or a good review. */
  advocate: boolean;
  dormancy: 'active' | 'sleeping' | 'lost';
}

export interface StageModel {
  name: StageModelName;
  /** In funnel order: conversion runs from each stage to the next. */
  stages: readonly Stage[];
  stageOf(state: RelationshipState, developedAfterOrders: number): Stage | null;
  /** The stage that counts as "developed" in segment conversion. */
  developedStage: Stage;
  /** Stages off the progression path: clients who stopped buying. */
  dormantStages: readonly Stage[];
}

export const portfolioModel: StageModel = {
  name: 'portfolio',
  stages: PORTFOLIO_STAGES,
  developedStage: 'developed',
  dormantStages: ['sleeping', 'lost'],
  stageOf(s, developedAfterOrders) {
    if (s.dormancy === 'lost') return 'lost';
    if (s.dormancy === 'sleeping') return 'sleeping';
    if (s.orders >= developedAfterOrders) return 'developed';
    if (s.orders >= 1) return 'developing';
    if (s.responded) return 'potential';
    return s.known ? 'prospect' : null;
  },
};

export const clc6Model: StageModel = {
  name: 'clc6',
  stages: CLC6_STAGES,
  developedStage: 'retention',
  dormantStages: ['re_engagement'],
  stageOf(s) {
    if (s.dormancy !== 'active') return 're_engagement';
    if (s.orders >= 2) return s.advocate ? 'loyalty' : 'retention';
    if (s.orders === 1) return 'conversion';
    if (s.responded) return 'acquisition';
    return s.known ? 'awareness' : null;
  },
};

export const STAGE_MODELS: Record<StageModelName, StageModel> = {
  portfolio: portfolioModel,
  clc6: clc6Model,
};

export const stageModel = (name: StageModelName): StageModel => STAGE_MODELS[name];
