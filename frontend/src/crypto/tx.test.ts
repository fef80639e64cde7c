import { describe, expect, it } from 'vitest';
import { fromBase64, fromBase64Url, toBase64 } from './base64';
import { fromUtf8, utf8 } from './bytes';
import { importPkcs8, verify } from './ed25519';
import { canonicalize } from './jcs';
import { pemToDer } from './pem';
import { vectorText } from './testing/vectors';
import {
  type Transaction,
  buildTx,
  invitationMessage,
  loginMessage,
  newNonce,
  signMessage,
  signTransaction,
  signTx,
  txSigningBytes,
  verifyTxSignature,
} from './tx';

interface VectorEntry {
  key: string;
  sig: string;
  tx: Transaction;
}

const entries = vectorText('godown/entries.jsonl')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as VectorEntry);

async function vectorKeys(): Promise<Map<string, CryptoKey>> {
  const keys = new Map<string, CryptoKey>();
  for (const name of ['warehouse', 'sme', 'bank']) {
    const { privateKey, publicKey } = await importPkcs8(pemToDer(vectorText(`godown/keys/${name}.pem`)));
    keys.set(publicKey, privateKey);
  }
  return keys;
}

describe('transactions', () => {
  it('re-signing every vector transaction with its PEM key reproduces the vector signature', async () => {
    const keys = await vectorKeys();
    expect(entries).toHaveLength(5);
    for (const entry of entries) {
      const key = keys.get(entry.key);
      expect(key, `a PEM key for ${entry.key}`).toBeDefined();
      expect(await signTx(key as CryptoKey, entry.tx)).toBe(entry.sig);
      expect(await verifyTxSignature(entry.key, entry.tx, entry.sig)).toBe(true);
    }
  });

  it('signs the domain string, a newline, then JCS(tx)', () => {
    const tx = buildTx('o', 't', { b: '1', a: ['x'] }, 'n');
    expect(fromUtf8(txSigningBytes(tx))).toBe('godown-tx/v1\n{"body":{"a":["x"],"b":"1"},"nonce":"n","origin":"o","type":"t"}');
  });

  it('makes 16-byte base64url nonces that differ', () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fromBase64Url(a)).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });

  it('returns the detached signature a mutation takes, and it verifies', async () => {
    const keys = await vectorKeys();
    const [publicKey, privateKey] = [...keys.entries()][0] as [string, CryptoKey];
    const { tx, signature } = await signTransaction({ privateKey, publicKey }, 'godown.example/vectors', 'key.enrol', {
      user: 'u',
      key: publicKey,
      device: 'Firefox',
    });
    expect(signature.key).toBe(publicKey);
    expect(signature.nonce).toBe(tx.nonce);
    expect(await verifyTxSignature(publicKey, tx, signature.signature)).toBe(true);
    expect(await verifyTxSignature(publicKey, { ...tx, nonce: 'other' }, signature.signature)).toBe(false);
  });

  it('refuses to sign a transaction holding a float', async () => {
    const keys = await vectorKeys();
    const privateKey = [...keys.values()][0] as CryptoKey;
    await expect(signTx(privateKey, buildTx('o', 't', { amount: 1.5 }))).rejects.toThrow();
    expect(() => canonicalize(buildTx('o', 't', { amount: 1.5 }))).toThrow();
  });

  it('builds the login and invitation messages', async () => {
    expect(fromUtf8(loginMessage('godown.example/vectors', 'Y2hhbA=='))).toBe('godown-login/v1\ngodown.example/vectors\nY2hhbA==');
    expect(fromUtf8(invitationMessage('o', 'tok'))).toBe('godown-invitation/v1\no\ntok');
    const keys = await vectorKeys();
    const [publicKey, privateKey] = [...keys.entries()][1] as [string, CryptoKey];
    const sig = await signMessage(privateKey, loginMessage('o', 'c'));
    expect(await verify(fromBase64(publicKey), fromBase64(sig), utf8('godown-login/v1\no\nc'))).toBe(true);
    expect(toBase64(fromBase64(sig))).toBe(sig);
  });
});
