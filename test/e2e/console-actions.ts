import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { totpCode, totpStep } from '../../src/identity/mfa.totp.ts';

/**
 * A person's authenticator app: the next code the server has not seen yet (a used time step is
 * refused, one step of drift ahead is accepted).
 */
export class Authenticator {
  private lastStep = -1;
  /** `clock` is the server's (a ManualClock in time-travel tests, advanced instead of waited for). */
  constructor(
    readonly secret: string,
    private readonly clock: { now(): number; advance?(ms: number): void } = { now: Date.now },
  ) {}

  /** Waits for the next time step when the current one was already used (as a person would). */
  async code(): Promise<string> {
    while (totpStep(this.clock.now()) < this.lastStep) {
      if (this.clock.advance) this.clock.advance(30_000);
      else await new Promise((r) => setTimeout(r, 500));
    }
    const step = Math.max(totpStep(this.clock.now()), this.lastStep + 1);
    this.lastStep = step;
    return totpCode(this.secret, step * 30_000);
  }
}

/** Waits until the page shows the signed-in console (its main navigation). */
export async function expectConsole(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 15_000 });
}

/** A link of the console's main menu, by its exact name. */
export const menuLink = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/** Email and password on the sign-in page; answers the TOTP prompt when one follows. */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  app?: Authenticator,
) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (app) {
    await page.getByLabel('Code from your authenticator app').fill(await app.code());
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await expectConsole(page);
}

/** Email and password, then the passkey (a virtual authenticator must be attached to the page). */
export async function signInWithPasskey(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expectConsole(page);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
}

/** Enrols the authenticator app from the console's QR step, returning the app for later codes. */
export async function enrolTotpInConsole(page: Page): Promise<Authenticator> {
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const qr = page.getByRole('img', { name: 'QR code to add Vigil to an authenticator app' });
  await qr.waitFor();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const app = new Authenticator(secret);
  await page.getByLabel('6-digit code').fill(await app.code());
  await page.getByRole('button', { name: 'Confirm' }).click();
  return app;
}
