import type { AuditRecorder } from '../audit/index.ts';
import type { FieldCipher } from '../interactions/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Storage } from '../storage/index.ts';
import {
  deleteIntegrationSecret,
  findIntegrationSecret,
  upsertIntegrationSecret,
} from './integrations.queries.ts';

export const SIGNING_PLATFORMS = ['twilio'] as const;
export type SigningPlatform = (typeof SIGNING_PLATFORMS)[number];

export interface IntegrationsDeps {
  storage: Pick<Storage, 'db'>;
  clock: Clock;
  audit: AuditRecorder;
  cipher: FieldCipher;
}

/** Webhook signing secrets of the platforms a tenant connects; write-only through the API. */
export function createIntegrationsService(deps: IntegrationsDeps) {
  const { db } = deps.storage;
  const cache = new Map<string, { value: string | undefined; at: number }>();
  const TTL_MS = 30_000;
  return {
    async setSecret(
      tenantId: string,
      platform: SigningPlatform,
      secret: string,
      actor: { type: 'user' | 'api_key' | 'system'; id: string },
    ): Promise<void> {
      const now = deps.clock.now();
      await db.transaction().execute(async (trx) => {
        const ciphertext = await deps.cipher.encrypt(trx, {
          tenantId,
          table: 'integration_secrets',
          column: 'secret',
          rowId: platform,
          plaintext: Buffer.from(secret, 'utf8'),
        });
        await upsertIntegrationSecret(trx, {
          tenant_id: tenantId,
          platform,
          secret: ciphertext,
          updated_at: now,
          updated_by: actor.id,
        });
        await deps.audit.record(trx, {
          tenantId,
          actor,
          action: 'integrations.secret.set',
          outcome: 'success',
          target: { type: 'integration', id: platform },
        });
      });
      cache.delete(`${tenantId}:${platform}`);
    },
    async removeSecret(
      tenantId: string,
      platform: SigningPlatform,
      actor: { type: 'user' | 'api_key' | 'system'; id: string },
    ): Promise<boolean> {
      const removed = await db.transaction().execute(async (trx) => {
        const n = await deleteIntegrationSecret(trx, tenantId, platform);
        if (n > 0)
          await deps.audit.record(trx, {
            tenantId,
            actor,
            action: 'integrations.secret.remove',
            outcome: 'success',
            target: { type: 'integration', id: platform },
          });
        return n > 0;
      });
      cache.delete(`${tenantId}:${platform}`);
      return removed;
    },
    async status(
      tenantId: string,
      platform: SigningPlatform,
    ): Promise<{ configured: boolean; updatedAt: number | null }> {
      const row = await findIntegrationSecret(db, tenantId, platform);
      return { configured: Boolean(row), updatedAt: row ? Number(row.updated_at) : null };
    },
    /** The decrypted secret, cached briefly: webhooks arrive in bursts. */
    async secret(tenantId: string, platform: SigningPlatform): Promise<string | undefined> {
      const key = `${tenantId}:${platform}`;
      const cached = cache.get(key);
      if (cached && deps.clock.now() - cached.at < TTL_MS) return cached.value;
      const row = await findIntegrationSecret(db, tenantId, platform);
      const value = row
        ? (
            await deps.cipher.decrypt(db, {
              tenantId,
              table: 'integration_secrets',
              column: 'secret',
              rowId: platform,
              ciphertext: Buffer.from(row.secret),
            })
          ).toString('utf8')
        : undefined;
      cache.set(key, { value, at: deps.clock.now() });
      return value;
    },
  };
}

export type IntegrationsService = ReturnType<typeof createIntegrationsService>;
