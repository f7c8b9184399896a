import { describe, expect, it } from 'vitest';
import { hashLeaf, MemoryNodeStore } from './index.ts';

const h = (label: string): Buffer => hashLeaf(Buffer.from(label));

describe('MemoryNodeStore', () => {
  it('returns the hashes in the order of the keys', async () => {
    const store = new MemoryNodeStore();
    store.putNodesSync([
      { level: 0, index: 0, hash: h('a') },
      { level: 0, index: 1, hash: h('b') },
      { level: 1, index: 0, hash: h('ab') },
    ]);
    const got = await store.getNodes([
      { level: 1, index: 0 },
      { level: 0, index: 1 },
      { level: 0, index: 0 },
    ]);
    expect(got.map((x) => x.toString('hex'))).toEqual(
      [h('ab'), h('b'), h('a')].map((x) => x.toString('hex')),
    );
  });

  it('hands out copies, so callers cannot corrupt stored hashes', () => {
    const store = new MemoryNodeStore();
    store.putNodesSync([{ level: 0, index: 0, hash: h('a') }]);
    store.getNode({ level: 0, index: 0 }).fill(0);
    expect(store.getNode({ level: 0, index: 0 }).equals(h('a'))).toBe(true);
  });

  it('spans chunk boundaries', () => {
    const store = new MemoryNodeStore();
    const count = 70_000;
    store.putNodesSync(
      Array.from({ length: count }, (_, index) => ({ level: 0, index, hash: h(String(index)) })),
    );
    expect(store.leafCount).toBe(count);
    for (const index of [0, 32_767, 32_768, 65_535, 65_536, count - 1]) {
      expect(store.getNode({ level: 0, index }).equals(h(String(index)))).toBe(true);
    }
  });

  it('accepts a rewrite with the same hash and refuses a different one, leaving the store unchanged', () => {
    const store = new MemoryNodeStore();
    store.putNodesSync([{ level: 0, index: 0, hash: h('a') }]);
    store.putNodesSync([{ level: 0, index: 0, hash: h('a') }]);
    expect(() =>
      store.putNodesSync([
        { level: 0, index: 1, hash: h('b') },
        { level: 0, index: 0, hash: h('evil') },
      ]),
    ).toThrow(expect.objectContaining({ code: 'node_conflict' }));
    expect(store.leafCount).toBe(1);
  });

  it('refuses a duplicate with a different hash inside one batch', () => {
    const store = new MemoryNodeStore();
    expect(() =>
      store.putNodesSync([
        { level: 0, index: 0, hash: h('a') },
        { level: 0, index: 0, hash: h('b') },
      ]),
    ).toThrow(expect.objectContaining({ code: 'node_conflict' }));
    expect(store.leafCount).toBe(0);
  });

  it('refuses gaps, bad keys and bad hashes', () => {
    const store = new MemoryNodeStore();
    expect(() => store.putNodesSync([{ level: 0, index: 1, hash: h('b') }])).toThrow(
      expect.objectContaining({ code: 'node_gap' }),
    );
    expect(() => store.putNodesSync([{ level: -1, index: 0, hash: h('b') }])).toThrow(
      expect.objectContaining({ code: 'invalid_node_key' }),
    );
    expect(() => store.putNodesSync([{ level: 0, index: 0.5, hash: h('b') }])).toThrow(
      expect.objectContaining({ code: 'invalid_node_key' }),
    );
    expect(() => store.putNodesSync([{ level: 0, index: 0, hash: Buffer.alloc(33) }])).toThrow(
      expect.objectContaining({ code: 'bad_hash_length' }),
    );
    expect(store.leafCount).toBe(0);
  });

  it('rejects reads of nodes it does not hold', async () => {
    const store = new MemoryNodeStore();
    store.putNodesSync([{ level: 0, index: 0, hash: h('a') }]);
    await expect(store.getNodes([{ level: 0, index: 1 }])).rejects.toMatchObject({ code: 'node_missing' });
    await expect(store.getNodes([{ level: 5, index: 0 }])).rejects.toMatchObject({ code: 'node_missing' });
  });
});
