/** RFC 6962 / RFC 9162 Merkle tree hashing and inclusion proof verification. */

import { type Bytes, concat, equalBytes, sha256 } from './bytes';

export const HASH_SIZE = 32;

export function leafHash(data: Uint8Array): Promise<Bytes> {
  return sha256(concat(new Uint8Array([0x00]), data));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  return sha256(concat(new Uint8Array([0x01]), left, right));
}

export type InclusionFailure =
  | 'INDEX_OUT_OF_RANGE'
  | 'BAD_HASH_SIZE'
  | 'WRONG_PROOF_SIZE'
  | 'ROOT_MISMATCH';

export type InclusionResult = { ok: true } | { ok: false; reason: InclusionFailure };

/**
 * Verifies that `leaf` (a leaf hash) is at `index` in the tree of `size`
 * leaves whose root is `root`, by RFC 9162 §2.1.3.2. Sizes are bigints so
 * trees past 2^32 leaves work; numbers are accepted for convenience.
 */
export async function verifyInclusion(
  index: number | bigint,
  size: number | bigint,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<InclusionResult> {
  const idx = BigInt(index);
  const n = BigInt(size);
  if (idx < 0n || idx >= n) return { ok: false, reason: 'INDEX_OUT_OF_RANGE' };
  if (leaf.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) {
    return { ok: false, reason: 'BAD_HASH_SIZE' };
  }
  let fn = idx;
  let sn = n - 1n;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0n) return { ok: false, reason: 'WRONG_PROOF_SIZE' };
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return { ok: false, reason: 'WRONG_PROOF_SIZE' };
  // Roots are compared as received bytes, so a root of the wrong length simply mismatches.
  if (!equalBytes(r, root)) return { ok: false, reason: 'ROOT_MISMATCH' };
  return { ok: true };
}

export type ConsistencyFailure =
  | 'SIZE_ORDER'
  | 'FROM_EMPTY_TREE'
  | 'PROOF_NOT_EMPTY'
  | 'EMPTY_PROOF'
  | 'BAD_HASH_SIZE'
  | 'WRONG_PROOF_SIZE'
  | 'ROOT_MISMATCH';

export type ConsistencyResult = { ok: true } | { ok: false; reason: ConsistencyFailure };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

function onesCount(n: bigint): number {
  let count = 0;
  for (const c of n.toString(2)) if (c === '1') count++;
  return count;
}

function trailingZeros(n: bigint): number {
  let count = 0;
  while (n > 0n && (n & 1n) === 0n) {
    n >>= 1n;
    count++;
  }
  return count;
}

/**
 * Verifies that the tree of `size2` leaves with `root2` extends the tree of
 * `size1` leaves with `root1` (RFC 9162 §2.1.4.2, following transparency-dev's
 * reference step for step). A proof from size 0 is refused, as the reference
 * vectors expect.
 */
export async function verifyConsistency(
  size1: number | bigint,
  size2: number | bigint,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): Promise<ConsistencyResult> {
  const n1 = BigInt(size1);
  const n2 = BigInt(size2);
  if (n2 < n1) return { ok: false, reason: 'SIZE_ORDER' };
  if (n1 === 0n) return { ok: false, reason: 'FROM_EMPTY_TREE' };
  if (n1 === n2) {
    if (proof.length > 0) return { ok: false, reason: 'PROOF_NOT_EMPTY' };
    return equalBytes(root1, root2) ? { ok: true } : { ok: false, reason: 'ROOT_MISMATCH' };
  }
  if (proof.length === 0) return { ok: false, reason: 'EMPTY_PROOF' };
  if (proof.some((p) => p.length !== HASH_SIZE)) return { ok: false, reason: 'BAD_HASH_SIZE' };

  const index = n1 - 1n;
  let inner = bitLength(index ^ (n2 - 1n));
  const border = onesCount(index >> BigInt(inner));
  const shift = trailingZeros(n1);
  inner -= shift;

  // The proof starts with the root of the subtree of size 2^shift, unless size1 is that subtree.
  let seed: Uint8Array;
  let rest: readonly Uint8Array[];
  if (n1 === 1n << BigInt(shift)) {
    seed = root1;
    rest = proof;
  } else {
    seed = proof[0] as Uint8Array;
    rest = proof.slice(1);
  }
  if (rest.length !== inner + border) return { ok: false, reason: 'WRONG_PROOF_SIZE' };

  const mask = index >> BigInt(shift);
  let hash1 = seed;
  let hash2 = seed;
  for (let i = 0; i < inner; i++) {
    const h = rest[i] as Uint8Array;
    if (((mask >> BigInt(i)) & 1n) === 1n) {
      hash1 = await nodeHash(h, hash1);
      hash2 = await nodeHash(h, hash2);
    } else {
      hash2 = await nodeHash(hash2, h);
    }
  }
  for (const h of rest.slice(inner)) {
    hash1 = await nodeHash(h, hash1);
    hash2 = await nodeHash(h, hash2);
  }
  if (!equalBytes(hash1, root1) || !equalBytes(hash2, root2)) return { ok: false, reason: 'ROOT_MISMATCH' };
  return { ok: true };
}
