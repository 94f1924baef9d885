import { Button, Group, Paper, Stack, Text } from '@mantine/core';

/** The printable one-page summary, and its PDF. */
export function SummaryPanel({ handoffId, title }: { handoffId: string; title: string }) {
  const base = `/api/v1/handoffs/${handoffId}/summary`;
  return (
    <Stack>
      <Group>
        <Button component="a" href={`${base}?format=pdf`} download>
          Download PDF
        </Button>
        <Button component="a" href={base} target="_blank" rel="noopener" variant="default">
          Open print view
        </Button>
        <Button component="a" href={`${base}?format=md`} target="_blank" rel="noopener" variant="subtle">
          Markdown
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        The one-page summary sheet of this handoff, as the receiving team and the client see it.
      </Text>
      <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
        <iframe
          src={base}
          title={`Summary sheet of ${title}`}
          style={{ width: '100%', height: 900, border: 0 }}
        />
      </Paper>
    </Stack>
  );
}
