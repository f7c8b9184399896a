import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { genericVoiceCall, SAMPLE } from '../../test/factories/interactions.ts';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import {
  type AccessStack,
  buildAccessStack,
  createActiveUser,
  signIn,
} from '../access/access.test-support.ts';
import { buildHttpApp } from '../main.ts';
import { computeTwilioSignature } from './adapters/index.ts';

describeEachDialect('interactions API', (get) => {
  let app: FastifyInstance;
  let stack: AccessStack;
  let ingestKey: string;
  const bearer = () => ({ authorization: `Bearer ${ingestKey}` });
  const countRows = async () =>
    Number(
      (
        await get()
          .vigil.storage.db.selectFrom('interactions')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('tenant_id', '=', stack.tenantId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    app = await buildHttpApp(get().vigil);
    stack = await buildAccessStack(get());
    ingestKey = (
      await get().vigil.identity.apiKeys.create(stack.operator, { name: 'connect', scopes: ['ingest'] })
    ).secret;
  });

  it('ingests through an integration key and refuses the unauthenticated and other roles', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/interactions',
      headers: bearer(),
      payload: genericVoiceCall('api-1'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0]).toMatchObject({ sourceId: 'api-1', outcome: 'created' });
    expect(res.body).not.toContain(SAMPLE.pan);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/interactions', payload: genericVoiceCall('api-x') }))
        .statusCode,
    ).toBe(401);
    const agent = await createActiveUser(stack, { name: 'Agent Ann', roles: ['agent'] });
    const session = await signIn(get(), stack, agent);
    // Ingest routes authenticate integration keys only: a user's session is not accepted there.
    const denied = await app.inject({
      method: 'POST',
      url: '/api/v1/interactions',
      headers: session.headers(true),
      payload: genericVoiceCall('api-y'),
    });
    expect(denied.statusCode).toBe(401);
  });

  it('refuses a malformed payload with the path named and writes nothing', async () => {
    const before = await countRows();
    const bad = genericVoiceCall('api-bad') as Record<string, unknown>;
    bad['channel'] = 'carrier-pigeon';
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/interactions',
      headers: bearer(),
      payload: bad,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('channel');
    const truncated = await app.inject({
      method: 'POST',
      url: '/api/v1/interactions',
      headers: { ...bearer(), 'content-type': 'application/json' },
      payload: JSON.stringify(genericVoiceCall('t')).slice(0, 80),
    });
    expect(truncated.statusCode).toBe(400);
    expect(truncated.body).not.toContain('Maria');
    const batch = {
      interactions: [genericVoiceCall('api-b1'), { ...genericVoiceCall('api-b2'), segments: 'not a list' }],
    };
    const batchRes = await app.inject({
      method: 'POST',
      url: '/api/v1/interactions:batch',
      headers: bearer(),
      payload: batch,
    });
    expect(batchRes.statusCode).toBe(400);
    expect(batchRes.json().error.message).toContain('interactions[1]');
    expect(await countRows()).toBe(before);
  });

  it('ingests a batch all at once and refuses an oversized one', async () => {
    const batch = { interactions: [genericVoiceCall('api-c1'), genericVoiceCall('api-c2')] };
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/interactions:batch',
      headers: bearer(),
      payload: batch,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['created', 'created']);
    const huge = {
      interactions: Array.from({ length: 501 }, (_, i) => ({
        sourceId: `h${i}`,
        channel: 'chat',
        segments: [],
      })),
    };
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/interactions:batch',
          headers: bearer(),
          payload: huge,
        })
      ).statusCode,
    ).toBe(413);
  });

  it('takes platform webhooks: a real Chatwoot payload', async () => {
    const payload = readFileSync('../shared/payloads/chatwoot/message_created.json', 'utf8');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest/chatwoot',
      headers: { ...bearer(), 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results).toHaveLength(1);
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest/nosuch',
      headers: bearer(),
      payload: {},
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('verifies Twilio signatures with the tenant auth token', async () => {
    const params = {
      AccountSid: 'AC0123456789abcdef0123456789abcdef',
      CallSid: 'CA0123456789abcdef0123456789abcdef',
      CallStatus: 'completed',
      From: '+14165550199',
      To: '+18005550100',
      Direction: 'inbound',
      CallDuration: '42',
    };
    const form = new URLSearchParams(params).toString();
    const send = (signature: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/ingest/twilio',
        headers: {
          ...bearer(),
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signature,
        },
        payload: form,
      });
    expect((await send('x')).statusCode).toBe(403);
    const admin = await createActiveUser(stack, { name: 'Sec Admin', roles: ['security_admin'] });
    const session = await signIn(get(), stack, admin, { mfa: true });
    const token = 'twilio-auth-token-0123456789abcdef';
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/integrations/twilio/secret',
      headers: session.headers(true),
      payload: { secret: token },
    });
    expect(put.statusCode).toBe(200);
    expect(put.body).not.toContain(token);
    expect((await send('bm90IHRoZSBzaWduYXR1cmU=')).statusCode).toBe(401);
    const good = await send(
      computeTwilioSignature('http://localhost:80/api/v1/ingest/twilio', params, token),
    );
    expect(good.statusCode).toBe(200);
    expect(good.json().results[0].outcome).toBe('created');
  });

  it('serves the redacted view to a reader in scope, and reveal only with step-up and a reason', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/interactions',
      headers: bearer(),
      payload: genericVoiceCall('api-view'),
    });
    const id = created.json().results[0].id as string;
    const supervisor = await createActiveUser(stack, { name: 'Sue Pervisor', roles: ['supervisor'] });
    const noMfa = await signIn(get(), stack, supervisor);
    // A supervisor sees their teams' queues only: not yet on a team, the interaction does not exist for them.
    expect(
      (await app.inject({ url: `/api/v1/interactions/${id}`, headers: noMfa.headers() })).statusCode,
    ).toBe(404);
    const team = await stack.access.teams.create(stack.operator, { name: 'Billing', queues: ['billing'] });
    await stack.access.teams.setMembers(stack.operator, team.id, [{ userId: supervisor.id, lead: true }]);
    expect(
      (await app.inject({ url: `/api/v1/interactions/${id}`, headers: noMfa.headers() })).statusCode,
    ).toBe(200);
    const compliance = await createActiveUser(stack, {
      name: 'Cora Compliance',
      roles: ['compliance_officer'],
    });
    const reader = await signIn(get(), stack, compliance);
    const full = await app.inject({ url: `/api/v1/interactions/${id}`, headers: reader.headers() });
    expect(full.statusCode).toBe(200);
    expect(full.body).not.toContain(SAMPLE.pan);
    expect(full.body).not.toContain(SAMPLE.email);
    expect(full.json().segments[1].findings.some((f: { type: string }) => f.type === 'CARD_NUMBER')).toBe(
      true,
    );
    const list = await app.inject({
      url: '/api/v1/interactions?findingType=CARD_NUMBER',
      headers: reader.headers(),
    });
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(id);
    const reveal = (session: typeof reader, reason: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/interactions/${id}/reveal`,
        headers: session.headers(true),
        payload: { field: 'participants[0].email', reason },
      });
    expect((await reveal(reader, 'customer asked to confirm')).statusCode).toBe(403);
    const stepped = await signIn(get(), stack, supervisor, { mfa: true });
    expect((await reveal(stepped, 'short')).statusCode).toBe(400);
    const revealed = await reveal(stepped, 'customer asked to confirm the email on file');
    expect(revealed.statusCode).toBe(200);
    expect(revealed.json().value).toBe(SAMPLE.email);
    expect((await reveal(noMfa, 'customer asked to confirm the email on file')).statusCode).toBe(403);
    const wav = Buffer.concat([
      Buffer.from('RIFF'),
      Buffer.alloc(4),
      Buffer.from('WAVEfmt '),
      Buffer.from([16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0]),
      Buffer.from('data'),
      Buffer.from([0x80, 0x3e, 0, 0]),
      Buffer.alloc(16000, 7),
    ]);
    const upload = await app.inject({
      method: 'PUT',
      url: `/api/v1/interactions/${id}/recording`,
      headers: { ...bearer(), 'content-type': 'audio/wav' },
      payload: wav,
    });
    expect(upload.statusCode).toBe(200);
    expect(upload.json().bytes).toBe(wav.length);
    const played = await app.inject({
      url: `/api/v1/interactions/${id}/recording`,
      headers: reader.headers(),
    });
    expect(played.statusCode).toBe(200);
    expect(played.headers['content-type']).toBe('audio/wav');
    expect(played.rawPayload.subarray(0, 4).toString()).toBe('RIFF');
    const notWav = await app.inject({
      method: 'PUT',
      url: `/api/v1/interactions/${id}/recording`,
      headers: { ...bearer(), 'content-type': 'audio/wav' },
      payload: Buffer.from('not a wav file'),
    });
    expect(notWav.statusCode).toBe(400);
    const other = await buildAccessStack(get());
    const stranger = await signIn(
      get(),
      other,
      await createActiveUser(other, { name: 'Other Tenant', roles: ['compliance_officer'] }),
    );
    expect(
      (await app.inject({ url: `/api/v1/interactions/${id}`, headers: stranger.headers() })).statusCode,
    ).toBe(404);
  });
});
