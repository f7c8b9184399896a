import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import {
  type AccessStack,
  buildAccessStack,
  createActiveUser,
  signIn,
  type TestUser,
} from '../src/access/access.test-support.ts';
import { PERMISSION_NAMES, PERMISSIONS, type Permission, SCOPE_PERMISSIONS } from '../src/access/index.ts';
import type { RouteAccess } from '../src/http/route-access.ts';
import { buildHttpApp } from '../src/main.ts';
import { describeEachDialect, type TestVigil } from './harness/test-vigil.ts';

/**
 * THE table: which built-in roles hold each permission. Every expectation below derives from it;
 * the engine, the role definitions and every route are checked against it over real HTTP.
 */
const PERMISSION_ROLES: Readonly<Record<Permission, readonly Role[]>> = {
  'interactions.read': [
    'agent',
    'supervisor',
    'qa_analyst',
    'payments_specialist',
    'compliance_officer',
    'auditor',
  ],
  'interactions.reveal': ['supervisor'],
  'interactions.export': [],
  'qa.evaluate': ['supervisor', 'qa_analyst'],
  'vault.tokenize': ['payments_specialist'],
  'vault.detokenize': ['payments_specialist'],
  'ingest.write': ['integration'],
  'retention.manage': ['compliance_officer'],
  'dsar.manage': ['compliance_officer'],
  'reports.read': ['compliance_officer', 'auditor'],
  'audit.read': ['compliance_officer', 'security_admin', 'auditor'],
  'audit.verify': ['compliance_officer', 'security_admin', 'auditor'],
  'audit.checkpoint': ['security_admin'],
  'users.read': ['compliance_officer', 'security_admin', 'auditor'],
  'users.manage': ['security_admin'],
  'apikeys.manage': ['security_admin'],
  'roles.manage': ['security_admin'],
  'access.read': ['compliance_officer', 'security_admin', 'auditor'],
  'access.manage': ['security_admin'],
  'access.elevate.approve': ['security_admin'],
  'access.breakglass': [],
  'access.review': ['supervisor', 'compliance_officer', 'security_admin'],
  'access.review.manage': ['compliance_officer', 'security_admin'],
  'keys.read': ['security_admin', 'auditor'],
  'keys.manage': ['security_admin'],
  'incidents.manage': ['security_admin'],
};

const ROLES = [
  'agent',
  'supervisor',
  'qa_analyst',
  'payments_specialist',
  'compliance_officer',
  'security_admin',
  'auditor',
  'integration',
] as const;
type Role = (typeof ROLES)[number];

/** Every route of the API and its declaration. A route missing here fails the test (deny by default). */
const ROUTES: Readonly<Record<string, string>> = {
  'GET /api/docs': 'public',
  'GET /api/docs/static/index.html': 'public',
  'GET /api/docs/static/swagger-initializer.js': 'public',
  'GET /api/docs/json': 'public',
  'GET /api/docs/yaml': 'public',
  'GET /api/docs/static/*': 'public',
  'GET /api/openapi.json': 'public',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /*': 'public',
  'GET /api/v1/audit/events': 'permission:audit.read',
  'GET /api/v1/audit/events/:id/proof': 'permission:audit.read',
  'GET /api/v1/audit/checkpoints': 'permission:audit.read',
  'GET /api/v1/audit/consistency': 'permission:audit.read',
  'POST /api/v1/audit/checkpoints': 'permission:audit.checkpoint',
  'POST /api/v1/audit/verify': 'permission:audit.verify',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/login/mfa': 'public',
  'POST /api/v1/auth/bootstrap': 'public',
  'POST /api/v1/auth/invitation/accept': 'public',
  'POST /api/v1/auth/password-reset/request': 'public',
  'POST /api/v1/auth/password-reset/complete': 'public',
  'GET /api/v1/auth/session': 'authenticated',
  'POST /api/v1/auth/logout': 'authenticated',
  'GET /api/v1/auth/sessions': 'authenticated',
  'DELETE /api/v1/auth/sessions/:id': 'authenticated',
  'POST /api/v1/auth/password': 'authenticated',
  'POST /api/v1/auth/step-up/passkey-options': 'authenticated',
  'POST /api/v1/auth/step-up': 'authenticated',
  'GET /api/v1/auth/mfa': 'authenticated',
  'POST /api/v1/auth/mfa/totp': 'authenticated',
  'POST /api/v1/auth/mfa/totp/confirm': 'authenticated',
  'DELETE /api/v1/auth/mfa/totp': 'authenticated',
  'POST /api/v1/auth/mfa/passkeys/options': 'authenticated',
  'POST /api/v1/auth/mfa/passkeys': 'authenticated',
  'DELETE /api/v1/auth/mfa/passkeys/:id': 'authenticated',
  'POST /api/v1/auth/mfa/recovery-codes': 'authenticated',
  'GET /api/v1/users': 'permission:users.read',
  'POST /api/v1/users': 'permission:users.manage',
  'GET /api/v1/users/:id': 'permission:users.read',
  'POST /api/v1/users/:id/suspend': 'permission:users.manage',
  'POST /api/v1/users/:id/reactivate': 'permission:users.manage',
  'POST /api/v1/users/:id/reset-mfa': 'permission:users.manage',
  'DELETE /api/v1/users/:id/sessions': 'permission:users.manage',
  'POST /api/v1/users/:id/invitation': 'permission:users.manage',
  'GET /api/v1/api-keys': 'permission:apikeys.manage',
  'POST /api/v1/api-keys': 'permission:apikeys.manage',
  'DELETE /api/v1/api-keys/:id': 'permission:apikeys.manage',
  'GET /api/v1/identity/policy': 'permission:access.manage',
  'PUT /api/v1/identity/policy': 'permission:access.manage',
  'GET /api/v1/auth/sso/:tenant/:provider/start': 'public',
  'GET /api/v1/auth/sso/:tenant/providers': 'public',
  'GET /api/v1/auth/sso/callback': 'public',
  'GET /api/v1/sso/providers': 'permission:access.manage',
  'PUT /api/v1/sso/providers/:slug': 'permission:access.manage',
  'DELETE /api/v1/sso/providers/:id': 'permission:access.manage',
  'GET /api/v1/access/permissions': 'authenticated',
  'GET /api/v1/access/me': 'authenticated',
  'GET /api/v1/access/routes': 'permission:access.read',
  'GET /api/v1/access/roles': 'permission:access.read',
  'GET /api/v1/access/roles/:name': 'permission:access.read',
  'POST /api/v1/access/roles': 'permission:roles.manage',
  'PUT /api/v1/access/roles/:name': 'permission:roles.manage',
  'DELETE /api/v1/access/roles/:name': 'permission:roles.manage',
  'GET /api/v1/access/policy': 'permission:access.read',
  'PUT /api/v1/access/policy': 'permission:access.manage',
  'GET /api/v1/access/teams': 'permission:access.read',
  'POST /api/v1/access/teams': 'permission:roles.manage',
  'PUT /api/v1/access/teams/:id/queues': 'permission:roles.manage',
  'PUT /api/v1/access/teams/:id/members': 'permission:roles.manage',
  'DELETE /api/v1/access/teams/:id': 'permission:roles.manage',
  'POST /api/v1/access/elevations': 'authenticated',
  'GET /api/v1/access/elevations': 'authenticated',
  'POST /api/v1/access/elevations/:id/approve': 'permission:access.elevate.approve',
  'POST /api/v1/access/elevations/:id/deny': 'permission:access.elevate.approve',
  'POST /api/v1/access/elevations/:id/revoke': 'authenticated',
  'POST /api/v1/access/break-glass': 'permission:access.breakglass',
  'GET /api/v1/access/reviews': 'permission:access.read',
  'GET /api/v1/access/reviews/signing-key': 'permission:access.read',
  'GET /api/v1/access/reviews/:id': 'permission:access.read',
  'GET /api/v1/access/reviews/:id/export': 'permission:access.read',
  'GET /api/v1/access/reviews/:id/items': 'permission:access.review',
  'POST /api/v1/access/reviews/:id/items/:itemId/decision': 'permission:access.review',
  'POST /api/v1/access/reviews': 'permission:access.review.manage',
  'POST /api/v1/access/reviews/:id/close': 'permission:access.review.manage',
  'POST /api/v1/vault/tokens': 'permission:vault.tokenize',
  'POST /api/v1/vault/tokens/:token/detokenize': 'permission:vault.detokenize',
  'POST /api/v1/interactions': 'integration:ingest',
  'POST /api/v1/interactions::batch': 'integration:ingest',
  'POST /api/v1/ingest/:adapter': 'integration:ingest',
  'GET /api/v1/interactions': 'permission:interactions.read',
  'GET /api/v1/interactions/:id': 'permission:interactions.read',
  'POST /api/v1/interactions/:id/reveal': 'permission:interactions.reveal',
  'PUT /api/v1/interactions/:id/recording': 'integration:ingest',
  'GET /api/v1/interactions/:id/recording': 'permission:interactions.read',
  'GET /api/v1/integrations/:platform': 'permission:apikeys.manage',
  'PUT /api/v1/integrations/:platform/secret': 'permission:apikeys.manage',
  'DELETE /api/v1/integrations/:platform/secret': 'permission:apikeys.manage',
  'GET /api/v1/retention/jurisdictions': 'permission:reports.read',
  'GET /api/v1/retention/policies': 'permission:reports.read',
  'PUT /api/v1/retention/assignment': 'permission:retention.manage',
  'PUT /api/v1/retention/policies': 'permission:retention.manage',
  'DELETE /api/v1/retention/policies/:id': 'permission:retention.manage',
  'GET /api/v1/retention/plan': 'permission:reports.read',
  'POST /api/v1/retention/runs': 'permission:retention.manage',
  'GET /api/v1/retention/runs': 'permission:reports.read',
  'GET /api/v1/retention/certificates': 'permission:reports.read',
  'GET /api/v1/retention/certificates/:id': 'permission:reports.read',
  'GET /api/v1/retention/signing-key': 'permission:reports.read',
  'GET /api/v1/retention/holds': 'permission:reports.read',
  'POST /api/v1/retention/holds': 'permission:retention.manage',
  'POST /api/v1/retention/holds/:id/release': 'permission:retention.manage',
  'GET /api/v1/retention/checks': 'permission:reports.read',
  'GET /api/v1/retention/checks/:id': 'permission:reports.read',
  'POST /api/v1/retention/checks': 'permission:retention.manage',
  'POST /api/v1/dsar/cases': 'permission:dsar.manage',
  'GET /api/v1/dsar/cases': 'permission:dsar.manage',
  'GET /api/v1/dsar/cases/:id': 'permission:dsar.manage',
  'GET /api/v1/dsar/cases/:id/export': 'permission:dsar.manage',
  'POST /api/v1/dsar/cases/:id/erase': 'permission:dsar.manage',
  'POST /api/v1/dsar/cases/:id/extend': 'permission:dsar.manage',
  'POST /api/v1/dsar/cases/:id/close': 'permission:dsar.manage',
};

const IN_ZONE = '10.20.30.40';
const OUT_OF_ZONE = '203.0.113.77';
/** Codes with which the security layer (not a handler) refuses a caller. */
const REFUSALS = new Set([
  'UNAUTHENTICATED',
  'ACCESS_DENIED',
  'STEP_UP_REQUIRED',
  'API_KEY_SCOPE',
  'API_KEY_INVALID',
]);

function declaration(access: RouteAccess): string {
  if (access.kind === 'permission') return `permission:${access.permission}`;
  if (access.kind === 'integration') return `integration:${access.scope}`;
  return access.kind;
}

/** Whether the role may call a route with this declaration from inside or outside the zone. */
function expectedAllowed(entry: string, role: Role | 'anonymous', inZone: boolean): boolean {
  const [kind, name = ''] = entry.split(':');
  if (kind === 'public') return true;
  if (role === 'anonymous') return false;
  if (kind === 'authenticated') return role !== 'integration';
  const permission = (kind === 'integration' ? SCOPE_PERMISSIONS[name] : name) as Permission;
  const holders = PERMISSION_ROLES[permission] ?? [];
  if (!holders.includes(role)) return false;
  // The tenant's rule: customer data only from the office zone.
  return inZone || !PERMISSIONS[permission].customerData;
}

function concreteUrl(url: string): string {
  // `::` is Fastify's escape for a literal colon (`/interactions::batch`), not a parameter.
  return url
    .replaceAll('::', '\u0000')
    .replaceAll(':name', 'no_such_role')
    .replaceAll(':tenant', 'default')
    .replaceAll(':provider', 'none')
    .replaceAll(':slug', 'none')
    .replaceAll('*', 'index.html')
    .replace(/:[A-Za-z]+/g, () => randomUUID())
    .replaceAll('\u0000', ':');
}

describeEachDialect('authorization matrix: every route x every built-in role x in/out of zone', (get) => {
  let t: TestVigil;
  let app: FastifyInstance;
  let stack: AccessStack;
  const users = new Map<Role, TestUser>();
  let apiKey = '';

  beforeAll(async () => {
    t = get();
    stack = await buildAccessStack(t);
    await stack.access.admin.updatePolicy(stack.operator, {
      zones: [{ name: 'office', cidrs: ['10.0.0.0/8'] }],
      rules: [{ target: 'customer-data', zones: ['office'] }],
    });
    for (const role of ROLES) {
      if (role !== 'integration')
        users.set(role, await createActiveUser(stack, { name: `Matrix ${role}`, roles: [role] }));
    }
    apiKey = (await stack.identity.apiKeys.create(stack.operator, { name: 'matrix', scopes: ['ingest'] }))
      .secret;
    app = await buildHttpApp(t.vigil);
    return () => app.close();
  });

  const routes = () => app.declaredRoutes.filter((r) => r.method !== 'HEAD');

  it('has an entry for every route, and every entry is a route, with the declared access', () => {
    const declared = new Map(routes().map((r) => [`${r.method} ${r.url}`, declaration(r.access)]));
    const missing = [...declared.keys()].filter((key) => !(key in ROUTES));
    expect(missing, 'routes without an entry in the authorization table').toEqual([]);
    const stale = Object.keys(ROUTES).filter((key) => !declared.has(key));
    expect(stale, 'entries for routes that no longer exist').toEqual([]);
    for (const [key, entry] of declared) expect(entry, key).toBe(ROUTES[key]);
    for (const entry of Object.values(ROUTES)) {
      const [kind, name = ''] = entry.split(':');
      if (kind === 'permission') expect(PERMISSION_NAMES, entry).toContain(name);
    }
  });

  async function call(method: string, url: string, who: Role | 'anonymous', ip: string) {
    const headers: Record<string, string> = {};
    if (who === 'integration') headers['authorization'] = `Bearer ${apiKey}`;
    else if (who !== 'anonymous') {
      // A fresh session per request: some routes (logout) end the session they are called with.
      const session = await signIn(t, stack, users.get(who)!, { mfa: true });
      Object.assign(headers, session.headers(true));
    }
    return app.inject({ method: method as 'GET', url: concreteUrl(url), headers, remoteAddress: ip });
  }

  for (const who of ['anonymous', ...ROLES] as const) {
    it(`serves ${who} exactly what the table allows`, async () => {
      const wrong: string[] = [];
      for (const route of routes()) {
        const entry = ROUTES[`${route.method} ${route.url}`] ?? 'missing';
        for (const [zone, ip] of [
          ['in', IN_ZONE],
          ['out', OUT_OF_ZONE],
        ] as const) {
          if (who === 'anonymous' && zone === 'out') continue;
          const response = await call(route.method, route.url, who, ip);
          const code =
            response.statusCode >= 400
              ? (response.json() as { error?: { code?: string } }).error?.code
              : undefined;
          const refused =
            (response.statusCode === 401 || response.statusCode === 403) && REFUSALS.has(code ?? '');
          const allowed = response.statusCode !== 401 && response.statusCode !== 403;
          const expected = expectedAllowed(entry, who, zone === 'in');
          if (expected ? !allowed : !refused) {
            wrong.push(
              `${route.method} ${route.url} [${zone} zone]: expected ${expected ? 'allow' : 'deny'}, got ${response.statusCode} ${code ?? ''}`,
            );
          }
        }
      }
      expect(wrong).toEqual([]);
    }, 120_000);
  }

  it('decides every permission for every role in and out of zone as the table says', async () => {
    for (const role of ROLES) {
      if (role === 'integration') continue;
      const principal = { ...users.get(role)!.principal, mfaVerifiedAt: t.clock.now() };
      for (const permission of PERMISSION_NAMES) {
        for (const [inZone, ip] of [
          [true, IN_ZONE],
          [false, OUT_OF_ZONE],
        ] as const) {
          const allowed = await stack.access.gate.holds(principal, permission, { ip });
          expect(allowed, `${role} ${permission} ${inZone ? 'in' : 'out of'} zone`).toBe(
            expectedAllowed(`permission:${permission}`, role, inZone),
          );
        }
      }
    }
  });
});
