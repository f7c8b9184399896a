import type { Command } from 'commander';
import pino from 'pino';
import { ConfigError, loadConfig, type VigilConfig } from '../src/config/index.ts';
import { createLogger } from '../src/logging/logger.ts';
import { type OpenVigilOptions, openVigil, type Vigil } from '../src/main.ts';

export interface GlobalOptions {
  config?: string;
}

/** Loads configuration for a command; a bad config prints every problem and exits 2. */
export function configFor(command: Command, overrides: Record<string, unknown> = {}): Readonly<VigilConfig> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  try {
    return loadConfig({ ...(globals.config ? { configFile: globals.config } : {}), overrides });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** Opens Vigil for one CLI command and always closes it, so the process can exit. */
export async function withVigil<T>(
  command: Command,
  fn: (vigil: Vigil) => Promise<T>,
  options: OpenVigilOptions & { overrides?: Record<string, unknown> } = {},
): Promise<T> {
  const config = configFor(command, options.overrides);
  const vigil = await openVigil(config, { logger: options.logger ?? quietLogger(config), ...options });
  try {
    return await fn(vigil);
  } finally {
    await vigil.close();
  }
}

/** CLI commands log warnings and errors only (to stderr), keeping stdout for their output. */
function quietLogger(config: Readonly<VigilConfig>) {
  return createLogger({
    level: config.logging.level === 'info' ? 'warn' : config.logging.level,
    destination: pino.destination(2),
  });
}
