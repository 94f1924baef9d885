import { Alert, Badge, Box, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { sheetValue } from '../../../src/summary/domain/summary-sheet.js';
import { FileFieldValue } from '../closeout/files.js';
import type { FieldDef, Handoff, Question, TransitionDef } from '../types.js';
import { fieldId } from './packet-editor.js';
import { type Amendable, AskForm, amendableOf, fieldPath, QuestionItem } from './questions.js';

/** A packet value as people read it, by the field's type (a secret is never shown). */
export function FieldValue({ field, value }: { field: FieldDef; value: unknown }) {
  if (field.type === 'secret')
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {value === undefined || value === null || value === '' ? 'Not given' : '•••••••• kept in the vault'}
      </Text>
    );
  if (field.type === 'file') return <FileFieldValue value={value} />;
  const v = sheetValue(field, value);
  switch (v.kind) {
    case 'empty':
      return (
        <Text size="sm" c="dimmed" fs="italic">
          Not given
        </Text>
      );
    case 'text':
      return (
        <Text size="sm" className="pre-wrap">
          {v.text}
        </Text>
      );
    case 'lines':
      return (
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {v.lines.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines may repeat
            <li key={i}>
              <Text size="sm">{l}</Text>
            </li>
          ))}
        </ul>
      );
    case 'table':
      return (
        <Table withTableBorder withColumnBorders fz="sm">
          <Table.Thead>
            <Table.Tr>
              {v.columns.map((c) => (
                <Table.Th key={c} scope="col">
                  {c}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {v.rows.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity
              <Table.Tr key={i}>
                {r.map((c, j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                  <Table.Td key={j}>{c}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      );
  }
}

/** The packet as the receiver reads it, with questions inline where they apply. */
export function PacketView(props: {
  handoff: Handoff;
  transition: TransitionDef;
  questions: Question[];
  canAsk: boolean;
  canAnswer: boolean;
  names: Map<string, string>;
  users: Amendable['users'];
}) {
  const { handoff, transition, questions, canAsk, canAnswer, names, users } = props;
  const [asking, setAsking] = useState<string | null>(null);
  const changed = new Set(handoff.since_seen?.paths ?? []);
  return (
    <Stack gap="lg">
      {handoff.since_seen && changed.size > 0 ? (
        <Alert
          color="yellow"
          role="status"
          title={`Changed since you last looked (revision ${handoff.since_seen.revision})`}
        >
          {changed.size} field{changed.size === 1 ? '' : 's'} changed in revision {handoff.revision}; each is
          marked below. The Revisions tab shows every change.
        </Alert>
      ) : null}
      {transition.sections.map((section) => (
        <Paper
          key={section.key}
          withBorder
          p="md"
          component="section"
          aria-labelledby={`section-${section.key}`}
        >
          <Title order={2} size="h4" id={`section-${section.key}`} mb="xs">
            {section.title}
          </Title>
          <Stack gap="md">
            {section.fields.map((field) => {
              const path = fieldPath(section.key, field.key);
              const qs = questions.filter((q) => q.path === path);
              return (
                <Box key={field.key} id={fieldId(section.key, field.key)} className="field-anchor">
                  <Group gap="xs">
                    <Text size="sm" fw={600}>
                      {field.label}
                    </Text>
                    {changed.has(`/${section.key}/${field.key}`) ? (
                      <Badge color="yellow" variant="light" size="sm">
                        Changed since revision {handoff.since_seen?.revision}
                      </Badge>
                    ) : null}
                  </Group>
                  <FieldValue field={field} value={handoff.packet[section.key]?.[field.key]} />
                  {qs.length ? (
                    <Stack gap={4} mt={6}>
                      {qs.map((q) => (
                        <QuestionItem
                          key={q.id}
                          q={q}
                          canAnswer={canAnswer}
                          names={names}
                          amendable={amendableOf(handoff, transition, q.path, users)}
                        />
                      ))}
                    </Stack>
                  ) : null}
                  {canAsk ? (
                    asking === path ? (
                      <Box mt={6}>
                        <AskForm
                          handoff={handoff}
                          transition={transition}
                          path={path}
                          onDone={() => setAsking(null)}
                        />
                      </Box>
                    ) : (
                      <Button
                        variant="subtle"
                        size="compact-xs"
                        mt={4}
                        className="wrapping-button"
                        onClick={() => setAsking(path)}
                      >
                        Ask about {field.label}
                      </Button>
                    )
                  ) : null}
                </Box>
              );
            })}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
