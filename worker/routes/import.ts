import * as v from 'valibot';
import type { ClientEvent } from '../../schema/events.ts';
import {
  ImportEventsResultSchema,
  ImportNdjsonSchema,
  IMPORT_COLUMNS,
  IMPORT_OPTIONAL_COLUMNS,
  ImportCsvSchema,
  ImportResultSchema,
  ImportRowSchema,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
} from '../../schema/import.ts';
import { SECRET } from '../auth.ts';
import { sha256Hex } from '../crypto.ts';
import { CsvError, csvRecords } from '../csv.ts';
import { ImportSet, readNdjsonEvents, storeImport } from '../bulk-import.ts';
import { ApiError, issuesToErrors } from '../problem.ts';
import { route } from '../route.ts';
import { sleepRuleFor } from '../value.ts';

const MAX_REPORTED_ERRORS = 50;

/**
 * Reads and validates the whole upload as a stream, keeping only the compact purchases, so that a
 * bad row anywhere stores nothing; then stores them through the one bulk path (storeImport). Each
 * row's event id is a hash of its content and its occurrence, so sending the same file again
 * stores nothing new.
 */
async function readPurchases(request: Request): Promise<ImportSet> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^text\/csv\b/i.test(type))
    throw new ApiError(415, 'The body must be CSV, sent with content-type: text/csv');
  if (Number(request.headers.get('content-length') ?? 0) > MAX_IMPORT_BYTES)
    throw new ApiError(413, `An import may hold at most ${MAX_IMPORT_BYTES} bytes`);
  if (!request.body)
    throw new ApiError(400, 'The CSV is empty', {
      errors: [{ path: 'line.1', message: 'must be the header client_id,date,amount' }],
    });

  let bytes = 0;
  let columns: string[] | null = null;
  const errors: { path: string; message: string }[] = [];
  const seen = new Map<string, number>();
  const events = new ImportSet();
  try {
    for await (const { line, fields } of csvRecords(
      request.body as ReadableStream<Uint8Array>,
      (n) => {
        bytes += n;
        if (bytes > MAX_IMPORT_BYTES)
          throw new ApiError(413, `An import may hold at most ${MAX_IMPORT_BYTES} bytes`);
      },
    )) {
      if (columns === null) {
        columns = fields.map((f) => f.trim().toLowerCase());
        const known = new Set<string>([...IMPORT_COLUMNS, ...IMPORT_OPTIONAL_COLUMNS]);
        for (const c of IMPORT_COLUMNS)
          if (!columns.includes(c))
            errors.push({ path: `line.1.${c}`, message: 'is a required column of the header' });
        columns.forEach((c, i) => {
          if (!known.has(c))
            errors.push({
              path: `line.1.${c || `column${i + 1}`}`,
              message: `is not a known column (${[...known].join(', ')})`,
            });
        });
        if (new Set(columns).size !== columns.length)
          errors.push({ path: 'line.1', message: 'names a column twice' });
        if (errors.length > 0) break;
        continue;
      }
      if (events.size >= MAX_IMPORT_ROWS)
        throw new ApiError(413, `An import may hold at most ${MAX_IMPORT_ROWS} rows`);
      if (fields.length !== columns.length) {
        errors.push({
          path: `line.${line}`,
          message: `has ${fields.length} fields; the header has ${columns.length}`,
        });
      } else {
        const raw = Object.fromEntries(
          columns
            .map((c, i): [string, string] => [c, fields[i]!.trim()])
            .filter(([, value]) => value !== ''),
        );
        const row = v.safeParse(ImportRowSchema, raw);
        if (!row.success) errors.push(...issuesToErrors(row.issues, `line.${line}`));
        else if (errors.length === 0) {
          const r = row.output;
          const content = `${r.client_id}\u0000${r.date}\u0000${r.amount}\u0000${r.margin ?? ''}\u0000${r.product ?? ''}`;
          const occurrence = (seen.get(content) ?? 0) + 1;
          seen.set(content, occurrence);
          const id = `imp_${(await sha256Hex(`${content}\u0000${occurrence}`)).slice(0, 32)}`;
          const event: ClientEvent = {
            id,
            clientId: r.client_id,
            type: 'purchase',
            at: r.date,
            amount: r.amount,
            ...(r.margin !== undefined && { margin: r.margin }),
            ...(r.product !== undefined && { product: r.product }),
          };
          events.add(event, line);
        }
      }
      if (errors.length >= MAX_REPORTED_ERRORS) break;
    }
  } catch (error) {
    if (error instanceof CsvError)
      throw new ApiError(400, `The CSV is malformed at line ${error.line}`, {
        errors: [{ path: `line.${error.line}`, message: error.message }],
      });
    throw error;
  }
  if (columns === null)
    throw new ApiError(400, 'The CSV is empty', {
      errors: [{ path: 'line.1', message: 'must be the header client_id,date,amount' }],
    });
  if (errors.length > 0)
    throw new ApiError(
      400,
      `The CSV has invalid rows; nothing was imported${errors.length >= MAX_REPORTED_ERRORS ? ` (the first ${MAX_REPORTED_ERRORS} problems are listed)` : ''}`,
      { errors },
    );
  if (events.size === 0)
    throw new ApiError(400, 'The CSV has a header but no rows', {
      errors: [{ path: 'line.2', message: 'must hold at least one purchase' }],
    });
  return events;
}

export const importRoutes = [
  route({
    method: 'POST',
    path: '/v1/import/transactions',
    access: SECRET,
    summary:
      'Import a sales history from CSV (client_id,date,amount); each row becomes an idempotent purchase event',
    description:
      "The upload is read as a stream and validated whole before anything is stored: a bad row anywhere is a 400 naming `line.N.column`, and nothing is imported. Rows are then stored in atomic batches; each row's event id is derived from its content (and its occurrence, so two identical purchases in one file count twice), so importing the same file again answers `imported: 0` and counts the rows as duplicates — which also makes a retry after a failure safe. Unknown clients are created.",
    body: ImportCsvSchema,
    bodyMediaType: 'text/csv',
    streamed: true,
    responses: { 200: ImportResultSchema },
    examples: {
      body: 'client_id,date,amount\nacme,2024-01-15,1200.00\nacme,2024-03-02,450.50\nglobex,2024-02-10T09:30:00Z,99.90\n',
      response: { imported: 3, duplicates: 0, rows: 3, clients: 2 },
    },
    async handle({ request, auth, db, now }) {
      const set = await readPurchases(request);
      const settings = auth.workspace.settings;
      const sleepRule = await sleepRuleFor(db, auth.workspace.id, settings);
      const result = await storeImport(db, auth.workspace.id, settings, set, {
        now,
        sleepRule,
      });
      const clients = new Set(set.bodies.map((b) => (JSON.parse(b) as ClientEvent).clientId));
      return { ...result, rows: set.size, clients: clients.size };
    },
  }),
  route({
    method: 'POST',
    path: '/v1/import/events',
    access: SECRET,
    summary:
      'Import any history of events from NDJSON, one `POST /v1/events` event per line; idempotent by event id',
    description:
      "The body (`application/x-ndjson`, at most 50 MiB and 1,000,000 lines) is read as a stream and validated whole before anything is stored: every problem is a 400 naming `line.N.field` (the first 50 are listed), an id repeated in the file with other content or already stored with other content is a 409 naming `line.N.id`, and nothing is imported. The events are then stored in atomic batches, each client's events together in time order. Importing the same file again stores nothing and counts every event as a duplicate, so a retry after a failure part-way is safe. Split larger histories into several files (README: bulk import).",
    body: ImportNdjsonSchema,
    bodyMediaType: 'application/x-ndjson',
    streamed: true,
    responses: { 200: ImportEventsResultSchema },
    errors: {
      409: 'An event id is repeated in the file, or was already stored, with other content; `errors` names each `line.N.id`',
      413: 'The body is over 50 MiB or 1,000,000 lines: split it',
      415: 'The body is not sent as application/x-ndjson',
    },
    examples: {
      body: '{"id":"ord-1","clientId":"acme","type":"purchase","at":"2024-01-15","amount":1200}\n{"id":"ord-2","clientId":"acme","type":"purchase","at":"2024-03-02","amount":450.5}\n',
      response: { imported: 2, duplicates: 0 },
    },
    async handle({ request, auth, db, now }) {
      const settings = auth.workspace.settings;
      const set = await readNdjsonEvents(request, settings);
      const sleepRule = await sleepRuleFor(db, auth.workspace.id, settings);
      return storeImport(db, auth.workspace.id, settings, set, { now, sleepRule });
    },
  }),
];
