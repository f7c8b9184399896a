import type { FastifyInstance, FastifyRequest } from 'fastify';
import { defineErrors } from '../shared/errors.ts';
import {
  type AdapterContext,
  type AdapterResult,
  detectAndParse,
  getAdapter,
  parseJsonText,
  verifyTwilioSignature,
} from './adapters/index.ts';

const payloadError = defineErrors({
  TWILIO_SIGNATURE_INVALID: {
    kind: 'unauthenticated',
    message: 'X-Twilio-Signature does not match this request',
  },
  TWILIO_NOT_CONFIGURED: {
    kind: 'forbidden',
    message: 'set the Twilio auth token of this tenant before sending Twilio webhooks',
  },
  PAYLOAD_FORMAT_MISMATCH: { kind: 'invalid', message: 'the body is not in the format this adapter reads' },
});

export interface PayloadParserDeps {
  /** The tenant's Twilio auth token (decrypted), or undefined when not configured. */
  twilioAuthToken(tenantId: string): Promise<string | undefined>;
  /** External base URL, because Twilio signs the URL it called (behind a proxy it differs from ours). */
  publicUrl?: string;
}

/** Adapters' errors name the payload path; a batch item's path gets its index in front. */
function withPrefix<T>(prefix: string, fn: () => Promise<T>): Promise<T> {
  return fn().catch((error: unknown) => {
    if (error instanceof Error && 'code' in error && prefix) error.message = `${prefix}: ${error.message}`;
    throw error;
  });
}

/**
 * Turns request bodies, files and lines into Interactions through the platform adapters: the one
 * place that knows how each adapter wants its payload (parsed JSON, form parameters, MIME bytes).
 */
export function createPayloadParser(deps: PayloadParserDeps) {
  return {
    parse(name: string, body: unknown, context: AdapterContext): Promise<AdapterResult> {
      return getAdapter(name).parse(body, context);
    },
    parseAt(name: string, body: unknown, context: AdapterContext, prefix: string): Promise<AdapterResult> {
      return withPrefix(prefix, () => getAdapter(name).parse(body, context));
    },
    /** One line of a JSON Lines file. */
    parseText(name: string, text: string, context: AdapterContext): Promise<AdapterResult> {
      const adapter = getAdapter(name);
      return adapter.parse(
        adapter.format === 'json' ? parseJsonText(text, { what: `${name} payload` }) : text,
        context,
      );
    },
    /** A whole file. */
    parseBytes(name: string, bytes: Buffer, context: AdapterContext): Promise<AdapterResult> {
      const adapter = getAdapter(name);
      return adapter.parse(
        adapter.format === 'json' ? parseJsonText(bytes, { what: `${name} payload` }) : bytes,
        context,
      );
    },
    /** Adapter for a file: `.eml` is email; otherwise the content decides. */
    async detect(file: string, bytes: Buffer): Promise<string> {
      if (file.toLowerCase().endsWith('.eml')) return 'email';
      return (await detectAndParse(bytes, { receivedAtMs: 0 })).adapter;
    },
    /** A webhook request: checks the body's format and, for Twilio, the request signature. */
    async parseRequest(
      name: string,
      request: FastifyRequest,
      tenantId: string,
      context: AdapterContext,
    ): Promise<AdapterResult> {
      const adapter = getAdapter(name);
      const body = request.body;
      if (adapter.format === 'mime' && !Buffer.isBuffer(body))
        throw payloadError('PAYLOAD_FORMAT_MISMATCH', 'send the message as message/rfc822');
      if (adapter.format === 'form' && (typeof body !== 'object' || body === null || Buffer.isBuffer(body))) {
        throw payloadError(
          'PAYLOAD_FORMAT_MISMATCH',
          'send the parameters as application/x-www-form-urlencoded',
        );
      }
      if (name === 'twilio') await verifyTwilio(request, tenantId);
      return adapter.parse(body, context);
    },
    /** Body parsers for the formats adapters take besides JSON. */
    registerContentTypes(app: FastifyInstance): void {
      app.addContentTypeParser(
        ['message/rfc822', 'text/plain', 'application/octet-stream'],
        { parseAs: 'buffer' },
        (_req, body, done) => done(null, body),
      );
      app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_req, body, done) => {
          const params: Record<string, string> = {};
          for (const [key, value] of new URLSearchParams(body as string)) params[key] = value;
          done(null, params);
        },
      );
    },
  };

  async function verifyTwilio(request: FastifyRequest, tenantId: string): Promise<void> {
    const token = await deps.twilioAuthToken(tenantId);
    if (!token) throw payloadError('TWILIO_NOT_CONFIGURED');
    const signature = request.headers['x-twilio-signature'];
    const base = deps.publicUrl ?? `${request.protocol}://${request.host}`;
    const url = new URL(request.url, base).toString();
    if (
      typeof signature !== 'string' ||
      !verifyTwilioSignature(url, request.body as Record<string, string>, signature, token)
    ) {
      throw payloadError('TWILIO_SIGNATURE_INVALID');
    }
  }
}

export type PayloadParser = ReturnType<typeof createPayloadParser>;
