/**
 * Warehouse receipts in a real browser against a real `godown demo` node:
 * an officer drafts, another user issues, the depositor holds the receipt,
 * and anyone with its link checks it, signed in or not. The signatures and
 * proofs the pages rely on are checked here again, apart from the
 * dashboard's code, and a lying node must turn the public check to ✗.
 */

import type { Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import { newUserContext } from './browser';
import { type Receipt, demoNode, demoSignIn, demoUser, flipFirstByte, nextGraphQL, scenario, session, text } from './harness';
import { graphql, interpolate, jcs, leafHash, rootFromInclusion, signEd25519, verifyCheckpoint, verifyEd25519 } from './independent';

const ready = demoNode();

const LOT = 'lot-qd-cu-0001';
/** Seeded by the demo: issued on the copper lot, then pledged by its holder to Jade River Bank. */
const PLEDGED = { id: 'wr-qd-cu-0001', number: 'QDWR-2026-0001' };
/** What the public check must never tell about the pledge: the bank, by name or id, and its loan reference. */
const PLEDGE_SECRETS = ['Jade River', '玉河银行', 'bank-jade', 'JR-LN-2026-0117'];

interface Entry {
  key: string;
  sig: string;
  time: string;
  tx: { origin: string; type: string; nonce: string; body: Record<string, unknown> };
}

interface ProofData {
  index: number;
  entry: string;
  leafHash: string;
  hashes: string[];
  checkpoint: string;
}

type Proven = { ok: true; entry: Entry; size: number } | { ok: false; why: string };

/**
 * The same checks the pages make, made here with node:crypto: the
 * checkpoint is signed by the log key, the entry is canonical and signed by
 * its key, hashes to its leaf, and the proof leads from that leaf to the
 * checkpoint's root.
 */
function proveIndependently(p: ProofData, logVkey: string): Proven {
  const checkpoint = verifyCheckpoint(p.checkpoint, logVkey);
  if (!checkpoint) return { ok: false, why: 'the checkpoint is not signed by the log key' };
  let entry: Entry;
  try {
    entry = JSON.parse(p.entry) as Entry;
  } catch {
    return { ok: false, why: 'the entry is not JSON' };
  }
  if (jcs(entry) !== p.entry) return { ok: false, why: 'the entry is not canonical' };
  if (!verifyEd25519(entry.key, `godown-tx/v1\n${jcs(entry.tx)}`, entry.sig)) return { ok: false, why: 'the entry signature does not verify' };
  if (leafHash(p.entry) !== p.leafHash) return { ok: false, why: 'the entry does not hash to its leaf' };
  if (rootFromInclusion(p.index, checkpoint.size, p.leafHash, p.hashes) !== checkpoint.root) {
    return { ok: false, why: 'the proof does not lead to the root' };
  }
  return { ok: true, entry, size: checkpoint.size };
}

function proven(p: ProofData, logVkey: string): { entry: Entry; size: number } {
  const r = proveIndependently(p, logVkey);
  if (!r.ok) throw new Error(`entry #${p.index}: ${r.why}`);
  return r;
}

/** The notice a signed change leaves, up to its time, which the test does not know to the second. */
function recorded(index: number, type: string): string {
  return interpolate(en.common.recorded.split('{{time}}')[0] ?? '', { index, type });
}

/** "150.000 t" → 150000: a quantity in thousandths, to compare without floating point. */
function thousandths(shown: string): number {
  const m = /^(\d+)\.(\d{3}) /.exec(shown);
  if (!m) throw new Error(`not a quantity in tonnes: ${shown}`);
  return Number(m[1]) * 1000 + Number(m[2]);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

interface ReceiptCheckAnswer {
  id: string;
  number: string;
  warehouse: string;
  warehouseName: string;
  status: string;
  encumbered: boolean;
  storageUntil: string;
  quantity: { value: string; unit: string };
  provenance: { index: number; entry: string; leafHash: string; hashes: string[]; signerOrg: string }[];
  checkpoint: string;
}

/** The public check's answer, proven here; returns the checkpoint size it was proven under. */
function proveCheck(check: ReceiptCheckAnswer, logVkey: string): number {
  expect(check.provenance.length).toBeGreaterThan(0);
  let size = 0;
  for (const p of check.provenance) size = proven({ ...p, checkpoint: check.checkpoint }, logVkey).size;
  return size;
}

/** Answers the page's ReceiptCheck query with the node's answer altered in transit; other requests pass untouched. */
function lyingNode(alter: (check: ReceiptCheckAnswer) => void) {
  return async (route: Route) => {
    const sent = route.request().postDataJSON() as { query?: string } | null;
    if (!/^\s*query ReceiptCheck\b/.test(sent?.query ?? '')) return route.continue();
    const response = await route.fetch();
    const body = (await response.json()) as { data: { receiptCheck: ReceiptCheckAnswer } };
    alter(body.data.receiptCheck);
    return route.fulfill({ response, json: body });
  };
}

/** Opens a receipt's public check and waits for the page's verdict; returns what the node answered. */
async function openCheck(page: Page, id: string, how: 'goto' | 'reload' = 'goto'): Promise<ReceiptCheckAnswer> {
  const answered = nextGraphQL<{ receiptCheck: ReceiptCheckAnswer | null }>(page, 'ReceiptCheck');
  const sent = page.waitForRequest((r) => r.url().endsWith('/graphql') && /^\s*query ReceiptCheck\b/.test((r.postDataJSON() as { query?: string } | null)?.query ?? ''));
  await (how === 'goto' ? page.goto(`/r/${id}`) : page.reload());
  // Anyone may check a receipt: the page asks without a session.
  expect((await (await sent).allHeaders()).authorization).toBeUndefined();
  const check = (await answered).data.receiptCheck;
  if (!check) throw new Error(`the node has no public check for ${id}`);
  await page.getByTestId('check-genuine').waitFor();
  return check;
}

describe('warehouse receipts against a real node', () => {
  beforeAll(async () => {
    // The receipts API and the demo's receipts are recent; an older binary would fail every step below, less clearly.
    const { node } = ready();
    const seeded = await graphql<{ receiptCheck: { status: string } | null }>(node.baseUrl, `{ receiptCheck(id: "${PLEDGED.id}") { status } }`, {}).catch(
      (e: unknown) => {
        throw new Error(`the godown binary predates the receipts demo; rebuild it (${String(e)})`);
      },
    );
    if (!seeded.receiptCheck) throw new Error(`the godown binary predates the receipts demo; rebuild it (no receipt ${PLEDGED.id})`);
  });

  it('is drafted by an officer, issued by an approver, held by the depositor and checked by anyone without signing in', async () => {
    const demo = ready();
    const { node, browser, origin, logVkey } = demo;
    await scenario(node, 'receipt-draft-issue-hold-check', async ({ open, step }) => {
      const number = `QDWR-E2E-${Date.now()}`;

      step('officer sign-in');
      const officer = await open('officer', await newUserContext(browser, node.baseUrl));
      const officerKey = await demoSignIn(demo, officer, 'wh-qingdao.officer');
      await officer.page.getByTestId('nav-warehouse').click();
      await officer.page.getByTestId(`lot-free-${LOT}`).waitFor();

      step('draft');
      // Every element of the receipt typed in the form; the signed body must carry exactly these.
      await officer.page.getByTestId(`draft-${LOT}`).click();
      const form = officer.page.getByTestId('draft-form');
      await form.waitFor();
      const storageFrom = await form.getByTestId('draft-from').inputValue();
      const storageUntil = addDays(storageFrom, 180);
      const typed = {
        number,
        quantity: '10.000',
        pieces: 4,
        lossAllowance: '0.005',
        storageFrom,
        storageUntil,
        fee: { currency: 'CNY', value: '1.20' },
        feeBasis: 'per tonne per day',
        insurance: { insurer: 'PICC P&C', amount: { currency: 'CNY', value: '700000.00' }, from: storageFrom, until: storageUntil },
        issuePlace: '青岛 Qingdao',
      };
      await form.getByTestId('draft-number').fill(typed.number);
      await form.getByTestId('draft-quantity').fill(typed.quantity);
      await form.getByTestId('draft-pieces').fill(String(typed.pieces));
      await form.getByTestId('draft-loss').fill(typed.lossAllowance);
      await form.getByTestId('draft-until').fill(typed.storageUntil);
      await form.getByTestId('draft-fee-currency').selectOption(typed.fee.currency);
      await form.getByTestId('draft-fee').fill(typed.fee.value);
      await form.getByTestId('draft-fee-basis').fill(typed.feeBasis);
      await form.getByTestId('draft-place').fill(typed.issuePlace);
      await form.getByTestId('draft-insured').check();
      await form.getByTestId('draft-insurer').fill(typed.insurance.insurer);
      await form.getByTestId('draft-insurance-currency').selectOption(typed.insurance.amount.currency);
      await form.getByTestId('draft-insurance-amount').fill(typed.insurance.amount.value);
      await form.getByTestId('draft-insurance-until').fill(typed.insurance.until);
      const drafted = nextGraphQL<{ draftReceipt: Receipt }>(officer.page, 'DraftReceipt');
      await form.getByTestId('draft-submit').click();
      const draft = await drafted;
      // The browser chooses the receipt's id; everything else is what was typed.
      const id = String(draft.variables.input?.receipt);
      expect(id).toMatch(/^wr-[a-z2-7]{20}$/);
      expect(draft.variables.input).toEqual({
        receipt: id,
        lot: LOT,
        number,
        quantity: typed.quantity,
        pieces: typed.pieces,
        terms: {
          lossAllowance: typed.lossAllowance,
          storageFrom,
          storageUntil,
          storageFee: typed.fee,
          feeBasis: typed.feeBasis,
          insurance: typed.insurance,
          issuePlace: typed.issuePlace,
        },
      });
      // The transaction rebuilt here, in the ledger's spelling, from what was typed: the signature is the officer's demo key's over it.
      const draftTx = {
        origin,
        type: 'receipt.draft',
        nonce: draft.variables.signature?.nonce,
        body: {
          receipt: id,
          lot: LOT,
          number,
          quantity: typed.quantity,
          pieces: typed.pieces,
          terms: {
            loss_allowance: typed.lossAllowance,
            storage_from: storageFrom,
            storage_until: storageUntil,
            storage_fee: typed.fee,
            fee_basis: typed.feeBasis,
            insurance: typed.insurance,
            issue_place: typed.issuePlace,
          },
        },
      };
      expect(draft.variables.signature?.key).toBe(officerKey);
      expect(verifyEd25519(officerKey, `godown-tx/v1\n${jcs(draftTx)}`, draft.variables.signature?.signature ?? '')).toBe(true);
      const draftIndex = draft.data.draftReceipt.index;
      expect(draft.data.draftReceipt.type).toBe('receipt.draft');
      await expect.poll(() => text(officer.page, 'receipt')).toContain(recorded(draftIndex, 'receipt.draft'));

      step('maker-checker in the page');
      // The draft waits in the officer's queue, but the officer may not issue it: no approver role, so no Issue button.
      const ownRow = officer.page.getByTestId(`draft-row-${number}`);
      await ownRow.waitFor();
      expect(await ownRow.getByTestId(`issue-${number}`).count()).toBe(0);
      // Not a receipt yet: the warehouse's list of issued receipts leaves it out.
      expect(await officer.page.getByTestId(`issued-${number}`).count()).toBe(0);

      step('maker-checker at the node');
      // Hiding the button is not the guard: the node refuses the officer's own issue, signed properly with the officer's key.
      const issueByOfficer = { origin, type: 'receipt.issue', nonce: `e2e-${Date.now()}`, body: { receipt: id } };
      const refused = graphql(
        node.baseUrl,
        'mutation($input: ReceiptRefInput!, $signature: SignatureInput!) { issueReceipt(input: $input, signature: $signature) { index } }',
        {
          input: { receipt: id },
          signature: {
            key: officerKey,
            nonce: issueByOfficer.nonce,
            signature: signEd25519(demoUser(demo, 'wh-qingdao.officer').pkcs8, `godown-tx/v1\n${jcs(issueByOfficer)}`),
          },
        },
        (await session(officer.page)).token,
      );
      await expect(refused).rejects.toThrow(/approver role/);

      step('approver issues');
      // Another user, in a browser of their own, issues it; the lot's free quantity falls by the receipt's.
      const approver = await open('approver', await newUserContext(browser, node.baseUrl));
      const approverKey = await demoSignIn(demo, approver, 'wh-qingdao.approver');
      await approver.page.getByTestId('nav-warehouse').click();
      const row = approver.page.getByTestId(`draft-row-${number}`);
      await row.waitFor();
      const freeBefore = thousandths(await text(approver.page, `lot-free-${LOT}`));
      const issueButton = row.getByTestId(`issue-${number}`);
      expect(await issueButton.isEnabled()).toBe(true);
      const issued = nextGraphQL<{ issueReceipt: Receipt }>(approver.page, 'IssueReceipt');
      await issueButton.click();
      const issue = await issued;
      expect(issue.variables.input).toEqual({ receipt: id });
      expect(issue.variables.signature?.key).toBe(approverKey);
      const issueTx = { origin, type: 'receipt.issue', nonce: issue.variables.signature?.nonce, body: { receipt: id } };
      expect(verifyEd25519(approverKey, `godown-tx/v1\n${jcs(issueTx)}`, issue.variables.signature?.signature ?? '')).toBe(true);
      const issueIndex = issue.data.issueReceipt.index;
      expect(issue.data.issueReceipt.type).toBe('receipt.issue');
      expect(issueIndex).toBeGreaterThan(draftIndex);
      await expect.poll(() => text(approver.page, 'receipt')).toContain(recorded(issueIndex, 'receipt.issue'));
      await expect.poll(() => row.count()).toBe(0);
      const listed = approver.page.getByTestId(`issued-${number}`);
      await expect.poll(async () => listed.getByTestId(`status-${number}`).textContent()).toBe(en.receiptStatus.LIVE);
      await expect.poll(async () => thousandths(await text(approver.page, `lot-free-${LOT}`))).toBe(freeBefore - 10_000);

      step('depositor holds it');
      // The depositor, Tongyuan, holds the new receipt: live, 10 t in 4 pieces.
      const depositor = await open('depositor', await newUserContext(browser, node.baseUrl));
      await demoSignIn(demo, depositor, 'sme-tongyuan.officer');
      await depositor.page.getByTestId('nav-receipts').click();
      const held = depositor.page.getByTestId(`receipt-row-${number}`);
      await held.waitFor();
      expect(await held.getByTestId(`status-${number}`).textContent()).toBe(en.receiptStatus.LIVE);
      expect(await held.getByTestId(`quantity-${number}`).textContent()).toBe(`${typed.quantity} ${en.units.TNE}`);
      expect(await held.textContent()).toContain(interpolate(en.warehouse.lots.pieces, { n: typed.pieces }));

      step('receipt detail');
      // Its page lists the signed history, each proof checked in the browser; the same proofs are checked here.
      const detailed = nextGraphQL<{ receipt: { warehouse: { name: string }; history: { index: number; type: string; signer: string; proof: ProofData }[] } }>(
        depositor.page,
        'ReceiptDetail',
      );
      await held.getByTestId(`receipt-link-${number}`).click();
      await depositor.page.waitForURL(`**/receipts/${id}`);
      expect(new URL(depositor.page.url()).pathname).toBe(`/receipts/${id}`);
      const detail = (await detailed).data.receipt;
      expect(detail.history.map((e) => [e.index, e.type])).toEqual(expect.arrayContaining([[draftIndex, 'receipt.draft'], [issueIndex, 'receipt.issue']]));
      for (const e of detail.history) {
        const { entry, size } = proven(e.proof, logVkey);
        expect(entry.key).toBe(e.signer);
        expect(entry.tx.type).toBe(e.type);
        await expect.poll(() => text(depositor.page, `event-proof-${e.index}`)).toBe(`✓ ${interpolate(en.receipt.proofOk, { size })}`);
      }
      // The node logged exactly what the officer and the approver signed in their browsers.
      const logged = (index: number) => {
        const e = detail.history.find((x) => x.index === index);
        if (!e) throw new Error(`entry #${index} is not in the receipt's history`);
        return proven(e.proof, logVkey).entry;
      };
      expect(logged(draftIndex)).toMatchObject({ key: officerKey, sig: draft.variables.signature?.signature, tx: draftTx });
      expect(logged(issueIndex)).toMatchObject({ key: approverKey, sig: issue.variables.signature?.signature, tx: issueTx });

      step('public check');
      // Anyone with the link, in a browser that never signed in, sees the receipt is genuine, free, live and how much.
      const anyoneCtx = await newUserContext(browser, node.baseUrl);
      const anyone = await open('anyone', anyoneCtx);
      const check = await openCheck(anyone.page, id);
      expect(await anyone.page.evaluate(() => sessionStorage.getItem('godown.session'))).toBeNull();
      expect((await anyoneCtx.storageState()).cookies).toEqual([]);
      const size = proveCheck(check, logVkey);
      // The one entry that made it is the approver's issue, signed for the warehouse.
      expect(check.provenance.map((p) => [p.index, p.signerOrg])).toEqual([[issueIndex, 'wh-qingdao']]);
      expect(check.warehouseName).toBe(detail.warehouse.name);
      const page = anyone.page;
      await expect.poll(() => text(page, 'check-genuine')).toBe(`✓ ${interpolate(en.check.genuine, { warehouse: detail.warehouse.name })}`);
      expect(await text(page, 'check-number')).toBe(number);
      expect(await text(page, 'check-encumbered')).toBe(en.check.encumberedNo);
      expect(await text(page, 'check-status')).toBe(`${en.receiptStatus.LIVE} · ${interpolate(en.check.until, { date: storageUntil })}`);
      expect(await text(page, 'check-quantity')).toBe(`${typed.quantity} ${en.units.TNE}`);
      expect(await text(page, 'check-proof')).toBe(interpolate(en.check.asOf, { size, entries: 1 }));

      // The same page must say ✗ when the node lies, each lie also caught here.
      const lies: { name: string; alter: (c: ReceiptCheckAnswer) => void; verdict: string }[] = [
        {
          name: 'a proof hash altered',
          alter: (c) => {
            const p = c.provenance[0];
            if (p) p.hashes = p.hashes.map((h, i) => (i === 0 ? flipFirstByte(h) : h));
          },
          verdict: `✗ ${en.check.notGenuine}: ${en.proof.step.inclusion} — ${en.proof.reason.ROOT_MISMATCH}`,
        },
        {
          name: 'one byte of the entry altered',
          alter: (c) => {
            const p = c.provenance[0];
            // The issue names the receipt; naming another one, still canonical JSON, must break the signature.
            if (p) p.entry = p.entry.replace(`"receipt":"${id}"`, `"receipt":"${id.slice(0, -1)}${id.endsWith('a') ? 'b' : 'a'}"`);
          },
          verdict: `✗ ${en.check.notGenuine}: ${en.proof.step.entry} — ${en.proof.reason.BAD_SIGNATURE}`,
        },
      ];
      for (const lie of lies) {
        step(`public check: ${lie.name}`);
        const tamper = lyingNode(lie.alter);
        await page.route('**/graphql', tamper);
        const told = await openCheck(page, id, 'reload');
        const altered = told.provenance[0];
        if (!altered) throw new Error('the node sent no provenance');
        expect(altered, 'the answer was altered in transit').not.toEqual(check.provenance[0]);
        expect(proveIndependently({ ...altered, checkpoint: told.checkpoint }, logVkey).ok, `${lie.name}, checked here`).toBe(false);
        await expect.poll(() => text(page, 'check-genuine')).toBe(lie.verdict);
        const failed = en.check.failedDetail.split('{{detail}}')[0] ?? '';
        expect((await text(page, 'check-proof')).startsWith(failed), 'the proof line says the check failed').toBe(true);
        await page.unroute('**/graphql', tamper);
      }

      step('public check again');
      // Told the truth again, the page is back to ✓.
      await openCheck(page, id, 'reload');
      await expect.poll(() => text(page, 'check-genuine')).toBe(`✓ ${interpolate(en.check.genuine, { warehouse: detail.warehouse.name })}`);
    });
  });

  it('shows a pledged receipt as pledged to anyone, without naming the bank', async () => {
    const { node, browser, logVkey } = ready();
    await scenario(node, 'pledged-receipt-public-check', async ({ open, step }) => {
      step('public check');
      const anyone = await open('anyone', await newUserContext(browser, node.baseUrl));
      const { page } = anyone;
      const check = await openCheck(page, PLEDGED.id);
      proveCheck(check, logVkey);
      expect(check.encumbered).toBe(true);
      await expect.poll(() => text(page, 'check-genuine')).toBe(`✓ ${interpolate(en.check.genuine, { warehouse: check.warehouseName })}`);
      expect(await text(page, 'check-number')).toBe(PLEDGED.number);
      expect(await text(page, 'check-encumbered')).toBe(en.check.encumberedYes);
      // Both demo witnesses vouch for the seeded history, their cosignatures checked in the page.
      expect(await text(page, 'check-witnesses')).toBe(interpolate(en.check.witnesses, { count: 2 }));
      expect(await text(page, 'check-status')).toContain(en.receiptStatus.LIVE);

      step('the pledgee stays private');
      // Neither the page nor what the node sent it names the bank or the loan.
      const shown = await page.evaluate(() => document.body.innerText);
      const markup = await page.content();
      // The cosignature lines name the witnesses the ledger lists for every
      // receipt alike (a bank's witness is named after its bank); they say
      // nothing of this receipt's pledge, so they are left out here.
      const witnessLine = /^— witness\.[^\n]*\n/gm;
      const sent = JSON.stringify({ ...check, checkpoint: check.checkpoint.replace(witnessLine, '') });
      for (const secret of PLEDGE_SECRETS) {
        expect(shown, `the page text names ${secret}`).not.toContain(secret);
        expect(markup, `the page markup names ${secret}`).not.toContain(secret);
        expect(sent, `the node's answer names ${secret}`).not.toContain(secret);
      }
    });
  });
});
