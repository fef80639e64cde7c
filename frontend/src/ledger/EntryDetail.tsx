import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { execute } from '../api/graphql';
import { ErrorNotice } from '../app/ErrorNotice';
import { formatTime, prettyJson } from '../app/format';
import { useAuth } from '../auth/AuthContext';
import { type ProofResult, verifyEntryProof } from '../crypto/proof';
import type { LedgerEntry } from './feed';
import { ProofQuery } from './operations';

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
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [pretty, setPretty] = useState(false);

  const verify = async () => {
    if (!ledger || !session || entry.entry === null) return;
    setBusy(true);
    setResult(null);
    setError(null);
    try {
      const { proof } = await execute(ProofQuery, { index: entry.index }, session.token);
      // Verify the bytes shown here, not just the ones the proof carries.
      setResult(
        await verifyEntryProof(
          {
            index: proof.index,
            entry: entry.entry,
            hashes: proof.hashes,
            checkpoint: proof.checkpoint,
            leafHash: proof.leafHash,
            treeSize: proof.treeSize,
          },
          { logVkey: ledger.logVkey, witnessVkeys: ledger.witnessVkeys },
        ),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card entry-detail" data-testid="entry-detail">
      <h2>{t('explorer.entry.title', { index: entry.index })}</h2>
      <dl className="facts">
        <dt>{t('explorer.entry.type')}</dt>
        <dd>{entry.type}</dd>
        <dt>{t('explorer.entry.time')}</dt>
        <dd>{formatTime(entry.time, i18n.language)}</dd>
        <dt>{t('explorer.entry.signer')}</dt>
        <dd>
          <code>{entry.signer}</code>
        </dd>
        <dt>{t('explorer.entry.leafHash')}</dt>
        <dd>
          <code>{entry.leafHash}</code>
        </dd>
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
      <button type="button" data-testid="verify-proof" disabled={busy || !ledger} onClick={() => void verify()}>
        {busy ? t('proof.verifying') : t('proof.verify')}
      </button>
      <p className="hint">{t('proof.explain')}</p>
      <ErrorNotice error={error} />
      {result && <ProofOutcome result={result} />}
    </section>
  );
}
