import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Vigil } from '../../src/main.ts';
import {
  type Caller,
  DATA_CATEGORIES,
  type DataCategory,
  type HoldTarget,
  type PurgeReport,
  RETENTION_ACTIONS,
  type RetentionAction,
  summarizePurge,
  systemCaller,
} from '../../src/retention/index.ts';
import { withVigil } from '../context.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** The operator running the command, as the audit log records it. */
export function cliCaller(tenantId: string, command: string): Caller {
  return systemCaller(tenantId, 'cli', `vigil ${command} (${userInfo().username})`);
}

export async function tenantIdOf(vigil: Vigil, slug: string | undefined): Promise<string> {
  return (await vigil.tenancy.getBySlug(slug ?? 'default')).id;
}

function printReport(report: PurgeReport): void {
  for (const [category, t] of Object.entries(report.categories)) {
    const kept = Object.entries(t.kept)
      .map(([why, n]) => `${n} ${why}`)
      .join(', ');
    const done =
      report.mode === 'plan'
        ? `${t.due} due`
        : `${t.deleted} deleted, ${t.anonymized} anonymized, ${t.recordingsRemoved} recordings removed, ${t.erased} profiles erased`;
    out(`  ${category}: scanned ${t.scanned}; ${done}${kept ? `; kept: ${kept}` : ''}`);
  }
  for (const item of report.items)
    out(
      `  ${item.action.padEnd(16)} ${item.category} ${item.id} (${item.ageDays} days, ${item.scope}): ${item.reason}`,
    );
  if (report.itemsTruncated) out('  ... more items (raise --limit to list them)');
  for (const c of report.conflicts) out(`  CONFLICT ${c.category} [${c.scope}]: ${c.message}`);
  for (const g of report.gaps) out(`  GAP ${g.category} [${g.scope}]: ${g.message}`);
  if (report.journal?.tampered)
    out('  ALERT: the erasure journal failed its integrity check and was not applied');
  if (report.journal && report.journal.reErased > 0)
    out(`  re-applied ${report.journal.reErased} erasures from the journal (restored database)`);
}

function registerPlanRun(retention: Command): void {
  retention
    .command('plan')
    .description('dry run: list what a purge would destroy now and why, and what holds or conflicts keep')
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--limit <n>', 'how many records to list', '200')
    .option('--json', 'print the plan as JSON')
    .action(async (options: { tenant?: string; limit: string; json?: boolean }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenantId = await tenantIdOf(vigil, options.tenant);
        const report = await vigil.retention.plan(
          cliCaller(tenantId, 'retention plan'),
          undefined,
          Number(options.limit),
        );
        if (options.json) return out(JSON.stringify(report, null, 2));
        out(
          `plan for tenant ${options.tenant ?? 'default'} at ${new Date(report.referenceAt).toISOString()}:`,
        );
        printReport(report);
      });
    });
  retention
    .command('run')
    .description('purge now in bounded batches, each with a signed disposal certificate')
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--all-tenants', 'purge every tenant')
    .option('--batch-size <n>', 'records per transaction', '1000')
    .option('--json', 'print the reports as JSON')
    .action(
      async (
        options: { tenant?: string; allTenants?: boolean; batchSize: string; json?: boolean },
        command: Command,
      ) => {
        await withVigil(command, async (vigil) => {
          const tenants = options.allTenants
            ? await vigil.tenancy.list()
            : [await vigil.tenancy.getBySlug(options.tenant ?? 'default')];
          for (const tenant of tenants) {
            const report = await vigil.retention.run(cliCaller(tenant.id, 'retention run'), {
              trigger: 'cli',
              batchSize: Number(options.batchSize),
              onBatch: (p) => {
                if (!options.json && p.certificateId)
                  out(`  ${p.category}: ${p.disposed} disposed, certificate ${p.certificateId}`);
              },
            });
            if (options.json) {
              out(JSON.stringify(report, null, 2));
              continue;
            }
            const s = summarizePurge(report);
            out(
              `tenant ${tenant.slug}: run ${report.runId} ${report.aborted ? 'aborted' : 'completed'}: ${s.deleted} deleted, ${s.anonymized} anonymized, ${s.recordingsRemoved} recordings removed, ${s.subjectsErased} customers erased, ${s.held} held, ${s.certificates} certificates`,
            );
            printReport(report);
          }
        });
      },
    );
}

function registerSettings(retention: Command): void {
  retention
    .command('jurisdictions')
    .description('the jurisdiction packs and their deadlines, each with its source')
    .action(async (_options: unknown, command: Command) => {
      await withVigil(command, async (vigil) => {
        for (const pack of vigil.retention.packs.all()) {
          const dsar = pack.dsar
            ? `DSAR ${pack.dsar.response.days ?? 0} days${pack.dsar.response.months ? ` ${pack.dsar.response.months} month(s)` : ''} (${pack.dsar.response.cite})`
            : 'no DSAR rights';
          const breach = pack.breach
            .filter((b) => b.hours !== null)
            .map((b) => `${b.recipient}: ${b.hours} h (${b.cite})`)
            .join('; ');
          out(`${pack.id.padEnd(14)} ${pack.shortName}: ${dsar}${breach ? `; breach ${breach}` : ''}`);
        }
      });
    });
  retention
    .command('policies')
    .description('the tenant jurisdictions, policies, and every conflict or gap')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (options: { tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const evaluation = await vigil.retention.settings.evaluate(await tenantIdOf(vigil, options.tenant));
        out(`packs: ${evaluation.assignment.tenantPacks.join(', ') || 'none'}`);
        for (const s of evaluation.assignment.segments)
          out(`segment ${s.name} (${s.regions.join(', ')}): ${s.packs.join(', ')}`);
        for (const p of evaluation.policies)
          out(
            `policy ${p.id}: ${p.category}${p.jurisdiction ? ` [${p.jurisdiction}]` : ''} ${p.action} after ${p.maxAgeDays} days`,
          );
        for (const s of evaluation.scopes) {
          for (const c of s.conflicts) out(`CONFLICT ${s.category} [${s.scope}]: ${c.message}`);
          for (const g of s.gaps) out(`GAP ${s.category} [${s.scope}]: ${g.message}`);
        }
      });
    });
  retention
    .command('set-policy <category> <days>')
    .description(`set a maximum age; categories: ${DATA_CATEGORIES.join(', ')}`)
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--action <action>', `${RETENTION_ACTIONS.join(' or ')}`, 'delete')
    .option('--jurisdiction <pack>', 'only for customers under this pack')
    .action(
      async (
        category: string,
        days: string,
        options: { tenant?: string; action: string; jurisdiction?: string },
        command: Command,
      ) => {
        if (!(DATA_CATEGORIES as readonly string[]).includes(category))
          throw new Error(`unknown category ${category}; known: ${DATA_CATEGORIES.join(', ')}`);
        if (!(RETENTION_ACTIONS as readonly string[]).includes(options.action))
          throw new Error('--action must be delete or anonymize');
        const maxAgeDays = Number(days);
        if (!Number.isInteger(maxAgeDays) || maxAgeDays < 1)
          throw new Error('days must be a whole number of days');
        await withVigil(command, async (vigil) => {
          const tenantId = await tenantIdOf(vigil, options.tenant);
          const policy = await vigil.retention.settings.setPolicy(
            cliCaller(tenantId, 'retention set-policy'),
            {
              category: category as DataCategory,
              jurisdiction: options.jurisdiction ?? null,
              maxAgeDays,
              action: options.action as RetentionAction,
            },
          );
          out(`policy ${policy.id}: ${policy.category} ${policy.action} after ${policy.maxAgeDays} days`);
        });
      },
    );
  retention
    .command('assign')
    .description('set the packs of the tenant and of customer segments by region')
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--packs <ids>', 'comma-separated packs for every customer', '')
    .option('--segment <spec...>', 'NAME=REGION,REGION:PACK+PACK (e.g. EU=FR,DE:gdpr)')
    .action(async (options: { tenant?: string; packs: string; segment?: string[] }, command: Command) => {
      const segments = (options.segment ?? []).map((spec) => {
        const match = /^([^=]+)=([^:]+):(.+)$/.exec(spec);
        if (!match) throw new Error(`--segment ${spec}: expected NAME=REGION,REGION:PACK+PACK`);
        return { name: match[1]!, regions: match[2]!.split(','), packs: match[3]!.split('+') };
      });
      await withVigil(command, async (vigil) => {
        const tenantId = await tenantIdOf(vigil, options.tenant);
        const evaluation = await vigil.retention.settings.setAssignment(
          cliCaller(tenantId, 'retention assign'),
          { tenantPacks: options.packs.split(',').filter(Boolean), segments },
        );
        const conflicts = evaluation.scopes.flatMap((s) =>
          s.conflicts.map((c) => `CONFLICT ${s.category} [${s.scope}]: ${c.message}`),
        );
        out(`assigned; ${conflicts.length} conflicts`);
        for (const line of conflicts) out(line);
      });
    });
}

function holdTarget(options: {
  phone?: string;
  email?: string;
  customerRef?: string;
  interactions?: string;
  query?: string;
}): HoldTarget {
  if (options.interactions) return { kind: 'interactions', ids: options.interactions.split(',') };
  if (options.query)
    return {
      kind: 'query',
      query: JSON.parse(options.query) as Extract<HoldTarget, { kind: 'query' }>['query'],
    };
  return {
    kind: 'customer',
    identifier: { phone: options.phone, email: options.email, customerRef: options.customerRef },
  };
}

function registerHolds(retention: Command): void {
  const holds = retention.command('holds').description('legal holds: held data is never purged or erased');
  holds
    .command('list')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (options: { tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        for (const h of await vigil.retention.holds.list(await tenantIdOf(vigil, options.tenant))) {
          out(
            `${h.id} ${h.active ? 'ACTIVE ' : 'ended  '} ${h.kind} "${h.name}" owner ${h.owner}, ${h.items} items${h.expiresAt ? `, expires ${new Date(h.expiresAt).toISOString()}` : ''}: ${h.reason}`,
          );
        }
      });
    });
  holds
    .command('create')
    .requiredOption('--name <name>', 'short name of the matter')
    .requiredOption('--reason <text>', 'why the data must be kept (audited)')
    .requiredOption('--owner <who>', 'who answers for the hold')
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--phone <phone>', 'hold a customer by phone')
    .option('--email <email>', 'hold a customer by email')
    .option('--customer-ref <id>', 'hold a customer by platform customer id')
    .option('--interactions <ids>', 'hold these interaction ids (comma-separated)')
    .option('--query <json>', 'hold what matches a filter, e.g. {"queues":["disputes"]}')
    .option('--expires <iso>', 'when the hold ends on its own')
    .action(async (options: Record<string, string | undefined>, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenantId = await tenantIdOf(vigil, options['tenant']);
        const hold = await vigil.retention.holds.create(cliCaller(tenantId, 'retention holds create'), {
          name: options['name']!,
          reason: options['reason']!,
          owner: options['owner']!,
          target: holdTarget(options),
          ...(options['expires'] ? { expiresAt: Date.parse(options['expires']) } : {}),
        });
        out(`hold ${hold.id}: ${hold.kind}, ${hold.items} items`);
      });
    });
  holds
    .command('release <id>')
    .requiredOption('--reason <text>', 'why the hold ends (audited)')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (id: string, options: { reason: string; tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenantId = await tenantIdOf(vigil, options.tenant);
        await vigil.retention.holds.release(
          cliCaller(tenantId, 'retention holds release'),
          id,
          options.reason,
        );
        out(`hold ${id} released`);
      });
    });
}

function registerEvidence(retention: Command): void {
  retention
    .command('check')
    .description('run the compliance check (PCI DSS 3.2.1 evidence) and keep it signed')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (options: { tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenantId = await tenantIdOf(vigil, options.tenant);
        const result = await vigil.retention.checkNow(cliCaller(tenantId, 'retention check'));
        out(
          `check ${result.id}: ${(JSON.parse(result.document) as { result: string }).result} (sha256 ${result.sha256})`,
        );
        if (result.overdue > 0) process.exitCode = 1;
      });
    });
  retention
    .command('certificate <id>')
    .description('print a disposal certificate and verify its hash, signature and audit anchor')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (id: string, options: { tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenantId = await tenantIdOf(vigil, options.tenant);
        const certificate = await vigil.retention.certificates.get(tenantId, id);
        const verification = await vigil.retention.certificates.verify(tenantId, id);
        out(certificate.document);
        out(`signature ${certificate.signature}`);
        out(
          `${verification.valid ? 'VALID' : 'INVALID'}: hash ${verification.hash}, signature ${verification.signature}, anchored ${verification.anchored}`,
        );
        if (!verification.valid) process.exitCode = 1;
      });
    });
  retention
    .command('replay-erasures')
    .description(
      'after restoring a database backup: re-apply the erasures recorded in the journal since it was taken',
    )
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--all-tenants', 'every tenant')
    .action(async (options: { tenant?: string; allTenants?: boolean }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenants = options.allTenants
          ? await vigil.tenancy.list()
          : [await vigil.tenancy.getBySlug(options.tenant ?? 'default')];
        for (const tenant of tenants) {
          // Run before serving a restored database: no erasure is in progress, every entry is due.
          const result = await vigil.retention.replayJournal(
            cliCaller(tenant.id, 'retention replay-erasures'),
            { includeRecent: true },
          );
          out(
            `tenant ${tenant.slug}: ${result.replayed} journal entries replayed, ${result.reErased} customers erased again`,
          );
        }
      });
    });
}

/** `vigil retention ...`: policies and jurisdictions, plan and run the purge, legal holds, evidence. */
export function registerRetentionCommand(program: Command): void {
  const retention = program
    .command('retention')
    .description('retention policies, purge, legal holds, disposal certificates');
  registerPlanRun(retention);
  registerSettings(retention);
  registerHolds(retention);
  registerEvidence(retention);
}
