import * as v from 'valibot';

/** Settings of the CLV models (filled in by the value work). */
export const ValueSettingsSchema = v.strictObject({});
export type ValueSettings = v.InferOutput<typeof ValueSettingsSchema>;
