import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinPacks, loadPacks } from './retention.packs.ts';

describe('jurisdiction packs', () => {
  const packs = builtinPacks();

  it('ship the jurisdictions the product promises', () => {
    expect(packs.all().map((p) => p.id)).toEqual(
      expect.arrayContaining([
        'gdpr',
        'uk_gdpr',
        'ccpa',
        'pipeda',
        'quebec_law25',
        'hipaa',
        'au_privacy',
        'pci_dss',
      ]),
    );
  });

  it('state DSAR deadlines, breach deadlines and retention constraints, each citing its source', () => {
    for (const pack of packs.all()) {
      const cites = [
        ...(pack.dsar
          ? [
              pack.dsar.response.cite,
              ...(pack.dsar.extension ? [pack.dsar.extension.cite] : []),
              ...pack.dsar.rights.map((r) => r.cite),
            ]
          : []),
        ...pack.breach.map((b) => b.cite),
        ...pack.retention.map((r) => r.cite),
      ];
      expect(cites.length, pack.id).toBeGreaterThan(0);
      // A citation names a section, article, principle or requirement number, not just the law.
      for (const cite of cites) expect(cite, `${pack.id}: ${cite}`).toMatch(/\d/);
    }
    expect(packs.get('gdpr')!.breach.find((b) => b.notify === 'authority')).toMatchObject({
      hours: 72,
      cite: 'GDPR Art. 33(1)',
    });
    expect(packs.get('gdpr')!.dsar).toMatchObject({ response: { months: 1 }, extension: { months: 2 } });
    expect(packs.get('ccpa')!.dsar).toMatchObject({ response: { days: 45 }, extension: { days: 45 } });
    expect(packs.get('pipeda')!.dsar).toMatchObject({ response: { days: 30 }, extension: { days: 30 } });
    expect(packs.get('quebec_law25')!.dsar).toMatchObject({ response: { days: 30 }, extension: null });
    expect(packs.get('hipaa')!.breach.find((b) => b.notify === 'individuals')).toMatchObject({
      hours: 60 * 24,
      cite: '45 CFR 164.404(b)',
    });
    expect(packs.get('pci_dss')!.retention).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          categories: ['card_token'],
          quarterlyCheck: true,
          cite: 'PCI DSS v4.0.1 Req. 3.2.1',
        }),
        expect.objectContaining({ categories: ['audit_log'], minDays: 366 }),
      ]),
    );
  });

  it('refuses a pack file whose rule has no citation, naming the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-packs-'));
    try {
      const bad = {
        ...packs.get('pipeda')!,
        retention: [{ categories: ['chat'], maxDays: 10, text: 'no source given' }],
      };
      writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad));
      expect(() => loadPacks(pathToFileURL(`${dir}/`))).toThrow(/bad\.json.*cite/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
