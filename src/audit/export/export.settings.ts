import { z } from 'zod';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1-64 lowercase letters, digits, dots, dashes');
const stream = z.enum(['events', 'checkpoints']).default('events');

const syslogSettings = z.strictObject({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  tls: z.boolean(),
  caPem: z
    .string()
    .includes('BEGIN CERTIFICATE')
    .max(64 * 1024)
    .optional(),
  serverName: z.string().min(1).max(253).optional(),
});

const webhookUrl = z
  .url()
  .max(2048)
  .refine((value) => {
    const url = new URL(value);
    // Signed payloads still reveal the log to an eavesdropper: plain HTTP only to this machine.
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  }, 'must be https (http only to localhost)');

/** What an operator gives to add a sink; validated whole before anything is stored. */
export const sinkInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('syslog'), name, stream, ...syslogSettings.shape }),
  z.strictObject({
    kind: z.literal('webhook'),
    name,
    stream,
    url: webhookUrl,
    secret: z.string().min(32, 'must be at least 32 characters').max(512),
  }),
  z.strictObject({
    kind: z.literal('file'),
    name,
    stream,
    path: z.string().min(2).max(1024).startsWith('/', 'must be an absolute path'),
  }),
]);

export type SinkInput = z.input<typeof sinkInputSchema>;

export const storedSettingsSchema = {
  syslog: syslogSettings,
  webhook: z.strictObject({ url: webhookUrl }),
  file: z.strictObject({ path: z.string() }),
} as const;

export type SyslogSettings = z.infer<typeof syslogSettings>;
