import * as v from 'valibot';

/**
 * The valibot building blocks the settings schemas share: an optional setting with its default
 * and its bounds, each failure saying what the field must be.
 */

/** A whole number in [min, max]; `unit` names what it counts in the message ("days"). */
export const wholeSetting = (fallback: number, min: number, max: number, unit?: string) =>
  v.optional(
    v.pipe(
      v.number(),
      v.integer(unit ? `must be a whole number of ${unit}` : 'must be a whole number'),
      v.minValue(min, `must be between ${min} and ${max}`),
      v.maxValue(max, `must be between ${min} and ${max}`),
    ),
    fallback,
  );

/** A finite number in [min, max]. */
export const numberSetting = (fallback: number, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.number(),
      v.finite('must be a finite number'),
      v.minValue(min, `must be between ${min} and ${max}`),
      v.maxValue(max, `must be between ${min} and ${max}`),
    ),
    fallback,
  );

/** A list of at most `entries` non-empty strings of at most `length` characters. */
export const stringListSetting = (
  fallback: string[],
  {
    length,
    entries,
    empty,
    tooLong,
  }: { length: number; entries: number; empty: string; tooLong: string },
) =>
  v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.minLength(1, empty), v.maxLength(length, tooLong))),
      v.maxLength(entries, `must have at most ${entries} entries`),
    ),
    fallback,
  );
