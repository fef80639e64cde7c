/**
 * C2SP signed notes, verifier keys, checkpoints and cosignatures.
 * https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint,
 * https://c2sp.org/tlog-cosignature
 */

import { Base64Error, fromBase64 } from './base64';
import { type Bytes, concat, equalBytes, fromHex, sha256, toHex, utf8 } from './bytes';
import { verify } from './ed25519';
import { HASH_SIZE } from './merkle';

export const SIG_TYPE_ED25519 = 0x01;
export const SIG_TYPE_COSIGNATURE = 0x04;

const SIG_PREFIX = '\u2014 ';

export type NoteErrorCode =
  | 'MALFORMED_NOTE'
  | 'BAD_VKEY'
  | 'MALFORMED_CHECKPOINT'
  | 'BAD_NOTE_SIGNATURE'
  | 'UNTRUSTED_NOTE'
  | 'LOG_KEY_NAME'
  | 'TOO_FEW_WITNESSES';

export class NoteError extends Error {
  readonly code: NoteErrorCode;
  constructor(code: NoteErrorCode, message: string) {
    super(message);
    this.name = 'NoteError';
    this.code = code;
  }
}

export interface NoteSignature {
  name: string;
  /** The 4-byte key ID as 8 lower-case hex digits. */
  keyId: string;
  /** The signature bytes after the key ID. */
  signature: Bytes;
}

export interface Note {
  /** The signed text, ending in a newline. */
  text: string;
  signatures: NoteSignature[];
}

export interface Vkey {
  name: string;
  keyId: string;
  type: number;
  publicKey: Bytes;
}

export interface VerifiedSignature {
  name: string;
  keyId: string;
  type: number;
  /** Seconds since the epoch, for cosignatures. */
  timestamp?: bigint;
}

function isValidName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

function decodeBase64(text: string, what: string, code: NoteErrorCode): Bytes {
  try {
    return fromBase64(text);
  } catch (e) {
    if (e instanceof Base64Error) throw new NoteError(code, `${what} is not base64`);
    throw e;
  }
}

/** Splits a signed note into its text and signature lines, as Go's note.Open does. */
export function parseNote(note: string): Note {
  // No ASCII control characters but newline: a note is text a person can read.
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new NoteError('MALFORMED_NOTE', 'the note has a control character');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('MALFORMED_NOTE', 'the note has no signature block');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw new NoteError('MALFORMED_NOTE', 'the signature block must end in a newline');
  const signatures: NoteSignature[] = [];
  for (const line of block.slice(0, -1).split('\n')) {
    if (!line.startsWith(SIG_PREFIX)) throw new NoteError('MALFORMED_NOTE', 'a signature line does not start with "— "');
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(' ');
    if (space < 0) throw new NoteError('MALFORMED_NOTE', 'a signature line has no signature');
    const name = rest.slice(0, space);
    const b64 = rest.slice(space + 1);
    if (!isValidName(name) || b64 === '') throw new NoteError('MALFORMED_NOTE', 'a malformed signature line');
    const raw = decodeBase64(b64, 'a signature', 'MALFORMED_NOTE');
    if (raw.length < 5) throw new NoteError('MALFORMED_NOTE', 'a signature is too short');
    signatures.push({ name, keyId: toHex(raw.subarray(0, 4)), signature: raw.slice(4) });
  }
  return { text, signatures };
}

/** The key ID: SHA-256(name || 0x0A || type || public key)[:4]. */
export async function keyId(name: string, type: number, publicKey: Uint8Array): Promise<string> {
  const digest = await sha256(concat(utf8(name), new Uint8Array([0x0a, type]), publicKey));
  return toHex(digest.subarray(0, 4));
}

/** Parses `name+hex8+base64(type||pubkey)`, splitting on the first two `+` only. */
export async function parseVkey(vkey: string): Promise<Vkey> {
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw new NoteError('BAD_VKEY', 'a vkey is name+keyid+key');
  const name = vkey.slice(0, first);
  const hex = vkey.slice(first + 1, second);
  const b64 = vkey.slice(second + 1);
  if (!isValidName(name)) throw new NoteError('BAD_VKEY', 'the vkey name is not valid');
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new NoteError('BAD_VKEY', 'the vkey key ID is not 8 hex digits');
  const raw = decodeBase64(b64, 'the vkey key', 'BAD_VKEY');
  const type = raw[0];
  if (type === undefined) throw new NoteError('BAD_VKEY', 'the vkey key is empty');
  const publicKey = raw.slice(1);
  if ((type === SIG_TYPE_ED25519 || type === SIG_TYPE_COSIGNATURE) && publicKey.length !== 32) {
    throw new NoteError('BAD_VKEY', 'an Ed25519 vkey carries 32 bytes');
  }
  const id = await keyId(name, type, publicKey);
  if (!equalBytes(fromHex(id), fromHex(hex))) throw new NoteError('BAD_VKEY', 'the vkey key ID does not match its key');
  return { name, keyId: hex, type, publicKey };
}

/** The message a witness signs: `cosignature/v1\ntime <ts>\n` then the note text. */
export function cosignatureMessage(timestamp: bigint, text: string): Bytes {
  return utf8(`cosignature/v1\ntime ${timestamp.toString()}\n${text}`);
}

async function verifyOne(vkey: Vkey, sig: NoteSignature, text: string): Promise<VerifiedSignature | null> {
  if (vkey.type === SIG_TYPE_ED25519) {
    const ok = await verify(vkey.publicKey, sig.signature, utf8(text));
    return ok ? { name: vkey.name, keyId: vkey.keyId, type: vkey.type } : null;
  }
  if (vkey.type === SIG_TYPE_COSIGNATURE) {
    if (sig.signature.length !== 8 + 64) return null;
    const timestamp = new DataView(sig.signature.buffer, sig.signature.byteOffset, 8).getBigUint64(0, false);
    const ok = await verify(vkey.publicKey, sig.signature.subarray(8), cosignatureMessage(timestamp, text));
    return ok ? { name: vkey.name, keyId: vkey.keyId, type: vkey.type, timestamp } : null;
  }
  return null;
}

/**
 * Verifies a note against trusted vkeys. Lines from unknown keys are ignored;
 * a known key whose signature fails makes the whole note invalid; at least
 * one known key must have signed.
 */
export async function verifyNote(note: string, vkeys: readonly Vkey[]): Promise<{ note: Note; verified: VerifiedSignature[] }> {
  const parsed = parseNote(note);
  const verified: VerifiedSignature[] = [];
  for (const sig of parsed.signatures) {
    const vkey = vkeys.find((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (!vkey) continue;
    const ok = await verifyOne(vkey, sig, parsed.text);
    if (!ok) throw new NoteError('BAD_NOTE_SIGNATURE', `the signature of ${sig.name} does not verify`);
    verified.push(ok);
  }
  if (verified.length === 0) throw new NoteError('UNTRUSTED_NOTE', 'no trusted key signed the note');
  return { note: parsed, verified };
}

export interface Checkpoint {
  origin: string;
  size: bigint;
  root: Bytes;
  /** Lines after the root, if any. */
  extensions: string[];
}

/** Parses a checkpoint body: origin, decimal tree size, base64 root, then extension lines. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('MALFORMED_CHECKPOINT', 'a checkpoint ends in a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (origin === undefined || origin === '') throw new NoteError('MALFORMED_CHECKPOINT', 'the checkpoint has no origin');
  if (size === undefined || !/^(?:0|[1-9][0-9]{0,19})$/.test(size)) throw new NoteError('MALFORMED_CHECKPOINT', 'the checkpoint size is not a decimal number');
  const n = BigInt(size);
  if (n >= 1n << 64n) throw new NoteError('MALFORMED_CHECKPOINT', 'the checkpoint size is too large');
  if (root === undefined) throw new NoteError('MALFORMED_CHECKPOINT', 'the checkpoint has no root');
  const rootBytes = decodeBase64(root, 'the checkpoint root', 'MALFORMED_CHECKPOINT');
  if (rootBytes.length !== HASH_SIZE) throw new NoteError('MALFORMED_CHECKPOINT', 'the checkpoint root is not 32 bytes');
  if (extensions.some((l) => l === '')) throw new NoteError('MALFORMED_CHECKPOINT', 'the checkpoint has an empty line');
  return { origin, size: n, root: rootBytes, extensions };
}

export interface VerifiedCheckpoint {
  checkpoint: Checkpoint;
  note: Note;
  verified: VerifiedSignature[];
  /** Names of witnesses whose cosignature verified. */
  witnesses: string[];
}

/**
 * Verifies a checkpoint note: the log key (named after the origin) must have
 * signed it; witness vkeys, when given, are checked too, and `minWitnesses`
 * of them must have cosigned.
 */
export async function verifyCheckpoint(
  note: string,
  logVkey: Vkey,
  witnessVkeys: readonly Vkey[] = [],
  minWitnesses = 0,
): Promise<VerifiedCheckpoint> {
  if (logVkey.type !== SIG_TYPE_ED25519) throw new NoteError('BAD_VKEY', 'the log vkey is not an Ed25519 key');
  const { note: parsed, verified } = await verifyNote(note, [logVkey, ...witnessVkeys]);
  if (!verified.some((v) => v.name === logVkey.name && v.keyId === logVkey.keyId)) {
    throw new NoteError('UNTRUSTED_NOTE', 'the log key did not sign the checkpoint');
  }
  const checkpoint = parseCheckpoint(parsed.text);
  if (checkpoint.origin !== logVkey.name) throw new NoteError('LOG_KEY_NAME', 'the checkpoint origin is not the log key name');
  const witnesses = verified.filter((v) => v.type === SIG_TYPE_COSIGNATURE).map((v) => v.name);
  if (witnesses.length < minWitnesses) throw new NoteError('TOO_FEW_WITNESSES', 'too few witnesses cosigned the checkpoint');
  return { checkpoint, note: parsed, verified, witnesses };
}
