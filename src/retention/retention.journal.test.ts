import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/test-vigil.ts';
import { createErasureJournal } from './retention.journal.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEachDialect('erasure journal', (get, dialect) => {
  const secret = randomBytes(32);
  const tenant =
    dialect === 'sqlite' ? '019a0000-0000-7000-8000-0000000000aa' : '019a0000-0000-7000-8000-0000000000ab';
  const open = (key = secret) =>
    createErasureJournal({ directory: dir, secret: key, dialect: get().vigil.storage.dialect });

  it('appends numbered, authenticated lines to a private file and reads them back', async () => {
    const journal = open();
    const db = get().vigil.storage.db;
    await journal.append(db, { tenantId: tenant, subjectId: 's-1', caseId: 'c-1', at: 1000 });
    const second = await journal.append(db, { tenantId: tenant, subjectId: 's-2', caseId: 'c-2', at: 2000 });
    expect(second.seq).toBe(2);
    expect(journal.read(tenant).map((e) => [e.seq, e.subjectId])).toEqual([
      [1, 's-1'],
      [2, 's-2'],
    ]);
    expect(statSync(path.join(dir, `${tenant}.jsonl`)).mode & 0o777).toBe(0o600);
    expect(journal.read('019a0000-0000-7000-8000-0000000000ff')).toEqual([]);
  });

  it('refuses a journal with a changed line, a removed line, or another installation secret', () => {
    const journal = open();
    const file = path.join(dir, `${tenant}.jsonl`);
    const original = readFileSync(file, 'utf8');
    const [first, second] = original.trim().split('\n');
    writeFileSync(file, `${second}\n`);
    expect(() => journal.read(tenant)).toThrow(expect.objectContaining({ code: 'JOURNAL_TAMPERED' }));
    writeFileSync(file, `${first!.replace('s-1', 's-9')}\n${second}\n`);
    expect(() => journal.read(tenant)).toThrow(expect.objectContaining({ code: 'JOURNAL_TAMPERED' }));
    writeFileSync(file, original);
    expect(journal.read(tenant)).toHaveLength(2);
    expect(() => open(randomBytes(32)).read(tenant)).toThrow(
      expect.objectContaining({ code: 'JOURNAL_TAMPERED' }),
    );
  });
});
