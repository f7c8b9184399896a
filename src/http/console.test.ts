import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { createLogger } from '../logging/logger.ts';
import { AppError } from '../shared/errors.ts';
import { buildApp } from './build-app.ts';
import { consoleHttpModule } from './console.ts';
import { createMetrics } from './metrics.ts';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-AbCdEf12.js"></script></head><body><div id="root"></div></body></html>';

async function appServing(distDir: string): Promise<FastifyInstance> {
  const config = loadConfig({
    env: {
      VIGIL_DATA_DIR: distDir,
      VIGIL_KEY_PROVIDER: 'env',
      VIGIL_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    },
  });
  return buildApp({
    config,
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics({ poolStats: () => ({ total: 1, idle: 1, waiting: 0 }) }),
    health: { readiness: async () => ({ ready: true, database: 'ok', pendingMigrations: 0 }) },
    security: {
      authenticate: async () => null,
      authorize: async () => {
        throw new AppError('FORBIDDEN', 'forbidden', 'not permitted');
      },
    },
    modules: [consoleHttpModule({ distDir })],
  });
}

describe('console static serving', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-console-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), INDEX);
    writeFileSync(path.join(dir, 'assets', 'index-AbCdEf12.js'), 'console.log("vigil")');
    writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(path.join(dir, 'secret.txt.bak'), 'not served: listed, but only known files are');
    app = await appServing(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / under the strict CSP, never cached', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toBe(INDEX);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers client-side routes with index.html (SPA fallback)', async () => {
    for (const url of ['/interactions/0190a1b2-0000-7000-8000-000000000000', '/admin/users?x=1', '/enroll']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toBe(INDEX);
    }
  });

  it('serves hashed assets as immutable, other files uncached', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-AbCdEf12.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log("vigil")');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-store');
  });

  it('answers unknown API paths and missing assets with a JSON 404, not the page', async () => {
    for (const url of ['/api/v1/nothing-here', '/api/', '/assets/missing-12345678.js']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('never escapes the build directory, however the path is encoded', async () => {
    for (const url of [
      '/../package.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2fpackage.json',
      '/%ZZ',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.body, url).not.toContain('"dependencies"');
      expect(response.body, url).not.toContain('root:');
    }
  });

  it('says how to build the console when it is missing', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'vigil-console-empty-'));
    const bare = await appServing(empty);
    try {
      const response = await bare.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(503);
      expect(response.json().error.message).toContain('npm run build:web');
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
