/**
 * A real node for the page tests. Each test file starts its own `godown
 * demo` (or a plain `godown serve`) with e2e/godown.ts, points jsdom's
 * location at it and sends the dashboard's requests there, so every answer a
 * page shows is the node's. What a test needs beyond the demo's seed is made
 * for real: transactions signed as demo users with their public demo keys,
 * here in Node and apart from the dashboard's own code, and read back from
 * the log as the node keeps it.
 */

import { generateKeyPairSync } from 'node:crypto';
import { configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type GodownNode, type NodeKind, startGodown } from '../../e2e/godown';
import { type DemoUser, demoUsers, graphql, jcs, publicKeyOfPkcs8, signEd25519, verifyEd25519 } from '../../e2e/independent';

/** Node's own fetch, taken before any test replaces the global one with the page's. */
const REAL_FETCH = globalThis.fetch;

/** The user who sees every entry's payload: the regulator reads the log back for the tests. */
const READER = 'reg-local.admin';

/** Waiting for the page is polling the DOM; allow for a real node on a busy machine before calling it failed. */
const PAGE_WAIT_MS = 15_000;

/** A transaction as the node keeps it in an entry. */
export interface SignedTx {
  origin: string;
  type: string;
  nonce: string;
  body: Record<string, unknown>;
}

/** An entry of the log, read back from the node. */
export interface LoggedEntry {
  index: number;
  /** The signing key, standard base64. */
  key: string;
  tx: SignedTx;
  /** The canonical entry bytes, as text. */
  text: string;
}

/** A transaction to sign and submit: its type and body in the ledger's spelling, and the GraphQL input the node rebuilds it from. */
export interface Submission {
  type: keyof typeof MUTATIONS;
  input: Record<string, unknown>;
  body: Record<string, unknown>;
}

/** The mutation and input type of each transaction the tests make for themselves (docs/API.md). */
const MUTATIONS = {
  'key.enrol': ['enrolKey', 'EnrolKeyInput'],
  'user.invite': ['inviteUser', 'InviteUserInput'],
  'role.grant': ['grantRole', 'RoleInput'],
  'receipt.draft': ['draftReceipt', 'DraftReceiptInput'],
  'receipt.issue': ['issueReceipt', 'ReceiptRefInput'],
  'loan.apply': ['applyForLoan', 'ApplyForLoanInput'],
  'pledge.confirm': ['confirmPledge', 'PledgeInput'],
  'loan.propose': ['proposeLoanTerms', 'ProposeTermsInput'],
  'proposal.vote': ['voteOnProposal', 'VoteInput'],
} as const;

export interface PageNode {
  node: GodownNode;
  baseUrl: string;
  /** The ledger's origin, which every signature covers. */
  origin: string;
  /** The demo users the node lists at /demo/users; none on a node that is no demo. */
  users: DemoUser[];
  user(id: string): DemoUser;
  /** A demo user's public key, standard base64. */
  key(id: string): string;
  /** A session token for a demo user, signed in from outside the page. */
  token(id: string): Promise<string>;
  /** A GraphQL query asked of the node in a demo user's session, from outside the page. */
  query<T>(as: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  /**
   * Signs a transaction and submits it in `as`'s session; signed by `as`'s
   * demo key unless another PKCS#8 key is given (a key enrolling itself).
   */
  submit(as: string, tx: Submission, options?: { signer?: string; email?: string }): Promise<{ index: number }>;
  /** The size of the log, from the newest signed checkpoint (`/checkpoint` waits for the witnesses). */
  size(): Promise<number>;
  /** The entries appended since the log had `size` entries, oldest first. */
  since(size: number): Promise<LoggedEntry[]>;
  /**
   * Alters the node's answer to one GraphQL operation on its way to the
   * page, until the test ends: to see the page refuse what a lying node (or
   * a hop in between) would hand it. The node itself is asked as usual.
   */
  lie(operation: string, alter: (data: Record<string, unknown>) => void): void;
}

/** The operation a GraphQL request names, if the body is one. */
function operationOf(body: unknown): string | null {
  if (typeof body !== 'string') return null;
  try {
    const { query } = JSON.parse(body) as { query?: unknown };
    return typeof query === 'string' ? (/^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null) : null;
  } catch {
    return null;
  }
}

/**
 * The page's fetch: a path such as `/graphql` or `/auth/login` goes to the
 * node as the dashboard's own origin would send it there; an absolute URL
 * is fetched as given. Only a lie a test asked for changes an answer.
 */
export function nodeFetch(
  baseUrl: string,
  send: typeof fetch,
  lies: ReadonlyMap<string, (data: Record<string, unknown>) => void> = new Map(),
): typeof fetch {
  return async (input, init) => {
    if (input instanceof Request) throw new Error('the page tests send paths and URLs, not Request objects');
    const url = new URL(String(input), baseUrl);
    let body = init?.body;
    // jsdom's Blob and File are not Node's, and Node's fetch cannot read them: send their bytes, as a browser does.
    if (body instanceof Blob) body = new Uint8Array(await body.arrayBuffer());
    const answer = await send(url, { ...init, body });
    const operation = url.pathname === '/graphql' ? operationOf(body) : null;
    const alter = operation ? lies.get(operation) : undefined;
    if (!alter) return answer;
    const json = (await answer.json()) as { data?: Record<string, unknown> };
    if (json.data) alter(json.data);
    return new Response(JSON.stringify(json), { status: answer.status, headers: { 'Content-Type': 'application/json' } });
  };
}

/** The jsdom instance vitest exposes, for pointing the page's location at the node. */
interface Jsdom {
  reconfigure(settings: { url: string }): void;
}

/**
 * Starts a node before the file's tests and stops it after; call it at the
 * top of a page test file. The returned function hands the node to a test,
 * or fails plainly if it did not start.
 */
export function pageNode(kind: NodeKind = 'demo'): () => PageNode {
  let started: PageNode | undefined;
  let node: GodownNode | undefined;
  let previous: { fetch: typeof fetch; url: string } | undefined;
  const realFetch = REAL_FETCH;
  const lies = new Map<string, (data: Record<string, unknown>) => void>();
  const tokens = new Map<string, Promise<string>>();

  beforeAll(async () => {
    configure({ asyncUtilTimeout: PAGE_WAIT_MS });
    node = await startGodown({ kind, dashboard: false });
    const baseUrl = node.baseUrl;
    // The page and its live feed (jsdom's WebSocket) address the node as the origin that served the dashboard.
    const jsdom = (globalThis as { jsdom?: Jsdom }).jsdom;
    if (!jsdom) throw new Error('the page tests run in jsdom (`// @vitest-environment jsdom`)');
    // A describe block may start a node of its own inside a file's; it hands the page back when it ends.
    previous = { fetch: globalThis.fetch, url: window.location.href };
    jsdom.reconfigure({ url: `${baseUrl}/` });
    globalThis.fetch = nodeFetch(baseUrl, realFetch, lies);

    const { ledger } = await graphql<{ ledger: { origin: string } }>(baseUrl, '{ ledger { origin } }', {});
    const users = kind === 'demo' ? await demoUsers(baseUrl) : [];
    const user = (id: string) => {
      const u = users.find((x) => x.user === id);
      if (!u) throw new Error(`the node lists no demo user ${id}`);
      return u;
    };
    const signIn = async (id: string) => {
      const { pkcs8 } = user(id);
      const post = async (path: string, body: unknown) => {
        const res = await realFetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        if (!res.ok) throw new Error(`${path} as ${id}: ${res.status} ${await res.text()}`);
        return res.json() as Promise<Record<string, string>>;
      };
      const { challenge = '' } = await post('/auth/challenge', {});
      const key = publicKeyOfPkcs8(pkcs8);
      const signature = signEd25519(pkcs8, `godown-login/v1\n${ledger.origin}\n${challenge}`);
      const { token } = await post('/auth/login', { key, challenge, signature });
      if (!token) throw new Error(`no token for ${id}`);
      return token;
    };
    const token = (id: string) => {
      let t = tokens.get(id);
      if (!t) {
        t = signIn(id);
        tokens.set(id, t);
      }
      return t;
    };
    const size = async () => {
      const res = await realFetch(`${baseUrl}/checkpoint/pending`);
      if (!res.ok) throw new Error(`GET /checkpoint/pending: ${res.status}`);
      return Number((await res.text()).split('\n')[1]);
    };

    started = {
      node,
      baseUrl,
      origin: ledger.origin,
      users,
      user,
      key: (id) => publicKeyOfPkcs8(user(id).pkcs8),
      token,
      query: async (as, query, variables = {}) => graphql(baseUrl, query, variables, await token(as)),
      async submit(as, { type, input, body }, options = {}) {
        const [field, inputType] = MUTATIONS[type];
        const signer = options.signer ?? user(as).pkcs8;
        const tx: SignedTx = { origin: ledger.origin, type, nonce: `page-test-${crypto.randomUUID()}`, body };
        const signature = { key: publicKeyOfPkcs8(signer), nonce: tx.nonce, signature: signEd25519(signer, `godown-tx/v1\n${jcs(tx)}`) };
        const email = type === 'user.invite' ? ', $email: String' : '';
        const data = await graphql<Record<string, { index: number }>>(
          baseUrl,
          `mutation Submit($input: ${inputType}!, $signature: SignatureInput!${email}) { ${field}(input: $input, signature: $signature${email ? ', email: $email' : ''}) { index } }`,
          { input, signature, ...(email ? { email: options.email ?? null } : {}) },
          await token(as),
        );
        const receipt = data[field];
        if (!receipt) throw new Error(`${type} by ${as}: no receipt`);
        return receipt;
      },
      size,
      async since(from) {
        const to = await size();
        if (to <= from) return [];
        const fields = Array.from({ length: to - from }, (_, i) => `e${i}: entry(index: ${from + i}) { index entry }`).join(' ');
        const data = await graphql<Record<string, { index: number; entry: string | null } | null>>(baseUrl, `{ ${fields} }`, {}, await token(READER));
        return Array.from({ length: to - from }, (_, i) => {
          const e = data[`e${i}`];
          if (!e?.entry) throw new Error(`the regulator cannot read entry #${from + i}`);
          const parsed = JSON.parse(e.entry) as { key: string; sig: string; tx: SignedTx };
          // Read back from the node, then checked here: the entry's signature is over exactly this transaction.
          if (!verifyEd25519(parsed.key, `godown-tx/v1\n${jcs(parsed.tx)}`, parsed.sig)) throw new Error(`entry #${e.index}: the signature does not verify`);
          return { index: e.index, key: parsed.key, tx: parsed.tx, text: e.entry };
        });
      },
      lie(operation, alter) {
        lies.set(operation, alter);
      },
    };
  });

  afterEach(() => {
    lies.clear();
  });

  afterAll(async () => {
    if (previous) {
      globalThis.fetch = previous.fetch;
      (globalThis as { jsdom?: Jsdom }).jsdom?.reconfigure({ url: previous.url });
    }
    await node?.stop();
  });

  return () => {
    if (!started) throw new Error('the node did not start');
    return started;
  };
}

/** A fresh Ed25519 key pair made here: PKCS#8 DER and the raw public key, standard base64. */
export function newKeyPair(): { pkcs8: string; key: string } {
  const pkcs8 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  return { pkcs8, key: publicKeyOfPkcs8(pkcs8) };
}

/** The one entry of that type among `entries`; a clear failure if there is none or several. */
export function onlyEntry(entries: readonly LoggedEntry[], type: string): LoggedEntry {
  const found = entries.filter((e) => e.tx.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type} entry, found ${found.length}: ${entries.map((e) => e.tx.type).join(', ')}`);
  return found[0] as LoggedEntry;
}
