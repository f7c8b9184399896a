import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { HttpModule } from '../http/build-app.ts';
import {
  detokenizeBodySchema,
  detokenizeResponseSchema,
  tokenizeBodySchema,
  tokenizeResponseSchema,
  tokenParamsSchema,
} from './vault.schemas.ts';
import type { VaultService } from './vault.service.ts';

const PREFIX = '/api/v1/vault';

function origin(request: FastifyRequest) {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, ...(typeof userAgent === 'string' ? { userAgent } : {}) };
}

/** The vault's HTTP API: tokenize a card, detokenize it with a reason. */
export function createVaultHttpModule(vault: VaultService): HttpModule {
  return {
    name: 'vault',
    register(app) {
      const typed = app.withTypeProvider<ZodTypeProvider>();
      typed.post(
        `${PREFIX}/tokens`,
        {
          config: { access: { kind: 'permission', permission: 'vault.tokenize' } },
          schema: {
            tags: ['vault'],
            summary: 'Tokenize a card number (the same card always gets the same token)',
            body: tokenizeBodySchema,
            response: { 200: tokenizeResponseSchema, 201: tokenizeResponseSchema },
          },
        },
        async (request, reply) => {
          const principal = request.principal!;
          const result = await vault.tokenize(undefined, {
            tenantId: principal.tenantId,
            pan: request.body.pan,
            ...(request.body.expiry ? { expiry: request.body.expiry } : {}),
            actor: { type: principal.kind, id: principal.id, name: principal.displayName },
            requestId: request.id,
          });
          return reply.status(result.created ? 201 : 200).send(result);
        },
      );
      typed.post(
        `${PREFIX}/tokens/:token/detokenize`,
        {
          config: { access: { kind: 'permission', permission: 'vault.detokenize' } },
          schema: {
            tags: ['vault'],
            summary: 'Recover the card number behind a token, with a reason (audited, rate-limited)',
            params: tokenParamsSchema,
            body: detokenizeBodySchema,
            response: { 200: detokenizeResponseSchema },
          },
        },
        async (request) => {
          const principal = request.principal!;
          const result = await vault.detokenize({
            tenantId: principal.tenantId,
            token: request.params.token,
            actor: principal,
            reason: request.body.reason,
            origin: origin(request),
            requestId: request.id,
          });
          return { pan: result.pan, brand: result.brand, last4: result.last4, expiry: result.expiry };
        },
      );
    },
  };
}
