import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeEachDialect, testEnv } from '../../test/harness/test-vigil.ts';
import type { Vigil } from '../main.ts';

const CHILD = fileURLToPath(new URL('./key-rotation.crash-child.ts', import.meta.url));

/** Runs the re-wrap job in another process and SIGKILLs it after its first committed batch. */
function runAndKill(env: Record<string, string>, schema: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, schema ?? ''], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('batch ')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(out) : reject(new Error(`child was not killed: ${out} ${err}`)),
    );
  });
}

const pendingRewrap = async (vigil: Vigil, tenantId: string) =>
  (await vigil.keys.keysStatus({ tenantId })).tenants[0]!.domains.find((d) => d.domain === 'data')!
    .pendingRewrap;

describeEachDialect('key re-wrap crash', (get) => {
  it('loses nothing when the process is killed mid-job, and the next run finishes it', async () => {
    const { vigil, clock, config, dialect, dataDir, schema } = get();
    const tenant = await vigil.tenancy.create({ slug: 'crash-rewrap', name: 'Crash' });
    const db = vigil.storage.db;
    const values: { rowId: string; ciphertext: Buffer }[] = [];
    for (let i = 0; i < 150; i++) {
      const rowId = `r-${i}`;
      const ciphertext = await vigil.keys.encryptField(db, {
        tenantId: tenant.id,
        subjectId: `s-${i}`,
        table: 'customers',
        column: 'email',
        rowId,
        plaintext: `person${i}@example.com`,
      });
      values.push({ rowId, ciphertext });
    }
    await vigil.keys.rotateTenantKek({
      tenantId: tenant.id,
      domains: ['data'],
      actor: { type: 'system', id: 'test' },
    });
    expect(await pendingRewrap(vigil, tenant.id)).toBe(150);

    const env = testEnv(dialect, dataDir, {
      VIGIL_MASTER_KEY: config.keys.masterKey!,
      VIGIL_LOG_LEVEL: 'silent',
    });
    const out = await runAndKill(env, schema);
    expect(out).not.toContain('done');
    const afterCrash = await pendingRewrap(vigil, tenant.id);
    expect(afterCrash).toBeGreaterThan(0);
    expect(afterCrash).toBeLessThan(150);
    // Every key is either fully old or fully new: all data reads, through either KEK version.
    clock.advance(10 * 60_000);
    for (const [i, v] of values.entries()) {
      const plain = await vigil.keys.decryptField(db, {
        tenantId: tenant.id,
        table: 'customers',
        column: 'email',
        rowId: v.rowId,
        ciphertext: v.ciphertext,
      });
      expect(plain.toString()).toBe(`person${i}@example.com`);
    }
    const resumed = await vigil.keys.rewrapKeys({ now: clock.now(), signal: new AbortController().signal });
    expect(resumed.dataKeysRewrapped).toBe(afterCrash);
    expect(await pendingRewrap(vigil, tenant.id)).toBe(0);
  }, 60_000);
});
