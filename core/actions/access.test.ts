import { describe, expect, it } from 'vitest';
import { canSee, type Caller, managerOf, viewerOf } from './access.ts';

const team = { irina: ['anna', 'boris'], oleg: ['dina'] };

describe('viewerOf: who sees which managers’ clients', () => {
  it.each<[string, Caller, ReturnType<typeof viewerOf>]>([
    ['a secret key: everything', { kind: 'secret', scope: {} }, { kind: 'all' }],
    [
      'a publishable key: everything (read-only widget data)',
      { kind: 'publishable', scope: {} },
      { kind: 'all' },
    ],
    [
      'a widget session for a manager',
      { kind: 'publishable', scope: {}, session: { manager: 'anna', clientId: null } },
      { kind: 'managers', managers: new Set(['anna']) },
    ],
    [
      'a widget session for a client',
      { kind: 'publishable', scope: {}, session: { manager: null, clientId: 'c1' } },
      { kind: 'client', clientId: 'c1' },
    ],
    [
      'a restricted key for a manager',
      { kind: 'restricted', scope: { manager: 'anna' } },
      { kind: 'managers', managers: new Set(['anna']) },
    ],
    [
      'a restricted key for a supervisor: the team from the settings and their own clients',
      { kind: 'restricted', scope: { supervisor: 'irina' } },
      { kind: 'managers', managers: new Set(['irina', 'anna', 'boris']) },
    ],
    [
      'a supervisor the settings do not know: their own clients only',
      { kind: 'restricted', scope: { supervisor: 'nobody' } },
      { kind: 'managers', managers: new Set(['nobody']) },
    ],
    [
      'a restricted key listing the managers it supervises',
      { kind: 'restricted', scope: { supervisorOf: ['dina', '', 7] } },
      { kind: 'managers', managers: new Set(['dina']) },
    ],
    [
      'a restricted key without a scope: nothing',
      { kind: 'restricted', scope: {} },
      { kind: 'managers', managers: new Set() },
    ],
    [
      'a scope naming an inherited property: nothing inherited',
      { kind: 'restricted', scope: { supervisor: 'constructor' } },
      { kind: 'managers', managers: new Set(['constructor']) },
    ],
  ])('%s', (_label, caller, expected) => {
    expect(viewerOf(caller, team)).toEqual(expected);
  });
});

describe('canSee', () => {
  const anna = viewerOf({ kind: 'restricted', scope: { manager: 'anna' } }, team);
  it.each([
    [anna, 'c1', 'anna', true],
    [anna, 'c2', 'boris', false],
    [anna, 'c3', null, false],
    [anna, null, 'anna', true],
    [{ kind: 'client', clientId: 'c1' } as const, 'c1', 'boris', true],
    [{ kind: 'client', clientId: 'c1' } as const, null, 'anna', false],
    [{ kind: 'all' } as const, 'c3', null, true],
  ])('%#', (viewer, clientId, manager, expected) => {
    expect(canSee(viewer, clientId, manager)).toBe(expected);
  });
});

describe('managerOf', () => {
  it.each([
    [{ manager: 'anna' }, 'anna'],
    [{ manager: '  ' }, null],
    [{ manager: 7 }, '7'],
    [{ manager: true }, null],
    [{}, null],
  ])('%j → %s', (attributes, expected) => {
    expect(managerOf(attributes)).toBe(expected);
  });
});
