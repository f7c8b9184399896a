import type { DbOrTransaction } from '../audit/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import { identityError } from './identity.errors.ts';
import type { ActionTokenPurpose, ActionTokensTable } from './identity.tables.ts';
import { hashToken, newToken, parseToken } from './identity.tokens.ts';
import { consumeActionToken, findActionToken, insertActionToken } from './tokens.queries.ts';

export interface IssueActionTokenInput {
  tenantId: string;
  userId: string | null;
  purpose: ActionTokenPurpose;
  ttlMs: number;
  data?: string;
  /** A secret chosen by the caller (a WebAuthn challenge) instead of a fresh `vgt_` token. */
  secret?: string;
}

/** Creates a one-time token (link, sign-in challenge) in the caller's transaction. */
export async function issueActionToken(
  trx: DbOrTransaction,
  deps: { clock: Clock; ids: IdGenerator },
  input: IssueActionTokenInput,
): Promise<{ token: string; id: string; expiresAt: number }> {
  const now = deps.clock.now();
  const token = input.secret ?? newToken('vgt', input.tenantId);
  const id = deps.ids.newId();
  await insertActionToken(trx, {
    tenant_id: input.tenantId,
    id,
    user_id: input.userId,
    purpose: input.purpose,
    token_hash: hashToken(token),
    data: input.data ?? null,
    attempts: 0,
    expires_at: now + input.ttlMs,
    used_at: null,
    created_at: now,
  });
  return { token, id, expiresAt: now + input.ttlMs };
}

/** A token that is well formed, of this purpose, unused and unexpired; otherwise LINK_INVALID. */
export async function findLiveActionToken(
  db: DbOrTransaction,
  clock: Clock,
  presented: string,
  purpose: ActionTokenPurpose,
  maxAttempts = Number.POSITIVE_INFINITY,
): Promise<ActionTokensTable> {
  const parsed = parseToken('vgt', presented);
  if (!parsed) throw identityError('LINK_INVALID');
  const row = await findActionToken(db, parsed.tenantId, hashToken(parsed.token));
  if (
    !row ||
    row.purpose !== purpose ||
    row.used_at !== null ||
    Number(row.expires_at) <= clock.now() ||
    Number(row.attempts) >= maxAttempts
  ) {
    throw identityError('LINK_INVALID');
  }
  return row;
}

/** Spends a token inside the caller's transaction; a concurrent second use fails. */
export async function spendActionToken(
  trx: DbOrTransaction,
  clock: Clock,
  row: ActionTokensTable,
): Promise<void> {
  if (!(await consumeActionToken(trx, row.tenant_id, row.id, clock.now())))
    throw identityError('LINK_INVALID');
}

/** The console page a link opens; the token travels in the fragment, never sent to a server log. */
export function consoleLink(publicUrl: string, page: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${page}#token=${token}`;
}
