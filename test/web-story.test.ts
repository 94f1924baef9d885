import { describe, expect, it } from 'vitest';
import { storyOf } from '../web/src/story.js';
import type { AuditEntry } from '../web/src/types.js';

let seq = 0;
const entry = (
  action: string,
  at: string,
  after: unknown = null,
  actor = 'u1',
  entity = 'h1',
): AuditEntry => ({
  seq: ++seq,
  at,
  actor: { type: 'user', id: actor },
  action,
  entity: { type: 'handoff', id: entity },
  before: null,
  after,
  hash: 'x',
});

const ctx = {
  nameOf: (id: string) => ({ u1: 'Sam Seller', u2: 'Olive Ops' })[id],
  titleOf: (id: string) => (id === 'h1' ? 'Warehouse rollout' : undefined),
  dayOf: (iso: string) => iso.slice(0, 10),
};

describe("the engagement's story", () => {
  it('tells entries as sentences, by day, with repeated edits as one line and bookkeeping left out', () => {
    const days = storyOf(
      [
        entry('handoff.created', '2026-03-02T09:00:00Z', {
          title: 'Warehouse rollout',
          receiving_team: 'Operations',
        }),
        entry('handoff.packet_edited', '2026-03-02T09:05:00Z'),
        entry('handoff.packet_edited', '2026-03-02T09:06:00Z'),
        entry('handoff.packet_edited', '2026-03-02T09:07:00Z'),
        entry('checkpoint.created', '2026-03-02T09:08:00Z', { key: 'kickoff' }),
        entry('handoff.submitted', '2026-03-02T09:10:00Z', { state: 'submitted', revision: 1 }),
        entry('handoff.rejected', '2026-03-03T10:00:00Z', { explanation: 'Say which doors.' }, 'u2'),
        entry('handoff.submitted', '2026-03-03T11:00:00Z', { state: 'submitted', revision: 2 }),
        entry('handoff.accepted', '2026-03-03T12:00:00Z', { note: null }, 'u2'),
      ],
      ctx,
    );
    expect(days.map((d) => d.day)).toEqual(['2026-03-02', '2026-03-03']);
    expect(days[0]!.lines.map((l) => l.text)).toEqual([
      'Sam Seller opened “Warehouse rollout” for Operations.',
      'Sam Seller worked on the packet of “Warehouse rollout” (3 changes).',
      'Sam Seller sent “Warehouse rollout” for review.',
    ]);
    expect(days[0]!.lines[1]!.seqs).toHaveLength(3);
    expect(days[1]!.lines.map((l) => l.text)).toEqual([
      'Olive Ops sent “Warehouse rollout” back: Say which doors.',
      'Sam Seller sent a revised packet of “Warehouse rollout” (revision 2).',
      'Olive Ops accepted “Warehouse rollout”.',
    ]);
  });

  it('starts a new line when someone else edits, and names the system as Baton', () => {
    const days = storyOf(
      [
        entry('handoff.packet_edited', '2026-03-02T09:05:00Z'),
        entry('handoff.packet_edited', '2026-03-02T09:06:00Z', null, 'u2'),
        { ...entry('checkpoint.overdue', '2026-03-02T09:07:00Z'), actor: { type: 'system', id: null } },
      ],
      ctx,
    );
    expect(days[0]!.lines.map((l) => l.text)).toEqual([
      'Sam Seller worked on the packet of “Warehouse rollout”.',
      'Olive Ops worked on the packet of “Warehouse rollout”.',
      'A checkpoint is overdue.',
    ]);
  });

  it('tells an uploaded file by its name, and a later version by its number', () => {
    const days = storyOf(
      [
        entry('file.uploaded', '2026-03-04T09:00:00Z', { name: 'As-built floor 2', version: 1 }, 'u2', 'f1'),
        entry('file.uploaded', '2026-03-04T10:00:00Z', { name: 'As-built floor 2', version: 2 }, 'u2', 'f1'),
      ],
      ctx,
    );
    expect(days[0]!.lines.map((l) => l.text)).toEqual([
      'Olive Ops uploaded “As-built floor 2”.',
      'Olive Ops uploaded “As-built floor 2”, version 2.',
    ]);
  });
});
