import { DAY_MS } from '../shared/clock.ts';
import type { DirectoryUser } from './access.directory.ts';
import { SEGREGATION_OF_DUTIES } from './access.roles.ts';
import type { ActiveElevation, CompiledAccess } from './access.types.ts';

export type ReviewFlagKind = 'dormant' | 'unused' | 'terminated' | 'shared_account' | 'sod_conflict';

export interface ReviewFlag {
  flag: ReviewFlagKind;
  /** Why, in words a reviewer understands; no personal data. */
  detail: string;
}

/** One grant to review: a role the user holds, or an active elevation. */
export interface ReviewGrant {
  kind: 'role' | 'elevation';
  name: string;
  elevation?: ActiveElevation;
}

export interface FlagInput {
  user: DirectoryUser;
  grant: ReviewGrant;
  /** Every grant the user holds, to find segregation-of-duties conflicts across them. */
  allGrants: readonly ReviewGrant[];
  compiled: CompiledAccess;
  lastUsedAt: number | null;
  /** Concurrent-session observations for the user since the last campaign. */
  signals: readonly string[];
  now: number;
  dormantDays: number;
  lookbackDays: number;
}

// Mailbox words that name a function rather than a person: such logins are usually shared.
const GENERIC_LOGIN_WORDS = new Set([
  'shared',
  'team',
  'group',
  'frontdesk',
  'reception',
  'info',
  'support',
  'helpdesk',
  'office',
  'generic',
  'pool',
  'training',
  'temp',
  'test',
  'desk',
  'agents',
  'callcenter',
  'contactcenter',
  'noreply',
]);

export function looksShared(email: string): boolean {
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  return local.split(/[._+-]+/).some((word) => GENERIC_LOGIN_WORDS.has(word));
}

function permissionsOf(compiled: CompiledAccess, grant: ReviewGrant): Set<string> {
  const elevation = grant.elevation;
  if (elevation?.kind === 'permission') return new Set([elevation.name]);
  return new Set(compiled.roles.get(grant.name)?.grants.keys() ?? []);
}

type Side = (typeof SEGREGATION_OF_DUTIES)[number]['between'][number];

function sideHeldBy(compiled: CompiledAccess, grant: ReviewGrant, side: Side): boolean {
  if ('role' in side) return grant.kind === 'role' && grant.name === side.role;
  return permissionsOf(compiled, grant).has(side.permission);
}

function sideName(side: Side): string {
  return 'role' in side ? `role ${side.role}` : side.permission;
}

/** Segregation-of-duties conflicts this grant takes part in, given all the user's grants. */
function conflicts(input: FlagInput): ReviewFlag[] {
  const flags: ReviewFlag[] = [];
  for (const rule of SEGREGATION_OF_DUTIES) {
    const [a, b] = rule.between;
    const holdsA = input.allGrants.some((g) => sideHeldBy(input.compiled, g, a));
    const holdsB = input.allGrants.some((g) => sideHeldBy(input.compiled, g, b));
    if (!holdsA || !holdsB) continue;
    const givesA = sideHeldBy(input.compiled, input.grant, a);
    const givesB = sideHeldBy(input.compiled, input.grant, b);
    if (!givesA && !givesB) continue;
    // Conflicts inside one grant (a custom role holding both) are flagged on that grant too.
    const other = givesA && givesB ? `${sideName(a)} and ${sideName(b)}` : givesA ? sideName(b) : sideName(a);
    flags.push({ flag: 'sod_conflict', detail: `together with ${other}: ${rule.why}` });
  }
  return flags;
}

/** The review flags of one grant (PCI DSS 7.2.4 asks reviewers to confirm each access is still needed). */
export function flagGrant(input: FlagInput): ReviewFlag[] {
  const flags: ReviewFlag[] = [];
  const { user, now } = input;
  if (user.status === 'suspended' || user.status === 'disabled') {
    flags.push({ flag: 'terminated', detail: `account is ${user.status} but still holds this access` });
  }
  const lastSeen = user.lastLoginAt ?? null;
  if (lastSeen === null && now - user.createdAt > input.dormantDays * DAY_MS) {
    flags.push({
      flag: 'dormant',
      detail: `never signed in since the account was created ${Math.floor((now - user.createdAt) / DAY_MS)} days ago`,
    });
  } else if (lastSeen !== null && now - lastSeen > input.dormantDays * DAY_MS) {
    flags.push({ flag: 'dormant', detail: `no sign-in for ${Math.floor((now - lastSeen) / DAY_MS)} days` });
  }
  if (input.lastUsedAt === null) {
    flags.push({ flag: 'unused', detail: 'never used' });
  } else if (now - input.lastUsedAt > input.lookbackDays * DAY_MS) {
    flags.push({ flag: 'unused', detail: `not used in the last ${input.lookbackDays} days` });
  }
  if (looksShared(user.email))
    flags.push({ flag: 'shared_account', detail: 'the login is a generic mailbox name, not a person' });
  for (const signal of input.signals) flags.push({ flag: 'shared_account', detail: signal });
  return [...flags, ...conflicts(input)];
}
