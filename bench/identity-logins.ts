// Password sign-ins per second on this machine, and the latency of an unrelated authenticated
// request while a login storm runs, against a real `vigil serve` listening on 127.0.0.1.
//   node --import tsx bench/identity-logins.ts [--seconds 10] [--concurrency 16] [--users 20] [--database sqlite|postgres]
// PostgreSQL uses a scratch database created on VIGIL_TEST_DATABASE_URL's server and dropped after.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openVigil } from '../src/main.ts';
import { systemPrincipal } from '../src/shared/principal.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    users: { type: 'string', default: '20' },
    database: { type: 'string', default: 'sqlite' },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const USERS = Number(values.users);
const PASSWORD = 'violet harbor lantern ninety';
const PORT = 18_000 + Math.floor(Math.random() * 2000);
const BASE = `http://127.0.0.1:${PORT}`;

const ADMIN_URL = process.env['VIGIL_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const BENCH_DB = `vigil_bench_identity_${process.pid}`;
const onPostgres = values.database === 'postgres';
const benchDbUrl = () => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${BENCH_DB}`;
  return url.href;
};

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-identity-'));
const env = {
  ...process.env,
  VIGIL_DATA_DIR: dataDir,
  VIGIL_KEY_PROVIDER: 'env',
  VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
  VIGIL_LOG_LEVEL: 'warn',
  VIGIL_PORT: String(PORT),
  VIGIL_RATE_LIMIT_PER_MINUTE: '10000000',
  ...(onPostgres ? { VIGIL_DATABASE_URL: benchDbUrl() } : {}),
};

/** Users with passwords; MFA required only by role so a password alone yields a full session. */
async function seed(): Promise<string[]> {
  const config = loadConfig({ env });
  const vigil = await openVigil(config, { logger: createLogger({ level: 'silent' }) });
  try {
    const tenant = await vigil.tenancy.ensureDefault();
    const admin = systemPrincipal(tenant.id, 'bench');
    await vigil.identity.policies.update(admin, { mfaRequired: 'roles' });
    const emails: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const email = `seat${i}@example.test`;
      const { link } = await vigil.identity.users.invite(admin, {
        email,
        displayName: `Seat ${i}`,
        roles: [],
      });
      await vigil.identity.enrollment.acceptInvite({ token: link.split('#token=')[1]!, password: PASSWORD });
      emails.push(email);
    }
    return emails;
  } finally {
    await vigil.close();
  }
}

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/vigil.js', 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error('server did not start');
}

async function login(email: string): Promise<string> {
  const res = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('vigil_session='))!
    .split(';')[0]!;
}

/** Sequential probes of an authenticated route; returns each latency in ms. */
async function probe(cookie: string, until: number): Promise<number[]> {
  const latencies: number[] = [];
  while (Date.now() < until) {
    const start = performance.now();
    const res = await fetch(`${BASE}/api/v1/auth/sessions`, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`probe answered ${res.status}`);
    latencies.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return latencies;
}

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

async function main(): Promise<void> {
  if (onPostgres) await admin(`create database ${BENCH_DB}`);
  const emails = await seed();
  const server = await startServer();
  try {
    const cookie = await login(emails[0]!);
    for (const email of emails.slice(0, 4)) await login(email); // warm up the JIT and the pools
    await probe(cookie, Date.now() + 1000);
    const idle = await probe(cookie, Date.now() + 3000);
    let logins = 0;
    let refused = 0;
    const until = Date.now() + SECONDS * 1000;
    const started = performance.now();
    const workers = Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = w; Date.now() < until; i += CONCURRENCY) {
        try {
          await login(emails[i % emails.length]!);
          logins += 1;
        } catch {
          refused += 1;
        }
      }
    });
    const [storm] = await Promise.all([probe(cookie, until), ...workers]);
    const elapsed = (performance.now() - started) / 1000;
    const figures = {
      database: onPostgres ? 'postgres' : 'sqlite',
      loginsPerSecond: Math.round((logins / elapsed) * 10) / 10,
      loginsRefused: refused,
      concurrency: CONCURRENCY,
      idleP50Ms: Math.round(quantile(idle, 0.5) * 10) / 10,
      idleP99Ms: Math.round(quantile(idle, 0.99) * 10) / 10,
      stormP50Ms: Math.round(quantile(storm!, 0.5) * 10) / 10,
      stormP99Ms: Math.round(quantile(storm!, 0.99) * 10) / 10,
      stormProbes: storm!.length,
      loadAverage: Math.round(loadavg()[0]! * 10) / 10,
    };
    console.log(
      `database: ${onPostgres ? 'PostgreSQL' : 'SQLite'}; machine load average ${loadavg()[0]!.toFixed(1)}`,
    );
    console.log(
      `password sign-ins (Argon2id m=19 MiB t=2 p=1): ${figures.loginsPerSecond}/s with ${CONCURRENCY} concurrent clients (${refused} refused)`,
    );
    console.log(
      `unrelated authenticated request, idle:        p50 ${figures.idleP50Ms} ms, p99 ${figures.idleP99Ms} ms`,
    );
    console.log(
      `unrelated authenticated request, login storm: p50 ${figures.stormP50Ms} ms, p99 ${figures.stormP99Ms} ms (${figures.stormProbes} probes; target p99 < 50 ms)`,
    );
    console.log(`BENCH_JSON ${JSON.stringify(figures)}`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
    if (onPostgres) await admin(`drop database ${BENCH_DB}`);
  }
}

await main();
