import { type Dossier, type DossierContent, RELATIONSHIP_MAX } from '../../schema/dossier.ts';
import { addDays } from '../time.ts';

export interface StoredDossier {
  content: DossierContent;
  reviewedAt: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A dossier as the API shows it: its content, when its review falls due, the four-point
 * relationship score with the distance from the maximum per criterion (docs/domain.md 5: "the distance
 * from the maximum shows where to develop"), and how many of the 3 P are met.
 */
export function dossierView(
  clientId: string,
  stored: StoredDossier,
  asOf: string,
  reviewDays: number,
): Omit<Dossier, 'name' | 'currency'> {
  const c = stored.content;
  const reviewDueAt = addDays(stored.reviewedAt, reviewDays);
  const scores = c.relationship;
  const average =
    scores.length > 0
      ? Math.round((scores.reduce((s, r) => s + r.score, 0) / scores.length) * 100) / 100
      : null;
  const gaps = scores
    .map((r) => ({ criterion: r.criterion, score: r.score, gap: RELATIONSHIP_MAX - r.score }))
    .sort(
      (p, q) =>
        q.gap - p.gap || (p.criterion < q.criterion ? -1 : p.criterion > q.criterion ? 1 : 0),
    );
  const q = c.qualification;
  const p = (x: { met?: boolean | null; note?: string | undefined } | undefined) => ({
    met: x?.met ?? null,
    ...(x?.note !== undefined && { note: x.note }),
  });
  const qualification = {
    need: p(q.need),
    abilityToPay: p(q.abilityToPay),
    authority: p(q.authority),
  };
  return {
    clientId,
    ...c,
    qualification,
    reviewedAt: stored.reviewedAt,
    reviewDueAt,
    reviewDue: reviewDueAt <= asOf,
    relationshipScore: { average, max: RELATIONSHIP_MAX, gaps },
    qualificationMet: [
      qualification.need,
      qualification.abilityToPay,
      qualification.authority,
    ].filter((x) => x.met === true).length,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}
