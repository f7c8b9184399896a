import { randomBytes } from 'node:crypto';
import { genericVoiceCall } from '../../test/factories/interactions.ts';
import type { Vigil } from '../main.ts';
import { type Caller, systemCaller } from './retention.caller.ts';

/** Shared helpers of the retention tests: tenants, customers' interactions, recordings. */
export const operator = (tenantId: string): Caller =>
  systemCaller(tenantId, 'test-operator', 'retention test operator');

export async function newTenant(vigil: Vigil, prefix = 'ret'): Promise<string> {
  return (
    await vigil.tenancy.create({
      slug: `${prefix}-${randomBytes(5).toString('hex')}`,
      name: 'Retention test',
    })
  ).id;
}

/** A distinct customer phone number per index, so each index is its own data subject. */
export const phoneOf = (n: number) => `+1 416 555 ${String(1000 + n).slice(-4)}`;
export const emailOf = (n: number) => `customer.${n}@example.com`;

/** Ingests one generic interaction of a customer through the real pipeline; returns its id. */
export async function ingestCall(
  vigil: Vigil,
  tenantId: string,
  sourceId: string,
  options: {
    customer?: number;
    channel?: 'voice' | 'chat' | 'email' | 'sms';
    queue?: string;
    texts?: string[];
  } = {},
): Promise<string> {
  const customer = options.customer ?? 1;
  const payload = {
    ...genericVoiceCall(sourceId, {
      phone: phoneOf(customer),
      email: emailOf(customer),
      ...(options.queue ? { queue: options.queue } : {}),
      ...(options.texts ? { texts: options.texts } : {}),
    }),
    channel: options.channel ?? 'voice',
  };
  const { interactions } = await vigil.interactions.parser.parse('generic', payload, {
    receivedAtMs: vigil.clock.now(),
  });
  const [result] = await vigil.interactions.ingest.ingest(
    { tenantId, actor: { type: 'system', id: 'test-ingest' } },
    interactions,
  );
  return result!.id;
}

/** A one-second 8 kHz PCM WAV file. */
export function wavFile(seconds = 1): Buffer {
  const data = Buffer.alloc(8000 * seconds * 2);
  for (let i = 0; i < 8000 * seconds; i++)
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 300 * i) / 8000) * 9000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export async function attachRecording(vigil: Vigil, tenantId: string, interactionId: string): Promise<void> {
  await vigil.interactions.recordings.upload(
    { tenantId, actor: { type: 'system', id: 'test-recorder' }, scope: { all: true }, fields: {} },
    interactionId,
    wavFile(),
  );
}

export async function interactionIds(vigil: Vigil, tenantId: string): Promise<string[]> {
  const rows = await vigil.storage.db
    .selectFrom('interactions')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function subjectOf(vigil: Vigil, tenantId: string, interactionId: string): Promise<string> {
  const row = await vigil.storage.db
    .selectFrom('interactions')
    .select('subject_id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', interactionId)
    .executeTakeFirstOrThrow();
  return row.subject_id!;
}

/** Every id a set of certificates says it destroyed, per category and action. */
export async function certifiedIds(
  vigil: Vigil,
  tenantId: string,
  originId: string,
): Promise<Record<string, string[]>> {
  const rows = await vigil.storage.db
    .selectFrom('retention_certificates')
    .select('document')
    .where('tenant_id', '=', tenantId)
    .where('origin_id', '=', originId)
    .orderBy('sequence')
    .execute();
  const out: Record<string, string[]> = {};
  for (const row of rows) {
    const doc = JSON.parse(row.document) as {
      destroyed: { category: string; action: string; ids: string[] }[];
    };
    for (const d of doc.destroyed) {
      const key = `${d.category}.${d.action}`;
      out[key] = [...(out[key] ?? []), ...d.ids];
    }
  }
  for (const key of Object.keys(out)) out[key]!.sort();
  return out;
}
