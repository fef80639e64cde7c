import { fromBase64, fromBase64Url, toBase64 } from './base64';
import { type Bytes, copy } from './bytes';

const ED25519 = { name: 'Ed25519' } as const;

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

/** A private key that cannot leave WebCrypto, with the public key it signs for. */
export interface KeyPairMaterial {
  privateKey: CryptoKey;
  /** Standard base64 of the 32-byte public key. */
  publicKey: string;
}

/** A freshly made key: the PKCS#8 bytes are held only until the user saves the backup. */
export interface NewKeyMaterial extends KeyPairMaterial {
  pkcs8: Bytes;
}

function subtle(): SubtleCrypto {
  return globalThis.crypto.subtle;
}

export async function sign(key: CryptoKey, message: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await subtle().sign(ED25519, key, copy(message)));
}

export async function importPublicKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== 32) throw new KeyError('an Ed25519 public key is 32 bytes');
  return subtle().importKey('raw', copy(raw), ED25519, false, ['verify']);
}

export async function verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  let key: CryptoKey;
  try {
    key = await importPublicKey(publicKey);
  } catch {
    return false;
  }
  try {
    return await subtle().verify(ED25519, key, copy(signature), copy(message));
  } catch {
    return false;
  }
}

/**
 * Imports PKCS#8 DER as a non-extractable signing key and derives its public
 * key. Deriving needs one extractable import, whose JWK carries the public
 * point `x`; that copy is dropped as soon as the public key is read.
 */
export async function importPkcs8(pkcs8: Uint8Array): Promise<KeyPairMaterial> {
  let extractable: CryptoKey;
  try {
    extractable = await subtle().importKey('pkcs8', copy(pkcs8), ED25519, true, ['sign']);
  } catch {
    throw new KeyError('not an Ed25519 PKCS#8 private key');
  }
  const jwk = await subtle().exportKey('jwk', extractable);
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new KeyError('not an Ed25519 key');
  const publicKey = toBase64(fromBase64Url(jwk.x));
  const privateKey = await subtle().importKey('pkcs8', copy(pkcs8), ED25519, false, ['sign']);
  return { privateKey, publicKey };
}

/** Makes a key: PKCS#8 exported once for the backup, then kept only as non-extractable. */
export async function generateKey(): Promise<NewKeyMaterial> {
  const pair = (await subtle().generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey));
  const raw = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  const { privateKey, publicKey } = await importPkcs8(pkcs8);
  if (publicKey !== toBase64(raw)) throw new KeyError('the re-imported key does not match');
  return { privateKey, publicKey, pkcs8 };
}

/** Checks that a base64 string is a 32-byte public key and returns its bytes. */
export function publicKeyBytes(publicKey: string): Bytes {
  const raw = fromBase64(publicKey);
  if (raw.length !== 32) throw new KeyError('an Ed25519 public key is 32 bytes');
  return raw;
}
