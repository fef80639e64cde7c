import type { ConsistencyFailure } from '../crypto/merkle';
import type { ProofFailure, ProofStep } from '../crypto/proof';

// Records rather than arrays, so the compiler insists every code is listed
// and a code added to the crypto module cannot go untranslated.
const REASONS: Record<ProofFailure | ConsistencyFailure | 'MISMATCH', true> = {
  MALFORMED_NOTE: true,
  BAD_VKEY: true,
  MALFORMED_CHECKPOINT: true,
  BAD_NOTE_SIGNATURE: true,
  UNTRUSTED_NOTE: true,
  LOG_KEY_NAME: true,
  TOO_FEW_WITNESSES: true,
  INDEX_OUT_OF_RANGE: true,
  BAD_HASH_SIZE: true,
  WRONG_PROOF_SIZE: true,
  ROOT_MISMATCH: true,
  NOT_UTF8: true,
  NOT_JSON: true,
  NOT_CANONICAL: true,
  NUMBER_NOT_ALLOWED: true,
  MALFORMED_ENTRY: true,
  BAD_SIGNATURE: true,
  MALFORMED_PROOF: true,
  LEAF_HASH_MISMATCH: true,
  TREE_SIZE_MISMATCH: true,
  WRONG_ORIGIN: true,
  SIZE_ORDER: true,
  FROM_EMPTY_TREE: true,
  PROOF_NOT_EMPTY: true,
  EMPTY_PROOF: true,
  MISMATCH: true,
};

const STEPS: Record<ProofStep, true> = {
  vkey: true,
  checkpoint: true,
  entry: true,
  leaf: true,
  inclusion: true,
  origin: true,
};

/** Every failure code the explorer may show, each translated under `proof.reason`. */
export const REASON_CODES = Object.keys(REASONS);
/** Every verification step, each translated under `proof.step`. */
export const PROOF_STEPS = Object.keys(STEPS);
