import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { execute } from '../api/graphql';
import { ErrorNotice } from '../app/ErrorNotice';
import { Fact } from '../app/Fact';
import { formatTime, prettyJson } from '../app/format';
import { useAttempt } from '../app/useAttempt';
import { useAuth } from '../auth/AuthContext';
import { type ProofResult, verifyEntryProof } from '../crypto/proof';
import type { LedgerEntry } from './feed';
import { ProofQuery } from './operations';
import { ProofDownload, ProofDownloadHint } from './ProofDownload';

/** The receipt an entry of the receipts contract concerns, for a link to its page. */
function receiptOf(text: string | null): string | null {
  try {
    const tx = (JSON.parse(text ?? '') as { tx?: { type?: unknown; body?: { receipt?: unknown; into?: unknown } } }).tx;
    if (typeof tx?.type !== 'string' || !tx.type.startsWith('receipt.')) return null;
    const id = tx.body?.receipt ?? tx.body?.into;
    return typeof id === 'string' && /^[a-z0-9][a-z0-9-]{7,63}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

function ProofOutcome({ result }: { result: ProofResult }) {
  const { t } = useTranslation();
  if (result.ok) {
    return (
      <div className="notice notice-ok proof-result" data-testid="proof-result" role="status">
        ✓ {t('proof.ok', { index: result.index, size: result.treeSize.toString(), origin: result.origin })}
        {result.witnesses.length > 0 && <div>{t('explorer.checkpoint.witnesses', { names: result.witnesses.join(', ') })}</div>}
      </div>
    );
  }
  return (
    <div className="notice notice-error proof-result" data-testid="proof-result" role="status">
      ✗ {t('proof.failed', { step: t(`proof.step.${result.step}`) })}: {t(`proof.reason.${result.reason}`)}
    </div>
  );
}

/** One visible entry: its canonical bytes, and a proof checked in this browser. */
export function EntryDetail({ entry }: { entry: LedgerEntry }) {
  const { t, i18n } = useTranslation();
  const { session, ledger } = useAuth();
  const [result, setResult] = useState<ProofResult | null>(null);
  // The node's proof as a file, kept from the answer the check asked for: the explorer fetches proofs only on request.
  const [proofFile, setProofFile] = useState<string | null>(null);
  const { busy, error, attempt } = useAttempt();
  const [pretty, setPretty] = useState(false);

  const verify = async () => {
    if (!ledger || !session || entry.entry === null) return;
    const bytes = entry.entry;
    await attempt('verify', async () => {
      setResult(null);
      const { proof } = await execute(ProofQuery, { index: entry.index }, session.token);
      setProofFile(proof.tlogProof);
      // Verify the bytes shown here, not just the ones the proof carries.
      setResult(
        await verifyEntryProof(
          {
            index: proof.index,
            entry: bytes,
            hashes: proof.hashes,
            checkpoint: proof.checkpoint,
            leafHash: proof.leafHash,
            treeSize: proof.treeSize,
          },
          { logVkey: ledger.logVkey, witnessVkeys: ledger.witnessVkeys },
        ),
      );
    });
  };

  return (
    <section className="card entry-detail" data-testid="entry-detail">
      <h2>{t('explorer.entry.title', { index: entry.index })}</h2>
      <dl className="facts">
        <Fact label={t('explorer.entry.type')}>{entry.type}</Fact>
        <Fact label={t('explorer.entry.time')}>{formatTime(entry.time, i18n.language)}</Fact>
        <Fact label={t('explorer.entry.signer')}>
          <code>{entry.signer}</code>
        </Fact>
        {receiptOf(entry.entry) && (
          <Fact label={t('explorer.entry.receipt')}>
            <Link to={`/receipts/${receiptOf(entry.entry)}`} data-testid="entry-receipt-link">
              {receiptOf(entry.entry)}
            </Link>
          </Fact>
        )}
        <Fact label={t('explorer.entry.leafHash')}>
          <code>{entry.leafHash}</code>
        </Fact>
      </dl>
      <div className="card-title">
        <h3>{pretty ? t('explorer.entry.pretty') : t('explorer.entry.canonical')}</h3>
        <button type="button" className="link" onClick={() => setPretty((v) => !v)}>
          {pretty ? t('explorer.entry.showCanonical') : t('explorer.entry.showPretty')}
        </button>
      </div>
      <pre className="entry-json" data-testid="entry-json">
        {pretty ? prettyJson(entry.entry ?? '') : entry.entry}
      </pre>
      <button type="button" data-testid="verify-proof" disabled={busy !== null || !ledger} onClick={() => void verify()}>
        {busy !== null ? t('proof.verifying') : t('proof.verify')}
      </button>
      <p className="hint">{t('proof.explain')}</p>
      <ErrorNotice error={error} />
      {result && <ProofOutcome result={result} />}
      {proofFile !== null && (
        <div data-testid="entry-proof-file">
          <ProofDownload index={entry.index} tlogProof={proofFile} />
          <ProofDownloadHint />
        </div>
      )}
    </section>
  );
}
