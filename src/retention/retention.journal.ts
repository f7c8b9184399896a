import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Db, StorageDialect } from '../storage/index.ts';
import { retentionError } from './retention.errors.ts';

/**
 * The erasure journal: one line per customer erasure, appended *before* the erasure's transaction,
 * kept outside the database (its own directory, which must not be restored together with a
 * database backup). A database restored from a backup taken before an erasure has an older
 * watermark (retention_journal_state); replaying the lines after it erases those customers again
 * before their data can be served. Lines carry no personal data, only opaque ids, and an HMAC so
 * nobody can append an erasure of their choosing.
 */
export interface JournalEntry {
  seq: number;
  tenantId: string;
  subjectId: string;
  caseId: string;
  at: number;
}

export interface ErasureJournal {
  append(db: Db, entry: Omit<JournalEntry, 'seq'>): Promise<JournalEntry>;
  /** Every entry of the tenant, verified; throws JOURNAL_TAMPERED on a bad MAC or a gap in the sequence. */
  read(tenantId: string): JournalEntry[];
}

const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;

export function createErasureJournal(deps: {
  directory: string;
  secret: Buffer;
  dialect: Pick<StorageDialect, 'withTransactionLock'>;
}): ErasureJournal {
  const key = Buffer.from(hkdfSync('sha256', deps.secret, Buffer.alloc(0), 'vigil/erasure-journal/v1', 32));
  const mac = (e: JournalEntry) =>
    createHmac('sha256', key).update(`${e.seq}|${e.tenantId}|${e.subjectId}|${e.caseId}|${e.at}`).digest();
  const fileOf = (tenantId: string) => {
    if (!SAFE_ID.test(tenantId)) throw retentionError('JOURNAL_TAMPERED');
    return path.join(deps.directory, `${tenantId}.jsonl`);
  };

  function read(tenantId: string): JournalEntry[] {
    const file = fileOf(tenantId);
    if (!existsSync(file)) return [];
    const entries: JournalEntry[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let parsed: JournalEntry & { mac: string };
      try {
        parsed = JSON.parse(line) as JournalEntry & { mac: string };
      } catch {
        throw retentionError('JOURNAL_TAMPERED');
      }
      const entry: JournalEntry = {
        seq: parsed.seq,
        tenantId: parsed.tenantId,
        subjectId: parsed.subjectId,
        caseId: parsed.caseId,
        at: parsed.at,
      };
      const given = Buffer.from(String(parsed.mac), 'hex');
      const expected = mac(entry);
      const valid = given.length === expected.length && timingSafeEqual(given, expected);
      if (!valid || entry.tenantId !== tenantId || entry.seq !== entries.length + 1)
        throw retentionError('JOURNAL_TAMPERED');
      entries.push(entry);
    }
    return entries;
  }

  return {
    read,
    async append(db, input) {
      // The lock orders appends across nodes sharing the journal directory.
      return deps.dialect.withTransactionLock(db, `retention:journal:${input.tenantId}`, async () => {
        const entry: JournalEntry = { seq: read(input.tenantId).length + 1, ...input };
        mkdirSync(deps.directory, { recursive: true, mode: 0o700 });
        const fd = openSync(fileOf(input.tenantId), 'a', 0o600);
        try {
          writeSync(fd, `${JSON.stringify({ ...entry, mac: mac(entry).toString('hex') })}\n`);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        return entry;
      });
    },
  };
}
