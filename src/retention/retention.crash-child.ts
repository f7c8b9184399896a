/**
 * Child process of retention.crash.test.ts: runs a purge with tiny batches and reports each
 * committed batch on stdout, so the test can kill it (SIGKILL) in the middle of the run.
 */
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../logging/logger.ts';
import { openVigil } from '../main.ts';
import { ManualClock } from '../shared/clock.ts';
import { systemCaller } from './retention.caller.ts';

const [schema, now, tenantId] = process.argv.slice(2);
const vigil = await openVigil(loadConfig({ env: process.env }), {
  clock: new ManualClock(Number(now)),
  logger: createLogger({ level: 'silent' }),
  storage: schema ? { postgresSchema: schema } : {},
});
process.stdout.write('started\n');
await vigil.retention.run(systemCaller(tenantId!, 'crash-child', 'crash test child'), {
  batchSize: 4,
  onBatch: (progress) => process.stdout.write(`batch ${progress.certificateId}\n`),
});
process.stdout.write('done\n');
await vigil.close();
