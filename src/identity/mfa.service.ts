import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import QRCode from 'qrcode';
import type { DbOrTransaction } from '../audit/index.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';
import { auditActor, auditOrigin, type IdentityDeps, num, type RequestContext } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import { mfaRequiredFor } from './identity.policy.ts';
import { hmac, openSecret, sealSecret } from './identity.tokens.ts';
import type { Lockout } from './lockout.ts';
import { hasAnyFactor, loadMfaFactors } from './mfa.factors.ts';
import {
  claimTotpStep,
  countUnusedRecoveryCodes,
  deleteTotp,
  findRecoveryCode,
  findTotp,
  insertPasskey,
  markRecoveryCodeUsed,
  replaceRecoveryCodes,
  upsertPendingTotp,
} from './mfa.queries.ts';
import { matchTotpStep, newTotpSecret, totpUri } from './mfa.totp.ts';
import type { PasskeyService } from './passkeys.service.ts';
import type { PolicyService } from './policy.service.ts';
import type { SessionService } from './sessions.service.ts';
import { findUserById, updateUser } from './users.queries.ts';

export const RECOVERY_CODE_COUNT = 10;

/** A proof of a second factor: one of a TOTP code, a recovery code, or a WebAuthn assertion. */
export type MfaProof =
  | { method: 'totp'; code: string }
  | { method: 'recovery'; code: string }
  | { method: 'passkey'; response: AuthenticationResponseJSON };

type Deps = Pick<IdentityDeps, 'db' | 'clock' | 'ids' | 'audit' | 'secretKey' | 'mandatoryMfaRoles'>;

const totpContext = (tenantId: string, userId: string) => `totp:${tenantId}:${userId}`;

/** 10 characters of base32 (50 bits) shown as `xxxxx-xxxxx`. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % 32]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');

export function createMfaService(
  deps: Deps,
  services: { policies: PolicyService; sessions: SessionService; passkeys: PasskeyService; lockout: Lockout },
) {
  const { db, clock } = deps;
  const { policies, sessions, passkeys, lockout } = services;

  // Keyed hash: 50-bit codes would fall to an offline search if only SHA-256'd.
  const recoveryHash = (tenantId: string, userId: string, code: string) =>
    hmac(deps.secretKey(tenantId), `recovery:${userId}:${normalizeRecoveryCode(code)}`);

  async function issueRecoveryCodes(
    trx: DbOrTransaction,
    tenantId: string,
    userId: string,
  ): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const now = clock.now();
    await replaceRecoveryCodes(
      trx,
      tenantId,
      userId,
      codes.map((code) => ({
        tenant_id: tenantId,
        id: deps.ids.newId(),
        user_id: userId,
        code_hash: recoveryHash(tenantId, userId, code),
        used_at: null,
        created_at: now,
      })),
    );
    return codes;
  }

  async function checkProof(tenantId: string, userId: string, proof: MfaProof): Promise<boolean> {
    const now = clock.now();
    if (proof.method === 'totp') {
      const row = await findTotp(db, tenantId, userId);
      if (!row || row.confirmed_at === null) return false;
      const secret = openSecret(deps.secretKey(tenantId), row.secret_enc, totpContext(tenantId, userId));
      const step = matchTotpStep(secret, proof.code, now);
      return step !== null && (await claimTotpStep(db, tenantId, userId, step));
    }
    if (proof.method === 'recovery') {
      const row = await findRecoveryCode(db, tenantId, userId, recoveryHash(tenantId, userId, proof.code));
      return Boolean(row && row.used_at === null && (await markRecoveryCodeUsed(db, tenantId, row.id, now)));
    }
    return passkeys.verifyAssertion(tenantId, userId, proof.response);
  }

  return {
    /** Verifies a second factor for a user; failures count towards the lockout. */
    async verify(
      tenantId: string,
      userId: string,
      proof: MfaProof,
      action: string,
      context?: RequestContext,
    ) {
      const user = await findUserById(db, tenantId, userId);
      if (!user || lockout.isLocked(user) || !(await checkProof(tenantId, userId, proof))) {
        if (user) await lockout.recordFailure(user, action, `mfa_${proof.method}_rejected`, context);
        throw identityError('MFA_INVALID');
      }
      await updateUser(db, tenantId, userId, { last_mfa_at: clock.now(), failed_attempts: 0 });
      return proof.method;
    },

    /** Throws STEP_UP_REQUIRED unless the session completed MFA within the tenant's step-up window. */
    async requireRecentMfa(principal: Principal): Promise<void> {
      const policy = await policies.get(principal.tenantId);
      const at = principal.mfaVerifiedAt;
      if (at === undefined || clock.now() - at > policy.stepUpMinutes * MINUTE_MS)
        throw identityError('STEP_UP_REQUIRED');
    },

    /** Re-verifies a second factor on the current session (step-up). */
    async stepUp(principal: Principal, proof: MfaProof, context?: RequestContext): Promise<number> {
      await this.verify(principal.tenantId, principal.id, proof, 'auth.step_up', context);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await sessions.markMfaVerified(trx, principal.tenantId, principal.sessionId!, now);
        await deps.audit.record(trx, {
          tenantId: principal.tenantId,
          actor: auditActor(principal),
          action: 'auth.step_up',
          outcome: 'success',
          target: { type: 'session', id: principal.sessionId! },
          details: { method: proof.method },
          ...auditOrigin(context),
        });
      });
      return now;
    },

    /** Adding a factor when one exists needs a fresh verification, so a stolen session cannot add its own. */
    async requireStepUpIfEnrolled(principal: Principal): Promise<void> {
      if (hasAnyFactor(await loadMfaFactors(db, principal.tenantId, principal.id)))
        await this.requireRecentMfa(principal);
    },

    /** Starts TOTP enrollment: a new secret, its otpauth URI and a QR code (data URL). */
    async beginTotp(principal: Principal) {
      await this.requireStepUpIfEnrolled(principal);
      const existing = await findTotp(db, principal.tenantId, principal.id);
      if (existing && existing.confirmed_at !== null) throw identityError('MFA_ALREADY_ENROLLED');
      const user = await findUserById(db, principal.tenantId, principal.id);
      if (!user) throw identityError('USER_NOT_FOUND');
      const secret = newTotpSecret();
      await upsertPendingTotp(db, {
        tenant_id: principal.tenantId,
        user_id: principal.id,
        confirmed_at: null,
        last_used_step: null,
        secret_enc: sealSecret(
          deps.secretKey(principal.tenantId),
          secret,
          totpContext(principal.tenantId, principal.id),
        ),
        created_at: clock.now(),
      });
      const uri = totpUri(secret, user.email, 'Vigil');
      return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M' }) };
    },

    /** Confirms TOTP with a first code; returns recovery codes the first time a factor is enrolled. */
    async confirmTotp(principal: Principal, code: string, context?: RequestContext) {
      const row = await findTotp(db, principal.tenantId, principal.id);
      if (!row || row.confirmed_at !== null) throw identityError('MFA_NOT_ENROLLED');
      const secret = openSecret(
        deps.secretKey(principal.tenantId),
        row.secret_enc,
        totpContext(principal.tenantId, principal.id),
      );
      const step = matchTotpStep(secret, code, clock.now());
      if (step === null) throw identityError('MFA_INVALID');
      return this.finishEnrollment(principal, 'totp', context, (trx) =>
        claimTotpStep(trx, principal.tenantId, principal.id, step, { confirmed_at: clock.now() }).then(
          (ok) => {
            if (!ok) throw identityError('MFA_INVALID');
          },
        ),
      );
    },

    /** Common end of an enrollment: audit, recovery codes if none, session fully verified. */
    async finishEnrollment(
      principal: Principal,
      method: string,
      context: RequestContext | undefined,
      change: (trx: DbOrTransaction) => Promise<void>,
    ): Promise<{ recoveryCodes: string[] | null }> {
      const now = clock.now();
      let recoveryCodes: string[] | null = null;
      await db.transaction().execute(async (trx) => {
        await change(trx);
        if ((await countUnusedRecoveryCodes(trx, principal.tenantId, principal.id)) === 0) {
          recoveryCodes = await issueRecoveryCodes(trx, principal.tenantId, principal.id);
        }
        await updateUser(trx, principal.tenantId, principal.id, { last_mfa_at: now });
        if (principal.sessionId)
          await sessions.markMfaVerified(trx, principal.tenantId, principal.sessionId, now);
        await deps.audit.record(trx, {
          tenantId: principal.tenantId,
          actor: auditActor(principal),
          action: `auth.mfa.${method}.enroll`,
          outcome: 'success',
          target: { type: 'user', id: principal.id },
          details: { recoveryCodesIssued: recoveryCodes !== null },
          ...auditOrigin(context),
        });
      });
      return { recoveryCodes };
    },

    /** Verifies a new passkey's attestation and enrols it under a name. */
    async enrollPasskey(
      principal: Principal,
      name: string,
      response: RegistrationResponseJSON,
      context?: RequestContext,
    ) {
      await this.requireStepUpIfEnrolled(principal);
      const row = await passkeys.verifyRegistration(principal, name, response);
      const result = await this.finishEnrollment(principal, 'passkey', context, (trx) =>
        insertPasskey(trx, row),
      );
      return {
        passkey: { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: null },
        ...result,
      };
    },

    /** Removes a passkey (needs step-up; refused if it is the last required factor). */
    async removePasskey(principal: Principal, id: string, context?: RequestContext): Promise<void> {
      await this.requireRecentMfa(principal);
      const factors = await loadMfaFactors(db, principal.tenantId, principal.id);
      await this.assertNotLastFactor(principal, factors.totp || factors.passkeys > 1);
      await passkeys.remove(principal, id, context);
    },

    /** Removes the authenticator app (needs step-up; refused if it is the last required factor). */
    async removeTotp(principal: Principal, context?: RequestContext): Promise<void> {
      await this.requireRecentMfa(principal);
      const factors = await loadMfaFactors(db, principal.tenantId, principal.id);
      if (!factors.totp) throw identityError('MFA_NOT_ENROLLED');
      await this.assertNotLastFactor(principal, factors.passkeys > 0);
      await db.transaction().execute(async (trx) => {
        await deleteTotp(trx, principal.tenantId, principal.id);
        await deps.audit.record(trx, {
          tenantId: principal.tenantId,
          actor: auditActor(principal),
          action: 'auth.mfa.totp.remove',
          outcome: 'success',
          target: { type: 'user', id: principal.id },
          ...auditOrigin(context),
        });
      });
    },

    /** Refuses to remove the last factor of a user whose policy requires MFA. */
    async assertNotLastFactor(principal: Principal, othersRemain: boolean): Promise<void> {
      if (othersRemain) return;
      const policy = await policies.get(principal.tenantId);
      if (mfaRequiredFor(policy, principal.roles, deps.mandatoryMfaRoles))
        throw identityError('MFA_LAST_FACTOR');
    },

    /** New set of 10 recovery codes (the old ones stop working); shown once. */
    async regenerateRecoveryCodes(principal: Principal, context?: RequestContext): Promise<string[]> {
      await this.requireRecentMfa(principal);
      let codes: string[] = [];
      await db.transaction().execute(async (trx) => {
        codes = await issueRecoveryCodes(trx, principal.tenantId, principal.id);
        await deps.audit.record(trx, {
          tenantId: principal.tenantId,
          actor: auditActor(principal),
          action: 'auth.mfa.recovery.regenerate',
          outcome: 'success',
          target: { type: 'user', id: principal.id },
          ...auditOrigin(context),
        });
      });
      return codes;
    },

    async status(tenantId: string, userId: string) {
      const [factors, unused, user] = await Promise.all([
        loadMfaFactors(db, tenantId, userId),
        countUnusedRecoveryCodes(db, tenantId, userId),
        findUserById(db, tenantId, userId),
      ]);
      return { ...factors, recoveryCodesLeft: unused, lastMfaAt: num(user?.last_mfa_at) };
    },
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
