import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupSyncer } from './wal-syncer.js';

/** A sync the test finishes by hand; `started` counts calls. */
function heldSyncs(onStart: () => void = () => undefined) {
  const running: { resolve(): void; reject(error: unknown): void }[] = [];
  let started = 0;
  const syncFile = () =>
    new Promise<void>((resolve, reject) => {
      started++;
      onStart();
      running.push({ resolve, reject });
    });
  return {
    syncFile,
    get started() {
      return started;
    },
    get running() {
      return running.length;
    },
    async finish(error?: unknown) {
      const sync = running.shift()!;
      if (error) sync.reject(error);
      else sync.resolve();
      // Let the syncer's callbacks run.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

describe('group syncer', () => {
  it('shares syncs: callers arriving while one runs are served together by the next', async () => {
    const disk = heldSyncs();
    const syncer = new GroupSyncer(disk.syncFile);
    const done: string[] = [];
    syncer.written();
    expect(syncer.pending).toBe(true);
    const a = syncer.sync().then(() => done.push('a'));
    syncer.written();
    const b = syncer.sync().then(() => done.push('b'));
    const c = syncer.sync().then(() => done.push('c'));
    expect(disk.started).toBe(1);
    await disk.finish();
    await a;
    // b and c asked while the first sync ran: it may have missed their writes.
    expect(done).toEqual(['a']);
    expect(disk.started).toBe(2);
    expect(syncer.pending).toBe(true);
    await disk.finish();
    await Promise.all([b, c]);
    expect(done).toEqual(['a', 'b', 'c']);
    expect(disk.started).toBe(2);
    expect(syncer.pending).toBe(false);
  });

  it('fails for good once a sync fails: what reached the disk is unknown', async () => {
    const disk = heldSyncs();
    const syncer = new GroupSyncer(disk.syncFile);
    syncer.written();
    const first = syncer.sync();
    const second = syncer.sync();
    await disk.finish(new Error('EIO'));
    await expect(first).rejects.toThrow('EIO');
    await expect(second).rejects.toThrow('EIO');
    await expect(syncer.sync()).rejects.toThrow('EIO');
    expect(disk.started).toBe(1);
  });

  it('answers every caller only after a sync covering every write before it asked, one sync at a time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('write', 'ask', 'finish'), { maxLength: 60 }),
        async (steps) => {
          let writes = 0;
          // Writes each sync covers (those made before it began), and the most a finished one covered.
          const covers: number[] = [];
          let durable = 0;
          const disk = heldSyncs(() => covers.push(writes));
          const syncer = new GroupSyncer(disk.syncFile);
          const asked: { writesBefore: number; durableWhenAnswered?: number }[] = [];
          const finish = async () => {
            durable = Math.max(durable, covers.shift()!);
            await disk.finish();
          };
          for (const step of steps) {
            if (step === 'write') {
              writes++;
              syncer.written();
            }
            if (step === 'ask') {
              const entry: (typeof asked)[number] = { writesBefore: writes };
              asked.push(entry);
              void syncer.sync().then(() => {
                entry.durableWhenAnswered = durable;
              });
            }
            if (step === 'finish' && disk.running > 0) await finish();
            expect(disk.running).toBeLessThanOrEqual(1);
          }
          const last = syncer.sync();
          while (disk.running > 0) await finish();
          await last;
          for (const entry of asked) {
            expect(entry.durableWhenAnswered).toBeDefined();
            expect(entry.durableWhenAnswered!).toBeGreaterThanOrEqual(entry.writesBefore);
          }
          expect(syncer.pending).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
