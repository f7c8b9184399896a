// Authorization decisions per second on one core: Vigil's compiled policy engine (built-in roles
// with network zones, shift windows, step-up MFA and elevations), the same decision through the
// async gate with its tenant cache, and node-casbin (RBAC, no conditions) cached and uncached.
//   node --import tsx bench/access-decisions.ts [--decisions 5000000] [--rounds 5] [--casbin-seconds 2]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { newCachedEnforcer, newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import {
  type AccessPolicyInput,
  accessPolicySchema,
  BUILTIN_ROLE_NAMES,
  BUILTIN_ROLES,
  compileAccess,
  decide,
  PERMISSION_NAMES,
} from '../src/access/index.ts';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openVigil } from '../src/main.ts';
import { HOUR_MS, MINUTE_MS } from '../src/shared/clock.ts';
import type { Principal } from '../src/shared/principal.ts';

const { values } = parseArgs({
  options: {
    decisions: { type: 'string', default: '5000000' },
    rounds: { type: 'string', default: '5' },
    'casbin-seconds': { type: 'string', default: '2' },
  },
});
const DECISIONS = Number(values.decisions);
const ROUNDS = Number(values.rounds);
const CASBIN_MS = Number(values['casbin-seconds']) * 1000;

const TENANT = 'bench-tenant';
// A Wednesday at 10:00 UTC: inside the agents' shift in Paris.
const NOW = Date.UTC(2026, 2, 4, 10, 0);
const shift = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
  start: '07:00',
  end: '21:00',
  timeZone: 'Europe/Paris',
} as const;
const POLICY: AccessPolicyInput = {
  zones: [
    { name: 'office', cidrs: ['10.0.0.0/8', '2001:db8:10::/48'] },
    { name: 'vpn', cidrs: ['172.16.0.0/12'] },
  ],
  rules: [
    { target: 'customer-data', zones: ['office', 'vpn'] },
    { target: 'vault.detokenize', zones: ['office'] },
  ],
  roleWindows: [
    { role: 'agent', windows: [{ ...shift, days: [...shift.days] }] },
    { role: 'qa_analyst', windows: [{ ...shift, days: [...shift.days] }] },
  ],
  stepUpSeconds: 300,
};
const PEOPLE = BUILTIN_ROLE_NAMES.filter((r) => r !== 'integration');
const IPS = ['10.1.2.3', '172.16.9.9', '203.0.113.50', '2001:db8:10::7'];

function principals(): Principal[] {
  return PEOPLE.flatMap((role, i) =>
    [0, 1, 2].map((n) => ({
      tenantId: TENANT,
      kind: 'user' as const,
      id: `user-${i}-${n}`,
      displayName: `${role} ${n}`,
      roles: [role],
      mfaVerifiedAt: n === 2 ? NOW - HOUR_MS : NOW - MINUTE_MS,
    })),
  );
}

function compiled() {
  return compileAccess({
    tenantId: TENANT,
    generation: 'bench',
    policy: accessPolicySchema.parse(POLICY),
    customRoles: [],
    elevations: [
      {
        id: 'e1',
        userId: 'user-0-0',
        kind: 'role',
        name: 'payments_specialist',
        scope: 'tenant',
        expiresAt: NOW + HOUR_MS,
        breakGlass: false,
      },
    ],
    teams: [{ id: 't1', name: 'Billing', queues: ['billing'], members: ['user-1-0', 'user-0-0'] }],
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function benchEngine(): { perSecond: number; allowedShare: number; compileMs: number } {
  compiled();
  // Warm: what a node pays to recompile a tenant after a change (the first compile also loads code).
  const started = performance.now();
  const policy = compiled();
  const compileMs = performance.now() - started;
  const people = principals();
  const rates: number[] = [];
  let allowed = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    allowed = 0;
    const t0 = performance.now();
    for (let i = 0; i < DECISIONS; i++) {
      const decision = decide(
        policy,
        people[i % people.length]!,
        PERMISSION_NAMES[i % PERMISSION_NAMES.length]!,
        {
          now: NOW,
          ip: IPS[i % IPS.length],
        },
      );
      if (decision.allowed) allowed++;
    }
    // Round 0 warms the JIT and the role-set and address caches.
    if (round > 0) rates.push(DECISIONS / ((performance.now() - t0) / 1000));
  }
  return { perSecond: median(rates), allowedShare: allowed / DECISIONS, compileMs };
}

async function benchGate(): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-access-'));
  const env = {
    VIGIL_DATA_DIR: dataDir,
    VIGIL_KEY_PROVIDER: 'env',
    VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  const vigil = await openVigil(loadConfig({ env }), { logger: createLogger({ level: 'silent' }) });
  try {
    const tenant = await vigil.tenancy.ensureDefault();
    await vigil.access.admin.updatePolicy(
      { tenantId: tenant.id, kind: 'system', id: 'bench', displayName: 'bench', roles: [] },
      POLICY,
    );
    const people = principals().map((p) => ({ ...p, tenantId: tenant.id, mfaVerifiedAt: Date.now() }));
    const n = Math.min(DECISIONS, 1_000_000);
    const rates: number[] = [];
    for (let round = 0; round <= 3; round++) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        await vigil.access.gate.explain(
          people[i % people.length]!,
          PERMISSION_NAMES[i % PERMISSION_NAMES.length]!,
          { ip: IPS[i % IPS.length] },
        );
      }
      if (round > 0) rates.push(n / ((performance.now() - t0) / 1000));
    }
    return median(rates);
  } finally {
    await vigil.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const CASBIN_MODEL = `
[request_definition]
r = sub, act
[policy_definition]
p = sub, act
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub) && r.act == p.act
`;

function casbinPolicy(): string {
  const lines: string[] = [];
  for (const role of BUILTIN_ROLE_NAMES)
    for (const g of BUILTIN_ROLES[role].grants) lines.push(`p, ${role}, ${g.permission}`);
  for (const p of principals()) lines.push(`g, ${p.id}, ${p.roles[0]}`);
  return lines.join('\n');
}

async function benchCasbin(): Promise<{ cached: number; uncached: number }> {
  const people = principals();
  const cachedEnforcer = await newCachedEnforcer(
    newModelFromString(CASBIN_MODEL),
    new StringAdapter(casbinPolicy()),
  );
  const plain = await newEnforcer(newModelFromString(CASBIN_MODEL), new StringAdapter(casbinPolicy()));
  let i = 0;
  let t0 = performance.now();
  while (performance.now() - t0 < CASBIN_MS / 4)
    await cachedEnforcer.enforce(
      people[i % people.length]!.id,
      PERMISSION_NAMES[i++ % PERMISSION_NAMES.length],
    );
  i = 0;
  t0 = performance.now();
  while (performance.now() - t0 < CASBIN_MS) {
    for (let k = 0; k < 1000; k++, i++)
      await cachedEnforcer.enforce(
        people[i % people.length]!.id,
        PERMISSION_NAMES[i % PERMISSION_NAMES.length],
      );
  }
  const cached = i / ((performance.now() - t0) / 1000);
  i = 0;
  t0 = performance.now();
  while (performance.now() - t0 < CASBIN_MS) {
    for (let k = 0; k < 100; k++, i++)
      plain.enforceSync(people[i % people.length]!.id, PERMISSION_NAMES[i % PERMISSION_NAMES.length]);
  }
  const uncached = i / ((performance.now() - t0) / 1000);
  return { cached, uncached };
}

const engine = benchEngine();
console.log(
  `policy compile (8 built-in roles, 2 zones, 2 shift windows, 1 elevation): ${engine.compileMs.toFixed(2)} ms`,
);
console.log(
  `vigil engine, built-in roles with conditions (zones, shifts, step-up, elevation): ${fmt(engine.perSecond)} decisions/s on one core (${(100 * engine.allowedShare).toFixed(1)}% allowed)`,
);
const gate = await benchGate();
console.log(`vigil gate (async, tenant cache, SQLite behind it): ${fmt(gate)} decisions/s`);
const casbin = await benchCasbin();
console.log(`node-casbin cached enforcer (RBAC only, no conditions): ${fmt(casbin.cached)} decisions/s`);
console.log(
  `node-casbin uncached enforceSync (RBAC only, no conditions): ${fmt(casbin.uncached)} decisions/s`,
);
console.log(`target >= 1,000,000 decisions/s: ${engine.perSecond >= 1_000_000 ? 'met' : 'NOT met'}`);
console.log(
  `BENCH_JSON ${JSON.stringify({
    bench: 'access-decisions',
    decisions_per_round: DECISIONS,
    engine_decisions_per_s: Math.round(engine.perSecond),
    engine_allowed_share: Number(engine.allowedShare.toFixed(4)),
    compile_ms: Number(engine.compileMs.toFixed(3)),
    gate_decisions_per_s: Math.round(gate),
    casbin_cached_per_s: Math.round(casbin.cached),
    casbin_uncached_per_s: Math.round(casbin.uncached),
    target_met: engine.perSecond >= 1_000_000,
  })}`,
);
