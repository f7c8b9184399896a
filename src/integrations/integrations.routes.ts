import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HttpModule } from '../http/build-app.ts';
import type { Principal } from '../shared/principal.ts';
import { type IntegrationsService, SIGNING_PLATFORMS } from './integrations.service.ts';

const params = z.object({ platform: z.enum(SIGNING_PLATFORMS) });
const statusSchema = z.object({
  platform: z.enum(SIGNING_PLATFORMS),
  configured: z.boolean(),
  updatedAt: z.number().nullable(),
});
const access = { kind: 'permission', permission: 'apikeys.manage' } as const;
const actorOf = (p: Principal) => ({ type: p.kind, id: p.id });

export function integrationsHttpModule(service: IntegrationsService): HttpModule {
  return {
    name: 'integrations',
    register(app) {
      const typed = app.withTypeProvider<ZodTypeProvider>();
      typed.get(
        '/api/v1/integrations/:platform',
        {
          config: { access },
          schema: {
            tags: ['integrations'],
            summary: 'Whether the webhook signing secret is set (never the secret)',
            params,
            response: { 200: statusSchema },
          },
        },
        async (request) => ({
          platform: request.params.platform,
          ...(await service.status(request.principal!.tenantId, request.params.platform)),
        }),
      );
      typed.put(
        '/api/v1/integrations/:platform/secret',
        {
          config: { access },
          schema: {
            tags: ['integrations'],
            summary:
              "Set the platform's webhook signing secret (Twilio auth token); stored encrypted, never returned",
            params,
            body: z.object({ secret: z.string().min(16).max(256) }),
            response: { 200: statusSchema },
          },
        },
        async (request) => {
          const p = request.principal!;
          await service.setSecret(p.tenantId, request.params.platform, request.body.secret, actorOf(p));
          return {
            platform: request.params.platform,
            ...(await service.status(p.tenantId, request.params.platform)),
          };
        },
      );
      typed.delete(
        '/api/v1/integrations/:platform/secret',
        {
          config: { access },
          schema: {
            tags: ['integrations'],
            summary: 'Remove the signing secret',
            params,
            response: { 200: statusSchema },
          },
        },
        async (request) => {
          const p = request.principal!;
          await service.removeSecret(p.tenantId, request.params.platform, actorOf(p));
          return {
            platform: request.params.platform,
            ...(await service.status(p.tenantId, request.params.platform)),
          };
        },
      );
    },
  };
}
