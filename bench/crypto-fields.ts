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

/** Operations per second of an async fn (awaited one by one), in chunks of 64 until the round is up. */
async function rate(fn: (i: number) => Promise<unknown>): Promise<number> {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (let i = 0; i < 64; i++) await fn(n + i);
    n += 64;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

/** The same for the raw baseline, called synchronously: no await cost is charged to it. */
function rateSync(fn: () => unknown): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (let i = 0; i < 64; i++) fn();
    n += 64;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
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
  const rawSealed = rawSeal();
  const rawOpen = () => {
    const decipher = createDecipheriv('aes-256-gcm', rawKey, rawSealed.subarray(0, 12));
    decipher.setAuthTag(rawSealed.subarray(rawSealed.length - 16));
    const body = decipher.update(rawSealed.subarray(12, rawSealed.length - 16));
    decipher.final();
    return body;
  };
  // Inputs are built once: the caller's object construction is not the keyring's overhead.
  const encryptInputs = Array.from({ length: 1024 }, (_, i) => ({ ...at(i), plaintext }));
  const sealed = await Promise.all(encryptInputs.map((input) => vigil.keys.encryptField(db, input)));
  const decryptInputs = sealed.map((ciphertext, i) => ({ ...at(i), ciphertext }));

  const results = { rawEncrypt: [] as number[], fieldEncrypt: [] as number[], rawDecrypt: [] as number[], fieldDecrypt: [] as number[] };
  await rate((i) => vigil.keys.encryptField(db, encryptInputs[i % 1024]!)); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    results.rawEncrypt.push(rateSync(rawSeal));
    results.fieldEncrypt.push(await rate((i) => vigil.keys.encryptField(db, encryptInputs[i % 1024]!)));
    results.rawDecrypt.push(rateSync(rawOpen));
    results.fieldDecrypt.push(await rate((i) => vigil.keys.decryptField(db, decryptInputs[i % 1024]!)));
  }
  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Math.round(median(v))])) as Record<
    keyof typeof results,
    number
  >;
  // Overhead as extra time per operation: (raw rate / keyring rate) - 1.
  const encryptOverheadPct = Math.round((m.rawEncrypt / m.fieldEncrypt - 1) * 1000) / 10;
  const decryptOverheadPct = Math.round((m.rawDecrypt / m.fieldDecrypt - 1) * 1000) / 10;
  const mb = (ops: number) => ((ops * BYTES) / 1e6).toFixed(0);
  console.log(`field encryption, ${BYTES}-byte values, median of ${ROUNDS} alternating rounds of ${ROUND_MS} ms`);
  console.log(`  raw AES-256-GCM encrypt : ${m.rawEncrypt.toLocaleString('en')} ops/s (${mb(m.rawEncrypt)} MB/s)`);
  console.log(`  encryptField            : ${m.fieldEncrypt.toLocaleString('en')} ops/s (${mb(m.fieldEncrypt)} MB/s), overhead ${encryptOverheadPct}%`);
  console.log(`  raw AES-256-GCM decrypt : ${m.rawDecrypt.toLocaleString('en')} ops/s (${mb(m.rawDecrypt)} MB/s)`);
  console.log(`  decryptField            : ${m.fieldDecrypt.toLocaleString('en')} ops/s (${mb(m.fieldDecrypt)} MB/s), overhead ${decryptOverheadPct}%`);
  console.log(`  target: overhead <= 30% -> ${encryptOverheadPct <= 30 && decryptOverheadPct <= 30 ? 'met' : 'NOT met'}`);
  console.log(
    `BENCH_JSON ${JSON.stringify({
      bench: 'crypto-fields',
      bytes: BYTES,
      rounds: ROUNDS,
      rawEncryptOpsPerSec: m.rawEncrypt,
      fieldEncryptOpsPerSec: m.fieldEncrypt,
      rawDecryptOpsPerSec: m.rawDecrypt,
      fieldDecryptOpsPerSec: m.fieldDecrypt,
      encryptOverheadPct,
      decryptOverheadPct,
    })}`,
  );
} finally {
  await vigil.close();
  rmSync(dataDir, { recursive: true, force: true });
}
