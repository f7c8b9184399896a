import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/**
 * Custom roles, teams and access-review "change" decisions against the real back end, as a
 * security administrator does them in the console; every change is checked on the server side.
 */
describe('console roles, teams and review changes (e2e)', { timeout: 90_000 }, () => {
  let server: E2eServer;
  let chrome: E2eBrowser;
  let page: Page;
  let watch: { problems: string[] };
  let admin: Person;
  let alex: Person;
  let sue: Person;

  const tenantId = () => admin.principal.tenantId;
  const nav = (name: string) => menuLink(page, name);
  const audited = async (action: string) =>
    (await server.vigil.audit.findEvents(tenantId(), { action, limit: 10 })).events;

  beforeAll(async () => {
    server = await startServer();
    admin = await seedAdmin(server);
    alex = await seedPerson(server, admin, {
      email: 'alex.agent@example.test',
      name: 'Alex Agent',
      roles: ['agent'],
      totp: true,
    });
    sue = await seedPerson(server, admin, {
      email: 'sue.supervisor@example.test',
      name: 'Sue Supervisor',
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

  it('creates a custom role from named permissions, with a team scope and field visibility', async () => {
    await nav('Roles and permissions').click();
    await page.getByRole('button', { name: 'New role' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Role name').fill('team_qa');
    await dialog.getByLabel('Display name').fill('Team QA');
    await dialog.getByLabel('Description').fill('Scores the calls of their own teams');
    await dialog.getByRole('checkbox', { name: /^interactions\.read / }).check({ force: true });
    // A scoped permission starts at the team scope; the select offers the others.
    expect(await dialog.getByLabel('Scope of interactions.read').inputValue()).toBe('team');
    await dialog.getByRole('checkbox', { name: /^qa\.evaluate / }).check({ force: true });
    await dialog.getByLabel('Visibility of customer.name').selectOption('unmasked');
    await dialog.getByLabel('Visibility of recording.audio').selectOption('omitted');
    // Working hours (from the access policy): refused in the browser before anything is written.
    await dialog.getByRole('button', { name: 'Add working hours' }).click();
    const hours = dialog.getByRole('group', { name: 'Working hours 1' });
    await hours.locator('label', { hasText: 'Fri' }).click();
    expect(await hours.getByRole('checkbox', { name: 'Fri' }).isChecked()).toBe(false);
    await hours.getByLabel('Until').fill('17:30');
    await hours.getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await expect
      .poll(async () => (await dialog.getByRole('alert').textContent()) ?? '')
      .toContain('is not a time zone');
    await expect(server.vigil.access.admin.getRole(tenantId(), 'team_qa')).rejects.toThrow();
    await hours.getByLabel('Time zone').fill('Europe/Paris');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByLabel('Role name').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'role-editor');
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The permission matrix shows the custom role beside the built-in ones.
    await page.getByRole('columnheader', { name: /Team QA/ }).waitFor();
    // Custom roles are the last columns: Team QA holds interactions.read for its teams only.
    const row = page.getByRole('row', { name: /^interactions\.read / });
    expect(await row.getByRole('cell').last().textContent()).toContain('team');
    const role = await server.vigil.access.admin.getRole(tenantId(), 'team_qa');
    expect(role.grants).toEqual([
      { permission: 'interactions.read', scope: 'team' },
      { permission: 'qa.evaluate', scope: 'team' },
    ]);
    expect(role.fields).toMatchObject({ 'customer.name': 'unmasked', 'recording.audio': 'omitted' });
    expect(role.windows).toEqual([
      { days: ['mon', 'tue', 'wed', 'thu'], start: '08:00', end: '17:30', timeZone: 'Europe/Paris' },
    ]);
    expect((await audited('access.role.create'))[0]?.target?.id).toBe('team_qa');
    expect((await audited('access.policy.update')).length).toBe(1);
  });

  it('refuses an invalid role with the server’s reason, writing nothing', async () => {
    await page.getByRole('button', { name: 'New role' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Role name').fill('empty_role');
    await dialog.getByLabel('Display name').fill('Nothing at all');
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await expect.poll(async () => (await dialog.getByRole('alert').textContent()) ?? '').toMatch(/grants/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect(server.vigil.access.admin.getRole(tenantId(), 'empty_role')).rejects.toThrow();
  });

  it('manages a team, its queues and its members (the scope of its supervisor)', async () => {
    await nav('Teams and queues').click();
    await page.getByRole('button', { name: 'New team' }).click();
    const create = page.getByRole('dialog');
    await create.getByLabel('Team name').fill('Billing East');
    await create.getByLabel('Queues').fill('billing-east\nbilling-vip, billing-east');
    await create.getByRole('button', { name: 'Create team' }).click();
    await page.getByRole('rowheader', { name: 'Billing East' }).waitFor();

    await page.getByRole('button', { name: 'Edit team Billing East' }).click();
    const edit = page.getByRole('dialog');
    await edit.getByRole('checkbox', { name: /^Alex Agent alex\.agent/ }).check({ force: true });
    await edit.getByRole('checkbox', { name: 'Sue Supervisor leads the team' }).check({ force: true });
    await edit.getByRole('button', { name: 'Save team' }).click();
    await edit.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /Billing East/ });
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('Sue Supervisor (lead)');
    expect(await row.textContent()).toContain('billing-east, billing-vip');

    const [team] = await server.vigil.access.teams.list(tenantId());
    expect(team?.queues).toEqual(['billing-east', 'billing-vip']);
    const byUser = (a: { userId: string }, b: { userId: string }) => a.userId.localeCompare(b.userId);
    expect([...(team?.members ?? [])].sort(byUser)).toEqual(
      [
        { userId: alex.principal.id, lead: false },
        { userId: sue.principal.id, lead: true },
      ].sort(byUser),
    );
    expect((await audited('access.team.*')).map((e) => e.action).sort()).toEqual([
      'access.team.create',
      'access.team.members',
    ]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'teams');
  });

  it('changes a reviewed role to a narrower one in an access review', async () => {
    await nav('Access reviews').click();
    await page.getByRole('button', { name: 'Start a review' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Q4 review');
    await page.getByRole('dialog').getByRole('button', { name: 'Start review' }).click();
    await page.getByRole('heading', { name: 'Q4 review' }).waitFor();
    await page.getByRole('button', { name: 'Change agent for Alex Agent' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Replace with').selectOption('team_qa');
    await dialog.getByLabel('Note').fill('Moved to quality assurance');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() =>
        page
          .getByRole('row', { name: /Alex Agent/ })
          .first()
          .textContent(),
      )
      .toContain('change → team_qa');
    await saveScreenshot(page, 'access-review-change');

    expect(await server.vigil.identity.listUserRoles(tenantId(), alex.principal.id)).toEqual(['team_qa']);
    const [decision] = await audited('access.review.decide');
    expect(decision?.details).toMatchObject({ decision: 'change', grant: 'agent', changeTo: 'team_qa' });
    expect(decision?.reason).toBe('Moved to quality assurance');
  });

  it('edits the custom role, and refuses to delete it while someone holds it', async () => {
    await nav('Roles and permissions').click();
    await page.getByRole('tab', { name: 'Roles' }).click();
    await page.getByRole('button', { name: 'Edit role Team QA' }).click();
    const edit = page.getByRole('dialog');
    await edit.getByRole('checkbox', { name: /^qa\.evaluate / }).uncheck({ force: true });
    await edit.getByLabel('Scope of interactions.read').selectOption('own');
    await edit.getByRole('button', { name: 'Save role' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect
      .poll(async () => (await server.vigil.access.admin.getRole(tenantId(), 'team_qa')).grants)
      .toEqual([{ permission: 'interactions.read', scope: 'own' }]);

    await page.getByRole('button', { name: 'Delete role Team QA' }).click();
    const remove = page.getByRole('dialog');
    await remove.getByRole('button', { name: 'Delete role' }).click();
    await expect
      .poll(async () => (await remove.getByRole('alert').textContent()) ?? '')
      .toContain('still held by 1 user');
    await remove.getByRole('button', { name: 'Cancel' }).click();
    await remove.waitFor({ state: 'hidden' });
    expect((await server.vigil.access.admin.getRole(tenantId(), 'team_qa')).name).toBe('team_qa');
  });

  it('deletes a custom role nobody holds', async () => {
    await page.getByRole('button', { name: 'New role' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Role name').fill('auditor_lite');
    await dialog.getByLabel('Display name').fill('Auditor lite');
    await dialog.getByRole('checkbox', { name: /^audit\.read / }).check({ force: true });
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Delete role Auditor lite' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete role' }).click();
    await page.getByRole('rowheader', { name: 'Auditor lite' }).waitFor({ state: 'detached' });
    expect((await audited('access.role.delete'))[0]?.target?.id).toBe('auditor_lite');
    // The browser logs the two refusals this file provokes (invalid role, role still held); nothing else.
    expect(watch.problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
      'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });
});
