import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { checkMasterKeyFile, createMasterKeyFile } from '../../src/crypto/master-key-file.ts';
import { configFor, withVigil } from '../context.ts';

/** `vigil init`: data directory, root key file (0600) and schema, then what to do next. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('create the data directory, a root key file and the database schema')
    .action(async (_options: unknown, command: Command) => {
      const config = configFor(command);
      mkdirSync(config.storage.dataDir, { recursive: true, mode: 0o700 });
      const out = (line: string) => process.stdout.write(`${line}\n`);
      if (config.keys.provider === 'file') {
        const keyFile = config.keys.masterKeyFile!;
        if (checkMasterKeyFile(keyFile)?.kind === 'missing') {
          createMasterKeyFile(keyFile);
          out(`created root key file ${keyFile} (mode 0600). Back it up apart from the database:`);
          out('  without it, encrypted data cannot be read.');
        } else {
          out(`root key file ${keyFile} already exists; left unchanged`);
        }
      }
      await withVigil(command, async (vigil) => {
        const tenant = await vigil.tenancy.ensureDefault();
        out(`database ready (${vigil.storage.dialect.name}); default tenant "${tenant.slug}"`);
        const bootstrap = await vigil.identity.enrollment.ensureBootstrapLink(tenant.id);
        if (bootstrap) {
          out('enrol the first administrator with this one-time link (expires in 1 hour, keep it secret):');
          out(`  ${bootstrap.link}`);
          out(
            '  (a new one: `vigil users bootstrap-link`; `vigil serve` also prints one while no user exists)',
          );
        }
      });
      out('next steps:');
      out('  vigil doctor          check the configuration');
      out('  vigil serve           start the server (http://127.0.0.1:8080)');
    });
}
