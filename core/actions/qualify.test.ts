import { describe, expect, it } from 'vitest';
import { settingsOf } from './fixtures.ts';
import { qualifyLead } from './qualify.ts';

const leads = settingsOf().leads;
const none = { requests: 0 };

describe('qualifyLead: contact data, a wish to buy and a budget', () => {
  it('all three make a lead', () => {
    const q = qualifyLead(
      { email: 'buyer@example.com', wishToBuy: true, budget: 12000 },
      none,
      leads,
    );
    expect(q).toMatchObject({
      lead: true,
      missing: [],
      contact: { met: true, via: ['email'] },
      wish: { met: true, via: 'attribute' },
      budget: { met: true, amount: 12000 },
    });
  });

  it.each([
    ['no contact data', { wishToBuy: true, budget: 1 }, none, ['contact']],
    ['an empty email', { email: ' ', phone: '', wishToBuy: true, budget: 1 }, none, ['contact']],
    ['no wish', { phone: '+7 900', budget: 1 }, none, ['wish']],
    ['a wish set to false', { phone: '+7 900', wishToBuy: false, budget: 1 }, none, ['wish']],
    ['no budget', { phone: '+7 900', wishToBuy: 'yes' }, none, ['budget']],
    ['a zero budget', { phone: '+7 900', wishToBuy: 'да', budget: 0 }, none, ['budget']],
    [
      'a budget that is not an amount',
      { phone: '+7 900', wishToBuy: true, budget: 'a lot' },
      none,
      ['budget'],
    ],
    ['nothing', {}, none, ['contact', 'wish', 'budget']],
  ])('%s', (_label, attributes, aggregates, missing) => {
    const q = qualifyLead(attributes, aggregates, leads);
    expect(q.lead).toBe(false);
    expect(q.missing).toEqual(missing);
  });

  it('a request event is a wish to buy unless the workspace says otherwise', () => {
    const attrs = { phone: '+7 900', budget: '50 000' };
    expect(qualifyLead(attrs, { requests: 2 }, leads)).toMatchObject({
      lead: true,
      wish: { via: 'request', code: 'lead_wish_requests', params: { requests: 2 } },
      budget: { amount: 50000 },
    });
    expect(qualifyLead(attrs, { requests: 2 }, { ...leads, requestIsWish: false }).missing).toEqual(
      ['wish'],
    );
  });

  it('reads the attributes the workspace names', () => {
    const custom = settingsOf({
      leads: { contactAttributes: ['telegram'], wishAttribute: 'hot', budgetAttribute: 'limit' },
    }).leads;
    expect(qualifyLead({ telegram: '@buyer', hot: true, limit: 300 }, none, custom).lead).toBe(
      true,
    );
    expect(
      qualifyLead({ email: 'x@y.z', wishToBuy: true, budget: 300 }, none, custom).missing,
    ).toEqual(['contact', 'wish', 'budget']);
  });
});
