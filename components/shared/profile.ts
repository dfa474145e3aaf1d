import type * as v from 'valibot';
import type { Client, ClientAggregates, ClientTypeEntrySchema } from '../../schema/clients.ts';
import type { ClientEvent } from '../../schema/events.ts';
import type { AbcXyzClient, RfmClient } from '../../schema/segments.ts';
import type { ClientValue } from '../../schema/value.ts';

export type ClientTypeEntry = v.InferOutput<typeof ClientTypeEntrySchema>;

/**
 * The JSON of `GET /v1/clients/{id}` as the components read it, composed from the schemas of its
 * parts (the profile as a whole has no schema yet). Everything beyond the stored client may be
 * missing or null: the API fills the value and the classes in as segmentation and the models run.
 */
export type ClientProfile = Client & {
  currency?: string | null;
  types?: ClientTypeEntry[] | null;
  rfm?: Pick<RfmClient, 'r' | 'f' | 'm' | 'segment'> | null;
  abc?: AbcXyzClient['abc'] | null;
  xyz?: AbcXyzClient['xyz'] | null;
  clv?: Partial<ClientValue> | null;
  aggregates?: Partial<ClientAggregates> | null;
  recentEvents?: ClientEvent[] | null;
};
