import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { DsarCase } from '../../src/retention/index.ts';
import { withVigil } from '../context.ts';
import { cliCaller, tenantIdOf } from './retention.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const day = (ms: number | null) => (ms === null ? 'none' : new Date(ms).toISOString().slice(0, 10));

function caseLine(c: DsarCase): string {
  const due =
    c.effectiveDueAt === null
      ? 'no statutory deadline'
      : `due ${day(c.effectiveDueAt)}${c.overdue ? ' OVERDUE' : c.daysLeft !== null ? ` (${c.daysLeft} days left)` : ''}`;
  return `${c.id} ${c.kind.padEnd(7)} ${c.status.padEnd(9)} ${due}; ${c.subjectIds.length} customer record(s); packs ${c.packs.join(', ') || 'none'}`;
}

function printCase(c: DsarCase): void {
  out(caseLine(c));
  for (const b of c.basis)
    out(
      `  deadline ${day(b.dueAt)} (${b.pack}, ${b.cite}); with extension ${day(b.extendedDueAt)}${b.extensionCite ? ` (${b.extensionCite})` : ''}`,
    );
  if (c.acknowledgeBy) out(`  acknowledge receipt by ${day(c.acknowledgeBy.at)} (${c.acknowledgeBy.cite})`);
  for (const s of c.outcome?.subjects ?? []) {
    out(
      `  customer ${s.subjectId}: ${s.deleted} deleted, ${s.anonymized} anonymized, ${s.erased ? 'erased (key scheduled for destruction)' : 'not fully erased'}`,
    );
    for (const k of s.kept)
      out(
        `    kept ${k.category} ${k.id}: ${k.reason} — ${k.detail}${k.cites.length ? ` (${k.cites.join('; ')})` : ''}${k.until ? ` until ${day(k.until)}` : ''}`,
      );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

interface OpenOptions {
  tenant?: string;
  kind: string;
  phone?: string;
  email?: string;
  customerRef?: string;
  identifierStdin?: string;
  region?: string;
  received?: string;
  note?: string;
}

/** The identifier, from a flag or (kept out of shell history and the process list) from stdin. */
async function identifierOf(options: OpenOptions) {
  if (options.identifierStdin) {
    const kind = { phone: 'phone', email: 'email', 'customer-ref': 'customerRef' }[options.identifierStdin];
    if (!kind) throw new Error('--identifier-stdin must be phone, email or customer-ref');
    return { [kind]: await readStdin() };
  }
  return { phone: options.phone, email: options.email, customerRef: options.customerRef };
}

function registerOpenList(dsar: Command): void {
  dsar
    .command('open')
    .description(
      'open a request; the customer is found through blind indexes, the deadline comes from their jurisdiction',
    )
    .requiredOption('--kind <kind>', 'access or erasure')
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--phone <phone>', 'identify the customer by phone')
    .option('--email <email>', 'identify the customer by email')
    .option('--customer-ref <id>', 'identify the customer by platform customer id')
    .option('--identifier-stdin <kind>', 'read the phone, email or customer-ref from stdin instead')
    .option('--region <code>', "the requester's region (e.g. FR, US-CA, CA-QC)")
    .option('--received <iso>', 'when the request was received (default now)')
    .option('--note <text>', 'a note for the case file')
    .action(async (options: OpenOptions, command: Command) => {
      if (options.kind !== 'access' && options.kind !== 'erasure')
        throw new Error('--kind must be access or erasure');
      const identifier = await identifierOf(options);
      await withVigil(command, async (vigil) => {
        const tenantId = await tenantIdOf(vigil, options.tenant);
        const opened = await vigil.retention.dsar.open(cliCaller(tenantId, 'dsar open'), {
          kind: options.kind as 'access' | 'erasure',
          identifier,
          ...(options.region ? { region: options.region } : {}),
          ...(options.received ? { receivedAt: Date.parse(options.received) } : {}),
          ...(options.note ? { note: options.note } : {}),
        });
        printCase(opened);
      });
    });
  dsar
    .command('list')
    .description('requests with their due dates; overdue ones are flagged')
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--status <status>', 'open, awaiting, completed or rejected')
    .option('--overdue', 'only overdue requests')
    .action(async (options: { tenant?: string; status?: string; overdue?: boolean }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const cases = await vigil.retention.dsar.list(
          await tenantIdOf(vigil, options.tenant),
          options.status ? { statuses: [options.status] } : {},
        );
        for (const c of cases.filter((c) => !options.overdue || c.overdue)) out(caseLine(c));
        if (cases.some((c) => c.overdue)) process.exitCode = 3;
      });
    });
  dsar
    .command('show <id>')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (id: string, options: { tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) =>
        printCase(await vigil.retention.dsar.get(await tenantIdOf(vigil, options.tenant), id)),
      );
    });
}

function registerActions(dsar: Command): void {
  dsar
    .command('export <id>')
    .description(
      'write the access export (everything held about the customer) to a file readable only by you',
    )
    .requiredOption('--out <file>', 'where to write it')
    .option('--format <format>', 'json or html', 'html')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      async (id: string, options: { out: string; format: string; tenant?: string }, command: Command) => {
        if (options.format !== 'json' && options.format !== 'html')
          throw new Error('--format must be json or html');
        await withVigil(command, async (vigil) => {
          const tenantId = await tenantIdOf(vigil, options.tenant);
          const result = await vigil.retention.dsar.export(
            cliCaller(tenantId, 'dsar export'),
            id,
            options.format as 'json' | 'html',
          );
          // Personal data: the file is created for the operator alone.
          writeFileSync(options.out, result.body, { mode: 0o600 });
          out(`wrote ${options.out} (sha256 ${result.sha256}, recorded in the audit log)`);
        });
      },
    );
  dsar
    .command('erase <id>')
    .description('erase what no hold or legal minimum keeps; prints what was kept and why')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (id: string, options: { tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenantId = await tenantIdOf(vigil, options.tenant);
        printCase(await vigil.retention.dsar.erase(cliCaller(tenantId, 'dsar erase'), id));
      });
    });
  dsar
    .command('extend <id>')
    .requiredOption('--reason <text>', 'why more time is needed (tell the requester)')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(async (id: string, options: { reason: string; tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenantId = await tenantIdOf(vigil, options.tenant);
        printCase(await vigil.retention.dsar.extend(cliCaller(tenantId, 'dsar extend'), id, options.reason));
      });
    });
  dsar
    .command('close <id>')
    .requiredOption('--outcome <outcome>', 'completed or rejected')
    .option('--note <text>', 'a note for the case file')
    .option('--tenant <slug>', 'tenant', 'default')
    .action(
      async (id: string, options: { outcome: string; note?: string; tenant?: string }, command: Command) => {
        if (options.outcome !== 'completed' && options.outcome !== 'rejected')
          throw new Error('--outcome must be completed or rejected');
        await withVigil(command, async (vigil) => {
          const tenantId = await tenantIdOf(vigil, options.tenant);
          printCase(
            await vigil.retention.dsar.close(cliCaller(tenantId, 'dsar close'), id, {
              outcome: options.outcome as 'completed' | 'rejected',
              ...(options.note ? { note: options.note } : {}),
            }),
          );
        });
      },
    );
}

/** `vigil dsar ...`: data-subject access and erasure requests. */
export function registerDsarCommand(program: Command): void {
  const dsar = program
    .command('dsar')
    .description('data subject requests: access exports and erasure (GDPR, CCPA, PIPEDA, ...)');
  registerOpenList(dsar);
  registerActions(dsar);
}
