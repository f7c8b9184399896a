import { readFileSync } from 'node:fs';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { v4 as uuidv4 } from 'uuid';
import type { VigilConfig } from '../config/index.ts';
import type { Logger } from '../logging/logger.ts';
import { AppError } from '../shared/errors.ts';
import { installErrorHandler } from './error-handler.ts';
import { type HealthChecks, registerHealthRoutes } from './health.routes.ts';
import { type HttpMetrics, instrumentRequests } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import type { RequestSecurity, RouteAccess } from './route-access.ts';

export type VigilApp = FastifyInstance;

/** A feature's routes; `register` is called inside the app's encapsulation context. */
export interface HttpModule {
  name: string;
  register(app: VigilApp): Promise<void> | void;
}

export interface AppDeps {
  config: Readonly<VigilConfig>;
  logger: Logger;
  metrics: HttpMetrics;
  health: HealthChecks;
  security: RequestSecurity;
  modules: readonly HttpModule[];
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

// Mozilla "intermediate" TLS 1.2 suites (all AEAD with forward secrecy); TLS 1.3 suites are always on.
const TLS_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

function httpsOptions(config: Readonly<VigilConfig>) {
  const { tlsCertFile, tlsKeyFile } = config.server;
  if (!tlsCertFile || !tlsKeyFile) return null;
  return {
    cert: readFileSync(tlsCertFile),
    key: readFileSync(tlsKeyFile),
    minVersion: 'TLSv1.2' as const,
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
  };
}

function createFastify(deps: AppDeps): FastifyInstance {
  const https = httpsOptions(deps.config);
  return Fastify({
    loggerInstance: deps.logger,
    ...(https ? { https } : {}),
    bodyLimit: deps.config.server.bodyLimitBytes,
    trustProxy: deps.config.server.trustedProxies.length > 0 ? deps.config.server.trustedProxies : false,
    // genReqId reads and validates x-request-id itself; Fastify would otherwise trust any value.
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : uuidv4();
    },
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }) as unknown as FastifyInstance;
}

/** One route and who may call it, as registered (the authorization matrix test and auditors read these). */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the app with its access declaration, filled by the onRoute hook. */
    declaredRoutes: readonly DeclaredRoute[];
  }
}

function enforceAccessDeclarations(app: FastifyInstance): void {
  const declared: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declared);
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { access?: RouteAccess };
    if (route.url.startsWith('/api/docs') && !config.access) {
      route.config = { ...config, access: { kind: 'public' } };
    } else if (!config.access) {
      throw new Error(`route ${route.method} ${route.url} has no access declaration`);
    }
    const access = (route.config as { access: RouteAccess }).access;
    for (const method of [route.method].flat()) declared.push({ method, url: route.url, access });
  });
}

function installSecurityHook(app: FastifyInstance, security: RequestSecurity): void {
  app.decorateRequest('principal', null);
  // Before schema validation: a caller who may not use a route learns nothing about its input
  // rules (a 400 naming fields), and the refusal does not depend on what was sent.
  app.addHook('preValidation', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (!access) throw new AppError('ROUTE_NOT_DECLARED', 'not_found', 'not found');
    if (access.kind === 'public') return;
    const principal = await security.authenticate(request, access);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'unauthenticated', 'authentication required');
    request.principal = principal;
    await security.authorize(request, principal, access);
  });
}

/** Builds the Vigil HTTP app without listening: tests inject requests, `vigil serve` listens. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = createFastify(deps);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  enforceAccessDeclarations(app);
  installErrorHandler(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('cache-control', 'no-store');
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    hsts: httpsOptions(deps.config) ? { maxAge: 31536000, includeSubDomains: true } : false,
  });
  await app.register(rateLimit, {
    global: true,
    max: deps.config.server.rateLimitPerMinute,
    timeWindow: 60_000,
  });
  instrumentRequests(app, deps.metrics);
  installSecurityHook(app, deps.security);
  await registerOpenApi(app);
  registerHealthRoutes(app, deps.health, deps.metrics);
  for (const module of deps.modules) await app.register(async (scope) => module.register(scope));
  return app;
}
