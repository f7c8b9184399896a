import { describe, expect, it } from 'vitest';
import { appendLeaves, hashLeaf, MemoryNodeStore, rootHashAt } from '../merkle/index.ts';
import {
  buildConsistencyBundle,
  buildInclusionBundle,
  type ConsistencyProofBundle,
  generateNoteKeyPair,
  type InclusionProofBundle,
  PROOF_BUNDLE_FORMAT,
  parseSignerKey,
  serializeProofBundle,
  signCheckpoint,
  verifyProofBundle,
} from './index.ts';

const ORIGIN = 'vigil.example/audit/acme';
const keys = generateNoteKeyPair(ORIGIN);
const signer = parseSignerKey(keys.signerKey);
const event = (i: number): Buffer =>
  Buffer.from(JSON.stringify({ seq: i, action: 'card.reveal', actor: `u${i % 7}` }));

async function buildLog(count: number, rewrite?: { index: number; data: Buffer }): Promise<MemoryNodeStore> {
  const store = new MemoryNodeStore();
  const leaves = Array.from({ length: count }, (_, i) =>
    hashLeaf(rewrite?.index === i ? rewrite.data : event(i)),
  );
  for (let start = 0; start < count; start += 100) {
    const result = await appendLeaves(store, start, leaves.slice(start, start + 100));
    await store.putNodes(result.nodes);
  }
  return store;
}

async function checkpointAt(store: MemoryNodeStore, size: number, origin = ORIGIN): Promise<string> {
  return signCheckpoint({ origin, size, rootHash: await rootHashAt(store, size) }, signer);
}

const store = await buildLog(1000);
const cp600 = await checkpointAt(store, 600);
const cp1000 = await checkpointAt(store, 1000);

describe('inclusion bundles', () => {
  it('verify for every kind of position, from the object and from its JSON text', async () => {
    for (const index of [0, 1, 511, 512, 599, 998, 999]) {
      const bundle = await buildInclusionBundle(store, cp1000, index, { leafData: event(index) });
      const result = verifyProofBundle(serializeProofBundle(bundle), keys.verifierKey, { origin: ORIGIN });
      expect(result).toMatchObject({
        ok: true,
        type: 'inclusion',
        treeSize: 1000,
        leafIndex: index,
        leafDataChecked: true,
      });
      expect(verifyProofBundle(bundle, keys.verifierKey).ok).toBe(true);
    }
  });

  it('verify with the leaf hash alone, or the leaf data alone', async () => {
    const bundle = await buildInclusionBundle(store, cp600, 42, { leafData: event(42) });
    const { leafData: _data, ...hashOnly } = bundle;
    const { leafHash: _hash, ...dataOnly } = bundle;
    expect(verifyProofBundle(hashOnly, keys.verifierKey)).toMatchObject({ ok: true, leafDataChecked: false });
    expect(verifyProofBundle(dataOnly, keys.verifierKey)).toMatchObject({ ok: true, leafDataChecked: true });
  });

  describe('tampering is detected with a precise reason', async () => {
    const good = await buildInclusionBundle(store, cp1000, 321, { leafData: event(321) });
    const otherEvent = event(322).toString('base64');
    const cases: [string, Partial<InclusionProofBundle> | Record<string, unknown>, string, RegExp][] = [
      ['another leaf index', { leafIndex: 320 }, 'proof_invalid', /different root/],
      ['an index past the tree', { leafIndex: 1000 }, 'proof_invalid', /not below tree size 1000/],
      ['leaf data from another event', { leafData: otherEvent }, 'leaf_mismatch', /does not hash/],
      [
        'another event, hash and data together',
        { leafData: otherEvent, leafHash: hashLeaf(event(322)).toString('base64') },
        'proof_invalid',
        /different root/,
      ],
      [
        'a changed proof hash',
        { proof: [good.proof[1]!, ...good.proof.slice(1)] },
        'proof_invalid',
        /different root/,
      ],
      ['a truncated proof', { proof: good.proof.slice(1) }, 'proof_invalid', /needs 10/],
      [
        'a checkpoint with a changed size',
        { checkpoint: good.checkpoint.replace('\n1000\n', '\n999\n') },
        'bad_signature',
        /checkpoint: signature/,
      ],
      ['an unknown field', { note: 'trust me' }, 'malformed_bundle', /bundle: Unrecognized key/],
      ['another format', { format: 'vigil-audit-proof/v9' }, 'malformed_bundle', /unsupported bundle format/],
      ['a negative index', { leafIndex: -1 }, 'malformed_bundle', /bundle\.leafIndex/],
      [
        'a short proof hash',
        { proof: ['AAAA', ...good.proof.slice(1)] },
        'malformed_bundle',
        /bundle\.proof\[0\]/,
      ],
      [
        '65 proof hashes',
        { proof: Array.from({ length: 65 }, () => good.proof[0]) },
        'malformed_bundle',
        /bundle\.proof/,
      ],
      [
        'neither leaf hash nor data',
        { leafHash: undefined, leafData: undefined },
        'malformed_bundle',
        /leafHash/,
      ],
    ];
    it.each(cases)('%s', (_label, change, code, reason) => {
      const tampered = { ...good, ...change };
      const result = verifyProofBundle(JSON.parse(JSON.stringify(tampered)), keys.verifierKey);
      expect(result).toMatchObject({ ok: false, code });
      expect(!result.ok && result.reason).toMatch(reason);
    });
  });

  it('refuses a bundle under a checkpoint of another key, origin or log', async () => {
    const bundle = await buildInclusionBundle(store, cp1000, 5);
    expect(verifyProofBundle(bundle, generateNoteKeyPair(ORIGIN).verifierKey)).toMatchObject({
      code: 'untrusted',
    });
    expect(
      verifyProofBundle(bundle, keys.verifierKey, { origin: 'vigil.example/audit/other' }),
    ).toMatchObject({
      code: 'origin_mismatch',
    });
    expect(verifyProofBundle(bundle, 'garbage')).toMatchObject({ code: 'invalid_key' });
  });

  it('refuses text that is not JSON or not UTF-8', () => {
    expect(verifyProofBundle('{"format":', keys.verifierKey)).toMatchObject({ code: 'malformed_bundle' });
    expect(verifyProofBundle(Buffer.from([0x7b, 0xff, 0x7d]), keys.verifierKey)).toMatchObject({
      code: 'malformed_bundle',
    });
    expect(verifyProofBundle(null, keys.verifierKey)).toMatchObject({ code: 'malformed_bundle' });
  });
});

describe('consistency bundles', () => {
  it('verify between two checkpoints of the log', async () => {
    const bundle = await buildConsistencyBundle(store, cp600, cp1000);
    expect(bundle.format).toBe(PROOF_BUNDLE_FORMAT);
    expect(verifyProofBundle(serializeProofBundle(bundle), keys.verifierKey)).toMatchObject({
      ok: true,
      type: 'consistency',
      size1: 600,
      size2: 1000,
    });
  });

  it('expose an operator who rewrote one old event and re-signed the head', async () => {
    // Same key, same origin, same sizes: only event 17 differs. The old checkpoint was published
    // before the rewrite; the new one is signed over the rewritten tree.
    const forged = await buildLog(1000, { index: 17, data: Buffer.from('{"seq":17,"action":"nothing"}') });
    const forgedHead = await checkpointAt(forged, 1000);
    const bundle: ConsistencyProofBundle = {
      ...(await buildConsistencyBundle(forged, await checkpointAt(forged, 600), forgedHead)),
      checkpoint1: cp600,
    };
    const result = verifyProofBundle(bundle, keys.verifierKey);
    expect(result).toMatchObject({ ok: false, code: 'proof_invalid', proofCode: 'root1_mismatch' });
  });

  it('refuses swapped checkpoints and checkpoints of two logs', async () => {
    const bundle = await buildConsistencyBundle(store, cp600, cp1000);
    const swapped = { ...bundle, checkpoint1: cp1000, checkpoint2: cp600 };
    expect(verifyProofBundle(swapped, keys.verifierKey)).toMatchObject({
      code: 'proof_invalid',
      proofCode: 'size1_greater_than_size2',
    });
    const otherLog = await checkpointAt(store, 1000, 'vigil.example/audit/other');
    expect(verifyProofBundle({ ...bundle, checkpoint2: otherLog }, keys.verifierKey)).toMatchObject({
      code: 'origin_differs',
    });
    await expect(buildConsistencyBundle(store, cp600, otherLog)).rejects.toMatchObject({
      code: 'malformed_bundle',
    });
  });
});

describe('bundle builders check the store against the checkpoint', () => {
  it('refuse when the stored tree disagrees with the signed root', async () => {
    const forged = await buildLog(1000, { index: 3, data: Buffer.from('rewritten') });
    await expect(buildInclusionBundle(forged, cp1000, 3)).rejects.toMatchObject({ code: 'store_mismatch' });
    await expect(buildConsistencyBundle(forged, cp600, cp1000)).rejects.toMatchObject({
      code: 'store_mismatch',
    });
  });

  it('refuse leaf data that is not the stored leaf', async () => {
    await expect(buildInclusionBundle(store, cp1000, 3, { leafData: event(4) })).rejects.toMatchObject({
      code: 'store_mismatch',
    });
  });

  it('refuse an index outside the checkpoint', async () => {
    await expect(buildInclusionBundle(store, cp600, 600)).rejects.toMatchObject({
      code: 'index_out_of_range',
    });
  });
});
