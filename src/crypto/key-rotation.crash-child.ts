/**
 * Child process of key-rotation.crash.test.ts: runs the re-wrap job with tiny batches and reports
 * each committed batch on stdout, so the test can kill it (SIGKILL) in the middle of the job.
 */
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../logging/logger.ts';
import { openVigil } from '../main.ts';

const schema = process.argv[2];
const vigil = await openVigil(loadConfig({ env: process.env }), {
  logger: createLogger({ level: 'silent' }),
  storage: schema ? { postgresSchema: schema } : {},
});
process.stdout.write('started\n');
await vigil.keys.rewrapKeys(
  { now: Date.now(), signal: new AbortController().signal },
  { batchSize: 2, onBatch: (report) => process.stdout.write(`batch ${report.dataKeysRewrapped}\n`) },
);
process.stdout.write('done\n');
await vigil.close();
