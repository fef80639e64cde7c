import { fromBase64 } from '../crypto/base64';
import { sha256, toHex } from '../crypto/bytes';

/** A key's fingerprint for reading aloud or on paper: SHA-256 of the raw key, first 16 hex in groups of four. */
export async function keyFingerprint(key: string): Promise<string> {
  const hex = toHex(await sha256(fromBase64(key))).slice(0, 16);
  return hex.match(/.{4}/g)?.join(' ') ?? hex;
}
