import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, ManualClock } from '../../src/shared/clock.ts';
import { menuLink, signIn } from './console-actions.ts';
import {
  type E2eBrowser,
  type E2eServer,
  openWatchedPage,
  saveScreenshot,
  seriousA11yViolations,
  startServer,
} from './e2e-harness.ts';
import { type Person, seedAdmin, seedPerson } from './e2e-people.ts';

const HELD_EMAIL = 'held.customer@example.com';

function chat(sourceId: string, email: string) {
  return {
    sourceId,
    revision: 1,
    channel: 'chat',
    direction: 'inbound',
    queue: 'billing',
    participants: [
      { ref: 'cust', role: 'customer', name: 'Jo Bloggs', email },
      { ref: 'agent', role: 'agent', name: 'Alex', externalId: 'agent-1' },
    ],
    segments: [
      { participant: 'cust', text: `Please bill my card 4111 1111 1111 1111, and write to ${email}.` },
      { participant: 'agent', text: 'Done, thank you.' },
    ],
  };
}

/**
 * Retention from the console, with the server's clock moved 40 days on: a policy, a legal hold
 * that keeps one conversation, a purge that removes the rest and signs a disposal certificate
 * which the console verifies; then a data subject request with its due date and export.
 */
describe('console retention (e2e)', { timeout: 90_000 }, () => {
  const clock = new ManualClock(Date.now());
  let server: E2eServer;
  let chrome: E2eBrowser;
  let page: Page;
  let watch: { problems: string[] };
  let officer: Person;

  beforeAll(async () => {
    server = await startServer({ clock });
    const admin = await seedAdmin(server);
    officer = await seedPerson(server, admin, {
      email: 'chloe@example.test',
      name: 'Chloé',
      roles: ['compliance_officer'],
      totp: true,
    });
    const { secret } = await server.vigil.identity.apiKeys.create(admin.principal, {
      name: 'ingest',
      scopes: ['ingest'],
      expiresAt: null,
    });
    const calls = [
      chat('old-1', 'one@example.com'),
      chat('old-2', 'two@example.com'),
      chat('old-3', HELD_EMAIL),
    ];
    const ingest = await server.app.inject({
      method: 'POST',
      url: '/api/v1/interactions:batch',
      headers: { authorization: `Bearer ${secret}` },
      payload: { interactions: calls },
    });
    expect(ingest.statusCode).toBeLessThan(300);
    clock.advance(40 * DAY_MS);
    ({ chrome, page, watch } = await openWatchedPage());
    await signIn(page, server.url, officer.email, officer.password, officer.app);
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  const nav = (name: string) => menuLink(page, name);

  it('sets a 30-day policy for chats and places a legal hold on one customer', async () => {
    await nav('Retention').click();
    await page.getByRole('tab', { name: 'Policies' }).click();
    await page.getByRole('button', { name: 'Set a policy' }).click();
    const policy = page.getByRole('dialog');
    await policy.getByRole('button', { name: /Data category/ }).click();
    await page.getByRole('option', { name: 'Chat' }).click();
    await policy.getByLabel('Keep for (days)').fill('30');
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('rowheader', { name: 'Chat' }).waitFor();

    await page.getByRole('tab', { name: 'Legal holds' }).click();
    await page.getByRole('button', { name: 'Place a legal hold' }).click();
    const hold = page.getByRole('dialog');
    await hold.getByLabel('Name').fill('Bloggs v. Northwind');
    await hold.getByLabel('Reason').fill('Litigation notice received 2026-11-02');
    await hold.getByLabel('Owner').fill('Legal department');
    await hold.getByLabel('Customer email').fill(HELD_EMAIL);
    await hold.getByRole('button', { name: 'Place hold' }).click();
    await page.getByRole('rowheader', { name: 'Bloggs v. Northwind' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('asks for a fresh second factor, then purges and shows a valid disposal certificate', async () => {
    await page.getByRole('tab', { name: 'Purge and certificates' }).click();
    const plan = page.getByRole('grid', { name: 'Purge plan by category' });
    await expect
      .poll(async () => (await plan.getByRole('row', { name: /Chat/ }).textContent()) ?? '')
      .toMatch(/Chat3\D*2.*Hold ×1/);
    // Ten minutes later the sign-in verification is too old for a purge (PCI DSS 8.4 step-up).
    clock.advance(10 * 60_000);
    await page.getByRole('button', { name: 'Purge now' }).click();
    const confirm = page.getByRole('dialog', { name: 'Purge now?' });
    await confirm.getByRole('button', { name: 'Purge', exact: true }).click();
    const stepUp = page.getByRole('dialog', { name: "Confirm it's you" });
    await stepUp.getByLabel('Code from your authenticator app').fill(await officer.app!.code());
    await stepUp.getByRole('button', { name: 'Verify' }).click();
    await stepUp.getByText('Verified. You can now repeat the action.').waitFor();
    await stepUp.getByRole('button', { name: 'Continue' }).click();
    await confirm.getByRole('button', { name: 'Purge', exact: true }).click();
    await page.getByText(/Purged: 2 deleted/).waitFor();
    const certificates = page.getByRole('grid', { name: 'Disposal certificates' });
    await certificates.getByRole('row').nth(1).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'retention');
    await certificates
      .getByRole('button', { name: /^Open certificate/ })
      .first()
      .click();
    await page.getByText('Valid: hash, Ed25519 signature and audit-log anchor all check.').waitFor();
    expect(await page.getByTestId('certificate-document').textContent()).not.toContain('4111');
    await saveScreenshot(page, 'retention-certificate');
    await page.keyboard.press('Escape');
  });

  it('opens a data subject request with its due date and exports it', async () => {
    await nav('Data subject requests').click();
    await page.getByRole('button', { name: 'Open a request' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Email' }).fill(HELD_EMAIL);
    await dialog.getByRole('button', { name: 'Open request' }).click();
    const row = page.getByRole('grid', { name: 'Data subject requests' }).getByRole('row').nth(1);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/access.*open/);
    const download = page.waitForEvent('download');
    await row.getByRole('button', { name: /^Export data/ }).click();
    expect((await download).suggestedFilename()).toMatch(/\.html$/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'dsar');
    expect(watch.problems).toEqual([]);
  });
});
