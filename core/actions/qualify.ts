import type { LeadQualification, LeadSettings } from '../../schema/actions.ts';
import type { ClientAggregates } from '../../schema/clients.ts';
import { fmtMoney, plural } from '../segments/format.ts';

const filled = (x: unknown) =>
  typeof x === 'string' ? x.trim() !== '' : typeof x === 'number' && Number.isFinite(x);
const YES = new Set(['true', 'yes', 'y', '1', 'да']);

/** A budget as CRMs send it: a number, or a number written as text ("50 000", "12500.50"). */
function amountOf(x: unknown): number | null {
  if (typeof x === 'number') return Number.isFinite(x) ? x : null;
  if (typeof x !== 'string') return null;
  const cleaned = x.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^\d+(?:\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

/**
 * Is this client a lead (docs/domain.md 3: contact data, a wish to buy and a budget)? Reads the client's
 * attributes named in the settings and, for the wish, its `request` events. Pure, so the profile
 * and the work list judge a lead the same way.
 */
export function qualifyLead(
  attributes: Readonly<Record<string, unknown>>,
  aggregates: Pick<ClientAggregates, 'requests'>,
  settings: LeadSettings,
): LeadQualification {
  const via = settings.contactAttributes.filter((name) => filled(attributes[name]));
  const contact = {
    met: via.length > 0,
    via,
    text:
      via.length > 0
        ? `contact data: ${via.join(', ')}`
        : `no contact data (attributes ${settings.contactAttributes.join(', ')} are empty)`,
  };

  const stated = attributes[settings.wishAttribute];
  const saysYes =
    stated === true || (typeof stated === 'string' && YES.has(stated.trim().toLowerCase()));
  const requested = settings.requestIsWish && aggregates.requests > 0;
  const wish = saysYes
    ? {
        met: true,
        via: 'attribute' as const,
        text: `wish to buy stated (${settings.wishAttribute})`,
      }
    : requested
      ? {
          met: true,
          via: 'request' as const,
          text: `${plural(aggregates.requests, 'request')} to discuss a deal`,
        }
      : {
          met: false,
          via: null,
          text: `no stated wish to buy (${settings.wishAttribute}${settings.requestIsWish ? ' or a request event' : ''})`,
        };

  const amount = amountOf(attributes[settings.budgetAttribute]);
  const budget =
    amount !== null && amount > 0
      ? { met: true, amount, text: `budget ${fmtMoney(amount)}` }
      : {
          met: false,
          amount,
          text: `no budget (${settings.budgetAttribute} is ${amount === 0 ? 'zero' : 'not a positive amount'})`,
        };

  const missing = (['contact', 'wish', 'budget'] as const).filter(
    (k) => !{ contact, wish, budget }[k].met,
  );
  return { lead: missing.length === 0, contact, wish, budget, missing };
}
