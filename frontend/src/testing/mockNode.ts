/**
 * A stand-in for `godown serve` in the page tests: it speaks the routes and
 * GraphQL operations of docs/API.md and, like the node, rebuilds each
 * transaction from the GraphQL input and checks the signature over it.
 */

import { fromBase64, toBase64, toBase64Url } from '../crypto/base64';
import { randomBytes, utf8 } from '../crypto/bytes';
import { verify } from '../crypto/ed25519';
import { parseTlogProof } from '../crypto/proof';
import { invitationMessage, loginMessage, txSigningBytes, type TxBody } from '../crypto/tx';
import { vectorText } from '../crypto/testing/vectors';

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

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function gqlError(code: string, message: string): Response {
  return json({ data: null, errors: [{ message, extensions: { code } }] });
}

function token(user: string, org: string, scope: string): string {
  const part = (o: unknown) => toBase64Url(utf8(JSON.stringify(o)));
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: user, org, scope, exp: Math.floor(Date.now() / 1000) + 900 })}.c2ln`;
}

const lower = (r: unknown) => String(r).toLowerCase();

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
    const caller = this.caller(req);
    if (!caller) return gqlError('UNAUTHENTICATED', 'no token');
    if (caller.scope === 'enrol' && operation !== 'EnrolKey') return gqlError('FORBIDDEN', 'enrol scope');
    const me = this.users.find((u) => u.id === caller.user) as MockUser;

    switch (operation) {
      case 'Me':
        return json({
          data: {
            me: { key: caller.key, scope: caller.scope, user: this.member(me), organisation: { id: me.org, name: me.org.toUpperCase(), kind: 'BANK', status: 'ACTIVE' } },
          },
        });
      case 'Organisation':
        return json({
          data: {
            organisation: {
              id: vars.id,
              name: String(vars.id).toUpperCase(),
              kind: 'BANK',
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
    }

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
}
