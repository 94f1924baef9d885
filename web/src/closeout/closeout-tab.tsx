import { Stack, Text } from '@mantine/core';
import { FilesSection } from './files.js';
import { PortalSection } from './portal.js';
import { VaultSection } from './vault.js';

/**
 * The engagement's closeout package (docs/design-closeout.md): what operations hands to service and
 * the client signs off, one section per part, each in its own file of this folder.
 */
export function CloseoutTab({ engagementId }: { engagementId: string }) {
  return (
    <Stack gap="xl" data-engagement={engagementId}>
      <Text c="dimmed" size="sm">
        What operations hands to service: drawings and files, the inventory, credentials, warranties, the
        punch list and training, and the client's sign-off.
      </Text>
      <PortalSection engagementId={engagementId} />
      <VaultSection engagementId={engagementId} />
      <FilesSection engagementId={engagementId} />
    </Stack>
  );
}
