// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempFile, verifyProofOffline } from '../../e2e/godown';
import { trustedKeys, witnessCosignatures } from '../../e2e/independent';
import { App } from '../app/App';
import i18n from '../i18n';
import { type PageNode, pageNode } from '../testing/node';

// The live feed is not what these pages show, and jsdom's WebSocket cannot carry it under vitest
// (see src/app/App.test.tsx): the explorer a sign-in lands on gets a subscription that stays quiet.
vi.mock('graphql-ws', () => ({
  createClient: () => ({ subscribe: () => () => undefined, dispose: async () => undefined }),
}));

const ready = pageNode();

/** A free, live copper receipt of the demo's, held by Tongyuan: QDWR-2026-F0101. */
const RECEIPT = 'wr-qd-cu-0101';
/** A running loan of the demo's, Tongyuan's from Jade River Bank. */
const LOAN = 'ln-demo-0007';
const HOLDER = 'sme-tongyuan.officer';

/** What the page handed the browser to save: the file's name and its bytes as text. */
interface Saved {
  name: string;
  text: string;
}

/**
 * Records what the page saves. jsdom has no object URLs and does not follow
 * links, so the Blob is kept when its URL is made, and the `<a download>` is
 * read when the page clicks it; every URL made must be revoked.
 */
function captureDownloads() {
  const blobs = new Map<string, Blob>();
  const clicked: { name: string; url: string }[] = [];
  const revoked: string[] = [];
  const made = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL };
  URL.createObjectURL = (blob: Blob) => {
    const url = `blob:${window.location.origin}/${crypto.randomUUID()}`;
    blobs.set(url, blob);
    return url;
  };
  URL.revokeObjectURL = (url: string) => revoked.push(url);
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ name: this.download, url: this.href });
  });
  return {
    /** Clicks a download button and returns what was saved, once its URL is revoked. */
    async save(testId: string): Promise<Saved> {
      const before = clicked.length;
      fireEvent.click(screen.getByTestId(testId));
      const link = clicked[before];
      const blob = link && blobs.get(link.url);
      if (!link || !blob) throw new Error(`${testId} saved nothing`);
      expect(clicked).toHaveLength(before + 1);
      await waitFor(() => expect(revoked).toContain(link.url));
      // The link was only for the click: it leaves the document with it.
      expect(document.querySelector(`a[href="${link.url}"]`)).toBeNull();
      return { name: link.name, text: await blob.text() };
    },
    restore() {
      click.mockRestore();
      Object.assign(URL, made);
    },
  };
}

let downloads: ReturnType<typeof captureDownloads>;

beforeEach(async () => {
  sessionStorage.clear();
  await i18n.changeLanguage('en');
  downloads = captureDownloads();
});

afterEach(() => {
  cleanup();
  downloads.restore();
});

function open(path: string) {
  window.history.pushState({}, '', path);
  return render(<App />);
}

/** Signs in from the login page, then goes where `path` says. */
async function signInAs(userId: string, path?: string) {
  open('/login');
  fireEvent.click(await screen.findByTestId(`demo-login-${userId}`));
  const { name } = ready().user(userId);
  await waitFor(() => expect(screen.getByTestId('signed-in-user').textContent).toContain(name));
  if (path) {
    cleanup();
    open(path);
  }
}

interface ProvenEvent {
  index: number;
  type: string;
  proof: { tlogProof: string };
}

/**
 * Waits until the witnesses' quorum has cosigned a checkpoint that covers
 * every entry up to `last`: from then on the node proves them against it,
 * and the files carry the cosignatures (the demo's witnesses answer within
 * moments of each entry).
 */
async function finalThrough(node: PageNode, last: number) {
  await waitFor(async () => {
    const { checkpoint } = await node.query<{ checkpoint: { finalSize: number | null } }>(HOLDER, '{ checkpoint { finalSize } }');
    expect(checkpoint.finalSize ?? 0).toBeGreaterThan(last);
  });
}

/**
 * Saves each event's proof from the page and checks the file: exactly the
 * node's `tlogProof`, a tlog-proof@v1 with the witnesses' cosignatures, and
 * accepted by the real `godown verify` offline with the keys `/vkeys` lists.
 */
async function downloadsVerifyOffline(node: PageNode, events: readonly ProvenEvent[]) {
  const keys = await trustedKeys(node.baseUrl);
  expect(keys.witnesses.length).toBeGreaterThan(0);
  for (const e of events) {
    const saved = await downloads.save(`proof-download-${e.index}`);
    expect(saved.name).toBe(`godown-entry-${e.index}.tlog-proof`);
    expect(saved.text).toBe(e.proof.tlogProof);
    expect(saved.text.startsWith('c2sp.org/tlog-proof@v1\n')).toBe(true);
    const cosigned = witnessCosignatures(saved.text, keys.witnesses);
    expect(cosigned.length, `the proof of #${e.index} carries no witness's cosignature`).toBeGreaterThan(0);
    const { file, done } = await tempFile(saved.name, saved.text);
    try {
      const checks = await verifyProofOffline(file, keys, cosigned.length);
      expect(checks.map((c) => c.args.includes('--min-witnesses'))).toEqual([false, true]);
      for (const c of checks) {
        expect(c.status, `godown ${c.args.join(' ')}\n${c.output}`).toBe(0);
        expect(c.output).toContain(`entry ${e.index} (${e.type} `);
      }
    } finally {
      await done();
    }
  }
}

describe('proof files', () => {
  it("saves each event of a receipt's history as the node's tlog-proof, which godown verify accepts offline with the witnesses' cosignatures", async () => {
    const node = ready();
    const query = `{ receipt(id: "${RECEIPT}") { history { index type proof { tlogProof } } } }`;
    const before = await node.query<{ receipt: { history: ProvenEvent[] } | null }>(HOLDER, query);
    const last = Math.max(...(before.receipt?.history ?? []).map((e) => e.index));
    await finalThrough(node, last);
    // The node's answer once the quorum covers the history: nothing is appended meanwhile, so the page is given the same.
    const { receipt } = await node.query<{ receipt: { history: ProvenEvent[] } | null }>(HOLDER, query);
    if (!receipt || receipt.history.length < 2) throw new Error(`Tongyuan should see ${RECEIPT} drafted and issued`);

    await signInAs(HOLDER, `/receipts/${RECEIPT}`);
    const history = await screen.findByTestId('history');
    for (const e of receipt.history) await within(history).findByTestId(`event-${e.index}`);
    expect(within(history).getByTestId('proof-download-hint').textContent).toContain('godown verify --proof FILE --policy consortium.policy');
    await downloadsVerifyOffline(node, receipt.history);
  });

  it("saves a loan event's proof from the loan's page, which godown verify accepts offline", async () => {
    const node = ready();
    const query = `{ loan(id: "${LOAN}") { history { index type proof { tlogProof } } } }`;
    const before = await node.query<{ loan: { history: ProvenEvent[] } | null }>(HOLDER, query);
    await finalThrough(node, Math.max(...(before.loan?.history ?? []).map((e) => e.index)));
    const { loan } = await node.query<{ loan: { history: ProvenEvent[] } | null }>(HOLDER, query);
    const applied = loan?.history.find((e) => e.type === 'loan.apply');
    if (!applied) throw new Error(`Tongyuan should see ${LOAN} applied for`);

    await signInAs(HOLDER, `/loans/${LOAN}`);
    await within(await screen.findByTestId('loan-history')).findByTestId(`loan-event-${applied.index}`);
    await downloadsVerifyOffline(node, [applied]);
  });

  it('offers the proof file in the explorer once an entry is verified, and godown verify accepts it offline', async () => {
    const node = ready();
    const { entries } = await node.query<{ entries: { edges: { node: { index: number; visible: boolean; type: string } }[] } }>(
      HOLDER,
      '{ entries(last: 25) { edges { node { index visible type } } } }',
    );
    const mine = entries.edges.map((e) => e.node).findLast((e) => e.visible);
    if (!mine) throw new Error('Tongyuan should see one of the newest entries');
    await finalThrough(node, mine.index);

    await signInAs(HOLDER);
    fireEvent.click(await screen.findByTestId(`entry-${mine.index}`));
    const detail = await screen.findByTestId('entry-detail');
    // Nothing to save until the proof is fetched: the explorer asks for it only when told to verify.
    expect(within(detail).queryByTestId(`proof-download-${mine.index}`)).toBeNull();
    fireEvent.click(within(detail).getByTestId('verify-proof'));
    expect((await within(detail).findByTestId('proof-result')).textContent).toContain('✓');
    await within(detail).findByTestId(`proof-download-${mine.index}`);
    const { proof } = await node.query<{ proof: { tlogProof: string } }>(HOLDER, `{ proof(index: ${mine.index}) { tlogProof } }`);
    await downloadsVerifyOffline(node, [{ ...mine, proof }]);
  });

  it('names the file and the offline check in Chinese too', async () => {
    const node = ready();
    const { receipt } = await node.query<{ receipt: { history: { index: number }[] } | null }>(HOLDER, `{ receipt(id: "${RECEIPT}") { history { index } } }`);
    const first = receipt?.history[0];
    if (!first) throw new Error(`Tongyuan should see ${RECEIPT}`);
    await signInAs(HOLDER);
    await i18n.changeLanguage('zh-CN');
    cleanup();
    open(`/receipts/${RECEIPT}`);
    expect((await screen.findByTestId(`proof-download-${first.index}`)).textContent).toBe('下载证明');
    const hint = screen.getByTestId('proof-download-hint');
    expect(hint.textContent).toContain('离线验证');
    // The commands are the binary's, in either language, and shown as code.
    expect([...hint.querySelectorAll('code')].map((c) => c.textContent)).toEqual([
      'godown verify --proof FILE --policy consortium.policy',
      '--log-vkey … --witness-vkey …',
    ]);
  });
});
