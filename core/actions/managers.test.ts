import { describe, expect, it } from 'vitest';
import { fact, settingsOf } from './fixtures.ts';
import type { Reason } from '../../schema/reasons.ts';
import { renderReason } from '../messages/render.ts';

const en = (r: unknown) => renderReason(r as Reason, 'en');
import { managerOverview } from './managers.ts';

describe('managerOverview', () => {
  const facts = [
    ...['k1', 'k2', 'k3', 'k4'].map((id) => fact(id, { key: true, manager: 'anna' })),
    fact('k5', { key: true, manager: 'boris' }),
    fact('c1', { manager: 'boris' }),
    fact('k6', { key: true, manager: null, name: 'Vega Trade' }),
    fact('c2', { manager: null }),
  ];
  const settings = settingsOf({ supervisors: { irina: ['anna', 'boris', 'dina'] } });
  const overview = managerOverview(facts, settings, '2025-03-01T00:00:00.000Z');

  it('lists every manager with clients, key clients and supervisor; team members without clients too', () => {
    expect(
      overview.managers.map((m) => [
        m.manager,
        m.supervisor,
        m.clients,
        m.keyClients.length,
        m.overloaded,
      ]),
    ).toEqual([
      ['anna', 'irina', 4, 4, true],
      ['boris', 'irina', 2, 1, false],
      ['dina', 'irina', 0, 0, false],
    ]);
    expect(overview.maxKeyClients).toBe(3);
  });

  it('warns about the overloaded manager and the key client without one', () => {
    expect(overview.warnings).toEqual([
      {
        code: 'manager_overloaded',
        params: { manager: 'anna', keyClients: 4, maxKeyClients: 3 },
        manager: 'anna',
      },
      {
        code: 'key_client_unassigned',
        params: { client: 'Vega Trade' },
        clientId: 'k6',
      },
    ]);
    expect(overview.warnings.map(en)).toEqual([
      'anna holds 4 key clients; one manager handles at most 3',
      'Key client Vega Trade has no manager',
    ]);
    expect(overview.unassignedKeyClients).toEqual([{ id: 'k6', name: 'Vega Trade' }]);
  });

  it('the limit is a setting', () => {
    const loose = managerOverview(
      facts,
      settingsOf({ rules: { rebalance_manager: { maxKeyClients: 4 } } }),
      '2025-03-01T00:00:00.000Z',
    );
    expect(loose.warnings.map((w) => w.code)).toEqual(['key_client_unassigned']);
  });
});
