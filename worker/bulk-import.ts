import * as v from 'valibot';
import { stageModel } from '../core/lifecycle/models.ts';
import type { SleepRule } from '../core/lifecycle/stages.ts';
import { EventSchema, type ClientEvent } from '../schema/events.ts';
import { type ImportEventsResult, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../schema/import.ts';
import type { Settings } from '../schema/settings.ts';
import { sha256Hex } from './crypto.ts';
import { findEventHashes } from './db/events.ts';
import { withRetry } from './db/retry.ts';
import { canonicalJson, ingestEvents } from './ingest.ts';
import { ndjsonLines } from './ndjson.ts';
import { ApiError, issuesToErrors } from './problem.ts';

/** Problems listed in one answer: enough to fix a file, without answering megabytes. */
export const MAX_REPORTED_ERRORS = 50;
/** Events per atomic batch of an import. */
/**
 * Events per atomic batch of an import. Larger than a request of POST /v1/events (1,000): an
 * import's batch holds a few hundred clients' whole histories, so it needs fewer round trips (and
 * fewer of the 1,000 D1 queries a Worker invocation may make) and its rollup rows collapse more;
 * 5,000 events stay far inside D1's 30 s per query and its statement limits (packed rows).
 */
const IMPORT_BATCH = 5000;

type Problem = { path: string; message: string };

/**
 * A validated import held until it is stored: each event's canonical JSON (what is stored and
 * hashed), its line, and hashes and instants to order it by. Only strings and typed arrays are
 * kept, so 50 MiB of NDJSON stays about 50 MB in memory, whatever its number of lines.
 */
export class ImportSet {
  readonly bodies: string[] = [];
  private lines = new Uint32Array(1024);
  private idHashes = new Uint32Array(1024);
  private clientHashes = new Uint32Array(1024);
  private instants = new Float64Array(1024);

  add(event: ClientEvent, line: number): void {
    const i = this.bodies.length;
    if (i === this.lines.length) {
      const grow = <A extends Uint32Array | Float64Array>(a: A): A => {
        const b = new (a.constructor as new (n: number) => A)(a.length * 2);
        b.set(a);
        return b;
      };
      this.lines = grow(this.lines);
      this.idHashes = grow(this.idHashes);
      this.clientHashes = grow(this.clientHashes);
      this.instants = grow(this.instants);
    }
    this.bodies.push(canonicalJson(event));
    this.lines[i] = line;
    this.idHashes[i] = fnv1a(event.id);
    this.clientHashes[i] = fnv1a(event.clientId);
    this.instants[i] = Date.parse(event.at);
  }

  /**
   * The order to store in: each client's events together and in time order, so that a client is
   * derived about once per import (from scratch if new, else continuing its stored fold) instead
   * of being replayed by every batch that brings it an earlier event. (Two clients whose ids
   * share a hash interleave, still each in time order: the result is the same.)
   */
  storeOrder(): Uint32Array {
    return new Uint32Array(this.size)
      .map((_, i) => i)
      .sort(
        (a, b) =>
          this.clientHashes[a]! - this.clientHashes[b]! ||
          this.instants[a]! - this.instants[b]! ||
          a - b,
      );
  }

  get size(): number {
    return this.bodies.length;
  }

  lineOf(i: number): number {
    return this.lines[i]!;
  }

  /**
   * Ids given twice in the file with different content (an identical repeat is a harmless
   * duplicate). Found by sorting 32-bit hashes of the ids, so no set of a million ids is held.
   */
  repeatedIds(): Problem[] {
    const order = new Uint32Array(this.size).map((_, i) => i);
    order.sort((a, b) => this.idHashes[a]! - this.idHashes[b]! || a - b);
    const problems: Problem[] = [];
    for (let i = 0; i < order.length;) {
      let j = i + 1;
      while (j < order.length && this.idHashes[order[j]!] === this.idHashes[order[i]!]) j++;
      if (j - i > 1) {
        const first = new Map<string, number>();
        for (const k of order.slice(i, j)) {
          const { id } = JSON.parse(this.bodies[k]!) as ClientEvent;
          const seen = first.get(id);
          if (seen === undefined) first.set(id, k);
          else if (this.bodies[seen] !== this.bodies[k])
            problems.push({
              path: `line.${this.lineOf(k)}.id`,
              message: `repeats the id of line ${this.lineOf(seen)} with different content`,
            });
        }
      }
      i = j;
    }
    return problems.sort((a, b) => (a.path < b.path ? -1 : 1)).slice(0, MAX_REPORTED_ERRORS);
  }
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const tooLarge = () =>
  new ApiError(413, `An import may hold at most ${MAX_IMPORT_BYTES} bytes`, {
    errors: [{ path: '(body)', message: 'split the file (README: bulk import)' }],
  });

/**
 * Reads and validates a whole NDJSON body as it streams in: every line an event of the
 * `POST /v1/events` schema (a stage_override in the workspace's stage model). Throws a 400
 * naming `line.N.field` for every problem found (up to MAX_REPORTED_ERRORS) before anything is
 * stored, 413 past 50 MiB or 1,000,000 lines.
 */
export async function readNdjsonEvents(request: Request, settings: Settings): Promise<ImportSet> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(x-)?ndjson\b/i.test(type))
    throw new ApiError(
      415,
      'The body must be NDJSON, sent with content-type: application/x-ndjson',
    );
  if (Number(request.headers.get('content-length') ?? 0) > MAX_IMPORT_BYTES) throw tooLarge();
  const model = stageModel(settings.lifecycle.model);
  const set = new ImportSet();
  const errors: Problem[] = [];
  let bytes = 0;
  try {
    for await (const { line, text } of ndjsonLines(
      (request.body as ReadableStream<Uint8Array> | null) ?? new ReadableStream<Uint8Array>(),
      (n) => {
        bytes += n;
        if (bytes > MAX_IMPORT_BYTES) throw tooLarge();
      },
    )) {
      if (set.size + errors.length >= MAX_IMPORT_ROWS)
        throw new ApiError(413, `An import may hold at most ${MAX_IMPORT_ROWS} lines`, {
          errors: [{ path: `line.${line}`, message: 'split the file (README: bulk import)' }],
        });
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        errors.push({ path: `line.${line}`, message: 'is not a JSON value' });
        continue;
      }
      const parsed = v.safeParse(EventSchema, json);
      if (!parsed.success) errors.push(...issuesToErrors(parsed.issues, `line.${line}`));
      else if (
        parsed.output.type === 'stage_override' &&
        !model.stages.includes(parsed.output.stage)
      )
        errors.push({
          path: `line.${line}.stage`,
          message: `must be a stage of the ${model.name} model: ${model.stages.join(', ')}`,
        });
      else if (errors.length === 0) set.add(parsed.output, line);
      if (errors.length >= MAX_REPORTED_ERRORS) break;
    }
  } catch (error) {
    if (error instanceof TypeError && /decode|utf/i.test(error.message))
      throw new ApiError(400, 'The body is not UTF-8 text', {
        errors: [{ path: '(body)', message: 'must be UTF-8' }],
      });
    throw error;
  }
  if (errors.length > 0)
    throw new ApiError(
      400,
      `The import has invalid lines; nothing was imported${errors.length >= MAX_REPORTED_ERRORS ? ` (the first ${MAX_REPORTED_ERRORS} problems are listed)` : ''}`,
      { errors },
    );
  if (set.size === 0)
    throw new ApiError(400, 'The import holds no events', {
      errors: [{ path: 'line.1', message: 'must be an event' }],
    });
  const repeated = set.repeatedIds();
  if (repeated.length > 0)
    throw new ApiError(409, 'Event ids repeated with different content; nothing was imported', {
      errors: repeated,
    });
  return set;
}

/**
 * Stores a validated import, the one path of every bulk import (NDJSON events, CSV
 * transactions): first every id is checked against the stored events (an id stored with other
 * content is a 409 naming its line, and nothing is stored), then the events are stored in atomic
 * batches through ingestEvents. Idempotent by event id: a re-import stores nothing twice, and a
 * retry after a failure part-way stores only what is missing. In a file in time order (or
 * grouped by client in time order) every batch continues the stored folds.
 */
export async function storeImport(
  db: D1Database,
  workspaceId: string,
  settings: Settings,
  set: ImportSet,
  options: { now: string; sleepRule?: SleepRule },
): Promise<ImportEventsResult> {
  const order = set.storeOrder();
  const batches = function* () {
    for (let i = 0; i < order.length; i += IMPORT_BATCH)
      yield [...order.subarray(i, i + IMPORT_BATCH)].map((k) => ({
        k,
        event: JSON.parse(set.bodies[k]!) as ClientEvent,
      }));
  };

  const conflicts: Problem[] = [];
  for (const batch of batches()) {
    if (conflicts.length >= MAX_REPORTED_ERRORS) break;
    const stored = await withRetry(() =>
      findEventHashes(
        db,
        workspaceId,
        batch.map((b) => b.event.id),
      ),
    );
    if (stored.size === 0) continue;
    for (const { k, event } of batch) {
      const hash = stored.get(event.id);
      if (hash !== undefined && hash !== (await sha256Hex(set.bodies[k]!)))
        conflicts.push({
          path: `line.${set.lineOf(k)}.id`,
          message: 'was already stored with different content',
        });
    }
  }
  if (conflicts.length > 0)
    throw new ApiError(
      409,
      'Event ids already stored with different content; nothing was imported',
      {
        errors: conflicts.slice(0, MAX_REPORTED_ERRORS),
      },
    );

  let imported = 0;
  let duplicates = 0;
  for (const batch of batches()) {
    const result = await ingestEvents(
      db,
      workspaceId,
      settings,
      batch.map((b) => b.event),
      options,
    );
    imported += result.accepted;
    duplicates += result.duplicates;
  }
  return { imported, duplicates };
}
