/**
 * What every browser scenario shares: one `godown demo` node and one
 * Chromium per test file, a scenario runner that keeps evidence of a
 * failure, the demo sign-in checked from outside the page, and a way to read
 * the GraphQL calls a page makes.
 */

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type WatchedPage, launchChromium, saveArtifacts, watch } from './browser';
import { type GodownNode, startGodown } from './godown';
import { type DemoUser, demoUsers, graphql, publicKeyOfPkcs8, verifyEd25519 } from './independent';

export interface Demo {
  node: GodownNode;
  browser: Browser;
  /** The ledger's origin: the first line of its checkpoints, and part of every signed message. */
  origin: string;
  /** The log's verifier key, as the node states it. */
  logVkey: string;
  users: DemoUser[];
}

/**
 * Starts a demo node and Chromium before the file's tests and stops them
 * after; call it at the top of a test file. The returned function hands
 * both to a test, or fails plainly if they did not start.
 */
export function demoNode(): () => Demo {
  let demo: Demo | undefined;
  let node: GodownNode | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    node = await startGodown();
    browser = await launchChromium();
    const { ledger } = await graphql<{ ledger: { origin: string; logVkey: string } }>(node.baseUrl, '{ ledger { origin logVkey } }', {});
    demo = { node, browser, origin: ledger.origin, logVkey: ledger.logVkey, users: await demoUsers(node.baseUrl) };
  });
  afterAll(async () => {
    await browser?.close().catch((e: unknown) => console.warn('e2e: closing chromium failed', e));
    await node?.stop();
  });
  return () => {
    if (!demo) throw new Error('the node or the browser did not start');
    return demo;
  };
}

export function demoUser(demo: Demo, id: string): DemoUser {
  const u = demo.users.find((x) => x.user === id);
  if (!u) throw new Error(`the demo node lists no ${id}`);
  return u;
}

export interface Scenario {
  open(name: string, ctx: BrowserContext): Promise<WatchedPage>;
  /** Names the step under way, for the failure message and the timings. */
  step(name: string): void;
}

/** Runs a scenario; on failure keeps screenshots, markup, console and the node's log, and names the step. */
export async function scenario(godown: GodownNode, label: string, body: (s: Scenario) => Promise<void>) {
  const pages: WatchedPage[] = [];
  const contexts = new Set<BrowserContext>();
  const steps: { name: string; at: number }[] = [{ name: 'start', at: Date.now() }];
  const s: Scenario = {
    async open(name, ctx) {
      contexts.add(ctx);
      const w = watch(await ctx.newPage(), name);
      pages.push(w);
      return w;
    },
    step(name) {
      steps.push({ name, at: Date.now() });
    },
  };
  const timings = () =>
    steps.map((st, i) => `${st.name}: ${(((steps[i + 1]?.at ?? Date.now()) - st.at) / 1000).toFixed(2)}s`).join('\n');
  try {
    await body(s);
    s.step('page errors');
    for (const w of pages) expect(w.pageErrors, `uncaught errors in the ${w.name} page`).toEqual([]);
    if (process.env.E2E_TIMINGS) console.log(`${label}\n${timings()}`);
  } catch (e) {
    const dir = await saveArtifacts(label, pages, `${godown.log()}\n--- steps\n${timings()}\n`).catch(
      (err: unknown) => `(artifacts not saved: ${String(err)})`,
    );
    if (e instanceof Error) e.message += `\n\nFailed in step "${steps[steps.length - 1]?.name}". Screenshots, pages and the node's log: ${dir}`;
    throw e;
  } finally {
    for (const ctx of contexts) await ctx.close().catch(() => undefined);
  }
}

export interface GraphQLCall<T> {
  variables: Record<string, unknown> & { input?: Record<string, unknown>; signature?: { key: string; nonce: string; signature: string } };
  data: T;
}

/** The next GraphQL operation of that name the page sends, with its variables and the node's answer. */
export function nextGraphQL<T>(page: Page, operation: string): Promise<GraphQLCall<T>> {
  const name = new RegExp(`^\\s*(?:query|mutation)\\s+${operation}\\b`);
  const call = page
    .waitForResponse((r) => {
      if (!r.url().endsWith('/graphql') || r.request().method() !== 'POST') return false;
      const sent = r.request().postDataJSON() as { query?: string } | null;
      return name.test(sent?.query ?? '');
    })
    .then(async (r) => {
      const body = (await r.json()) as { data?: T; errors?: unknown[] };
      if (body.errors?.length || !body.data) throw new Error(`${operation} failed: ${JSON.stringify(body.errors)}`);
      return { variables: (r.request().postDataJSON() as { variables: GraphQLCall<T>['variables'] }).variables, data: body.data };
    });
  // A scenario that fails before awaiting this must not also report an unhandled rejection.
  call.catch(() => undefined);
  return call;
}

/** Where a signed change landed (TxReceipt). */
export interface Receipt {
  index: number;
  leafHash: string;
  time: string;
  type: string;
}

interface StoredKeyView {
  publicKey: string;
  userId: string | null;
  source: string;
  algorithm: string;
  type: string;
  extractable: boolean;
  /** Whether WebCrypto let the page export the private key after all. */
  exported: boolean;
}

/** What this browser's key store holds, read in the page as the dashboard stores it. */
function browserKeys(page: Page): Promise<StoredKeyView[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('godown-keys');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('cannot open the key store'));
    });
    const records = await new Promise<{ publicKey: string; privateKey: CryptoKey; userId: string | null; source: string }[]>(
      (resolve, reject) => {
        const req = db.transaction('keys').objectStore('keys').getAll();
        req.onsuccess = () => resolve(req.result as never);
        req.onerror = () => reject(req.error ?? new Error('cannot read the key store'));
      },
    );
    db.close();
    const out: StoredKeyView[] = [];
    for (const r of records) {
      let exported = false;
      try {
        await crypto.subtle.exportKey('pkcs8', r.privateKey);
        exported = true;
      } catch {
        // A non-extractable key refuses, which is the point.
      }
      out.push({
        publicKey: r.publicKey,
        userId: r.userId,
        source: r.source,
        algorithm: r.privateKey.algorithm.name,
        type: r.privateKey.type,
        extractable: r.privateKey.extractable,
        exported,
      });
    }
    return out;
  });
}

export async function expectKeyOnlyInBrowser(page: Page, publicKey: string, user: string, source: string) {
  const stored = (await browserKeys(page)).find((k) => k.publicKey === publicKey);
  expect(stored, `key ${publicKey} in IndexedDB`).toEqual({
    publicKey,
    userId: user,
    source,
    algorithm: 'Ed25519',
    type: 'private',
    extractable: false,
    exported: false,
  });
}

export interface StoredSession {
  token: string;
  key: string;
  user: string;
}

/** The session this tab keeps, as the dashboard stores it. */
export async function session(page: Page): Promise<StoredSession> {
  const s = await page.evaluate(() => sessionStorage.getItem('godown.session'));
  if (!s) throw new Error('no session in this tab');
  return JSON.parse(s) as StoredSession;
}

export async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent()) ?? '';
}

/** Signs in with a demo user's button and checks the challenge was signed in the page with the demo key. */
export async function demoSignIn(demo: Demo, w: WatchedPage, id: string): Promise<string> {
  const { page } = w;
  const u = demoUser(demo, id);
  const demoKey = publicKeyOfPkcs8(u.pkcs8);
  await page.goto('/login');
  const button = page.getByTestId(`demo-login-${id}`);
  await button.waitFor();
  const challenge = page.waitForResponse((r) => r.url().endsWith('/auth/challenge'));
  const login = page.waitForResponse((r) => r.url().endsWith('/auth/login'));
  await button.click();
  const issued = ((await (await challenge).json()) as { challenge: string }).challenge;
  const answer = await login;
  expect(answer.status()).toBe(200);
  const sent = answer.request().postDataJSON() as { key: string; challenge: string; signature: string };
  expect(sent.key).toBe(demoKey);
  expect(sent.challenge).toBe(issued);
  expect(verifyEd25519(sent.key, `godown-login/v1\n${demo.origin}\n${issued}`, sent.signature)).toBe(true);
  await page.waitForURL('**/explorer');
  await expect.poll(() => text(page, 'signed-in-user')).toContain(u.name);
  await expectKeyOnlyInBrowser(page, demoKey, id, 'demo');
  return demoKey;
}

export function flipFirstByte(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}
