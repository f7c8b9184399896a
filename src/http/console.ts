import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defineErrors } from '../shared/errors.ts';
import type { HttpModule, VigilApp } from './build-app.ts';

const consoleError = defineErrors({
  CONSOLE_NOT_BUILT: {
    kind: 'unavailable',
    message: 'the web console is not built: run `npm run build:web` (npm start does it for you)',
  },
  NOT_FOUND: { kind: 'not_found', message: 'not found' },
});

/** Where `npm run build:web` writes the console (web/vite.config.ts `build.outDir`). */
export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Vite names files under assets/ by content hash, so they can be cached for good. */
const HASHED_ASSET = /^\/assets\/[\w.-]+-[\w-]{8,}\.(?:js|css|svg|png|woff2?)$/;

/** Paths the SPA never owns: an unknown API path must answer a JSON 404, not the console page. */
const SERVER_PREFIXES = ['/api/', '/healthz', '/readyz', '/metrics'];

/**
 * The files of the build, listed once at start. Only these are ever sent, so no request path is
 * joined onto the file system (no traversal however the path is encoded).
 */
function listBuiltFiles(root: string): Set<string> {
  const files = new Set<string>();
  if (!existsSync(root)) return files;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.add(`/${path.relative(root, full).split(path.sep).join('/')}`);
    }
  };
  walk(root);
  return files;
}

export interface ConsoleOptions {
  /** Defaults to CONSOLE_DIST_DIR; tests point it at another build. */
  distDir?: string;
}

/**
 * Serves the React console at `/` from the same process and port as the API. Every other path that
 * is not a file of the build gets index.html (client-side routing). The page runs under the app's
 * strict CSP (script-src 'self', style-src 'self'): the build has no inline script or style.
 */
export function consoleHttpModule(options: ConsoleOptions = {}): HttpModule {
  const root = options.distDir ?? CONSOLE_DIST_DIR;
  return {
    name: 'console',
    async register(app: VigilApp) {
      const files = listBuiltFiles(root);
      await app.register(fastifyStatic, { root, serve: false, decorateReply: true });
      app.addHook('onSend', async (request, reply) => {
        // The root hook marks everything no-store; content-hashed assets are immutable instead.
        if (reply.statusCode === 200 && HASHED_ASSET.test(request.url.split('?')[0] ?? '')) {
          reply.header('cache-control', 'public, max-age=31536000, immutable');
        }
      });
      app.get(
        '/*',
        { config: { access: { kind: 'public' } }, schema: { hide: true } },
        (request: FastifyRequest, reply: FastifyReply) => {
          const pathname = decodePath(request.url);
          if (pathname === null || SERVER_PREFIXES.some((prefix) => pathname.startsWith(prefix))) {
            throw consoleError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
          }
          if (files.has(pathname) && pathname !== '/index.html') return reply.sendFile(pathname.slice(1));
          if (pathname.startsWith('/assets/')) throw consoleError('NOT_FOUND');
          if (!files.has('/index.html')) throw consoleError('CONSOLE_NOT_BUILT');
          return reply.type('text/html; charset=utf-8').sendFile('index.html');
        },
      );
    },
  };
}

function decodePath(url: string): string | null {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return null;
  }
}
