/**
 * The public receipt check, verified in the browser: every entry that made
 * the receipt is canonical, signed, hashes to its leaf and is included under
 * the checkpoint, which the log key signed; the first entries are the
 * warehouse's issues and the last one names this receipt.
 */

import { NoteError, parseVkey, verifyCheckpoint } from '../crypto/note';
import { type ProofFailure, type ProofStep, verifyEntryProof } from '../crypto/proof';
import type { ReceiptCheckQuery } from '../gql/graphql';

export type ReceiptCheckData = NonNullable<ReceiptCheckQuery['receiptCheck']>;

export type CheckFailure = ProofFailure | 'NO_PROVENANCE' | 'NOT_ISSUED_BY_WAREHOUSE' | 'NOT_THIS_RECEIPT' | 'VKEY_MISMATCH';

export type ReceiptCheckResult =
  | { ok: true; checkpointSize: number; entries: number; witnesses: string[] }
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
  let first: string | null = null;
  let last: { type: string; body: Record<string, unknown> } | null = null;
  for (const p of check.provenance) {
    const result = await verifyEntryProof(
      { index: p.index, entry: p.entry, hashes: p.hashes, checkpoint: check.checkpoint, leafHash: p.leafHash, treeSize: p.treeSize },
      { logVkey },
    );
    if (!result.ok) return { ok: false, step: result.step, reason: result.reason, index: p.index, detail: result.detail };
    size = Number(result.treeSize);
    const { type, body } = result.entry.tx;
    if (type === 'receipt.issue' && p.signerOrg !== check.warehouse) {
      return { ok: false, step: 'provenance', reason: 'NOT_ISSUED_BY_WAREHOUSE', index: p.index, detail: `issued by ${p.signerOrg}` };
    }
    first ??= type;
    last = { type, body };
  }
  if (first !== 'receipt.issue') {
    return { ok: false, step: 'provenance', reason: 'NOT_ISSUED_BY_WAREHOUSE', index: check.provenance[0]?.index ?? null, detail: 'the first entry is not an issue' };
  }
  if (!last || !namesReceipt(last.type, last.body, check.id)) {
    return { ok: false, step: 'provenance', reason: 'NOT_THIS_RECEIPT', index: check.provenance.at(-1)?.index ?? null, detail: 'the last entry does not make this receipt' };
  }
  const witnesses = await cosigners(check.checkpoint, logVkey, witnessVkeys);
  return { ok: true, checkpointSize: size, entries: check.provenance.length, witnesses };
}
