import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isAppError } from '../shared/errors.ts';
import { ERROR_STATUS } from './error-status.ts';

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  body: Omit<ErrorBody['error'], 'requestId'>,
) {
  return reply.status(status).send({ error: { ...body, requestId: request.id } });
}

/** Names each invalid field by its path and what is wrong, never echoing the value sent. */
function describeValidation(error: FastifyError): {
  message: string;
  fields: { path: string; problem: string }[];
} {
  const fields = (error.validation ?? []).map((issue) => {
    const raw = issue as unknown as {
      instancePath?: string;
      message?: string;
      params?: { issue?: { path?: unknown[] } };
    };
    const zodPath = raw.params?.issue?.path;
    const where =
      Array.isArray(zodPath) && zodPath.length > 0
        ? zodPath.join('.')
        : (raw.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    return {
      path: `${error.validationContext ?? 'body'}${where ? `.${where}` : ''}`,
      problem: raw.message ?? 'invalid',
    };
  });
  const message = fields.map((f) => `${f.path}: ${f.problem}`).join('; ') || 'request is invalid';
  return { message, fields };
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 404, {
      code: 'NOT_FOUND',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isAppError(error)) {
      const status = ERROR_STATUS[error.kind];
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      return send(reply, request, status, {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
      const { message, fields } = describeValidation(error);
      return send(reply, request, 400, { code: 'VALIDATION_FAILED', message, details: { fields } });
    }
    if (isResponseSerializationError(error)) {
      request.log.error(
        { err: { message: 'response did not match its schema', route: request.routeOptions.url } },
        'response serialization failed',
      );
      return send(reply, request, 500, { code: 'INTERNAL', message: 'internal error' });
    }
    const status = error.statusCode ?? 500;
    if (status === 413)
      return send(reply, request, 413, {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'request body is larger than allowed',
      });
    if (status === 415)
      return send(reply, request, 415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: error.message });
    if (status === 429)
      return send(reply, request, 429, { code: 'RATE_LIMITED', message: 'too many requests, slow down' });
    if (status >= 400 && status < 500) {
      // JSON.parse messages quote the input (which may hold a card number): never pass them on.
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return send(reply, request, 400, { code: 'INVALID_JSON', message: 'request body is not valid JSON' });
      }
      const safe = error.code?.startsWith('FST_') ? error.message : 'bad request';
      return send(reply, request, status, { code: error.code ?? 'BAD_REQUEST', message: safe });
    }
    // Unknown errors: log the stack server-side, tell the client only the request id.
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, request, 500, { code: 'INTERNAL', message: 'internal error' });
  });
}
