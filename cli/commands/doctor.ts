import { createPrivateKey, X509Certificate } from 'node:crypto';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, loadConfig, type VigilConfig } from '../../src/config/index.ts';
import { checkMasterKeyFile, describeMasterKeyProblem } from '../../src/crypto/master-key-file.ts';
import { migrationStatus, openStorage } from '../../src/storage/index.ts';
import type { GlobalOptions } from '../context.ts';

export interface DoctorFinding {
  ok: boolean;
  check: string;
  message: string;
}

function checkDataDir(config: Readonly<VigilConfig>): DoctorFinding {
  const dir = config.storage.dataDir;
  try {
    const stat = statSync(dir);
    accessSync(dir, constants.W_OK);
    if ((stat.mode & 0o077) !== 0 && !config.storage.databaseUrl) {
      return {
        ok: false,
        check: 'data directory',
        message: `${dir} is accessible to other users; run chmod 700 ${dir}`,
      };
    }
    return { ok: true, check: 'data directory', message: dir };
  } catch {
    return {
      ok: false,
      check: 'data directory',
      message: `${dir} does not exist or is not writable (run \`vigil init\`)`,
    };
  }
}

function checkKey(config: Readonly<VigilConfig>): DoctorFinding {
  if (config.keys.provider === 'env')
    return { ok: true, check: 'root key', message: 'from VIGIL_MASTER_KEY' };
  const problem = checkMasterKeyFile(config.keys.masterKeyFile!);
  return problem
    ? {
        ok: false,
        check: 'root key',
        message: `${config.keys.masterKeyFile}: ${describeMasterKeyProblem(problem)}`,
      }
    : { ok: true, check: 'root key', message: `${config.keys.masterKeyFile} (mode 0600)` };
}

function checkTls(config: Readonly<VigilConfig>, now: number): DoctorFinding {
  const { tlsCertFile, tlsKeyFile } = config.server;
  if (!tlsCertFile || !tlsKeyFile)
    return { ok: true, check: 'tls', message: `off (plain HTTP on ${config.server.host})` };
  try {
    const cert = new X509Certificate(readFileSync(tlsCertFile));
    if (!cert.checkPrivateKey(createPrivateKey(readFileSync(tlsKeyFile)))) {
      return { ok: false, check: 'tls', message: `${tlsKeyFile} is not the private key of ${tlsCertFile}` };
    }
    if (Date.parse(cert.validTo) < now)
      return { ok: false, check: 'tls', message: `certificate expired on ${cert.validTo}` };
    if (Date.parse(cert.validFrom) > now)
      return { ok: false, check: 'tls', message: `certificate not valid before ${cert.validFrom}` };
    return {
      ok: true,
      check: 'tls',
      message: `certificate for ${cert.subject.replaceAll('\n', ', ')} valid until ${cert.validTo}`,
    };
  } catch (error) {
    return {
      ok: false,
      check: 'tls',
      message: `cannot load certificate or key (${(error as Error).message})`,
    };
  }
}

async function checkDatabase(config: Readonly<VigilConfig>): Promise<DoctorFinding[]> {
  const storage = openStorage(config);
  const name = config.storage.databaseUrl ? 'postgresql' : 'sqlite';
  try {
    await storage.dialect.ping(storage.db);
    const { pending } = await migrationStatus(storage);
    return [
      { ok: true, check: 'database', message: `${name} reachable` },
      pending.length
        ? {
            ok: false,
            check: 'migrations',
            message: `${pending.length} pending (${pending.join(', ')}); run \`vigil migrate\``,
          }
        : { ok: true, check: 'migrations', message: 'all applied' },
    ];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return [{ ok: false, check: 'database', message: `${name} unreachable${code ? ` (${code})` : ''}` }];
  } finally {
    await storage.close().catch(() => undefined);
  }
}

/** Runs every check and returns one finding per line; never throws for a bad setting. */
export async function runDoctor(options: {
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  now?: number;
}): Promise<DoctorFinding[]> {
  let config: Readonly<VigilConfig>;
  try {
    config = loadConfig({
      ...(options.configFile ? { configFile: options.configFile } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError)
      return error.problems.map((p) => ({ ok: false, check: p.setting, message: p.message }));
    throw error;
  }
  const findings = [
    { ok: true, check: 'configuration', message: 'valid' },
    checkDataDir(config),
    checkKey(config),
    checkTls(config, options.now ?? Date.now()),
  ];
  return [...findings, ...(await checkDatabase(config))];
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check configuration, database, key file and TLS, and explain what is wrong')
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const findings = await runDoctor(globals.config ? { configFile: globals.config } : {});
      for (const f of findings) process.stdout.write(`${f.ok ? 'ok  ' : 'FAIL'} ${f.check}: ${f.message}\n`);
      process.exitCode = findings.every((f) => f.ok) ? 0 : 1;
    });
}
