import { assertUnreachable } from '../../kernel/errors.js';
import type { CloseoutItem } from '../../playbooks/domain/playbook.js';

/** What the checklist is judged on: the engagement's closeout records, read once. */
export interface CloseoutFacts {
  openPunchItems: readonly { title: string; due_on: string | null }[];
  /** How many of the engagement's files are tagged `as_built`. */
  asBuiltFiles: number;
  /** Products of the inventory no operator was trained on, by name (`orphanProducts`). */
  orphanProducts: readonly string[];
  inventoryItems: number;
  serviceLead: { name: string; at: string } | null;
  debriefs: readonly { held_on: string }[];
  /** The client's latest sign-off, if any. */
  signOff: { name: string; at: string } | null;
}

export interface ChecklistItem {
  key: CloseoutItem;
  met: boolean;
  /** Why it is met or not, in words the team acts on. */
  why: string;
}

const list = (names: readonly string[]) =>
  names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;

/**
 * Each item the playbook's checklist names, met or not and why, in the playbook's order.
 *
 * @example
 *   judgeChecklist(['no_open_punch_items'], { ...facts, openPunchItems: [{ title: 'Label IDF', due_on: null }] })
 *   // [{ key: 'no_open_punch_items', met: false, why: '1 punch item is open: Label IDF' }]
 */
export function judgeChecklist(required: readonly CloseoutItem[], facts: CloseoutFacts): ChecklistItem[] {
  return required.map((key) => ({ key, ...judge(key, facts) }));
}

function judge(key: CloseoutItem, f: CloseoutFacts): { met: boolean; why: string } {
  switch (key) {
    case 'no_open_punch_items': {
      const n = f.openPunchItems.length;
      return n === 0
        ? { met: true, why: 'No punch item is open.' }
        : {
            met: false,
            why: `${n} punch item${n === 1 ? ' is' : 's are'} open: ${list(f.openPunchItems.map((p) => p.title))}. Mark each done, or waive it with a reason.`,
          };
    }
    case 'as_built_drawings':
      return f.asBuiltFiles > 0
        ? {
            met: true,
            why: `${f.asBuiltFiles} file${f.asBuiltFiles === 1 ? ' is' : 's are'} tagged as-built.`,
          }
        : { met: false, why: 'No file is tagged as-built: upload the as-built drawings.' };
    case 'operators_trained':
      if (f.inventoryItems === 0)
        return {
          met: false,
          why: 'The inventory is empty: list what was installed, then who was trained on it.',
        };
      return f.orphanProducts.length === 0
        ? { met: true, why: 'An operator was trained on every product in the inventory.' }
        : {
            met: false,
            why: `No operator was trained on ${list(f.orphanProducts)}: record who was trained on ${f.orphanProducts.length === 1 ? 'it' : 'each'}.`,
          };
    case 'service_lead_introduced':
      return f.serviceLead
        ? { met: true, why: `${f.serviceLead.name} was introduced to the client as service lead.` }
        : { met: false, why: 'No service lead was introduced to the client yet.' };
    case 'internal_debrief_held': {
      const last = [...f.debriefs].sort((a, b) => a.held_on.localeCompare(b.held_on)).at(-1);
      return last
        ? { met: true, why: `The internal debrief was held on ${last.held_on}.` }
        : { met: false, why: 'No internal debrief was recorded: hold it before the closeout meeting.' };
    }
    case 'client_signed_off':
      return f.signOff
        ? { met: true, why: `${f.signOff.name} signed off for the client.` }
        : { met: false, why: 'The client has not signed off yet.' };
    default:
      return assertUnreachable(key);
  }
}
