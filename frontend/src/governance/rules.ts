/**
 * The governance contract's grammar, checked in the browser before anything
 * is signed. The node checks the same rules and answers with a code if they
 * fail.
 */

import { Base64Error, fromBase64 } from '../crypto/base64';
import { randomBytes, toHex } from '../crypto/bytes';
import type { OrgKind } from '../gql/graphql';

export { MAX_POLICY_BYTES, MAX_PROPOSAL_DAYS } from '../api/limits';

/** How long a proposal stays open unless its opener says otherwise. */
export const DEFAULT_PROPOSAL_DAYS = 7;

/** The kinds an admission may name: there is one operator, named in the genesis entry. */
export const ADMISSION_KINDS: readonly OrgKind[] = ['BANK', 'WAREHOUSE', 'SME', 'INSPECTOR', 'REGULATOR'];

/** docs/API.md: an organisation id. */
export const ORG_ID = /^[a-z][a-z0-9-]{1,39}$/;

/** A name or reason as the ledger keeps it: not empty, no control characters. */
export function validText(value: string, max: number): boolean {
  const trimmed = value.trim();
  // The node refuses control characters in free text, and counts characters, not UTF-16 units.
  return trimmed !== '' && [...trimmed].length <= max && !/[\u0000-\u001f\u007f-\u009f]/.test(trimmed);
}

/** The longest name and reason the ledger keeps, in characters. */
export const MAX_NAME = 200;
export const MAX_REASON = 500;

/** An Ed25519 public key in standard base64: 32 bytes, one spelling. */
export function validPublicKey(value: string): boolean {
  try {
    return fromBase64(value).length === 32;
  } catch (e) {
    if (e instanceof Base64Error) return false;
    throw e;
  }
}

/**
 * A log's signed-note verifier key for this ledger: `origin+keyid+base64`
 * with an 8-digit hex key ID and base64 of 0x01 and 32 key bytes. The node
 * also checks that the key ID matches.
 */
export function validLogVkey(value: string, origin: string): boolean {
  if (!value.startsWith(`${origin}+`)) return false;
  const [id, key] = [value.slice(origin.length + 1, origin.length + 9), value.slice(origin.length + 10)];
  if (!/^[0-9a-f]{8}$/.test(id) || value.charAt(origin.length + 9) !== '+') return false;
  try {
    const bytes = fromBase64(key);
    return bytes.length === 33 && bytes[0] === 0x01;
  } catch (e) {
    if (e instanceof Base64Error) return false;
    throw e;
  }
}

/** `prop-` then 20 random lower-case hex digits, as loans are named: no one can guess the next by counting. */
export function newProposalId(): string {
  return `prop-${toHex(randomBytes(10))}`;
}
