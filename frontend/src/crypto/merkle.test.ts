import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64';
import { type Bytes, utf8 } from './bytes';
import { leafHash, nodeHash, verifyConsistency, verifyInclusion } from './merkle';
import { vectorFiles, vectorText } from './testing/vectors';

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

// Go's base64 decoder in the reference accepts some of these; a value that
// does not decode cannot be a hash, so it counts as a refusal.
function decode(b64: string): Bytes | null {
  try {
    return fromBase64(b64);
  } catch {
    return null;
  }
}

describe('RFC 6962 hashing', () => {
  it('hashes the empty leaf and a node as the RFC says', async () => {
    expect(toBase64(await leafHash(new Uint8Array()))).toBe('bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=');
    const l = await leafHash(utf8('a'));
    const r = await leafHash(utf8('b'));
    const n = await nodeHash(l, r);
    expect(n).toHaveLength(32);
    expect(n).not.toEqual(await nodeHash(r, l));
  });
});

describe('inclusion proofs', () => {
  const files = vectorFiles('rfc6962/inclusion');

  it('covers every reference vector', () => {
    expect(files.length).toBeGreaterThanOrEqual(98);
  });

  for (const file of files) {
    const v = JSON.parse(vectorText(file)) as InclusionVector;
    it(`${file}: ${v.desc} (${v.wantErr ? 'refused' : 'accepted'})`, async () => {
      const leaf = decode(v.leafHash);
      const root = decode(v.root);
      const proof = (v.proof ?? []).map(decode);
      let accepted = false;
      if (leaf && root && proof.every((p) => p !== null)) {
        accepted = (await verifyInclusion(v.leafIdx, v.treeSize, leaf, proof as Bytes[], root)).ok;
      }
      expect(accepted).toBe(!v.wantErr);
    });
  }

  it('refuses an index past the tree and hashes of the wrong size', async () => {
    const leaf = await leafHash(utf8('x'));
    expect(await verifyInclusion(1, 1, leaf, [], leaf)).toEqual({ ok: false, reason: 'INDEX_OUT_OF_RANGE' });
    expect(await verifyInclusion(0, 1, leaf.subarray(1), [], leaf)).toEqual({ ok: false, reason: 'BAD_HASH_SIZE' });
    expect(await verifyInclusion(0, 2, leaf, [new Uint8Array(31)], leaf)).toEqual({ ok: false, reason: 'BAD_HASH_SIZE' });
    expect(await verifyInclusion(0, 1, leaf, [], leaf)).toEqual({ ok: true });
  });

  it('handles tree sizes beyond 2^32', async () => {
    const leaf = await leafHash(utf8('x'));
    const sibling = await leafHash(utf8('y'));
    // Leaf 2^32 in a tree of 2^32+2 leaves: its sibling, then the left perfect subtree.
    const left = new Uint8Array(32).fill(7);
    const root = await nodeHash(left, await nodeHash(leaf, sibling));
    expect(await verifyInclusion(2 ** 32, 2 ** 32 + 2, leaf, [sibling, left], root)).toEqual({ ok: true });
  });
});

describe('consistency proofs', () => {
  const files = vectorFiles('rfc6962/consistency');

  for (const file of files) {
    const v = JSON.parse(vectorText(file)) as ConsistencyVector;
    it(`${file}: ${v.desc} (${v.wantErr ? 'refused' : 'accepted'})`, async () => {
      const root1 = decode(v.root1);
      const root2 = decode(v.root2);
      const proof = (v.proof ?? []).map(decode);
      let accepted = false;
      if (root1 && root2 && proof.every((p) => p !== null)) {
        accepted = (await verifyConsistency(v.size1, v.size2, proof as Bytes[], root1, root2)).ok;
      }
      expect(accepted).toBe(!v.wantErr);
    });
  }

  it('the godown checkpoint of size 3 grows consistently into the one of size 5', async () => {
    const root = (note: string): Bytes => fromBase64(note.split('\n')[2] as string);
    const proof = vectorText('godown/consistency-3-5.txt').split('\n').filter((l) => l !== '').map((l) => fromBase64(l));
    const old = root(vectorText('godown/checkpoint.size3'));
    const now = root(vectorText('godown/checkpoint'));
    expect(await verifyConsistency(3, 5, proof, old, now)).toEqual({ ok: true });
    expect((await verifyConsistency(3, 5, proof, now, old)).ok).toBe(false);
  });
});
