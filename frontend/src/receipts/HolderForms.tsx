import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignedAction } from '../api/useSignedAction';
import { CancelButton, FormCard, SubmitButton } from '../app/forms';
import { useAuth } from '../auth/AuthContext';
import { type ReceiptView, Quantity } from './display';
import { Field, Select, parsePieces } from './Field';
import { formatScaled, newId, remainder, unitScale, validQuantity } from './rules';
import { encumberReceipt, endorseReceipt, requestRedemption, splitReceipt } from './transactions';
import type { OrgSummary } from './useOrganisations';

interface FormProps {
  receipt: ReceiptView;
  action: SignedAction;
  onDone: () => unknown;
  onCancel: () => void;
}

function Buttons({ testId, label, disabled, onCancel }: { testId: string; label: string; disabled: boolean; onCancel: () => void }) {
  return (
    <p>
      <SubmitButton label={label} testId={testId} disabled={disabled} />{' '}
      <CancelButton onCancel={onCancel} />
    </p>
  );
}

/** Endorse to another SME or bank; the warehouse countersigns before the holder changes. */
export function EndorseForm({ receipt, action, onDone, onCancel, orgs }: FormProps & { orgs: readonly OrgSummary[] }) {
  const { t } = useTranslation();
  const { txContext, session } = useAuth();
  const choices = orgs.filter((o) => (o.kind === 'SME' || o.kind === 'BANK') && o.status === 'ACTIVE' && o.id !== session?.org);
  const [to, setTo] = useState('');
  const chosen = to || choices[0]?.id || '';
  return (
    <FormCard
      testId="endorse-form"
      title={t('receipts.endorse.title', { number: receipt.number })}
      explain={t('receipts.endorse.explain')}
      ok={chosen !== ''}
      onSubmit={() => void action.run(`endorse-${receipt.id}`, async () => endorseReceipt(await txContext(), { receipt: receipt.id, to: chosen }), onDone)}
    >
      <Select
        label={t('receipts.endorse.to')}
        value={chosen}
        onChange={setTo}
        testId="endorse-to"
        options={choices.map((o) => ({ value: o.id, label: `${o.name} (${t(`orgKind.${o.kind}`)})` }))}
      />
      <Buttons testId="endorse-submit" label={t('receipts.endorse.submit')} disabled={chosen === '' || action.busy !== null} onCancel={onCancel} />
    </FormCard>
  );
}

interface Part {
  quantity: string;
  pieces: string;
}

/** Split into parts that sum exactly to the receipt, quantity and pieces; the remainder shows as one types. */
export function SplitForm({ receipt, action, onDone, onCancel }: FormProps) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [parts, setParts] = useState<Part[]>([
    { quantity: '', pieces: '' },
    { quantity: '', pieces: '' },
  ]);
  const unit = receipt.quantity.unit;
  const scale = unitScale(unit);
  const partsValid = parts.every((p) => validQuantity(p.quantity, unit) && parsePieces(p.pieces) !== null);
  const rest = remainder(receipt.quantity.value, parts.map((p) => p.quantity || '0'), unit);
  const piecesRest = receipt.pieces - parts.reduce((n, p) => n + (parsePieces(p.pieces) ?? 0), 0);
  const sums = rest === 0n && piecesRest === 0;
  const ok = parts.length >= 2 && partsValid && sums;
  const set = (i: number, patch: Partial<Part>) => setParts((prev) => prev.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  return (
    <FormCard
      testId="split-form"
      title={t('receipts.split.title', { number: receipt.number })}
      explain={
        <>
          {t('receipts.split.explain', { pieces: receipt.pieces })} <Quantity q={receipt.quantity} />
        </>
      }
      ok={ok}
      onSubmit={() =>
        void action.run(
          `split-${receipt.id}`,
          async () =>
            splitReceipt(await txContext(), {
              receipt: receipt.id,
              parts: parts.map((p) => ({ receipt: newId('wr'), quantity: p.quantity, pieces: parsePieces(p.pieces) ?? 0 })),
            }),
          onDone,
        )
      }
    >
      {parts.map((p, i) => (
        <div key={i} className="inline-form split-part">
          <span>{t('receipts.split.part', { n: i + 1 })}</span>
          <input
            value={p.quantity}
            onChange={(e) => set(i, { quantity: e.target.value })}
            placeholder={t('receipt.quantity')}
            aria-label={t('receipts.split.partQuantity', { n: i + 1 })}
            aria-invalid={p.quantity !== '' && !validQuantity(p.quantity, unit)}
            data-testid={`split-quantity-${i}`}
          />
          <input
            value={p.pieces}
            onChange={(e) => set(i, { pieces: e.target.value })}
            placeholder={t('goods.pieces')}
            aria-label={t('receipts.split.partPieces', { n: i + 1 })}
            aria-invalid={p.pieces !== '' && parsePieces(p.pieces) === null}
            data-testid={`split-pieces-${i}`}
          />
          {parts.length > 2 && (
            <button type="button" className="link danger" data-testid={`split-remove-${i}`} onClick={() => setParts((prev) => prev.filter((_, j) => j !== i))}>
              ×
            </button>
          )}
        </div>
      ))}
      <button type="button" className="secondary" data-testid="split-add" onClick={() => setParts((prev) => [...prev, { quantity: '', pieces: '' }])}>
        {t('receipts.split.add')}
      </button>
      <p className={sums ? 'ok' : 'bad'} data-testid="split-remainder">
        {rest === null
          ? t('receipts.split.unreadable')
          : sums
            ? t('receipts.split.balanced')
            : rest < 0n || piecesRest < 0
              ? t('receipts.split.over', { quantity: formatScaled(-rest, scale), unit: t(`units.${unit}`, { defaultValue: unit }), pieces: -piecesRest })
              : t('receipts.split.remaining', { quantity: formatScaled(rest, scale), unit: t(`units.${unit}`, { defaultValue: unit }), pieces: piecesRest })}
      </p>
      <Buttons testId="split-submit" label={t('receipts.split.submit')} disabled={!ok || action.busy !== null} onCancel={onCancel} />
    </FormCard>
  );
}

/** Ask the warehouse to release goods: all of them, or part. */
export function RedeemForm({ receipt, action, onDone, onCancel }: FormProps) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [quantity, setQuantity] = useState(receipt.quantity.value);
  const [pieces, setPieces] = useState(String(receipt.pieces));
  const piecesN = parsePieces(pieces);
  const over = remainder(receipt.quantity.value, [quantity], receipt.quantity.unit);
  const ok = validQuantity(quantity, receipt.quantity.unit) && piecesN !== null && piecesN <= receipt.pieces && over !== null && over >= 0n;
  return (
    <FormCard
      testId="redeem-form"
      title={t('receipts.redeem.title', { number: receipt.number })}
      explain={t('receipts.redeem.explain')}
      ok={ok}
      onSubmit={() => {
        if (piecesN === null) return;
        void action.run(`redeem-${receipt.id}`, async () => requestRedemption(await txContext(), { receipt: receipt.id, quantity, pieces: piecesN }), onDone);
      }}
    >
      <Field label={t('receipt.quantity')} value={quantity} onChange={setQuantity} testId="redeem-quantity" invalid={!ok} hint={t('receipts.redeem.rule')} />
      <Field label={t('goods.pieces')} value={pieces} onChange={setPieces} testId="redeem-pieces" invalid={piecesN === null} hint={t('rules.pieces')} />
      <Buttons testId="redeem-submit" label={t('receipts.redeem.submit')} disabled={!ok || action.busy !== null} onCancel={onCancel} />
    </FormCard>
  );
}

/** Pledge to a bank: the bank holds the encumbrance until it lifts it. */
export function PledgeForm({ receipt, action, onDone, onCancel, orgs }: FormProps & { orgs: readonly OrgSummary[] }) {
  const { t } = useTranslation();
  const { txContext, session } = useAuth();
  const banks = orgs.filter((o) => o.kind === 'BANK' && o.status === 'ACTIVE' && o.id !== session?.org);
  const [pledgee, setPledgee] = useState('');
  const [reference, setReference] = useState('');
  const chosen = pledgee || banks[0]?.id || '';
  const ok = chosen !== '' && reference.trim() !== '';
  return (
    <FormCard
      testId="pledge-form"
      title={t('receipts.pledge.title', { number: receipt.number })}
      explain={t('receipts.pledge.explain')}
      ok={ok}
      onSubmit={() => void action.run(`pledge-${receipt.id}`, async () => encumberReceipt(await txContext(), { receipt: receipt.id, pledgee: chosen, reference: reference.trim() }), onDone)}
    >
      <Select label={t('receipts.pledge.bank')} value={chosen} onChange={setPledgee} testId="pledge-to" options={banks.map((o) => ({ value: o.id, label: o.name }))} />
      <Field label={t('receipts.pledge.reference')} value={reference} onChange={setReference} testId="pledge-reference" />
      <Buttons testId="pledge-submit" label={t('receipts.pledge.submit')} disabled={!ok || action.busy !== null} onCancel={onCancel} />
    </FormCard>
  );
}
