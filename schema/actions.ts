import * as v from 'valibot';
import { IdSchema, InstantSchema } from './common.ts';

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/**
 * What the work list proposes (DOMAIN.md 5 and 6), in the order a list grouped by kind shows them:
 * the key-account duties first, then the pipeline, then the existing clients.
 */
export const ACTION_KINDS = [
  'respect_pause',
  'keep_cadence',
  'review_dossier',
  'assign_manager',
  'rebalance_manager',
  'reduce_mono_client',
  'follow_up_lead',
  'recheck_interest',
  'follow_up_near_client',
  'wake_sleeping',
  'win_back_lost',
  'loyal_touch',
  'ask_referral',
  'review_bad_client',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export const ActionKindSchema = v.picklist(
  ACTION_KINDS,
  `must be one of ${ACTION_KINDS.join(', ')}`,
);

/** Calendar periods (UTC; weeks start on Monday) of the "once per period" rules. */
export const ACTION_PERIODS = ['week', 'month', 'quarter', 'year'] as const;
export type ActionPeriod = (typeof ACTION_PERIODS)[number];

export const PRIORITIES = [1, 2, 3] as const;
export type Priority = (typeof PRIORITIES)[number];

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

const days = (fallback: number, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.number(),
      v.integer('must be a whole number of days'),
      v.minValue(min, `must be between ${min} and ${max}`),
      v.maxValue(max, `must be between ${min} and ${max}`),
    ),
    fallback,
  );
const count = (fallback: number, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.number(),
      v.integer('must be a whole number'),
      v.minValue(min, `must be between ${min} and ${max}`),
      v.maxValue(max, `must be between ${min} and ${max}`),
    ),
    fallback,
  );
const priority = (fallback: Priority) =>
  v.optional(v.picklist(PRIORITIES, 'must be 1 (high), 2 or 3 (low)'), fallback);
const period = (fallback: ActionPeriod) =>
  v.optional(v.picklist(ACTION_PERIODS, `must be one of ${ACTION_PERIODS.join(', ')}`), fallback);
const enabled = v.optional(v.boolean('must be true or false'), true);
const PersonSchema = v.pipe(
  v.string('must be text'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(200, 'must be at most 200 characters'),
);
const attributeNames = (fallback: string[]) =>
  v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string(),
          v.minLength(1, 'must be 1 to 64 characters'),
          v.maxLength(64, 'must be 1 to 64 characters'),
        ),
      ),
      v.maxLength(20, 'must have at most 20 entries'),
    ),
    fallback,
  );
const attributeName = (fallback: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.minLength(1, 'must be 1 to 64 characters'),
      v.maxLength(64, 'must be 1 to 64 characters'),
    ),
    fallback,
  );

/** Each kind can be switched off and given its own priority; the numbers are DOMAIN.md's defaults. */
const ActionRulesSchema = v.strictObject({
  /** After a negative contact, no personal contact for this many days (DOMAIN.md 5: two weeks). */
  respect_pause: v.optional(
    v.strictObject({ enabled, priority: priority(1), days: days(14, 1, 365) }),
    {},
  ),
  /** A key client needs a positive contact at least this often (DOMAIN.md 5: every 10 days). */
  keep_cadence: v.optional(
    v.strictObject({ enabled, priority: priority(1), days: days(10, 1, 365) }),
    {},
  ),
  /** A key client's dossier is reviewed at least this often (DOMAIN.md 5: every 3 months). */
  review_dossier: v.optional(
    v.strictObject({ enabled, priority: priority(1), days: days(90, 1, 3650) }),
    {},
  ),
  /** A key client without a manager, once per period until one is assigned. */
  assign_manager: v.optional(
    v.strictObject({ enabled, priority: priority(1), period: period('month') }),
    {},
  ),
  /** A manager handles at most this many key clients (DOMAIN.md 5: one manager, 1–3 key clients). */
  rebalance_manager: v.optional(
    v.strictObject({
      enabled,
      priority: priority(1),
      maxKeyClients: count(3, 1, 1000),
      period: period('month'),
    }),
    {},
  ),
  /** A mono-client (the portfolio's warning), reviewed once per period while it stays one. */
  reduce_mono_client: v.optional(
    v.strictObject({ enabled, priority: priority(1), period: period('month') }),
    {},
  ),
  /** An inquirer that is a qualified lead: follow up this many days after its last event, then every `repeatDays` after a follow-up. */
  follow_up_lead: v.optional(
    v.strictObject({
      enabled,
      priority: priority(1),
      afterDays: days(1, 0, 365),
      repeatDays: days(7, 1, 365),
    }),
    {},
  ),
  /** A deferred *interest* result comes back on its re-check date; a qualified lead's with `leadPriority`. */
  recheck_interest: v.optional(
    v.strictObject({ enabled, priority: priority(2), leadPriority: priority(1) }),
    {},
  ),
  /** A near-client (met us, did not buy): follow up this many days after its last event, then every `repeatDays`. */
  follow_up_near_client: v.optional(
    v.strictObject({
      enabled,
      priority: priority(2),
      afterDays: days(7, 0, 365),
      repeatDays: days(30, 1, 3650),
    }),
    {},
  ),
  /** A sleeping client: wake it when it falls asleep, and again every `repeatDays` after an attempt while it sleeps. */
  wake_sleeping: v.optional(
    v.strictObject({ enabled, priority: priority(2), repeatDays: days(30, 1, 3650) }),
    {},
  ),
  /** A lost client: try to win it back when it is lost, and again every `repeatDays` after an attempt. */
  win_back_lost: v.optional(
    v.strictObject({ enabled, priority: priority(3), repeatDays: days(90, 1, 3650) }),
    {},
  ),
  /** "One period, one touch" for loyal clients (DOMAIN.md 5: a month, one contact). */
  loyal_touch: v.optional(
    v.strictObject({ enabled, priority: priority(2), period: period('month') }),
    {},
  ),
  /** Ask loyal clients and fans for a referral once per period, unless they gave one in it. */
  ask_referral: v.optional(
    v.strictObject({ enabled, priority: priority(3), period: period('quarter') }),
    {},
  ),
  /** Review a bad client's terms once per period while its signals last. */
  review_bad_client: v.optional(
    v.strictObject({ enabled, priority: priority(2), period: period('quarter') }),
    {},
  ),
} satisfies Record<ActionKind, v.GenericSchema>);

/**
 * Lead qualification (DOMAIN.md 3: a lead has contact data, a wish to buy and a budget), read from
 * client attributes so that any CRM can feed it through `PUT /v1/clients/{id}`.
 */
export const LeadSettingsSchema = v.strictObject({
  /** Any of these attributes, non-empty, is contact data. */
  contactAttributes: attributeNames(['email', 'phone']),
  /** This attribute `true` (or "yes") is a stated wish to buy… */
  wishAttribute: attributeName('wishToBuy'),
  /** …and so is a `request` event (DOMAIN.md 1.2: "ready to discuss a deal"), unless switched off. */
  requestIsWish: v.optional(v.boolean('must be true or false'), true),
  /** This attribute, a positive amount, is the budget. */
  budgetAttribute: attributeName('budget'),
});
export type LeadSettings = v.InferOutput<typeof LeadSettingsSchema>;

/**
 * The sales team's structure: supervisor → the managers they supervise (managers are the values of
 * the client attribute `manager`). A supervisor sees their managers' work lists and dossiers; a
 * manager belongs to at most one supervisor.
 */
export const SupervisorsSchema = v.pipe(
  v.record(
    PersonSchema,
    v.pipe(v.array(PersonSchema), v.maxLength(200, 'must list at most 200 managers')),
  ),
  v.check((r) => Object.keys(r).length <= 100, 'must have at most 100 supervisors'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const seen = new Map<string, string>();
    for (const [supervisor, managers] of Object.entries(dataset.value)) {
      for (const manager of managers) {
        const other = seen.get(manager);
        if (other !== undefined && other !== supervisor) {
          addIssue({
            message: `lists ${JSON.stringify(manager)} under both ${JSON.stringify(other)} and ${JSON.stringify(supervisor)}; a manager has one supervisor`,
          });
        }
        seen.set(manager, supervisor);
      }
    }
  }),
);

/**
 * What a restricted key (`rk_…`) may see: one manager's clients, a supervisor's team (the managers
 * `supervisors` lists for them, read at request time, plus their own clients), or a fixed list of
 * managers. It reads and writes only the work list, the managers overview, dossiers and lead
 * qualification of those clients.
 */
export const RestrictedScopeSchema = v.union(
  [
    v.strictObject({ manager: PersonSchema }),
    v.strictObject({ supervisor: PersonSchema }),
    v.strictObject({
      supervisorOf: v.pipe(
        v.array(PersonSchema),
        v.minLength(1, 'must list at least one manager'),
        v.maxLength(200, 'must list at most 200 managers'),
      ),
    }),
  ],
  'must be { manager }, { supervisor } or { supervisorOf: [managers] }',
);

/** `POST /v1/keys` for a restricted key: the other kinds keep their own schema in schema/keys.ts. */
export const RestrictedKeyCreateSchema = v.strictObject({
  kind: v.literal('restricted'),
  label: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1, 'must not be empty'),
      v.maxLength(200, 'must be at most 200 characters'),
    ),
  ),
  scope: RestrictedScopeSchema,
});

/** Thresholds of the work list; `{}` parses to DOMAIN.md's defaults. */
export const ActionSettingsSchema = v.strictObject({
  /** List an item this many days before it falls due (0: once due). The pause and the period rules open on their own dates. */
  lookaheadDays: days(0, 0, 365),
  supervisors: v.optional(SupervisorsSchema, {}),
  leads: v.optional(LeadSettingsSchema, {}),
  rules: v.optional(ActionRulesSchema, {}),
});
export type ActionSettings = v.InferOutput<typeof ActionSettingsSchema>;
export type ActionRules = ActionSettings['rules'];

// ---------------------------------------------------------------------------------------------
// Queries and bodies
// ---------------------------------------------------------------------------------------------

const queryObject = <const E extends v.ObjectEntries>(entries: E) =>
  v.strictObject(entries, (issue) =>
    issue.expected === 'never'
      ? 'is not a known parameter'
      : issue.input === undefined
        ? 'is required'
        : issue.message,
  );

const KindListSchema = v.pipe(
  v.string(),
  v.transform((s) => s.split(',').map((k) => k.trim())),
  v.check(
    (list) => list.every((k) => (ACTION_KINDS as readonly string[]).includes(k)),
    `must be one or more of ${ACTION_KINDS.join(', ')}, separated by commas`,
  ),
  v.transform((list) => [...new Set(list)] as ActionKind[]),
);

const LimitSchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,4}$/, 'must be a whole number from 1 to 500'),
  v.transform(Number),
  v.minValue(1, 'must be a whole number from 1 to 500'),
  v.maxValue(500, 'must be a whole number from 1 to 500'),
);

export const ActionListQuerySchema = queryObject({
  /** One kind or several, comma-separated. */
  kind: v.optional(KindListSchema),
  clientId: v.optional(IdSchema),
  /** Items of this manager's clients (and this manager's own rebalancing). */
  manager: v.optional(PersonSchema),
  /** Items falling due strictly before this instant (a bare date means its midnight UTC). */
  dueBefore: v.optional(InstantSchema),
  /** The instant the list is drawn up at; default: now. */
  asOf: v.optional(InstantSchema),
  limit: v.optional(LimitSchema, '100'),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(1024, 'is not a valid cursor'))),
});
export type ActionListQuery = v.InferOutput<typeof ActionListQuerySchema>;

/** `kind:YYYY-MM-DD:subject`, the subject being a client id (or a manager for `rebalance_manager`). */
export const ActionIdSchema = v.pipe(
  v.string(),
  v.maxLength(400, 'is not an action id'),
  v.regex(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what it rejects
    /^[a-z_]+:\d{4}-\d{2}-\d{2}:[^\u0000-\u001f\u007f]+$/u,
    'is not an action id (kind:YYYY-MM-DD:subject)',
  ),
  v.check(
    (id) => (ACTION_KINDS as readonly string[]).includes(id.slice(0, id.indexOf(':'))),
    'names no known action kind',
  ),
);

export const ActionDoneBodySchema = v.strictObject({
  /** When it was done; default: now. */
  at: v.optional(InstantSchema),
  note: v.optional(v.pipe(v.string(), v.maxLength(1000, 'must be at most 1000 characters'))),
});
export type ActionDoneBody = v.InferOutput<typeof ActionDoneBodySchema>;

export const ManagersQuerySchema = queryObject({ asOf: v.optional(InstantSchema) });

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

const d = <T extends v.GenericSchema>(schema: T, text: string) =>
  v.pipe(schema, v.description(text));

export const ActionReasonSchema = v.object({
  rule: d(v.string(), 'The rule that fired, with its threshold'),
  text: d(v.string(), 'Why this item, for this client, now'),
  numbers: d(v.record(v.string(), v.number()), 'The figures the rule compared, by name'),
  dates: d(v.record(v.string(), v.string()), 'The instants the rule read, by name'),
  signals: d(v.array(v.string()), 'The client-type or portfolio reasons behind the rule, if any'),
});
export type ActionReason = v.InferOutput<typeof ActionReasonSchema>;

export const ActionItemSchema = v.object({
  id: d(
    v.string(),
    'Stable while the rule keeps firing for the same due date: kind:YYYY-MM-DD:subject',
  ),
  kind: v.picklist(ACTION_KINDS),
  clientId: d(v.nullable(v.string()), 'Null for an item about a manager (rebalance_manager)'),
  clientName: v.nullable(v.string()),
  manager: d(v.nullable(v.string()), "The client's manager, or the manager the item is about"),
  priority: d(v.picklist(PRIORITIES), '1 high, 2 normal, 3 low'),
  dueAt: d(v.string(), 'By when to act (for respect_pause: when the pause ends)'),
  openedAt: d(v.string(), 'Since when the item is listed'),
  overdueDays: d(v.number(), 'Whole days past dueAt at asOf; 0 when not yet due'),
  canMarkDone: d(v.boolean(), 'False for items that clear themselves once the situation changes'),
  reason: ActionReasonSchema,
});
export type ActionItem = v.InferOutput<typeof ActionItemSchema>;

export const ActionListSchema = v.object({
  asOf: v.string(),
  data: d(v.array(ActionItemSchema), 'By priority, then due date, then id'),
  total: d(v.number(), 'Items matching the filters, all pages together'),
  nextCursor: v.nullable(v.string()),
});
export type ActionList = v.InferOutput<typeof ActionListSchema>;

export const ActionDoneResultSchema = v.object({
  id: v.string(),
  kind: v.picklist(ACTION_KINDS),
  clientId: v.string(),
  doneAt: v.string(),
  eventId: d(v.string(), 'The action_done event that records it'),
  duplicate: d(v.boolean(), 'True when this item had already been marked done'),
});

const ClientRefSchema = v.object({ id: v.string(), name: v.nullable(v.string()) });

export const MANAGER_WARNINGS = ['manager_overloaded', 'key_client_unassigned'] as const;
export const ManagersResultSchema = v.object({
  asOf: v.string(),
  maxKeyClients: d(
    v.number(),
    'Key clients one manager may hold (rules.rebalance_manager.maxKeyClients)',
  ),
  managers: v.array(
    v.object({
      manager: v.string(),
      supervisor: v.nullable(v.string()),
      clients: d(v.number(), 'Clients whose attribute manager names this manager'),
      keyClients: v.array(ClientRefSchema),
      overloaded: d(v.boolean(), 'Holds more key clients than maxKeyClients'),
    }),
  ),
  unassignedKeyClients: v.array(ClientRefSchema),
  warnings: v.array(
    v.object({
      code: v.picklist(MANAGER_WARNINGS),
      message: v.string(),
      manager: v.optional(v.string()),
      clientId: v.optional(v.string()),
    }),
  ),
});
export type ManagersResult = v.InferOutput<typeof ManagersResultSchema>;

const CriterionSchema = v.object({
  met: v.boolean(),
  text: d(v.string(), 'What was found, or what is missing'),
});
export const LeadQualificationSchema = v.object({
  lead: d(v.boolean(), 'All three criteria met: contact data, a wish to buy and a budget'),
  contact: v.object({
    ...CriterionSchema.entries,
    via: d(v.array(v.string()), 'The attributes that hold contact data'),
  }),
  wish: v.object({
    ...CriterionSchema.entries,
    via: d(v.nullable(v.picklist(['attribute', 'request'])), 'How the wish was stated'),
  }),
  budget: v.object({ ...CriterionSchema.entries, amount: v.nullable(v.number()) }),
  missing: v.array(v.picklist(['contact', 'wish', 'budget'])),
});
export type LeadQualification = v.InferOutput<typeof LeadQualificationSchema>;

export const QualificationResultSchema = v.object({
  clientId: v.string(),
  buyer: d(
    v.boolean(),
    'The client has bought already: qualification matters for the ones that have not',
  ),
  ...LeadQualificationSchema.entries,
});
