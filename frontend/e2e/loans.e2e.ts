/**
 * Financing in real browsers against a real `godown demo` node: an SME
 * applies against a free copper receipt, the warehouse confirms it holds the
 * goods, a bank officer proposes terms and another user of the bank approves
 * them; the SME then sees the loan approved. Four users, four browsers, each
 * signing with its own key; every signature and proof is checked here again,
 * apart from the dashboard's code.
 */

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import { newUserContext } from './browser';
import { type Receipt, type Scenario, demoNode, demoSignIn, nextGraphQL, scenario, text } from './harness';
import { graphql, interpolate, jcs, leafHash, rootFromInclusion, verifyCheckpoint, verifyEd25519 } from './independent';

const ready = demoNode();

/** Seeded by the demo: 100 t of copper cathode at Qingdao, held by Tongyuan, free. */
const RECEIPT = 'wr-qd-cu-0101';
const COPPER = '740311';

interface Entry {
  key: string;
  sig: string;
  tx: { origin: string; type: string; nonce: string; body: Record<string, unknown> };
}

interface LoanEvent {
  index: number;
  type: string;
  signer: string;
  proof: { index: number; entry: string; leafHash: string; hashes: string[]; checkpoint: string };
}

/** The entry, proven here with node:crypto: signed checkpoint, canonical signed entry, its leaf, and the path to the root. */
function proven(e: LoanEvent, logVkey: string): { entry: Entry; size: number } {
  const checkpoint = verifyCheckpoint(e.proof.checkpoint, logVkey);
  if (!checkpoint) throw new Error(`entry #${e.index}: the checkpoint is not signed by the log key`);
  const entry = JSON.parse(e.proof.entry) as Entry;
  if (jcs(entry) !== e.proof.entry) throw new Error(`entry #${e.index}: not canonical`);
  if (!verifyEd25519(entry.key, `godown-tx/v1\n${jcs(entry.tx)}`, entry.sig)) throw new Error(`entry #${e.index}: the signature does not verify`);
  if (leafHash(e.proof.entry) !== e.proof.leafHash) throw new Error(`entry #${e.index}: not its leaf`);
  if (rootFromInclusion(e.proof.index, checkpoint.size, e.proof.leafHash, e.proof.hashes) !== checkpoint.root) {
    throw new Error(`entry #${e.index}: the proof does not lead to the root`);
  }
  return { entry, size: checkpoint.size };
}

/** The notice a signed change leaves, up to its time. */
function recorded(index: number, type: string): string {
  return interpolate(en.common.recorded.split('{{time}}')[0] ?? '', { index, type });
}

/** "2959600.00" → "2,959,600.00", as the pages group digits. */
function grouped(value: string): string {
  const [whole = '', frac] = value.split('.');
  const g = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? g : `${g}.${frac}`;
}

/** The date in China Standard Time, as the contract reads dates, `days` on. */
function chinaDate(days = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

interface Signed {
  receipt: Receipt;
  input: Record<string, unknown>;
  tx: Entry['tx'];
  signature: string;
}

/**
 * Runs `act` and takes the page's next mutation of that name; checks it is
 * signed by `key` over the transaction rebuilt here, in the ledger's
 * spelling, from what was typed (`body` is given the input sent, for the ids
 * the browser chose), and that the page says where it landed.
 */
async function signed(
  s: Scenario,
  page: Page,
  operation: string,
  act: () => Promise<unknown>,
  expected: { origin: string; key: string; type: string; body: (input: Record<string, unknown>) => Record<string, unknown> },
): Promise<Signed> {
  const call = nextGraphQL<Record<string, Receipt>>(page, operation);
  await act();
  const sent = await call;
  const input = sent.variables.input ?? {};
  const signature = sent.variables.signature?.signature ?? '';
  const tx = { origin: expected.origin, type: expected.type, nonce: sent.variables.signature?.nonce ?? '', body: expected.body(input) };
  expect(sent.variables.signature?.key, `${operation} signed by the user's key`).toBe(expected.key);
  expect(verifyEd25519(expected.key, `godown-tx/v1\n${jcs(tx)}`, signature), `${operation} signature over ${jcs(tx)}`).toBe(true);
  const receipt = sent.data[operation.charAt(0).toLowerCase() + operation.slice(1)] as Receipt;
  expect(receipt.type).toBe(expected.type);
  s.step(`${operation} recorded`);
  await expect.poll(() => text(page, 'receipt')).toContain(recorded(receipt.index, expected.type));
  return { receipt, input, tx, signature };
}

describe('financing against a real node', () => {
  beforeAll(async () => {
    // The financing API and the demo's loans are recent; an older binary would fail every step below, less clearly.
    const { node } = ready();
    await graphql<{ receiptCheck: { status: string } | null }>(node.baseUrl, `{ receiptCheck(id: "${RECEIPT}") { status encumbered } }`, {}).then(
      (r) => {
        if (!r.receiptCheck) throw new Error(`the godown binary predates the financing demo (no receipt ${RECEIPT}); rebuild it`);
      },
      (e: unknown) => {
        throw new Error(`the godown binary predates the financing demo; rebuild it (${String(e)})`);
      },
    );
  });

  it('is applied for by an SME, confirmed by the warehouse, proposed by a bank officer and approved by another user of the bank', async () => {
    const demo = ready();
    const { node, browser, origin, logVkey } = demo;
    await scenario(node, 'loan-apply-confirm-propose-approve', async (s) => {
      const { open, step } = s;

      step('SME sign-in');
      const sme = await open('sme', await newUserContext(browser, node.baseUrl));
      const smeKey = await demoSignIn(demo, sme, 'sme-tongyuan.officer');
      await sme.page.getByTestId('nav-financing').click();
      await sme.page.getByTestId(`apply-receipt-${RECEIPT}`).waitFor();

      step('indicative maximum');
      // Picking the receipt asks the node what it would support; the page shows the node's answer.
      const valued = nextGraphQL<{ indicativeValuation: { maxLoan: { currency: string; value: string }; unpriced: string[] } }>(sme.page, 'IndicativeValuation');
      await sme.page.getByTestId(`apply-pick-${RECEIPT}`).check();
      const valuation = await valued;
      expect(valuation.variables).toEqual({ receipts: [RECEIPT], currency: 'CNY' });
      // The demo publishes a copper price in CNY per tonne: nothing unpriced, something to lend.
      const max = valuation.data.indicativeValuation.maxLoan;
      expect(valuation.data.indicativeValuation.unpriced).toEqual([]);
      expect(Number(max.value)).toBeGreaterThan(0);
      await expect.poll(() => text(sme.page, 'indicative-max')).toBe(`CNY ${grouped(max.value)}`);

      step('apply');
      const form = sme.page.getByTestId('apply-form');
      await form.getByTestId('apply-bank').selectOption('bank-jade');
      const amount = '1000000.00';
      await form.getByTestId('apply-amount').fill(amount);
      await form.getByTestId('apply-tenor').fill('180');
      await form.getByTestId('apply-purpose').fill('采购电解铜 copper purchase');
      const apply = await signed(s, sme.page, 'ApplyForLoan', () => form.getByTestId('apply-submit').click(), {
        origin,
        key: smeKey,
        type: 'loan.apply',
        body: (input) => ({
          loan: input.loan,
          bank: 'bank-jade',
          amount: { currency: 'CNY', value: amount },
          tenor_days: 180,
          purpose: '采购电解铜 copper purchase',
          receipts: [RECEIPT],
        }),
      });
      const loan = String(apply.input.loan);
      expect(loan).toMatch(/^ln-[0-9a-f]{20}$/);
      await sme.page.getByTestId(`loan-row-${loan}`).waitFor();
      expect(await text(sme.page, `loan-status-${loan}`)).toBe(en.loanStatus.APPLIED);

      step('warehouse confirms');
      const wh = await open('warehouse', await newUserContext(browser, node.baseUrl));
      const whKey = await demoSignIn(demo, wh, 'wh-qingdao.officer');
      await wh.page.getByTestId('nav-pledges').click();
      const confirmButton = wh.page.getByTestId(`confirm-pledge-${loan}-${RECEIPT}`);
      await confirmButton.waitFor();
      const confirm = await signed(s, wh.page, 'ConfirmPledge', () => confirmButton.click(), {
        origin,
        key: whKey,
        type: 'pledge.confirm',
        body: () => ({ loan, receipt: RECEIPT }),
      });
      await expect.poll(() => wh.page.getByTestId(`confirmation-${loan}`).count()).toBe(0);

      step('officer proposes');
      const officer = await open('officer', await newUserContext(browser, node.baseUrl));
      const officerKey = await demoSignIn(demo, officer, 'bank-jade.officer');
      await officer.page.getByTestId('nav-lending').click();
      const row = officer.page.getByTestId(`queue-row-${loan}`);
      await row.waitFor();
      // The receipt's public check is one click from the queue.
      expect(await row.getByTestId(`check-${RECEIPT}`).getAttribute('href')).toBe(`/r/${RECEIPT}`);
      await row.getByTestId(`queue-open-${loan}`).click();
      await officer.page.waitForURL(`**/loans/${loan}`);
      const propose = officer.page.getByTestId('propose-form');
      await propose.waitFor();
      // The bank's usual terms are filled in; the officer signs them as they are.
      const terms = {
        principal: { currency: 'CNY', value: amount },
        annual_rate: '0.0435',
        day_count: 'act360',
        maturity: chinaDate(180),
        grace_days: 3,
        penalty_rate: '0.0650',
        haircuts: [{ hs_code: COPPER, haircut: '0.30' }],
        max_ltv: '0.70',
        margin_call_ltv: '0.80',
        liquidation_ltv: '0.90',
        cure_days: 5,
      };
      expect(await propose.getByTestId('propose-maturity').inputValue()).toBe(terms.maturity);
      const proposal = await signed(s, officer.page, 'ProposeLoanTerms', () => propose.getByTestId('propose-submit').click(), {
        origin,
        key: officerKey,
        type: 'loan.propose',
        body: () => ({ loan, terms }),
      });
      await expect.poll(() => text(officer.page, 'loan-status')).toBe(en.loanStatus.PROPOSED);
      // An officer proposes; deciding is for an approver.
      expect(await officer.page.getByTestId('approve-form').count()).toBe(0);

      step('approver approves');
      const approver = await open('approver', await newUserContext(browser, node.baseUrl));
      const approverKey = await demoSignIn(demo, approver, 'bank-jade.approver');
      await approver.page.getByTestId('nav-lending').click();
      await approver.page.getByTestId(`queue-open-${loan}`).click();
      await approver.page.getByTestId('approve-form').waitFor();
      expect(await approver.page.getByTestId('approve-own').count()).toBe(0);
      const approval = await signed(s, approver.page, 'ApproveLoan', () => approver.page.getByTestId('approve-submit').click(), {
        origin,
        key: approverKey,
        type: 'loan.approve',
        body: () => ({ loan }),
      });
      await expect.poll(() => text(approver.page, 'loan-status')).toBe(en.loanStatus.APPROVED);

      step('SME sees it approved');
      const detailed = nextGraphQL<{ loan: { status: string; history: LoanEvent[] } }>(sme.page, 'LoanDetail');
      await sme.page.getByTestId(`loan-link-${loan}`).click();
      await sme.page.waitForURL(`**/loans/${loan}`);
      const detail = (await detailed).data.loan;
      expect(detail.status).toBe('APPROVED');
      await expect.poll(() => text(sme.page, 'loan-status')).toBe(en.loanStatus.APPROVED);
      expect(await sme.page.getByTestId('step-APPROVED').getAttribute('data-state')).toBe('current');

      step('signed history');
      // The four signed steps, in order, each as its signer signed it in their browser, each proof checked here and in the page.
      const steps = [apply, confirm, proposal, approval];
      expect(detail.history.map((e) => [e.index, e.type])).toEqual(steps.map((x) => [x.receipt.index, x.tx.type]));
      const keys = [smeKey, whKey, officerKey, approverKey];
      for (const [i, e] of detail.history.entries()) {
        const { entry, size } = proven(e, logVkey);
        const step = steps[i];
        if (!step) throw new Error(`no signed step for entry #${e.index}`);
        expect(entry).toMatchObject({ key: keys[i], sig: step.signature, tx: step.tx });
        expect(e.signer).toBe(keys[i]);
        await expect.poll(() => text(sme.page, `loan-event-type-${e.index}`)).toBe(en.txType[e.type as keyof typeof en.txType]);
        await expect.poll(() => text(sme.page, `loan-event-proof-${e.index}`)).toBe(`✓ ${interpolate(en.receipt.proofOk, { size })}`);
      }
    });
  });
});
