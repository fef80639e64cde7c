/**
 * A ledger entry, `{"key", "sig", "time"?, "tx"}` in canonical JSON: these
 * exact bytes are the Merkle leaf.
 */

import { fromBase64 } from './base64';
import { fromUtf8 } from './bytes';
import { verify } from './ed25519';
import { JcsError, parseCanonical } from './jcs';
import { type Transaction, type TxBody, txSigningBytes } from './tx';

export interface Entry {
  key: string;
  sig: string;
  time?: string;
  tx: Transaction;
}

export type EntryFailure =
  | 'NOT_UTF8'
  | 'NOT_JSON'
  | 'NOT_CANONICAL'
  | 'NUMBER_NOT_ALLOWED'
  | 'MALFORMED_ENTRY'
  | 'BAD_SIGNATURE'
  | 'WRONG_ORIGIN';

export type EntryResult = { ok: true; entry: Entry } | { ok: false; reason: EntryFailure; detail: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the entry's members, refusing anything that is not canonical or not well formed. */
export function parseEntry(bytes: Uint8Array | string): EntryResult {
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : fromUtf8(bytes);
  } catch {
    return { ok: false, reason: 'NOT_UTF8', detail: 'the entry is not UTF-8' };
  }
  let value: unknown;
  try {
    value = parseCanonical(text);
  } catch (e) {
    if (e instanceof JcsError) {
      const reason = e.code === 'NOT_JSON' ? 'NOT_JSON' : e.code === 'NUMBER' ? 'NUMBER_NOT_ALLOWED' : 'NOT_CANONICAL';
      return { ok: false, reason, detail: e.message };
    }
    throw e;
  }
  const malformed = (detail: string): EntryResult => ({ ok: false, reason: 'MALFORMED_ENTRY', detail });
  if (!isObject(value)) return malformed('the entry is not an object');
  const { key, sig, time, tx } = value;
  if (typeof key !== 'string' || typeof sig !== 'string') return malformed('key and sig must be strings');
  if (time !== undefined && typeof time !== 'string') return malformed('time must be a string');
  if (!isObject(tx)) return malformed('tx must be an object');
  const { origin, type, nonce, body } = tx;
  if (typeof origin !== 'string' || typeof type !== 'string' || typeof nonce !== 'string' || !isObject(body)) {
    return malformed('tx needs origin, type, nonce and body');
  }
  try {
    if (fromBase64(key).length !== 32) return malformed('key is not 32 bytes');
    if (fromBase64(sig).length !== 64) return malformed('sig is not 64 bytes');
  } catch {
    return malformed('key or sig is not base64');
  }
  const entry: Entry = {
    key,
    sig,
    // The signed transaction is the whole `tx` member, extra members included.
    tx: tx as unknown as Transaction & { body: TxBody },
  };
  if (time !== undefined) entry.time = time;
  return { ok: true, entry };
}

/**
 * Checks an entry the way a verifier does: canonical bytes, well-formed
 * members, the signature over `godown-tx/v1\n || JCS(tx)`, and, when given,
 * the ledger's origin.
 */
export async function verifyEntry(bytes: Uint8Array | string, expectedOrigin?: string): Promise<EntryResult> {
  const parsed = parseEntry(bytes);
  if (!parsed.ok) return parsed;
  const { entry } = parsed;
  const signed = await verify(fromBase64(entry.key), fromBase64(entry.sig), txSigningBytes(entry.tx));
  if (!signed) return { ok: false, reason: 'BAD_SIGNATURE', detail: 'the signature does not verify' };
  if (expectedOrigin !== undefined && entry.tx.origin !== expectedOrigin) {
    return { ok: false, reason: 'WRONG_ORIGIN', detail: `signed for ${entry.tx.origin}` };
  }
  return parsed;
}
