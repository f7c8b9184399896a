import { z } from 'zod';

/**
 * Every setting Vigil reads, in one table: its environment variable, where it lives in the
 * config file and the typed config, how it is validated, and its documentation. The README's
 * configuration table is generated from this list (`npm run docs:config`), so they cannot drift.
 */
export interface SettingDefinition {
  env: string;
  path: readonly [string, string];
  schema: z.ZodType;
  description: string;
  /** Secrets are never echoed in errors, logs or `vigil doctor` output. */
  secret?: boolean;
  defaultText?: string;
}

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);
const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0));

export const SETTINGS: readonly SettingDefinition[] = [
  {
    env: 'VIGIL_DATA_DIR',
    path: ['storage', 'dataDir'],
    schema: z.string().min(1).default('./.vigil'),
    description: 'Data directory: SQLite database, master key file, encrypted recordings.',
    defaultText: './.vigil',
  },
  {
    env: 'VIGIL_DATABASE_URL',
    path: ['storage', 'databaseUrl'],
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    description: 'PostgreSQL connection URL. When unset, Vigil uses the embedded SQLite database.',
    secret: true,
    defaultText: '(unset: SQLite)',
  },
  {
    env: 'VIGIL_DATABASE_POOL_MAX',
    path: ['storage', 'poolMax'],
    schema: positiveInt(200).default(10),
    description: 'PostgreSQL pool size per node.',
    defaultText: '10',
  },
  {
    env: 'VIGIL_DATABASE_SSL_MODE',
    path: ['storage', 'sslMode'],
    schema: z.enum(['disable', 'require', 'verify-full']).default('disable'),
    description: 'PostgreSQL TLS: `require` encrypts, `verify-full` also checks the server certificate.',
    defaultText: 'disable',
  },
  {
    env: 'VIGIL_DATABASE_SSL_CA',
    path: ['storage', 'sslCaFile'],
    schema: z.string().min(1).optional(),
    description: 'PEM file of the CA that signed the PostgreSQL server certificate (verify-full).',
  },
  {
    env: 'VIGIL_SQLITE_SYNCHRONOUS',
    path: ['storage', 'sqliteSynchronous'],
    schema: z.enum(['FULL', 'NORMAL']).default('FULL'),
    description: 'SQLite fsync policy. FULL survives power loss; NORMAL survives process crashes only.',
    defaultText: 'FULL',
  },
  {
    env: 'VIGIL_HOST',
    path: ['server', 'host'],
    schema: z.string().min(1).default('127.0.0.1'),
    description: 'Address to listen on. Anything but loopback requires TLS (or VIGIL_ALLOW_INSECURE_HTTP).',
    defaultText: '127.0.0.1',
  },
  {
    env: 'VIGIL_PORT',
    path: ['server', 'port'],
    schema: port.default(8080),
    description: 'Port to listen on.',
    defaultText: '8080',
  },
  {
    env: 'VIGIL_PUBLIC_URL',
    path: ['server', 'publicUrl'],
    schema: z.url().optional(),
    description: 'External URL of the console, used in enrollment and reset links.',
    defaultText: 'http://HOST:PORT',
  },
  {
    env: 'VIGIL_TLS_CERT',
    path: ['server', 'tlsCertFile'],
    schema: z.string().min(1).optional(),
    description: 'PEM certificate chain file; with VIGIL_TLS_KEY enables HTTPS (TLS 1.2+).',
  },
  {
    env: 'VIGIL_TLS_KEY',
    path: ['server', 'tlsKeyFile'],
    schema: z.string().min(1).optional(),
    description: 'PEM private key file for VIGIL_TLS_CERT.',
  },
  {
    env: 'VIGIL_ALLOW_INSECURE_HTTP',
    path: ['server', 'allowInsecureHttp'],
    schema: bool.default(false),
    description: 'Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy).',
    defaultText: 'false',
  },
  {
    env: 'VIGIL_TRUSTED_PROXIES',
    path: ['server', 'trustedProxies'],
    schema: csv.default([]),
    description: 'Comma-separated addresses/CIDRs of reverse proxies whose X-Forwarded-For is believed.',
    defaultText: '(none)',
  },
  {
    env: 'VIGIL_BODY_LIMIT_BYTES',
    path: ['server', 'bodyLimitBytes'],
    schema: positiveInt(256 * 1024 * 1024).default(10 * 1024 * 1024),
    description: 'Largest request body accepted, in bytes.',
    defaultText: '10485760',
  },
  {
    env: 'VIGIL_RATE_LIMIT_PER_MINUTE',
    path: ['server', 'rateLimitPerMinute'],
    schema: positiveInt(10_000_000).default(6000),
    description: 'Requests per minute allowed from one client address.',
    defaultText: '6000',
  },
  {
    env: 'VIGIL_SHUTDOWN_GRACE_SECONDS',
    path: ['server', 'shutdownGraceSeconds'],
    schema: positiveInt(600).default(25),
    description: 'How long SIGTERM waits for in-flight requests before closing.',
    defaultText: '25',
  },
  {
    env: 'VIGIL_SMTP_URL',
    path: ['mail', 'smtpUrl'],
    schema: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    description:
      'SMTP server for invitation and password-reset emails (smtp:// with STARTTLS or smtps://). Unset: development mode, links are logged at warn level in the `devLink` field.',
    secret: true,
    defaultText: '(unset: links logged)',
  },
  {
    env: 'VIGIL_SMTP_FROM',
    path: ['mail', 'from'],
    schema: z.string().min(3).max(320).default('Vigil <vigil@localhost>'),
    description: 'Sender address of Vigil emails.',
    defaultText: 'Vigil <vigil@localhost>',
  },
  {
    env: 'VIGIL_PWNED_PASSWORDS_FILE',
    path: ['identity', 'pwnedPasswordsFile'],
    schema: z.string().min(1).optional(),
    description:
      'Optional Have I Been Pwned "SHA-1 ordered by hash" file; new passwords found in it are refused (binary search on disk).',
  },
  {
    env: 'VIGIL_LOG_LEVEL',
    path: ['logging', 'level'],
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'Log level of the JSON logs on stdout.',
    defaultText: 'info',
  },
  {
    env: 'VIGIL_KEY_PROVIDER',
    path: ['keys', 'provider'],
    schema: z.enum(['file', 'env']).default('file'),
    description: 'Where the root key comes from: `file` (VIGIL_MASTER_KEY_FILE) or `env` (VIGIL_MASTER_KEY).',
    defaultText: 'file',
  },
  {
    env: 'VIGIL_MASTER_KEY_FILE',
    path: ['keys', 'masterKeyFile'],
    schema: z.string().min(1).optional(),
    description: 'Root key file (32 random bytes, base64), mode 0600. Created by `vigil init`.',
    defaultText: 'DATA_DIR/master.key',
  },
  {
    env: 'VIGIL_MASTER_KEY',
    path: ['keys', 'masterKey'],
    schema: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be base64 of exactly 32 bytes')
      .optional(),
    description: 'Root key as base64 of 32 bytes, for VIGIL_KEY_PROVIDER=env. No default.',
    secret: true,
  },
  {
    env: 'VIGIL_SUBJECT_KEY_DESTRUCTION_DAYS',
    path: ['keys', 'subjectDestructionDays'],
    schema: positiveInt(365).default(7),
    description:
      "Days between scheduling the destruction of a data subject's key (crypto-shredding) and the destruction; it can be cancelled until then.",
    defaultText: '7',
  },
];
