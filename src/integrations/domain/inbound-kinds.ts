import type { ErrorDetail } from '../../kernel/errors.js';

/**
 * The systems that may call Baton's inbound endpoints, one entry each (docs/integrations-inbound.md):
 * what they send (`crm`: a closed-won deal; `status`: a project or ticketing status; `inquiry`: an
 * e-mail, post-closeout routing), how their secret comes to be (`generated`: Baton makes it and the
 * sender is configured with it; `given`: the vendor makes it and the admin pastes it in; `none`: the
 * sender proves itself otherwise), and the checks of their `config`. A new kind is one entry here.
 */
export interface KindSpec {
  purpose: 'crm' | 'status' | 'inquiry';
  secret: 'generated' | 'given' | 'none';
  /** The problems of a config, by path under `/config`. */
  checkConfig(config: Record<string, unknown>): ErrorDetail[];
}

type Check = (config: Record<string, unknown>) => ErrorDetail[];

/** A required (or optional) text setting of at most `max` characters, matching `pattern` if given. */
const text =
  (key: string, required: boolean, max = 300, pattern?: RegExp, hint?: string): Check =>
  (config) => {
    const value = config[key];
    if (value === undefined || value === null) return required ? [miss(key)] : [];
    if (typeof value !== 'string' || !value.trim() || value.length > max)
      return [{ path: `/config/${key}`, message: `must be text of 1 to ${max} characters` }];
    if (pattern && !pattern.test(value)) return [{ path: `/config/${key}`, message: hint ?? 'is malformed' }];
    return [];
  };

const miss = (key: string): ErrorDetail => ({ path: `/config/${key}`, message: 'is required' });

/** An optional whole number from `min` to `max`. */
const whole =
  (key: string, min: number, max: number): Check =>
  (config) => {
    const value = config[key];
    if (value === undefined) return [];
    return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? []
      : [{ path: `/config/${key}`, message: `must be a whole number from ${min} to ${max}` }];
  };

/** A list of text values. */
const texts =
  (key: string): Check =>
  (config) => {
    const value = config[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length === 0 || value.length > 50)
      return [{ path: `/config/${key}`, message: 'must be a list of 1 to 50 values' }];
    return value.flatMap((v, i) =>
      typeof v === 'string' && v.trim() && v.length <= 100
        ? []
        : [{ path: `/config/${key}/${i}`, message: 'must be text of 1 to 100 characters' }],
    );
  };

/** `milestones`: the sender's status (as it sends it, any case) → the milestone it reaches. */
const milestones: Check = (config) => {
  const value = config.milestones;
  if (value === undefined) return [miss('milestones')];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ path: '/config/milestones', message: 'must map each status to the milestone it reaches' }];
  const entries = Object.entries(value);
  if (entries.length === 0 || entries.length > 100)
    return [{ path: '/config/milestones', message: 'must map 1 to 100 statuses' }];
  return entries.flatMap(([status, milestone]) =>
    typeof milestone === 'string' && milestone.trim() && milestone.length <= 200 && status.length <= 200
      ? []
      : [{ path: `/config/milestones/${status}`, message: 'must name a milestone (1 to 200 characters)' }],
  );
};

const all =
  (checks: Check[], known: string[]): Check =>
  (config) => [
    ...checks.flatMap((c) => c(config)),
    ...Object.keys(config)
      .filter((k) => !known.includes(k))
      .map((k) => ({ path: `/config/${k}`, message: `is not a setting of this kind (${known.join(', ')})` })),
  ];

const PLAYBOOK = text('playbook', true, 100, /^[a-z][a-z0-9-]*$/, 'must be a playbook key');

export const SOURCE_KINDS = {
  hubspot: {
    purpose: 'crm',
    secret: 'given',
    // request_url: the URL HubSpot calls, as it signs it (default: BATON_PUBLIC_URL + the path).
    // won_stages: the `dealstage` values that mean won (default `closedwon`).
    checkConfig: all(
      [
        PLAYBOOK,
        text('request_url', false, 2000, /^https?:\/\//, 'must be an http(s) URL'),
        texts('won_stages'),
      ],
      ['playbook', 'request_url', 'won_stages'],
    ),
  },
  salesforce: {
    purpose: 'crm',
    secret: 'none',
    checkConfig: all(
      [
        PLAYBOOK,
        text(
          'organization_id',
          true,
          18,
          /^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/,
          'must be a Salesforce organisation id (00D…, 15 or 18 characters)',
        ),
      ],
      ['playbook', 'organization_id'],
    ),
  },
  pipedrive: {
    purpose: 'crm',
    secret: 'generated',
    // username: the HTTP Basic user name Pipedrive sends (default `baton`); the password is the secret.
    checkConfig: all(
      [PLAYBOOK, text('username', false, 100, /^[^:]+$/, 'must not hold a colon')],
      ['playbook', 'username'],
    ),
  },
  clickup: { purpose: 'status', secret: 'given', checkConfig: all([milestones], ['milestones']) },
  procore: { purpose: 'status', secret: 'generated', checkConfig: all([milestones], ['milestones']) },
  // E-mail to an implementation lead after closeout (src/integrations/inquiry-source.ts).
  // Mailgun signs with its own webhook signing key (pasted in); max_age_seconds: how old a signed
  // timestamp may be (default a day).
  mailgun: {
    purpose: 'inquiry',
    secret: 'given',
    checkConfig: all([whole('max_age_seconds', 60, 7 * 86_400)], ['max_age_seconds']),
  },
  // SendGrid's parse URL carries HTTP Basic credentials: the password is ours; basic_user, when
  // set, must match.
  sendgrid: {
    purpose: 'inquiry',
    secret: 'generated',
    checkConfig: all([text('basic_user', false, 100, /^[^:]+$/, 'must not hold a colon')], ['basic_user']),
  },
} as const satisfies Record<string, KindSpec>;

export type SourceKind = keyof typeof SOURCE_KINDS;
export const SOURCE_KIND_NAMES = Object.keys(SOURCE_KINDS) as SourceKind[];

export function isSourceKind(value: string): value is SourceKind {
  return Object.hasOwn(SOURCE_KINDS, value);
}

export function kindSpec(kind: string): KindSpec | undefined {
  return isSourceKind(kind) ? SOURCE_KINDS[kind] : undefined;
}
