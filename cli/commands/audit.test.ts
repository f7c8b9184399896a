import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/vigil.js');
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-audit-cli-'));
const env = { VIGIL_DATA_DIR: path.join(dir, 'data') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vigil(...args: string[]) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...clean, ...env },
    encoding: 'utf8',
    // Each call starts Node and tsx: generous, so a loaded CI machine does not kill one midway.
    timeout: 120_000,
  });
}

// The CLI on the embedded database; the services behind it are tested on both dialects.
describe('vigil audit CLI', () => {
  it('checkpoints, proves offline, refuses a changed bundle, and reports a tampered log', {
    timeout: 600_000,
  }, () => {
    expect(vigil('init').status).toBe(0);
    expect(vigil('audit', 'verify').stdout).toMatch(/: OK \(/);
    expect(vigil('audit', 'checkpoint').stdout).toMatch(/size 1 root /);
    const event = JSON.parse(vigil('audit', 'events', '--limit', '1').stdout.trim());
    expect(event.action).toBe('audit.checkpoint.create');
    vigil('audit', 'checkpoint');
    const bundle = path.join(dir, 'proof.json');
    expect(vigil('audit', 'proof', event.id, '--out', bundle).status).toBe(0);
    const checked = vigil('audit', 'verify-proof', bundle);
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(/^OK: leaf 1 is in vigil\/audit\//);
    const forged = JSON.parse(readFileSync(bundle, 'utf8'));
    forged.leafData = Buffer.from(
      Buffer.from(forged.leafData, 'base64').toString().replace('checkpoint', 'checkpoinT'),
    ).toString('base64');
    delete forged.leafHash;
    writeFileSync(bundle, JSON.stringify(forged));
    const refused = vigil('audit', 'verify-proof', bundle);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^INVALID: proof_invalid/);

    // Then someone edits the log directly: verify names the first bad event and exits 1.
    const db = new Database(path.join(env.VIGIL_DATA_DIR, 'vigil.db'));
    const row = db.prepare('select id from audit_events where seq = 0').get() as { id: string };
    db.prepare("update audit_events set outcome = 'failure' where seq = 0").run();
    db.close();
    const result = vigil('audit', 'verify', '--tenant', 'default');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`first bad event: seq 0 id ${row.id}: event_fields_changed`);
  });
});
