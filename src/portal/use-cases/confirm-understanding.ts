import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { openLink } from '../link-records.js';
import type { Difference } from '../portal-events.js';
import type { PortalReceipt } from '../portal-schema.js';
import { understandingOf } from './get-portal-page.js';

/**
 * The client confirms the goal, success metric and scope as shown (no differences), or says what
 * differs. `shown_sha256` is the hash of what their page showed: if the team changed it since, the
 * confirmation is refused (409) so nobody confirms what they did not see. Each difference reaches
 * the team as a question on the engagement's handoff (the composition root's subscriber of
 * `portal.confirmed`). A confirm link may be used again until it expires.
 */
export async function confirmUnderstanding(
  deps: Deps,
  token: string,
  input: { differences: Difference[]; shown_sha256: string },
): Promise<PortalReceipt> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const open = await openLink(trx, token, now, 'confirm');
    const { sha256 } = await understandingOf(trx, open);
    if (sha256 !== input.shown_sha256)
      throw new AppError(
        'conflict',
        'What this page shows has changed since you opened it. Reload it and check again.',
      );
    const differences = input.differences.map((d) => ({ about: d.about, text: d.text.trim() }));
    const blank = differences.flatMap((d, i) =>
      d.text === '' ? [{ path: `/differences/${i}/text`, message: 'say what differs' }] : [],
    );
    if (blank.length) throw new AppError('validation_failed', 'A difference is blank.', blank);
    const confirmation = {
      id: newId(),
      org_id: open.link.org_id,
      engagement_id: open.link.engagement_id,
      link_id: open.link.id,
      contact_id: open.link.contact_id,
      differences: JSON.stringify(differences.map((d) => ({ ...d, question_id: null, handoff_id: null }))),
      shown_sha256: sha256,
      confirmed_at: now.toISOString(),
    };
    await trx.insertInto('portal_confirmations').values(confirmation).execute();
    await trx
      .updateTable('portal_links')
      .set({ used_at: now.toISOString() })
      .where('id', '=', open.link.id)
      .execute();
    await publish(trx, {
      type: 'portal.confirmed',
      orgId: open.link.org_id,
      actor: { type: 'system', id: null },
      at: now,
      link: open.link,
      confirmation,
      contactName: open.contact.name,
      differences,
    });
    return {
      at: confirmation.confirmed_at,
      sha256,
      message: differences.length
        ? `Thank you. Your ${differences.length === 1 ? 'note goes' : `${differences.length} notes go`} to the team, who will come back to you.`
        : 'Thank you for confirming.',
    };
  });
}

/**
 * Notes on a confirmation where each of its differences went: the question asked on a handoff, or
 * none (kept on the engagement, listed for the team). Called by the composition root's subscriber
 * of `portal.confirmed`, in its transaction.
 */
export async function noteDifferenceQuestions(
  trx: Tx,
  confirmation: { id: string; org_id: string; differences: string },
  asked: readonly ({ questionId: string; handoffId: string } | null)[],
): Promise<void> {
  const differences = (JSON.parse(confirmation.differences) as Record<string, unknown>[]).map((d, i) => ({
    ...d,
    question_id: asked[i]?.questionId ?? null,
    handoff_id: asked[i]?.handoffId ?? null,
  }));
  await trx
    .updateTable('portal_confirmations')
    .set({ differences: JSON.stringify(differences) })
    .where('org_id', '=', confirmation.org_id)
    .where('id', '=', confirmation.id)
    .execute();
}
