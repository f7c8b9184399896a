import type { Command } from 'commander';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../src/identity/index.ts';
import { systemPrincipal } from '../../src/shared/principal.ts';
import { withVigil } from '../context.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** `vigil api-keys create|list|revoke`: integration keys (scoped, expiring, shown once). */
export function registerApiKeysCommand(program: Command): void {
  const keys = program.command('api-keys').description('manage integration API keys');

  keys
    .command('create')
    .description(`create a key (scopes: ${API_KEY_SCOPES.join(', ')}); the secret is printed once`)
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--scope <scope...>', 'scopes')
    .option('--expires-days <days>', 'expire after this many days')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      async (
        options: { name: string; scope: string[]; expiresDays?: string; tenant: string },
        command: Command,
      ) => {
        const unknown = options.scope.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
        if (unknown.length > 0) throw new Error(`unknown scope(s): ${unknown.join(', ')}`);
        const days = options.expiresDays === undefined ? undefined : Number(options.expiresDays);
        if (days !== undefined && (!Number.isInteger(days) || days < 1))
          throw new Error('--expires-days must be a whole number of days');
        await withVigil(command, async (vigil) => {
          const tenant = await vigil.tenancy.getBySlug(options.tenant);
          const { key, secret } = await vigil.identity.apiKeys.create(systemPrincipal(tenant.id, 'cli'), {
            name: options.name,
            scopes: options.scope as ApiKeyScope[],
            expiresAt: days === undefined ? null : vigil.clock.now() + days * 86_400_000,
          });
          out(`created ${key.id} (${key.scopes.join(',')})`);
          out(`secret (shown once, store it now): ${secret}`);
        });
      },
    );

  keys
    .command('list')
    .description('list keys (never their secrets)')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (options: { tenant: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenant = await vigil.tenancy.getBySlug(options.tenant);
        const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
        for (const k of await vigil.identity.apiKeys.list(tenant.id)) {
          const state = k.revokedAt ? 'revoked' : 'active';
          out(
            `${k.id}  ${k.prefix}...  ${state}  ${k.name}  scopes=${k.scopes.join(',')}  expires=${iso(k.expiresAt)}  lastUsed=${iso(k.lastUsedAt)}`,
          );
        }
      });
    });

  keys
    .command('revoke <keyId>')
    .description('revoke a key at once')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (keyId: string, options: { tenant: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenant = await vigil.tenancy.getBySlug(options.tenant);
        await vigil.identity.apiKeys.revoke(systemPrincipal(tenant.id, 'cli'), keyId);
        out(`revoked ${keyId}`);
      });
    });
}
