import { Alert, Anchor, Badge, Box, Grid, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createPacketValidator, type PacketIssue } from '../../../src/playbooks/domain/packet-validator.js';
import type { UserDirectory } from '../../../src/playbooks/domain/user-directory.js';
import { ApiError, api, messageOf } from '../api.js';
import type { Handoff, Question, TransitionDef } from '../types.js';
import { FieldInput } from './field-input.js';
import { fieldPath, QuestionItem } from './questions.js';
import { adoptSavedSecrets, withoutTypedSecrets } from './secret-values.js';

type Packet = Record<string, Record<string, unknown>>;
export type SaveStatus =
  | { kind: 'saved' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'failed'; message: string };

const SAVE_DELAY_MS = 800;
const storageKey = (id: string) => `baton:unsaved-packet:${id}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The merge patch that turns `from` into `to`, field by field (null removes a field). */
export function packetPatch(transition: TransitionDef, from: Packet, to: Packet): Packet {
  const patch: Packet = {};
  for (const s of transition.sections) {
    for (const f of s.fields) {
      const before = from[s.key]?.[f.key];
      const after = to[s.key]?.[f.key];
      if (!same(before, after)) {
        patch[s.key] ??= {};
        patch[s.key]![f.key] = after === undefined ? null : after;
      }
    }
  }
  return patch;
}

function withValue(packet: Packet, section: string, field: string, value: unknown): Packet {
  const next: Packet = { ...packet, [section]: { ...(packet[section] ?? {}) } };
  if (value === undefined) delete next[section]![field];
  else next[section]![field] = value;
  return next;
}

export function fieldId(section: string, field: string): string {
  return `field-${section}-${field}`;
}

/**
 * The packet editor: every section and field of the pinned playbook, a live readiness checklist
 * from the same validator the server uses, and autosave (debounced PATCH) with unsaved edits kept
 * in localStorage until the server has them.
 */
export function PacketEditor(props: {
  handoff: Handoff;
  transition: TransitionDef;
  questions: Question[];
  names: Map<string, string>;
  users: { value: string; label: string; teams: string[] }[];
  /** The organisation's active users, which `user` fields must name. */
  directory: UserDirectory;
  onStatus: (status: SaveStatus, readiness: PacketIssue[]) => void;
  submitError?: unknown;
}) {
  const { handoff, transition, questions, names, users, directory, onStatus, submitError } = props;
  const client = useQueryClient();
  const validator = useMemo(() => createPacketValidator(transition), [transition]);
  const [local, setLocal] = useState<Packet>(() => {
    const kept = localStorage.getItem(storageKey(handoff.id));
    if (kept) {
      try {
        return { ...handoff.packet, ...(JSON.parse(kept) as Packet) };
      } catch {
        localStorage.removeItem(storageKey(handoff.id));
      }
    }
    return handoff.packet;
  });
  const saved = useRef<Packet>(handoff.packet);
  const version = useRef(handoff.version);
  const [status, setStatus] = useState<SaveStatus>(() =>
    same(local, handoff.packet) ? { kind: 'saved' } : { kind: 'dirty' },
  );
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(local);
  latest.current = local;

  const readiness = useMemo(() => validator.checkReadiness(local, directory), [validator, local, directory]);
  const issues = readiness.ready ? [] : readiness.issues;
  useEffect(() => onStatus(status, issues), [status, issues, onStatus]);

  const save = useCallback(
    async (retried = false): Promise<void> => {
      const target = latest.current;
      const patch = packetPatch(transition, saved.current, target);
      if (Object.keys(patch).length === 0) {
        localStorage.removeItem(storageKey(handoff.id));
        setStatus({ kind: 'saved' });
        return;
      }
      const draft = validator.checkDraft(target);
      if (!draft.ready) {
        setStatus({ kind: 'failed', message: `Not saved: ${draft.issues.map((i) => i.message).join('; ')}` });
        return;
      }
      setStatus({ kind: 'saving' });
      try {
        const updated = await api<Handoff>('PATCH', `/handoffs/${handoff.id}`, {
          packet: patch,
          version: version.current,
        });
        saved.current = updated.packet;
        version.current = updated.version;
        client.setQueryData(['handoff', handoff.id], updated);
        // A secret sent is now in the vault: keep its reference, not the value.
        const adopted = adoptSavedSecrets(transition, latest.current, target, updated.packet);
        if (adopted !== latest.current) {
          latest.current = adopted;
          setLocal(adopted);
        }
        if (same(latest.current, adoptSavedSecrets(transition, target, target, updated.packet))) {
          localStorage.removeItem(storageKey(handoff.id));
          setStatus({ kind: 'saved' });
        } else {
          setStatus({ kind: 'dirty' });
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 409 && !retried) {
          // Someone else saved first: rebase our edits on their version and try once more.
          const fresh = await api<Handoff>('GET', `/handoffs/${handoff.id}`).catch(() => null);
          if (fresh?.actions.edit.allowed) {
            saved.current = fresh.packet;
            version.current = fresh.version;
            return save(true);
          }
        }
        setStatus({
          kind: 'failed',
          message: `Not saved: ${messageOf(error)} Your edits are kept on this device.`,
        });
      }
    },
    [client, handoff.id, transition, validator],
  );

  const change = (section: string, field: string, value: unknown) => {
    const next = withValue(latest.current, section, field, value);
    latest.current = next;
    setLocal(next);
    localStorage.setItem(
      storageKey(handoff.id),
      JSON.stringify(withoutTypedSecrets(transition, next, saved.current)),
    );
    setStatus({ kind: 'dirty' });
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), SAVE_DELAY_MS);
  };

  useEffect(() => {
    const retry = () => void save();
    window.addEventListener('online', retry);
    if (!same(latest.current, saved.current)) timer.current = setTimeout(retry, SAVE_DELAY_MS);
    return () => {
      window.removeEventListener('online', retry);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [save]);

  const fieldErrors = new Map<string, string>();
  for (const i of issues) if (i.code !== 'required' && i.field) fieldErrors.set(i.field, i.message);
  if (submitError instanceof ApiError) {
    for (const e of submitError.errors) {
      const [, , s, f] = e.path.split('/');
      if (s && f && !fieldErrors.has(`${s}.${f}`)) fieldErrors.set(`${s}.${f}`, e.message);
    }
  }

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack gap="lg">
          {transition.sections.map((section) => (
            <Paper
              key={section.key}
              withBorder
              p="md"
              component="section"
              aria-labelledby={`section-${section.key}`}
            >
              <Title order={2} size="h4" id={`section-${section.key}`}>
                {section.title}
              </Title>
              {section.help ? (
                <Text size="sm" c="dimmed" mb="sm">
                  {section.help}
                </Text>
              ) : null}
              <Stack gap="md">
                {section.fields.map((field) => {
                  const qs = questions.filter((q) => q.path === fieldPath(section.key, field.key));
                  return (
                    <Box key={field.key} className="field-anchor">
                      {field.prompt ? (
                        <Text size="sm" fs="italic" c="baton.8" mb={4}>
                          {field.prompt}
                        </Text>
                      ) : null}
                      <FieldInput
                        field={field}
                        id={fieldId(section.key, field.key)}
                        value={local[section.key]?.[field.key]}
                        onChange={(v) => change(section.key, field.key, v)}
                        description={field.help}
                        error={fieldErrors.get(`${section.key}.${field.key}`)}
                        users={users}
                      />
                      {qs.length ? (
                        <Stack gap={4} mt={6}>
                          {qs.map((q) => (
                            <QuestionItem
                              key={q.id}
                              q={q}
                              canAnswer={handoff.actions.answer.allowed}
                              names={names}
                            />
                          ))}
                        </Stack>
                      ) : null}
                    </Box>
                  );
                })}
              </Stack>
            </Paper>
          ))}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Box pos="sticky" top={72}>
          <ReadinessChecklist issues={issues} status={status} />
        </Box>
      </Grid.Col>
      <ReadinessBar issues={issues} />
      {/* Room at the end of the page, so the bar covers none of the packet. */}
      <Box hiddenFrom="md" h={56} w="100%" />
    </Grid>
  );
}

/**
 * On a phone the checklist sits below the whole packet: this bar stays at the bottom of the
 * screen, says how far the packet is from ready, and takes the reader to the checklist.
 */
function ReadinessBar({ issues }: { issues: PacketIssue[] }) {
  return (
    <Box hiddenFrom="md" className="readiness-bar" role="region" aria-label="Readiness at a glance">
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm" fw={600}>
          {issues.length === 0 ? 'Ready to submit' : fieldsToFixText(issues)}
        </Text>
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() =>
            document.getElementById('readiness-title')?.scrollIntoView({ behavior: 'smooth', block: 'start' })
          }
        >
          Show the checklist
        </Anchor>
      </Group>
    </Box>
  );
}

function ReadinessChecklist({ issues, status }: { issues: PacketIssue[]; status: SaveStatus }) {
  const focus = (issue: PacketIssue) => {
    const [s, f] = (issue.field ?? '').split('.');
    const el = document.getElementById(fieldId(s ?? '', f ?? ''));
    if (!el) return;
    el.scrollIntoView({ behavior: 'smooth', block: 'center' });
    const input = el.matches('input,textarea,select,button')
      ? el
      : el.querySelector<HTMLElement>('input,textarea,select,button');
    input?.focus({ preventScroll: true });
  };
  return (
    <Paper withBorder p="md" component="aside" aria-labelledby="readiness-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="readiness-title">
          Readiness
        </Title>
        <SaveBadge status={status} />
      </Group>
      {status.kind === 'failed' ? (
        <Alert color="red" mb="sm" role="alert" p="xs">
          {status.message}
        </Alert>
      ) : null}
      {issues.length === 0 ? (
        <Alert color="green" title="Ready to submit" role="status">
          Every required field is filled in and valid.
        </Alert>
      ) : (
        <>
          <Text size="sm" mb={6} role="status">
            {fieldsToFixText(issues)} before this packet can be submitted:
          </Text>
          <List size="sm" spacing={4} aria-label="What is missing">
            {issues.map((issue) => (
              <List.Item key={`${issue.path}|${issue.message}`}>
                {/* A link to the field, inline text: a message that wraps keeps its bullet (a
                    button is a box of its own, and a wrapped one lost its marker). */}
                <Anchor
                  href={`#${fieldId(...((issue.field ?? '.').split('.') as [string, string]))}`}
                  size="sm"
                  onClick={(e) => {
                    e.preventDefault();
                    focus(issue);
                  }}
                >
                  {issue.message}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Paper>
  );
}

/**
 * How many fields the issues concern: a checklist with two boxes still to tick, or a table with
 * three cells missing, is one field to fix, so ticking a box never makes the count go up.
 *
 * @example
 *   fieldsToFix([{ path: '/site/checks/power' }, { path: '/site/checks/permits' }]) // 1
 */
export function fieldsToFix(issues: readonly { path: string }[]): number {
  return new Set(issues.map((i) => i.path.split('/').slice(0, 3).join('/'))).size;
}

/** "3 fields need attention", for the readiness panel and the submit button's reason. */
export function fieldsToFixText(issues: readonly { path: string }[]): string {
  const n = fieldsToFix(issues);
  return `${n} field${n === 1 ? '' : 's'} missing or invalid`;
}

export function SaveBadge({ status }: { status: SaveStatus }) {
  const words = { saved: 'Saved', dirty: 'Unsaved changes', saving: 'Saving…', failed: 'Not saved' }[
    status.kind
  ];
  const color = { saved: 'green', dirty: 'yellow', saving: 'blue', failed: 'red' }[status.kind];
  return (
    <Badge color={color} variant="light" aria-live="polite">
      {words}
    </Badge>
  );
}
