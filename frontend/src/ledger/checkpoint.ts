/** Checks a checkpoint note from the node, and that a newer one extends an older one. */

import { fromBase64 } from '../crypto/base64';
import { verifyConsistency } from '../crypto/merkle';
import { NoteError, type NoteErrorCode, parseVkey, verifyCheckpoint } from '../crypto/note';

export interface CheckedCheckpoint {
  ok: true;
  origin: string;
  size: number;
  root: string;
  witnesses: string[];
}

export type CheckpointCheck = CheckedCheckpoint | { ok: false; reason: NoteErrorCode | 'MISMATCH' };

/**
 * Verifies the note with the log vkey (and witness vkeys), and that the
 * origin, size and root the node reported beside it are the ones signed.
 */
export async function checkCheckpoint(
  reported: { origin: string; size: number; root: string; note: string },
  logVkey: string,
  witnessVkeys: readonly string[],
): Promise<CheckpointCheck> {
  try {
    const log = await parseVkey(logVkey.trim());
    const witnesses = await Promise.all(witnessVkeys.map((v) => parseVkey(v.trim())));
    const { checkpoint, witnesses: cosigned } = await verifyCheckpoint(reported.note, log, witnesses);
    const root = reported.root;
    const sameRoot = (() => {
      try {
        const bytes = fromBase64(root);
        return bytes.length === checkpoint.root.length && bytes.every((b, i) => b === checkpoint.root[i]);
      } catch {
        return false;
      }
    })();
    if (checkpoint.origin !== reported.origin || checkpoint.size !== BigInt(reported.size) || !sameRoot) {
      return { ok: false, reason: 'MISMATCH' };
    }
    return { ok: true, origin: checkpoint.origin, size: Number(checkpoint.size), root, witnesses: cosigned };
  } catch (e) {
    if (e instanceof NoteError) return { ok: false, reason: e.code };
    throw e;
  }
}

export type GrowthCheck = { ok: true; from: number; to: number } | { ok: false; from: number; to: number; reason: string };

/** Checks with a consistency proof that the tree of `to` leaves extends the one of `from` leaves. */
export async function checkGrowth(
  older: { size: number; root: string },
  newer: { size: number; root: string },
  proof: readonly string[],
): Promise<GrowthCheck> {
  const range = { from: older.size, to: newer.size };
  let hashes;
  try {
    hashes = proof.map((h) => fromBase64(h));
  } catch {
    return { ok: false, ...range, reason: 'BAD_HASH_SIZE' };
  }
  const result = await verifyConsistency(older.size, newer.size, hashes, fromBase64(older.root), fromBase64(newer.root));
  return result.ok ? { ok: true, ...range } : { ok: false, ...range, reason: result.reason };
}
