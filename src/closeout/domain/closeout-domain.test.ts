import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOSEOUT_ITEMS } from '../../playbooks/domain/playbook.js';
import { type CloseoutFacts, judgeChecklist } from './closeout-checklist.js';
import {
  checkInventoryItem,
  fieldOfHeader,
  INVENTORY_FIELDS,
  INVENTORY_HEADERS,
  mapHeader,
  orphanProducts,
} from './inventory-item.js';
import { nextPunchState } from './punch-item.js';
import { checkWarranty, reminderDay } from './warranty-record.js';

const MET: CloseoutFacts = {
  openPunchItems: [],
  asBuiltFiles: 1,
  orphanProducts: [],
  inventoryItems: 3,
  serviceLead: { name: 'Sid', at: '2026-03-01T10:00:00Z' },
  debriefs: [{ held_on: '2026-02-27' }],
  signOff: { name: 'Rosa', at: '2026-03-02T10:00:00Z' },
};

describe('the closeout domain', () => {
  it('reads a header whatever its case, spacing and separators, and refuses unknown or repeated columns', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INVENTORY_FIELDS),
        fc.constantFrom('key', 'header'),
        fc.array(fc.constantFrom(' ', '_', '-'), { maxLength: 2 }),
        fc.boolean(),
        (field, from, pad, upper) => {
          const base = from === 'key' ? field : INVENTORY_HEADERS[field];
          const written = `${pad.join('')}${upper ? base.toUpperCase() : base}${pad.join('')}`;
          expect(fieldOfHeader(written.replace(/_/g, pad[0] ?? '_'))).toBe(field);
        },
      ),
    );
    expect(mapHeader(['Type', 'Serial number', 'IP address'])).toEqual({
      ok: true,
      fields: ['type', 'serial', 'network_address'],
    });
    const bad = mapHeader(['Serial', 'serial', 'Colour']);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues.map((i) => i.message)).toEqual([
      'column 2 ("serial") names serial again (column 1 already does)',
      'column 3 ("Colour") names no field; the columns read are Type, Make, Model, Serial, Location, Network address, Firmware version, Installed on, Warranty until',
      'has no Type column; the columns read are Type, Make, Model, Serial, Location, Network address, Firmware version, Installed on, Warranty until',
    ]);
  });

  it('checks an item whole, naming every problem', () => {
    const checked = checkInventoryItem(
      { type: '', serial: 'a\nb', installed_on: '2026-02-29', warranty_until: '2026-01-01' },
      '/rows/4',
    );
    expect(!checked.ok && checked.issues.map((i) => i.path)).toEqual([
      '/rows/4/type',
      '/rows/4/serial',
      '/rows/4/installed_on',
    ]);
    const order = checkInventoryItem({
      type: 'Camera',
      installed_on: '2026-03-02',
      warranty_until: '2026-03-01',
    });
    expect(!order.ok && order.issues[0]!.message).toContain('before the installation');
  });

  it('lists each untrained product once, by make and model, its model or type covering it', () => {
    const items = [
      { type: 'Camera', make: 'Axis', model: 'P1' },
      { type: 'Camera', make: 'Axis', model: 'P1' },
      { type: 'Camera', make: 'Axis', model: 'Q2' },
      { type: 'Reader', make: null, model: null },
    ];
    expect(orphanProducts(items, [])).toEqual(['Axis P1', 'Axis Q2', 'Reader']);
    expect(orphanProducts(items, ['  AXIS   p1 ', 'reader'])).toEqual(['Axis Q2']);
    expect(orphanProducts(items, ['camera', 'Reader'])).toEqual([]);
    // The model alone, as people write it, covers the product; another model's does not.
    expect(orphanProducts(items, ['q2', 'Reader'])).toEqual(['Axis P1']);
  });

  it('judges every item the playbook names, in its order, and only those', () => {
    fc.assert(
      fc.property(fc.subarray([...CLOSEOUT_ITEMS]), (required) => {
        const judged = judgeChecklist(required, MET);
        expect(judged.map((i) => i.key)).toEqual(required);
        expect(judged.every((i) => i.met)).toBe(true);
        const none = judgeChecklist(required, {
          openPunchItems: [{ title: 'Label', due_on: null }],
          asBuiltFiles: 0,
          orphanProducts: ['Axis P1'],
          inventoryItems: 1,
          serviceLead: null,
          debriefs: [],
          signOff: null,
        });
        expect(none.every((i) => !i.met && i.why.length > 0)).toBe(true);
      }),
    );
  });

  it('waives a punch item only with a reason, and keeps none otherwise', () => {
    expect(nextPunchState({ to: 'waived', reason: '  ' }).ok).toBe(false);
    expect(nextPunchState({ to: 'waived', reason: 'Client does it' })).toEqual({
      ok: true,
      state: 'waived',
      reason: 'Client does it',
    });
    expect(nextPunchState({ to: 'open', reason: 'old' })).toEqual({ ok: true, state: 'open', reason: null });
  });

  it('reminds a set number of days before a warranty expires, across months and leap days', () => {
    expect(reminderDay({ expires_on: '2028-03-01', remind_days_before: 1 })).toBe('2028-02-29');
    expect(reminderDay({ expires_on: '2027-01-10', remind_days_before: 30 })).toBe('2026-12-11');
    const bad = checkWarranty({
      kind: 'guarantee',
      provider: '',
      expires_on: '2026-01-01',
      starts_on: '2026-02-01',
      remind_days_before: 0,
    });
    expect(!bad.ok && bad.issues.map((i) => i.path).sort()).toEqual([
      '/expires_on',
      '/kind',
      '/provider',
      '/remind_days_before',
    ]);
  });
});
