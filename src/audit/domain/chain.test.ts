import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../kernel/canonical-json.js';
import { type ChainedFields, entryHash, GENESIS_HASH } from './chain.js';

describe('audit entry hash', () => {
  it('is sha256 of the previous hash, a newline and the canonical JSON of the fields', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const nullable = fc.option(text, { nil: null });
    const fields = fc.record<ChainedFields>({
      org_id: text,
      seq: fc.nat(),
      at: text,
      actor_type: text,
      actor_id: nullable,
      action: text,
      entity_type: text,
      entity_id: text,
      handoff_id: nullable,
      engagement_id: nullable,
      before: nullable,
      after: nullable,
    });
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(GENESIS_HASH), fc.stringMatching(/^[0-9a-f]{64}$/)),
        fields,
        (prev, f) => {
          const expected = createHash('sha256')
            .update(`${prev}\n${canonicalJson({ ...f })}`)
            .digest('hex');
          expect(entryHash(prev, f)).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
