import { describe, expect, it } from 'vitest';
import { addBusinessDays, addPeriod, breachDuties, caseDeadlines } from './retention.deadlines.ts';
import { builtinPacks } from './retention.packs.ts';

const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));
const at = (iso: string) => Date.parse(`${iso}T10:30:00Z`);

describe('DSAR deadlines', () => {
  const packs = builtinPacks();

  it('counts months as the GDPR does: the same date, or the last day of a shorter month', () => {
    expect(day(addPeriod(at('2026-03-15'), { months: 1 }))).toBe('2026-04-15');
    expect(day(addPeriod(at('2026-01-31'), { months: 1 }))).toBe('2026-02-28');
    expect(day(addPeriod(at('2028-01-31'), { months: 1 }))).toBe('2028-02-29');
    expect(new Date(addPeriod(at('2026-03-15'), { days: 30 })).toISOString()).toBe(
      '2026-04-14T23:59:59.999Z',
    );
  });

  it('gives each jurisdiction its own deadline and extension', () => {
    const received = at('2026-01-31');
    const gdpr = caseDeadlines(packs, ['gdpr'], 'access', received);
    expect([day(gdpr.dueAt), day(gdpr.maxExtendedDueAt)]).toEqual(['2026-02-28', '2026-04-28']);
    const ccpa = caseDeadlines(packs, ['ccpa'], 'erasure', received);
    expect([day(ccpa.dueAt), day(ccpa.maxExtendedDueAt)]).toEqual(['2026-03-17', '2026-05-01']);
    expect(day(ccpa.acknowledgeBy!.at)).toBe('2026-02-13');
    const quebec = caseDeadlines(packs, ['quebec_law25'], 'access', received);
    expect([day(quebec.dueAt), day(quebec.maxExtendedDueAt)]).toEqual(['2026-03-02', '2026-03-02']);
    const hipaa = caseDeadlines(packs, ['hipaa'], 'access', received);
    expect([day(hipaa.dueAt), day(hipaa.maxExtendedDueAt)]).toEqual(['2026-03-02', '2026-04-01']);
  });

  it('under several packs takes the earliest deadline, and an extension only as far as every pack allows', () => {
    const both = caseDeadlines(packs, ['pipeda', 'quebec_law25'], 'access', at('2026-01-31'));
    expect(day(both.dueAt)).toBe('2026-03-02');
    // PIPEDA would allow 30 more days; Quebec allows none, so no extension is possible.
    expect(day(both.maxExtendedDueAt)).toBe('2026-03-02');
    expect(both.basis.map((b) => b.pack)).toEqual(['pipeda', 'quebec_law25']);
    expect(both.holdWhileOpen).toEqual([{ pack: 'pipeda', cite: 'PIPEDA s. 8(8)' }]);
  });

  it('ignores packs that give no such right, and has no deadline without one', () => {
    // PIPEDA and HIPAA have no statutory right to erasure; PCI DSS has no data-subject requests.
    expect(caseDeadlines(packs, ['pipeda', 'hipaa', 'pci_dss'], 'erasure', at('2026-01-31'))).toMatchObject({
      dueAt: null,
      basis: [],
    });
  });

  it('skips weekends when counting business days', () => {
    expect(day(addBusinessDays(at('2026-01-30'), 1))).toBe('2026-02-02');
    expect(day(addBusinessDays(at('2026-01-26'), 10))).toBe('2026-02-09');
  });

  it('lists breach duties, the fixed deadlines first', () => {
    const duties = breachDuties(packs, ['pipeda', 'gdpr', 'hipaa']);
    expect(duties[0]).toMatchObject({ pack: 'gdpr', hours: 72 });
    expect(duties.every((d) => d.cite.length > 0)).toBe(true);
  });
});
