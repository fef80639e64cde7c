// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import { toBase64 } from '../crypto/base64';
import { importPkcs8 } from '../crypto/ed25519';
import { pemToDer } from '../crypto/pem';
import { vectorText } from '../crypto/testing/vectors';
import i18n from '../i18n';
import { type MockLot, type MockReceipt, MockNode, type MockUser } from '../testing/mockNode';

vi.mock('graphql-ws', () => ({
  createClient: () => ({ subscribe: () => () => undefined, dispose: async () => undefined }),
}));

const der = (name: string) => pemToDer(vectorText(`godown/keys/${name}.pem`));
const keys: Record<string, { pkcs8: string; key: string }> = {};

beforeAll(async () => {
  for (const name of ['sme', 'bank', 'warehouse', 'witness-bank']) {
    keys[name] = { pkcs8: toBase64(der(name)), key: (await importPkcs8(der(name))).publicKey };
  }
});

function user(id: string, name: string, roles: string[], keyName: string, enrolledAt: number): MockUser {
  const k = keys[keyName] as { pkcs8: string; key: string };
  return { id, name, org: id.split('.')[0] as string, roles, keys: [{ key: k.key, status: 'ACTIVE', device: null, enrolledAt }], pkcs8: k.pkcs8 };
}

const LOT: MockLot = {
  id: 'lot-aaaaaaaaaaaaaaaaaaaa',
  warehouse: 'wh-a',
  depositor: 'sme-a',
  commodity: 'copper cathode',
  hsCode: '740311',
  grade: 'A',
  unit: 'TNE',
  onHand: '25.000',
  pieces: 10,
  packaging: 'bundles',
  marks: 'CU',
  location: 'Bay 3',
  documents: [],
};

const TERMS = {
  lossAllowance: '0.005',
  storageFrom: '2026-05-22',
  storageUntil: '2026-11-22',
  storageFee: { currency: 'CNY', value: '12.50' },
  feeBasis: 'per tonne per month',
  insurance: null,
  issuePlace: 'Shanghai',
};

function liveReceipt(id: string, number: string, quantity: string, pieces: number): MockReceipt {
  return {
    id,
    number,
    lot: LOT.id,
    holder: 'sme-a',
    quantity,
    pieces,
    status: 'LIVE',
    terms: TERMS,
    draftedBy: 'wh-a.chen',
    issuedBy: 'wh-a.zhou',
    pendingTransfer: null,
    encumbrance: null,
    parents: [],
    children: [],
  };
}

let node: MockNode;

beforeEach(async () => {
  node = new MockNode([
    user('sme-a.wang', 'Wang Fang', ['officer'], 'sme', 1),
    user('bank-a.li', 'Li Wei', ['admin'], 'bank', 2),
    user('wh-a.chen', 'Chen Jie', ['officer'], 'warehouse', 3),
    user('wh-a.zhou', 'Zhou Min', ['approver'], 'witness-bank', 4),
  ]);
  node.lots.push({ ...LOT });
  vi.stubGlobal('fetch', node.fetch);
  sessionStorage.clear();
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function open(path: string) {
  window.history.pushState({}, '', path);
  return render(<App />);
}

const NAMES: Record<string, string> = { 'sme-a.wang': 'Wang Fang', 'bank-a.li': 'Li Wei', 'wh-a.chen': 'Chen Jie', 'wh-a.zhou': 'Zhou Min' };

/** Signs in from the login page; done once the user's organisation is known, and with it the navigation. */
async function signInAs(userId: string) {
  fireEvent.click(await screen.findByTestId(`demo-login-${userId}`, {}, { timeout: 3000 }));
  await waitFor(() => expect(screen.getByTestId('signed-in-user').textContent).toContain(NAMES[userId]), { timeout: 3000 });
}

const change = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('the warehouse page', () => {
  it('lets an officer draft a receipt and another user with the approver role issue it', async () => {
    open('/login');
    await signInAs('wh-a.chen');
    fireEvent.click(await screen.findByTestId('nav-warehouse'));
    const row = await screen.findByTestId(`lot-${LOT.id}`, {}, { timeout: 3000 });
    expect(within(row).getByTestId(`lot-free-${LOT.id}`).textContent).toBe('25.000 t');

    fireEvent.click(within(row).getByTestId(`draft-${LOT.id}`));
    await screen.findByTestId('draft-form');
    change('draft-number', 'WH-2026-0001');
    change('draft-quantity', '10.000');
    change('draft-pieces', '4');
    change('draft-from', '2026-05-22');
    change('draft-until', '2026-11-22');
    change('draft-fee', '12.50');
    change('draft-fee-basis', 'per tonne per month');
    change('draft-place', 'Shanghai');
    fireEvent.click(screen.getByTestId('draft-insured'));
    change('draft-insurer', 'PICC');
    change('draft-insurance-amount', '800000.00');
    change('draft-insurance-from', '2026-05-22');
    change('draft-insurance-until', '2026-11-22');
    fireEvent.click(screen.getByTestId('draft-submit'));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });

    const draft = node.recorded.find((r) => r.operation === 'DraftReceipt');
    expect(draft?.type).toBe('receipt.draft');
    expect(draft?.key).toBe(keys.warehouse?.key);
    expect(draft?.body).toMatchObject({
      lot: LOT.id,
      number: 'WH-2026-0001',
      quantity: '10.000',
      pieces: 4,
      terms: {
        loss_allowance: '0.005',
        storage_from: '2026-05-22',
        storage_until: '2026-11-22',
        storage_fee: { currency: 'CNY', value: '12.50' },
        fee_basis: 'per tonne per month',
        insurance: { insurer: 'PICC', amount: { currency: 'CNY', value: '800000.00' }, from: '2026-05-22', until: '2026-11-22' },
        issue_place: 'Shanghai',
      },
    });
    expect(String(draft?.body.receipt)).toMatch(/^wr-[a-z2-7]{20}$/);
    const queued = await screen.findByTestId('draft-row-WH-2026-0001', {}, { timeout: 3000 });
    // The officer is no approver: nothing to issue.
    expect(within(queued).queryByTestId('issue-WH-2026-0001')).toBeNull();

    fireEvent.click(screen.getByTestId('sign-out'));
    await signInAs('wh-a.zhou');
    fireEvent.click(await screen.findByTestId('nav-warehouse'));
    fireEvent.click(await screen.findByTestId('issue-WH-2026-0001', {}, { timeout: 3000 }));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    const issue = node.recorded.find((r) => r.operation === 'IssueReceipt');
    expect(issue).toMatchObject({ type: 'receipt.issue', key: keys['witness-bank']?.key, body: { receipt: draft?.body.receipt } });
    await waitFor(() => expect(screen.queryByTestId('draft-row-WH-2026-0001')).toBeNull());
    expect((await screen.findByTestId('status-WH-2026-0001')).textContent).toBe('Live');
    expect(screen.getByTestId(`lot-receipted-${LOT.id}`).textContent).toBe('10.000 t');
  });

  it('receives goods with a document uploaded first and named by its hash', async () => {
    open('/login');
    await signInAs('wh-a.chen');
    fireEvent.click(await screen.findByTestId('nav-warehouse'));
    await screen.findByTestId('receive-form', {}, { timeout: 3000 });
    await waitFor(() => expect((screen.getByTestId('receive-depositor') as HTMLSelectElement).value).toBe('sme-a'));
    change('receive-commodity', 'soybeans');
    change('receive-hs-code', '120190');
    change('receive-grade', 'No. 2');
    change('receive-quantity', '500.5');
    change('receive-packaging', 'bulk');
    change('receive-pieces', '0');
    change('receive-location', 'Silo 4');
    const file = new File(['weighbridge ticket 42'], 'ticket.txt', { type: 'text/plain' });
    fireEvent.change(screen.getByTestId('receive-documents'), { target: { files: [file] } });
    fireEvent.click(screen.getByTestId('receive-submit'));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    const receive = node.recorded.find((r) => r.operation === 'ReceiveGoods');
    const hash = [...node.documents.keys()][0];
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(receive?.body).toEqual({
      lot: receive?.body.lot,
      depositor: 'sme-a',
      commodity: 'soybeans',
      hs_code: '120190',
      grade: 'No. 2',
      quantity: '500.5',
      unit: 'TNE',
      packaging: 'bulk',
      pieces: 0,
      marks: '',
      location: 'Silo 4',
      documents: [hash],
    });
    expect(String(receive?.body.lot)).toMatch(/^lot-[a-z2-7]{20}$/);
    await screen.findByTestId(`lot-${String(receive?.body.lot)}`, {}, { timeout: 3000 });
  });

  it('shows the contract error when the maker tries to check their own draft', async () => {
    node.users[3]!.roles = ['officer', 'approver'];
    node.receipts.push({ ...liveReceipt('wr-dddddddddddddddddddd', 'WH-2026-0009', '5.000', 2), status: 'DRAFT', draftedBy: 'wh-a.zhou', issuedBy: null });
    open('/login');
    await signInAs('wh-a.zhou');
    fireEvent.click(await screen.findByTestId('nav-warehouse'));
    const issue = (await screen.findByTestId('issue-WH-2026-0009', {}, { timeout: 3000 })) as HTMLButtonElement;
    expect(issue.disabled).toBe(true);
    expect(screen.getByTestId('draft-row-WH-2026-0009').textContent).toContain('another approver must issue it');
  });
});

describe('my receipts', () => {
  beforeEach(() => {
    node.receipts.push(liveReceipt('wr-bbbbbbbbbbbbbbbbbbbb', 'WH-2026-0007', '10.000', 4));
    node.receipts.push(liveReceipt('wr-cccccccccccccccccccc', 'WH-2026-0008', '10.000', 4));
  });

  it('lets an SME endorse a receipt to a bank, pending the warehouse', async () => {
    open('/login');
    await signInAs('sme-a.wang');
    fireEvent.click(await screen.findByTestId('nav-receipts'));
    await screen.findByTestId('receipt-row-WH-2026-0007', {}, { timeout: 3000 });
    expect(screen.getByTestId('status-WH-2026-0007').textContent).toBe('Live');
    fireEvent.click(screen.getByTestId('endorse-WH-2026-0007'));
    await screen.findByTestId('endorse-form');
    change('endorse-to', 'bank-a');
    fireEvent.click(screen.getByTestId('endorse-submit'));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    const endorse = node.recorded.find((r) => r.operation === 'EndorseReceipt');
    expect(endorse).toMatchObject({ type: 'receipt.endorse', key: keys.sme?.key, body: { receipt: 'wr-bbbbbbbbbbbbbbbbbbbb', to: 'bank-a' } });
    await screen.findByTestId('transfer-pending-WH-2026-0007', {}, { timeout: 3000 });
    expect(screen.queryByTestId('endorse-WH-2026-0007')).toBeNull();
  });

  it('refuses a split whose parts do not sum before signing, then signs one that does', async () => {
    open('/login');
    await signInAs('sme-a.wang');
    fireEvent.click(await screen.findByTestId('nav-receipts'));
    fireEvent.click(await screen.findByTestId('split-WH-2026-0008', {}, { timeout: 3000 }));
    await screen.findByTestId('split-form');
    change('split-quantity-0', '6.000');
    change('split-pieces-0', '2');
    change('split-quantity-1', '3');
    change('split-pieces-1', '2');
    expect(screen.getByTestId('split-remainder').textContent).toBe('Still to allocate: 1.000 t and 0 pieces');
    const submit = screen.getByTestId('split-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.submit(screen.getByTestId('split-form'));
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(node.recorded.some((r) => r.operation === 'SplitReceipt')).toBe(false);

    change('split-quantity-1', '4');
    expect(screen.getByTestId('split-remainder').textContent).toBe('The parts add up to the receipt.');
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    const split = node.recorded.find((r) => r.operation === 'SplitReceipt');
    expect(split?.type).toBe('receipt.split');
    expect(split?.body.receipt).toBe('wr-cccccccccccccccccccc');
    const parts = split?.body.parts as { receipt: string; quantity: string; pieces: number }[];
    expect(parts.map((p) => [p.quantity, p.pieces])).toEqual([
      ['6.000', 2],
      ['4', 2],
    ]);
    for (const p of parts) expect(p.receipt).toMatch(/^wr-[a-z2-7]{20}$/);
    await screen.findByTestId('receipt-row-WH-2026-0008-1', {}, { timeout: 3000 });
  });

  it('shows a receipt with its art. 909 elements, a QR code of its public check and a print button', async () => {
    open('/login');
    await signInAs('sme-a.wang');
    fireEvent.click(await screen.findByTestId('nav-receipts'));
    fireEvent.click(await screen.findByTestId('receipt-link-WH-2026-0007', {}, { timeout: 3000 }));
    const doc = await screen.findByTestId('receipt-document', {}, { timeout: 3000 });
    expect(within(doc).getByTestId('receipt-number').textContent).toBe('WH-2026-0007');
    expect(within(doc).getByTestId('receipt-quantity').textContent).toBe('10.000 t');
    expect(within(doc).getByTestId('receipt-insurance').textContent).toBe('Not insured');
    const qr = await within(doc).findByTestId('receipt-qr', {}, { timeout: 3000 });
    expect(qr.getAttribute('data-text')).toBe(`${window.location.origin}/r/wr-bbbbbbbbbbbbbbbbbbbb`);
    expect(qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    const print = vi.fn();
    window.print = print;
    fireEvent.click(screen.getByTestId('print'));
    expect(print).toHaveBeenCalled();
  });
});

describe('the public receipt check', () => {
  it('shows a genuine, free receipt without signing in', async () => {
    open('/r/WR-2026-000001');
    const genuine = await screen.findByTestId('check-genuine', {}, { timeout: 3000 });
    expect(genuine.textContent).toContain('✓');
    expect(genuine.textContent).toContain('WH-A');
    expect(screen.getByTestId('check-status').textContent).toContain('Live');
    expect(screen.getByTestId('check-encumbered').textContent).toBe('No');
    expect(screen.getByTestId('check-quantity').textContent).toBe('25.000 t');
    expect(screen.getByTestId('check-proof').textContent).toContain('checkpoint 5');
    expect(screen.queryByTestId('sign-out')).toBeNull();
  });

  it('shows ✗ genuine when a hash in the proof is altered', async () => {
    node.checkTamper = (c) => {
      const [p] = c.provenance as { hashes: string[] }[];
      const h = p!.hashes[1]!;
      p!.hashes[1] = (h[0] === 'A' ? 'B' : 'A') + h.slice(1);
      return c;
    };
    open('/r/WR-2026-000001');
    const genuine = await screen.findByTestId('check-genuine', {}, { timeout: 3000 });
    expect(genuine.textContent).toContain('✗');
    expect(genuine.textContent).toContain("the proof does not lead to the checkpoint's root");
  });

  it('shows ✗ when the signed entries make another receipt', async () => {
    node.checkTamper = (c) => ({ ...c, id: 'wr-eeeeeeeeeeeeeeeeeeee' });
    open('/r/WR-2026-000001');
    const genuine = await screen.findByTestId('check-genuine', {}, { timeout: 3000 });
    expect(genuine.textContent).toContain('✗');
    expect(genuine.textContent).toContain('the signed entries make another receipt');
  });
});
