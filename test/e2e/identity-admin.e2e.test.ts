import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.ts';
import { IDP_CLIENT, startIdp } from '../harness/test-idp.ts';
import { expectConsole, menuLink, signIn } from './console-actions.ts';
import {
  type E2eBrowser,
  type E2eServer,
  openWatchedPage,
  saveScreenshot,
  seriousA11yViolations,
  startServer,
  watchPage,
} from './e2e-harness.ts';
import { type Person, seedAdmin } from './e2e-people.ts';

/**
 * The sign-in policy editor and single sign-on administration, then a person signing in through
 * the sign-in page's SSO button with a real OpenID provider (oidc-provider on loopback). The
 * server's clock is a ManualClock, so the step-up check is exercised deliberately, not by chance.
 */
describe('console sign-in policy and single sign-on (e2e)', { timeout: 90_000 }, () => {
  const clock = new ManualClock(Date.now());
  let server: E2eServer;
  let idp: Awaited<ReturnType<typeof startIdp>>;
  let chrome: E2eBrowser;
  let page: Page;
  let watch: { problems: string[] };
  let admin: Person;

  const tenantId = () => admin.principal.tenantId;
  const nav = (name: string) => menuLink(page, name);
  const audited = async (action: string) =>
    (await server.vigil.audit.findEvents(tenantId(), { action, limit: 10 })).events;

  beforeAll(async () => {
    server = await startServer({ clock });
    admin = await seedAdmin(server);
    idp = await startIdp(server.vigil.identity.sso.callbackUrl);
    ({ chrome, page, watch } = await openWatchedPage());
    await signIn(page, server.url, admin.email, admin.password, admin.app);
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await idp?.close();
    await server?.close();
  });

  it('shows the server’s refusal under the field it concerns, and saves nothing', async () => {
    await nav('Sign-in policy').click();
    const idle = page.getByRole('spinbutton', { name: 'Idle timeout (minutes)' });
    await idle.fill('30');
    await page.getByRole('spinbutton', { name: 'Failed attempts before lockout' }).fill('');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Not saved: the server refused 2 value(s), marked below.').waitFor();
    expect(await idle.getAttribute('aria-invalid')).toBe('true');
    const described = (await idle.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(
      described.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(messages.join(' ')).toMatch(/<=\s*15/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await idle.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'identity-policy-refused');
    expect((await server.vigil.identity.policies.get(tenantId())).idleTimeoutMinutes).toBe(15);
    expect(await audited('identity.policy.update')).toEqual([]);
  });

  it('saves a valid policy, audited', async () => {
    await page.getByRole('spinbutton', { name: 'Idle timeout (minutes)' }).fill('10');
    await page.getByRole('spinbutton', { name: 'Failed attempts before lockout' }).fill('5');
    await page.getByRole('spinbutton', { name: 'Change every (days)' }).fill('90');
    await page.getByRole('spinbutton', { name: 'Previous passwords refused' }).fill('4');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText(/^Policy saved/).waitFor();
    expect(await server.vigil.identity.policies.get(tenantId())).toMatchObject({
      idleTimeoutMinutes: 10,
      lockoutThreshold: 5,
      rotationDays: 90,
      historyCount: 4,
    });
    expect((await audited('identity.policy.update')).length).toBe(1);
    await page.getByRole('heading', { name: 'Sign-in policy' }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'identity-policy');
  });

  it('asks for a fresh second factor when the sign-in verification is too old', async () => {
    // Six minutes on: past the 5-minute step-up window, inside the new 10-minute idle timeout.
    clock.advance(6 * 60_000);
    await page.getByRole('spinbutton', { name: 'Minimum length with MFA' }).fill('14');
    await page.getByRole('button', { name: 'Save policy' }).click();
    const stepUp = page.getByRole('dialog', { name: "Confirm it's you" });
    await stepUp.getByLabel('Code from your authenticator app').fill(await admin.app!.code());
    await stepUp.getByRole('button', { name: 'Verify' }).click();
    await stepUp.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText(/^Policy saved/).waitFor();
    expect((await server.vigil.identity.policies.get(tenantId())).minLengthWithMfa).toBe(14);
  });

  it('adds an identity provider whose client secret is write-only', async () => {
    await nav('Single sign-on').click();
    await page.getByRole('button', { name: 'Add provider' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Short name').fill('corp-idp');
    await dialog.getByLabel('Display name').fill('Northwind Login');
    await dialog.getByLabel('Issuer URL').fill(idp.issuer);
    await dialog.getByLabel('Client ID').fill(IDP_CLIENT.id);
    await dialog.getByLabel('Client secret', { exact: true }).fill(IDP_CLIENT.secret);
    await dialog.getByLabel('Group to role mapping').fill('cc-supervisors = supervisor');
    await dialog.getByRole('checkbox', { name: /just-in-time/ }).check({ force: true });
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /Northwind Login/ });
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('stored, sealed');

    // Edited without typing a secret: the stored one is kept, and never shown.
    await page.getByRole('button', { name: 'Edit Northwind Login' }).click();
    const edit = page.getByRole('dialog');
    expect(await edit.getByLabel('Client secret', { exact: true }).inputValue()).toBe('');
    await edit.getByLabel('Group to role mapping').fill('cc-supervisors = supervisor\ncc-qa = qa_analyst');
    await edit.getByRole('button', { name: 'Save provider' }).click();
    await edit.waitFor({ state: 'hidden' });
    const [stored] = await server.vigil.identity.ssoProviders.list(tenantId());
    expect(stored).toMatchObject({ hasClientSecret: true, groupRoles: { 'cc-qa': ['qa_analyst'] } });

    const listed = await page.request.get(`${server.url}/api/v1/sso/providers`);
    expect(listed.status()).toBe(200);
    expect(await listed.text()).not.toContain(IDP_CLIENT.secret);
    expect(await page.content()).not.toContain(IDP_CLIENT.secret);
    expect(server.logs.text()).not.toContain(IDP_CLIENT.secret);
    expect((await audited('sso.provider.*')).map((e) => e.action).sort()).toEqual([
      'sso.provider.create',
      'sso.provider.update',
    ]);
  });

  it('disables a provider, keeping its settings', async () => {
    await page.getByRole('button', { name: 'Add provider' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Short name').fill('legacy-idp');
    await dialog.getByLabel('Display name').fill('Legacy Login');
    await dialog.getByLabel('Issuer URL').fill('https://legacy.idp.example.test');
    await dialog.getByLabel('Client ID').fill('vigil-legacy');
    await dialog.getByRole('checkbox', { name: /^Public client/ }).check({ force: true });
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Disable Legacy Login' }).click();
    await page.getByRole('button', { name: 'Enable Legacy Login' }).waitFor();
    const legacy = (await server.vigil.identity.ssoProviders.list(tenantId())).find(
      (p) => p.slug === 'legacy-idp',
    );
    expect(legacy).toMatchObject({ enabled: false, hasClientSecret: false, clientId: 'vigil-legacy' });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'sso-providers');
    // The browser logs the one refusal this file provokes (the out-of-bounds policy); nothing else.
    expect(watch.problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
  });

  it('lists the typed tenant’s enabled providers on the sign-in page and signs in through one', async () => {
    const visitor = await chrome.newContext();
    const signInPage = await visitor.newPage();
    const visitorWatch = watchPage(signInPage);
    await signInPage.goto(`${server.url}/`);
    const ssoButton = signInPage.getByRole('button', { name: 'Sign in with SSO' });
    await ssoButton.click();
    const northwind = signInPage.getByRole('button', { name: 'Continue with Northwind Login' });
    await northwind.waitFor();
    expect(await signInPage.getByRole('button', { name: /Legacy Login/ }).count()).toBe(0);
    expect(await seriousA11yViolations(signInPage)).toEqual([]);
    await saveScreenshot(signInPage, 'sign-in-sso');

    // Another organization's name (here, one that does not exist) offers no button at all.
    const organization = signInPage.getByLabel('Organization');
    await organization.fill('nobody-here');
    await ssoButton.waitFor({ state: 'detached' });
    await organization.fill('default');
    await ssoButton.click();

    idp.accounts.set('sue', {
      email: 'sue.sso@example.test',
      name: 'Sue From Sso',
      groups: ['cc-supervisors'],
      amr: ['pwd', 'mfa'],
    });
    idp.loginAs('sue');
    await signInPage.getByRole('button', { name: 'Continue with Northwind Login' }).click();
    await expectConsole(signInPage);
    const session = await signInPage.request.get(`${server.url}/api/v1/auth/session`);
    expect(await session.json()).toMatchObject({ roles: ['supervisor'] });
    expect((await audited('auth.login')).some((e) => e.details?.['method'] === 'oidc:corp-idp')).toBe(true);
    expect(visitorWatch.problems).toEqual([]);
    await visitor.close();
  });

  it('removes a provider, audited', async () => {
    await page.getByRole('button', { name: 'Remove Legacy Login' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove provider' }).click();
    await page.getByRole('rowheader', { name: /Legacy Login/ }).waitFor({ state: 'detached' });
    const slugs = (await server.vigil.identity.ssoProviders.list(tenantId())).map((p) => p.slug);
    expect(slugs).toEqual(['corp-idp']);
    expect((await audited('sso.provider.delete')).length).toBe(1);
  });
});
