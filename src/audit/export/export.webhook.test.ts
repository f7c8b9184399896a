import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/test-vigil.ts';
import { newTenant, recordEvents } from '../audit.test-support.ts';
import { verifyCheckpoint } from '../checkpoint/index.ts';
import {
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './export.webhook-signature.ts';

const SECRET = 'whsec-0123456789abcdef0123456789abcdef';

interface Received {
  path: string;
  body: string;
  signed: boolean;
  delivery: string;
}

// A receiver on loopback that checks every signature and can be told to fail (an outage).
describeEachDialect('audit export to signed webhooks and files', (get) => {
  let server: Server;
  let base = '';
  const received: Received[] = [];
  let outage = false;
  beforeAll(async () => {
    server = createServer(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      if (outage) {
        response.writeHead(503).end();
        return;
      }
      const signed = verifyWebhookSignature({
        secret: Buffer.from(SECRET),
        timestamp: request.headers[WEBHOOK_TIMESTAMP_HEADER] as string | undefined,
        signature: request.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined,
        body,
        nowSeconds: Math.floor(get().clock.now() / 1000),
      });
      received.push({
        path: request.url ?? '',
        body,
        signed,
        delivery: String(request.headers['x-vigil-delivery']),
      });
      response.writeHead(signed ? 204 : 401).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const deliver = () =>
    get()
      .vigil.audit.jobs.find((j) => j.name === 'audit.deliver')!
      .run({ now: get().clock.now(), signal: new AbortController().signal });
  const linesFor = (hookPath: string) =>
    received
      .filter((r) => r.path === hookPath)
      .flatMap((r) =>
        r.body
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
      );

  it('posts OCSF NDJSON signed with HMAC-SHA-256 over timestamp and body', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'hook-ocsf');
    await recordEvents(vigil, tenantId, 3);
    const hook = `/hook/${tenantId}`;
    await vigil.audit.sinks.add(
      tenantId,
      { kind: 'webhook', name: 'siem', url: `${base}${hook}`, secret: SECRET },
      { type: 'user', id: 'admin' },
    );
    await deliver();
    const deliveries = received.filter((r) => r.path === hook);
    expect(deliveries.every((r) => r.signed)).toBe(true);
    const events = linesFor(hook);
    expect(events.map((e) => e.metadata.sequence)).toEqual([0, 1, 2, 3]);
    expect(events[1]).toMatchObject({
      class_uid: 3002,
      activity_id: 1,
      user: { uid: 'user-1' },
      status_id: 1,
    });
    const stored = await vigil.storage.db
      .selectFrom('audit_sinks')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(stored.wrapped_secret!).toString('latin1')).not.toContain(SECRET);
    expect(stored.settings).not.toContain(SECRET);
    expect(get().logs.text()).not.toContain(SECRET);
  });

  it('keeps its cursor through an outage, backs off, then catches up without loss', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil, 'hook-outage');
    const hook = `/outage/${tenantId}`;
    await vigil.audit.sinks.add(
      tenantId,
      { kind: 'webhook', name: 'siem', url: `${base}${hook}`, secret: SECRET },
      { type: 'user', id: 'admin' },
    );
    await recordEvents(vigil, tenantId, 2);
    outage = true;
    try {
      await deliver();
      await recordEvents(vigil, tenantId, 3, 2);
      const [down] = await vigil.audit.sinks.list(tenantId);
      expect(down).toMatchObject({ cursor: -1, failures: 1, lastError: 'receiver answered HTTP 503' });
      await deliver();
      expect((await vigil.audit.sinks.list(tenantId))[0]!.failures).toBe(1);
    } finally {
      outage = false;
    }
    clock.advance(60_000);
    await deliver();
    expect((await vigil.audit.sinks.list(tenantId))[0]).toMatchObject({ cursor: 5, failures: 0 });
    expect(linesFor(hook).map((e) => e.metadata.sequence)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('publishes each signed checkpoint to a checkpoint webhook and to an NDJSON file', async () => {
    const { vigil, dataDir } = get();
    const tenantId = await newTenant(vigil, 'hook-cp');
    const hook = `/checkpoints/${tenantId}`;
    const file = path.join(dataDir, `checkpoints-${tenantId}.ndjson`);
    const admin = { type: 'user' as const, id: 'admin' };
    await vigil.audit.sinks.add(
      tenantId,
      { kind: 'webhook', name: 'witness', stream: 'checkpoints', url: `${base}${hook}`, secret: SECRET },
      admin,
    );
    await vigil.audit.sinks.add(
      tenantId,
      { kind: 'file', name: 'archive', stream: 'checkpoints', path: file },
      admin,
    );
    await recordEvents(vigil, tenantId, 2);
    await vigil.audit.checkpoints.create(tenantId, 'schedule');
    await recordEvents(vigil, tenantId, 2, 2);
    await vigil.audit.checkpoints.create(tenantId, 'schedule');
    await deliver();
    const keys = await vigil.audit.verifierKeys();
    const posted = linesFor(hook);
    expect(posted.map((c) => c.treeSize)).toEqual([4, 6]);
    expect(posted.every((c) => verifyCheckpoint(c.note, keys).ok)).toBe(true);
    const archived = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(archived.map((c) => c.treeSize)).toEqual([4, 6]);
  });

  it('refuses sink settings it cannot use, naming the field and never the secret', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'hook-invalid');
    const admin = { type: 'user' as const, id: 'admin' };
    await expect(
      vigil.audit.sinks.add(
        tenantId,
        { kind: 'webhook', name: 'x', url: 'http://siem.example.com/in', secret: SECRET },
        admin,
      ),
    ).rejects.toMatchObject({ code: 'AUDIT_SINK_INVALID', message: expect.stringContaining('url') });
    const short = vigil.audit.sinks.add(
      tenantId,
      { kind: 'webhook', name: 'y', url: 'https://siem.example.com/in', secret: 'short-secret-value' },
      admin,
    );
    await expect(short).rejects.toMatchObject({ message: expect.not.stringContaining('short-secret-value') });
    await expect(
      vigil.audit.sinks.add(tenantId, { kind: 'file', name: 'z', path: 'relative/file' }, admin),
    ).rejects.toMatchObject({ code: 'AUDIT_SINK_INVALID' });
  });
});
