/**
 * A stand-in for `godown serve` in the page tests: it speaks the routes and
 * GraphQL operations of docs/API.md and, like the node, rebuilds each
 * transaction from the GraphQL input and checks the signature over it.
 */

import { fromBase64, toBase64, toBase64Url } from '../crypto/base64';
import { randomBytes, utf8 } from '../crypto/bytes';
import { verify } from '../crypto/ed25519';
import { leafHash, nodeHash } from '../crypto/merkle';
import { parseTlogProof } from '../crypto/proof';
import { invitationMessage, loginMessage, txSigningBytes, type TxBody } from '../crypto/tx';
import { vectorText } from '../crypto/testing/vectors';
import { type MockLoan, type MockPrice, handleFinancing } from './mockLoans';

export const ORIGIN = 'godown.example/vectors';

export interface MockUser {
  id: string;
  name: string;
  org: string;
  roles: string[];
  keys: { key: string; status: 'PENDING' | 'ACTIVE' | 'REVOKED'; device: string | null; enrolledAt: number }[];
  /** For the demo list: base64 PKCS#8 DER. */
  pkcs8?: string;
}

export interface RecordedTx {
  operation: string;
  type: string;
  body: TxBody;
  key: string;
  email?: string | null;
}

interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function gqlError(code: string, message: string): Response {
  return json({ data: null, errors: [{ message, extensions: { code } }] });
}

function token(user: string, org: string, scope: string): string {
  const part = (o: unknown) => toBase64Url(utf8(JSON.stringify(o)));
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: user, org, scope, exp: Math.floor(Date.now() / 1000) + 900 })}.c2ln`;
}

const lower = (r: unknown) => String(r).toLowerCase();

type Input = Record<string, unknown>;
const str = (v: unknown) => v as string;
const money = (m: unknown) => ({ currency: str((m as Input).currency), value: str((m as Input).value) });

/**
 * How the node rebuilds each receipts transaction from its GraphQL input:
 * written apart from the browser's body builders, so that a mismatch between
 * the two fails the signature check.
 */
const RECEIPT_REBUILD: Record<string, { type: string; body: (i: Input) => TxBody }> = {
  ReceiveGoods: {
    type: 'lot.receive',
    body: (i) => ({
      lot: str(i.lot),
      depositor: str(i.depositor),
      commodity: str(i.commodity),
      hs_code: str(i.hsCode),
      grade: str(i.grade),
      quantity: str(i.quantity),
      unit: str(i.unit),
      packaging: str(i.packaging),
      pieces: i.pieces as number,
      marks: str(i.marks),
      location: str(i.location),
      documents: i.documents as string[],
    }),
  },
  CertifyLot: { type: 'lot.certify', body: (i) => ({ lot: str(i.lot), grade: str(i.grade), quantity: str(i.quantity), certificate: str(i.certificate) }) },
  CountStock: { type: 'lot.count', body: (i) => ({ lot: str(i.lot), counted: str(i.counted) }) },
  AdjustStock: { type: 'lot.adjust', body: (i) => ({ lot: str(i.lot), quantity: str(i.quantity), reason: str(i.reason) }) },
  DraftReceipt: {
    type: 'receipt.draft',
    body: (i) => {
      const terms = i.terms as Input;
      const ins = terms.insurance as Input | null | undefined;
      return {
        receipt: str(i.receipt),
        lot: str(i.lot),
        number: str(i.number),
        quantity: str(i.quantity),
        pieces: i.pieces as number,
        terms: {
          loss_allowance: str(terms.lossAllowance),
          storage_from: str(terms.storageFrom),
          storage_until: str(terms.storageUntil),
          storage_fee: money(terms.storageFee),
          fee_basis: str(terms.feeBasis),
          insurance: ins ? { insurer: str(ins.insurer), amount: money(ins.amount), from: str(ins.from), until: str(ins.until) } : null,
          issue_place: str(terms.issuePlace),
        },
      };
    },
  },
  IssueReceipt: { type: 'receipt.issue', body: (i) => ({ receipt: str(i.receipt) }) },
  DiscardDraft: { type: 'receipt.discard', body: (i) => ({ receipt: str(i.receipt), reason: str(i.reason) }) },
  EndorseReceipt: { type: 'receipt.endorse', body: (i) => ({ receipt: str(i.receipt), to: str(i.to) }) },
  CountersignTransfer: { type: 'receipt.countersign', body: (i) => ({ receipt: str(i.receipt) }) },
  CancelReceiptRequest: { type: 'receipt.cancel_request', body: (i) => ({ receipt: str(i.receipt) }) },
  SplitReceipt: {
    type: 'receipt.split',
    body: (i) => ({
      receipt: str(i.receipt),
      parts: (i.parts as Input[]).map((p) => ({ receipt: str(p.receipt), quantity: str(p.quantity), pieces: p.pieces as number })),
    }),
  },
  MergeReceipts: { type: 'receipt.merge', body: (i) => ({ receipts: i.receipts as string[], into: str(i.into) }) },
  RequestRedemption: { type: 'receipt.request_redemption', body: (i) => ({ receipt: str(i.receipt), quantity: str(i.quantity), pieces: i.pieces as number }) },
  ConfirmRedemption: { type: 'receipt.confirm_redemption', body: (i) => ({ receipt: str(i.receipt) }) },
  EncumberReceipt: { type: 'receipt.encumber', body: (i) => ({ receipt: str(i.receipt), pledgee: str(i.pledgee), reference: str(i.reference) }) },
  LiftEncumbrance: { type: 'receipt.lift', body: (i) => ({ receipt: str(i.receipt) }) },
};

/** A lot as the stand-in keeps it. */
export interface MockLot {
  id: string;
  warehouse: string;
  depositor: string;
  commodity: string;
  hsCode: string;
  grade: string;
  unit: string;
  onHand: string;
  pieces: number;
  packaging: string;
  marks: string;
  location: string;
  documents: string[];
}

/** A receipt as the stand-in keeps it; the GraphQL shape is filled in on the way out. */
export interface MockReceipt {
  id: string;
  number: string;
  lot: string;
  holder: string;
  quantity: string;
  pieces: number;
  status: 'DRAFT' | 'DISCARDED' | 'LIVE' | 'EXPIRED' | 'CANCELLED' | 'REDEEMED';
  terms: Record<string, unknown>;
  draftedBy: string;
  issuedBy: string | null;
  pendingTransfer: { to: string; at: number } | null;
  encumbrance: { holder: string; reference: string; kind: 'PENDING' | 'ACTIVE'; since: number } | null;
  parents: string[];
  children: string[];
}

/** Scaled integer arithmetic for the stand-in's sums (three decimals). */
const milli = (v: string) => {
  const [w = '0', f = ''] = v.split('.');
  return BigInt(w) * 1000n + BigInt(f.padEnd(3, '0').slice(0, 3) || '0');
};

/** RFC 6962 tree hash and inclusion path over leaf hashes. */
async function treeHash(leaves: Uint8Array[]): Promise<Uint8Array> {
  if (leaves.length === 1) return leaves[0] as Uint8Array;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(await treeHash(leaves.slice(0, k)), await treeHash(leaves.slice(k)));
}

export async function inclusionPath(m: number, leaves: Uint8Array[]): Promise<Uint8Array[]> {
  if (leaves.length <= 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k
    ? [...(await inclusionPath(m, leaves.slice(0, k))), await treeHash(leaves.slice(k))]
    : [...(await inclusionPath(m - k, leaves.slice(k))), await treeHash(leaves.slice(0, k))];
}

/** Organisation kinds by id, for ids the test does not name: by prefix, else a bank. */
function kindOf(org: string, kinds: Record<string, string>): string {
  if (kinds[org]) return kinds[org] as string;
  if (org.startsWith('sme')) return 'SME';
  if (org.startsWith('wh')) return 'WAREHOUSE';
  if (org.startsWith('insp')) return 'INSPECTOR';
  return 'BANK';
}

/** How the node rebuilds each membership transaction from its GraphQL input. */
const REBUILD: Record<string, { type: string; body: (i: Record<string, unknown>) => TxBody }> = {
  EnrolKey: { type: 'key.enrol', body: (i) => ({ user: i.user as string, key: i.key as string, device: i.device as string }) },
  ApproveKey: { type: 'key.approve', body: (i) => ({ user: i.user as string, key: i.key as string }) },
  InviteUser: {
    type: 'user.invite',
    body: (i) => ({ org: i.org as string, user: i.user as string, name: i.name as string, roles: (i.roles as string[]).map(lower) }),
  },
  GrantRole: { type: 'role.grant', body: (i) => ({ user: i.user as string, role: lower(i.role) }) },
  RevokeRole: { type: 'role.revoke', body: (i) => ({ user: i.user as string, role: lower(i.role) }) },
  RevokeKey: { type: 'key.revoke', body: (i) => ({ key: i.key as string, reason: i.reason as string }) },
};

export class MockNode {
  users: MockUser[];
  demo = true;
  recorded: RecordedTx[] = [];
  /** Overrides for the proof answer, to test refusals. */
  proofTamper: ((proof: Record<string, unknown>) => Record<string, unknown>) | null = null;
  /** Overrides for the public receipt check, to test refusals. */
  checkTamper: ((check: Record<string, unknown>) => Record<string, unknown>) | null = null;
  /** Organisation kinds, where an id's prefix does not say. */
  orgKinds: Record<string, string> = {};
  /** Organisations beside those of the users. */
  extraOrgs: string[] = [];
  lots: MockLot[] = [];
  receipts: MockReceipt[] = [];
  loans: MockLoan[] = [];
  prices: MockPrice[] = [];
  /** Uploaded documents by SHA-256 hex. */
  documents = new Map<string, Uint8Array>();
  private challenges = new Set<string>();
  private sessions = new Map<string, { user: string; key: string; scope: string }>();
  private invitations = new Map<string, string>();
  private nonces = new Set<string>();
  readonly entries = vectorText('godown/entries.jsonl').split('\n').filter((l) => l !== '');
  readonly checkpoint = vectorText('godown/checkpoint.cosigned');
  readonly logVkey = vectorText('godown/log.vkey').trim();
  readonly witnessVkey = vectorText('godown/witness.vkey').trim();

  constructor(users: MockUser[]) {
    this.users = users;
  }

  invite(tokenValue: string, user: string): void {
    this.invitations.set(tokenValue, user);
  }

  private userOfKey(key: string): MockUser | undefined {
    return this.users.find((u) => u.keys.some((k) => k.key === key));
  }

  private caller(req: Request) {
    const auth = req.headers.get('Authorization') ?? '';
    return this.sessions.get(auth.replace(/^Bearer /, ''));
  }

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(new URL(String(input), 'http://node.test'), init);
    const path = new URL(req.url).pathname;
    if (path === '/graphql') return this.graphql(req, (await req.json()) as GraphQLBody);
    if (path === '/documents' && req.method === 'POST') {
      if (!this.caller(req)) return json({ error: { code: 'UNAUTHENTICATED', message: 'no session' } }, 401);
      // A jsdom File is no Blob to Node's Request: read it from the init as given.
      const raw = init?.body as Blob | null | undefined;
      const bytes = new Uint8Array(raw && typeof raw.arrayBuffer === 'function' ? await raw.arrayBuffer() : await req.arrayBuffer());
      const hash = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
      this.documents.set(hash, bytes);
      return json({ sha256: hash });
    }
    if (path === '/demo/users') {
      if (!this.demo) return json({ error: { code: 'NOT_FOUND', message: 'not a demo' } }, 404);
      return json(
        this.users
          .filter((u) => u.pkcs8)
          .map((u) => ({ user: u.id, name: u.name, org: u.org, orgName: u.org.toUpperCase(), roles: u.roles, key: u.keys[0]?.key, pkcs8: u.pkcs8 })),
      );
    }
    if (path === '/auth/challenge') {
      const challenge = toBase64(randomBytes(32));
      this.challenges.add(challenge);
      return json({ challenge, expiresAt: new Date(Date.now() + 120_000).toISOString() });
    }
    if (path === '/auth/login') {
      const { key, challenge, signature } = (await req.json()) as Record<string, string>;
      if (!this.challenges.delete(challenge ?? '')) return json({ error: { code: 'UNAUTHENTICATED', message: 'unknown challenge' } }, 401);
      const user = this.userOfKey(key ?? '');
      const active = user?.keys.find((k) => k.key === key)?.status === 'ACTIVE';
      if (!user || !active) return json({ error: { code: 'KEY_NOT_ACTIVE', message: 'key not active' } }, 403);
      const ok = await verify(fromBase64(key as string), fromBase64(signature as string), loginMessage(ORIGIN, challenge as string));
      if (!ok) return json({ error: { code: 'BAD_SIGNATURE', message: 'bad signature' } }, 401);
      const t = token(user.id, user.org, 'full');
      this.sessions.set(t, { user: user.id, key: key as string, scope: 'full' });
      return json({ token: t, expiresAt: new Date(Date.now() + 900_000).toISOString(), user: user.id, org: user.org });
    }
    if (path === '/auth/invitation') {
      const { token: inv, key, signature } = (await req.json()) as Record<string, string>;
      const userId = this.invitations.get(inv ?? '');
      if (!userId) return json({ error: { code: 'NOT_FOUND', message: 'no such invitation' } }, 403);
      const ok = await verify(fromBase64(key as string), fromBase64(signature as string), invitationMessage(ORIGIN, inv as string));
      if (!ok) return json({ error: { code: 'BAD_SIGNATURE', message: 'bad signature' } }, 401);
      const user = this.users.find((u) => u.id === userId) as MockUser;
      const t = token(user.id, user.org, 'enrol');
      this.sessions.set(t, { user: user.id, key: key as string, scope: 'enrol' });
      return json({ token: t, expiresAt: new Date(Date.now() + 900_000).toISOString(), user: user.id, org: user.org });
    }
    if (path === '/auth/refresh') {
      const s = this.caller(req);
      if (!s) return json({ error: { code: 'UNAUTHENTICATED', message: 'no session' } }, 401);
      const user = this.users.find((u) => u.id === s.user) as MockUser;
      const t = token(user.id, user.org, s.scope);
      this.sessions.set(t, s);
      return json({ token: t, expiresAt: new Date(Date.now() + 900_000).toISOString() });
    }
    return new Response('not found', { status: 404 });
  };

  private entryNode(index: number) {
    const text = this.entries[index] as string;
    const entry = JSON.parse(text) as { key: string; tx: { type: string } };
    return { index, leafHash: '', visible: true, type: entry.tx.type, time: '2026-05-22T08:00:00.000Z', signer: entry.key, entry: text };
  }

  private member(u: MockUser) {
    return {
      id: u.id,
      name: u.name,
      organisation: u.org,
      status: 'ACTIVE',
      roles: u.roles.map((r) => r.toUpperCase()),
      keys: u.keys.map((k) => ({ ...k, user: u.id, activatedAt: k.status === 'ACTIVE' ? k.enrolledAt : null, revokedAt: null })),
    };
  }

  private async graphql(req: Request, body: GraphQLBody): Promise<Response> {
    const operation = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(body.query)?.[1] ?? '';
    const vars = body.variables ?? {};
    if (operation === 'LedgerInfo') {
      return json({ data: { ledger: { origin: ORIGIN, logVkey: this.logVkey, witnessVkeys: [this.witnessVkey], size: 5, demo: this.demo } } });
    }
    if (operation === 'ReceiptCheck') return this.receiptCheck(String(vars.id));
    const caller = this.caller(req);
    if (!caller) return gqlError('UNAUTHENTICATED', 'no token');
    if (caller.scope === 'enrol' && operation !== 'EnrolKey') return gqlError('FORBIDDEN', 'enrol scope');
    const me = this.users.find((u) => u.id === caller.user) as MockUser;

    switch (operation) {
      case 'Me':
        return json({
          data: {
            me: { key: caller.key, scope: caller.scope, user: this.member(me), organisation: { id: me.org, name: me.org.toUpperCase(), kind: kindOf(me.org, this.orgKinds), status: 'ACTIVE' } },
          },
        });
      case 'Organisation':
        return json({
          data: {
            organisation: {
              id: vars.id,
              name: String(vars.id).toUpperCase(),
              kind: kindOf(String(vars.id), this.orgKinds),
              status: 'ACTIVE',
              admittedAt: 0,
              members: this.users.filter((u) => u.org === vars.id).map((u) => this.member(u)),
            },
          },
        });
      case 'Checkpoint':
        return json({ data: { checkpoint: { origin: ORIGIN, size: 5, root: 'wOEtYHI4hj2SFnWaley9ZFpEj/dyS1UaxG784w5n4Rk=', note: this.checkpoint } } });
      case 'Entries': {
        const nodes = this.entries.map((_, i) => this.entryNode(i));
        // Entries of other organisations show only index and leaf hash.
        nodes[0] = { index: 0, leafHash: 'AAAA', visible: false, type: null as unknown as string, time: null as unknown as string, signer: null as unknown as string, entry: null as unknown as string };
        return json({
          data: {
            entries: {
              pageInfo: { hasPreviousPage: false, startCursor: 'c0' },
              edges: nodes.map((node, i) => ({ cursor: `c${i}`, node })),
            },
          },
        });
      }
      case 'Proof': {
        const file = parseTlogProof(vectorText('godown/entry-2.tlog-proof'));
        if (vars.index !== 2) return gqlError('NOT_FOUND', 'no proof in this stand-in');
        let proof: Record<string, unknown> = {
          index: 2,
          treeSize: 5,
          leafHash: toBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array([0, ...(file.extra as Uint8Array)])))),
          hashes: file.hashes,
          checkpoint: file.checkpoint,
          entry: this.entries[2],
        };
        if (this.proofTamper) proof = this.proofTamper(proof);
        return json({ data: { proof } });
      }
      case 'Consistency':
        return json({ data: { consistency: [] } });
      case 'Organisations':
        return json({ data: { organisations: this.orgIds().map((id) => this.org(id)) } });
      case 'Lots':
        return json({ data: { lots: { nodes: this.lots.filter((l) => !vars.warehouse || l.warehouse === vars.warehouse).map((l) => this.lotNode(l)) } } });
      case 'Receipts': {
        const nodes = this.receipts
          .filter((r) => (vars.status ? r.status === vars.status : r.status !== 'DRAFT'))
          .filter((r) => !vars.holder || r.holder === vars.holder)
          .filter((r) => !vars.warehouse || this.lotOf(r).warehouse === vars.warehouse)
          .map((r) => this.receiptNode(r));
        return json({ data: { receipts: { nodes } } });
      }
      case 'ReceiptDetail': {
        const r = this.receipts.find((x) => x.id === vars.id);
        return json({ data: { receipt: r ? this.receiptNode(r) : null } });
      }
    }

    const financing = await handleFinancing(this, operation, vars, caller, me);
    if (financing) return financing;

    const receiptOp = RECEIPT_REBUILD[operation];
    if (receiptOp) return this.receiptMutation(operation, receiptOp, vars, caller, me);

    const rebuild = REBUILD[operation];
    if (!rebuild) return gqlError('BAD_REQUEST', `unknown operation ${operation}`);
    const input = vars.input as Record<string, unknown>;
    const sig = vars.signature as { key: string; nonce: string; signature: string };
    const tx = { origin: ORIGIN, type: rebuild.type, nonce: sig.nonce, body: rebuild.body(input) };
    if (!(await verify(fromBase64(sig.key), fromBase64(sig.signature), txSigningBytes(tx)))) {
      return gqlError('BAD_SIGNATURE', 'the signature does not verify');
    }
    if (this.nonces.has(`${sig.key}/${sig.nonce}`)) return gqlError('NONCE_REUSED', 'nonce reused');
    this.nonces.add(`${sig.key}/${sig.nonce}`);
    if (operation === 'EnrolKey') {
      if (sig.key !== input.key || input.user !== caller.user) return gqlError('WRONG_KEY', 'enrol with the key itself');
      me.keys.push({ key: input.key as string, status: 'PENDING', device: input.device as string, enrolledAt: this.entries.length });
    } else {
      if (sig.key !== caller.key) return gqlError('WRONG_KEY', 'not the session key');
      if (!me.roles.includes('admin')) return gqlError('FORBIDDEN', 'not an admin');
      if (operation === 'ApproveKey') {
        const k = this.users.find((u) => u.id === input.user)?.keys.find((x) => x.key === input.key);
        if (!k || k.status !== 'PENDING') return gqlError('INVALID_STATE', 'not pending');
        k.status = 'ACTIVE';
      }
      if (operation === 'RevokeRole' && input.role === 'ADMIN' && input.user === me.id) return gqlError('LAST_ADMIN', 'last admin');
    }
    this.recorded.push({ operation, type: rebuild.type, body: tx.body, key: sig.key, email: vars.email as string | null | undefined });
    const receipt = { index: this.entries.length + this.recorded.length - 1, leafHash: 'AAAA', time: '2026-05-22T08:00:00.000Z', type: rebuild.type };
    const field = operation.charAt(0).toLowerCase() + operation.slice(1);
    return json({ data: { [field]: receipt } });
  }

  private orgIds(): string[] {
    return [...new Set([...this.users.map((u) => u.org), ...this.extraOrgs])];
  }

  /**
   * Checks a mutation's detached signature over the transaction rebuilt
   * from its input, and its nonce, as the node does: null when it holds,
   * else the error to answer with.
   */
  async refuseSignature(type: string, body: TxBody, vars: Record<string, unknown>, caller: { key: string }): Promise<Response | null> {
    const sig = vars.signature as { key: string; nonce: string; signature: string };
    const tx = { origin: ORIGIN, type, nonce: sig.nonce, body };
    if (!(await verify(fromBase64(sig.key), fromBase64(sig.signature), txSigningBytes(tx)))) {
      return gqlError('BAD_SIGNATURE', 'the signature does not verify');
    }
    if (this.nonces.has(`${sig.key}/${sig.nonce}`)) return gqlError('NONCE_REUSED', 'nonce reused');
    this.nonces.add(`${sig.key}/${sig.nonce}`);
    if (sig.key !== caller.key) return gqlError('WRONG_KEY', 'not the session key');
    return null;
  }

  /** Records an accepted transaction and answers with where it landed. */
  accept(operation: string, type: string, body: TxBody, key: string): Response {
    this.recorded.push({ operation, type, body, key });
    const receipt = { index: this.nextIndex() - 1, leafHash: 'AAAA', time: '2026-05-22T08:00:00.000Z', type };
    const field = operation.charAt(0).toLowerCase() + operation.slice(1);
    return json({ data: { [field]: receipt } });
  }

  /** The index the next accepted transaction gets. */
  nextIndex(): number {
    return this.entries.length + this.recorded.length;
  }

  kindOf(org: string): string {
    return kindOf(org, this.orgKinds);
  }

  orgNode(id: string) {
    return this.org(id);
  }

  lotOfReceipt(r: MockReceipt): MockLot {
    return this.lotOf(r);
  }

  private org(id: string) {
    return { id, name: id.toUpperCase(), kind: kindOf(id, this.orgKinds), status: 'ACTIVE' };
  }

  private lotOf(r: MockReceipt): MockLot {
    return this.lots.find((l) => l.id === r.lot) as MockLot;
  }

  private receipted(lot: MockLot): bigint {
    return this.receipts.filter((r) => r.lot === lot.id && r.status === 'LIVE').reduce((n, r) => n + milli(r.quantity), 0n);
  }

  private lotNode(l: MockLot) {
    const q = (v: string) => ({ value: v, unit: l.unit });
    const fmt = (n: bigint) => `${n / 1000n}.${(n % 1000n).toString().padStart(3, '0')}`;
    const receipted = this.receipted(l);
    return {
      id: l.id,
      warehouse: this.org(l.warehouse),
      depositor: this.org(l.depositor),
      commodity: l.commodity,
      hsCode: l.hsCode,
      grade: l.grade,
      unit: l.unit,
      onHand: q(l.onHand),
      receipted: q(fmt(receipted)),
      free: q(fmt(milli(l.onHand) - receipted)),
      packaging: l.packaging,
      pieces: l.pieces,
      receiptedPieces: this.receipts.filter((r) => r.lot === l.id && r.status === 'LIVE').reduce((n, r) => n + r.pieces, 0),
      marks: l.marks,
      location: l.location,
      documents: l.documents,
      receivedAt: 5,
      certifications: [],
      lastCount: null,
      lastCountAt: null,
      shortfall: null,
    };
  }

  private receiptNode(r: MockReceipt) {
    const lot = this.lotOf(r);
    const terms = r.terms as Record<string, unknown>;
    return {
      id: r.id,
      number: r.number,
      lot: r.lot,
      warehouse: this.org(lot.warehouse),
      depositor: this.org(lot.depositor),
      holder: this.org(r.holder),
      quantity: { value: r.quantity, unit: lot.unit },
      pieces: r.pieces,
      status: r.status,
      provenance: r.parents.length > 1 ? 'MERGED' : r.parents.length === 1 ? 'SPLIT' : 'ISSUED',
      goods: { commodity: lot.commodity, hsCode: lot.hsCode, grade: lot.grade, packaging: lot.packaging, marks: lot.marks, location: lot.location },
      terms: { ...terms, insurance: terms.insurance ?? null },
      draftedBy: r.draftedBy,
      draftedAt: 6,
      issuedBy: r.issuedBy,
      issuedAt: r.issuedBy ? 7 : null,
      issuedTime: r.issuedBy ? '2026-05-22T08:00:00.000Z' : null,
      parents: r.parents,
      children: r.children,
      endorsements: [],
      pendingTransfer: r.pendingTransfer,
      pendingRedemption: null,
      encumbrance: r.encumbrance,
      flagged: false,
      redeemed: { value: '0', unit: lot.unit },
      closedAt: null,
      history: [],
    };
  }

  /** The public check of a receipt issued by entry 0 of the vectors, with its real inclusion proof. */
  private async receiptCheck(id: string): Promise<Response> {
    if (id !== 'WR-2026-000001') return json({ data: { receiptCheck: null } });
    const leaves = await Promise.all(this.entries.map((e) => leafHash(utf8(e))));
    const hashes = (await inclusionPath(0, leaves)).map((h) => toBase64(h));
    let check: Record<string, unknown> = {
      id,
      number: id,
      warehouse: 'wh-a',
      warehouseName: 'WH-A',
      commodity: 'copper cathode',
      quantity: { value: '25.000', unit: 'TNE' },
      status: 'LIVE',
      encumbered: false,
      flagged: false,
      storageUntil: '2026-11-22',
      provenance: [
        {
          index: 0,
          entry: this.entries[0],
          leafHash: toBase64(leaves[0] as Uint8Array),
          hashes,
          treeSize: this.entries.length,
          signerOrg: 'wh-a',
          signerOrgName: 'WH-A',
          signerUser: 'wh-a.zhou',
        },
      ],
      checkpoint: this.checkpoint,
      logVkey: this.logVkey,
    };
    if (this.checkTamper) check = this.checkTamper(check);
    return json({ data: { receiptCheck: check } });
  }

  private async receiptMutation(
    operation: string,
    rebuild: { type: string; body: (i: Input) => TxBody },
    vars: Record<string, unknown>,
    caller: { user: string; key: string; scope: string },
    me: MockUser,
  ): Promise<Response> {
    const input = vars.input as Input;
    const sig = vars.signature as { key: string; nonce: string; signature: string };
    const tx = { origin: ORIGIN, type: rebuild.type, nonce: sig.nonce, body: rebuild.body(input) };
    if (!(await verify(fromBase64(sig.key), fromBase64(sig.signature), txSigningBytes(tx)))) {
      return gqlError('BAD_SIGNATURE', 'the signature does not verify');
    }
    if (this.nonces.has(`${sig.key}/${sig.nonce}`)) return gqlError('NONCE_REUSED', 'nonce reused');
    this.nonces.add(`${sig.key}/${sig.nonce}`);
    if (sig.key !== caller.key) return gqlError('WRONG_KEY', 'not the session key');
    const has = (role: string) => me.roles.includes(role);
    const r = this.receipts.find((x) => x.id === input.receipt);
    const holds = r !== undefined && r.holder === me.org;

    switch (operation) {
      case 'ReceiveGoods':
        if (kindOf(me.org, this.orgKinds) !== 'WAREHOUSE' || has('viewer')) return gqlError('FORBIDDEN', 'not a warehouse officer');
        this.lots.push({
          id: str(input.lot),
          warehouse: me.org,
          depositor: str(input.depositor),
          commodity: str(input.commodity),
          hsCode: str(input.hsCode),
          grade: str(input.grade),
          unit: str(input.unit),
          onHand: str(input.quantity),
          pieces: input.pieces as number,
          packaging: str(input.packaging),
          marks: str(input.marks),
          location: str(input.location),
          documents: input.documents as string[],
        });
        break;
      case 'DraftReceipt': {
        if (!has('officer')) return gqlError('FORBIDDEN', 'only an officer drafts');
        const lot = this.lots.find((l) => l.id === input.lot);
        if (!lot || lot.warehouse !== me.org) return gqlError('NOT_FOUND', 'no such lot');
        if (this.receipts.some((x) => x.number === input.number)) return gqlError('RECEIPT_NUMBER_TAKEN', 'number taken');
        this.receipts.push({
          id: str(input.receipt),
          number: str(input.number),
          lot: lot.id,
          holder: lot.depositor,
          quantity: str(input.quantity),
          pieces: input.pieces as number,
          status: 'DRAFT',
          terms: input.terms as Record<string, unknown>,
          draftedBy: me.id,
          issuedBy: null,
          pendingTransfer: null,
          encumbrance: null,
          parents: [],
          children: [],
        });
        break;
      }
      case 'IssueReceipt':
      case 'DiscardDraft':
        if (!r || r.status !== 'DRAFT') return gqlError('INVALID_STATE', 'not a draft');
        if (!has('approver')) return gqlError('FORBIDDEN', 'only an approver issues');
        if (r.draftedBy === me.id) return gqlError('SAME_USER', 'the maker cannot check');
        if (operation === 'IssueReceipt') {
          r.status = 'LIVE';
          r.issuedBy = me.id;
        } else {
          r.status = 'DISCARDED';
        }
        break;
      case 'EndorseReceipt':
        if (!holds || !r) return gqlError('FORBIDDEN', 'not the holder');
        if (r.encumbrance) return gqlError('RECEIPT_ENCUMBERED', 'pledged');
        r.pendingTransfer = { to: str(input.to), at: this.entries.length + this.recorded.length };
        break;
      case 'CountersignTransfer':
        if (!r?.pendingTransfer) return gqlError('INVALID_STATE', 'nothing to countersign');
        r.holder = r.pendingTransfer.to;
        r.pendingTransfer = null;
        break;
      case 'SplitReceipt': {
        if (!holds || !r) return gqlError('FORBIDDEN', 'not the holder');
        const parts = input.parts as Input[];
        const sum = parts.reduce((n, p) => n + milli(str(p.quantity)), 0n);
        const pieces = parts.reduce((n, p) => n + (p.pieces as number), 0);
        if (sum !== milli(r.quantity) || pieces !== r.pieces) return gqlError('SPLIT_MISMATCH', 'the parts do not sum');
        r.status = 'CANCELLED';
        for (const [i, p] of parts.entries()) {
          r.children.push(str(p.receipt));
          this.receipts.push({ ...r, id: str(p.receipt), number: `${r.number}-${i + 1}`, quantity: str(p.quantity), pieces: p.pieces as number, status: 'LIVE', parents: [r.id], children: [] });
        }
        break;
      }
      case 'EncumberReceipt':
        if (!holds || !r) return gqlError('FORBIDDEN', 'not the holder');
        r.encumbrance = { holder: str(input.pledgee), reference: str(input.reference), kind: 'ACTIVE', since: this.entries.length + this.recorded.length };
        break;
      case 'LiftEncumbrance':
        if (!r || r.encumbrance?.holder !== me.org) return gqlError('FORBIDDEN', 'not the pledgee');
        r.encumbrance = null;
        break;
    }
    this.recorded.push({ operation, type: rebuild.type, body: tx.body, key: sig.key });
    const receipt = { index: this.entries.length + this.recorded.length - 1, leafHash: 'AAAA', time: '2026-05-22T08:00:00.000Z', type: rebuild.type };
    const field = operation.charAt(0).toLowerCase() + operation.slice(1);
    return json({ data: { [field]: receipt } });
  }
}
