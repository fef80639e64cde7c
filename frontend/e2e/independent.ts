/**
 * Checks made in Node, apart from the dashboard's own code, so that a bug
 * shared by the page and its verifier cannot make both agree on a wrong
 * answer: Ed25519 with node:crypto, a direct GraphQL client, and readers for
 * the proof file and the demo node's e-mail.
 */

import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

/** Standard base64 of the raw public key of a PKCS#8 Ed25519 private key (base64 DER). */
export function publicKeyOfPkcs8(pkcs8: string): string {
  const jwk = createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

export function verifyEd25519(publicKey: string, message: string | Uint8Array, signature: string): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') }, format: 'jwk' });
  return verify(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, key, Buffer.from(signature, 'base64'));
}

/** An Ed25519 signature, standard base64, by a PKCS#8 private key (base64 DER): for signing as a demo user from outside the page. */
export function signEd25519(pkcs8: string, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' })).toString('base64');
}

/** RFC 8785 for the values a membership transaction holds: ordering by UTF-16 code units is JS's default sort. */
export function jcs(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${jcs(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** RFC 6962 leaf hash, standard base64. */
export function leafHash(entry: string): string {
  return createHash('sha256').update(Buffer.from([0])).update(Buffer.from(entry, 'utf8')).digest('base64');
}

/** RFC 6962 interior node hash. */
function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2), standard base64;
 * null when the proof cannot be for that index and size.
 */
export function rootFromInclusion(index: number, size: number, leaf: string, hashes: readonly string[]): string | null {
  if (index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf, 'base64');
  for (const h of hashes) {
    const p = Buffer.from(h, 'base64');
    if (sn === 0 || p.length !== 32) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r.toString('base64') : null;
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: string;
}

/**
 * A C2SP checkpoint signed by the log key `vkey` (name+keyid+base64(0x01 ||
 * key), docs/FORMATS.md); null when no signature line of that key verifies.
 */
export function verifyCheckpoint(note: string, vkey: string): Checkpoint | null {
  const [name = '', keyId = '', ...rest] = vkey.trim().split('+');
  const key = Buffer.from(rest.join('+'), 'base64');
  if (key.length !== 33 || key[0] !== 0x01) return null;
  const publicKey = key.subarray(1);
  const id = createHash('sha256').update(Buffer.from(`${name}\n`, 'utf8')).update(key).digest().subarray(0, 4);
  if (id.toString('hex') !== keyId) return null;
  const blank = note.indexOf('\n\n');
  if (blank < 0) return null;
  const body = note.slice(0, blank + 1);
  const signed = note
    .slice(blank + 2)
    .split('\n')
    .some((line) => {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m || m[1] !== name) return false;
      const sig = Buffer.from(m[2] ?? '', 'base64');
      return sig.length === 68 && sig.subarray(0, 4).equals(id) && verifyEd25519(publicKey.toString('base64'), body, sig.subarray(4).toString('base64'));
    });
  if (!signed) return null;
  const [origin = '', size = '', root = ''] = body.split('\n');
  if (origin !== name || !/^[0-9]+$/.test(size)) return null;
  return { origin, size: Number(size), root };
}

export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export interface TlogProofFile {
  entry: string;
  index: number;
  hashes: string[];
  checkpoint: { origin: string; size: number; root: string; note: string };
}

/** Reads a c2sp.org/tlog-proof@v1 file whose extra line carries the entry (docs/FORMATS.md). */
export function parseTlogProof(text: string): TlogProofFile {
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw new Error('a tlog-proof has a blank line before its checkpoint');
  const [magic, extra, indexLine, ...hashes] = text.slice(0, blank).split('\n');
  if (magic !== 'c2sp.org/tlog-proof@v1') throw new Error(`not a tlog-proof@v1: ${magic}`);
  if (!extra?.startsWith('extra ')) throw new Error('the proof carries no entry');
  const index = /^index (\d+)$/.exec(indexLine ?? '');
  if (!index?.[1]) throw new Error(`no index line: ${indexLine}`);
  const note = text.slice(blank + 2);
  const [origin, size, root] = note.split('\n');
  return {
    entry: Buffer.from(extra.slice('extra '.length), 'base64').toString('utf8'),
    index: Number(index[1]),
    hashes,
    checkpoint: { origin: origin ?? '', size: Number(size), root: root ?? '', note },
  };
}

/** The keys an offline check trusts, as a node lists them at `GET /vkeys`: the log's first, then each witness's. */
export interface TrustedKeys {
  log: string;
  witnesses: string[];
}

export async function trustedKeys(baseUrl: string): Promise<TrustedKeys> {
  const res = await fetch(`${baseUrl}/vkeys`);
  if (!res.ok) throw new Error(`GET /vkeys: ${res.status}`);
  const [log = '', ...witnesses] = (await res.text()).split('\n').filter((line) => line !== '');
  return { log, witnesses };
}

/**
 * The cosignature lines of a tlog-proof's checkpoint by the witnesses whose
 * vkeys are given: a signature line of a key name other than theirs, the
 * log's own included, is no witness's word.
 */
export function witnessCosignatures(tlogProof: string, witnessVkeys: readonly string[]): string[] {
  const names = new Set(witnessVkeys.map((v) => v.split('+')[0]));
  const note = tlogProof.slice(tlogProof.indexOf('\n\n') + 2);
  const signatures = note.slice(note.indexOf('\n\n') + 2).split('\n');
  return signatures.filter((line) => {
    const name = /^\u2014 (\S+) \S+$/.exec(line)?.[1];
    return name !== undefined && names.has(name);
  });
}

export async function graphql<T>(baseUrl: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!res.ok || body.errors?.length || !body.data) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

export interface DemoUser {
  user: string;
  name: string;
  org: string;
  orgName: string;
  roles: string[];
  pkcs8: string;
}

export async function demoUsers(baseUrl: string): Promise<DemoUser[]> {
  const res = await fetch(`${baseUrl}/demo/users`);
  if (!res.ok) throw new Error(`GET /demo/users: ${res.status}`);
  return (await res.json()) as DemoUser[];
}

/** The enrolment link in an invitation e-mail to `to`, read from its text part. */
export function invitationLink(messages: readonly string[], to: string): string | null {
  for (const message of messages) {
    if (!new RegExp(`^To: .*${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm').test(message)) continue;
    // The parts may be base64 or plain; decode every base64 block and search all the text.
    const texts = [message];
    for (const block of message.split(/\r?\n\r?\n/)) {
      const compact = block
        .split(/\r?\n/)
        .filter((line) => !line.startsWith('--'))
        .join('')
        .trim();
      if (/^[A-Za-z0-9+/]+=*$/.test(compact) && compact.length % 4 === 0) texts.push(Buffer.from(compact, 'base64').toString('utf8'));
    }
    for (const text of texts) {
      const m = /https?:\/\/[^\s"'<>/]+\/enrol\?invitation=[A-Za-z0-9_%.~-]+/.exec(text);
      if (m) return m[0];
    }
  }
  return null;
}

/** i18next-style `{{name}}` interpolation, to state expected text from the catalogues. */
export function interpolate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k] ?? `{{${k}}}`));
}
