import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../shared/clock.ts';
import type { Principal } from '../shared/principal.ts';
import { type AccessSnapshot, compileAccess } from './access.compile.ts';
import { decide, decideRoute, fieldsOf, scopeOf } from './access.engine.ts';
import { type AccessPolicyInput, accessPolicySchema } from './access.policy.ts';
import type { TimeWindow } from './access.time-windows.ts';
import type { ActiveElevation } from './access.types.ts';

const TENANT = 'tenant-a';
// Thursday 2026-01-01 12:00 UTC.
const NOON = Date.UTC(2026, 0, 1, 12, 0);

function compiled(policy: AccessPolicyInput = {}, extra: Partial<AccessSnapshot> = {}) {
  return compileAccess({
    tenantId: TENANT,
    generation: 'g1',
    policy: accessPolicySchema.parse(policy),
    customRoles: [],
    elevations: [],
    teams: [],
    ...extra,
  });
}

function user(roles: string[], extra: Partial<Principal> = {}): Principal {
  return { tenantId: TENANT, kind: 'user', id: 'u1', displayName: 'Test User', roles, ...extra };
}

const ZONED: AccessPolicyInput = {
  zones: [
    { name: 'office', cidrs: ['10.20.0.0/16'] },
    { name: 'vpn', cidrs: ['172.16.0.0/12', 'fd00:1::/64'] },
  ],
  rules: [{ target: 'customer-data', zones: ['office', 'vpn'] }],
};

describe('grants', () => {
  it('lets each built-in role do its job and nothing next to it', () => {
    const policy = compiled();
    const ctx = { now: NOON, ip: '10.0.0.1' };
    expect(decide(policy, user(['agent']), 'interactions.read', ctx).allowed).toBe(true);
    expect(decide(policy, user(['agent']), 'vault.detokenize', ctx).allowed).toBe(false);
    expect(decide(policy, user(['auditor']), 'audit.read', ctx).allowed).toBe(true);
    expect(decide(policy, user(['auditor']), 'interactions.reveal', ctx).allowed).toBe(false);
    expect(decide(policy, user(['auditor']), 'users.manage', ctx).allowed).toBe(false);
    expect(decide(policy, user(['security_admin']), 'interactions.read', ctx).allowed).toBe(false);
    expect(decide(policy, user(['integration']), 'interactions.read', ctx).allowed).toBe(false);
  });

  it('names the roles and the missing permission in product words', () => {
    const decision = decide(compiled(), user(['agent', 'qa_analyst']), 'vault.detokenize', { now: NOON });
    expect(decision).toMatchObject({ allowed: false, condition: 'permission' });
    expect(!decision.allowed && decision.message).toBe(
      'Your roles (Agent, QA analyst) do not allow you to recover a card number from its token, with a reason. Ask for temporary elevation if you need it.',
    );
  });

  it('ignores role names it does not know instead of failing open', () => {
    const decision = decide(compiled(), user(['root', 'admin']), 'audit.read', { now: NOON });
    expect(decision).toMatchObject({ allowed: false, condition: 'permission' });
    expect(!decision.allowed && decision.message).toContain('Your account holds no role');
  });

  it('grants custom roles exactly their listed permissions', () => {
    const policy = compiled(
      {},
      {
        customRoles: [
          {
            name: 'fraud_desk',
            displayName: 'Fraud desk',
            description: '',
            builtin: false,
            grants: [{ permission: 'vault.detokenize', scope: 'tenant' }],
            fields: {},
          },
        ],
      },
    );
    const fresh = { now: NOON, ip: '10.0.0.1' };
    const principal = user(['fraud_desk'], { mfaVerifiedAt: NOON - MINUTE_MS });
    expect(decide(policy, principal, 'vault.detokenize', fresh)).toMatchObject({
      allowed: true,
      grantedBy: 'fraud_desk',
    });
    expect(decide(policy, principal, 'vault.tokenize', fresh).allowed).toBe(false);
  });

  it('lets system principals (CLI, jobs) through and refuses another tenant outright', () => {
    const policy = compiled();
    const system: Principal = {
      tenantId: TENANT,
      kind: 'system',
      id: 'cli',
      displayName: 'cli',
      roles: ['system'],
    };
    expect(decide(policy, system, 'keys.manage', { now: NOON })).toMatchObject({
      allowed: true,
      via: 'system',
    });
    expect(() =>
      decide(policy, { ...user(['auditor']), tenantId: 'other' }, 'audit.read', { now: NOON }),
    ).toThrow();
  });
});

describe('network zones', () => {
  const policy = compiled(ZONED);

  it('opens customer data only from the listed zones', () => {
    const agent = user(['agent']);
    expect(decide(policy, agent, 'interactions.read', { now: NOON, ip: '10.20.3.4' }).allowed).toBe(true);
    expect(decide(policy, agent, 'interactions.read', { now: NOON, ip: '172.20.0.9' }).allowed).toBe(true);
    expect(decide(policy, agent, 'interactions.read', { now: NOON, ip: 'fd00:1::42' }).allowed).toBe(true);
    expect(decide(policy, agent, 'interactions.read', { now: NOON, ip: '::ffff:10.20.3.4' }).allowed).toBe(
      true,
    );
    const outside = decide(policy, agent, 'interactions.read', { now: NOON, ip: '203.0.113.7' });
    expect(outside).toMatchObject({ allowed: false, condition: 'network_zone' });
    expect(!outside.allowed && outside.message).toBe(
      'You may view interactions (redacted view) only from the office or vpn networks; this request came from outside them.',
    );
    expect(decide(policy, agent, 'interactions.read', { now: NOON }).allowed).toBe(false);
  });

  it('leaves permissions that open no customer data alone', () => {
    expect(decide(policy, user(['auditor']), 'audit.read', { now: NOON, ip: '203.0.113.7' }).allowed).toBe(
      true,
    );
  });

  it('requires every rule that applies: a permission rule narrows the customer-data rule', () => {
    const narrowed = compiled({
      ...ZONED,
      rules: [...(ZONED.rules ?? []), { target: 'vault.detokenize', zones: ['office'] }],
    });
    const specialist = user(['payments_specialist'], { mfaVerifiedAt: NOON });
    expect(decide(narrowed, specialist, 'vault.detokenize', { now: NOON, ip: '10.20.0.1' }).allowed).toBe(
      true,
    );
    const fromVpn = decide(narrowed, specialist, 'vault.detokenize', { now: NOON, ip: '172.16.0.1' });
    expect(fromVpn).toMatchObject({ allowed: false, condition: 'network_zone' });
    expect(!fromVpn.allowed && fromVpn.message).toContain(
      'only from the office network; this request came from outside it.',
    );
  });

  it('applies zones to integration keys too, but never MFA or device conditions', () => {
    const zoned = compiled({
      zones: [{ name: 'platform', cidrs: ['198.51.100.0/24'] }],
      rules: [{ target: '*', zones: ['platform'], device: true, stepUp: true }],
    });
    const key: Principal = {
      tenantId: TENANT,
      kind: 'api_key',
      id: 'k1',
      displayName: 'connect',
      roles: [],
      scopes: ['ingest'],
    };
    const route = { kind: 'integration', scope: 'ingest' } as const;
    expect(decideRoute(zoned, key, route, { now: NOON, ip: '198.51.100.20' }).allowed).toBe(true);
    expect(decideRoute(zoned, key, route, { now: NOON, ip: '192.0.2.1' })).toMatchObject({
      condition: 'network_zone',
    });
  });
});

describe('principal kinds and integration scopes', () => {
  const policy = compiled();
  const key: Principal = {
    tenantId: TENANT,
    kind: 'api_key',
    id: 'k1',
    displayName: 'k',
    roles: ['security_admin'],
    scopes: ['ingest'],
  };

  it('keeps integration keys on integration routes with their scope', () => {
    expect(decideRoute(policy, key, { kind: 'integration', scope: 'ingest' }, { now: NOON }).allowed).toBe(
      true,
    );
    expect(decideRoute(policy, key, { kind: 'integration', scope: 'webhooks' }, { now: NOON })).toMatchObject(
      {
        condition: 'integration_scope',
      },
    );
    expect(
      decideRoute(policy, key, { kind: 'permission', permission: 'users.manage' }, { now: NOON }),
    ).toMatchObject({
      condition: 'principal_kind',
    });
    expect(decideRoute(policy, key, { kind: 'authenticated' }, { now: NOON }).allowed).toBe(false);
  });

  it('keeps people off integration routes', () => {
    const person = user(['integration'], { scopes: ['ingest'] });
    expect(
      decideRoute(policy, person, { kind: 'integration', scope: 'ingest' }, { now: NOON }),
    ).toMatchObject({
      condition: 'principal_kind',
    });
    expect(decideRoute(policy, person, { kind: 'authenticated' }, { now: NOON }).allowed).toBe(true);
  });
});

describe('device posture and workforce standing', () => {
  const policy = compiled({ rules: [{ target: 'interactions.read', device: true, workforce: true }] });
  const agent = user(['agent']);

  it('denies with a clear reason while no source is connected', () => {
    const decision = decide(policy, agent, 'interactions.read', { now: NOON });
    expect(decision).toMatchObject({ allowed: false, condition: 'device_posture' });
    expect(!decision.allowed && decision.message).toContain('no device compliance source is connected yet');
    const noWorkforce = decide(policy, agent, 'interactions.read', {
      now: NOON,
      device: { compliant: true },
    });
    expect(noWorkforce).toMatchObject({ allowed: false, condition: 'workforce_standing' });
    expect(!noWorkforce.allowed && noWorkforce.message).toContain(
      'no workforce record source is connected yet',
    );
  });

  it('passes on what the sources report', () => {
    const device = { compliant: false, reason: 'disk encryption is off' };
    const refused = decide(policy, agent, 'interactions.read', { now: NOON, device });
    expect(!refused.allowed && refused.message).toContain('(disk encryption is off)');
    const workforce = { trainingCurrent: false, backgroundCheckValid: true };
    const untrained = decide(policy, agent, 'interactions.read', {
      now: NOON,
      device: { compliant: true },
      workforce,
    });
    expect(!untrained.allowed && untrained.message).toContain('your security training is not current');
    const ok = { trainingCurrent: true, backgroundCheckValid: true };
    expect(
      decide(policy, agent, 'interactions.read', { now: NOON, device: { compliant: true }, workforce: ok })
        .allowed,
    ).toBe(true);
  });
});

describe('step-up MFA', () => {
  it('requires a recent verification for sensitive permissions only', () => {
    const policy = compiled({ stepUpSeconds: 300 });
    const admin = (at?: number) => user(['security_admin'], at === undefined ? {} : { mfaVerifiedAt: at });
    expect(decide(policy, admin(), 'users.manage', { now: NOON })).toMatchObject({ condition: 'step_up' });
    expect(decide(policy, admin(NOON - 6 * MINUTE_MS), 'users.manage', { now: NOON })).toMatchObject({
      condition: 'step_up',
    });
    expect(decide(policy, admin(NOON - 4 * MINUTE_MS), 'users.manage', { now: NOON }).allowed).toBe(true);
    expect(decide(policy, admin(), 'users.read', { now: NOON }).allowed).toBe(true);
    const stale = decide(policy, admin(NOON - HOUR_MS), 'keys.manage', { now: NOON });
    expect(!stale.allowed && stale.message).toBe(
      'To rotate encryption keys and schedule key destruction confirm your identity with MFA again: it must have been verified within the last 5 minutes.',
    );
  });

  it('adds step-up where a tenant rule asks for it', () => {
    const policy = compiled({ rules: [{ target: 'audit.read', stepUp: true }] });
    expect(decide(policy, user(['auditor']), 'audit.read', { now: NOON })).toMatchObject({
      condition: 'step_up',
    });
  });
});

describe('time windows', () => {
  const shift: TimeWindow = {
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: '08:00',
    end: '18:00',
    timeZone: 'Europe/Paris',
  };

  it('limits a role to its shift, in the shift time zone', () => {
    const policy = compiled({ roleWindows: [{ role: 'agent', windows: [shift] }] });
    const agent = user(['agent']);
    // 12:00 UTC is 13:00 in Paris in January: inside. 17:30 UTC is 18:30 in Paris: outside.
    expect(decide(policy, agent, 'interactions.read', { now: NOON }).allowed).toBe(true);
    const late = decide(policy, agent, 'interactions.read', { now: NOON + 5.5 * HOUR_MS });
    expect(late).toMatchObject({ allowed: false, condition: 'time_window' });
    expect(!late.allowed && late.message).toContain(
      'only during mon,tue,wed,thu,fri 08:00-18:00 Europe/Paris',
    );
    // Saturday noon: outside.
    expect(decide(policy, agent, 'interactions.read', { now: NOON + 2 * DAY_MS }).allowed).toBe(false);
  });

  it('follows daylight saving time', () => {
    const policy = compiled({ roleWindows: [{ role: 'agent', windows: [shift] }] });
    // Monday 2026-06-01 06:30 UTC is 08:30 in Paris (UTC+2): inside; in January it would be 07:30.
    expect(
      decide(policy, user(['agent']), 'interactions.read', { now: Date.UTC(2026, 5, 1, 6, 30) }).allowed,
    ).toBe(true);
    expect(
      decide(policy, user(['agent']), 'interactions.read', { now: Date.UTC(2026, 0, 5, 6, 30) }).allowed,
    ).toBe(false);
  });

  it('handles overnight shifts that end the next morning', () => {
    const night: TimeWindow = { days: ['fri'], start: '22:00', end: '06:00', timeZone: 'UTC' };
    const policy = compiled({ roleWindows: [{ role: 'agent', windows: [night] }] });
    const friday = Date.UTC(2026, 0, 2);
    const at = (h: number) =>
      decide(policy, user(['agent']), 'interactions.read', { now: friday + h * HOUR_MS }).allowed;
    expect([at(21), at(23), at(24 + 5), at(24 + 7)]).toEqual([false, true, true, false]);
  });

  it('allows through another role that has no window', () => {
    const policy = compiled({ roleWindows: [{ role: 'agent', windows: [shift] }] });
    const both = user(['agent', 'auditor']);
    expect(decide(policy, both, 'interactions.read', { now: NOON + 2 * DAY_MS })).toMatchObject({
      allowed: true,
      grantedBy: 'auditor',
    });
  });
});

describe('elevations', () => {
  const elevation = (overrides: Partial<ActiveElevation>): ActiveElevation => ({
    id: 'e1',
    userId: 'u1',
    kind: 'role',
    name: 'payments_specialist',
    scope: 'tenant',
    expiresAt: NOON + HOUR_MS,
    breakGlass: false,
    ...overrides,
  });

  it('grants an elevated role until it expires', () => {
    const policy = compiled({}, { elevations: [elevation({})] });
    const agent = user(['agent'], { mfaVerifiedAt: NOON });
    expect(decide(policy, agent, 'vault.detokenize', { now: NOON })).toMatchObject({
      allowed: true,
      via: 'elevation',
      elevationId: 'e1',
    });
    expect(decide(policy, agent, 'vault.detokenize', { now: NOON + HOUR_MS }).allowed).toBe(false);
    expect(decide(policy, { ...agent, id: 'u2' }, 'vault.detokenize', { now: NOON }).allowed).toBe(false);
  });

  it('still applies conditions to elevated permissions', () => {
    const policy = compiled(ZONED, {
      elevations: [elevation({ kind: 'permission', name: 'interactions.reveal' })],
    });
    const agent = user(['agent'], { mfaVerifiedAt: NOON });
    expect(decide(policy, agent, 'interactions.reveal', { now: NOON, ip: '10.20.0.1' }).allowed).toBe(true);
    expect(decide(policy, agent, 'interactions.reveal', { now: NOON, ip: '192.0.2.1' })).toMatchObject({
      condition: 'network_zone',
    });
    expect(
      decide(policy, { ...agent, mfaVerifiedAt: undefined }, 'interactions.reveal', {
        now: NOON,
        ip: '10.20.0.1',
      }),
    ).toMatchObject({
      condition: 'step_up',
    });
  });

  it('marks break-glass use and prefers a normal elevation when both grant', () => {
    const glass = elevation({ id: 'bg', breakGlass: true });
    expect(
      decide(compiled({}, { elevations: [glass] }), user([], { mfaVerifiedAt: NOON }), 'vault.tokenize', {
        now: NOON,
      }),
    ).toMatchObject({
      via: 'break_glass',
    });
    const both = compiled({}, { elevations: [glass, elevation({ id: 'jit' })] });
    expect(decide(both, user([], { mfaVerifiedAt: NOON }), 'vault.tokenize', { now: NOON })).toMatchObject({
      elevationId: 'jit',
    });
  });
});

describe('scope and fields', () => {
  const policy = compiled(
    {},
    {
      teams: [
        { id: 't1', name: 'Billing', queues: ['billing', 'refunds'], members: ['u1', 'u2'] },
        { id: 't2', name: 'Sales', queues: ['sales'], members: ['u3'] },
      ],
    },
  );

  it('narrows interactions to own, team, sampled or tenant by role', () => {
    expect(scopeOf(policy, user(['agent']), 'interactions.read', NOON)).toMatchObject({
      own: true,
      tenant: false,
      teamIds: [],
    });
    expect(scopeOf(policy, user(['supervisor']), 'interactions.read', NOON)).toMatchObject({
      own: false,
      teamIds: ['t1'],
      queues: ['billing', 'refunds'],
    });
    expect(scopeOf(policy, user(['qa_analyst']), 'interactions.read', NOON)).toMatchObject({
      sampled: true,
      tenant: false,
    });
    expect(scopeOf(policy, user(['auditor']), 'interactions.read', NOON)).toMatchObject({ tenant: true });
    expect(scopeOf(policy, user(['security_admin']), 'interactions.read', NOON)).toMatchObject({
      tenant: false,
      own: false,
      sampled: false,
      teamIds: [],
    });
  });

  it('shows each field at the most permissive visibility of the roles held', () => {
    expect(fieldsOf(policy, user(['qa_analyst']), NOON)).toMatchObject({
      'customer.name': 'masked',
      'agent.name': 'unmasked',
    });
    expect(fieldsOf(policy, user(['agent']), NOON)).toMatchObject({
      'customer.name': 'unmasked',
      'recording.audio': 'omitted',
    });
    expect(fieldsOf(policy, user(['agent', 'qa_analyst']), NOON)['recording.audio']).toBe('masked');
    expect(Object.values(fieldsOf(policy, user([]), NOON)).every((v) => v === 'omitted')).toBe(true);
  });
});
