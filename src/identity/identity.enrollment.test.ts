import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildHttpApp } from '../main.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../shared/clock.ts';
import { systemPrincipal } from '../shared/principal.ts';
import { disableDormantUsers } from './identity.jobs.ts';
import { createActiveUser, GOOD_PASSWORD, tokenOf, uniqueEmail } from './identity.test-support.ts';

describeEachDialect('identity enrollment, reset and dormancy', (get) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildHttpApp(get().vigil);
  });
  afterAll(async () => {
    await app.close();
  });
  /** Development mode: the link is in the `devLink` field of a warn line. */
  const lastDevLink = () => {
    const lines = get().logs.lines.filter((l) => l.includes('"devLink"'));
    return JSON.parse(lines.at(-1)!).devLink as string;
  };

  it('bootstraps the first administrator from a one-time link valid for one hour', async () => {
    const t = get();
    const tenant = await t.vigil.tenancy.create({ slug: 'bootstrap-co', name: 'Bootstrap Co' });
    const expired = await t.vigil.identity.enrollment.ensureBootstrapLink(tenant.id);
    t.clock.advance(HOUR_MS + 1);
    const late = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/bootstrap',
      payload: {
        token: tokenOf(expired!.link),
        email: 'first@example.test',
        displayName: 'First Admin',
        password: GOOD_PASSWORD,
      },
    });
    expect(late.statusCode).toBe(410);
    const first = await t.vigil.identity.enrollment.ensureBootstrapLink(tenant.id);
    const second = await t.vigil.identity.enrollment.ensureBootstrapLink(tenant.id);
    const voided = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/bootstrap',
      payload: {
        token: tokenOf(first!.link),
        email: 'first@example.test',
        displayName: 'First Admin',
        password: GOOD_PASSWORD,
      },
    });
    expect(voided.statusCode).toBe(410);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/bootstrap',
      payload: {
        token: tokenOf(second!.link),
        email: 'first@example.test',
        displayName: 'First Admin',
        password: GOOD_PASSWORD,
      },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().stage).toBe('mfa_enrollment');
    const reuse = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/bootstrap',
      payload: {
        token: tokenOf(second!.link),
        email: 'second@example.test',
        displayName: 'Again',
        password: GOOD_PASSWORD,
      },
    });
    expect(reuse.statusCode).toBe(410);
    expect(await t.vigil.identity.enrollment.ensureBootstrapLink(tenant.id)).toBeNull();
    const users = await t.vigil.identity.users.list(tenant.id);
    expect(users.map((u) => [u.email, u.roles])).toEqual([['first@example.test', ['security_admin']]]);
  });

  it('invites by a one-time link logged in development mode, refused after use or expiry', async () => {
    const t = get();
    const tenantId = (await t.vigil.tenancy.ensureDefault()).id;
    const email = uniqueEmail('invitee');
    await t.vigil.identity.users.invite(systemPrincipal(tenantId, 'test'), {
      email,
      displayName: 'Invitee',
      roles: [],
    });
    const link = lastDevLink();
    expect(link).toMatch(/\/invite#token=vgt_/);
    expect(t.logs.text()).not.toContain(email);
    const weak = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/invitation/accept',
      payload: { token: tokenOf(link), password: 'short' },
    });
    expect(weak.json().error.code).toBe('PASSWORD_TOO_SHORT');
    const accepted = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/invitation/accept',
      payload: { token: tokenOf(link), password: GOOD_PASSWORD },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/invitation/accept',
      payload: { token: tokenOf(link), password: GOOD_PASSWORD },
    });
    expect(again.statusCode).toBe(410);
    await t.vigil.identity.users.invite(systemPrincipal(tenantId, 'test'), {
      email: uniqueEmail('slow'),
      displayName: 'Slow',
      roles: [],
    });
    const slow = lastDevLink();
    t.clock.advance(3 * DAY_MS + MINUTE_MS);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/auth/invitation/accept',
          payload: { token: tokenOf(slow), password: GOOD_PASSWORD },
        })
      ).statusCode,
    ).toBe(410);
  });

  it('resets a password by link without revealing whether the account exists, ending all sessions', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const before = t.logs.lines.length;
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      payload: { email: uniqueEmail('nobody') },
    });
    expect(unknown.statusCode).toBe(202);
    expect(t.logs.lines.slice(before).some((l) => l.includes('devLink'))).toBe(false);
    const known = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      payload: { email: user.email },
    });
    expect(known.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    await new Promise((resolve) => setImmediate(resolve));
    const link = lastDevLink();
    expect(link).toMatch(/\/reset-password#token=vgt_/);
    const done = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/complete',
      payload: { token: tokenOf(link), password: 'brand new passphrase here' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const live = await t.vigil.storage.db
      .selectFrom('sessions')
      .select('id')
      .where('tenant_id', '=', user.tenantId)
      .where('user_id', '=', user.userId)
      .where('revoked_at', 'is', null)
      .execute();
    expect(live).toHaveLength(0);
    const oldPw = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(oldPw.statusCode).toBe(401);
    const newPw = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: 'brand new passphrase here' },
    });
    expect(newPw.statusCode).toBe(200);
  });

  it('disables accounts unused for 90 days and ends their sessions (PCI 8.2.6)', async () => {
    const t = get();
    const idle = await createActiveUser(t.vigil);
    t.clock.advance(60 * DAY_MS);
    const recent = await createActiveUser(t.vigil);
    t.clock.advance(31 * DAY_MS);
    const identity = t.vigil.identity;
    const deps = {
      db: t.vigil.storage.db,
      audit: t.vigil.audit,
      tenancy: t.vigil.tenancy,
      policies: identity.policies,
      sessions: identity.sessions,
    };
    const report = await disableDormantUsers(deps, {
      now: t.clock.now(),
      signal: new AbortController().signal,
    });
    expect(report.disabled).toBeGreaterThanOrEqual(1);
    expect((await identity.users.get(idle.tenantId, idle.userId)).status).toBe('disabled');
    expect((await identity.users.get(recent.tenantId, recent.userId)).status).toBe('active');
    const again = await disableDormantUsers(deps, {
      now: t.clock.now(),
      signal: new AbortController().signal,
    });
    expect(again.disabled).toBe(0);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: idle.email, password: idle.password },
    });
    expect(login.statusCode).toBe(401);
  });
});
