import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/test-vigil.ts';
import { newTenant, recordEvents } from '../audit.test-support.ts';
import { RsyslogServer } from './export.test-support.ts';

const seqOf = (line: string) => Number(/ seq="(\d+)"/.exec(line)?.[1]);

// Delivery to a real rsyslogd over TCP and over TLS (octet-counted RFC 5424), including an outage.
describeEachDialect('audit export to rsyslog', (get) => {
  let plain: RsyslogServer;
  let secure: RsyslogServer;
  beforeAll(async () => {
    [plain, secure] = await Promise.all([
      RsyslogServer.start({ tls: false }),
      RsyslogServer.start({ tls: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.destroy(), secure?.destroy()]);
  });

  const deliver = () => {
    const job = get().vigil.audit.jobs.find((j) => j.name === 'audit.deliver')!;
    return job.run({ now: get().clock.now(), signal: new AbortController().signal });
  };

  it('delivers RFC 5424 messages over TCP that rsyslog parses, OCSF JSON as the message', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'syslog-tcp');
    await recordEvents(vigil, tenantId, 6);
    await vigil.audit.sinks.add(
      tenantId,
      { kind: 'syslog', name: 'siem', host: '127.0.0.1', port: plain.port, tls: false },
      { type: 'user', id: 'admin' },
    );
    await deliver();
    expect((await vigil.audit.sinks.list(tenantId))[0]).toMatchObject({ failures: 0, cursor: 6 });
    const lines = await plain.waitForLines(7, tenantId);
    expect(lines.map(seqOf)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const [msgId, sd, ...rest] = lines[0]!.split('|');
    expect(msgId).toBe('vault.detokenize');
    expect(sd).toContain(`[vigil@32473 tenant="${tenantId}" seq="0"`);
    const ocsf = JSON.parse(rest.join('|').replace(/^\uFEFF/, ''));
    expect(ocsf).toMatchObject({
      class_uid: 6003,
      activity_id: 2,
      metadata: { sequence: 0, tenant_uid: tenantId },
    });
    expect(lines.join('\n')).not.toContain('caller0@example.com');
  });

  it('delivers over TLS with the receiver certificate checked', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'syslog-tls');
    await recordEvents(vigil, tenantId, 3);
    await vigil.audit.sinks.add(
      tenantId,
      {
        kind: 'syslog',
        name: 'siem-tls',
        host: '127.0.0.1',
        serverName: 'localhost',
        port: secure.port,
        tls: true,
        caPem: secure.caPem!,
      },
      { type: 'user', id: 'admin' },
    );
    await deliver();
    expect((await vigil.audit.sinks.list(tenantId))[0]).toMatchObject({ failures: 0, cursor: 3 });
    // The sink's own creation is event 0 of this tenant's log, followed by the three recorded.
    const lines = await secure.waitForLines(4, tenantId);
    expect(lines.map(seqOf)).toEqual([0, 1, 2, 3]);
  });

  it('refuses a TLS receiver whose certificate it cannot verify, and delivers nothing', async () => {
    const { vigil } = get();
    const tenantId = await newTenant(vigil, 'syslog-badca');
    await recordEvents(vigil, tenantId, 2);
    await vigil.audit.sinks.add(
      tenantId,
      {
        kind: 'syslog',
        name: 'untrusted',
        host: '127.0.0.1',
        serverName: 'localhost',
        port: secure.port,
        tls: true,
      },
      { type: 'user', id: 'admin' },
    );
    await deliver();
    const [sink] = await vigil.audit.sinks.list(tenantId);
    expect(sink).toMatchObject({ cursor: -1, failures: 1 });
    expect(sink!.lastError).toMatch(/connection failed/);
  });

  it('loses nothing across a receiver outage and catches up', async () => {
    const { vigil, clock } = get();
    const tenantId = await newTenant(vigil, 'syslog-outage');
    await vigil.audit.sinks.add(
      tenantId,
      { kind: 'syslog', name: 'siem', host: '127.0.0.1', port: plain.port, tls: false },
      { type: 'user', id: 'admin' },
    );
    await recordEvents(vigil, tenantId, 4);
    await deliver();
    await plain.stop();
    await recordEvents(vigil, tenantId, 5, 4);
    await deliver();
    const [down] = await vigil.audit.sinks.list(tenantId);
    expect(down).toMatchObject({ cursor: 4, failures: 1 });
    await plain.resume();
    clock.advance(60_000);
    await deliver();
    expect((await vigil.audit.sinks.list(tenantId))[0]).toMatchObject({
      cursor: 9,
      failures: 0,
      lastError: null,
    });
    const received = (await plain.waitForLines(10, tenantId)).map(seqOf);
    expect(new Set(received)).toEqual(new Set(Array.from({ length: 10 }, (_, i) => i)));
  });
});
