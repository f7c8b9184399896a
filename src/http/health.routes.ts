import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HttpMetrics } from './metrics.ts';

export interface ReadinessReport {
  ready: boolean;
  database: 'ok' | 'unreachable';
  pendingMigrations: number;
}

export interface HealthChecks {
  readiness(): Promise<ReadinessReport>;
}

const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['ok', 'unreachable']),
  pendingMigrations: z.number().int(),
});

export function registerHealthRoutes(app: FastifyInstance, health: HealthChecks, metrics: HttpMetrics): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/healthz',
    {
      config: { access: { kind: 'public' }, rateLimit: false },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  typed.get(
    '/readyz',
    {
      config: { access: { kind: 'public' }, rateLimit: false },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and every migration is applied',
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const report = await health.readiness();
      const body = {
        status: report.ready ? ('ready' as const) : ('not_ready' as const),
        database: report.database,
        pendingMigrations: report.pendingMigrations,
      };
      return reply.status(report.ready ? 200 : 503).send(body);
    },
  );
  typed.get(
    '/metrics',
    {
      config: { access: { kind: 'public' }, rateLimit: false },
      schema: { tags: ['operations'], summary: 'Prometheus metrics', hide: true },
    },
    async (_request, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
