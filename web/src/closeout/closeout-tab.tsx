import { Stack, Text } from '@mantine/core';
import { mayWriteRecords } from '../records/permissions.js';
import { useSession } from '../session.js';
import { ChangeOrdersSection } from './change-orders.js';
import { ChecklistSection } from './checklist.js';
import { FilesSection } from './files.js';
import { InventorySection } from './inventory.js';
import { PortalSection } from './portal.js';
import { RecordsSections } from './records.js';
import { VaultSection } from './vault.js';

/**
 * The engagement's closeout package (docs/design-closeout.md): what operations hands to service and
 * the client signs off, one section per part, each in its own file of this folder. The checklist
 * leads (what still stands between the team and closing out), then the package itself, then what
 * came back from the client.
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
      <FilesSection engagementId={engagementId} />
      <InventorySection engagementId={engagementId} canEdit={canEdit} />
      <VaultSection engagementId={engagementId} />
      <RecordsSections engagementId={engagementId} canEdit={canEdit} />
      <ChangeOrdersSection engagementId={engagementId} canEdit={canEdit} />
      <PortalSection engagementId={engagementId} />
    </Stack>
  );
}
