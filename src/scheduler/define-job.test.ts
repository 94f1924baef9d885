import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { defineJob } from './define-job.js';

/** Version 3 of a job whose payload gained `revision` in version 2 and renamed `id` to `handoffId` in 3. */
const nudge = defineJob({
  kind: 'test_nudge',
  version: 3,
  schema: Type.Object({ handoffId: Type.String({ minLength: 1 }), revision: Type.Integer({ minimum: 1 }) }),
  upgrade: {
    2: (old: { id: string; revision: number }) => ({ handoffId: old.id, revision: old.revision }),
  },
  handle: {},
});

describe('a job definition reading stored payloads', () => {
  it('answers a payload of its version that fits the schema', () => {
    expect(nudge.read('{"handoffId":"h1","revision":2}', 3)).toEqual({
      ok: true,
      payload: { handoffId: 'h1', revision: 2 },
    });
  });

  it('names every problem of a payload that does not fit, and never retries it', () => {
    const reading = nudge.read('{"revision":"two"}', 3);
    expect(reading).toMatchObject({ ok: false, later: false });
    const reason = reading.ok ? '' : reading.reason;
    expect(reason).toContain('The payload of test_nudge (version 3) does not fit its schema');
    expect(reason).toContain("must have required property 'handoffId'");
    expect(reason).toContain('/revision must be integer');
  });

  it('refuses a payload that is not JSON', () => {
    const reading = nudge.read('{"handoffId":', 3);
    expect(reading).toMatchObject({ ok: false, later: false });
    expect(reading.ok ? '' : reading.reason).toMatch(/^The payload of test_nudge is not JSON: /);
  });

  it('upgrades a payload of an older version step by step, then checks it', () => {
    expect(nudge.read('{"id":"h9","revision":4}', 2)).toEqual({
      ok: true,
      payload: { handoffId: 'h9', revision: 4 },
    });
    const bad = nudge.read('{"id":"h9","revision":0}', 2);
    expect(bad.ok ? '' : bad.reason).toContain(
      '(version 3, upgraded from version 2) does not fit its schema',
    );
  });

  it('refuses a version it has no upgrade from, saying which', () => {
    const reading = nudge.read('{"id":"h1"}', 1);
    expect(reading).toEqual({
      ok: false,
      later: false,
      reason:
        'Written by version 1 of test_nudge, which version 3 cannot read: there is no upgrade from version 1',
    });
  });

  it('leaves a payload written by a newer version to a newer process (retried, not dead at once)', () => {
    expect(nudge.read('{"handoffId":"h1","revision":1,"more":true}', 4)).toEqual({
      ok: false,
      later: true,
      reason:
        'Written by version 4 of test_nudge; this process runs version 3, so a newer process must run it',
    });
  });

  it('answers an upgrade that throws as the reason, not as a crash', () => {
    const throwing = defineJob({
      kind: 'test_throwing',
      version: 2,
      schema: Type.Object({}),
      upgrade: {
        1: () => {
          throw new Error('no such revision');
        },
      },
      handle: {},
    });
    expect(throwing.read('{}', 1)).toEqual({
      ok: false,
      later: false,
      reason: 'Upgrading test_throwing from version 1 failed: no such revision',
    });
  });

  it('refuses a version that is not a whole number from 1', () => {
    expect(() => defineJob({ kind: 'test_bad', version: 0, schema: Type.Object({}), handle: {} })).toThrow(
      'Job test_bad: the version must be a whole number from 1, not 0',
    );
  });

  it('hands the handler the services it asks for', async () => {
    const sent: string[] = [];
    const send = defineJob({
      kind: 'test_send',
      version: 1,
      schema: Type.Object({ to: Type.String() }),
      handle: (needs: { out: string[] }) => ({
        async perform(job) {
          needs.out.push(job.payload.to);
        },
      }),
    });
    const runnable = send.runWith({ out: sent });
    const reading = runnable.read('{"to":"dana"}', 1);
    if (!reading.ok) throw new Error(reading.reason);
    await runnable.handler.perform?.({
      id: 'j',
      orgId: null,
      kind: 'test_send',
      version: 1,
      dedupeKey: 'k',
      attempts: 1,
      leaseUntil: new Date(),
      payload: reading.payload,
    });
    expect(sent).toEqual(['dana']);
  });

  it('types what producers write by the schema', () => {
    const order = (payload: { handoffId: string; revision: number }) => ({
      dedupeKey: 'k',
      orgId: null,
      payload,
      availableAt: new Date(0),
    });
    expect(nudge.row(order({ handoffId: 'h', revision: 1 }), new Date(0))).toMatchObject({
      kind: 'test_nudge',
      version: 3,
      payload: '{"handoffId":"h","revision":1}',
    });
    const incomplete = { dedupeKey: 'k', orgId: null, payload: { handoffId: 'h' }, availableAt: new Date(0) };
    // @ts-expect-error: `revision` is missing, so a producer cannot write this payload.
    nudge.row(incomplete, new Date(0));
  });
});
