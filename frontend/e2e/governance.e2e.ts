/**
 * Consortium governance in a real browser against a real `godown demo` node:
 * a member bank's admin approves the seeded admission with a key that lives
 * in the browser, and the page shows the new count; the signature and the
 * entry are checked here again, apart from the dashboard's code. And the
 * page that says why the ledger can be trusted, read by a visitor who is not
 * signed in, in Chinese and in English.
 */

import { describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import zh from '../src/i18n/zh-CN.json';
import { newUserContext } from './browser';
import { type Receipt, demoNode, demoSignIn, nextGraphQL, scenario, session, text } from './harness';
import { graphql, interpolate, jcs, verifyEd25519 } from './independent';

const ready = demoNode();

/** Seeded by the demo: Qinggang proposes admitting Haiyun, Jade River approves; 2 of the 6 a majority of 10 needs. */
const SEEDED = 'prop-admit-sme-haiyun';

describe('governance against a real node', () => {
  it('signs an admin’s approval of the seeded admission in the browser, and the page shows three of six', async () => {
    const demo = ready();
    const { node, browser, origin } = demo;
    await scenario(node, 'governance-vote', async ({ open, step }) => {
      const w = await open('bank-east-admin', await newUserContext(browser, node.baseUrl));
      const { page } = w;

      step('sign in');
      const key = await demoSignIn(demo, w, 'bank-east.admin');

      step('governance page');
      await page.getByTestId('nav-governance').click();
      await page.waitForURL('**/governance');
      await expect.poll(() => text(page, `proposal-approvals-${SEEDED}`)).toBe(interpolate(en.governance.ofNeeded, { approvals: 2, needed: 6 }));
      expect(await text(page, `proposal-standing-${SEEDED}`)).toBe(en.governance.standing.OPEN);

      step('vote');
      const voted = nextGraphQL<{ voteOnProposal: Receipt }>(page, 'VoteOnProposal');
      await page.getByTestId(`vote-approve-${SEEDED}`).click();
      const sent = await voted;
      expect(sent.variables.input).toEqual({ proposal: SEEDED, approve: true });
      expect(sent.variables.signature?.key).toBe(key);
      const tx = { origin, type: 'proposal.vote', nonce: sent.variables.signature?.nonce ?? '', body: { proposal: SEEDED, approve: true } };
      expect(verifyEd25519(key, `godown-tx/v1\n${jcs(tx)}`, sent.variables.signature?.signature ?? ''), `signature over ${jcs(tx)}`).toBe(true);
      const receipt = sent.data.voteOnProposal;
      expect(receipt.type).toBe('proposal.vote');
      await expect.poll(() => text(page, 'receipt')).toContain(interpolate(en.common.recorded.split('{{time}}')[0] ?? '', { index: receipt.index, type: 'proposal.vote' }));

      step('new count');
      await expect.poll(() => text(page, `proposal-approvals-${SEEDED}`)).toBe(interpolate(en.governance.ofNeeded, { approvals: 3, needed: 6 }));
      expect(await text(page, `vote-${SEEDED}-bank-east`)).toContain(`#${receipt.index}`);
      expect(await page.getByTestId(`vote-approve-${SEEDED}`).count()).toBe(0);

      step('entry');
      // The entry as the node keeps it: this key's signature over exactly the transaction rebuilt here.
      const { entry } = await graphql<{ entry: { entry: string | null } | null }>(
        node.baseUrl,
        `{ entry(index: ${receipt.index}) { entry } }`,
        {},
        (await session(page)).token,
      );
      const logged = JSON.parse(entry?.entry ?? 'null') as { key: string; sig: string; tx: typeof tx } | null;
      expect(logged?.tx).toEqual(tx);
      expect(logged?.key).toBe(key);
      expect(logged?.sig).toBe(sent.variables.signature?.signature);

      step('trust link');
      // The explorer's checkpoint says where to read what its checkpoints guarantee.
      await page.getByTestId('nav-explorer').click();
      await page.getByTestId('checkpoint-trust').click();
      await page.waitForURL('**/trust');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(en.trust.title);
    });
  });

  it('explains to a visitor who is not signed in why the ledger can be trusted, and where that ends, in Chinese and in English', async () => {
    const { node, browser } = ready();
    await scenario(node, 'trust-page', async ({ open, step }) => {
      const ctx = await browser.newContext({ baseURL: node.baseUrl, locale: 'zh-CN', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });
      const { page } = await open('visitor', ctx);

      step('zh-CN');
      await page.goto('/trust');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(zh.trust.title);
      expect(page.url()).toMatch(/\/trust$/);
      expect(await text(page, 'trust-does-witnesses')).toBe(zh.trust.does.witnesses);
      expect(await text(page, 'trust-does-quorum')).toBe(zh.trust.does.quorum);
      expect(await text(page, 'trust-not-truth')).toBe(zh.trust.doesNot.truth);
      expect(await text(page, 'trust-not-demo')).toBe(zh.trust.doesNot.demo);
      // The witnesses the node lists, by name: the demo's two banks.
      await expect.poll(() => text(page, 'trust-witnesses')).toBe(
        interpolate(zh.trust.witnessesListed, { names: 'witness.bank-jade.demo/w1, witness.bank-east.demo/w1' }),
      );
      expect(await text(page, 'footer-trust')).toBe(zh.trust.link);

      step('en');
      await page.getByTestId('language').selectOption('en');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(en.trust.title);
      expect(await text(page, 'trust-does-signed')).toBe(en.trust.does.signed);
      expect(await text(page, 'trust-does-final')).toBe(en.trust.does.final);
      expect(await text(page, 'trust-not-collusion')).toBe(en.trust.doesNot.collusion);
      expect(await text(page, 'trust-not-censorship')).toBe(en.trust.doesNot.censorship);
      expect(await text(page, 'footer-trust')).toBe(en.trust.link);
    });
  });
});
