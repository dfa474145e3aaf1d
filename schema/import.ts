import * as v from 'valibot';
import {
  IdSchema,
  InstantSchema,
  MoneySchema,
  ShortTextSchema,
  SignedMoneySchema,
} from './common.ts';

export const IMPORT_COLUMNS = ['client_id', 'date', 'amount'] as const;
export const IMPORT_OPTIONAL_COLUMNS = ['margin', 'product'] as const;
/** Bytes and rows one import may hold; larger histories go in several files (re-sending a file is harmless). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 1_000_000;

const NumberText = (schema: v.GenericSchema<number, number>) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.regex(/^-?\d+(?:\.\d+)?$/, 'must be a plain decimal number such as 1200.50'),
    v.transform(Number),
    schema,
  );

/** One CSV row after the header: a purchase. */
export const ImportRowSchema = v.object({
  client_id: IdSchema,
  date: InstantSchema,
  amount: NumberText(MoneySchema),
  margin: v.optional(NumberText(SignedMoneySchema)),
  product: v.optional(ShortTextSchema),
});
export type ImportRow = v.InferOutput<typeof ImportRowSchema>;

/** The request body as documented: CSV text with a header line. */
export const ImportCsvSchema = v.pipe(
  v.string(),
  v.description(
    'CSV with a header line `client_id,date,amount` (optional columns `margin`, `product`); `date` as YYYY-MM-DD or ISO 8601; at most 50 MiB and 1,000,000 rows.',
  ),
  v.examples([
    'client_id,date,amount\nacme,2024-01-15,1200.00\nacme,2024-03-02,450.50\nglobex,2024-02-10T09:30:00Z,99.90\n',
  ]),
);

export const ImportResultSchema = v.object({
  /** Rows stored as new purchase events. */
  imported: v.number(),
  /** Rows already stored by an earlier import of the same data. */
  duplicates: v.number(),
  rows: v.number(),
  clients: v.number(),
});
export type ImportResult = v.InferOutput<typeof ImportResultSchema>;

/** The NDJSON body as documented: one event per line, each in the `POST /v1/events` schema. */
export const ImportNdjsonSchema = v.pipe(
  v.string(),
  v.description(
    'NDJSON (`application/x-ndjson`): one event per line, each an object in the `POST /v1/events` event schema; blank lines are skipped; at most 50 MiB and 1,000,000 lines.',
  ),
  v.examples([
    '{"id":"ord-1","clientId":"acme","type":"purchase","at":"2024-01-15","amount":1200}\n{"id":"ord-2","clientId":"acme","type":"purchase","at":"2024-03-02","amount":450.5}\n',
  ]),
);

export const ImportEventsResultSchema = v.object({
  /** Events stored by this import. */
  imported: v.number(),
  /** Events already stored (by an earlier import or POST /v1/events), or repeated in the file. */
  duplicates: v.number(),
});
export type ImportEventsResult = v.InferOutput<typeof ImportEventsResultSchema>;
