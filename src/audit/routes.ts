import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses } from '../kernel/http/schemas.js';
import { requireCapability } from '../kernel/principal.js';
import { getInclusionProof } from './use-cases/get-inclusion-proof.js';

const InclusionProofSchema = Type.Object({
  seq: Type.Integer(),
  entry_json: Type.String({
    description: "The entry's canonical JSON; its leaf is SHA-256(0x00 ‖ these bytes)",
  }),
  leaf_hash: Type.String({ description: 'hex' }),
  tree_size: Type.Integer({ description: 'How many entries the signed head covers' }),
  proof: Type.Array(Type.String(), { description: 'Sibling hashes from the leaf up (RFC 9162 §2.1.3), hex' }),
  signed_head: Type.String({ description: 'A C2SP tlog-checkpoint in a signed note (Ed25519)' }),
});

/** The audit log's proofs (the entries themselves are listed by the identity and handoff routes). */
export function auditRoutes(app: Api, deps: Deps): void {
  app.get(
    '/audit/proof',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getAuditInclusionProof',
        summary: 'Prove one audit entry is in the signed log',
        description:
          "The inclusion proof of entry `seq` against the organisation's latest signed tree head (RFC 6962/9162 Merkle tree, C2SP signed note, Ed25519): with the log's public key (`baton audit public-key`) anyone checks it without reading the rest of the log (`baton audit check-proof`). 409 while no signed head covers the entry yet (admins only).",
        tags: ['audit'],
        querystring: Type.Object(
          { seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
          { additionalProperties: false },
        ),
        response: { 200: InclusionProofSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      requireCapability(principal, 'manage_identity', 'read an audit proof');
      return getInclusionProof(deps.store.db, principal.orgId, request.query.seq, deps.clock.now());
    },
  );
}
