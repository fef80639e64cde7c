/**
 * The public receipt check, verified in the browser. The entries the
 * warehouse signed (its issues) are shown whole: each is canonical, signed,
 * hashes to its leaf and is included under the checkpoint, which the log key
 * signed. An entry the holder signed (a split or merge that made this
 * receipt) names the holder, so only its leaf hash and inclusion proof are
 * shown: it is in the log, but that it made this receipt is the node's word.
 * The first entry must be a warehouse's issue, and the last one must name
 * this receipt, or be such a withheld entry.
 */

import { NoteError, parseVkey, verifyCheckpoint } from '../crypto/note';
import { type ProofFailure, type ProofStep, verifyEntryProof, verifyLeafProof } from '../crypto/proof';
import type { ReceiptCheckQuery } from '../gql/graphql';

export type ReceiptCheckData = NonNullable<ReceiptCheckQuery['receiptCheck']>;

export type CheckFailure = ProofFailure | 'NO_PROVENANCE' | 'NOT_ISSUED_BY_WAREHOUSE' | 'NOT_THIS_RECEIPT' | 'VKEY_MISMATCH';

export type ReceiptCheckResult =
  | {
      ok: true;
      checkpointSize: number;
      entries: number;
      /** Entries proved to be in the log whose content is withheld: the node's word that they made this receipt. */
      withheld: number;
      witnesses: string[];
    }
  | { ok: false; step: ProofStep | 'provenance'; reason: CheckFailure; index: number | null; detail: string };

function namesReceipt(type: string, body: Record<string, unknown>, id: string): boolean {
  if (type === 'receipt.issue') return body.receipt === id;
  if (type === 'receipt.split') return Array.isArray(body.parts) && body.parts.some((p) => (p as { receipt?: unknown }).receipt === id);
  if (type === 'receipt.merge') return body.into === id;
  return false;
}

/**
 * The names of the witnesses among `witnessVkeys` whose cosignature of the
 * checkpoint verifies here; none when the note carries none (or none of theirs).
 */
async function cosigners(note: string, logVkey: string, witnessVkeys: readonly string[]): Promise<string[]> {
  try {
    const witnesses = await Promise.all(witnessVkeys.map((v) => parseVkey(v.trim())));
    return (await verifyCheckpoint(note, await parseVkey(logVkey), witnesses)).witnesses;
  } catch (e) {
    // The entries' proofs already checked the log's signature; a witness key that does not parse vouches for nothing.
    if (e instanceof NoteError) return [];
    throw e;
  }
}

/**
 * `trustedVkey`, when given, is the log vkey this browser already holds (from
 * the ledger's identity); the check's own vkey must be the same.
 * `witnessVkeys` are the witnesses the ledger names: the result counts those
 * whose cosignature of the check's checkpoint verifies in this browser.
 */
export async function verifyReceiptCheck(
  check: ReceiptCheckData,
  trustedVkey?: string | null,
  witnessVkeys: readonly string[] = [],
): Promise<ReceiptCheckResult> {
  const logVkey = check.logVkey.trim();
  if (trustedVkey && trustedVkey.trim() !== logVkey) {
    return { ok: false, step: 'provenance', reason: 'VKEY_MISMATCH', index: null, detail: 'the check names another log key than the ledger' };
  }
  if (check.provenance.length === 0) {
    return { ok: false, step: 'provenance', reason: 'NO_PROVENANCE', index: null, detail: 'no entry made this receipt' };
  }
  let size = 0;
  let withheld = 0;
  let first: string | null = null;
  // The last entry, when shown; null when withheld.
  let last: { type: string; body: Record<string, unknown> } | null = null;
  for (const p of check.provenance) {
    const proof = { index: p.index, hashes: p.hashes, checkpoint: check.checkpoint, treeSize: p.treeSize };
    if (p.entry === null) {
      const result = await verifyLeafProof({ ...proof, leafHash: p.leafHash }, { logVkey });
      if (!result.ok) return { ok: false, step: result.step, reason: result.reason, index: p.index, detail: result.detail };
      size = Number(result.treeSize);
      withheld += 1;
      first ??= 'withheld';
      last = null;
      continue;
    }
    const result = await verifyEntryProof({ ...proof, entry: p.entry, leafHash: p.leafHash }, { logVkey });
    if (!result.ok) return { ok: false, step: result.step, reason: result.reason, index: p.index, detail: result.detail };
    size = Number(result.treeSize);
    const { type, body } = result.entry.tx;
    if (type === 'receipt.issue' && p.signerOrg !== check.warehouse) {
      return { ok: false, step: 'provenance', reason: 'NOT_ISSUED_BY_WAREHOUSE', index: p.index, detail: `issued by ${p.signerOrg ?? 'another party'}` };
    }
    first ??= type;
    last = { type, body };
  }
  if (first !== 'receipt.issue') {
    return { ok: false, step: 'provenance', reason: 'NOT_ISSUED_BY_WAREHOUSE', index: check.provenance[0]?.index ?? null, detail: 'the first entry is not an issue' };
  }
  // A withheld last entry is the holder's split or merge: that it made this receipt is the node's word, said as such.
  if (withheld === 0 && (!last || !namesReceipt(last.type, last.body, check.id))) {
    return { ok: false, step: 'provenance', reason: 'NOT_THIS_RECEIPT', index: check.provenance.at(-1)?.index ?? null, detail: 'the last entry does not make this receipt' };
  }
  if (last && !namesReceipt(last.type, last.body, check.id)) {
    return { ok: false, step: 'provenance', reason: 'NOT_THIS_RECEIPT', index: check.provenance.at(-1)?.index ?? null, detail: 'the last entry does not make this receipt' };
  }
  const witnesses = await cosigners(check.checkpoint, logVkey, witnessVkeys);
  return { ok: true, checkpointSize: size, entries: check.provenance.length, withheld, witnesses };
}
