import type { ErrorDetail } from '../../kernel/errors.js';
import { PUBLIC_EVENT_TYPES } from './webhook-events.js';

/** What a caller may set on an endpoint. */
export interface WebhookEndpointInput {
  url?: string;
  event_types?: string[];
  description?: string;
  enabled?: boolean;
  disabled_reason?: string | null;
}

export const WEBHOOK_LIMITS = { url: 2000, description: 500, eventTypes: 100, reason: 500 } as const;

/**
 * Every problem with an endpoint's fields, each by its path: the URL must be http(s), the event
 * types `*` or public types (no type named twice). `create`: the URL is required.
 */
export function checkEndpointInput(input: WebhookEndpointInput, mode: 'create' | 'update'): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  if (input.url !== undefined || mode === 'create') {
    const url = input.url?.trim() ?? '';
    let ok = false;
    try {
      const parsed = new URL(url);
      ok = (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
    } catch {
      ok = false;
    }
    if (!ok) errors.push({ path: '/url', message: 'must be an http or https URL' });
  }
  if (input.event_types !== undefined) {
    if (input.event_types.length === 0)
      errors.push({ path: '/event_types', message: 'must name at least one event type, or "*" for all' });
    const known = new Set<string>(PUBLIC_EVENT_TYPES);
    const seen = new Set<string>();
    input.event_types.forEach((type, i) => {
      if (type !== '*' && !known.has(type))
        errors.push({
          path: `/event_types/${i}`,
          message: `${JSON.stringify(type)} is not a public event type (GET /webhook-event-types lists them)`,
        });
      else if (seen.has(type)) errors.push({ path: `/event_types/${i}`, message: `${type} is named twice` });
      seen.add(type);
    });
  }
  return errors;
}

/** The stored list: `["*"]` when `*` is among them. */
export function normaliseEventTypes(types: readonly string[]): string[] {
  return types.includes('*') ? ['*'] : [...types];
}
