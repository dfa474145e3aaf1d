import type * as v from 'valibot';
import type { Client, ClientTypeEntrySchema } from '../../schema/clients.ts';
import type { ClientProfile as Profile } from '../../schema/profile.ts';

export type ClientTypeEntry = v.InferOutput<typeof ClientTypeEntrySchema>;

/**
 * The JSON of `GET /v1/clients/{id}` (`ClientProfileSchema`) as the components read it: the stored
 * client always, everything derived possibly missing or partial, so that a card renders what a
 * caller has (an older API, a hand-made object) rather than failing.
 */
export type ClientProfile = Client & {
  [K in Exclude<keyof Profile, keyof Client>]?:
    (K extends 'aggregates' | 'clv' | 'lead' ? Partial<Profile[K]> : Profile[K]) | null;
};
