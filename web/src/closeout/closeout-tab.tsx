import { Stack, Text } from '@mantine/core';
import { mayWriteRecords } from '../records/permissions.js';
import { useSession } from '../session.js';
import { ChecklistSection } from './checklist.js';
import { InventorySection } from './inventory.js';
import { RecordsSections } from './records.js';

/**
 * The engagement's closeout package (docs/design-closeout.md): what operations hands to service and
 * the client signs off, one section per part, each in its own file of this folder.
 */
export function CloseoutTab({ engagementId }: { engagementId: string }) {
  const canEdit = mayWriteRecords(useSession());
  return (
    <Stack gap="xl" data-engagement={engagementId}>
      <Text c="dimmed" size="sm">
        What operations hands to service: drawings and files, the inventory, credentials, warranties, the
        punch list and training, and the client's sign-off.
      </Text>
      <ChecklistSection engagementId={engagementId} canEdit={canEdit} />
      <InventorySection engagementId={engagementId} canEdit={canEdit} />
      <RecordsSections engagementId={engagementId} canEdit={canEdit} />
    </Stack>
  );
}
