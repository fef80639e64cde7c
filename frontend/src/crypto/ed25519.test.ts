import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64';
import { utf8 } from './bytes';
import { generateKey, importPkcs8, publicKeyBytes, sign, verify } from './ed25519';
import { KeyStore } from './keystore';
import { derToPem, pemToDer } from './pem';
import { vectorText } from './testing/vectors';

describe('key material', () => {
  it('derives the public key of each vector PEM key, and it matches the vector entries', async () => {
    const signers = new Set(
      vectorText('godown/entries.jsonl')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => (JSON.parse(l) as { key: string }).key),
    );
    const derived = await Promise.all(
      ['warehouse', 'sme', 'bank'].map(async (n) => (await importPkcs8(pemToDer(vectorText(`godown/keys/${n}.pem`)))).publicKey),
    );
    expect(new Set(derived)).toEqual(signers);
  });

  it('imports PKCS#8 as non-extractable', async () => {
    const { privateKey } = await importPkcs8(pemToDer(vectorText('godown/keys/sme.pem')));
    expect(privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('jwk', privateKey)).rejects.toThrow();
  });

  it('makes a key whose backup re-imports to the same public key, and signs only non-extractably', async () => {
    const made = await generateKey();
    expect(made.privateKey.extractable).toBe(false);
    expect(made.pkcs8).toHaveLength(48);
    expect(publicKeyBytes(made.publicKey)).toHaveLength(32);
    const pem = derToPem(made.pkcs8);
    expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    const again = await importPkcs8(pemToDer(pem));
    expect(again.publicKey).toBe(made.publicKey);
    const sig = await sign(made.privateKey, utf8('m'));
    expect(await verify(fromBase64(made.publicKey), sig, utf8('m'))).toBe(true);
    expect(await verify(fromBase64(made.publicKey), sig, utf8('n'))).toBe(false);
    // Ed25519 is deterministic: the re-imported backup signs the same bytes.
    expect(toBase64(await sign(again.privateKey, utf8('m')))).toBe(toBase64(sig));
  });

  it('refuses what is not an Ed25519 PKCS#8 key', async () => {
    await expect(importPkcs8(new Uint8Array(48))).rejects.toThrow();
    expect(() => publicKeyBytes('AAAA')).toThrow();
    expect(await verify(new Uint8Array(31), new Uint8Array(64), utf8('m'))).toBe(false);
  });
});

describe('the key store', () => {
  it('keeps non-extractable keys across openings, per user', async () => {
    const factory = new IDBFactory();
    const store = new KeyStore(factory);
    const a = await generateKey();
    const b = await importPkcs8(pemToDer(vectorText('godown/keys/bank.pem')));
    await store.put({ publicKey: a.publicKey, privateKey: a.privateKey, userId: 'sme-a.wang', createdAt: 1, source: 'generated' });
    await store.put({ publicKey: b.publicKey, privateKey: b.privateKey, userId: null, createdAt: 2, source: 'imported' });
    store.close();

    const reopened = new KeyStore(factory);
    const all = await reopened.list();
    expect(all.map((k) => k.publicKey)).toEqual([a.publicKey, b.publicKey]);
    const stored = await reopened.get(a.publicKey);
    expect(stored?.privateKey.extractable).toBe(false);
    const sig = await sign(stored?.privateKey as CryptoKey, utf8('hello'));
    expect(await verify(fromBase64(a.publicKey), sig, utf8('hello'))).toBe(true);

    expect((await reopened.listForUser('sme-a.wang')).map((k) => k.publicKey)).toEqual([a.publicKey]);
    await reopened.assignUser(b.publicKey, 'bank-a.li');
    expect((await reopened.get(b.publicKey))?.userId).toBe('bank-a.li');
    await reopened.delete(a.publicKey);
    expect(await reopened.get(a.publicKey)).toBeUndefined();
  });

  it('refuses to store an extractable key', async () => {
    const store = new KeyStore(new IDBFactory());
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    await expect(
      store.put({ publicKey: 'x', privateKey: pair.privateKey, userId: null, createdAt: 0, source: 'generated' }),
    ).rejects.toThrow();
  });
});
