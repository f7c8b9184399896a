import type { Command } from 'commander';
import { migrateToLatest, migrationStatus } from '../../src/storage/index.ts';
import { withVigil } from '../context.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done at every start)')
    .option('--status', 'only list applied and pending migrations')
    .action(async (options: { status?: boolean }, command: Command) => {
      await withVigil(
        command,
        async ({ storage }) => {
          if (options.status) {
            const status = await migrationStatus(storage);
            for (const name of status.applied) process.stdout.write(`applied  ${name}\n`);
            for (const name of status.pending) process.stdout.write(`pending  ${name}\n`);
            return;
          }
          const applied = await migrateToLatest(storage);
          process.stdout.write(
            applied.length ? `applied ${applied.join(', ')}\n` : 'database is up to date\n',
          );
        },
        { migrate: false },
      );
    });
}
