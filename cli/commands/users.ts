import type { Command } from 'commander';
import type { UserStatus } from '../../src/identity/index.ts';
import { systemPrincipal } from '../../src/shared/principal.ts';
import { withVigil } from '../context.ts';

interface TenantOption {
  tenant: string;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

/** `vigil users create|list|suspend|reactivate|reset-mfa|bootstrap-link`: the identity services, audited as `cli`. */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('manage user accounts');

  users
    .command('create')
    .description('invite a user; the one-time link (3 days) is emailed, and printed here')
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--name <name>', 'display name')
    .option('--role <role...>', 'roles to grant', [])
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      async (options: TenantOption & { email: string; name: string; role: string[] }, command: Command) => {
        await withVigil(command, async (vigil) => {
          const tenant = await vigil.tenancy.getBySlug(options.tenant);
          const { user, link } = await vigil.identity.users.invite(systemPrincipal(tenant.id, 'cli'), {
            email: options.email,
            displayName: options.name,
            roles: options.role,
          });
          out(`invited ${user.id} (${user.roles.join(', ') || 'no roles'})`);
          out(`one-time link, valid 3 days (a secret: hand it only to this person): ${link}`);
        });
      },
    );

  users
    .command('list')
    .description('list users')
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--status <status>', 'invited, active, suspended or disabled')
    .action(async (options: TenantOption & { status?: UserStatus }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenant = await vigil.tenancy.getBySlug(options.tenant);
        const list = await vigil.identity.users.list(tenant.id, {
          limit: 500,
          ...(options.status ? { status: options.status } : {}),
        });
        for (const u of list) {
          const mfa = [u.mfa.totp ? 'totp' : '', u.mfa.passkeys ? `${u.mfa.passkeys} passkey(s)` : ''].filter(
            Boolean,
          );
          const last = u.lastLoginAt ? new Date(u.lastLoginAt).toISOString() : 'never';
          out(
            `${u.id}  ${u.status.padEnd(9)}  ${u.email}  roles=${u.roles.join(',') || '-'}  mfa=${mfa.join('+') || 'none'}  last=${last}`,
          );
        }
        if (list.length === 0) out('no users');
      });
    });

  users
    .command('suspend <userId>')
    .description('suspend a user and end all their sessions')
    .requiredOption('--reason <reason>', 'why (recorded in the audit log)')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (userId: string, options: TenantOption & { reason: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenant = await vigil.tenancy.getBySlug(options.tenant);
        await vigil.identity.users.suspend(systemPrincipal(tenant.id, 'cli'), userId, options.reason);
        out(`suspended ${userId}; all sessions ended`);
      });
    });

  users
    .command('reactivate <userId>')
    .description('reactivate a suspended or disabled user')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (userId: string, options: TenantOption, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenant = await vigil.tenancy.getBySlug(options.tenant);
        const user = await vigil.identity.users.reactivate(systemPrincipal(tenant.id, 'cli'), userId);
        out(`${userId} is ${user.status}`);
      });
    });

  users
    .command('reset-mfa <userId>')
    .description('remove every second factor of a user (they enrol again at next sign-in)')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (userId: string, options: TenantOption, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenant = await vigil.tenancy.getBySlug(options.tenant);
        await vigil.identity.users.resetMfa(systemPrincipal(tenant.id, 'cli'), userId);
        out(`second factors of ${userId} removed; all sessions ended`);
      });
    });

  users
    .command('bootstrap-link')
    .description('print a one-time link (1 hour) to enrol the first administrator of a tenant with no users')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (options: TenantOption, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenant = await vigil.tenancy.getBySlug(options.tenant);
        const bootstrap = await vigil.identity.enrollment.ensureBootstrapLink(tenant.id);
        if (!bootstrap) {
          out(`tenant "${tenant.slug}" already has users; invite more with \`vigil users create\``);
          return;
        }
        out(`first administrator enrollment link (one use, expires in 1 hour): ${bootstrap.link}`);
      });
    });
}
