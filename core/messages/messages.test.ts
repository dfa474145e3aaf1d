import { describe, expect, test } from 'vitest';
import { type ParamKind, REASON_CODES, REASON_PARAMS } from '../../schema/reasons.ts';
import { placeholders, renderReason, TABLES } from './render.ts';

/** The formats a message may give a parameter of each kind. */
const FORMATS: Record<string, (string | null)[]> = {
  n: [null, '#'],
  '%': ['%'],
  $: ['$'],
  days: ['day', 'dur'],
  date: ['date'],
  text: [null],
  list: ['list'],
  counts: ['counts'],
  stage: ['stage'],
  stages: ['stages'],
  word: ['word'],
  reasons: ['reasons'],
};

describe('the message tables', () => {
  for (const [lang, table] of Object.entries(TABLES)) {
    test(`${lang}: every code has a text, every text only the parameters of its code, each as its kind allows`, () => {
      expect(Object.keys(table.reasons).sort()).toEqual([...REASON_CODES].sort());
      for (const code of REASON_CODES) {
        const text = table.reasons[code];
        expect(text, `${lang} ${code}`).toMatch(/\S/);
        const params: Record<string, ParamKind> = REASON_PARAMS[code];
        for (const p of placeholders(text)) {
          const kind = params[p.name];
          expect(
            kind,
            `${lang} ${code} uses {${p.name}}, which ${code} does not have`,
          ).toBeDefined();
          const nullable = kind!.endsWith('?');
          expect(
            FORMATS[kind!.replace('?', '')],
            `${lang} ${code} {${p.name}} as ${p.format ?? p.noun}`,
          ).toContain(p.noun !== null ? '#' : p.format);
          if (p.noun !== null) expect(table.nouns, `${lang} noun ${p.noun}`).toHaveProperty(p.noun);
          // A nullable parameter shows only inside [optional] parts, a required one anywhere.
          if (nullable) expect(p.optional, `${lang} ${code} {${p.name}} outside […]`).toBe(true);
        }
      }
    });
  }

  test('every language has the same nouns, words and stages as English', () => {
    for (const table of Object.values(TABLES)) {
      expect(Object.keys(table.nouns).sort()).toEqual(Object.keys(TABLES.en!.nouns).sort());
      expect(Object.keys(table.words).sort()).toEqual(Object.keys(TABLES.en!.words).sort());
      expect(Object.keys(table.stages).sort()).toEqual(Object.keys(TABLES.en!.stages).sort());
    }
  });

  test('counts take the plural form Intl.PluralRules picks: 1 клиент, 2 клиента, 5 клиентов', () => {
    const warn = (asleep: number) =>
      renderReason(
        { code: 'sleeping_share_high', params: { share: 0.4, asleep, threshold: 0.3 } },
        'ru',
      );
    expect(warn(1)).toContain('(1 клиент,');
    expect(warn(2)).toContain('(2 клиента,');
    expect(warn(5)).toContain('(5 клиентов,');
    expect(warn(21)).toContain('(21 клиент,');
    expect(
      renderReason(
        { code: 'sleeping_share_high', params: { share: 0.4, asleep: 1, threshold: 0.3 } },
        'en',
      ),
    ).toBe(
      '40% of the clients who ever bought are asleep (1 client, more than 30%): wake them, it is cheaper than winning new ones',
    );
  });

  test('money, dates, days and lists follow the locale; optional parts show only with their parameter', () => {
    const reason = {
      code: 'dormant',
      params: {
        stage: 'sleeping',
        since: '2025-03-01T00:00:00.000Z',
        daysSinceLastPurchase: 125,
        orders: 3,
        revenue: 12500,
        doneAt: null,
      },
    } as const;
    expect(renderReason(reason, 'en', 'EUR')).toBe(
      'sleeping since Mar 1, 2025; last purchase 125 days ago; 3 orders worth €12,500 so far',
    );
    expect(renderReason(reason, 'ru-RU', 'RUB')).toBe(
      'Стадия «спящий» с 1 мар. 2025 г.; последняя покупка 125 дней назад; 3 заказа на 12\u00a0500\u00a0₽',
    );
    expect(
      renderReason({ ...reason, params: { ...reason.params, daysSinceLastPurchase: null } }, 'en'),
    ).toBe('sleeping since Mar 1, 2025; 3 orders worth $12,500 so far');
    expect(
      renderReason(
        {
          code: 'false_client',
          params: { promises: { meeting: 2, offer: 1, interest: 0 }, days: 90 },
        },
        'ru',
      ),
    ).toBe('2 встречи и 1 предложение за 3 месяца, покупок нет');
  });

  test('a language without a table reads English', () => {
    expect(renderReason({ code: 'no_purchase', params: {} }, 'de-DE')).toBe('no purchase');
  });
});
