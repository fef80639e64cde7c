/**
 * Keys kept in this browser's IndexedDB. The private key is stored as a
 * non-extractable CryptoKey (IndexedDB keeps CryptoKeys by structured clone),
 * so script running in the page can sign with it but never read it out.
 */

const DB_NAME = 'godown-keys';
const DB_VERSION = 1;
const STORE = 'keys';

export interface StoredKey {
  /** Standard base64 of the public key; the record's identity. */
  publicKey: string;
  privateKey: CryptoKey;
  /** The user the key belongs to; null until a sign-in tells us (an imported backup). */
  userId: string | null;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Where the key came from, shown beside it. */
  source: 'generated' | 'imported' | 'demo';
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export class KeyStore {
  private db: Promise<IDBDatabase> | null = null;

  constructor(private readonly factory: IDBFactory = globalThis.indexedDB) {}

  private open(): Promise<IDBDatabase> {
    if (!this.db) {
      const req = this.factory.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(STORE)) {
          const store = db.createObjectStore(STORE, { keyPath: 'publicKey' });
          store.createIndex('userId', 'userId', { unique: false });
        }
      };
      this.db = request(req);
    }
    return this.db;
  }

  async put(record: StoredKey): Promise<void> {
    if (record.privateKey.extractable) {
      throw new Error('only non-extractable keys are stored');
    }
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(record);
    await done(tx);
  }

  async get(publicKey: string): Promise<StoredKey | undefined> {
    const db = await this.open();
    return request<StoredKey | undefined>(db.transaction(STORE).objectStore(STORE).get(publicKey));
  }

  async list(): Promise<StoredKey[]> {
    const db = await this.open();
    const all = await request<StoredKey[]>(db.transaction(STORE).objectStore(STORE).getAll());
    return all.sort((a, b) => a.createdAt - b.createdAt);
  }

  async listForUser(userId: string): Promise<StoredKey[]> {
    return (await this.list()).filter((k) => k.userId === userId);
  }

  /** Records whose key a sign-in proved to belong to `userId`. */
  async assignUser(publicKey: string, userId: string): Promise<void> {
    const record = await this.get(publicKey);
    if (record && record.userId !== userId) await this.put({ ...record, userId });
  }

  async delete(publicKey: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(publicKey);
    await done(tx);
  }

  close(): void {
    void this.db?.then((db) => db.close());
    this.db = null;
  }
}

let shared: KeyStore | null = null;

/** The page's key store, over the browser's IndexedDB. */
export function keyStore(): KeyStore {
  shared ??= new KeyStore();
  return shared;
}
