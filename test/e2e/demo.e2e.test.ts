import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli/main.ts';
import { enrolTotpInConsole, expectConsole } from './console-actions.ts';
import {
  type E2eBrowser,
  type E2eServer,
  openWatchedPage,
  saveScreenshot,
  seriousA11yViolations,
  startServer,
} from './e2e-harness.ts';

interface DemoLogin {
  email: string;
  password: string;
  roles: string;
}

/** Runs the CLI in-process and returns its exit code and what it printed. */
async function runVigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  try {
    const code = await runCli(['node', 'vigil', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/**
 * `vigil demo` is the newcomer's first impression: one command, then a living console. This
 * loads the demo into a fresh data directory, serves it, and signs in as the compliance officer.
 */
describe('vigil demo in the console (e2e)', { timeout: 90_000 }, () => {
  let dataDir: string;
  let printed: string;
  let logins: DemoLogin[];
  let server: E2eServer;
  let chrome: E2eBrowser;
  let page: Page;
  let watch: { problems: string[] };

  beforeAll(async () => {
    dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'vigil-demo-')), 'data');
    const result = await runVigil(['demo', '--data-dir', dataDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    printed = result.stdout;
    logins = [...printed.matchAll(/^ {2}(\S+@\S+)\s+(\S+)\s+([a-z_]+)/gm)].map((m) => ({
      email: m[1]!,
      password: m[2]!,
      roles: m[3]!,
    }));
    server = await startServer({ dataDir });
    ({ chrome, page, watch } = await openWatchedPage());
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('prints one person per role with a password, and refuses to run twice', async () => {
    expect(logins.map((l) => l.roles).sort()).toEqual([
      'agent',
      'agent',
      'auditor',
      'compliance_officer',
      'payments_specialist',
      'qa_analyst',
      'security_admin',
      'supervisor',
    ]);
    expect(printed).toContain('audit log signed and verified');
    expect(printed).toContain('a legal hold, an open data subject');
    const again = await runVigil(['demo', '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has users');
  });

  it('signs the compliance officer in, through second-factor enrollment, to a living dashboard', async () => {
    const officer = logins.find((l) => l.roles === 'compliance_officer')!;
    await page.goto(`${server.url}/`);
    await page.getByLabel('Email').fill(officer.email);
    await page.getByLabel('Password', { exact: true }).fill(officer.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Set up a second factor' }).waitFor();
    await enrolTotpInConsole(page);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expectConsole(page);
    await page.getByRole('heading', { name: 'Interactions ingested (14 days)' }).waitFor();
    await page.getByText('verified', { exact: true }).waitFor();
    const ingested = page
      .getByRole('region', { name: 'Interactions ingested (14 days)' })
      .locator('.stat-value');
    await expect.poll(async () => Number(await ingested.textContent())).toBeGreaterThan(20);
    // Two reveals and one detokenization, each with a reason; one open request; the log verified.
    const stat = (card: string) => page.getByRole('region', { name: card }).locator('.stat-value');
    await expect
      .poll(async () => Number(await stat('Reveal and detokenize activity (14 days)').textContent()))
      .toBe(3);
    await expect.poll(async () => Number(await stat('Open data subject requests').textContent())).toBe(1);
    await page.waitForTimeout(300);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'dashboard-light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await page.waitForTimeout(300);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'dashboard-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it('lists interactions of every channel, redacted', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Interactions' }).click();
    const grid = page.getByRole('grid', { name: 'Interactions' });
    await grid.getByRole('row').nth(1).waitFor();
    const text = (await grid.textContent()) ?? '';
    for (const channel of ['voice', 'chat', 'email', 'sms']) expect(text).toContain(channel);
    expect(text).not.toMatch(/4111 ?1111|5555 ?5555/);
    await saveScreenshot(page, 'interactions');
  });

  it('shows the access review in progress', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Access reviews' })
      .click();
    await page.getByRole('link', { name: 'Q4 access review' }).click();
    await page.getByRole('heading', { name: 'Q4 access review' }).waitFor();
    await expect
      .poll(async () => (await page.locator('main').textContent()) ?? '')
      .toMatch(/3 of \d+ decided/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'access-review');
    expect(watch.problems).toEqual([]);
  });
});
