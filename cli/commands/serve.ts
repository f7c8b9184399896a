import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { checkMasterKeyFile, createMasterKeyFile } from '../../src/crypto/master-key-file.ts';
import { buildHttpApp, createVigilScheduler, openVigil } from '../../src/main.ts';
import { configFor } from '../context.ts';

/** `vigil serve`: the long-running server, stopped gracefully by SIGTERM/SIGINT. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the Vigil server (HTTP API and console)')
    .option('--port <port>', 'port to listen on (default 8080, or VIGIL_PORT)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1, or VIGIL_HOST)')
    .action(async (options: { port?: string; host?: string }, command: Command) => {
      const config = configFor(command, {
        ...(options.port ? { VIGIL_PORT: options.port } : {}),
        ...(options.host ? { VIGIL_HOST: options.host } : {}),
      });
      // First run on a fresh machine: `npm start` alone must bring up a working server.
      mkdirSync(config.storage.dataDir, { recursive: true, mode: 0o700 });
      const keyFile = config.keys.masterKeyFile!;
      const createdKey = config.keys.provider === 'file' && checkMasterKeyFile(keyFile)?.kind === 'missing';
      if (createdKey) createMasterKeyFile(keyFile);
      const vigil = await openVigil(config);
      if (createdKey)
        vigil.logger.warn({ keyFile }, 'created a new root key file; back it up apart from the database');
      const app = await buildHttpApp(vigil);
      const scheduler = createVigilScheduler(vigil);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        vigil.logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
        const deadline = setTimeout(() => {
          vigil.logger.error('grace period over, exiting with requests still running');
          process.exit(1);
        }, config.server.shutdownGraceSeconds * 1000);
        deadline.unref();
        await scheduler.stop();
        await app.close();
        await vigil.close();
        vigil.logger.info('stopped');
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
      const address = await app.listen({ port: config.server.port, host: config.server.host });
      vigil.logger.info({ address, database: vigil.storage.dialect.name }, 'vigil listening');
      // First run: while the default tenant has no user, a one-time link (1 hour) enrols the first
      // administrator. It is a bearer secret, logged at warn level in its own field only then.
      const tenant = await vigil.tenancy.ensureDefault();
      const bootstrap = await vigil.identity.enrollment.ensureBootstrapLink(tenant.id);
      if (bootstrap) {
        vigil.logger.warn(
          { enrollmentUrl: bootstrap.link, expiresAt: new Date(bootstrap.expiresAt).toISOString() },
          'no administrator yet: open enrollmentUrl within 1 hour to create the first one',
        );
      }
      scheduler.start();
    });
}
