import * as v from 'valibot';
import { ActionSettingsSchema } from './actions.ts';
import { LifecycleSettingsSchema } from './lifecycle.ts';
import { SegmentSettingsSchema } from './segments.ts';
import { ValueSettingsSchema } from './value.ts';

/**
 * A workspace's settings. Every field has a default, so `{}` parses to the full default settings;
 * a PATCH is merged into the stored settings and the result validated whole.
 */
export const SettingsSchema = v.strictObject({
  currency: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')),
    'USD',
  ),
  lifecycle: v.optional(LifecycleSettingsSchema, {}),
  segments: v.optional(SegmentSettingsSchema, {}),
  value: v.optional(ValueSettingsSchema, {}),
  actions: v.optional(ActionSettingsSchema, {}),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;

/** Any JSON object nested up to a sane depth; the merge result is what gets validated. */
// Checked before the record schema, which would read an array as an object keyed 0, 1, …
export const SettingsPatchSchema = v.pipe(
  v.unknown(),
  v.check((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'must be a JSON object'),
  v.record(v.string(), v.unknown()),
);

export const defaultSettings = (): Settings => v.parse(SettingsSchema, {});
