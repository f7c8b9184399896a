/** The validated, frozen configuration every module receives; built only by `loadConfig`. */
export interface VigilConfig {
  storage: {
    dataDir: string;
    databaseUrl?: string;
    poolMax: number;
    sslMode: 'disable' | 'require' | 'verify-full';
    sslCaFile?: string;
    sqliteSynchronous: 'FULL' | 'NORMAL';
  };
  server: {
    host: string;
    port: number;
    publicUrl?: string;
    tlsCertFile?: string;
    tlsKeyFile?: string;
    allowInsecureHttp: boolean;
    trustedProxies: string[];
    bodyLimitBytes: number;
    rateLimitPerMinute: number;
    shutdownGraceSeconds: number;
  };
  mail: { smtpUrl?: string; from: string };
  identity: { pwnedPasswordsFile?: string };
  logging: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  keys: {
    provider: 'file' | 'env';
    masterKeyFile?: string;
    masterKey?: string;
    subjectDestructionDays: number;
  };
}
