import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectConsole, menuLink, signIn } from './console-actions.ts';
import {
  type E2eBrowser,
  type E2eServer,
  openWatchedPage,
  saveScreenshot,
  seriousA11yViolations,
  startServer,
} from './e2e-harness.ts';
import { type Person, seedAdmin, seedPerson } from './e2e-people.ts';

/**
 * The administration views against the real back end, as a security administrator uses them:
 * every page is checked with axe-core and photographed for the README.
 */
describe('console administration (e2e)', { timeout: 90_000 }, () => {
  let server: E2eServer;
  let chrome: E2eBrowser;
  let page: Page;
  let watch: { problems: string[] };
  let admin: Person;
  let agent: Person;

  const nav = (name: string) => menuLink(page, name);
  async function checkPage(screenshot: string) {
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, screenshot);
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await seedAdmin(server);
    agent = await seedPerson(server, admin, {
      email: 'alex.agent@example.test',
      name: 'Alex',
      roles: ['agent'],
      totp: true,
    });
    await seedPerson(server, admin, {
      email: 'sue.supervisor@example.test',
      name: 'Sue',
      roles: ['supervisor'],
      totp: true,
    });
    ({ chrome, page, watch } = await openWatchedPage());
    await signIn(page, server.url, admin.email, admin.password, admin.app);
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('shows the administrator’s dashboard in light and dark themes', async () => {
    await page.getByRole('heading', { name: 'MFA coverage' }).waitFor();
    await expect.poll(() => page.getByText('3 of 3 active users', { exact: true }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    // Colour contrast is checked again in the dark palette.
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  it('lists users and invites a new one', async () => {
    await nav('Users and invitations').click();
    await page.getByRole('rowheader', { name: /Alex/ }).waitFor();
    await page.getByRole('button', { name: 'Invite user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Nina New');
    await dialog.getByLabel('Email').fill('nina@example.test');
    await dialog.getByRole('checkbox', { name: /^Agent/ }).check({ force: true });
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    const row = page.getByRole('row', { name: /Nina New/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('invited');
    await checkPage('users');
  });

  it('shows roles and the permission matrix', async () => {
    await nav('Roles and permissions').click();
    const reveal = page.getByRole('row', { name: /interactions\.reveal/ });
    await reveal.waitFor();
    expect(await reveal.textContent()).toContain('✓');
    await checkPage('roles');
  });

  it('adds a network zone', async () => {
    await nav('Network zones').click();
    await page.getByRole('button', { name: 'Add zone' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('office');
    await dialog.getByLabel('CIDR ranges').fill('10.20.0.0/16, 192.168.10.0/24');
    await dialog.getByRole('button', { name: 'Add zone' }).click();
    await page.getByRole('rowheader', { name: 'office' }).waitFor();
    await checkPage('zones');
  });

  it('creates an ingest API key, shown once', async () => {
    await nav('API keys').click();
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Amazon Connect');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('api-key-secret').textContent()) ?? '';
    expect(secret).toMatch(/^vgl_/);
    await page.getByRole('rowheader', { name: 'Amazon Connect' }).waitFor();
    const ingest = await page.request.get(`${server.url}/api/v1/interactions`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(ingest.status()).not.toBe(401);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await checkPage('api-keys');
    expect(server.logs.text()).not.toContain(secret);
  });

  it('runs an access review with a reviewer decision', async () => {
    await nav('Access reviews').click();
    await page.getByRole('button', { name: 'Start a review' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Quarterly review');
    await page.getByRole('dialog').getByRole('button', { name: 'Start review' }).click();
    await page.getByRole('heading', { name: 'Quarterly review' }).waitFor();
    await page.getByRole('button', { name: /^Keep agent for Alex/ }).click();
    await expect.poll(() => page.getByRole('row', { name: /Alex/ }).first().textContent()).toContain('keep');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('approves an agent’s just-in-time request', async () => {
    const agentContext = await chrome.newContext();
    const agentPage = await agentContext.newPage();
    await signIn(agentPage, server.url, agent.email, agent.password, agent.app);
    await agentPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Just-in-time access' })
      .click();
    await agentPage.getByRole('button', { name: 'Request access' }).click();
    const dialog = agentPage.getByRole('dialog');
    // An agent may not read the role catalog, so the dialog asks for the role by name.
    await dialog.getByLabel('Role name').fill('supervisor');
    await dialog.getByLabel('Reason').fill('Covering the evening shift for ticket INC-4411');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await expect
      .poll(
        async () => (await agentPage.getByRole('grid', { name: 'Elevation requests' }).textContent()) ?? '',
      )
      .toContain('pending');
    await agentContext.close();

    await nav('Just-in-time access').click();
    await page.getByRole('button', { name: 'Approve Alex' }).click();
    await expect
      .poll(() => page.getByRole('row', { name: /Alex/ }).first().textContent())
      .toContain('approved');
    await checkPage('elevations');
  });

  it('explores audit events and verifies the log', async () => {
    await nav('Audit log').click();
    await page.getByRole('rowheader').first().waitFor();
    await page.getByRole('textbox', { name: 'Action' }).fill('access.*');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect
      .poll(async () => (await page.getByRole('grid', { name: 'Audit events' }).textContent()) ?? '')
      .toContain('access.');
    await checkPage('audit-events');
    await page.getByRole('tab', { name: 'Checkpoints and verification' }).click();
    await page.getByRole('button', { name: 'Verify now' }).click();
    await expect.poll(() => page.getByText(/Audit log verified/).count()).toBe(1);
    await checkPage('audit-verify');
  });

  it('shows the person’s own factors and sessions', async () => {
    await nav('Account security').click();
    await page.getByRole('heading', { name: 'Where you are signed in' }).waitFor();
    await expectConsole(page);
    await checkPage('account');
    expect(watch.problems).toEqual([]);
  });
});
