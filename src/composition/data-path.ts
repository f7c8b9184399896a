import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { AccessModule } from '../access/index.ts';
import type { AuditRecorder } from '../audit/index.ts';
import type { VigilConfig } from '../config/index.ts';
import type { Keyring } from '../crypto/index.ts';
import { createIntegrationsService } from '../integrations/index.ts';
import { createInteractionsModule, type FieldCipher, type ReadContext } from '../interactions/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { IdGenerator } from '../shared/ids.ts';
import type { Principal } from '../shared/principal.ts';
import type { Storage } from '../storage/index.ts';
import { createSubjectsService } from '../subjects/index.ts';
import type { VaultService } from '../vault/index.ts';

export interface DataPathDeps {
  config: Readonly<VigilConfig>;
  storage: Pick<Storage, 'db' | 'dialect'>;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditRecorder;
  keys: Keyring;
  vault: VaultService;
}

/** The keyring seen through the narrow port the data features use. */
function fieldCipher(keys: Keyring): FieldCipher {
  return {
    encrypt: (db, input) => keys.encryptField(db as never, input),
    decrypt: (db, input) => keys.decryptField(db as never, input),
    loadSubjectKeys: (db, tenantId, subjectIds) => keys.loadSubjectKeys(db as never, tenantId, subjectIds),
  };
}

/** Subjects, integrations and interactions: the main data path, wired to the keyring and the vault. */
export function createDataPath(deps: DataPathDeps) {
  const cipher = fieldCipher(deps.keys);
  const subjects = createSubjectsService({
    clock: deps.clock,
    ids: deps.ids,
    blindIndex: (db, tenantId, kind, value) => deps.keys.blindIndex(db as never, { tenantId, kind, value }),
  });
  const integrations = createIntegrationsService({
    storage: deps.storage,
    clock: deps.clock,
    audit: deps.audit,
    cipher,
  });
  const interactions = createInteractionsModule({
    storage: deps.storage,
    clock: deps.clock,
    ids: deps.ids,
    audit: deps.audit,
    subjects,
    cipher,
    vault: {
      tokenize: (trx, input) => deps.vault.tokenize(trx as never, input),
      tokenizeMany: (trx, input) => deps.vault.tokenizeMany(trx as never, input),
    },
    recordingsDir: path.join(deps.config.storage.dataDir, 'recordings'),
    ...(deps.config.server.publicUrl ? { publicUrl: deps.config.server.publicUrl } : {}),
    twilioAuthToken: (tenantId) => integrations.secret(tenantId, 'twilio'),
  });
  return { cipher, subjects, integrations, interactions };
}

export type DataPath = ReturnType<typeof createDataPath>;

const QA_SAMPLE_PERCENT = 10;

/**
 * What a reader may see of interactions, from the access layer: the reach of their
 * `interactions.read` grant (tenant, own, team queues, QA sample) and each field's visibility.
 * API keys and jobs act tenant-wide (the gate already decided they may call the route).
 */
export async function readContextOf(access: AccessModule, request: FastifyRequest): Promise<ReadContext> {
  const principal = request.principal as Principal;
  const userAgent = request.headers['user-agent'];
  const base = {
    tenantId: principal.tenantId,
    actor: { type: principal.kind, id: principal.id, name: principal.displayName },
    origin: { ip: request.ip, ...(typeof userAgent === 'string' ? { userAgent } : {}) },
    requestId: request.id,
  };
  if (principal.kind !== 'user') {
    return {
      ...base,
      scope: { all: true },
      fields: {
        'customer.name': 'masked',
        'customer.phone': 'masked',
        'customer.email': 'masked',
        'customer.address': 'masked',
      },
    };
  }
  const [scope, fields] = await Promise.all([
    access.scopeFor(principal, 'interactions.read'),
    access.fieldsFor(principal),
  ]);
  return {
    ...base,
    scope: scope.tenant
      ? { all: true }
      : {
          all: false,
          agentRefs: scope.own ? [principal.id] : [],
          queues: scope.queues,
          samplePercent: scope.sampled ? QA_SAMPLE_PERCENT : 0,
        },
    fields,
  };
}
