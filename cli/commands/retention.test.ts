import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { genericVoiceCall } from '../../test/factories/interactions.ts';

const BIN = path.resolve('bin/vigil.js');
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-retention-cli-'));
const env = { VIGIL_DATA_DIR: path.join(dir, 'data'), VIGIL_SQLITE_SYNCHRONOUS: 'NORMAL' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vigil(args: string[], input?: string) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIL_')));
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 60_000,
    ...(input === undefined ? {} : { input }),
  });
}

// The CLI on the embedded database; the services behind it are tested on both dialects.
describe('vigil retention and vigil dsar', () => {
  it('sets jurisdictions and policies, explains conflicts, plans, runs, checks, and handles a request', {
    timeout: 180_000,
  }, () => {
    expect(vigil(['init']).status).toBe(0);
    const payload = path.join(dir, 'call.json');
    writeFileSync(
      payload,
      JSON.stringify(
        genericVoiceCall('cli-call-1', { phone: '+1 416 555 0142', email: 'cli.customer@example.com' }),
      ),
    );
    expect(vigil(['ingest', payload, '--adapter', 'generic', '--no-progress']).status).toBe(0);

    const jurisdictions = vigil(['retention', 'jurisdictions']);
    expect(jurisdictions.stdout).toMatch(
      /^gdpr +GDPR: DSAR 0 days 1 month\(s\) \(GDPR Art\. 12\(3\)\); breach the competent supervisory authority: 72 h \(GDPR Art\. 33\(1\)\)/m,
    );
    const assigned = vigil([
      'retention',
      'assign',
      '--packs',
      'pci_dss',
      '--segment',
      'EU=FR,DE:gdpr',
      'Trading=DE-TR:mifid2',
    ]);
    expect(assigned.stdout).toContain('assigned; 0 conflicts');
    const refused = vigil(['retention', 'set-policy', 'voice_transcript', '90']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /segment Trading: the policy deletes voice_transcript after 90 days but MiFID II requires keeping it at least 1827 days/,
    );
    expect(
      vigil(['retention', 'set-policy', 'chat', '30', '--action', 'anonymize', '--jurisdiction', 'gdpr'])
        .stdout,
    ).toMatch(/chat anonymize after 30 days/);
    const policies = vigil(['retention', 'policies']);
    expect(policies.stdout).toContain('segment EU (FR, DE): gdpr');
    expect(policies.stdout).toMatch(
      /GAP email \[segment EU\]: GDPR requires a maximum age for email \(GDPR Art\. 5\(1\)\(e\)\)/,
    );

    const hold = vigil([
      'retention',
      'holds',
      'create',
      '--name',
      'Matter 7',
      '--reason',
      'pending litigation',
      '--owner',
      'counsel',
      '--email',
      'cli.customer@example.com',
    ]);
    expect(hold.stdout).toMatch(/^hold [0-9a-f-]{36}: subject, 1 items/);
    expect(vigil(['retention', 'holds', 'list']).stdout).toMatch(
      /ACTIVE +subject "Matter 7" owner counsel, 1 items: pending litigation/,
    );
    expect(vigil(['retention', 'plan']).stdout).toMatch(/chat: scanned 0; 0 due/);
    const run = vigil(['retention', 'run']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/tenant default: run [0-9a-f-]{36} completed: 0 deleted/);
    const check = vigil(['retention', 'check']);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/check [0-9a-f-]{36}: pass/);

    const opened = vigil(
      ['dsar', 'open', '--kind', 'access', '--identifier-stdin', 'phone', '--region', 'FR'],
      '+1 416 555 0142\n',
    );
    expect(opened.status, opened.stderr).toBe(0);
    expect(opened.stdout).toMatch(
      /access +open +due \d{4}-\d\d-\d\d \(\d+ days left\); 1 customer record\(s\); packs gdpr, pci_dss/,
    );
    expect(opened.stdout).toContain('(gdpr, GDPR Art. 12(3))');
    const caseId = opened.stdout.split(' ')[0]!;
    expect(vigil(['dsar', 'list']).stdout).toContain(caseId);
    const file = path.join(dir, 'export.html');
    expect(vigil(['dsar', 'export', caseId, '--out', file]).stdout).toMatch(/sha256 [0-9a-f]{64}/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('cli.customer@example.com');
    // The customer's identifiers never reach the terminal output of the other commands.
    for (const output of [opened.stdout, hold.stdout, run.stdout])
      expect(output).not.toMatch(/416 555|cli\.customer/);
    expect(vigil(['dsar', 'close', caseId, '--outcome', 'completed']).stdout).toMatch(/access +completed/);
  });
});
