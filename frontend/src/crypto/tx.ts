import { fromBase64, toBase64, toBase64Url } from './base64';
import { type Bytes, concat, randomBytes, utf8 } from './bytes';
import { sign, verify } from './ed25519';
import { canonicalize } from './jcs';

export const TX_DOMAIN = 'godown-tx/v1\n';
export const LOGIN_DOMAIN = 'godown-login/v1\n';
export const INVITATION_DOMAIN = 'godown-invitation/v1\n';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type TxBody = { [key: string]: JsonValue };

export interface Transaction {
  origin: string;
  type: string;
  nonce: string;
  body: TxBody;
}

/** The detached signature every mutation takes (SignatureInput in the schema). */
export interface DetachedSignature {
  key: string;
  nonce: string;
  signature: string;
}

/** 16 random bytes in base64url: unique per key without any state to keep. */
export function newNonce(): string {
  return toBase64Url(randomBytes(16));
}

export function buildTx(origin: string, type: string, body: TxBody, nonce: string = newNonce()): Transaction {
  return { origin, type, nonce, body };
}

/** The bytes a member signs: `godown-tx/v1\n` then JCS(transaction). */
export function txSigningBytes(tx: Transaction): Bytes {
  return concat(utf8(TX_DOMAIN), utf8(canonicalize(tx)));
}

export async function signTx(key: CryptoKey, tx: Transaction): Promise<string> {
  return toBase64(await sign(key, txSigningBytes(tx)));
}

export async function verifyTxSignature(publicKey: string, tx: Transaction, signature: string): Promise<boolean> {
  try {
    return await verify(fromBase64(publicKey), fromBase64(signature), txSigningBytes(tx));
  } catch {
    return false;
  }
}

/** Builds and signs a transaction, returning what a mutation needs beside its input. */
export async function signTransaction(
  signer: { privateKey: CryptoKey; publicKey: string },
  origin: string,
  type: string,
  body: TxBody,
): Promise<{ tx: Transaction; signature: DetachedSignature }> {
  const tx = buildTx(origin, type, body);
  const signature = await signTx(signer.privateKey, tx);
  return { tx, signature: { key: signer.publicKey, nonce: tx.nonce, signature } };
}

export function loginMessage(origin: string, challenge: string): Bytes {
  return utf8(`${LOGIN_DOMAIN}${origin}\n${challenge}`);
}

export function invitationMessage(origin: string, token: string): Bytes {
  return utf8(`${INVITATION_DOMAIN}${origin}\n${token}`);
}

export async function signMessage(key: CryptoKey, message: Uint8Array): Promise<string> {
  return toBase64(await sign(key, message));
}
