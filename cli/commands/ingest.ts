import { existsSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  ADAPTER_NAMES,
  createPreparePool,
  ingestFiles,
  listInputFiles,
} from '../../src/interactions/index.ts';
import { systemPrincipal } from '../../src/shared/principal.ts';
import { withVigil } from '../context.ts';

interface IngestOptions {
  adapter?: string;
  tenant: string;
  batch: string;
  state?: string;
  progress: boolean;
}

/** `vigil ingest <file|dir|->`: bulk ingest through the same adapters, redaction and storage as the API. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest <input>')
    .description(
      'ingest interactions from a file, a directory (every .json, .jsonl, .eml below it) or - (JSON Lines on stdin)',
    )
    .option('--adapter <name>', `payload format (${ADAPTER_NAMES.join(', ')}); detected when omitted`)
    .option('--tenant <slug>', 'tenant to ingest into', 'default')
    .option('--batch <n>', 'interactions per transaction', '500')
    .option('--state <file>', 'progress file: a rerun with it resumes after the last committed batch')
    .option('--no-progress', 'no progress bar')
    .action(async (input: string, options: IngestOptions, command: Command) => {
      const batchSize = Number(options.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000)
        throw new Error('--batch must be a whole number from 1 to 5000');
      if (input !== '-' && !existsSync(input)) throw new Error(`${input} does not exist`);
      await withVigil(command, async (vigil) => {
        const tenant = await vigil.tenancy.getBySlug(options.tenant);
        const files = input === '-' ? [] : listInputFiles(input);
        const bar =
          options.progress && process.stderr.isTTY
            ? new cliProgress.SingleBar(
                {
                  format:
                    'ingest [{bar}] {percentage}% | {filesDone}/{files} files | {accepted} accepted | {rejected} rejected',
                  stream: process.stderr,
                },
                cliProgress.Presets.shades_classic,
              )
            : undefined;
        bar?.start(100, 0, { files: files.length, filesDone: 0, accepted: 0, rejected: 0 });
        const actor = systemPrincipal(tenant.id, 'cli:ingest');
        const pool = createPreparePool();
        const summary = await ingestFiles(
          {
            ingest: vigil.interactions.ingest,
            parser: vigil.interactions.parser,
            now: () => vigil.clock.now(),
            policy: (id) => vigil.interactions.policies.get(id),
          },
          { tenantId: tenant.id, actor: { type: 'system', id: actor.id, name: 'vigil ingest' } },
          { files, ...(input === '-' ? { stdin: process.stdin } : {}) },
          {
            batchSize,
            ...(options.adapter ? { adapter: options.adapter } : {}),
            ...(options.state ? { stateFile: options.state } : {}),
            onProgress: (p) =>
              bar?.update(p.bytesTotal ? Math.round((p.bytesDone / p.bytesTotal) * 100) : 0, { ...p }),
            pool,
          },
        ).finally(() => pool.close());
        bar?.stop();
        const accepted = summary.accepted.created + summary.accepted.updated + summary.accepted.unchanged;
        process.stdout.write(
          `accepted ${accepted} (created ${summary.accepted.created}, updated ${summary.accepted.updated}, unchanged ${summary.accepted.unchanged})\n`,
        );
        if (summary.skippedFiles)
          process.stdout.write(`skipped ${summary.skippedFiles} files already done (state file)\n`);
        process.stdout.write(`rejected ${summary.rejected.length}\n`);
        for (const r of summary.rejected) process.stdout.write(`  ${r.where}: ${r.message}\n`);
        if (summary.rejected.length > 0) process.exitCode = 1;
      });
    });
}
