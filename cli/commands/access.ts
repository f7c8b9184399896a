import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import {
  builtinMatrixMarkdown,
  PERMISSIONS,
  type ScopeKind,
  verifyReviewExport,
} from '../../src/access/index.ts';
import type { Vigil } from '../../src/main.ts';
import { type Principal, systemPrincipal } from '../../src/shared/principal.ts';
import { withVigil } from '../context.ts';

interface TenantOption {
  tenant: string;
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

async function operator(vigil: Vigil, slug: string): Promise<Principal> {
  return systemPrincipal((await vigil.tenancy.getBySlug(slug)).id, 'cli');
}

/**
 * Runs an action for the tenant named by --tenant, acting as the audited `cli` system principal.
 * The action receives commander's arguments (positionals, then options) without the Command.
 */
function asOperator<A extends unknown[]>(fn: (vigil: Vigil, actor: Principal, ...args: A) => Promise<void>) {
  return async (...args: [...A, Command]) => {
    const command = args.at(-1) as Command;
    const options = args.at(-2) as TenantOption;
    await withVigil(command, async (vigil) =>
      fn(vigil, await operator(vigil, options.tenant), ...(args.slice(0, -1) as A)),
    );
  };
}

function registerRoleCommands(access: Command): void {
  access
    .command('matrix')
    .description('print the built-in role x permission matrix (Markdown)')
    .action(() => {
      out(builtinMatrixMarkdown());
    });
  access
    .command('roles')
    .description('list built-in and custom roles with their permissions')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(async (vigil, actor) => {
        for (const role of await vigil.access.admin.listRoles(actor.tenantId)) {
          const grants = role.grants.map((g) =>
            PERMISSIONS[g.permission].scoped ? `${g.permission}(${g.scope})` : g.permission,
          );
          out(`${role.name.padEnd(22)} ${role.builtin ? 'built-in' : 'custom  '}  ${grants.join(', ')}`);
        }
      }),
    );
  access
    .command('role-create <name>')
    .description('create a custom role from named permissions (permission or permission:scope)')
    .requiredOption('--display-name <name>', 'name shown in the console')
    .requiredOption('--permission <permission...>', 'e.g. audit.read interactions.read:team')
    .option('--description <text>', 'what the role is for', '')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(
        async (
          vigil,
          actor,
          name: string,
          options: { displayName: string; permission: string[]; description: string },
        ) => {
          const grants = options.permission.map((entry) => {
            const [permission = '', scope] = entry.split(':');
            return { permission: permission as never, ...(scope ? { scope: scope as ScopeKind } : {}) };
          });
          const role = await vigil.access.admin.createRole(actor, {
            name,
            displayName: options.displayName,
            description: options.description,
            grants,
          });
          out(`created role ${role.name} with ${role.grants.length} permission(s)`);
        },
      ),
    );
  access
    .command('role-delete <name>')
    .description('delete a custom role nobody holds')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(async (vigil, actor, name: string) => {
        await vigil.access.admin.deleteRole(actor, name);
        out(`deleted role ${name}`);
      }),
    );
}

function registerPolicyCommands(access: Command): void {
  access
    .command('policy-show')
    .description('print the access policy (zones, conditions, time windows, settings) as JSON')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(async (vigil, actor) => {
        out(JSON.stringify(await vigil.access.admin.getPolicy(actor.tenantId), null, 2));
      }),
    );
  access
    .command('policy-set <file>')
    .description('replace the access policy with a JSON or YAML document (validated whole)')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(async (vigil, actor, file: string) => {
        const text = readFileSync(file, 'utf8');
        const document = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
        const policy = await vigil.access.admin.updatePolicy(actor, document);
        out(
          `policy updated: ${policy.zones.length} zone(s), ${policy.rules.length} rule(s), ${policy.roleWindows.length} role window(s)`,
        );
      }),
    );
  access
    .command('check')
    .description('explain whether a user may use a permission now, from an address, and why not')
    .requiredOption('--user <id>', 'user id')
    .requiredOption('--permission <name>', 'permission name')
    .option('--ip <address>', 'client address to evaluate zones against')
    .option('--mfa-age <seconds>', 'seconds since the last MFA verification (omit: none)')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(
        async (vigil, actor, options: { user: string; permission: string; ip?: string; mfaAge?: string }) => {
          const user = await vigil.identity.users.get(actor.tenantId, options.user);
          const principal: Principal = {
            tenantId: actor.tenantId,
            kind: 'user',
            id: user.id,
            displayName: user.displayName,
            roles: user.roles,
            ...(options.mfaAge ? { mfaVerifiedAt: vigil.clock.now() - Number(options.mfaAge) * 1000 } : {}),
          };
          const decision = await vigil.access.gate.explain(
            principal,
            options.permission,
            options.ip ? { ip: options.ip } : {},
          );
          out(
            decision.allowed
              ? `allowed via ${decision.via} (${decision.grantedBy})`
              : `denied [${decision.condition}]: ${decision.message}`,
          );
          process.exitCode = decision.allowed ? 0 : 1;
        },
      ),
    );
}

function registerElevationCommands(access: Command): void {
  access
    .command('elevations')
    .description('list elevation requests and grants, newest first')
    .option('--status <status>', 'pending, approved, denied, expired, revoked or lapsed')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(async (vigil, actor, options: { status?: 'pending' }) => {
        const list = await vigil.access.elevations.list(actor.tenantId, {
          ...(options.status ? { status: options.status } : {}),
          limit: 200,
        });
        for (const e of list) {
          out(
            `${e.id}  ${e.status.padEnd(8)}  ${e.breakGlass ? 'BREAK-GLASS ' : ''}${e.kind}=${e.name}  user=${e.userId}  until=${iso(e.expiresAt)}  reason=${JSON.stringify(e.reason)}`,
          );
        }
        if (list.length === 0) out('no elevations');
      }),
    );
  for (const verb of ['approve', 'deny', 'revoke'] as const) {
    access
      .command(`${verb} <elevationId>`)
      .description(`${verb} an elevation (recorded as the cli operator)`)
      .option('--note <text>', 'why (required to deny)')
      .option('--tenant <slug>', 'tenant', 'default')
      .action(
        asOperator(async (vigil, actor, id: string, options: { note?: string }) => {
          const { elevations } = vigil.access;
          const result =
            verb === 'approve'
              ? await elevations.approve(actor, id, options.note)
              : verb === 'deny'
                ? await elevations.deny(actor, id, options.note ?? '')
                : await elevations.revoke(actor, id, true);
          out(
            `${result.id} is now ${result.status}${result.expiresAt && verb === 'approve' ? ` until ${iso(result.expiresAt)}` : ''}`,
          );
        }),
      );
  }
}

function registerReviewCommands(access: Command): void {
  const reviews = access.command('reviews').description('access review campaigns (PCI DSS 7.2.4)');
  reviews
    .command('list')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(async (vigil, actor) => {
        for (const c of await vigil.access.reviews.list(actor.tenantId)) {
          out(
            `${c.id}  ${c.status.padEnd(6)}  items=${c.itemCount}  due=${iso(c.dueAt)}  rule=${c.undecidedRule}  ${c.name}`,
          );
        }
      }),
    );
  reviews
    .command('start')
    .option('--name <name>', 'campaign name')
    .option('--due-days <days>', 'days until undecided items follow the rule')
    .option('--undecided <rule>', 'revoke or keep')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(
        async (vigil, actor, options: { name?: string; dueDays?: string; undecided?: 'revoke' | 'keep' }) => {
          const campaign = await vigil.access.reviews.start(actor, {
            ...(options.name ? { name: options.name } : {}),
            ...(options.dueDays ? { dueDays: Number(options.dueDays) } : {}),
            ...(options.undecided ? { undecided: options.undecided } : {}),
          });
          out(`started ${campaign.id} with ${campaign.itemCount} item(s), due ${iso(campaign.dueAt)}`);
        },
      ),
    );
  reviews
    .command('close <campaignId>')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(async (vigil, actor, id: string) => {
        const campaign = await vigil.access.reviews.close(actor, id);
        out(`closed ${campaign.id} at ${iso(campaign.closedAt)}`);
      }),
    );
  registerEvidenceCommands(reviews);
}

function registerEvidenceCommands(reviews: Command): void {
  reviews
    .command('export <campaignId>')
    .description('write the campaign as signed evidence: <out> and <out>.sig.json')
    .requiredOption('--out <file>', 'output file')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      asOperator(async (vigil, actor, id: string, options: { out: string; format: 'csv' | 'json' }) => {
        const signed = await vigil.access.reviews.export(actor, id, options.format);
        writeFileSync(options.out, signed.content, { mode: 0o600 });
        const { content: _content, ...proof } = signed;
        writeFileSync(`${options.out}.sig.json`, `${JSON.stringify(proof, null, 2)}\n`, { mode: 0o600 });
        out(
          `wrote ${options.out} (sha256 ${signed.sha256}), signature in ${options.out}.sig.json, audit event #${signed.auditSeq}`,
        );
      }),
    );
  reviews
    .command('verify <file>')
    .description('check an exported campaign against its signature (offline, no database)')
    .option('--signature <file>', 'signature file (default <file>.sig.json)')
    .option(
      '--public-key <pem>',
      "the tenant's published public key (default: the one in the signature file)",
    )
    .action((file: string, options: { signature?: string; publicKey?: string }) => {
      const proof = JSON.parse(readFileSync(options.signature ?? `${file}.sig.json`, 'utf8')) as {
        signature: string;
        publicKeyPem: string;
        keyId: string;
      };
      const key = options.publicKey ? readFileSync(options.publicKey, 'utf8') : proof.publicKeyPem;
      const ok = verifyReviewExport(readFileSync(file), proof.signature, key);
      out(
        ok
          ? `signature valid (key ${proof.keyId})`
          : 'SIGNATURE INVALID: the file was changed or signed by another key',
      );
      process.exitCode = ok ? 0 : 1;
    });
}

/** `vigil access ...`: roles, policy, decisions explained, elevations and access reviews. */
export function registerAccessCommand(program: Command): void {
  const access = program
    .command('access')
    .description('access control: roles, policy, elevation, access reviews');
  registerRoleCommands(access);
  registerPolicyCommands(access);
  registerElevationCommands(access);
  registerReviewCommands(access);
}
