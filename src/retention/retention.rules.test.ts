import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../shared/clock.ts';
import { builtinPacks, createPackRegistry, type JurisdictionPack } from './retention.packs.ts';
import { decide, evaluateCategory, evaluateScope, type Policy, scopeOfRegion } from './retention.rules.ts';

const NOW = Date.UTC(2026, 5, 1);
const pack = (id: string, retention: JurisdictionPack['retention']): JurisdictionPack => ({
  id,
  name: id,
  shortName: id.toUpperCase(),
  law: 'Test law',
  url: 'https://example.com/law',
  appliesTo: 'tests',
  dsar: null,
  breach: [],
  retention,
});
const policy = (
  id: string,
  maxAgeDays: number,
  action: Policy['action'] = 'delete',
  jurisdiction: string | null = null,
): Policy => ({ id, category: 'chat', jurisdiction, maxAgeDays, action });

describe('retention rules', () => {
  const registry = createPackRegistry([
    pack('keep_long', [{ categories: ['chat'], minDays: 1000, cite: 'Keep Act s. 1', text: 'keep chats' }]),
    pack('keep_short', [
      { categories: ['chat'], maxDays: 100, cite: 'Forget Act s. 2', text: 'forget chats' },
    ]),
    pack('limit', [{ categories: ['*'], requiresLimit: true, cite: 'Limit Act s. 3', text: 'set a limit' }]),
  ]);

  it('explains a conflict between two packs instead of choosing one', () => {
    const rules = evaluateScope(
      registry,
      { scope: 'all customers', packs: ['keep_long', 'keep_short'] },
      'chat',
      [policy('p', 50)],
    );
    expect(rules.conflicts.map((c) => c.kind)).toEqual(['packs', 'policy_below_minimum']);
    expect(rules.conflicts[0]!.message).toMatch(
      /KEEP_LONG requires keeping chat at least 1000 days \(Keep Act s\. 1\) but KEEP_SHORT forbids keeping it beyond 100 days \(Forget Act s\. 2\)/,
    );
    expect(decide(rules, NOW - 500 * DAY_MS, NOW)).toEqual({ kind: 'keep', reason: 'conflict' });
  });

  it('flags a policy outside the legal bounds and a missing limit', () => {
    expect(
      evaluateScope(registry, { scope: 's', packs: ['keep_short'] }, 'chat', [policy('p', 365)]).conflicts[0],
    ).toMatchObject({ kind: 'policy_above_maximum', policyId: 'p' });
    expect(
      evaluateScope(registry, { scope: 's', packs: ['keep_long'] }, 'chat', [policy('p', 365)]).conflicts[0],
    ).toMatchObject({ kind: 'policy_below_minimum', policyId: 'p' });
    const gap = evaluateScope(registry, { scope: 's', packs: ['limit'] }, 'email', []);
    expect(gap.gaps).toEqual([
      {
        pack: 'limit',
        cite: 'Limit Act s. 3',
        message: expect.stringContaining('requires a maximum age for email'),
      },
    ]);
  });

  it('applies every expired policy; delete wins over anonymize, and nothing before its age', () => {
    const rules = evaluateScope(registry, { scope: 's', packs: [] }, 'chat', [
      policy('anon', 30, 'anonymize'),
      policy('del', 90),
    ]);
    expect(decide(rules, NOW - 10 * DAY_MS, NOW)).toEqual({ kind: 'keep', reason: 'not_expired' });
    expect(decide(rules, NOW - 31 * DAY_MS, NOW)).toMatchObject({
      kind: 'anonymize',
      policy: { id: 'anon' },
    });
    expect(decide(rules, NOW - 31 * DAY_MS, NOW, true)).toEqual({
      kind: 'keep',
      reason: 'already_anonymized',
    });
    expect(decide(rules, NOW - 91 * DAY_MS, NOW)).toMatchObject({ kind: 'delete', policy: { id: 'del' } });
    // Exactly at the maximum age the record is still within its retention.
    expect(decide(rules, NOW - 30 * DAY_MS, NOW)).toEqual({ kind: 'keep', reason: 'not_expired' });
  });

  it('puts a customer under the tenant packs plus their segment, and a jurisdiction policy only there', () => {
    const assignment = {
      tenantPacks: ['pci_dss'],
      segments: [
        { name: 'EU', regions: ['FR', 'DE'], packs: ['gdpr'] },
        { name: 'Quebec', regions: ['CA-QC'], packs: ['quebec_law25', 'pipeda'] },
      ],
    };
    expect(scopeOfRegion(assignment, 'FR')).toEqual({ scope: 'segment EU', packs: ['gdpr', 'pci_dss'] });
    expect(scopeOfRegion(assignment, 'CA-QC')).toEqual({
      scope: 'segment Quebec',
      packs: ['pci_dss', 'pipeda', 'quebec_law25'],
    });
    expect(scopeOfRegion(assignment, null)).toEqual({ scope: 'all customers', packs: ['pci_dss'] });
    const policies = [policy('eu', 30, 'delete', 'gdpr'), policy('all', 365)];
    const scopes = evaluateCategory(builtinPacks(), assignment, 'chat', policies);
    expect(scopes.map((s) => [s.scope, s.policies.map((p) => p.id)])).toEqual([
      ['all customers', ['all']],
      ['segment EU', ['eu', 'all']],
      ['segment Quebec', ['all']],
    ]);
  });

  it('finds real conflicts in the shipped packs: MiFID II keeps calls five years', () => {
    const rules = evaluateScope(
      builtinPacks(),
      { scope: 'segment trading', packs: ['gdpr', 'mifid2'] },
      'voice_transcript',
      [{ ...policy('p', 365), category: 'voice_transcript' }],
    );
    expect(rules.conflicts).toHaveLength(1);
    expect(rules.conflicts[0]!.message).toContain('Directive 2014/65/EU Art. 16(7)');
    expect(rules.minimum).toMatchObject({ days: 1827, pack: 'mifid2' });
  });
});
