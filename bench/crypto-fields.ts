// Field encryption and decryption of 2 KB values per second through the keyring (envelope keys
// from the in-memory cache, self-describing header, AAD binding tenant/table/column/row), against
// raw AES-256-GCM (random nonce, nonce || ciphertext || tag) on the same machine in the same run.
// Rounds alternate raw and keyring so load from other processes hits both alike.
//   node --import tsx bench/crypto-fields.ts [--rounds 15] [--round-ms 300] [--bytes 2048]
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/logging/logger.ts';
import { openVigil } from '../src/main.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    'round-ms': { type: 'string', default: '300' },
    bytes: { type: 'string', default: '2048' },
  },
});
const ROUNDS = Number(values.rounds);
const ROUND_MS = Number(values['round-ms']);
const BYTES = Number(values.bytes);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

interface Rate {
  /** Operations per wall-clock second (what a caller sees on this machine right now). */
  wall: number;
  /** Operations per second of process CPU time: the cost of the work itself, steadier on a shared machine. */
  cpu: number;
}

/** Rates of an async fn (awaited one by one), in chunks of 64 until the round is up. */
async function rate(fn: (i: number) => Promise<unknown>): Promise<Rate> {
  let n = 0;
  const start = performance.now();
  const cpuStart = cpuMicros();
  while (performance.now() - start < ROUND_MS) {
    for (let i = 0; i < 64; i++) await fn(n + i);
    n += 64;
  }
  return { wall: (n / (performance.now() - start)) * 1000, cpu: (n / (cpuMicros() - cpuStart)) * 1e6 };
}

/** The same for the raw baseline, called synchronously: no await cost is charged to it. */
function rateSync(fn: (i: number) => unknown): Rate {
  let n = 0;
  const start = performance.now();
  const cpuStart = cpuMicros();
  while (performance.now() - start < ROUND_MS) {
    for (let i = 0; i < 64; i++) fn(n + i);
    n += 64;
  }
  return { wall: (n / (performance.now() - start)) * 1000, cpu: (n / (cpuMicros() - cpuStart)) * 1e6 };
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-crypto-'));
const config = loadConfig({
  env: {
    VIGIL_DATA_DIR: dataDir,
    VIGIL_KEY_PROVIDER: 'env',
    VIGIL_MASTER_KEY: randomBytes(32).toString('base64'),
    VIGIL_SQLITE_SYNCHRONOUS: 'NORMAL',
  },
});
const vigil = await openVigil(config, { logger: createLogger({ level: 'silent' }) });
try {
  const tenant = await vigil.tenancy.ensureDefault();
  const db = vigil.storage.db;
  const plaintext = randomBytes(BYTES);
  const rawKey = createSecretKey(randomBytes(32));
  const at = (i: number) => ({ tenantId: tenant.id, table: 'interactions', column: 'transcript', rowId: `row-${i % 1024}` });

  const rawSeal = () => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', rawKey, nonce);
    const body = cipher.update(plaintext);
    cipher.final();
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  };
  // Both sides walk the same number of distinct 2 KB ciphertexts, so memory traffic is alike.
  const rawSealed = Array.from({ length: 1024 }, rawSeal);
  const rawOpen = (i: number) => {
    const sealed = rawSealed[i % 1024]!;
    const decipher = createDecipheriv('aes-256-gcm', rawKey, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const body = decipher.update(sealed.subarray(12, sealed.length - 16));
    decipher.final();
    return body;
  };
  // Inputs are built once: the caller's object construction is not the keyring's overhead.
  const encryptInputs = Array.from({ length: 1024 }, (_, i) => ({ ...at(i), plaintext }));
  const sealed = await Promise.all(encryptInputs.map((input) => vigil.keys.encryptField(db, input)));
  const decryptInputs = sealed.map((ciphertext, i) => ({ ...at(i), ciphertext }));

  const results: Record<'rawEncrypt' | 'fieldEncrypt' | 'rawDecrypt' | 'fieldDecrypt', Rate[]> = {
    rawEncrypt: [],
    fieldEncrypt: [],
    rawDecrypt: [],
    fieldDecrypt: [],
  };
  await rate((i) => vigil.keys.encryptField(db, encryptInputs[i % 1024]!)); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    results.rawEncrypt.push(rateSync(() => rawSeal()));
    results.fieldEncrypt.push(await rate((i) => vigil.keys.encryptField(db, encryptInputs[i % 1024]!)));
    results.rawDecrypt.push(rateSync(rawOpen));
    results.fieldDecrypt.push(await rate((i) => vigil.keys.decryptField(db, decryptInputs[i % 1024]!)));
  }
  const med = (k: keyof typeof results, by: keyof Rate) => Math.round(median(results[k].map((x) => x[by])));
  // Overhead as extra time per operation, (raw rate / keyring rate) - 1, on CPU time.
  const overhead = (raw: number, field: number) => Math.round((raw / field - 1) * 1000) / 10;
  const cpu = {
    rawEncrypt: med('rawEncrypt', 'cpu'),
    fieldEncrypt: med('fieldEncrypt', 'cpu'),
    rawDecrypt: med('rawDecrypt', 'cpu'),
    fieldDecrypt: med('fieldDecrypt', 'cpu'),
  };
  const wall = {
    rawEncrypt: med('rawEncrypt', 'wall'),
    fieldEncrypt: med('fieldEncrypt', 'wall'),
    rawDecrypt: med('rawDecrypt', 'wall'),
    fieldDecrypt: med('fieldDecrypt', 'wall'),
  };
  const encryptOverheadPct = overhead(cpu.rawEncrypt, cpu.fieldEncrypt);
  const decryptOverheadPct = overhead(cpu.rawDecrypt, cpu.fieldDecrypt);
  const n = (x: number) => x.toLocaleString('en');
  const mb = (ops: number) => ((ops * BYTES) / 1e6).toFixed(0);
  console.log(`field encryption, ${BYTES}-byte values, median of ${ROUNDS} alternating rounds of ${ROUND_MS} ms`);
  console.log('  (ops per CPU-second of this process; ops per wall-clock second in brackets)');
  console.log(`  raw AES-256-GCM encrypt : ${n(cpu.rawEncrypt)} ops/s, ${mb(cpu.rawEncrypt)} MB/s  [${n(wall.rawEncrypt)}]`);
  console.log(
    `  encryptField            : ${n(cpu.fieldEncrypt)} ops/s, ${mb(cpu.fieldEncrypt)} MB/s  [${n(wall.fieldEncrypt)}]  overhead ${encryptOverheadPct}%`,
  );
  console.log(`  raw AES-256-GCM decrypt : ${n(cpu.rawDecrypt)} ops/s, ${mb(cpu.rawDecrypt)} MB/s  [${n(wall.rawDecrypt)}]`);
  console.log(
    `  decryptField            : ${n(cpu.fieldDecrypt)} ops/s, ${mb(cpu.fieldDecrypt)} MB/s  [${n(wall.fieldDecrypt)}]  overhead ${decryptOverheadPct}%`,
  );
  console.log(`  target: overhead <= 30% -> ${encryptOverheadPct <= 30 && decryptOverheadPct <= 30 ? 'met' : 'NOT met'}`);
  console.log(
    `BENCH_JSON ${JSON.stringify({
      bench: 'crypto-fields',
      bytes: BYTES,
      rounds: ROUNDS,
      cpuOpsPerSec: cpu,
      wallOpsPerSec: wall,
      encryptOverheadPct,
      decryptOverheadPct,
    })}`,
  );
} finally {
  await vigil.close();
  rmSync(dataDir, { recursive: true, force: true });
}
