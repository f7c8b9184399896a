import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from './sqlite.ts';
import { createSqliteCheckpointer, MAIN_CONNECTION_AUTOCHECKPOINT_PAGES } from './sqlite-checkpoint.ts';

// SQLite only: the checkpoint thread is how the embedded database keeps WAL checkpoints off the
// main thread; PostgreSQL has no counterpart in Vigil (its server checkpoints on its own).

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const freshFile = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-ckpt-'));
  dirs.push(dir);
  return path.join(dir, 'test.db');
};

async function until<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SQLite checkpoint thread', () => {
  it('copies committed WAL frames into the database file while the writer never checkpoints', async () => {
    const file = freshFile();
    const writer = new SqliteDatabase(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0'); // only the thread checkpoints here
    writer.exec('create table blobs (id integer primary key, body blob not null)');
    const sizeBefore = statSync(file).size;
    const checkpointer = createSqliteCheckpointer(file, { busyTimeoutMs: 5000, synchronous: 'NORMAL' });
    try {
      const insert = writer.prepare('insert into blobs (body) values (?)');
      writer.transaction(() => {
        for (let i = 0; i < 1000; i++) insert.run(Buffer.alloc(4000, i % 256));
      })();
      checkpointer.wake();
      const stats = await until(checkpointer.stats, (s) => s.runs > 0 && s.lastCheckpointed > 0);
      expect(stats.lastError).toBeUndefined();
      expect(stats.lastLog).toBeGreaterThan(1000); // a page per 4,000-byte row at least
      expect(stats.lastCheckpointed).toBe(stats.lastLog);
      // The pages are in the database file itself now, not only in the WAL.
      expect(statSync(file).size).toBeGreaterThan(sizeBefore + 4_000_000);
      const reader = new SqliteDatabase(file, { readonly: true });
      expect(reader.prepare('select count(*) as n from blobs').get()).toEqual({ n: 1000 });
      reader.close();
    } finally {
      await checkpointer.close();
      writer.close();
    }
  });

  it('is woken by every commit of a Vigil storage, whose own connection only checkpoints as a backstop', async () => {
    const file = freshFile();
    const { db, dialect } = openSqlite({ file, synchronous: 'NORMAL' });
    try {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
      expect(rows[0]!.wal_autocheckpoint).toBe(MAIN_CONNECTION_AUTOCHECKPOINT_PAGES);
      await sql`create table notes (id integer primary key, body text not null)`.execute(db);
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < 200; i++)
          await sql`insert into notes (body) values (${'x'.repeat(3000)})`.execute(trx);
      });
      // The WAL drains without this connection checkpointing: a second connection sees the
      // database file hold the rows' pages.
      const grown = await until(
        () => statSync(file).size,
        (size) => size > 600_000,
      );
      expect(grown).toBeGreaterThan(600_000);
    } finally {
      await dialect.destroy();
    }
  });

  it('lets a process end once the storage is closed, after the thread closed its connection', () => {
    // The thread never keeps a process alive, but closing waits for it: a process whose only
    // remaining work is that wait must still see it finish (it once ended with the wait pending,
    // exit code 13). The script is a module file: `node -e` does not show the problem.
    const file = freshFile();
    const script = path.join(path.dirname(file), 'close.mts');
    writeFileSync(
      script,
      `import { sql } from ${JSON.stringify(import.meta.resolve('kysely'))};
      import { openSqlite } from ${JSON.stringify(pathToFileURL(path.resolve('src/storage/dialects/sqlite.ts')).href)};
      const { db, dialect } = openSqlite({ file: ${JSON.stringify(file)}, synchronous: 'NORMAL' });
      await sql\`create table t (x integer)\`.execute(db);
      await db.transaction().execute((trx) => sql\`insert into t values (1)\`.execute(trx));
      await new Promise((r) => setTimeout(r, 100));
      await dialect.destroy();
      console.log('closed');
`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('closed');
    expect(child.status).toBe(0);
  });

  it('stops with the storage and leaves a database that reopens with everything committed', async () => {
    const file = freshFile();
    const first = openSqlite({ file, synchronous: 'NORMAL' });
    await sql`create table notes (id integer primary key, body text not null)`.execute(first.db);
    await first.db.transaction().execute((trx) => sql`insert into notes (body) values ('kept')`.execute(trx));
    await first.dialect.destroy();
    const again = openSqlite({ file, synchronous: 'NORMAL' });
    try {
      const { rows } = await sql<{ body: string }>`select body from notes`.execute(again.db);
      expect(rows).toEqual([{ body: 'kept' }]);
    } finally {
      await again.dialect.destroy();
    }
  });
});
