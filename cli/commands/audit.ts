import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { type Command, Option } from 'commander';
import {
  type AuditEventInput,
  type AuditVerifyReport,
  type SinkInput,
  serializeProofBundle,
  toOcsf,
  type VerifyOptions,
  verifyProofBundle,
} from '../../src/audit/index.ts';
import type { Vigil } from '../../src/main.ts';
import { configFor, withVigil } from '../context.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The CLI acts as a system actor named after the operating-system user who ran it. */
function cliActor(): AuditEventInput['actor'] {
  return { type: 'system', id: `cli:${userInfo().username}`, name: 'vigil CLI' };
}

async function tenantIds(vigil: Vigil, tenant: string | undefined): Promise<string[]> {
  if (tenant === undefined) return (await vigil.tenancy.list()).map((t) => t.id);
  const all = await vigil.tenancy.list();
  const found = all.find((t) => t.id === tenant || t.slug === tenant);
  if (!found) throw new Error(`no tenant with id or slug "${tenant}"`);
  return [found.id];
}

async function oneTenant(vigil: Vigil, tenant: string | undefined): Promise<string> {
  return (await tenantIds(vigil, tenant ?? 'default'))[0]!;
}

function parseFrom(from: string | undefined): VerifyOptions['from'] {
  if (from === undefined) return undefined;
  if (/^\d+$/.test(from)) return { treeSize: Number(from) };
  return { note: readFileSync(from, 'utf8') };
}

function printReport(report: AuditVerifyReport): void {
  const head = `tenant ${report.tenantId}: ${report.ok ? 'OK' : 'FAILED'}`;
  out(
    `${head} (${report.eventsChecked} events from size ${report.fromTreeSize}, log size ${report.logSize}, tree ${report.treeHeadSize}, ${report.checkpointsChecked} checkpoints, ${report.publishedCheckpointsChecked} published files, ${report.durationMs} ms)`,
  );
  if (report.firstBadEvent) {
    const p = report.firstBadEvent;
    out(`  first bad event: seq ${p.seq}${p.eventId ? ` id ${p.eventId}` : ''}: ${p.kind}: ${p.detail}`);
  }
  for (const p of report.problems) {
    const where = [
      p.seq !== undefined ? `seq ${p.seq}` : '',
      p.eventId ? `id ${p.eventId}` : '',
      p.treeSize !== undefined ? `size ${p.treeSize}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    out(`  ${p.kind}${where ? ` (${where})` : ''}: ${p.detail}`);
  }
  if (report.problemsTruncated) out('  ... more problems not shown');
}

interface VerifyCliOptions {
  tenant?: string;
  from?: string;
  key?: string[];
  skipNodes?: boolean;
  json?: boolean;
}

function registerVerify(audit: Command): void {
  audit
    .command('verify')
    .description('recompute the audit log (leaf hashes, MACs, tree, checkpoint signatures and consistency)')
    .option('-t, --tenant <id-or-slug>', 'one tenant (default: every tenant)')
    .option(
      '--from <size-or-file>',
      'start from a trusted checkpoint: its tree size, or a signed checkpoint file',
    )
    .option('--key <verifier-key...>', 'trust only these verifier keys (from a published copy)')
    .option('--skip-nodes', 'do not re-read the stored tree nodes (the tree is still recomputed)')
    .option('--json', 'print the reports as JSON')
    .action(async (options: VerifyCliOptions, command: Command) => {
      await withVigil(command, async (vigil) => {
        let ok = true;
        for (const tenantId of await tenantIds(vigil, options.tenant)) {
          const from = parseFrom(options.from);
          const report = await vigil.audit.verify(tenantId, {
            ...(from ? { from } : {}),
            ...(options.key ? { trustedKeys: options.key } : {}),
            ...(options.skipNodes ? { compareStoredNodes: false } : {}),
          });
          await vigil.audit.record(vigil.storage.db, {
            tenantId,
            actor: cliActor(),
            action: 'audit.verify',
            outcome: report.ok ? 'success' : 'failure',
            details: { eventsChecked: report.eventsChecked, problems: report.problems.length },
          });
          ok &&= report.ok;
          if (options.json) out(JSON.stringify(report));
          else printReport(report);
        }
        process.exitCode = ok ? 0 : 1;
      });
    });
}

function trustedKeys(command: Command, options: { key?: string[]; keyFile?: string }): string[] {
  if (options.key && options.key.length > 0) return options.key;
  const file =
    options.keyFile ?? path.join(configFor(command).storage.dataDir, 'checkpoints', 'verifier.keys');
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
  } catch {
    throw new Error(`no verifier key: pass --key or --key-file (${file} is not readable)`);
  }
}

function registerProofs(audit: Command): void {
  audit
    .command('verify-proof <file>')
    .description('check an inclusion or consistency proof bundle offline (no database)')
    .option('--key <verifier-key...>', 'trusted verifier key(s)')
    .option(
      '--key-file <file>',
      'file of verifier keys, one per line (default DATA_DIR/checkpoints/verifier.keys)',
    )
    .option('--origin <origin>', 'require this log origin')
    .action(
      (file: string, options: { key?: string[]; keyFile?: string; origin?: string }, command: Command) => {
        const result = verifyProofBundle(
          readFileSync(file),
          trustedKeys(command, options),
          options.origin ? { origin: options.origin } : {},
        );
        if (!result.ok) {
          out(`INVALID: ${result.code}: ${result.reason}`);
          process.exitCode = 1;
          return;
        }
        if (result.type === 'inclusion') {
          out(
            `OK: leaf ${result.leafIndex} is in ${result.origin} at size ${result.treeSize} (root ${result.rootHash})`,
          );
          if (result.leafDataChecked)
            out(
              `event: ${Buffer.from(JSON.parse(readFileSync(file, 'utf8')).leafData, 'base64').toString('utf8')}`,
            );
        } else {
          out(
            `OK: ${result.origin} size ${result.size2} (root ${result.root2}) extends size ${result.size1} (root ${result.root1})`,
          );
        }
        out(`signed by: ${result.verifiedBy.join(', ')}`);
      },
    );
  audit
    .command('proof <event-id>')
    .description('write the inclusion proof bundle of an event under the latest checkpoint')
    .option('-t, --tenant <id-or-slug>', 'tenant (default: default)')
    .requiredOption('-o, --out <file>', 'where to write the bundle')
    .action(async (eventId: string, options: { tenant?: string; out: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenantId = await oneTenant(vigil, options.tenant);
        const { bundle } = await vigil.audit.proofs.eventProof(tenantId, eventId);
        writeFileSync(options.out, serializeProofBundle(bundle));
        await vigil.audit.record(vigil.storage.db, {
          tenantId,
          actor: cliActor(),
          action: 'audit.proof.read',
          outcome: 'success',
          target: { type: 'audit_event', id: eventId },
        });
        out(`wrote ${options.out}`);
      });
    });
}

function registerHeads(audit: Command): void {
  audit
    .command('checkpoint')
    .description('fold pending events and sign a checkpoint now')
    .option('-t, --tenant <id-or-slug>', 'one tenant (default: every tenant)')
    .action(async (options: { tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        for (const tenantId of await tenantIds(vigil, options.tenant)) {
          const { checkpoint, created } = await vigil.audit.checkpoints.create(tenantId, 'demand');
          await vigil.audit.record(vigil.storage.db, {
            tenantId,
            actor: cliActor(),
            action: 'audit.checkpoint.create',
            outcome: 'success',
            details: { treeSize: checkpoint.treeSize, created },
          });
          out(
            `${tenantId}: size ${checkpoint.treeSize} root ${checkpoint.rootHash}${created ? '' : ' (unchanged)'}`,
          );
        }
      });
    });
  audit
    .command('public-key')
    .description('print the verifier keys checkpoints are signed with')
    .action(async (_options: unknown, command: Command) => {
      await withVigil(command, async (vigil) => {
        for (const key of await vigil.audit.verifierKeys()) out(key);
      });
    });
}

function registerEvents(audit: Command): void {
  audit
    .command('events')
    .description('print events as NDJSON, oldest first (OCSF with --ocsf)')
    .option('-t, --tenant <id-or-slug>', 'tenant (default: default)')
    .option('--action <action>', 'exact action or prefix ending in .*')
    .addOption(
      new Option('--limit <n>', 'most recent events to print')
        .default('100')
        .argParser((v) => Number.parseInt(v, 10)),
    )
    .option('--ocsf', 'print OCSF events instead of Vigil events')
    .action(
      async (
        options: { tenant?: string; action?: string; limit: number; ocsf?: boolean },
        command: Command,
      ) => {
        await withVigil(command, async (vigil) => {
          const tenantId = await oneTenant(vigil, options.tenant);
          const page = await vigil.audit.findEvents(tenantId, {
            limit: options.limit,
            ...(options.action ? { action: options.action } : {}),
          });
          await vigil.audit.record(vigil.storage.db, {
            tenantId,
            actor: cliActor(),
            action: 'audit.events.read',
            outcome: 'success',
            details: { returned: page.events.length },
          });
          for (const event of page.events.reverse())
            out(JSON.stringify(options.ocsf ? toOcsf(event, { version: VERSION }) : event));
        });
      },
    );
}

interface SinkOptions {
  tenant?: string;
  kind: 'syslog' | 'webhook' | 'file';
  stream: 'events' | 'checkpoints';
  host?: string;
  port?: string;
  tls?: boolean;
  caFile?: string;
  serverName?: string;
  url?: string;
  secretEnv?: string;
  path?: string;
  startAt: 'beginning' | 'now';
}

function sinkInput(name: string, o: SinkOptions): SinkInput {
  if (o.kind === 'syslog') {
    return {
      kind: 'syslog',
      name,
      stream: o.stream,
      host: o.host ?? '',
      port: Number(o.port),
      tls: o.tls === true,
      ...(o.caFile ? { caPem: readFileSync(o.caFile, 'utf8') } : {}),
      ...(o.serverName ? { serverName: o.serverName } : {}),
    };
  }
  if (o.kind === 'file') return { kind: 'file', name, stream: o.stream, path: o.path ?? '' };
  // The secret comes from the environment, never the command line (visible in ps and shell history).
  const secret = o.secretEnv ? process.env[o.secretEnv] : undefined;
  if (!secret)
    throw new Error('webhook sinks need --secret-env NAME, naming a variable that holds the secret');
  return { kind: 'webhook', name, stream: o.stream, url: o.url ?? '', secret };
}

function registerSinks(audit: Command): void {
  const sinks = audit.command('sinks').description('SIEM export and checkpoint publication targets');
  sinks
    .command('list')
    .option('-t, --tenant <id-or-slug>', 'tenant (default: default)')
    .action(async (options: { tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        for (const sink of await vigil.audit.sinks.list(await oneTenant(vigil, options.tenant)))
          out(JSON.stringify(sink));
      });
    });
  sinks
    .command('add <name>')
    .description('add a sink; it delivers from the start of the log unless --start-at now')
    .option('-t, --tenant <id-or-slug>', 'tenant (default: default)')
    .addOption(new Option('--kind <kind>').choices(['syslog', 'webhook', 'file']).makeOptionMandatory())
    .addOption(new Option('--stream <stream>').choices(['events', 'checkpoints']).default('events'))
    .option('--host <host>', 'syslog receiver host')
    .option('--port <port>', 'syslog receiver port')
    .option('--tls', 'syslog over TLS (certificate always verified)')
    .option('--ca-file <pem>', 'CA certificate of the syslog receiver')
    .option('--server-name <name>', 'name in the receiver certificate, when not the host')
    .option('--url <url>', 'webhook URL (https)')
    .option('--secret-env <NAME>', 'environment variable holding the webhook HMAC secret')
    .option('--path <file>', 'NDJSON file to append to')
    .addOption(new Option('--start-at <when>').choices(['beginning', 'now']).default('beginning'))
    .action(async (name: string, options: SinkOptions, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenantId = await oneTenant(vigil, options.tenant);
        const sink = await vigil.audit.sinks.add(tenantId, sinkInput(name, options), cliActor(), {
          startAt: options.startAt,
        });
        out(JSON.stringify(sink));
      });
    });
  sinks
    .command('remove <name>')
    .option('-t, --tenant <id-or-slug>', 'tenant (default: default)')
    .action(async (name: string, options: { tenant?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        await vigil.audit.sinks.remove(await oneTenant(vigil, options.tenant), name, cliActor());
        out(`removed ${name}`);
      });
    });
}

function registerRetention(audit: Command): void {
  audit
    .command('retention')
    .description('show or change how long the audit log is kept (never below the tenant minimum)')
    .option('-t, --tenant <id-or-slug>', 'tenant (default: default)')
    .option('--days <n>', 'keep audit events this many days')
    .option('--minimum-days <n>', "the minimum the tenant's frameworks require (at least 366)")
    .action(async (options: { tenant?: string; days?: string; minimumDays?: string }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenantId = await oneTenant(vigil, options.tenant);
        if (options.minimumDays)
          await vigil.audit.retention.setMinimum(tenantId, Number(options.minimumDays), cliActor());
        if (options.days)
          await vigil.audit.retention.setRetention(tenantId, Number(options.days), cliActor());
        out(JSON.stringify(await vigil.audit.retention.get(tenantId)));
      });
    });
}

/** `vigil audit ...`: verification, proofs, checkpoints, events, sinks and retention of the audit log. */
export function registerAuditCommand(program: Command): void {
  const audit = program
    .command('audit')
    .description('tamper-evident audit log: verify, proofs, checkpoints, export');
  registerVerify(audit);
  registerProofs(audit);
  registerHeads(audit);
  registerEvents(audit);
  registerSinks(audit);
  registerRetention(audit);
}
