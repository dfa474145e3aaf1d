import * as v from 'valibot';
import { LeadQualificationSchema } from './actions.ts';
import { ClientAggregatesSchema, ClientSchema, ClientTypeEntrySchema } from './clients.ts';
import { EventSchema } from './events.ts';
import { AbcXyzClientSchema, RfmClientSchema } from './segments.ts';
import { ClientValueSchema } from './value.ts';

/**
 * The profile `GET /v1/clients/{id}` answers (and `<folio-client-card>` renders): the client,
 * its stage, its types with reasons, its classes, its value, its lead qualification, its
 * maintained aggregates and its last events.
 */
export const ClientProfileSchema = v.object({
  ...ClientSchema.entries,
  currency: v.string(),
  types: v.array(ClientTypeEntrySchema),
  rfm: v.nullable(v.pick(RfmClientSchema, ['r', 'f', 'm', 'segment'])),
  abc: v.nullable(AbcXyzClientSchema.entries.abc),
  xyz: v.nullable(AbcXyzClientSchema.entries.xyz),
  /**
   * When the types and classes were computed: the latest finished snapshot of the classes, or
   * this request before a workspace's first snapshot.
   */
  computedAt: v.string(),
  clv: ClientValueSchema,
  /** An inquirer is a lead when it has contact data, a wish to buy and a budget (docs/domain.md 3). */
  lead: LeadQualificationSchema,
  aggregates: ClientAggregatesSchema,
  recentEvents: v.array(EventSchema),
});
export type ClientProfile = v.InferOutput<typeof ClientProfileSchema>;
