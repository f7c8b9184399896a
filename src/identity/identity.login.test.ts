import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { buildHttpApp } from '../main.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import { systemPrincipal } from '../shared/principal.ts';
import { createActiveUser, uniqueEmail } from './identity.test-support.ts';

describeEachDialect('identity sign-in', (get) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildHttpApp(get().vigil);
  });
  afterAll(async () => {
    await app.close();
  });
  const login = (email: string, password: string, ip = '127.0.0.1') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    });

  it('locks an account for 30 minutes after 10 failures, even for the right password', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    for (let i = 0; i < 10; i++)
      expect((await login(user.email, 'wrong password number x', '10.0.0.1')).statusCode).toBe(401);
    const locked = await login(user.email, user.password, '10.0.0.2');
    expect(locked.statusCode).toBe(401);
    expect(locked.json().error.code).toBe('INVALID_CREDENTIALS');
    t.clock.advance(29 * MINUTE_MS);
    expect((await login(user.email, user.password, '10.0.0.2')).statusCode).toBe(401);
    t.clock.advance(2 * MINUTE_MS);
    expect((await login(user.email, user.password, '10.0.0.2')).statusCode).toBe(200);
    const events = await t.vigil.storage.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('tenant_id', '=', user.tenantId)
      .where('target_id', '=', user.userId)
      .execute();
    expect(events.filter((e) => e.action === 'auth.lockout')).toHaveLength(1);
    expect(
      events.filter((e) => e.action === 'auth.login' && e.outcome === 'failure').length,
    ).toBeGreaterThanOrEqual(10);
  });

  it('answers the same for an unknown email, a wrong password, a suspended and a locked account', async () => {
    const t = get();
    const active = await createActiveUser(t.vigil);
    const suspended = await createActiveUser(t.vigil);
    await t.vigil.identity.users.suspend(
      systemPrincipal(suspended.tenantId, 'test'),
      suspended.userId,
      'left',
    );
    const bodies = [
      await login(uniqueEmail('nobody'), 'whatever password 1', '10.1.0.1'),
      await login(active.email, 'whatever password 1', '10.1.0.2'),
      await login(suspended.email, suspended.password, '10.1.0.3'),
    ];
    for (const res of bodies) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
      expect(res.json().error.message).toBe(bodies[0]!.json().error.message);
    }
  });

  it('pays one Argon2id verification on every failure path, known account or not (timing equalized)', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const { hasher } = t.vigil.identity;
    const verify = vi.spyOn(hasher, 'verify');
    const verifyDummy = vi.spyOn(hasher, 'verifyDummy');
    try {
      const argonCalls = () => verify.mock.calls.length + verifyDummy.mock.calls.length;
      // Without the dummy verification an unknown email answers in ~1 ms instead of tens: an
      // account-enumeration oracle. Each path must cost exactly one real Argon2id verification.
      expect((await login(uniqueEmail('ghost'), 'definitely not it 123', '10.2.0.1')).statusCode).toBe(401);
      expect(verifyDummy).toHaveBeenCalledTimes(1);
      expect(argonCalls()).toBe(1);
      expect((await login(user.email, 'definitely not it 123', '10.2.0.1')).statusCode).toBe(401);
      expect(verify).toHaveBeenCalledTimes(1);
      expect(argonCalls()).toBe(2);
      // The spies pass through: the dummy really ran Argon2id and really refused the password.
      await expect(verifyDummy.mock.results[0]!.value).resolves.toBeUndefined();
      await expect(verify.mock.results[0]!.value).resolves.toBe(false);
    } finally {
      verify.mockRestore();
      verifyDummy.mockRestore();
    }
  });

  it('throttles an address that fails too often, across accounts (credential stuffing)', async () => {
    const t = get();
    for (let i = 0; i < 50; i++) await login(uniqueEmail('stuffed'), 'stuffing password 1', '10.3.0.9');
    const user = await createActiveUser(t.vigil);
    const res = await login(user.email, user.password, '10.3.0.9');
    expect(res.statusCode).toBe(429);
    expect((await login(user.email, user.password, '10.3.0.10')).statusCode).toBe(200);
    t.clock.advance(16 * MINUTE_MS);
    expect((await login(user.email, user.password, '10.3.0.9')).statusCode).toBe(200);
  });

  it('re-hashes a password made with weaker parameters at the next sign-in', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const { hash } = await import('@node-rs/argon2');
    const weak = await hash(user.password, { memoryCost: 8192, timeCost: 1, parallelism: 1, algorithm: 2 });
    await t.vigil.storage.db
      .updateTable('users')
      .set({ password_hash: weak })
      .where('tenant_id', '=', user.tenantId)
      .where('id', '=', user.userId)
      .execute();
    expect((await login(user.email, user.password, '10.4.0.1')).statusCode).toBe(200);
    const row = await t.vigil.storage.db
      .selectFrom('users')
      .select('password_hash')
      .where('tenant_id', '=', user.tenantId)
      .where('id', '=', user.userId)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('never logs a password, a session token or an email', async () => {
    const t = get();
    const user = await createActiveUser(t.vigil);
    const res = await login(user.email, user.password, '10.5.0.1');
    await login(user.email, 'a wrong but distinctive password', '10.5.0.1');
    const text = t.logs.text();
    expect(text).not.toContain(user.password);
    expect(text).not.toContain('a wrong but distinctive password');
    expect(text).not.toContain(user.email);
    const cookie = (res.headers['set-cookie'] as string[])[0]!.split(';')[0]!.split('=')[1]!;
    expect(text).not.toContain(cookie);
  });
});
