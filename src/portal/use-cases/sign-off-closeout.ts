import { canonicalJson } from '../../kernel/canonical-json.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { packageSha256 } from '../domain/closeout-package.js';
import { markUsed, openLink } from '../link-records.js';
import type { PortalReceipt } from '../portal-schema.js';

/**
 * The client signs off the closeout package: their name, the time, and the SHA-256 of the
 * canonical JSON of exactly what their page showed, kept with that JSON in `closeout_signoffs`,
 * which nothing updates or deletes (a trigger refuses it). `package_sha256` is the hash the page
 * showed: a package changed since is refused (409), so the hash kept is of what they saw. The
 * link is used up.
 */
export async function signOffCloseout(
  deps: Deps,
  token: string,
  input: { name: string; package_sha256: string },
): Promise<PortalReceipt> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const open = await openLink(trx, token, now, 'signoff');
    const name = input.name.trim();
    if (name === '')
      throw new AppError('validation_failed', 'The sign-off needs your name.', [
        { path: '/name', message: 'type your name to sign' },
      ]);
    const pkg = await deps.ports.closeoutPackageOf(trx, open.link.org_id, open.link.engagement_id);
    const sha256 = packageSha256(pkg);
    if (sha256 !== input.package_sha256)
      throw new AppError(
        'conflict',
        'The package has changed since you opened this page. Reload it and review it again.',
      );
    await markUsed(trx, open.link, now);
    const signoff = {
      id: newId(),
      org_id: open.link.org_id,
      engagement_id: open.link.engagement_id,
      link_id: open.link.id,
      contact_id: open.link.contact_id,
      signer_name: name,
      signed_at: now.toISOString(),
      package_json: canonicalJson(pkg),
      package_sha256: sha256,
    };
    await trx.insertInto('closeout_signoffs').values(signoff).execute();
    await publish(trx, {
      type: 'closeout.signed_off',
      orgId: open.link.org_id,
      actor: { type: 'system', id: null },
      at: now,
      signoff,
    });
    return { at: signoff.signed_at, sha256, message: `Signed off by ${name}. Thank you.` };
  });
}
