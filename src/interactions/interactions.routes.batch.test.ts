import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { genericVoiceCall, SAMPLE } from '../../test/factories/interactions.ts';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { type AccessStack, buildAccessStack } from '../access/access.test-support.ts';
import { buildHttpApp } from '../main.ts';

// Large API batches are parsed and redacted on a worker thread: the same answers as on the main thread.
describeEachDialect('interactions API, large batches', (get) => {
  let app: FastifyInstance;
  let stack: AccessStack;
  let ingestKey: string;
  const post = (interactions: unknown[]) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/interactions:batch',
      headers: { authorization: `Bearer ${ingestKey}` },
      payload: { interactions },
    });
  const countRows = async () =>
    (
      await get()
        .vigil.storage.db.selectFrom('interactions')
        .select('id')
        .where('tenant_id', '=', stack.tenantId)
        .execute()
    ).length;

  beforeAll(async () => {
    app = await buildHttpApp(get().vigil);
    stack = await buildAccessStack(get());
    ingestKey = (
      await get().vigil.identity.apiKeys.create(stack.operator, { name: 'bulk', scopes: ['ingest'] })
    ).secret;
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a large batch with one bad item whole, with the message a small batch gets', async () => {
    const bad = { ...genericVoiceCall('big-bad'), segments: 'not a list' };
    const small = await post([genericVoiceCall('small-1'), bad]);
    const large = await post([
      genericVoiceCall('big-0'),
      bad,
      ...Array.from({ length: 38 }, (_, i) => genericVoiceCall(`big-${i + 2}`)),
    ]);
    expect(small.statusCode).toBe(400);
    expect(large.statusCode).toBe(400);
    expect(large.json().error).toMatchObject({
      code: small.json().error.code,
      message: small.json().error.message,
    });
    expect(large.json().error.message).toContain('interactions[1]');
    expect(await countRows()).toBe(0);
  });

  it('stores a large batch redacted and tokenized, all at once', async () => {
    const items = Array.from({ length: 40 }, (_, i) =>
      genericVoiceCall(`bulk-${i}`, { email: `bulk${i}@example.com` }),
    );
    const res = await post(items);
    expect(res.statusCode).toBe(200);
    const results = res.json().results as {
      sourceId: string;
      outcome: string;
      findings: Record<string, number>;
    }[];
    expect(results.map((r) => r.sourceId)).toEqual(items.map((i) => i.sourceId));
    expect(results.every((r) => r.outcome === 'created' && r.findings['CARD_NUMBER'] === 1)).toBe(true);
    expect(res.body).not.toContain(SAMPLE.pan);
    const again = await post(items);
    expect((again.json().results as { outcome: string }[]).every((r) => r.outcome === 'unchanged')).toBe(
      true,
    );
    expect(await countRows()).toBe(40);
  });
});
