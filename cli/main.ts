import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAccessCommand } from './commands/access.ts';
import { registerApiKeysCommand } from './commands/api-keys.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerDoctorCommand } from './commands/doctor.ts';
import { registerDsarCommand } from './commands/dsar.ts';
import { registerIngestCommand } from './commands/ingest.ts';
import { registerInitCommand } from './commands/init.ts';
import { registerJobsCommand } from './commands/jobs.ts';
import { registerKeysCommand } from './commands/keys.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerRedactCommand } from './commands/redact.ts';
import { registerRetentionCommand } from './commands/retention.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerUsersCommand } from './commands/users.ts';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Vigil: security platform for contact centers')
    .version(packageJson.version, '-v, --version')
    .option('-c, --config <file>', 'YAML config file (settings mirror the VIGIL_* variables)')
    .showHelpAfterError()
    .exitOverride();
  registerInitCommand(program);
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerDoctorCommand(program);
  registerJobsCommand(program);
  registerDemoCommand(program);
  registerAuditCommand(program);
  registerKeysCommand(program);
  registerUsersCommand(program);
  registerApiKeysCommand(program);
  registerAccessCommand(program);
  registerIngestCommand(program);
  registerRedactCommand(program);
  registerRetentionCommand(program);
  registerDsarCommand(program);
  return program;
}

/** Runs the CLI and returns the exit status; errors print one line, never a stack or a secret. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`vigil: ${(error as Error).message}\n`);
    return 1;
  }
}
