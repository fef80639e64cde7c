import { describe, expect, it } from 'vitest';
import { canonicalize } from '../crypto/jcs';
import { OBJECT_ID, newId, remainder, validQuantity } from './rules';
import { RECEIPT_TX_TYPES, receiptBodies } from './transactions';

const HASH = 'a'.repeat(64);
const json = (v: unknown) => canonicalize(v);

describe('receipt transaction bodies', () => {
  it('build lot.receive with snake_case members, pieces as a number and the document hashes', () => {
    const body = receiptBodies.receiveGoods({
      lot: 'lot-abcdefghijklmnopqrst',
      depositor: 'sme-a',
      commodity: 'copper cathode',
      hsCode: '740311',
      grade: 'A',
      quantity: '25.000',
      unit: 'TNE',
      packaging: 'bundles',
      pieces: 10,
      marks: 'CU-1..10',
      location: 'Bay 3',
      documents: [HASH],
    });
    expect(json(body)).toBe(
      `{"commodity":"copper cathode","depositor":"sme-a","documents":["${HASH}"],"grade":"A","hs_code":"740311","location":"Bay 3","lot":"lot-abcdefghijklmnopqrst","marks":"CU-1..10","packaging":"bundles","pieces":10,"quantity":"25.000","unit":"TNE"}`,
    );
  });

  it('build the lot bodies for certifying, counting and adjusting', () => {
    expect(json(receiptBodies.certifyLot({ lot: 'lot-1aaaaaaa', grade: 'A', quantity: '24.5', certificate: HASH }))).toBe(
      `{"certificate":"${HASH}","grade":"A","lot":"lot-1aaaaaaa","quantity":"24.5"}`,
    );
    expect(json(receiptBodies.countStock({ lot: 'lot-1aaaaaaa', counted: '24.990' }))).toBe('{"counted":"24.990","lot":"lot-1aaaaaaa"}');
    expect(json(receiptBodies.adjustStock({ lot: 'lot-1aaaaaaa', quantity: '24.990', reason: 'moisture loss' }))).toBe(
      '{"lot":"lot-1aaaaaaa","quantity":"24.990","reason":"moisture loss"}',
    );
  });

  it('build receipt.draft with every term, insurance as an object or null', () => {
    const input = {
      receipt: 'wr-abcdefghijklmnopqrst',
      lot: 'lot-abcdefghijklmnopqrst',
      number: 'WH/2026-0001',
      quantity: '10.000',
      pieces: 4,
      terms: {
        lossAllowance: '0.005',
        storageFrom: '2026-05-22',
        storageUntil: '2026-11-22',
        storageFee: { currency: 'CNY', value: '12.50' },
        feeBasis: 'per tonne per month',
        insurance: { insurer: 'PICC', amount: { currency: 'CNY', value: '800000.00' }, from: '2026-05-22', until: '2026-11-22' },
        issuePlace: 'Shanghai',
      },
    };
    expect(json(receiptBodies.draftReceipt(input))).toBe(
      '{"lot":"lot-abcdefghijklmnopqrst","number":"WH/2026-0001","pieces":4,"quantity":"10.000","receipt":"wr-abcdefghijklmnopqrst","terms":{"fee_basis":"per tonne per month","insurance":{"amount":{"currency":"CNY","value":"800000.00"},"from":"2026-05-22","insurer":"PICC","until":"2026-11-22"},"issue_place":"Shanghai","loss_allowance":"0.005","storage_fee":{"currency":"CNY","value":"12.50"},"storage_from":"2026-05-22","storage_until":"2026-11-22"}}',
    );
    const uninsured = receiptBodies.draftReceipt({ ...input, terms: { ...input.terms, insurance: null } });
    expect(json((uninsured.terms as Record<string, unknown>).insurance)).toBe('null');
    const { insurance: _, ...noInsurance } = input.terms;
    expect(json(receiptBodies.draftReceipt({ ...input, terms: noInsurance }))).toContain('"insurance":null');
  });

  it('build the receipt bodies that name only the receipt', () => {
    for (const op of ['issueReceipt', 'countersignTransfer', 'cancelReceiptRequest', 'confirmRedemption', 'liftEncumbrance'] as const) {
      expect(json(receiptBodies[op]({ receipt: 'wr-abcdefghijklmnopqrst' }))).toBe('{"receipt":"wr-abcdefghijklmnopqrst"}');
    }
  });

  it('build the holder bodies: discard, endorse, split, merge, redeem, encumber', () => {
    const r = 'wr-abcdefghijklmnopqrst';
    expect(json(receiptBodies.discardDraft({ receipt: r, reason: 'wrong grade' }))).toBe(`{"reason":"wrong grade","receipt":"${r}"}`);
    expect(json(receiptBodies.endorseReceipt({ receipt: r, to: 'bank-a' }))).toBe(`{"receipt":"${r}","to":"bank-a"}`);
    expect(
      json(
        receiptBodies.splitReceipt({
          receipt: r,
          parts: [
            { receipt: 'wr-aaaaaaaaaaaaaaaaaaaa', quantity: '6.000', pieces: 3 },
            { receipt: 'wr-bbbbbbbbbbbbbbbbbbbb', quantity: '4', pieces: 1 },
          ],
        }),
      ),
    ).toBe(
      `{"parts":[{"pieces":3,"quantity":"6.000","receipt":"wr-aaaaaaaaaaaaaaaaaaaa"},{"pieces":1,"quantity":"4","receipt":"wr-bbbbbbbbbbbbbbbbbbbb"}],"receipt":"${r}"}`,
    );
    expect(json(receiptBodies.mergeReceipts({ receipts: ['wr-aaaaaaaaaaaaaaaaaaaa', 'wr-bbbbbbbbbbbbbbbbbbbb'], into: r }))).toBe(
      `{"into":"${r}","receipts":["wr-aaaaaaaaaaaaaaaaaaaa","wr-bbbbbbbbbbbbbbbbbbbb"]}`,
    );
    expect(json(receiptBodies.requestRedemption({ receipt: r, quantity: '2.500', pieces: 1 }))).toBe(`{"pieces":1,"quantity":"2.500","receipt":"${r}"}`);
    expect(json(receiptBodies.encumberReceipt({ receipt: r, pledgee: 'bank-a', reference: 'LN-1' }))).toBe(
      `{"pledgee":"bank-a","receipt":"${r}","reference":"LN-1"}`,
    );
  });

  it('drop anything else the input might carry', () => {
    const input = { receipt: 'wr-abcdefghijklmnopqrst', to: 'bank-a', extra: 'x' } as Parameters<typeof receiptBodies.endorseReceipt>[0];
    expect(Object.keys(receiptBodies.endorseReceipt(input)).sort()).toEqual(['receipt', 'to']);
  });

  it('name the contract transaction types', () => {
    expect(RECEIPT_TX_TYPES).toEqual({
      receiveGoods: 'lot.receive',
      certifyLot: 'lot.certify',
      countStock: 'lot.count',
      adjustStock: 'lot.adjust',
      draftReceipt: 'receipt.draft',
      issueReceipt: 'receipt.issue',
      discardDraft: 'receipt.discard',
      endorseReceipt: 'receipt.endorse',
      countersignTransfer: 'receipt.countersign',
      cancelReceiptRequest: 'receipt.cancel_request',
      splitReceipt: 'receipt.split',
      mergeReceipts: 'receipt.merge',
      requestRedemption: 'receipt.request_redemption',
      confirmRedemption: 'receipt.confirm_redemption',
      encumberReceipt: 'receipt.encumber',
      liftEncumbrance: 'receipt.lift',
    });
  });
});

describe('the receipt rules', () => {
  it('make lot and receipt ids of 20 random base32 characters that fit the id grammar', () => {
    const lot = newId('lot');
    const wr = newId('wr');
    expect(lot).toMatch(/^lot-[a-z2-7]{20}$/);
    expect(wr).toMatch(/^wr-[a-z2-7]{20}$/);
    expect(OBJECT_ID.test(lot) && OBJECT_ID.test(wr)).toBe(true);
    expect(newId('wr')).not.toBe(wr);
  });

  it('allow three decimals for measured units and whole numbers for counted ones', () => {
    expect(validQuantity('25.000', 'TNE')).toBe(true);
    expect(validQuantity('25.0001', 'TNE')).toBe(false);
    expect(validQuantity('0', 'TNE')).toBe(false);
    expect(validQuantity('12', 'H87')).toBe(true);
    expect(validQuantity('12.5', 'BG')).toBe(false);
    expect(validQuantity('1', 'XXX')).toBe(false);
  });

  it('compute what split parts leave of the whole exactly', () => {
    expect(remainder('10.000', ['6', '4.000'], 'TNE')).toBe(0n);
    expect(remainder('10.000', ['6', '3.5'], 'TNE')).toBe(500n);
    expect(remainder('10', ['6.1234'], 'TNE')).toBeNull();
  });
});
