import * as v from 'valibot';
import { InstantSchema, MoneySchema, NameSchema, ShortTextSchema } from './common.ts';

/**
 * The key-client dossier (docs/domain.md 5): what the ordinary card does not hold. Only the assigned
 * manager and their supervisor (or a secret key) may read it; it is reviewed every 90 days.
 */

const text = (max: number) =>
  v.pipe(v.string('must be text'), v.maxLength(max, `must be at most ${max} characters`));
const list = <T extends v.GenericSchema>(item: T, max: number) =>
  v.optional(v.pipe(v.array(item), v.maxLength(max, `must have at most ${max} entries`)), []);

/** The top of the four-point relationship scale. */
export const RELATIONSHIP_MAX = 4;

export const DecisionMakerSchema = v.strictObject({
  name: NameSchema,
  role: v.optional(ShortTextSchema),
  /** Who signs, who sways the decision, who uses what we sell, who guards the door. */
  influence: v.optional(
    v.picklist(
      ['decides', 'influences', 'uses', 'gatekeeper'],
      'must be decides, influences, uses or gatekeeper',
    ),
  ),
  attitude: v.optional(
    v.picklist(['supporter', 'neutral', 'opponent'], 'must be supporter, neutral or opponent'),
  ),
  contact: v.optional(ShortTextSchema),
  note: v.optional(text(1000)),
});

export const RelationshipScoreSchema = v.strictObject({
  /** A criterion as the client sees the relationship: "responsiveness", "quality", "price"… */
  criterion: v.pipe(NameSchema),
  score: v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(1, `must be 1 to ${RELATIONSHIP_MAX}`),
    v.maxValue(RELATIONSHIP_MAX, `must be 1 to ${RELATIONSHIP_MAX}`),
  ),
  note: v.optional(text(1000)),
});

/** One of the 3 P of a prospective key client; `met: null` is "not known yet". */
const PSchema = v.optional(
  v.strictObject({
    met: v.optional(v.nullable(v.boolean('must be true, false or null')), null),
    note: v.optional(text(1000)),
  }),
  {},
);

export const ThreePSchema = v.strictObject({
  /** Потребность: the client needs what we sell. */
  need: PSchema,
  /** Платежеспособность: it can pay for it. */
  abilityToPay: PSchema,
  /** Полномочия: the people we deal with may decide. */
  authority: PSchema,
});

/** The body of `PUT /v1/clients/{id}/dossier`: the whole dossier (a PUT replaces it). */
export const DossierBodySchema = v.strictObject({
  decisionMakers: list(DecisionMakerSchema, 50),
  needs: list(text(1000), 50),
  /** The client's business and how it develops. */
  business: v.optional(text(4000), ''),
  /** Its plans. */
  plans: v.optional(text(4000), ''),
  /** Competitors courting the client. */
  competitors: list(v.strictObject({ name: NameSchema, activity: v.optional(text(1000)) }), 50),
  history: list(
    v.strictObject({
      at: InstantSchema,
      text: v.pipe(text(1000), v.minLength(1, 'must not be empty')),
    }),
    200,
  ),
  opportunities: list(
    v.strictObject({
      text: v.pipe(text(1000), v.minLength(1, 'must not be empty')),
      value: v.optional(MoneySchema),
    }),
    50,
  ),
  relationship: v.optional(
    v.pipe(
      v.array(RelationshipScoreSchema),
      v.maxLength(30, 'must have at most 30 criteria'),
      v.check(
        (rows) => new Set(rows.map((r) => r.criterion.toLowerCase())).size === rows.length,
        'must name each criterion once',
      ),
    ),
    [],
  ),
  qualification: v.optional(ThreePSchema, {}),
  /** When it was last reviewed; default: the time of this PUT (saving the dossier is reviewing it). */
  reviewedAt: v.optional(InstantSchema),
});
export type DossierBody = v.InferOutput<typeof DossierBodySchema>;
/** The dossier as stored: the body with its review date settled. */
export type DossierContent = Omit<DossierBody, 'reviewedAt'>;

const d = <T extends v.GenericSchema>(schema: T, description: string) =>
  v.pipe(schema, v.description(description));

export const DossierSchema = v.object({
  clientId: v.string(),
  name: v.nullable(v.string()),
  currency: d(v.string(), 'The workspace currency (ISO 4217) of the opportunities'),
  decisionMakers: v.array(v.object({ ...DecisionMakerSchema.entries })),
  needs: v.array(v.string()),
  business: v.string(),
  plans: v.string(),
  competitors: v.array(v.object({ name: v.string(), activity: v.optional(v.string()) })),
  history: v.array(v.object({ at: v.string(), text: v.string() })),
  opportunities: v.array(v.object({ text: v.string(), value: v.optional(v.number()) })),
  relationship: v.array(v.object({ ...RelationshipScoreSchema.entries, score: v.number() })),
  qualification: v.object({
    need: v.object({ met: v.nullable(v.boolean()), note: v.optional(v.string()) }),
    abilityToPay: v.object({ met: v.nullable(v.boolean()), note: v.optional(v.string()) }),
    authority: v.object({ met: v.nullable(v.boolean()), note: v.optional(v.string()) }),
  }),
  reviewedAt: v.string(),
  reviewDueAt: d(
    v.string(),
    'reviewedAt plus the review interval (actions.rules.review_dossier.days, default 90)',
  ),
  reviewDue: d(v.boolean(), 'The review has fallen due (reviewDueAt is not after asOf)'),
  relationshipScore: d(
    v.object({
      average: d(
        v.nullable(v.number()),
        `Mean score over the criteria, 1–${RELATIONSHIP_MAX}; null without criteria`,
      ),
      max: v.number(),
      gaps: d(
        v.array(v.object({ criterion: v.string(), score: v.number(), gap: v.number() })),
        'Distance from the maximum per criterion, largest first: where to develop',
      ),
    }),
    'The four-point relationship score seen through the client’s eyes',
  ),
  qualificationMet: d(v.number(), 'How many of the 3 P are met (0–3)'),
  createdAt: v.string(),
  updatedAt: v.string(),
});
export type Dossier = v.InferOutput<typeof DossierSchema>;
