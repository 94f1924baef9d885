import type { ErrorDetail } from '../../kernel/errors.js';
import { dayOf, lineOf } from './record-fields.js';

/** The fields of an inventory item, in the order a CSV file lists them. */
export const INVENTORY_FIELDS = [
  'type',
  'make',
  'model',
  'serial',
  'location',
  'network_address',
  'firmware_version',
  'installed_on',
  'warranty_until',
] as const;
export type InventoryField = (typeof INVENTORY_FIELDS)[number];

/** The header an exported CSV file gives each field (an import reads these and the keys alike). */
export const INVENTORY_HEADERS: Readonly<Record<InventoryField, string>> = {
  type: 'Type',
  make: 'Make',
  model: 'Model',
  serial: 'Serial',
  location: 'Location',
  network_address: 'Network address',
  firmware_version: 'Firmware version',
  installed_on: 'Installed on',
  warranty_until: 'Warranty until',
};

/** An inventory item's values, checked and trimmed: every one but `type` may be null. */
export type InventoryValues = { type: string } & { [K in Exclude<InventoryField, 'type'>]: string | null };

/** Longest text of any field but the days. */
export const MAX_FIELD_LENGTH = 200;

/**
 * An item's values checked, answering every problem under `prefix` (`/rows/12/serial`): `type`
 * required; every other field optional one-line text; `installed_on` and `warranty_until` days
 * (`YYYY-MM-DD`), a warranty not ending before the installation.
 *
 * @example
 *   checkInventoryItem({ type: 'Camera', serial: 'AX-1' }) // { ok: true, values: { type: 'Camera', …, serial: 'AX-1' } }
 */
export function checkInventoryItem(
  input: Partial<Record<InventoryField, unknown>>,
  prefix = '',
): { ok: true; values: InventoryValues } | { ok: false; issues: ErrorDetail[] } {
  const issues: ErrorDetail[] = [];
  const text = (field: InventoryField, required = false) =>
    lineOf(`${prefix}/${field}`, input[field], { max: MAX_FIELD_LENGTH, required }, issues);
  const values = {
    type: text('type', true) ?? '',
    make: text('make'),
    model: text('model'),
    serial: text('serial'),
    location: text('location'),
    network_address: text('network_address'),
    firmware_version: text('firmware_version'),
    installed_on: dayOf(`${prefix}/installed_on`, input.installed_on, {}, issues),
    warranty_until: dayOf(`${prefix}/warranty_until`, input.warranty_until, {}, issues),
  };
  if (values.installed_on && values.warranty_until && values.warranty_until < values.installed_on)
    issues.push({
      path: `${prefix}/warranty_until`,
      message: `must not be before the installation (${values.installed_on})`,
    });
  return issues.length ? { ok: false, issues } : { ok: true, values };
}

/**
 * The product an item is, as training records name it: make and model (`Axis P3265-LVE`), or its
 * type when it names neither. Every product in the inventory needs an operator trained on it.
 */
export function productOf(item: Pick<InventoryValues, 'type' | 'make' | 'model'>): string {
  return [item.make, item.model].filter(Boolean).join(' ') || item.type;
}

/** How product names are compared: case, and runs of spaces, do not count. */
export function productKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The products of the inventory that no training record covers, by name, once each, in inventory
 * order: an item is covered by a record of its product (`Axis P3265-LVE`), of its model alone
 * (`P3265-LVE`, as people often write it) or of its type (`Camera`), so training on a whole kind
 * of device covers every model of it.
 *
 * @example
 *   orphanProducts([{ type: 'Camera', make: 'Axis', model: 'P1' }], ['camera']) // []
 *   orphanProducts([{ type: 'Camera', make: 'Axis', model: 'P1' }], ['P1']) // []
 */
export function orphanProducts(
  items: readonly Pick<InventoryValues, 'type' | 'make' | 'model'>[],
  trainedOn: readonly string[],
): string[] {
  const trained = new Set(trainedOn.map(productKey));
  const orphans = new Map<string, string>();
  for (const item of items) {
    const product = productOf(item);
    const names = [product, item.type, ...(item.model ? [item.model] : [])];
    if (names.some((name) => trained.has(productKey(name)))) continue;
    if (!orphans.has(productKey(product))) orphans.set(productKey(product), product);
  }
  return [...orphans.values()];
}

/**
 * The field a CSV header names, read tolerantly: case, spaces, hyphens and underscores do not
 * count (`Network Address`, `network_address`, ` NETWORK-ADDRESS `), and a few common names are
 * understood (`Serial number`, `IP address`, `Firmware`, `Installed`, `Warranty`). Undefined for
 * a header that names no field.
 */
export function fieldOfHeader(header: string): InventoryField | undefined {
  const key = header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  return HEADER_KEYS.get(key);
}

const HEADER_KEYS = new Map<string, InventoryField>([
  ...INVENTORY_FIELDS.map((f) => [f.replace(/_/g, ''), f] as const),
  ['devicetype', 'type'],
  ['manufacturer', 'make'],
  ['serialnumber', 'serial'],
  ['serialno', 'serial'],
  ['ipaddress', 'network_address'],
  ['ip', 'network_address'],
  ['firmware', 'firmware_version'],
  ['installed', 'installed_on'],
  ['installdate', 'installed_on'],
  ['warranty', 'warranty_until'],
  ['warrantyexpires', 'warranty_until'],
]);

/**
 * How a file's header row maps its columns to fields, or every problem with it: a column that
 * names no field (refused rather than dropped, so a misspelt `Serail` loses nothing unseen), a
 * field named twice, no `Type` column.
 */
export function mapHeader(
  headers: readonly string[],
): { ok: true; fields: InventoryField[] } | { ok: false; issues: ErrorDetail[] } {
  const issues: ErrorDetail[] = [];
  const seen = new Map<InventoryField, number>();
  const known = INVENTORY_FIELDS.map((f) => INVENTORY_HEADERS[f]).join(', ');
  const fields = headers.map((header, i) => {
    const field = fieldOfHeader(header);
    if (!field) {
      issues.push({
        path: `/header/${i + 1}`,
        line: 1,
        message: `column ${i + 1} ("${header}") names no field; the columns read are ${known}`,
      });
      return undefined;
    }
    const first = seen.get(field);
    if (first !== undefined)
      issues.push({
        path: `/header/${i + 1}`,
        line: 1,
        message: `column ${i + 1} ("${header}") names ${field} again (column ${first + 1} already does)`,
      });
    else seen.set(field, i);
    return field;
  });
  if (!seen.has('type'))
    issues.push({ path: '/header', line: 1, message: `has no Type column; the columns read are ${known}` });
  return issues.length ? { ok: false, issues } : { ok: true, fields: fields as InventoryField[] };
}
