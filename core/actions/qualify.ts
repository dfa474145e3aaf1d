import type { LeadQualification, LeadSettings } from '../../schema/actions.ts';
import type { ClientAggregates } from '../../schema/clients.ts';

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
    ...(via.length > 0
      ? { code: 'lead_contact' as const, params: { via } }
      : {
          code: 'lead_no_contact' as const,
          params: { attributes: [...settings.contactAttributes] },
        }),
  };

  const stated = attributes[settings.wishAttribute];
  const saysYes =
    stated === true || (typeof stated === 'string' && YES.has(stated.trim().toLowerCase()));
  const requested = settings.requestIsWish && aggregates.requests > 0;
  const wish = saysYes
    ? {
        met: true,
        via: 'attribute' as const,
        code: 'lead_wish_stated' as const,
        params: { attribute: settings.wishAttribute },
      }
    : requested
      ? {
          met: true,
          via: 'request' as const,
          code: 'lead_wish_requests' as const,
          params: { requests: aggregates.requests },
        }
      : {
          met: false,
          via: null,
          code: 'lead_no_wish' as const,
          params: { attribute: settings.wishAttribute },
        };

  const amount = amountOf(attributes[settings.budgetAttribute]);
  const budget =
    amount !== null && amount > 0
      ? { met: true, amount, code: 'lead_budget' as const, params: { amount } }
      : {
          met: false,
          amount,
          code: 'lead_no_budget' as const,
          params: { attribute: settings.budgetAttribute },
        };

  const missing = (['contact', 'wish', 'budget'] as const).filter(
    (k) => !{ contact, wish, budget }[k].met,
  );
  return { lead: missing.length === 0, contact, wish, budget, missing };
}
