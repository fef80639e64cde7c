import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { execute } from '../api/graphql';
import { ErrorNotice } from '../app/ErrorNotice';
import { Fact } from '../app/Fact';
import { Page } from '../app/Page';
import { useAuth } from '../auth/AuthContext';
import { type ReceiptCheckData, type ReceiptCheckResult, verifyReceiptCheck } from './check';
import { Quantity } from './display';
import { ReceiptCheckQuery } from './operations';

/**
 * The page a receipt's QR code opens, for anyone: no session. It answers one
 * question, "is this receipt real and free?", from proofs checked here.
 */
export function ReceiptCheckPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { ledger, ledgerError } = useAuth();
  const [check, setCheck] = useState<ReceiptCheckData | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ReceiptCheckResult | null>(null);

  useEffect(() => {
    let live = true;
    setCheck(undefined);
    setResult(null);
    execute(ReceiptCheckQuery, { id }, null)
      .then((r) => live && setCheck(r.receiptCheck))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id]);

  // The log key this browser learnt from the ledger's identity must be the one the check names.
  const trusted = ledger?.logVkey ?? null;
  const witnessVkeys = ledger?.witnessVkeys;
  const ledgerSettled = ledger !== null || ledgerError !== null;
  useEffect(() => {
    if (!check || !ledgerSettled) return;
    let live = true;
    void verifyReceiptCheck(check, trusted, witnessVkeys ?? []).then((r) => live && setResult(r));
    return () => {
      live = false;
    };
  }, [check, trusted, witnessVkeys, ledgerSettled]);

  return (
    <Page title={t('check.title')} lead={t('check.lead')} className="receipt-check" testId="receipt-check">
      <ErrorNotice error={error} />
      {check === undefined && !error && <p>{t('common.loading')}</p>}
      {check === null && (
        <div className="check-answer check-bad" data-testid="check-genuine">
          ✗ {t('check.notFound', { id })}
        </div>
      )}
      {check && (
        <>
          {!result && <p data-testid="check-verifying">{t('proof.verifying')}</p>}
          {result && (
            <div className={`check-answer ${result.ok ? 'check-ok' : 'check-bad'}`} data-testid="check-genuine" role="status">
              {result.ok
                ? `✓ ${t('check.genuine', { warehouse: check.warehouseName })}`
                : `✗ ${t('check.notGenuine')}: ${result.step === 'provenance' ? t(`check.reason.${result.reason}`) : `${t(`proof.step.${result.step}`)} — ${t(`proof.reason.${result.reason}`)}`}`}
            </div>
          )}
          <dl className="facts check-facts">
            <Fact label={t('receipt.number')} testId="check-number">
              {check.number}
            </Fact>
            <Fact label={t('goods.commodity')}>{check.commodity}</Fact>
            <Fact label={t('common.status')} testId="check-status" className={`check-status status-${check.status.toLowerCase()}`}>
              {t(`receiptStatus.${check.status}`)}
              {check.status === 'LIVE' && ` · ${t('check.until', { date: check.storageUntil })}`}
            </Fact>
            <Fact label={t('check.encumbered')} testId="check-encumbered" className={check.encumbered ? 'bad' : 'ok'}>
              {check.encumbered ? t('check.encumberedYes') : t('check.encumberedNo')}
            </Fact>
            {check.flagged && (
              <Fact label={t('receipts.badge.flagged')} testId="check-flagged" className="bad">
                {t('check.flagged')}
              </Fact>
            )}
            <Fact label={t('receipt.quantity')}>
              <Quantity q={check.quantity} testId="check-quantity" />
            </Fact>
            <Fact label={t('check.issuer')}>
              {check.warehouseName} <span className="muted">({check.warehouse})</span>
            </Fact>
          </dl>
          <p className="hint" data-testid="check-proof">
            {result?.ok
              ? t('check.asOf', { size: result.checkpointSize, entries: result.entries })
              : result
                ? t('check.failedDetail', { detail: result.detail })
                : t('proof.verifying')}
          </p>
          {result?.ok && result.withheld > 0 && (
            <p className="hint" data-testid="check-withheld">
              {t('check.withheld', { count: result.withheld })}
            </p>
          )}
          {result?.ok && (witnessVkeys?.length ?? 0) > 0 && (
            <p className={`hint ${result.witnesses.length > 0 ? 'ok' : ''}`} data-testid="check-witnesses">
              {result.witnesses.length > 0
                ? // Counted, not named: a witness's name names its bank, and this page names no one but the warehouse.
                  t('check.witnesses', { count: result.witnesses.length })
                : t('check.noWitnesses')}
            </p>
          )}
          <p className="hint">{t('check.explain')}</p>
        </>
      )}
    </Page>
  );
}
