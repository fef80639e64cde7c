/**
 * End-to-end verification of one entry's proof, done in the browser so that
 * a member need not trust the node: the checkpoint is signed by the log key,
 * the entry is canonical and signed, it hashes to a leaf that is included
 * under the checkpoint's root, and it was signed for this ledger.
 */

import { fromBase64, toBase64 } from './base64';
import { type Bytes, utf8 } from './bytes';
import { type Entry, type EntryFailure, verifyEntry } from './entry';
import { type InclusionFailure, leafHash, verifyInclusion } from './merkle';
import { type NoteErrorCode, NoteError, parseVkey, verifyCheckpoint } from './note';

export type ProofStep = 'vkey' | 'checkpoint' | 'entry' | 'leaf' | 'inclusion' | 'origin';

export type ProofFailure =
  | NoteErrorCode
  | InclusionFailure
  | Exclude<EntryFailure, 'WRONG_ORIGIN'>
  | 'MALFORMED_PROOF'
  | 'LEAF_HASH_MISMATCH'
  | 'TREE_SIZE_MISMATCH'
  | 'WRONG_ORIGIN';

export type ProofResult =
  | {
      ok: true;
      index: number;
      treeSize: bigint;
      origin: string;
      leafHash: string;
      entry: Entry;
      /** Witnesses whose cosignature verified, when witness vkeys were given. */
      witnesses: string[];
    }
  | { ok: false; step: ProofStep; reason: ProofFailure; detail: string };

export interface ProofInput {
  index: number;
  /** The entry bytes, or their UTF-8 text. */
  entry: Uint8Array | string;
  /** Standard base64 hashes, from the leaf's sibling up. */
  hashes: readonly string[];
  /** The checkpoint note the proof leads to. */
  checkpoint: string;
  /** The leaf hash the server claims, checked when given. */
  leafHash?: string;
  /** The tree size the server claims, checked against the checkpoint when given. */
  treeSize?: number;
}

export interface TrustedKeys {
  logVkey: string;
  witnessVkeys?: readonly string[];
}

function fail(step: ProofStep, reason: ProofFailure, detail: string): ProofResult {
  return { ok: false, step, reason, detail };
}

type Checked = { ok: true; checkpoint: Awaited<ReturnType<typeof verifyCheckpoint>> } | { ok: false; failure: ProofResult };

/** The checkpoint, verified with the trusted keys. */
async function checkedCheckpoint(note: string, trust: TrustedKeys): Promise<Checked> {
  let logVkey;
  let witnessVkeys;
  try {
    logVkey = await parseVkey(trust.logVkey.trim());
    witnessVkeys = await Promise.all((trust.witnessVkeys ?? []).map((v) => parseVkey(v.trim())));
  } catch (e) {
    if (e instanceof NoteError) return { ok: false, failure: fail('vkey', e.code, e.message) };
    throw e;
  }
  try {
    return { ok: true, checkpoint: await verifyCheckpoint(note, logVkey, witnessVkeys) };
  } catch (e) {
    if (e instanceof NoteError) return { ok: false, failure: fail('checkpoint', e.code, e.message) };
    throw e;
  }
}

/** That `leaf` is at `index` under the checkpoint's root: the failure, if it is not. */
async function included(input: Pick<ProofInput, 'index' | 'hashes' | 'treeSize'>, size: bigint, root: Bytes, leaf: Bytes): Promise<ProofResult | null> {
  if (input.treeSize !== undefined && BigInt(input.treeSize) !== size) {
    return fail('inclusion', 'TREE_SIZE_MISMATCH', 'the proof is for another tree size than the checkpoint');
  }
  let hashes: Bytes[];
  try {
    hashes = input.hashes.map((h) => fromBase64(h));
  } catch {
    return fail('inclusion', 'MALFORMED_PROOF', 'a proof hash is not base64');
  }
  const inclusion = await verifyInclusion(input.index, size, leaf, hashes, root);
  return inclusion.ok ? null : fail('inclusion', inclusion.reason, `leaf ${input.index} is not under the root of size ${size}`);
}

export type LeafProofResult = { ok: true; treeSize: bigint } | Extract<ProofResult, { ok: false }>;

/**
 * That an entry whose bytes are withheld is in the log: its leaf hash is
 * included under the checkpoint the log key signed. What the entry says is
 * not known from this.
 */
export async function verifyLeafProof(input: Omit<ProofInput, 'entry' | 'leafHash'> & { leafHash: string }, trust: TrustedKeys): Promise<LeafProofResult> {
  const checked = await checkedCheckpoint(input.checkpoint, trust);
  if (!checked.ok) return checked.failure as Extract<ProofResult, { ok: false }>;
  const { size, root } = checked.checkpoint.checkpoint;
  let leaf: Bytes;
  try {
    leaf = fromBase64(input.leafHash);
  } catch {
    return fail('leaf', 'MALFORMED_PROOF', 'the leaf hash is not base64') as Extract<ProofResult, { ok: false }>;
  }
  const failure = await included(input, size, root, leaf);
  if (failure) return failure as Extract<ProofResult, { ok: false }>;
  return { ok: true, treeSize: size };
}

export async function verifyEntryProof(input: ProofInput, trust: TrustedKeys): Promise<ProofResult> {
  const checked = await checkedCheckpoint(input.checkpoint, trust);
  if (!checked.ok) return checked.failure;
  const checkpoint = checked.checkpoint;
  const { origin, size, root } = checkpoint.checkpoint;

  const bytes: Bytes = typeof input.entry === 'string' ? utf8(input.entry) : new Uint8Array(input.entry);
  const entry = await verifyEntry(bytes);
  if (!entry.ok) return fail('entry', entry.reason as ProofFailure, entry.detail);

  const leaf = await leafHash(bytes);
  if (input.leafHash !== undefined && input.leafHash !== toBase64(leaf)) {
    return fail('leaf', 'LEAF_HASH_MISMATCH', 'the entry does not hash to the stated leaf hash');
  }

  const failure = await included(input, size, root, leaf);
  if (failure) return failure;

  if (entry.entry.tx.origin !== origin) {
    return fail('origin', 'WRONG_ORIGIN', `the entry was signed for ${entry.entry.tx.origin}, not ${origin}`);
  }

  return {
    ok: true,
    index: input.index,
    treeSize: size,
    origin,
    leafHash: toBase64(leaf),
    entry: entry.entry,
    witnesses: checkpoint.witnesses,
  };
}

export interface TlogProof {
  extra: Bytes | null;
  index: number;
  hashes: string[];
  checkpoint: string;
}

/** Reads a `c2sp.org/tlog-proof@v1` file. */
export function parseTlogProof(text: string): TlogProof {
  const bad = (why: string): never => {
    throw new Error(`not a tlog-proof@v1 file: ${why}`);
  };
  const blank = text.indexOf('\n\n');
  if (blank < 0) bad('no blank line before the checkpoint');
  const head = text.slice(0, blank).split('\n');
  const checkpoint = text.slice(blank + 2);
  if (head.shift() !== 'c2sp.org/tlog-proof@v1') bad('wrong first line');
  let extra: Bytes | null = null;
  if (head[0]?.startsWith('extra ')) {
    try {
      extra = fromBase64(head.shift()!.slice('extra '.length));
    } catch {
      bad('extra is not base64');
    }
  }
  const indexLine = head.shift() ?? '';
  const m = /^index (0|[1-9][0-9]{0,15})$/.exec(indexLine);
  if (!m) return bad('no index line');
  const index = Number(m[1]);
  if (!Number.isSafeInteger(index)) bad('index too large');
  for (const h of head) {
    let hash: Bytes | null = null;
    try {
      hash = fromBase64(h);
    } catch {
      bad('a hash is not base64');
    }
    if (hash?.length !== 32) bad('a hash is not 32 bytes');
  }
  return { extra, index, hashes: head, checkpoint };
}

/** Verifies a tlog-proof file whose `extra` line carries the entry bytes. */
export async function verifyTlogProof(text: string, trust: TrustedKeys): Promise<ProofResult> {
  let proof: TlogProof;
  try {
    proof = parseTlogProof(text);
  } catch (e) {
    return fail('inclusion', 'MALFORMED_PROOF', (e as Error).message);
  }
  if (!proof.extra) return fail('entry', 'MALFORMED_PROOF', 'the proof file carries no entry');
  return verifyEntryProof({ index: proof.index, entry: proof.extra, hashes: proof.hashes, checkpoint: proof.checkpoint }, trust);
}
