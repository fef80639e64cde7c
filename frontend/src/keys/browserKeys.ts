/** Making, importing and backing up the keys this browser holds. */

import { generateKey, importPkcs8 } from '../crypto/ed25519';
import { keyStore, type StoredKey } from '../crypto/keystore';
import { derToPem, pemToDer } from '../crypto/pem';

export interface MadeKey {
  record: StoredKey;
  /** The backup, PKCS#8 PEM as `openssl genpkey -algorithm ed25519` writes it; never stored. */
  backupPem: string;
}

/** Makes a key, stores it non-extractable, and hands back the one copy of its backup. */
export async function makeBrowserKey(userId: string | null): Promise<MadeKey> {
  const made = await generateKey();
  const record: StoredKey = {
    publicKey: made.publicKey,
    privateKey: made.privateKey,
    userId,
    createdAt: Date.now(),
    source: 'generated',
  };
  await keyStore().put(record);
  return { record, backupPem: derToPem(made.pkcs8) };
}

/** Imports PKCS#8 DER as a non-extractable key, keeping any user already known for it. */
export async function importKeyDer(der: Uint8Array, userId: string | null, source: StoredKey['source']): Promise<StoredKey> {
  const { privateKey, publicKey } = await importPkcs8(der);
  const existing = await keyStore().get(publicKey);
  const record: StoredKey = {
    publicKey,
    privateKey,
    userId: userId ?? existing?.userId ?? null,
    createdAt: existing?.createdAt ?? Date.now(),
    source: existing?.source ?? source,
  };
  await keyStore().put(record);
  return record;
}

export async function importBackupFile(file: File, userId: string | null): Promise<StoredKey> {
  return importKeyDer(pemToDer(await file.text()), userId, 'imported');
}

/** A file name for the backup that says whose key it is and which one. */
export function backupFileName(userId: string | null, publicKey: string): string {
  const tag = publicKey.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
  return `godown-${userId ?? 'key'}-${tag}.pem`;
}
