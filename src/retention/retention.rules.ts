import { DAY_MS } from '../shared/clock.ts';
import type { DataCategory, RetentionAction } from './retention.categories.ts';
import { type PackRegistry, rulesFor } from './retention.packs.ts';

/** Which packs apply to a tenant's customers: all of them, plus those of the segment their region is in. */
export interface Assignment {
  tenantPacks: readonly string[];
  segments: readonly Segment[];
}

/** A group of customers by region (the subject's `region`, e.g. an ISO 3166 code like `CA-QC`). */
export interface Segment {
  name: string;
  regions: readonly string[];
  packs: readonly string[];
}

export interface Policy {
  id: string;
  category: DataCategory;
  /** The pack this policy is for, or null for every customer of the tenant. */
  jurisdiction: string | null;
  maxAgeDays: number;
  action: RetentionAction;
}

export interface Bound {
  days: number;
  pack: string;
  cite: string;
}

export interface Conflict {
  kind: 'packs' | 'policy_below_minimum' | 'policy_above_maximum';
  message: string;
  cites: string[];
  policyId?: string;
}

/** A pack requires a retention limit for the category and the tenant has not set one. */
export interface Gap {
  pack: string;
  cite: string;
  message: string;
}

/** Everything that governs one category for one group of customers. */
export interface ScopeRules {
  scope: string;
  packs: readonly string[];
  category: DataCategory;
  policies: readonly Policy[];
  minimum: Bound | null;
  maximum: Bound | null;
  conflicts: Conflict[];
  gaps: Gap[];
}

export const TENANT_SCOPE = 'all customers';

/** The scope (and its packs) of a customer's region: tenant-wide packs plus every matching segment's. */
export function scopeOfRegion(
  assignment: Assignment,
  region: string | null,
): { scope: string; packs: string[] } {
  const matching = region === null ? [] : assignment.segments.filter((s) => s.regions.includes(region));
  const packs = new Set([...assignment.tenantPacks, ...matching.flatMap((s) => s.packs)]);
  return {
    scope: matching.length === 0 ? TENANT_SCOPE : `segment ${matching.map((s) => s.name).join('+')}`,
    packs: [...packs].sort(),
  };
}

function tightest(
  registry: PackRegistry,
  packs: readonly string[],
  category: DataCategory,
  kind: 'minDays' | 'maxDays',
): Bound | null {
  let best: Bound | null = null;
  for (const id of packs) {
    const pack = registry.get(id);
    if (!pack) continue;
    for (const rule of rulesFor(pack, category)) {
      const days = rule[kind];
      if (days === undefined) continue;
      const better = best === null || (kind === 'minDays' ? days > best.days : days < best.days);
      if (better) best = { days, pack: id, cite: rule.cite };
    }
  }
  return best;
}

const name = (registry: PackRegistry, id: string) => registry.get(id)?.shortName ?? id;

/** The policies, legal bounds, conflicts and gaps of one category for customers under these packs. */
export function evaluateScope(
  registry: PackRegistry,
  scope: { scope: string; packs: readonly string[] },
  category: DataCategory,
  allPolicies: readonly Policy[],
): ScopeRules {
  const policies = allPolicies.filter(
    (p) => p.category === category && (p.jurisdiction === null || scope.packs.includes(p.jurisdiction)),
  );
  const minimum = tightest(registry, scope.packs, category, 'minDays');
  const maximum = tightest(registry, scope.packs, category, 'maxDays');
  const conflicts: Conflict[] = [];
  if (minimum && maximum && minimum.days > maximum.days) {
    conflicts.push({
      kind: 'packs',
      message: `${name(registry, minimum.pack)} requires keeping ${category} at least ${minimum.days} days (${minimum.cite}) but ${name(registry, maximum.pack)} forbids keeping it beyond ${maximum.days} days (${maximum.cite}); Vigil will not choose between them: take legal advice and narrow the segments so one customer is not under both`,
      cites: [minimum.cite, maximum.cite],
    });
  }
  for (const policy of policies) {
    if (minimum && policy.maxAgeDays < minimum.days) {
      conflicts.push({
        kind: 'policy_below_minimum',
        message: `the policy deletes ${category} after ${policy.maxAgeDays} days but ${name(registry, minimum.pack)} requires keeping it at least ${minimum.days} days (${minimum.cite})`,
        cites: [minimum.cite],
        policyId: policy.id,
      });
    }
    if (maximum && policy.maxAgeDays > maximum.days) {
      conflicts.push({
        kind: 'policy_above_maximum',
        message: `the policy keeps ${category} ${policy.maxAgeDays} days but ${name(registry, maximum.pack)} allows at most ${maximum.days} days (${maximum.cite})`,
        cites: [maximum.cite],
        policyId: policy.id,
      });
    }
  }
  const gaps: Gap[] = [];
  if (policies.length === 0) {
    for (const id of scope.packs) {
      const rule = registry.get(id) && rulesFor(registry.get(id)!, category).find((r) => r.requiresLimit);
      if (rule)
        gaps.push({
          pack: id,
          cite: rule.cite,
          message: `${name(registry, id)} requires a maximum age for ${category} (${rule.cite}) and none is set`,
        });
    }
  }
  return { scope: scope.scope, packs: scope.packs, category, policies, minimum, maximum, conflicts, gaps };
}

/** Every scope of the tenant (everyone, then each segment) for one category. */
export function evaluateCategory(
  registry: PackRegistry,
  assignment: Assignment,
  category: DataCategory,
  policies: readonly Policy[],
): ScopeRules[] {
  const scopes = [
    scopeOfRegion(assignment, null),
    ...assignment.segments.map((s) => scopeOfRegion(assignment, s.regions[0] ?? null)),
  ];
  const seen = new Set<string>();
  return scopes
    .filter((s) => !seen.has(s.scope) && seen.add(s.scope))
    .map((s) => evaluateScope(registry, s, category, policies));
}

export type Decision =
  | { kind: 'delete' | 'anonymize'; policy: Policy }
  | { kind: 'keep'; reason: 'conflict' | 'not_expired' | 'no_policy' | 'already_anonymized' };

/**
 * What happens to one record of age `now - createdAt` under its scope's rules. Each policy is a
 * promise "not longer than N days", so every expired one applies; delete wins over anonymize
 * because it keeps both promises. A scope with a conflict is left alone until it is resolved.
 */
export function decide(rules: ScopeRules, createdAt: number, now: number, anonymized = false): Decision {
  if (rules.policies.length === 0) return { kind: 'keep', reason: 'no_policy' };
  if (rules.conflicts.length > 0) return { kind: 'keep', reason: 'conflict' };
  const expired = rules.policies
    .filter((p) => createdAt < now - p.maxAgeDays * DAY_MS)
    .sort((a, b) => a.maxAgeDays - b.maxAgeDays);
  if (expired.length === 0) return { kind: 'keep', reason: 'not_expired' };
  const deletion = expired.find((p) => p.action === 'delete');
  if (deletion) return { kind: 'delete', policy: deletion };
  if (anonymized) return { kind: 'keep', reason: 'already_anonymized' };
  return { kind: 'anonymize', policy: expired[0]! };
}

/** The latest creation time any policy of the category could expire at `now` (the scan's upper bound). */
export function scanCutoff(policies: readonly Policy[], category: DataCategory, now: number): number | null {
  const ages = policies.filter((p) => p.category === category).map((p) => p.maxAgeDays);
  return ages.length === 0 ? null : now - Math.min(...ages) * DAY_MS;
}
