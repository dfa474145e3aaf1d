import * as v from 'valibot';

/** Thresholds of ABC-XYZ, RFM, client types and the portfolio checks (filled in by the segmentation work). */
export const SegmentSettingsSchema = v.strictObject({});
export type SegmentSettings = v.InferOutput<typeof SegmentSettingsSchema>;
