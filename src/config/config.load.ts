import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SETTINGS, type SettingDefinition } from './config.settings.ts';
import type { VigilConfig } from './config.types.ts';

/** One bad setting: which one, and what is wrong with it (never its value if it is a secret). */
export interface ConfigProblem {
  setting: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.setting}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Path of a YAML file whose keys mirror the config sections (`server: { port: 8443 }`). */
  configFile?: string;
  /** Values that win over both (CLI flags such as `--port`). */
  overrides?: Partial<Record<string, unknown>>;
}

function readConfigFile(file: string, problems: ConfigProblem[]): Record<string, Record<string, unknown>> {
  try {
    const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      problems.push({ setting: file, message: 'config file must be a YAML mapping of sections' });
      return {};
    }
    return parsed as Record<string, Record<string, unknown>>;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    problems.push({ setting: file, message: `cannot read config file (${reason})` });
    return {};
  }
}

function rawValue(
  setting: SettingDefinition,
  env: NodeJS.ProcessEnv,
  file: Record<string, Record<string, unknown>>,
  overrides: Partial<Record<string, unknown>>,
): unknown {
  if (overrides[setting.env] !== undefined) return overrides[setting.env];
  const fromEnv = env[setting.env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const [section, key] = setting.path;
  return file[section]?.[key];
}

function checkUnknownFileKeys(
  file: Record<string, Record<string, unknown>>,
  problems: ConfigProblem[],
): void {
  const known = new Set(SETTINGS.map((s) => s.path.join('.')));
  for (const [section, values] of Object.entries(file)) {
    if (typeof values !== 'object' || values === null) {
      problems.push({ setting: section, message: 'config file section must be a mapping' });
      continue;
    }
    for (const key of Object.keys(values)) {
      if (!known.has(`${section}.${key}`))
        problems.push({ setting: `${section}.${key}`, message: 'unknown setting' });
    }
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

function crossCheck(config: VigilConfig, problems: ConfigProblem[]): void {
  const { server, keys } = config;
  if (Boolean(server.tlsCertFile) !== Boolean(server.tlsKeyFile)) {
    problems.push({
      setting: 'VIGIL_TLS_CERT',
      message: 'VIGIL_TLS_CERT and VIGIL_TLS_KEY must be set together',
    });
  }
  if (!server.tlsCertFile && !isLoopback(server.host) && !server.allowInsecureHttp) {
    problems.push({
      setting: 'VIGIL_HOST',
      message: `listening on ${server.host} without TLS is refused; set VIGIL_TLS_CERT/VIGIL_TLS_KEY or VIGIL_ALLOW_INSECURE_HTTP=true behind a TLS proxy`,
    });
  }
  if (keys.provider === 'env' && !keys.masterKey) {
    problems.push({ setting: 'VIGIL_MASTER_KEY', message: 'required when VIGIL_KEY_PROVIDER=env' });
  }
  if (config.storage.sslMode === 'verify-full' && !config.storage.databaseUrl) {
    problems.push({ setting: 'VIGIL_DATABASE_SSL_MODE', message: 'verify-full needs VIGIL_DATABASE_URL' });
  }
}

/** Reads, validates and freezes the configuration; throws a ConfigError listing every bad setting. */
export function loadConfig(options: LoadConfigOptions = {}): Readonly<VigilConfig> {
  const env = options.env ?? process.env;
  const problems: ConfigProblem[] = [];
  const configFile = options.configFile ?? env['VIGIL_CONFIG'];
  const file = configFile ? readConfigFile(configFile, problems) : {};
  checkUnknownFileKeys(file, problems);
  const config: Record<string, Record<string, unknown>> = {};
  for (const setting of SETTINGS) {
    const result = setting.schema.safeParse(rawValue(setting, env, file, options.overrides ?? {}));
    const [section, key] = setting.path;
    config[section] ??= {};
    if (result.success) {
      if (result.data !== undefined) config[section][key] = result.data;
    } else {
      const message = result.error.issues.map((i) => i.message).join('; ');
      problems.push({ setting: setting.env, message: setting.secret ? `invalid (${message})` : message });
    }
  }
  const typed = config as unknown as VigilConfig;
  if (problems.length === 0) crossCheck(typed, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  typed.storage.dataDir = path.resolve(typed.storage.dataDir);
  typed.keys.masterKeyFile = path.resolve(
    typed.keys.masterKeyFile ?? path.join(typed.storage.dataDir, 'master.key'),
  );
  return deepFreeze(typed);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
