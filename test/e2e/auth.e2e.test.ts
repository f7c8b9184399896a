import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Authenticator,
  enrolTotpInConsole,
  expectConsole,
  signIn,
  signInWithPasskey,
  signOut,
} from './console-actions.ts';
import {
  type E2eBrowser,
  type E2eServer,
  openWatchedPage,
  saveScreenshot,
  seriousA11yViolations,
  startServer,
} from './e2e-harness.ts';

const ADMIN = {
  email: 'ada.admin@example.test',
  name: 'Ada Admin',
  password: 'correct horse battery staple 42',
};

/**
 * Sign-in as a person does it, in Debian's Chromium against a real server: first-administrator
 * enrollment with the QR step, password + TOTP, a passkey through Chromium's virtual
 * authenticator, and the session ending under the person's feet.
 */
describe('console sign-in (e2e)', { timeout: 90_000 }, () => {
  let server: E2eServer;
  let chrome: E2eBrowser;
  let context: BrowserContext;
  let page: Page;
  let watch: { problems: string[] };
  let app: Authenticator;

  beforeAll(async () => {
    server = await startServer();
    ({ chrome, context, page, watch } = await openWatchedPage());
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('enrols the first administrator from the bootstrap link, with an authenticator app', async () => {
    const tenant = await server.vigil.tenancy.getBySlug('default');
    const bootstrap = await server.vigil.identity.enrollment.ensureBootstrapLink(tenant.id);
    expect(bootstrap?.link.startsWith(`${server.url}/enroll#token=`)).toBe(true);
    await page.goto(bootstrap!.link);
    await page.getByLabel('Your name').fill(ADMIN.name);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('New password').fill(ADMIN.password);
    await page.getByLabel('Repeat the password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    // An administrator must have a second factor before anything else (PCI DSS 8.4).
    await page.getByRole('heading', { name: 'Set up a second factor' }).waitFor();
    app = await enrolTotpInConsole(page);
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expectConsole(page);
    await page.getByRole('heading', { name: 'Security posture' }).waitFor();
  });

  it('signs out, then back in with password and a TOTP code', async () => {
    await signOut(page);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('email or password is incorrect');
    await signIn(page, server.url, ADMIN.email, ADMIN.password, app);
    await page.getByRole('heading', { name: 'Security posture' }).waitFor();
    const logins = await page.request.get(`${server.url}/api/v1/audit/events?action=auth.login&limit=10`);
    const { events } = (await logins.json()) as { events: { outcome: string }[] };
    expect(events.map((e) => e.outcome)).toEqual(expect.arrayContaining(['success', 'failure']));
  });

  it('registers a passkey in the virtual authenticator and signs in with it', async () => {
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.getByRole('link', { name: 'Account security' }).click();
    await page.getByLabel('Passkey name').fill('Test laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('rowheader', { name: 'Test laptop' }).waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);

    await signOut(page);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await expectConsole(page);
    const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(after.credentials[0]?.signCount).toBeGreaterThan(credentials[0]?.signCount ?? 0);
  });

  it('returns to sign-in, saying why, when the session ends', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    // The dashboard's own requests must be done first: one still in flight when the cookies go
    // would end the session before the click below (the link is gone, and the click waits).
    await page.waitForLoadState('networkidle');
    await context.clearCookies();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Your session ended');
    await signInWithPasskey(page, server.url, ADMIN.email, ADMIN.password);
  });

  it('keeps the strict CSP, logs no secret and has no serious accessibility problem on the sign-in page', async () => {
    const response = await page.request.get(`${server.url}/`);
    expect(response.headers()['content-security-policy']).toContain("script-src 'self'");
    await signOut(page);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'sign-in');
    expect(watch.problems).toEqual([]);
    const logs = server.logs.text();
    expect(logs).not.toContain(ADMIN.password);
    expect(logs).not.toContain(app.secret);
  });
});
