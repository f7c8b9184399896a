import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genericVoiceCall, SAMPLE } from '../factories/interactions.ts';
import { signIn } from './console-actions.ts';
import {
  type E2eBrowser,
  type E2eServer,
  launchBrowser,
  saveScreenshot,
  seriousA11yViolations,
  startServer,
  watchPage,
} from './e2e-harness.ts';
import { type Person, seedAdmin, seedPerson } from './e2e-people.ts';

/** 16-bit mono PCM at 8 kHz: a 440 Hz tone, the length of the call's turns. */
function toneWav(seconds: number): Buffer {
  const rate = 8000;
  const samples = rate * seconds;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++)
    wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return wav;
}

/**
 * The main path seen from the console: an interaction ingested through the API appears, an agent
 * sees it redacted and cannot reveal, a supervisor reveals one value with a reason, and the
 * security administrator finds that reveal in the audit explorer.
 */
describe('console interactions (e2e)', { timeout: 90_000 }, () => {
  let server: E2eServer;
  let chrome: E2eBrowser;
  let admin: Person;
  let agent: Person;
  let supervisor: Person;
  let ingestKey: string;
  let interactionId: string;
  const contexts: BrowserContext[] = [];
  const problems: string[][] = [];

  async function personPage(person: Person): Promise<Page> {
    const context = await chrome.newContext();
    contexts.push(context);
    const page = await context.newPage();
    problems.push(watchPage(page).problems);
    await signIn(page, server.url, person.email, person.password, person.app);
    return page;
  }

  async function openInteractions(page: Page) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Interactions' }).click();
    await page.getByRole('form', { name: 'Interaction filters' }).waitFor();
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await seedAdmin(server);
    agent = await seedPerson(server, admin, {
      email: 'alex@example.test',
      name: 'Alex',
      roles: ['agent'],
      totp: true,
    });
    supervisor = await seedPerson(server, admin, {
      email: 'sue@example.test',
      name: 'Sue',
      roles: ['supervisor'],
      totp: true,
    });
    const team = await server.vigil.access.teams.create(admin.principal, {
      name: 'Billing',
      queues: ['billing'],
    });
    await server.vigil.access.teams.setMembers(admin.principal, team.id, [
      { userId: supervisor.principal.id, lead: true },
      { userId: agent.principal.id, lead: false },
    ]);
    const created = await server.vigil.identity.apiKeys.create(admin.principal, {
      name: 'ingest',
      scopes: ['ingest'],
      expiresAt: null,
    });
    ingestKey = created.secret;
    chrome = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await chrome?.close();
    await server?.close();
  });

  it('shows an interaction ingested through the API', async () => {
    const page = await personPage(supervisor);
    await openInteractions(page);
    await page.getByText('No interaction matches these filters.').waitFor();

    const call = genericVoiceCall('e2e-call-1', {
      agentId: agent.principal.id,
      queue: 'billing',
      texts: [
        'Thank you for calling, how can I help?',
        `Hi, I want to pay my bill. My card number is ${SAMPLE.spokenPan}, ${SAMPLE.spokenPanRest}.`,
        'Thanks. And the three digits on the back?',
        `It's ${SAMPLE.cvv}. You can also email me at ${SAMPLE.email}.`,
      ],
    });
    const ingest = await fetch(`${server.url.replace('localhost', '127.0.0.1')}/api/v1/interactions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(call),
    });
    expect(ingest.status).toBeLessThan(300);
    const result = (await ingest.json()) as { results: { id: string }[] };
    interactionId = result.results[0]!.id;
    const recording = await fetch(
      `${server.url.replace('localhost', '127.0.0.1')}/api/v1/interactions/${interactionId}/recording`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'audio/wav' },
        body: toneWav(16),
      },
    );
    expect(recording.status).toBeLessThan(300);

    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByRole('grid', { name: 'Interactions' }).getByRole('row').nth(1);
    await row.waitFor();
    expect(await row.textContent()).toContain('Card number');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('shows an agent the redacted transcript only, with no way to reveal', async () => {
    const page = await personPage(agent);
    await openInteractions(page);
    await page.getByRole('grid', { name: 'Interactions' }).getByRole('row').nth(1).click();
    await page.getByRole('list', { name: 'Transcript' }).waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    for (const secret of [SAMPLE.pan, SAMPLE.cvv, SAMPLE.email, 'four one one one'])
      expect(text).not.toContain(secret);
    expect(await page.locator('mark.redacted[data-kind="card"]').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: /^Reveal/ }).count()).toBe(0);
    // Agents' role omits recordings: no player is offered.
    expect(await page.getByLabel('Redacted call recording').count()).toBe(0);
    const refused = await page.request.post(`${server.url}/api/v1/interactions/${interactionId}/reveal`, {
      data: { field: 'segments[3].findings[0]', reason: 'trying to reveal as an agent' },
      headers: {
        'x-csrf-token': (await page.context().cookies()).find((c) => c.name === 'vigil_csrf')?.value ?? '',
      },
    });
    expect(refused.status()).toBe(403);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'interaction-agent');
  });

  it('lets a supervisor reveal one value with a reason and play the redacted recording', async () => {
    const page = await personPage(supervisor);
    await page.goto(`${server.url}/interactions/${interactionId}`);
    await page.getByRole('list', { name: 'Transcript' }).waitFor();
    const audio = page.getByLabel('Redacted call recording');
    const src = await audio.getAttribute('src');
    const played = await page.request.get(`${server.url}${src}`);
    expect(played.status()).toBe(200);
    expect(played.headers()['content-type']).toBe('audio/wav');
    expect((await played.body()).subarray(0, 4).toString('ascii')).toBe('RIFF');

    await page.getByRole('button', { name: /^Reveal Email/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('Customer asked for a receipt by email, ticket INC-2231');
    await dialog.getByRole('button', { name: 'Reveal' }).click();
    await page.locator('mark[data-revealed="true"]', { hasText: SAMPLE.email }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await saveScreenshot(page, 'interaction-reveal');
  });

  it('records the reveal, with its reason, in the audit explorer', async () => {
    const page = await personPage(admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('textbox', { name: 'Action' }).fill('interactions.reveal');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const grid = page.getByRole('grid', { name: 'Audit events' });
    await expect.poll(async () => (await grid.textContent()) ?? '').toContain('INC-2231');
    const gridText = (await grid.textContent()) ?? '';
    expect(gridText).toContain('Sue');
    expect(gridText).not.toContain(SAMPLE.email);
    await saveScreenshot(page, 'audit-reveal');
    for (const list of problems) expect(list).toEqual([]);
    expect(server.logs.text()).not.toContain(SAMPLE.email);
  });
});
