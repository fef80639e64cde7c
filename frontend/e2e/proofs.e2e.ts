/**
 * Proof files in a real browser against a real `godown demo` node: a
 * receipt's holder saves an event's proof from the receipt's page, as
 * Chromium downloads it, and the saved file is checked offline by the real
 * `godown verify`, trusting only the keys the node lists at `/vkeys`.
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import { newUserContext } from './browser';
import { verifyProofOffline } from './godown';
import { demoNode, demoSignIn, nextGraphQL, scenario, session, text } from './harness';
import { graphql, interpolate, parseTlogProof, trustedKeys, witnessCosignatures } from './independent';

const ready = demoNode();

/** A free, live copper receipt of the demo's, held by Tongyuan. */
const RECEIPT = { id: 'wr-qd-cu-0101', number: 'QDWR-2026-F0101' };
const HOLDER = 'sme-tongyuan.officer';

interface HistoryAnswer {
  receipt: { history: { index: number; type: string; proof: { tlogProof: string; treeSize: number } }[] };
}

describe('proof files against a real node', () => {
  it("are downloaded from a receipt's page with the witnesses' cosignatures and verify offline with godown verify", async () => {
    const demo = ready();
    const { node, browser } = demo;
    await scenario(node, 'receipt-proof-download', async ({ open, step }) => {
      step('holder sign-in');
      const holder = await open('holder', await newUserContext(browser, node.baseUrl));
      await demoSignIn(demo, holder, HOLDER);
      const { token } = await session(holder.page);

      step('quorum covers the history');
      // Proofs carry the witnesses' word once their quorum has cosigned a checkpoint covering the entries; the demo's witnesses answer within moments.
      const { receipt: seen } = await graphql<HistoryAnswer>(node.baseUrl, `{ receipt(id: "${RECEIPT.id}") { history { index } } }`, {}, token);
      const last = Math.max(...seen.history.map((e) => e.index));
      await expect
        .poll(async () => (await graphql<{ checkpoint: { finalSize: number | null } }>(node.baseUrl, '{ checkpoint { finalSize } }', {}, token)).checkpoint.finalSize ?? 0)
        .toBeGreaterThan(last);

      step('receipt page');
      const detailed = nextGraphQL<HistoryAnswer>(holder.page, 'ReceiptDetail');
      await holder.page.getByTestId('nav-receipts').click();
      await holder.page.getByTestId(`receipt-link-${RECEIPT.number}`).click();
      await holder.page.waitForURL(`**/receipts/${RECEIPT.id}`);
      const { history } = (await detailed).data.receipt;
      expect(history.map((e) => e.type)).toEqual(expect.arrayContaining(['receipt.draft', 'receipt.issue']));
      expect(await text(holder.page, 'proof-download-hint')).toContain('godown verify --proof FILE --policy consortium.policy');
      const keys = await trustedKeys(node.baseUrl);
      expect(keys.witnesses.length).toBeGreaterThan(0);

      for (const e of history) {
        step(`download #${e.index}`);
        // The browser's own check first, so the file is saved from the page as its user sees it.
        await expect.poll(() => text(holder.page, `event-proof-${e.index}`)).toBe(`✓ ${interpolate(en.receipt.proofOk, { size: e.proof.treeSize })}`);
        const downloading = holder.page.waitForEvent('download');
        await holder.page.getByTestId(`proof-download-${e.index}`).click();
        const download = await downloading;
        expect(download.suggestedFilename()).toBe(`godown-entry-${e.index}.tlog-proof`);
        const file = await download.path();
        const saved = await readFile(file, 'utf8');
        // Byte for byte what the node answered the page, and a proof of this entry.
        expect(saved).toBe(e.proof.tlogProof);
        expect(saved.startsWith('c2sp.org/tlog-proof@v1\n')).toBe(true);
        expect(parseTlogProof(saved).index).toBe(e.index);

        step(`godown verify #${e.index}`);
        const cosigned = witnessCosignatures(saved, keys.witnesses);
        expect(cosigned.length, `the proof of #${e.index} carries no witness's cosignature`).toBeGreaterThan(0);
        const checks = await verifyProofOffline(file, keys, cosigned.length, path.join(node.dataDir, 'consortium.policy'));
        expect(checks).toHaveLength(3);
        for (const c of checks) {
          expect(c.status, `godown ${c.args.join(' ')}\n${c.output}`).toBe(0);
          expect(c.output).toContain(`entry ${e.index} (${e.type} `);
        }
      }
    });
  });
});
