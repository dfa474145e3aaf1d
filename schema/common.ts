import * as v from 'valibot';

/** Caller-chosen identifiers (clients, events): 1–128 printable characters, no control characters. */
export const IdSchema = v.pipe(
  v.string(),
  v.minLength(1, 'must be 1 to 128 characters'),
  v.maxLength(128, 'must be 1 to 128 characters'),
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it rejects
  v.regex(/^[^\u0000-\u001f\u007f]+$/u, 'must not contain control characters'),
);

/** Earliest and latest instants the API accepts: keeps typos like year 20245 out of the data. */
export const MIN_INSTANT = '1970-01-01T00:00:00.000Z';
export const MAX_INSTANT = '2100-01-01T00:00:00.000Z';

const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO 8601 date or date-time, normalised to UTC milliseconds (`2024-01-31T00:00:00.000Z`), so
 * that stored instants sort as strings. A bare date means midnight UTC.
 */
export const InstantSchema = v.pipe(
  v.string(),
  v.maxLength(40, 'must be an ISO 8601 date or date-time'),
  v.regex(ISO_INSTANT, 'must be an ISO 8601 date or date-time'),
  v.check((s) => {
    // Date.parse rolls 2024-02-31 over into March; a calendar date must exist as written.
    if (!ISO_INSTANT.test(s)) return true; // already reported by the regex
    const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
    return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  }, 'is not a calendar date'),
  v.transform((s) => {
    const withZone = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s;
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(withZone) ? withZone : `${withZone}Z`;
    const ms = Date.parse(zoned);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
  }),
  v.check((s) => s !== '', 'is not a valid date'),
  v.check((s) => s >= MIN_INSTANT && s < MAX_INSTANT, 'must be between 1970 and 2100'),
);

/** Money in the workspace currency: finite, non-negative, below a trillion. */
export const MoneySchema = v.pipe(
  v.number(),
  v.finite('must be a finite number'),
  v.minValue(0, 'must not be negative'),
  v.maxValue(1e12, 'must be at most 1e12'),
);

/** Money that may be negative (a margin can be a loss). */
export const SignedMoneySchema = v.pipe(
  v.number(),
  v.finite('must be a finite number'),
  v.minValue(-1e12, 'must be at least -1e12'),
  v.maxValue(1e12, 'must be at most 1e12'),
);

export const ShortTextSchema = v.pipe(
  v.string(),
  v.maxLength(200, 'must be at most 200 characters'),
);
export const NameSchema = v.pipe(
  v.string(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(200, 'must be at most 200 characters'),
);

/** RFC 9457 problem details, as every error of the API answers. */
export const ProblemSchema = v.object({
  type: v.string(),
  title: v.string(),
  status: v.number(),
  detail: v.optional(v.string()),
  errors: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
});
export type Problem = v.InferOutput<typeof ProblemSchema>;

export const DAY_MS = 86_400_000;
