import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { TestVigil } from '../../test/harness/test-vigil.ts';
import type { Vigil } from '../main.ts';
import { systemPrincipal } from '../shared/principal.ts';
import { CSRF_HEADER, SESSION_COOKIE } from './identity.security.ts';
import { totpCode } from './mfa.totp.ts';

/** A password no rule refuses (long, not common, unrelated to the user). */
export const GOOD_PASSWORD = 'correct horse battery staple 42';

let counter = 0;
/** A unique email per call so tests never collide. */
export function uniqueEmail(name = 'agent'): string {
  counter += 1;
  return `${name}.${counter}.${Date.now().toString(36)}@example.test`;
}

/** The token in a one-time link (`...#token=vgt_...`). */
export function tokenOf(link: string): string {
  return link.split('#token=')[1]!;
}

/** Creates an active user with a password through the real invitation path. */
export async function createActiveUser(
  vigil: Vigil,
  options: {
    tenantId?: string;
    roles?: string[];
    email?: string;
    displayName?: string;
    password?: string;
  } = {},
) {
  const tenantId = options.tenantId ?? (await vigil.tenancy.ensureDefault()).id;
  const email = options.email ?? uniqueEmail();
  const admin = systemPrincipal(tenantId, 'test-setup');
  const { user, link } = await vigil.identity.users.invite(admin, {
    email,
    displayName: options.displayName ?? 'Test Agent',
    roles: options.roles ?? [],
  });
  await vigil.identity.enrollment.acceptInvite({
    token: tokenOf(link),
    password: options.password ?? GOOD_PASSWORD,
  });
  return { userId: user.id, email, tenantId, password: options.password ?? GOOD_PASSWORD };
}

/** The `name=value` of a Set-Cookie header. */
export function cookieValue(setCookie: string | string[] | undefined, name: string): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const line = all.find((c) => c.startsWith(`${name}=`));
  return line ? decodeURIComponent(line.slice(name.length + 1).split(';')[0]!) : undefined;
}

export interface Browser {
  cookie: string;
  csrf: string;
  headers(write?: boolean): Record<string, string>;
}

/** Signs in over HTTP with password (and TOTP secret, when the user has one) and returns its cookies. */
export async function signIn(
  app: FastifyInstance,
  t: TestVigil,
  credentials: { email: string; password: string; totpSecret?: string; tenant?: string },
): Promise<Browser> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: {
      tenant: credentials.tenant ?? 'default',
      email: credentials.email,
      password: credentials.password,
    },
  });
  expect(response.statusCode, response.body).toBe(200);
  let body = response.json();
  let cookies = response.headers['set-cookie'];
  if (body.status === 'mfa_required') {
    t.clock.advance(30_000);
    const done = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/mfa',
      payload: {
        challengeToken: body.challengeToken,
        proof: { method: 'totp', code: totpCode(credentials.totpSecret!, t.clock.now()) },
      },
    });
    expect(done.statusCode, done.body).toBe(200);
    body = done.json();
    cookies = done.headers['set-cookie'];
  }
  return browserFrom(cookies, body.csrfToken);
}

export function browserFrom(setCookie: string | string[] | undefined, csrf: string): Browser {
  const cookie = `${SESSION_COOKIE}=${cookieValue(setCookie, SESSION_COOKIE)}`;
  return {
    cookie,
    csrf,
    headers: (write = false) => ({ cookie, ...(write ? { [CSRF_HEADER]: csrf } : {}) }),
  };
}

/** Enrols TOTP for a signed-in browser and returns the secret. */
export async function enrollTotp(
  app: FastifyInstance,
  t: TestVigil,
  browser: Browser,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const begin = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/mfa/totp',
    headers: browser.headers(true),
  });
  expect(begin.statusCode, begin.body).toBe(200);
  const { secret } = begin.json();
  const confirm = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/mfa/totp/confirm',
    headers: browser.headers(true),
    payload: { code: totpCode(secret, t.clock.now()) },
  });
  expect(confirm.statusCode, confirm.body).toBe(200);
  return { secret, recoveryCodes: confirm.json().recoveryCodes };
}
