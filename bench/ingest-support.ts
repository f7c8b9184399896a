import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openVigil, type Vigil } from '../src/main.ts';

export const PG_URL = process.env['VIGIL_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const FIRST = ['Maria', 'James', 'Aiko', 'Olu', 'Chen', 'Sofia', 'Liam', 'Fatima', 'Noah', 'Priya'];
const LAST = ['Lopez', 'Smith', 'Tanaka', 'Adeyemi', 'Wang', 'Rossi', 'Murphy', 'Haddad', 'Brown', 'Patel'];
const CARDS = [
  '4111111111111111',
  '5555555555554444',
  '378282246310005',
  '6011111111111117',
  '4012888888881881',
];
const FILLER = [
  'Thank you for calling, my name is Sam, how can I help you today?',
  'I am calling about the charge on my last statement, it looks higher than usual.',
  'I understand, let me pull up your account and have a look at the recent transactions for you.',
  'Sure, take your time. I have been a customer for about six years now and never had this problem.',
  'I can see a late fee was added on the fourteenth, I can waive that for you as a courtesy today.',
  'That would be great, thank you. Can you also update the card you have on file for autopay?',
  'Of course. Before we continue, can you confirm the billing address and the postal code please?',
  'Is there anything else I can help you with today? Thank you for your patience on the line.',
];

/** A realistic ~2 KB generic interaction with a card number, a security code, an email and a phone. */
export function benchInteraction(i: number) {
  const name = `${FIRST[i % 10]} ${LAST[(i * 7) % 10]}`;
  const email = `${FIRST[i % 10]!.toLowerCase()}.${LAST[(i * 7) % 10]!.toLowerCase()}${i}@example.com`;
  const texts = [
    FILLER[0]!,
    `Hi, this is ${name}. ${FILLER[1]}`,
    FILLER[2]!,
    FILLER[3]!,
    FILLER[4]!,
    `${FILLER[5]} The new card is ${CARDS[i % CARDS.length]} and it expires next year.`,
    'And the three digits on the back?',
    `It is ${100 + (i % 900)}. You can send the confirmation to ${email}.`,
    FILLER[6]!,
    `Sure, you can also call me back at 416 555 ${String(1000 + (i % 9000)).padStart(4, '0')} if needed.`,
    FILLER[7]!,
  ];
  return {
    sourceId: `bench-${i}`,
    channel: 'voice',
    direction: 'inbound',
    startedAt: 1_763_000_000_000 + i * 1000,
    queue: ['billing', 'support', 'sales'][i % 3],
    participants: [
      { ref: 'agent', role: 'agent', name: 'Sam Rivera', externalId: `agent-${i % 25}` },
      {
        ref: 'cust',
        role: 'customer',
        name,
        email,
        phone: `+1 416 555 ${String(1000 + (i % 9000)).padStart(4, '0')}`,
      },
    ],
    segments: texts.map((text, k) => ({
      participant: k % 2 === 0 ? 'agent' : 'cust',
      text,
      startMs: k * 5000,
      endMs: k * 5000 + 4500,
    })),
  };
}

export interface BenchVigil {
  vigil: Vigil;
  env: Record<string, string>;
  destroy(): Promise<void>;
}

/** A fresh Vigil on a temp SQLite file or a fresh PostgreSQL database, as in production. */
export async function openBenchVigil(dialect: 'sqlite' | 'postgres'): Promise<BenchVigil> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-'));
  const env: Record<string, string> = {
    VIGIL_DATA_DIR: dataDir,
    VIGIL_KEY_PROVIDER: 'env',
    VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
    VIGIL_LOG_LEVEL: 'warn',
    VIGIL_RATE_LIMIT_PER_MINUTE: '10000000',
    VIGIL_BODY_LIMIT_BYTES: String(64 * 1024 * 1024),
  };
  let database: string | undefined;
  if (dialect === 'postgres') {
    database = `vigil_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    env['VIGIL_DATABASE_URL'] = url.toString();
  }
  const vigil = await openVigil(loadConfig({ env }), { logger: createLogger({ level: 'warn' }) });
  return {
    vigil,
    env,
    async destroy() {
      await vigil.close();
      // The SQLite file of a run is tens of MB: nothing of it is needed once the figures are out.
      rmSync(dataDir, { recursive: true, force: true });
      if (database) {
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query(`drop database if exists ${database} with (force)`);
        await admin.end();
      }
    },
  };
}

export function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

/** CPU time of this thread alone (Linux: /proc), in ms; undefined elsewhere. */
function mainThreadCpuMs(): number | undefined {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 10 ms ticks
  } catch {
    return undefined;
  }
}

/**
 * CPU spent per interaction during a phase, all threads (workers included) and the main thread
 * alone: on a shared machine these hold steadier than the wall-clock rate.
 */
export function cpuMeter() {
  const process0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  return (count: number) => {
    const all = process.cpuUsage(process0);
    const main1 = mainThreadCpuMs();
    const per = (ms: number) => Math.round((ms / count) * 1000) / 1000;
    return {
      cpuMsPerInteraction: per((all.user + all.system) / 1000),
      ...(main0 !== undefined && main1 !== undefined
        ? { mainThreadCpuMsPerInteraction: per(main1 - main0) }
        : {}),
    };
  };
}

export const loadAverage = () => loadavg().map((l) => Math.round(l * 100) / 100);
