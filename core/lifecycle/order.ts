import type { ClientEvent } from '../../schema/events.ts';

/**
 * The one order in which a client's events are replayed: by time, then by id. Whatever order the
 * events arrived in, the replay sees the same sequence, so stages and aggregates come out the same.
 */
export function chronological<E extends Pick<ClientEvent, 'at' | 'id'>>(events: readonly E[]): E[] {
  return [...events].sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}
