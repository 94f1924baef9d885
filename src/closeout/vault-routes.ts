import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Nullable, Page } from '../kernel/http/schemas.js';
import { VAULT_LIMITS } from './domain/vault-entry.js';
import { addVaultEntry } from './use-cases/vault-add-entry.js';
import { getVaultEntry } from './use-cases/vault-get-entry.js';
import { listVaultEntries } from './use-cases/vault-list-entries.js';
import { removeVaultEntry } from './use-cases/vault-remove-entry.js';
import { revealVaultSecret } from './use-cases/vault-reveal-secret.js';
import { updateVaultEntry } from './use-cases/vault-update-entry.js';
import { RevealedSecretSchema, VaultEntrySchema } from './vault-schema.js';

const EntryParams = Type.Object({
  id: Type.String({ description: 'Engagement id' }),
  entryId: Type.String({ description: 'Vault entry id' }),
});

const optionalText = (maxLength: number, description: string) =>
  Type.Optional(Nullable(Type.String({ maxLength, description })));

const EntryFields = {
  username: optionalText(VAULT_LIMITS.username, 'The account name'),
  url: optionalText(VAULT_LIMITS.url, 'Where the system is reached'),
  notes: optionalText(VAULT_LIMITS.notes, 'Anything the service team should know'),
};
const Secret = Type.String({
  minLength: 1,
  maxLength: VAULT_LIMITS.secret,
  description: 'The password, key or PIN: sealed at once, never answered by a listing or read',
});
const System = Type.String({ minLength: 1, maxLength: VAULT_LIMITS.system, description: 'The system' });

/** The credential vault of an engagement (docs/design-closeout.md): masked listings, reveal with a reason. */
export function vaultRoutes(app: Api, deps: Deps): void {
  const tags = ['vault'];

  app.get(
    '/engagements/:id/vault',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listVaultEntries',
        summary: "An engagement's credential vault",
        description: 'Every credential of the engagement, by system, each secret masked.',
        tags,
        params: IdParams,
        response: { 200: Page(VaultEntrySchema), ...errorResponses(403, 404) },
      },
    },
    async (request) => listVaultEntries(deps, principalOf(request), request.params.id),
  );

  app.post(
    '/engagements/:id/vault',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'addVaultEntry',
        summary: 'Add a credential to the vault',
        description:
          "Stores a system's credential; the secret is encrypted at once with the organisation's data key and answered masked.",
        tags,
        params: IdParams,
        body: Type.Object(
          { system: System, secret: Secret, ...EntryFields },
          { additionalProperties: false },
        ),
        response: { 201: VaultEntrySchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addVaultEntry(deps, principalOf(request), request.params.id, request.body)),
  );

  app.get(
    '/engagements/:id/vault/:entryId',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getVaultEntry',
        summary: 'One credential, masked',
        description: 'The entry with its secret masked and when the secret last changed.',
        tags,
        params: EntryParams,
        response: { 200: VaultEntrySchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => getVaultEntry(deps, principalOf(request), request.params.id, request.params.entryId),
  );

  app.patch(
    '/engagements/:id/vault/:entryId',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'updateVaultEntry',
        summary: 'Edit a credential',
        description: 'Changes the system, username, URL or notes, or replaces the secret (sealed anew).',
        tags,
        params: EntryParams,
        body: Type.Object(
          { system: Type.Optional(System), secret: Type.Optional(Secret), ...EntryFields },
          { additionalProperties: false },
        ),
        response: { 200: VaultEntrySchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) =>
      updateVaultEntry(deps, principalOf(request), request.params.id, request.params.entryId, request.body),
  );

  app.delete(
    '/engagements/:id/vault/:entryId',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'removeVaultEntry',
        summary: 'Remove a credential',
        description: 'Removes the entry and its encrypted secret; the audit log keeps that it was there.',
        tags,
        params: EntryParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await removeVaultEntry(deps, principalOf(request), request.params.id, request.params.entryId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/engagements/:id/vault/:entryId/reveal',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'revealVaultSecret',
        summary: 'Reveal a secret, for a stated reason',
        description:
          'Answers the secret once, for a role that may reveal secrets (admin, operations, service). The reveal, who made it and the reason are written to the audit log in the same transaction: if that write fails, nothing is revealed. Never cached.',
        tags,
        params: EntryParams,
        body: Type.Object(
          {
            reason: Type.String({
              minLength: 1,
              maxLength: VAULT_LIMITS.reason,
              description: 'Why the secret is needed; recorded in the audit log',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: RevealedSecretSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const revealed = await revealVaultSecret(
        deps,
        principalOf(request),
        request.params.id,
        request.params.entryId,
        request.body,
      );
      return reply.header('cache-control', 'no-store').send(revealed);
    },
  );
}
