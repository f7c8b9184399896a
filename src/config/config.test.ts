import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTINGS } from './index.ts';

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies documented defaults with an empty environment', () => {
    const config = loadConfig({ env: {} });
    expect(config.server.port).toBe(8080);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.storage.dataDir).toBe(path.resolve('./.vigil'));
    expect(config.storage.databaseUrl).toBeUndefined();
    expect(config.keys.masterKeyFile).toBe(path.resolve('./.vigil/master.key'));
    expect(config.keys.masterKey).toBeUndefined();
  });

  it('lists every bad setting at once', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { VIGIL_PORT: 'eighty', VIGIL_LOG_LEVEL: 'loud', VIGIL_DATABASE_URL: 'mysql://x' } }),
    );
    expect(problems.map((p) => p.setting).sort()).toEqual([
      'VIGIL_DATABASE_URL',
      'VIGIL_LOG_LEVEL',
      'VIGIL_PORT',
    ]);
  });

  it('never echoes a secret value in its errors', () => {
    const secret = 'not-base64-of-32-bytes-SECRETVALUE';
    const problems = problemsOf(() =>
      loadConfig({ env: { VIGIL_KEY_PROVIDER: 'env', VIGIL_MASTER_KEY: secret } }),
    );
    expect(problems[0]?.setting).toBe('VIGIL_MASTER_KEY');
    expect(JSON.stringify(problems)).not.toContain('SECRETVALUE');
    const badUrl = 'mysql://admin:hunter2@db/vigil';
    expect(
      JSON.stringify(problemsOf(() => loadConfig({ env: { VIGIL_DATABASE_URL: badUrl } }))),
    ).not.toContain('hunter2');
  });

  it('has no default for any secret', () => {
    const config = loadConfig({ env: {} });
    for (const setting of SETTINGS.filter((s) => s.secret)) {
      const [section, key] = setting.path;
      expect((config as unknown as Record<string, Record<string, unknown>>)[section]?.[key]).toBeUndefined();
    }
  });

  it('refuses plain HTTP on a public address, and a certificate without its key', () => {
    expect(problemsOf(() => loadConfig({ env: { VIGIL_HOST: '0.0.0.0' } }))[0]?.setting).toBe('VIGIL_HOST');
    expect(problemsOf(() => loadConfig({ env: { VIGIL_TLS_CERT: '/x.pem' } }))[0]?.setting).toBe(
      'VIGIL_TLS_CERT',
    );
    expect(
      loadConfig({ env: { VIGIL_HOST: '0.0.0.0', VIGIL_ALLOW_INSECURE_HTTP: 'true' } }).server.host,
    ).toBe('0.0.0.0');
  });

  it('requires VIGIL_MASTER_KEY when the env provider is chosen', () => {
    expect(problemsOf(() => loadConfig({ env: { VIGIL_KEY_PROVIDER: 'env' } }))[0]?.setting).toBe(
      'VIGIL_MASTER_KEY',
    );
  });

  it('reads a YAML file, lets the environment win, and rejects unknown keys', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-config-'));
    const file = path.join(dir, 'vigil.yaml');
    writeFileSync(
      file,
      'server:\n  port: 9443\n  trustedProxies: [10.0.0.1, 10.0.0.2]\nlogging:\n  level: debug\n',
    );
    const config = loadConfig({ env: { VIGIL_LOG_LEVEL: 'warn' }, configFile: file });
    expect(config.server.port).toBe(9443);
    expect(config.server.trustedProxies).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(config.logging.level).toBe('warn');
    writeFileSync(file, 'server:\n  prot: 9443\n');
    expect(problemsOf(() => loadConfig({ env: {}, configFile: file }))[0]?.setting).toBe('server.prot');
    expect(
      problemsOf(() => loadConfig({ env: {}, configFile: path.join(dir, 'missing.yaml') }))[0]?.message,
    ).toContain('ENOENT');
  });

  it('returns a frozen object', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
  });
});
