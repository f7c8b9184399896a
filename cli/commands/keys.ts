import { userInfo } from 'node:os';
import type { Command } from 'commander';
import {
  beginMasterKeyFileRotation,
  finishMasterKeyFileRotation,
  type KeyActor,
  type KeyDomain,
  type KeysStatus,
  loadRootKeyProvider,
  parseRootKey,
  type RewrapReport,
} from '../../src/crypto/index.ts';
import type { Vigil } from '../../src/main.ts';
import { DAY_MS } from '../../src/shared/clock.ts';
import { configFor, withVigil } from '../context.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** The operator running the command, as the audit log records it. */
function cliActor(): KeyActor {
  return { type: 'system', id: 'cli', name: `vigil keys (${userInfo().username})` };
}

async function selectTenants(vigil: Vigil, options: { tenant?: string; allTenants?: boolean }) {
  if (options.allTenants) return vigil.tenancy.list();
  return [await vigil.tenancy.getBySlug(options.tenant ?? 'default')];
}

function parseDomains(domain: string | undefined): KeyDomain[] | undefined {
  if (domain === undefined) return undefined;
  if (domain !== 'data' && domain !== 'vault') throw new Error('--domain must be data or vault');
  return [domain];
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function printStatus(status: KeysStatus, slugs: Map<string, string>): void {
  const { rootKey } = status;
  const onOld = status.tenants.reduce((n, t) => n + t.keksOnOldRootKey, 0);
  out(`root key: ${rootKey.provider} ${rootKey.currentKeyId} (${rootKey.loadedKeyIds.length} loaded)`);
  if (onOld + rootKey.secretsOnOldRootKey > 0)
    out(
      `  root rotation unfinished: ${onOld} KEKs, ${rootKey.secretsOnOldRootKey} secrets on an older root key`,
    );
  for (const tenant of status.tenants) {
    out(`tenant ${slugs.get(tenant.tenantId) ?? tenant.tenantId}`);
    for (const d of tenant.domains) {
      if (d.currentVersion === null) {
        out(`  ${d.domain}: no keys yet`);
        continue;
      }
      out(
        `  ${d.domain}: current v${d.currentVersion}, min decryption v${d.minDecryptionVersion}, ${d.pendingRewrap} data keys awaiting re-wrap`,
      );
      for (const v of d.versions) {
        const state = v.retired ? 'retired' : `wraps ${v.dataKeys} data keys`;
        out(`    v${v.version}  created ${day(v.createdAt)} (${v.ageDays} days)  ${state}`);
      }
    }
    const s = tenant.keys.subject;
    out(
      `  subject keys: ${s.active} active, ${s.destruction_scheduled} scheduled for destruction, ${s.destroyed} destroyed`,
    );
  }
}

async function runRewrap(vigil: Vigil): Promise<RewrapReport> {
  const report = await vigil.keys.rewrapKeys(
    { now: vigil.clock.now(), signal: new AbortController().signal },
    { onBatch: (r) => out(`  re-wrapped ${r.keksRewrapped} KEKs, ${r.dataKeysRewrapped} data keys so far`) },
  );
  out(
    `re-wrap done: ${report.secretsRewrapped} secrets, ${report.keksRewrapped} KEKs, ${report.dataKeysRewrapped} data keys`,
  );
  return report;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function rootRewrapRemaining(vigil: Vigil): Promise<number> {
  const status = await vigil.keys.keysStatus();
  return status.rootKey.secretsOnOldRootKey + status.tenants.reduce((n, t) => n + t.keksOnOldRootKey, 0);
}

/** Root rotation: a new root key becomes current and everything it wraps is re-wrapped onto it. */
async function rotateRoot(command: Command, options: { newKeyStdin?: boolean }): Promise<void> {
  const config = configFor(command);
  if (config.keys.provider === 'file') {
    const file = config.keys.masterKeyFile!;
    const state = beginMasterKeyFileRotation(file);
    out(
      `${state === 'started' ? 'new root key written to' : 'resuming the rotation of'} ${file} (old key kept as ${file}.previous)`,
    );
    await withVigil(command, async (vigil) => {
      await runRewrap(vigil);
      const remaining = await rootRewrapRemaining(vigil);
      if (remaining > 0)
        throw new Error(`${remaining} keys are still on the old root key; run the command again`);
      finishMasterKeyFileRotation(file);
      out(`root key rotated; ${file}.previous removed. Back up the new key file apart from the database.`);
    });
    return;
  }
  if (!options.newKeyStdin)
    throw new Error('with VIGIL_KEY_PROVIDER=env, pass the new root key on stdin with --new-key-stdin');
  const newKey = parseRootKey(await readStdin());
  const provider = loadRootKeyProvider(config, { rotateTo: newKey });
  await withVigil(
    command,
    async (vigil) => {
      await runRewrap(vigil);
      const remaining = await rootRewrapRemaining(vigil);
      if (remaining > 0)
        throw new Error(`${remaining} keys are still on the old root key; run the command again`);
      out('root key rotated: set VIGIL_MASTER_KEY to the new key on every node and restart them.');
    },
    { rootKeyProvider: provider },
  );
}

function registerStatus(keys: Command): void {
  keys
    .command('status')
    .description('key versions, ages, and how many data keys each version still wraps')
    .option('--tenant <slug>', 'only this tenant')
    .option('--json', 'print the status as JSON')
    .action(async (options: { tenant?: string; json?: boolean }, command: Command) => {
      await withVigil(command, async (vigil) => {
        const tenants = await vigil.tenancy.list();
        const slugs = new Map(tenants.map((t) => [t.id, t.slug]));
        const tenantId = options.tenant ? (await vigil.tenancy.getBySlug(options.tenant)).id : undefined;
        const status = await vigil.keys.keysStatus(tenantId ? { tenantId } : {});
        if (options.json) out(JSON.stringify(status, null, 2));
        else printStatus(status, slugs);
      });
    });
}

function registerRotate(keys: Command): void {
  keys
    .command('rotate')
    .description('create new key-encryption key versions (or, with --root, a new root key) and re-wrap')
    .option('--tenant <slug>', 'tenant whose keys to rotate', 'default')
    .option('--all-tenants', 'rotate the keys of every tenant')
    .option('--domain <domain>', 'only the `data` or the `vault` hierarchy')
    .option('--root', 'rotate the root key and re-wrap every KEK under the new one')
    .option('--new-key-stdin', 'env provider: read the new root key (base64 of 32 bytes) from stdin')
    .option('--no-rewrap', 'leave the re-wrap to the background job')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action(async (options: RotateOptions, command: Command) => {
      if (options.root) return rotateRoot(command, options);
      await withVigil(command, async (vigil) => {
        const domains = parseDomains(options.domain);
        for (const tenant of await selectTenants(vigil, options)) {
          const rotated = await vigil.keys.rotateTenantKek({
            tenantId: tenant.id,
            ...(domains ? { domains } : {}),
            actor: cliActor(),
            ...(options.reason ? { reason: options.reason } : {}),
          });
          out(`tenant ${tenant.slug}: new KEK ${rotated.map((r) => `${r.domain} v${r.version}`).join(', ')}`);
        }
        if (options.rewrap) await runRewrap(vigil);
      });
    });
}

interface RotateOptions {
  tenant?: string;
  allTenants?: boolean;
  domain?: string;
  root?: boolean;
  newKeyStdin?: boolean;
  rewrap: boolean;
  reason?: string;
}

function registerMaintenance(keys: Command): void {
  keys
    .command('rewrap')
    .description('run the re-wrap job now (KEKs onto the current root key, data keys onto the newest KEK)')
    .action(async (_options: unknown, command: Command) => {
      await withVigil(command, async (vigil) => {
        await runRewrap(vigil);
      });
    });
  keys
    .command('retire')
    .description('set the minimum decryption version: erase KEK versions below it (after re-wrap)')
    .requiredOption('--domain <domain>', '`data` or `vault`')
    .requiredOption('--below <version>', 'versions below this one are erased')
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action(
      async (
        options: { domain: string; below: string; tenant: string; reason?: string },
        command: Command,
      ) => {
        await withVigil(command, async (vigil) => {
          const [domain] = parseDomains(options.domain)!;
          const tenantId = (await vigil.tenancy.getBySlug(options.tenant)).id;
          const { retired } = await vigil.keys.retireKekVersions({
            tenantId,
            domain: domain!,
            belowVersion: Number(options.below),
            actor: cliActor(),
            ...(options.reason ? { reason: options.reason } : {}),
          });
          out(`retired ${retired} ${options.domain} KEK versions below v${options.below}`);
        });
      },
    );
}

function registerDestroySubject(keys: Command): void {
  keys
    .command('destroy-subject <subjectId>')
    .description("schedule (or --cancel) the destruction of a data subject's key: crypto-shredding")
    .requiredOption('--reason <text>', 'why (recorded in the audit log)')
    .option('--tenant <slug>', 'tenant', 'default')
    .option('--window-days <days>', 'days during which the destruction can be cancelled (default 7)')
    .option('--cancel', 'cancel a scheduled destruction')
    .action(
      async (
        subjectId: string,
        options: { reason: string; tenant: string; windowDays?: string; cancel?: boolean },
        command: Command,
      ) => {
        await withVigil(command, async (vigil) => {
          const tenantId = (await vigil.tenancy.getBySlug(options.tenant)).id;
          const input = { tenantId, subjectId, actor: cliActor(), reason: options.reason };
          if (options.cancel) {
            await vigil.keys.cancelSubjectKeyDestruction(vigil.storage.db, input);
            out('destruction cancelled; the key stays active');
            return;
          }
          const state = await vigil.keys.scheduleSubjectKeyDestruction(vigil.storage.db, {
            ...input,
            ...(options.windowDays ? { windowMs: Math.round(Number(options.windowDays) * DAY_MS) } : {}),
          });
          out(`key ${state.keyId} will be destroyed after ${new Date(state.destroyAfter!).toISOString()}`);
        });
      },
    );
  keys
    .command('destroy-due')
    .description('destroy now every subject key whose cancellation window has passed')
    .action(async (_options: unknown, command: Command) => {
      await withVigil(command, async (vigil) => {
        const report = await vigil.keys.destroyDueSubjectKeys({
          now: vigil.clock.now(),
          signal: new AbortController().signal,
        });
        out(`destroyed ${report.destroyed} subject keys`);
      });
    });
}

/** `vigil keys status|rotate|rewrap|retire|destroy-subject|destroy-due`. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('encryption keys: status, rotation, crypto-shredding');
  registerStatus(keys);
  registerRotate(keys);
  registerMaintenance(keys);
  registerDestroySubject(keys);
}
