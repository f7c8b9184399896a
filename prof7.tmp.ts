import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs'; import { tmpdir } from 'node:os'; import path from 'node:path';
import { loadConfig } from './src/config/index.ts'; import { createLogger } from './src/logging/logger.ts'; import { openVigil } from './src/main.ts';
const dataDir = mkdtempSync(path.join(tmpdir(), 'p-'));
const vigil = await openVigil(loadConfig({ env: { VIGIL_DATA_DIR: dataDir, VIGIL_KEY_PROVIDER: 'env', VIGIL_MASTER_KEY: randomBytes(32).toString('base64') } }), { logger: createLogger({ level: 'silent' }) });
const tenant = await vigil.tenancy.ensureDefault(); const db = vigil.storage.db;
const pt = randomBytes(2048);
const inputs = Array.from({ length: 1024 }, (_, i) => ({ tenantId: tenant.id, table: 'interactions', column: 'transcript', rowId: `row-${i}`, plaintext: pt }));
const cts = [] as Buffer[]; for (const i of inputs) cts.push(await vigil.keys.encryptField(db, i));
const d = inputs.map((x, i) => ({ ...x, ciphertext: cts[i]! }));
const mode = process.argv[2];
const s = performance.now(); let n = 0;
while (performance.now() - s < 4000) { for (let i = 0; i < 64; i++) { if (mode === 'd') await vigil.keys.decryptField(db, d[(n + i) % 1024]!); else await vigil.keys.encryptField(db, inputs[(n + i) % 1024]!); } n += 64; }
console.log(n);
await vigil.close();
