import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import type { FastifyRequest } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import pino from 'pino';
import { readContextOf } from '../../src/composition/data-path.ts';
import { checkMasterKeyFile, createMasterKeyFile } from '../../src/crypto/master-key-file.ts';
import type { ReadContext } from '../../src/interactions/index.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { Vigil } from '../../src/main.ts';
import { callerOf } from '../../src/retention/index.ts';
import type { Principal } from '../../src/shared/principal.ts';
import { configFor, withVigil } from '../context.ts';
import {
  DEMO_ADMIN,
  DEMO_DSAR_EMAIL,
  DEMO_HOLD_EMAIL,
  DEMO_PEOPLE,
  type DemoPerson,
  demoInteractions,
} from './demo-content.ts';

interface DemoUser {
  person: DemoPerson;
  principal: Principal;
  password: string;
  /** Authenticator key, for the people the demo enrolled (the others enrol at first sign-in). */
  totpSecret?: string;
}

type People = Record<string, DemoUser>;

const DEMO_ACTOR = { type: 'system' as const, id: 'vigil-demo', name: 'vigil demo' };

/** A random passphrase, printed once and never stored in the clear. */
function newPassword(): string {
  return randomBytes(15).toString('base64url');
}

function tokenOf(link: string): string {
  return new URL(link).hash.replace(/^#token=/, '');
}

function principalOf(tenantId: string, id: string, person: DemoPerson): Principal {
  return { tenantId, kind: 'user', id, displayName: person.name, roles: person.roles };
}

/** What a person may read, decided by the access layer exactly as for an HTTP request. */
function readContextFor(vigil: Vigil, principal: Principal): Promise<ReadContext> {
  const request = { principal, headers: {}, ip: '127.0.0.1', id: 'vigil-demo' } as unknown as FastifyRequest;
  return readContextOf(vigil.access, request);
}

/** The first administrator (through the bootstrap link) and one person per role (invitations). */
async function createPeople(vigil: Vigil, tenantId: string): Promise<People> {
  const { enrollment, users } = vigil.identity;
  const bootstrap = await enrollment.ensureBootstrapLink(tenantId);
  if (!bootstrap)
    throw new Error('this data directory already has users: run vigil demo on a fresh one (--data-dir)');
  const adminPassword = newPassword();
  await enrollment.completeBootstrap({
    token: tokenOf(bootstrap.link),
    email: DEMO_ADMIN.email,
    displayName: DEMO_ADMIN.name,
    password: adminPassword,
  });
  const adminRow = (await users.list(tenantId)).find((u) => u.email === DEMO_ADMIN.email);
  if (!adminRow) throw new Error('the administrator was not created');
  const people: People = {
    admin: {
      person: DEMO_ADMIN,
      principal: principalOf(tenantId, adminRow.id, DEMO_ADMIN),
      password: adminPassword,
    },
  };
  const admin = people['admin']!.principal;
  for (const person of DEMO_PEOPLE) {
    const { user, link } = await users.invite(admin, {
      email: person.email,
      displayName: person.name,
      roles: person.roles,
    });
    const password = newPassword();
    await enrollment.acceptInvite({ token: tokenOf(link), password });
    people[person.key] = { person, principal: principalOf(tenantId, user.id, person), password };
  }
  return people;
}

async function createTeam(vigil: Vigil, people: People): Promise<void> {
  const admin = people['admin']!.principal;
  const team = await vigil.access.teams.create(admin, {
    name: 'Billing and payments',
    queues: ['billing', 'payments'],
  });
  await vigil.access.teams.setMembers(admin, team.id, [
    { userId: people['supervisor']!.principal.id, lead: true },
    { userId: people['agent']!.principal.id, lead: false },
    { userId: people['agent2']!.principal.id, lead: false },
  ]);
}

/** Two weeks of calls, chats, emails and texts, through the same parser and ingest as the API. */
async function loadInteractions(vigil: Vigil, tenantId: string, people: People): Promise<string[]> {
  const now = vigil.clock.now();
  const agent = people['agent']!.principal;
  const agent2 = people['agent2']!.principal;
  const payload = {
    interactions: demoInteractions(
      {
        agent: { id: agent.id, name: agent.displayName },
        agent2: { id: agent2.id, name: agent2.displayName },
      },
      now,
    ),
  };
  const { interactions } = await vigil.interactions.parser.parse('generic', payload, { receivedAtMs: now });
  const results = await vigil.interactions.ingest.ingest({ tenantId, actor: DEMO_ACTOR }, interactions);
  return results.map((r) => r.id);
}

/** The first card token found in the tenant's interactions, read by someone who may read them all. */
async function findCardToken(
  vigil: Vigil,
  reader: Principal,
  ids: readonly string[],
): Promise<string | null> {
  const ctx = await readContextFor(vigil, reader);
  for (const id of ids) {
    const { document } = await vigil.interactions.read.get(ctx, id);
    for (const segment of document.segments) {
      const token = segment.findings.find((f) => f.type === 'CARD_NUMBER' && f.token)?.token;
      if (token) return token;
    }
  }
  return null;
}

/**
 * Enrols an authenticator app for a person and verifies a first code, as the console's QR step
 * does; the returned principal carries that verification (detokenizing needs a recent one).
 */
async function enrolAuthenticator(vigil: Vigil, user: DemoUser): Promise<Principal> {
  const { secret } = await vigil.identity.mfa.beginTotp(user.principal);
  await vigil.identity.mfa.confirmTotp(user.principal, TOTP.generate({ secret: Secret.fromBase32(secret) }));
  user.totpSecret = secret;
  return { ...user.principal, mfaVerifiedAt: vigil.clock.now() };
}

/** Reveal and detokenize history: each with a person, a reason, and an audit event. */
async function createAccessHistory(vigil: Vigil, tenantId: string, people: People, ids: string[]) {
  const supervisor = people['supervisor']!.principal;
  const ctx = await readContextFor(vigil, supervisor);
  const reasons = [
    'Customer asked for the receipt to be re-sent, ticket INC-2231',
    'Confirming the new address before a meter visit, ticket INC-2240',
  ];
  for (const [i, id] of ids.slice(0, 2).entries()) {
    await vigil.interactions.read.reveal(ctx, id, 'participants[0].email', reasons[i]!);
  }
  const token = await findCardToken(vigil, people['compliance']!.principal, ids);
  if (token) {
    await vigil.vault.detokenize({
      tenantId,
      token,
      actor: await enrolAuthenticator(vigil, people['payments']!),
      reason: 'Refund of a duplicate charge to the original card, ticket PAY-118',
    });
  }
}

/** An access-review campaign in progress: started, a few grants already kept. */
async function startAccessReview(vigil: Vigil, people: People): Promise<void> {
  const officer = people['compliance']!.principal;
  const campaign = await vigil.access.reviews.start(officer, { name: 'Q4 access review', dueDays: 14 });
  const items = await vigil.access.reviews.items(officer, campaign.id, { all: true });
  const others = items.filter((item) => item.userId !== officer.id).slice(0, 3);
  for (const item of others) {
    await vigil.access.reviews.decide(
      officer,
      campaign.id,
      item.id,
      { decision: 'keep', note: 'Still needed' },
      true,
    );
  }
}

/** A legal hold on one customer and an open access request from another, with its due date. */
async function createComplianceCases(vigil: Vigil, people: People): Promise<void> {
  const caller = callerOf(people['compliance']!.principal);
  await vigil.retention.holds.create(caller, {
    name: 'Carter v. Northwind Energy',
    reason: 'Billing dispute in litigation: keep every contact with the claimant',
    owner: 'Legal department',
    target: { kind: 'customer', identifier: { email: DEMO_HOLD_EMAIL } },
  });
  await vigil.retention.dsar.open(caller, {
    kind: 'access',
    identifier: { email: DEMO_DSAR_EMAIL },
    receivedAt: vigil.clock.now() - 9 * 86_400_000,
    region: 'CA-ON',
    note: 'Received by email; identity checked by phone call-back',
  });
}

/** Signs a checkpoint over everything above and verifies the whole log, as `Verify now` does. */
async function sealAuditLog(vigil: Vigil, tenantId: string, people: People): Promise<boolean> {
  await vigil.audit.checkpoints.create(tenantId, 'demand');
  const report = await vigil.audit.verify(tenantId);
  const auditor = people['auditor']!.principal;
  await vigil.audit.record(vigil.storage.db, {
    tenantId,
    actor: { type: 'user', id: auditor.id, name: auditor.displayName },
    action: 'audit.verify',
    outcome: report.ok ? 'success' : 'failure',
    details: { ok: report.ok, eventsChecked: report.eventsChecked, problems: report.problems.length },
  });
  return report.ok;
}

function printSummary(vigil: Vigil, people: People, counts: { interactions: number; verified: boolean }) {
  const out = process.stdout;
  const width = Math.max(...Object.values(people).map((p) => p.person.email.length));
  out.write(`\nVigil demo tenant loaded into ${vigil.config.storage.dataDir}\n`);
  out.write(
    `  ${counts.interactions} interactions (voice, chat, email, SMS), redacted and card numbers tokenized\n`,
  );
  out.write(
    '  reveal and detokenize history, an access review in progress, a legal hold, an open data subject\n',
  );
  out.write('  request, a team, an audit log ');
  out.write(counts.verified ? 'signed and verified\n\n' : 'that did NOT verify\n\n');
  out.write('People (passwords are shown this once; each person enrols a second factor at first sign-in):\n');
  for (const { person, password, totpSecret } of Object.values(people)) {
    const key = totpSecret ? `  (authenticator key ${totpSecret})` : '';
    out.write(`  ${person.email.padEnd(width)}  ${password}  ${person.roles.join(', ')}${key}\n`);
  }
  out.write(`\nStart the server on this data directory and open ${vigil.identity.publicUrl}\n`);
  out.write(`  VIGIL_DATA_DIR=${vigil.config.storage.dataDir} npm start\n`);
}

/** `vigil demo`: a realistic demo tenant in a fresh data directory, built through the services. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'load a realistic demo tenant (people of every role, interactions, history) into a fresh data directory',
    )
    .option('--data-dir <dir>', 'data directory to create (default: VIGIL_DATA_DIR or ./.vigil)')
    .action(async (options: { dataDir?: string }, command: Command) => {
      const config = configFor(command, options.dataDir ? { VIGIL_DATA_DIR: options.dataDir } : {});
      // Like `vigil serve` on first run: the data directory and its root key file are created here.
      mkdirSync(config.storage.dataDir, { recursive: true, mode: 0o700 });
      const keyFile = config.keys.masterKeyFile!;
      if (config.keys.provider === 'file' && checkMasterKeyFile(keyFile)?.kind === 'missing')
        createMasterKeyFile(keyFile);
      // Errors only: the services would log each invitation's (already used) one-time link.
      const logger = createLogger({ level: 'error', destination: pino.destination(2) });
      const overrides = options.dataDir ? { VIGIL_DATA_DIR: options.dataDir } : {};
      await withVigil(
        command,
        async (vigil) => {
          const tenant = await vigil.tenancy.getBySlug('default');
          const people = await createPeople(vigil, tenant.id);
          await createTeam(vigil, people);
          const ids = await loadInteractions(vigil, tenant.id, people);
          await createAccessHistory(vigil, tenant.id, people, ids);
          await startAccessReview(vigil, people);
          await createComplianceCases(vigil, people);
          const verified = await sealAuditLog(vigil, tenant.id, people);
          printSummary(vigil, people, { interactions: ids.length, verified });
        },
        { logger, overrides },
      );
    });
}
