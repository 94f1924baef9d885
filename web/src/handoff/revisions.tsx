import { Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatScalar } from '../../../src/summary/domain/summary-sheet.js';
import { api } from '../api.js';
import { dateTime } from '../format.js';
import { EmptyState, ErrorNote } from '../parts.js';
import type {
  AuditEntry,
  EngagementTimeline,
  FieldDef,
  Question,
  Revision,
  RevisionDiff,
  TransitionDef,
} from '../types.js';
import { FieldValue } from './packet-view.js';

/**
 * What the receiving team decided on each revision of the handoff, from the audit entries of its
 * acceptance and rejections: "Rejected (Scope ambiguous): Say which doors…".
 */
function decisionsByRevision(
  events: readonly AuditEntry[],
  handoffId: string,
  transition: TransitionDef,
): Map<number, { outcome: string; at: string; text: string }[]> {
  const label = (code: string) => transition.rejectionReasons.find((r) => r.code === code)?.label ?? code;
  const out = new Map<number, { outcome: string; at: string; text: string }[]>();
  for (const e of events) {
    if (e.entity.id !== handoffId || (e.action !== 'handoff.rejected' && e.action !== 'handoff.accepted'))
      continue;
    const after = (e.after ?? {}) as {
      revision?: number;
      reason_code?: string;
      explanation?: string;
      note?: string;
    };
    if (typeof after.revision !== 'number') continue;
    const text =
      e.action === 'handoff.rejected'
        ? `Rejected (${label(after.reason_code ?? '')})${after.explanation ? `: ${after.explanation}` : ''}`
        : `Accepted${after.note ? `: ${after.note}` : ''}`;
    out.set(after.revision, [
      ...(out.get(after.revision) ?? []),
      { outcome: e.action.slice(8), at: e.at, text },
    ]);
  }
  return out;
}

/** The field a diff entry names (`section.field`), when the playbook defines it. */
function fieldOf(transition: TransitionDef, name: string): FieldDef | undefined {
  const [section, key] = name.split('.');
  return transition.sections.find((s) => s.key === section)?.fields.find((f) => f.key === key);
}

type Row = Record<string, unknown>;
const rowsOf = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);

/**
 * A table field's change as one table: rows kept with their changed cells marked, rows added
 * marked as added, rows removed shown struck through. Rows are matched by position.
 */
function TableDiff({ table, was, is }: { table: FieldDef; was: unknown; is: unknown }) {
  const columns = table.columns ?? [];
  const a = rowsOf(was);
  const b = rowsOf(is);
  const cell = (column: FieldDef, row: Row | undefined) => formatScalar(column, row?.[column.key]);
  return (
    <Table withTableBorder withColumnBorders fz="sm" aria-label={`Changes to ${table.label}`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Row</Table.Th>
          {columns.map((c) => (
            <Table.Th key={c.key} scope="col">
              {c.label}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {Array.from({ length: Math.max(a.length, b.length) }, (_, i) => {
          const old = a[i];
          const now = b[i];
          const state = old === undefined ? 'added' : now === undefined ? 'removed' : 'kept';
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are matched by position
            <Table.Tr key={i} className={`diff-row-${state}`} data-change={state}>
              <Table.Td>{state === 'kept' ? i + 1 : `${i + 1} (${state})`}</Table.Td>
              {columns.map((c) => {
                const oldText = cell(c, old);
                const newText = cell(c, now);
                const changed = state === 'kept' && oldText !== newText;
                return (
                  <Table.Td
                    key={c.key}
                    className={changed ? 'diff-cell-changed' : undefined}
                    data-changed={changed || undefined}
                  >
                    {state === 'removed' ? <s>{oldText}</s> : newText}
                    {changed ? (
                      <Text size="xs" c="dimmed">
                        was <s>{oldText || 'empty'}</s>
                      </Text>
                    ) : null}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** One side of a change, as people read the field; a dash where the field had no value. */
function Side({ field, value }: { field: FieldDef | undefined; value: unknown }) {
  if (value === undefined) return <Text size="sm">—</Text>;
  if (!field)
    return (
      <Text size="sm" className="pre-wrap">
        {typeof value === 'string' ? value : JSON.stringify(value)}
      </Text>
    );
  return <FieldValue field={field} value={value} />;
}

/**
 * Every revision (submitted, or corrected in an answer), with the decisions on it, and a
 * field-by-field diff between any two.
 */
export function RevisionsPanel({
  handoffId,
  engagementId,
  names,
  transition,
  questions,
}: {
  handoffId: string;
  engagementId: string;
  names: Map<string, string>;
  transition: TransitionDef;
  questions: Question[];
}) {
  // The decisions on each revision, as the engagement's audit trail recorded them.
  const timeline = useQuery({
    queryKey: ['timeline', engagementId],
    queryFn: () => api<EngagementTimeline>('GET', `/engagements/${engagementId}/timeline`),
  });
  const decisions = decisionsByRevision(timeline.data?.events ?? [], handoffId, transition);
  const revisions = useQuery({
    queryKey: ['revisions', handoffId],
    queryFn: () => api<{ items: Revision[] }>('GET', `/handoffs/${handoffId}/revisions`),
  });
  const items = revisions.data?.items ?? [];
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const a = from ?? (items.length >= 2 ? String(items[items.length - 2]!.number) : null);
  const b = to ?? (items.length >= 2 ? String(items[items.length - 1]!.number) : null);
  const diff = useQuery({
    queryKey: ['diff', handoffId, a, b],
    queryFn: () => api<RevisionDiff>('GET', `/handoffs/${handoffId}/revisions/${a}/diff/${b}`),
    enabled: !!a && !!b,
  });
  if (revisions.error) return <ErrorNote error={revisions.error} />;
  if (!items.length)
    return (
      <EmptyState title="No revision yet">
        Each submit keeps an immutable revision of the packet here.
      </EmptyState>
    );
  const options = items.map((r) => ({ value: String(r.number), label: `Revision ${r.number}` }));
  return (
    <Stack>
      <Paper withBorder>
        <Table aria-label="Revisions and decisions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Revision</Table.Th>
              <Table.Th scope="col">Made by</Table.Th>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Decision</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.number}>
                <Table.Td>
                  <Text size="sm">{r.number}</Text>
                  {r.answering_question_id ? (
                    <Text size="xs" c="dimmed">
                      Corrected in an answer to “
                      {questions.find((q) => q.id === r.answering_question_id)?.body ?? 'a question'}”
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{names.get(r.submitted_by) ?? r.submitted_by}</Table.Td>
                <Table.Td>{dateTime(r.submitted_at)}</Table.Td>
                <Table.Td>
                  {decisions.get(r.number)?.map((d) => (
                    <Text key={d.at} size="sm" c={d.outcome === 'rejected' ? 'red.8' : 'green.8'}>
                      {d.text}
                    </Text>
                  )) ?? (
                    <Text size="sm" c="dimmed">
                      None yet
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {items.length < 2 ? (
        <Text c="dimmed">
          A diff needs two revisions: it appears after the packet is revised and submitted again.
        </Text>
      ) : (
        <Paper withBorder p="md">
          <Group mb="sm">
            <Select
              label="Compare"
              data={options}
              value={a}
              onChange={setFrom}
              w={180}
              allowDeselect={false}
            />
            <Select label="with" data={options} value={b} onChange={setTo} w={180} allowDeselect={false} />
          </Group>
          <ErrorNote error={diff.error} />
          {diff.data ? (
            diff.data.changes.length === 0 ? (
              <Text c="dimmed">The two revisions are identical.</Text>
            ) : (
              <Table withTableBorder aria-label={`Changes from revision ${a} to revision ${b}`}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Field</Table.Th>
                    <Table.Th scope="col">Change</Table.Th>
                    <Table.Th scope="col">Revision {a}</Table.Th>
                    <Table.Th scope="col">Revision {b}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {diff.data.changes.map((c) => {
                    const field = fieldOf(transition, c.field);
                    return field?.type === 'table' ? (
                      <Table.Tr key={c.path}>
                        <Table.Td fw={600}>{c.label}</Table.Td>
                        <Table.Td>{c.change}</Table.Td>
                        <Table.Td colSpan={2}>
                          <TableDiff table={field} was={c.before} is={c.after} />
                        </Table.Td>
                      </Table.Tr>
                    ) : (
                      <Table.Tr key={c.path}>
                        <Table.Td fw={600}>{c.label}</Table.Td>
                        <Table.Td>{c.change}</Table.Td>
                        <Table.Td className="diff-before">
                          <Side field={field} value={c.before} />
                        </Table.Td>
                        <Table.Td className="diff-after">
                          <Side field={field} value={c.after} />
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )
          ) : null}
        </Paper>
      )}
    </Stack>
  );
}
