import { randomBytes } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { MINUTE_MS } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';
import { issueActionToken } from './action-tokens.ts';
import { auditActor, auditOrigin, type IdentityDeps, num, type RequestContext } from './identity.context.ts';
import { identityError } from './identity.errors.ts';
import { hashToken } from './identity.tokens.ts';
import { deletePasskey, listPasskeys, updatePasskey } from './mfa.queries.ts';
import { consumeActionToken, findActionToken } from './tokens.queries.ts';
import { findUserById } from './users.queries.ts';

const CHALLENGE_TTL_MS = 5 * MINUTE_MS;

export interface Passkey {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

type Deps = Pick<IdentityDeps, 'db' | 'clock' | 'ids' | 'audit' | 'publicUrl'>;

/**
 * WebAuthn passkeys (several per user, named, removable). Challenges are stored hashed as
 * one-time tokens bound to the user, and consumed by the verification, so a signed response can
 * never be replayed; the signature counter is kept to notice cloned authenticators.
 */
export function createPasskeyService(deps: Deps) {
  const { db, clock } = deps;
  const url = new URL(deps.publicUrl);
  const rpID = url.hostname;
  const origin = url.origin;

  /** Returns the challenge as bytes: simplewebauthn base64url-encodes them into the options. */
  async function newChallenge(tenantId: string, userId: string): Promise<Uint8Array<ArrayBuffer>> {
    const challenge = randomBytes(32).toString('base64url');
    // The stored hash is of the challenge itself: that is what comes back in clientDataJSON.
    await issueActionToken(db, deps, {
      tenantId,
      userId,
      purpose: 'webauthn',
      ttlMs: CHALLENGE_TTL_MS,
      secret: challenge,
    });
    return new Uint8Array(Buffer.from(challenge, 'base64url')) as Uint8Array<ArrayBuffer>;
  }

  /** A verifier for simplewebauthn that accepts (and spends) only this user's live challenge. */
  function challengeChecker(tenantId: string, userId: string) {
    return async (challenge: string): Promise<boolean> => {
      const row = await findActionToken(db, tenantId, hashToken(challenge));
      if (row?.purpose !== 'webauthn' || row.user_id !== userId) return false;
      return consumeActionToken(db, tenantId, row.id, clock.now());
    };
  }

  return {
    rpID,
    origin,

    /** Options for navigator.credentials.create(). */
    async registrationOptions(principal: Principal) {
      const user = await findUserById(db, principal.tenantId, principal.id);
      if (!user) throw identityError('USER_NOT_FOUND');
      const existing = await listPasskeys(db, principal.tenantId, principal.id);
      return generateRegistrationOptions({
        rpName: 'Vigil',
        rpID,
        userName: user.email,
        userDisplayName: user.display_name,
        userID: Buffer.from(user.id),
        challenge: await newChallenge(principal.tenantId, principal.id),
        attestationType: 'none',
        excludeCredentials: existing.map((c) => ({ id: c.credential_id })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
        timeout: CHALLENGE_TTL_MS,
      });
    },

    /** Verifies an attestation; returns the row to store (the caller enrols it with its audit event). */
    async verifyRegistration(principal: Principal, name: string, response: RegistrationResponseJSON) {
      let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verification = await verifyRegistrationResponse({
          response,
          expectedChallenge: challengeChecker(principal.tenantId, principal.id),
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: false,
        });
      } catch {
        throw identityError('PASSKEY_REJECTED');
      }
      if (!verification.verified) throw identityError('PASSKEY_REJECTED');
      const { credential } = verification.registrationInfo;
      return {
        tenant_id: principal.tenantId,
        id: deps.ids.newId(),
        user_id: principal.id,
        credential_id: credential.id,
        public_key: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ? JSON.stringify(credential.transports) : null,
        name: name.trim().slice(0, 100),
        created_at: clock.now(),
        last_used_at: null,
      };
    },

    async list(tenantId: string, userId: string): Promise<Passkey[]> {
      const rows = await listPasskeys(db, tenantId, userId);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        createdAt: Number(r.created_at),
        lastUsedAt: num(r.last_used_at),
      }));
    },

    async remove(principal: Principal, id: string, context?: RequestContext): Promise<void> {
      await db.transaction().execute(async (trx) => {
        if ((await deletePasskey(trx, principal.tenantId, principal.id, id)) === 0)
          throw identityError('PASSKEY_NOT_FOUND');
        await deps.audit.record(trx, {
          tenantId: principal.tenantId,
          actor: auditActor(principal),
          action: 'auth.mfa.passkey.remove',
          outcome: 'success',
          target: { type: 'passkey', id },
          ...auditOrigin(context),
        });
      });
    },

    /** Options for navigator.credentials.get(), limited to the user's own passkeys. */
    async authenticationOptions(tenantId: string, userId: string) {
      const existing = await listPasskeys(db, tenantId, userId);
      if (existing.length === 0) return null;
      return generateAuthenticationOptions({
        rpID,
        challenge: await newChallenge(tenantId, userId),
        allowCredentials: existing.map((c) => ({
          id: c.credential_id,
          ...(c.transports ? { transports: JSON.parse(c.transports) as string[] } : {}),
        })),
        userVerification: 'preferred',
        timeout: CHALLENGE_TTL_MS,
      });
    },

    /** Verifies an assertion by one of the user's passkeys; false on any mismatch. */
    async verifyAssertion(
      tenantId: string,
      userId: string,
      response: AuthenticationResponseJSON,
    ): Promise<boolean> {
      const stored = (await listPasskeys(db, tenantId, userId)).find((c) => c.credential_id === response.id);
      if (!stored) return false;
      try {
        const result = await verifyAuthenticationResponse({
          response,
          expectedChallenge: challengeChecker(tenantId, userId),
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: false,
          credential: {
            id: stored.credential_id,
            publicKey: new Uint8Array(stored.public_key),
            counter: Number(stored.counter),
          },
        });
        if (!result.verified) return false;
        await updatePasskey(db, tenantId, stored.id, {
          counter: result.authenticationInfo.newCounter,
          last_used_at: clock.now(),
        });
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type PasskeyService = ReturnType<typeof createPasskeyService>;
