import { type Static, Type } from 'typebox';
import { Nullable } from '../kernel/http/schemas.js';
import { MAX_FIELD_LENGTH } from './domain/inventory-item.js';

const Day = (description: string) =>
  Nullable(Type.String({ format: 'date', description: `${description} (YYYY-MM-DD)` }));
const Line = (description: string) => Nullable(Type.String({ maxLength: MAX_FIELD_LENGTH, description }));

/** A device or asset installed on an engagement, as the inventory lists it. */
export const InventoryItemSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    type: Type.String({ description: 'What kind of device or asset: Camera, Controller, Panel…' }),
    make: Line('Manufacturer'),
    model: Line('Model'),
    serial: Line('Serial number, unique within the engagement'),
    location: Line('Where it is installed'),
    network_address: Line('IP address or host name'),
    firmware_version: Line('Firmware version installed'),
    installed_on: Day('Day installed'),
    warranty_until: Day("Last day of the manufacturer's warranty"),
    product: Type.String({
      description:
        'The product as training records name it: make and model, or the type when neither is known',
    }),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'InventoryItem', description: 'A device or asset installed on an engagement' },
);
export type InventoryItem = Static<typeof InventoryItemSchema>;

const Field = (required: boolean) => {
  const text = Type.String({ maxLength: MAX_FIELD_LENGTH });
  return required ? text : Type.Optional(Nullable(text));
};
const DayField = () => Type.Optional(Nullable(Type.String({ maxLength: 10 })));

/** The fields of an item as a request sends them: `type` required to add one, every field optional to edit. */
export function inventoryItemBody(mode: 'add' | 'edit') {
  return Type.Object(
    {
      type: mode === 'add' ? Field(true) : Type.Optional(Type.String({ maxLength: MAX_FIELD_LENGTH })),
      make: Field(false),
      model: Field(false),
      serial: Field(false),
      location: Field(false),
      network_address: Field(false),
      firmware_version: Field(false),
      installed_on: DayField(),
      warranty_until: DayField(),
    },
    { additionalProperties: false },
  );
}
export type InventoryItemInput = Static<ReturnType<typeof inventoryItemBody>>;

/** What an import answers: how many items it added. */
export const InventoryImportSchema = Type.Object(
  {
    imported: Type.Integer({ description: 'Items added, one per row' }),
  },
  { description: 'The result of an import: every row added, or (422) none' },
);
