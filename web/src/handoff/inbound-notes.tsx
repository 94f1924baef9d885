import { Alert, Code, List, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.js';
import type { InboundEvent } from '../types.js';

/**
 * What the CRM deal that opened this draft could not fill: values left out as invalid and values no
 * mapping of the playbook takes (docs/integrations-inbound.md), shown on the draft so none is lost.
 * Nothing when the handoff was not opened by a CRM.
 */
export function InboundNotes({ handoffId }: { handoffId: string }) {
  const notes = useQuery({
    queryKey: ['handoff', handoffId, 'inbound-notes'],
    queryFn: () => api<{ items: InboundEvent[] }>('GET', `/handoffs/${handoffId}/inbound-notes`),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const problems = (notes.data?.items ?? []).flatMap((e) => e.problems);
  if (problems.length === 0) return null;
  return (
    <Alert color="yellow" title="From the CRM: values this draft could not take">
      <Text size="sm" mb={4}>
        Fill these in by hand if they matter; the CRM sent them but the playbook's mapping left them out.
      </Text>
      <List size="sm">
        {problems.map((p) => (
          <List.Item key={`${p.path}${p.message}`}>
            <Code>{p.path}</Code> {p.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
