import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { acceptCsvUploads, csvUpload } from '../kernel/csv/upload.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Page } from '../kernel/http/schemas.js';
import { InventoryImportSchema, InventoryItemSchema, inventoryItemBody } from './inventory-schema.js';
import { addInventoryItem } from './use-cases/add-inventory-item.js';
import { exportInventory } from './use-cases/export-inventory.js';
import { checkImportTarget, importInventory, MAX_IMPORT_ROWS } from './use-cases/import-inventory.js';
import { listInventory } from './use-cases/list-inventory.js';
import { removeInventoryItem } from './use-cases/remove-inventory-item.js';
import { updateInventoryItem } from './use-cases/update-inventory-item.js';

/** The largest CSV file an import reads (16 MiB: some 80,000 rows of a typical inventory). */
export const INVENTORY_IMPORT_MAX_BYTES = 16 * 1024 * 1024;

/** Routes of the engagement's inventory: its items, and CSV import and export. */
export function inventoryRoutes(app: Api, deps: Deps): void {
  const tags = ['closeout'];
  // An import reads the file as it arrives: the parser takes the request's stream, not its bytes.
  acceptCsvUploads(app);

  app.get(
    '/engagements/:id/inventory',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listInventory',
        summary: 'Inventory of an engagement',
        description: 'Every device and asset installed on the engagement, in the order they were added.',
        tags,
        params: IdParams,
        response: { 200: Page(InventoryItemSchema), ...errorResponses(403, 404) },
      },
    },
    async (request) => listInventory(deps, principalOf(request), request.params.id),
  );

  app.post(
    '/engagements/:id/inventory',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'addInventoryItem',
        summary: 'Add an inventory item',
        description:
          'Adds a device or asset. Only `type` is required; days are YYYY-MM-DD. A serial another item of the engagement has is refused with 409.',
        tags,
        params: IdParams,
        body: inventoryItemBody('add'),
        response: { 201: InventoryItemSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addInventoryItem(deps, principalOf(request), request.params.id, request.body)),
  );

  app.patch(
    '/inventory/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'updateInventoryItem',
        summary: 'Edit an inventory item',
        description: 'Replaces the fields sent (null clears one); the item as edited is checked whole.',
        tags,
        params: IdParams,
        body: inventoryItemBody('edit'),
        response: { 200: InventoryItemSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => updateInventoryItem(deps, principalOf(request), request.params.id, request.body),
  );

  app.delete(
    '/inventory/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'removeInventoryItem',
        summary: 'Remove an inventory item',
        description: 'Removes the item; the audit log keeps what it described.',
        tags,
        params: IdParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await removeInventoryItem(deps, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/engagements/:id/inventory/import',
    {
      config: { scope: 'records' },
      // Checked before the upload is read (the CSV parser hands the handler the stream unread): a
      // caller who may not import, or names an engagement not theirs, is told so at once.
      preValidation: async (request) => {
        await checkImportTarget(deps, principalOf(request), (request.params as { id: string }).id);
      },
      schema: {
        operationId: 'importInventory',
        summary: 'Import inventory items from CSV',
        description: `Adds one item per row of a CSV file (\`text/csv\`, UTF-8, a header row first), all or nothing: when any row is bad, nothing is written and the 422 names every bad row by its line and reason (\`errors[].line\`). Headers are read whatever their case and spacing (\`Network address\`, \`network_address\`); a column that names no field is refused. Serials repeated in the file or already on the engagement are refused (409 when another import gave one of them first, meanwhile). At most ${MAX_IMPORT_ROWS} rows and ${INVENTORY_IMPORT_MAX_BYTES / 1024 / 1024} MiB (413 beyond).`,
        tags,
        params: IdParams,
        body: {
          content: {
            'text/csv': {
              schema: {
                description:
                  'Columns: Type (required), Make, Model, Serial, Location, Network address, Firmware version, Installed on, Warranty until (days YYYY-MM-DD)',
              },
            },
          },
        },
        response: { 200: InventoryImportSchema, ...errorResponses(403, 404, 409, 422) },
      },
    },
    async (request) => {
      const file = csvUpload(request, INVENTORY_IMPORT_MAX_BYTES);
      return importInventory(deps, principalOf(request), request.params.id, file);
    },
  );

  app.get(
    '/engagements/:id/inventory.csv',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'exportInventory',
        summary: 'Export the inventory as CSV',
        description:
          'The inventory as a CSV file (UTF-8 with a byte-order mark), streamed, under the headers an import reads: export, edit in a spreadsheet, import into another engagement. Cells a spreadsheet would read as a formula start with an apostrophe, which an import removes.',
        tags,
        params: IdParams,
        produces: ['text/csv'],
        response: {
          200: { description: 'The CSV file', content: { 'text/csv': { schema: Type.String() } } },
          ...errorResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      const { name, file } = await exportInventory(deps, principalOf(request), request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-content-type-options', 'nosniff')
        .send(file as unknown as string);
    },
  );
}
