import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { genericVoiceCall, SAMPLE } from '../../test/factories/interactions.ts';
import { makeWav } from '../../test/factories/wav.ts';
import { describeEachDialect, TEST_DATABASE_URL } from '../../test/harness/test-vigil.ts';
import { listPayloads, loadPayload, loadTolerant, readPayload } from './adapters/adapters.test-support.ts';
import { detectAndParse } from './adapters/index.ts';

/** Secrets fed in, as they would appear if anything kept them in the clear. */
const SECRETS = [
  SAMPLE.pan,
  '4111 1111 1111 1111',
  '5555555555554444',
  SAMPLE.ssn,
  '219099999',
  SAMPLE.email,
  "It's 737",
  'security code 737',
];

function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesBelow(full) : [full];
  });
}

describeEachDialect('interactions at rest', (get) => {
  it('ingests every sample payload of every platform end to end', async () => {
    const { vigil } = get();
    const tenant = await vigil.tenancy.create({ slug: 'all-payloads', name: 'Payloads' });
    let ingested = 0;
    for (const folder of ['amazon-connect', 'amazon-transcribe', 'chatwoot', 'email']) {
      for (const file of listPayloads(folder)) {
        const payload = file.endsWith('.eml')
          ? readPayload(file)
          : file.endsWith('.jsonc')
            ? loadTolerant(file).value
            : loadPayload(file);
        let parsed: Awaited<ReturnType<typeof detectAndParse>>;
        try {
          parsed = await detectAndParse(payload, { receivedAtMs: vigil.clock.now(), sourceId: file });
        } catch (error) {
          // Documentation excerpts that elide required fields are refused with a clear error, never a crash.
          expect((error as { code?: string }).code, file).toMatch(/^PAYLOAD_|^INTERACTION_/);
          continue;
        }
        const results = await vigil.interactions.ingest.ingest(
          { tenantId: tenant.id, actor: { type: 'system', id: 'payload-test' } },
          parsed.interactions,
        );
        ingested += results.length;
      }
    }
    expect(ingested).toBeGreaterThanOrEqual(20);
  });

  it('leaves no card number, security code, SSN or email in the clear: database, WAL, dump, logs, recordings', async () => {
    const t = get();
    const { vigil } = t;
    const tenant = await vigil.tenancy.create({ slug: 'leak-check', name: 'Leak' });
    const ctx = { tenantId: tenant.id, actor: { type: 'system' as const, id: 'leak-test' } };
    const payloads = [
      genericVoiceCall('leak-1'),
      genericVoiceCall('leak-2', {
        texts: ['hello', `my social is ${SAMPLE.ssn} and the card is 5555 5555 5555 4444, security code 737`],
      }),
      genericVoiceCall('leak-3', {
        texts: ['hi', `card ${SAMPLE.spokenPan}`, 'go on', SAMPLE.spokenPanRest],
      }),
    ];
    const ids: string[] = [];
    for (const p of payloads) {
      const { interactions } = await vigil.interactions.parser.parse('generic', p, {
        receivedAtMs: vigil.clock.now(),
      });
      ids.push(...(await vigil.interactions.ingest.ingest(ctx, interactions)).map((r) => r.id));
    }
    const readCtx = {
      ...ctx,
      actor: { type: 'user' as const, id: 'leak-reader' },
      scope: { all: true as const },
      fields: {},
    };
    await vigil.interactions.recordings.upload(
      readCtx,
      ids[0]!,
      makeWav({ marker: 'PLAINTEXT-AUDIO-MARKER' }),
    );
    const texts: [string, string][] = [['logs', t.logs.text()]];
    if (t.dialect === 'sqlite') {
      for (const file of ['vigil.db', 'vigil.db-wal']) {
        const full = path.join(t.dataDir, file);
        if (existsSync(full)) texts.push([file, readFileSync(full).toString('latin1')]);
      }
    } else {
      const dump = execFileSync('pg_dump', ['--data-only', '-n', t.schema!, TEST_DATABASE_URL], {
        maxBuffer: 256 * 1024 * 1024,
      });
      texts.push(['pg_dump', dump.toString('latin1')]);
    }
    const recordings = filesBelow(path.join(t.dataDir, 'recordings'));
    expect(recordings.length).toBe(1);
    for (const file of recordings) {
      const bytes = readFileSync(file).toString('latin1');
      expect(bytes).not.toContain('PLAINTEXT-AUDIO-MARKER');
      expect(bytes).not.toContain('RIFF');
      texts.push([file, bytes]);
    }
    for (const [where, text] of texts) {
      for (const secret of SECRETS) expect(text.includes(secret), `${secret} found in ${where}`).toBe(false);
    }
  });
});
