import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino replaces with [REDACTED] wherever they appear in a log object. Secrets and personal
 * data should never be handed to the logger at all; this list is the second line of defence.
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-vigil-signature"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.masterKey',
  '*.databaseUrl',
  '*.pan',
  '*.cardNumber',
  '*.cvv',
  '*.pin',
  '*.ssn',
  '*.text',
  '*.transcript',
  '*.recoveryCode',
];

export interface CreateLoggerOptions {
  level: string;
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'vigil' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: LOG_REDACT_PATHS, censor: '[REDACTED]' },
      serializers: {
        // Only what an operator needs: the query string is dropped because webhook platforms
        // and reset links put tokens there.
        req: (req: {
          method: string;
          url: string;
          id: string;
          ip?: string;
          headers?: Record<string, unknown>;
        }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
          ip: req.ip,
          userAgent: req.headers?.['user-agent'],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    options.destination,
  );
}
