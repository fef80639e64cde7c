// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import i18n from '../i18n';
import en from '../i18n/en.json';
import { addDays } from '../loans/rules';
import { type PageNode, onlyEntry, pageNode } from '../testing/node';
import { todayInChina } from './rules';

// The live feed is not what these pages show, and jsdom's WebSocket cannot carry it under vitest
// (see src/app/App.test.tsx): the explorer a sign-in lands on gets a subscription that stays quiet.
vi.mock('graphql-ws', () => ({
  createClient: () => ({ subscribe: () => () => undefined, dispose: async () => undefined }),
}));

const ready = pageNode();

/** A copper lot of Qinggang's with stock free to receipt, held for Tongyuan (seeded by `godown demo`). */
const LOT = 'lot-qd-cu-0001';

beforeEach(async () => {
  sessionStorage.clear();
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
});

function open(path: string) {
  window.history.pushState({}, '', path);
  return render(<App />);
}

/** Signs in from the login page; done once the user's organisation is known, and with it the navigation. */
async function signInAs(userId: string) {
  fireEvent.click(await screen.findByTestId(`demo-login-${userId}`));
  const { name } = ready().user(userId);
  await waitFor(() => expect(screen.getByTestId('signed-in-user').textContent).toContain(name));
}

const change = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

/** Thousandths of a quantity, for sums without floating point. */
const milli = (v: string) => {
  const [whole = '0', frac = ''] = v.split('.');
  return BigInt(whole) * 1000n + BigInt(frac.padEnd(3, '0').slice(0, 3) || '0');
};

/** A lot's figures as the node reports them to its warehouse. */
async function lotFigures(node: PageNode, lot: string): Promise<{ free: string; receipted: string }> {
  const { lot: found } = await node.query<{ lot: { free: { value: string }; receipted: { value: string } } | null }>(
    'wh-qingdao.officer',
    `{ lot(id: "${lot}") { free { value } receipted { value } } }`,
  );
  if (!found) throw new Error(`Qinggang sees no lot ${lot}`);
  return { free: found.free.value, receipted: found.receipted.value };
}

/** The demo's receipt terms in GraphQL and in the ledger's spelling, uninsured, stored from today. */
function uninsuredTerms() {
  const from = todayInChina();
  const until = addDays(from, 180);
  return {
    input: { lossAllowance: '0.002', storageFrom: from, storageUntil: until, storageFee: { currency: 'CNY', value: '1.20' }, feeBasis: 'per tonne per day', insurance: null, issuePlace: 'Qingdao' },
    body: { loss_allowance: '0.002', storage_from: from, storage_until: until, storage_fee: { currency: 'CNY', value: '1.20' }, fee_basis: 'per tonne per day', insurance: null, issue_place: 'Qingdao' },
  };
}

/** Drafts a receipt on the copper lot for real, signed by `officer`; issued too when an approver is named. */
async function receiptMadeForReal(node: PageNode, officer: string, receipt: string, number: string, approver?: string) {
  const terms = uninsuredTerms();
  const draft = { receipt, lot: LOT, number, quantity: '5.000', pieces: 2 };
  await node.submit(officer, { type: 'receipt.draft', input: { ...draft, terms: terms.input }, body: { ...draft, terms: terms.body } });
  if (approver) await node.submit(approver, { type: 'receipt.issue', input: { receipt }, body: { receipt } });
}

describe('the warehouse page', () => {
  it('lets an officer draft a receipt and another user with the approver role issue it', async () => {
    const node = ready();
    const figures = await lotFigures(node, LOT);
    open('/login');
    await signInAs('wh-qingdao.officer');
    fireEvent.click(await screen.findByTestId('nav-warehouse'));
    const row = await screen.findByTestId(`lot-${LOT}`);
    expect(within(row).getByTestId(`lot-free-${LOT}`).textContent).toBe(`${figures.free} t`);

    fireEvent.click(within(row).getByTestId(`draft-${LOT}`));
    await screen.findByTestId('draft-form');
    // The storage period starts today (the form's default); the node refuses none of it.
    const from = (screen.getByTestId('draft-from') as HTMLInputElement).value;
    const until = addDays(from, 180);
    change('draft-number', 'QDWR-2026-PT01');
    change('draft-quantity', '10.000');
    change('draft-pieces', '4');
    change('draft-until', until);
    change('draft-fee', '12.50');
    change('draft-fee-basis', 'per tonne per month');
    change('draft-place', 'Shanghai');
    fireEvent.click(screen.getByTestId('draft-insured'));
    change('draft-insurer', 'PICC');
    change('draft-insurance-amount', '800000.00');
    change('draft-insurance-until', until);
    const before = await node.size();
    fireEvent.click(screen.getByTestId('draft-submit'));
    await screen.findByTestId('receipt');

    const draft = onlyEntry(await node.since(before), 'receipt.draft');
    expect(draft.key).toBe(node.key('wh-qingdao.officer'));
    expect(draft.tx.body).toMatchObject({
      lot: LOT,
      number: 'QDWR-2026-PT01',
      quantity: '10.000',
      pieces: 4,
      terms: {
        loss_allowance: '0.005',
        storage_from: from,
        storage_until: until,
        storage_fee: { currency: 'CNY', value: '12.50' },
        fee_basis: 'per tonne per month',
        insurance: { insurer: 'PICC', amount: { currency: 'CNY', value: '800000.00' }, from, until },
        issue_place: 'Shanghai',
      },
    });
    expect(String(draft.tx.body.receipt)).toMatch(/^wr-[a-z2-7]{20}$/);
    const queued = await screen.findByTestId('draft-row-QDWR-2026-PT01');
    // The officer is no approver: nothing to issue.
    expect(within(queued).queryByTestId('issue-QDWR-2026-PT01')).toBeNull();

    fireEvent.click(screen.getByTestId('sign-out'));
    await signInAs('wh-qingdao.approver');
    fireEvent.click(await screen.findByTestId('nav-warehouse'));
    const issueButton = await screen.findByTestId('issue-QDWR-2026-PT01');
    const beforeIssue = await node.size();
    fireEvent.click(issueButton);
    await screen.findByTestId('receipt');
    const issue = onlyEntry(await node.since(beforeIssue), 'receipt.issue');
    expect(issue.key).toBe(node.key('wh-qingdao.approver'));
    expect(issue.tx.body).toEqual({ receipt: draft.tx.body.receipt });
    await waitFor(() => expect(screen.queryByTestId('draft-row-QDWR-2026-PT01')).toBeNull());
    expect((await screen.findByTestId('status-QDWR-2026-PT01')).textContent).toBe(en.receiptStatus.LIVE);
    // The lot now has ten tonnes more under receipt, by the node's count as on the page.
    const after = await lotFigures(node, LOT);
    expect(milli(after.receipted) - milli(figures.receipted)).toBe(10_000n);
    await waitFor(() => expect(screen.getByTestId(`lot-receipted-${LOT}`).textContent).toBe(`${after.receipted} t`));
  });

  it('receives goods with a document uploaded first and named by its hash', async () => {
    const node = ready();
    open('/login');
    await signInAs('wh-qingdao.officer');
    fireEvent.click(await screen.findByTestId('nav-warehouse'));
    await screen.findByTestId('receive-form');
    const depositor = screen.getByTestId('receive-depositor') as HTMLSelectElement;
    await waitFor(() => expect([...depositor.options].map((o) => o.value)).toContain('sme-fenghe'));
    change('receive-depositor', 'sme-fenghe');
    change('receive-commodity', 'soybeans');
    change('receive-hs-code', '120190');
    change('receive-grade', 'No. 2');
    change('receive-quantity', '500.5');
    change('receive-packaging', 'bulk');
    change('receive-pieces', '0');
    change('receive-location', 'Silo 4');
    // The contract takes no empty text for the marks: the form waits for them.
    expect((screen.getByTestId('receive-submit') as HTMLButtonElement).disabled).toBe(true);
    change('receive-marks', 'FH-SB-42');
    change('receive-location', 'Silo 4');
    const ticket = 'weighbridge ticket 42';
    const file = new File([ticket], 'ticket.txt', { type: 'text/plain' });
    fireEvent.change(screen.getByTestId('receive-documents'), { target: { files: [file] } });
    const before = await node.size();
    fireEvent.click(screen.getByTestId('receive-submit'));
    await screen.findByTestId('receipt');
    const receive = onlyEntry(await node.since(before), 'lot.receive');
    // The document is named by the SHA-256 of its bytes, worked out here, and the node holds those bytes.
    const hash = createHash('sha256').update(ticket).digest('hex');
    expect(receive.tx.body).toEqual({
      lot: receive.tx.body.lot,
      depositor: 'sme-fenghe',
      commodity: 'soybeans',
      hs_code: '120190',
      grade: 'No. 2',
      quantity: '500.5',
      unit: 'TNE',
      packaging: 'bulk',
      pieces: 0,
      marks: 'FH-SB-42',
      location: 'Silo 4',
      documents: [hash],
    });
    const stored = await fetch(`${node.baseUrl}/documents/${hash}`, { headers: { Authorization: `Bearer ${await node.token('wh-qingdao.officer')}` } });
    expect(await stored.text()).toBe(ticket);
    expect(String(receive.tx.body.lot)).toMatch(/^lot-[a-z2-7]{20}$/);
    await screen.findByTestId(`lot-${String(receive.tx.body.lot)}`);
  });

  it('shows the contract error when the maker tries to check their own draft', async () => {
    const node = ready();
    // Wu Fang is made an officer as well, by her admin, and drafts a receipt herself.
    await node.submit('wh-qingdao.admin', { type: 'role.grant', input: { user: 'wh-qingdao.approver', role: 'OFFICER' }, body: { user: 'wh-qingdao.approver', role: 'officer' } });
    await receiptMadeForReal(node, 'wh-qingdao.approver', 'wr-page-test-own-draft', 'QDWR-2026-PT09');
    open('/login');
    await signInAs('wh-qingdao.approver');
    fireEvent.click(await screen.findByTestId('nav-warehouse'));
    const issue = (await screen.findByTestId('issue-QDWR-2026-PT09')) as HTMLButtonElement;
    expect(issue.disabled).toBe(true);
    expect(screen.getByTestId('draft-row-QDWR-2026-PT09').textContent).toContain('another approver must issue it');
  });
});

describe('my receipts', () => {
  it('lets an SME endorse a receipt to a bank, pending the warehouse', async () => {
    const node = ready();
    open('/login');
    await signInAs('sme-tongyuan.officer');
    fireEvent.click(await screen.findByTestId('nav-receipts'));
    await screen.findByTestId('receipt-row-QDWR-2026-0003');
    expect(screen.getByTestId('status-QDWR-2026-0003').textContent).toBe(en.receiptStatus.LIVE);
    fireEvent.click(screen.getByTestId('endorse-QDWR-2026-0003'));
    await screen.findByTestId('endorse-form');
    change('endorse-to', 'bank-jade');
    const before = await node.size();
    fireEvent.click(screen.getByTestId('endorse-submit'));
    await screen.findByTestId('receipt');
    const endorse = onlyEntry(await node.since(before), 'receipt.endorse');
    expect(endorse.key).toBe(node.key('sme-tongyuan.officer'));
    expect(endorse.tx.body).toEqual({ receipt: 'wr-qd-cu-0003', to: 'bank-jade' });
    await screen.findByTestId('transfer-pending-QDWR-2026-0003');
    expect(screen.queryByTestId('endorse-QDWR-2026-0003')).toBeNull();
  });

  it('refuses a split whose parts do not sum before signing, then signs one that does', async () => {
    const node = ready();
    open('/login');
    await signInAs('sme-tongyuan.officer');
    fireEvent.click(await screen.findByTestId('nav-receipts'));
    // QDWR-2026-F0114: 100 t in 40 pieces, free.
    fireEvent.click(await screen.findByTestId('split-QDWR-2026-F0114'));
    await screen.findByTestId('split-form');
    change('split-quantity-0', '60.000');
    change('split-pieces-0', '20');
    change('split-quantity-1', '30');
    change('split-pieces-1', '20');
    expect(screen.getByTestId('split-remainder').textContent).toBe('Still to allocate: 10.000 t and 0 pieces');
    const submit = screen.getByTestId('split-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    const before = await node.size();
    fireEvent.submit(screen.getByTestId('split-form'));
    await act(() => new Promise((r) => setTimeout(r, 200)));
    expect(await node.size()).toBe(before);

    change('split-quantity-1', '40');
    expect(screen.getByTestId('split-remainder').textContent).toBe('The parts add up to the receipt.');
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await screen.findByTestId('receipt');
    const split = onlyEntry(await node.since(before), 'receipt.split');
    expect(split.tx.body.receipt).toBe('wr-qd-cu-0114');
    const parts = split.tx.body.parts as { receipt: string; quantity: string; pieces: number }[];
    expect(parts.map((p) => [p.quantity, p.pieces])).toEqual([
      ['60.000', 20],
      ['40', 20],
    ]);
    for (const p of parts) expect(p.receipt).toMatch(/^wr-[a-z2-7]{20}$/);
    // The node numbers the parts after their parent.
    await screen.findByTestId('receipt-row-QDWR-2026-F0114-S1');
    expect(screen.getByTestId('receipt-row-QDWR-2026-F0114-S2')).toBeTruthy();
  });

  it('shows a receipt with its art. 909 elements, a QR code of its public check and a print button', async () => {
    const node = ready();
    // An uninsured receipt for Tongyuan, drafted and issued for real by Qinggang's maker and checker.
    await receiptMadeForReal(node, 'wh-qingdao.officer', 'wr-page-test-uninsured', 'QDWR-2026-PT07', 'wh-qingdao.approver');
    open('/login');
    await signInAs('sme-tongyuan.officer');
    fireEvent.click(await screen.findByTestId('nav-receipts'));
    fireEvent.click(await screen.findByTestId('receipt-link-QDWR-2026-PT07'));
    const doc = await screen.findByTestId('receipt-document');
    expect(within(doc).getByTestId('receipt-number').textContent).toBe('QDWR-2026-PT07');
    expect(within(doc).getByTestId('receipt-quantity').textContent).toBe('5.000 t');
    expect(within(doc).getByTestId('receipt-insurance').textContent).toBe(en.receipt.uninsured);
    const qr = await within(doc).findByTestId('receipt-qr');
    expect(qr.getAttribute('data-text')).toBe(`${window.location.origin}/r/wr-page-test-uninsured`);
    expect(qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    const print = vi.fn();
    window.print = print;
    fireEvent.click(screen.getByTestId('print'));
    expect(print).toHaveBeenCalled();
  });
});

/** A free, live copper receipt of the demo's: QDWR-2026-F0101, 100 t. */
const FREE = 'wr-qd-cu-0101';

describe('the public receipt check', () => {
  it('shows a genuine, free receipt without signing in', async () => {
    const node = ready();
    const size = await node.size();
    open(`/r/${FREE}`);
    const genuine = await screen.findByTestId('check-genuine');
    expect(genuine.textContent).toContain('✓');
    expect(genuine.textContent).toContain(node.users.find((u) => u.org === 'wh-qingdao')?.orgName);
    expect(screen.getByTestId('check-status').textContent).toContain(en.receiptStatus.LIVE);
    expect(screen.getByTestId('check-encumbered').textContent).toBe(en.check.encumberedNo);
    expect(screen.getByTestId('check-quantity').textContent).toBe('100.000 t');
    await waitFor(() => expect(screen.getByTestId('check-proof').textContent).toContain(`checkpoint ${size}`));
    expect(screen.queryByTestId('sign-out')).toBeNull();
  });

  it('checks a receipt a holder split without naming the holder: its split is proved to be in the log by its leaf hash alone', async () => {
    ready();
    // Seeded by the demo: wr-qd-cu-0002, endorsed to Ganglian, split by it into 0021 and 0022.
    open('/r/wr-qd-cu-0021');
    const genuine = await screen.findByTestId('check-genuine');
    await waitFor(() => expect(genuine.textContent).toContain('✓'));
    expect(screen.getByTestId('check-withheld').textContent).toBe(en.check.withheld.replace('{{count}}', '1'));
    const shown = screen.getByTestId('receipt-check').textContent ?? '';
    for (const unnamed of ['ganglian', 'Ganglian', 'tongyuan', 'wr-qd-cu-0022']) expect(shown).not.toContain(unnamed);
  });

  it('says how many witnesses vouch for the check, their cosignatures checked in the browser', async () => {
    ready();
    open(`/r/${FREE}`);
    // The demo's two bank witnesses cosign within a moment of each entry.
    const vouched = en.check.witnesses.replace('{{count}}', '2');
    await waitFor(() => expect(screen.getByTestId('check-witnesses').textContent).toBe(vouched), { timeout: 10_000 });
  });

  it('counts no witness whose cosignature does not verify, and still checks the entries', async () => {
    const node = ready();
    node.lie('ReceiptCheck', (data) => {
      const check = data.receiptCheck as { checkpoint: string };
      // Every cosignature line altered in one character of its signature; the log's own signature stays intact.
      const lines = check.checkpoint.split('\n');
      if (!lines.some((l) => l.startsWith('— witness.'))) throw new Error('the check carries no cosignature to alter');
      const flip = (line: string) => {
        const at = line.length - 10;
        return line.slice(0, at) + (line[at] === 'A' ? 'B' : 'A') + line.slice(at + 1);
      };
      check.checkpoint = lines.map((l) => (l.startsWith('— witness.') ? flip(l) : l)).join('\n');
    });
    open(`/r/${FREE}`);
    const genuine = await screen.findByTestId('check-genuine');
    expect(genuine.textContent).toContain('✓');
    expect(screen.getByTestId('check-witnesses').textContent).toBe(en.check.noWitnesses);
  });

  it('shows ✗ genuine when a hash in the proof is altered', async () => {
    const node = ready();
    node.lie('ReceiptCheck', (data) => {
      const [p] = (data.receiptCheck as { provenance: { hashes: string[] }[] }).provenance;
      const h = p?.hashes[1];
      if (!p || !h) throw new Error('the node proved the receipt with fewer than two hashes');
      p.hashes[1] = (h[0] === 'A' ? 'B' : 'A') + h.slice(1);
    });
    open(`/r/${FREE}`);
    const genuine = await screen.findByTestId('check-genuine');
    expect(genuine.textContent).toContain('✗');
    expect(genuine.textContent).toContain(en.proof.reason.ROOT_MISMATCH);
  });

  it('shows ✗ when the signed entries make another receipt', async () => {
    const node = ready();
    node.lie('ReceiptCheck', (data) => {
      (data.receiptCheck as { id: string }).id = 'wr-eeeeeeeeeeeeeeeeeeee';
    });
    open(`/r/${FREE}`);
    const genuine = await screen.findByTestId('check-genuine');
    expect(genuine.textContent).toContain('✗');
    expect(genuine.textContent).toContain(en.check.reason.NOT_THIS_RECEIPT);
  });
});
