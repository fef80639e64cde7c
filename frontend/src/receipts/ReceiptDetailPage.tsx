import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { execute } from '../api/graphql';
import { useLoad } from '../api/useLoad';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { Fact } from '../app/Fact';
import { formatTime } from '../app/format';
import { EventHistory } from '../ledger/EventHistory';
import { Quantity, ReceiptBadges } from './display';
import { keyFingerprint } from './fingerprint';
import { ReceiptDetailQuery as Query } from './operations';
import { QrCode } from './QrCode';
import { useOrganisations } from './useOrganisations';

function useFingerprints(keys: readonly string[]) {
  const [prints, setPrints] = useState<Map<string, string>>(new Map());
  const joined = keys.join(',');
  useEffect(() => {
    let live = true;
    const list = joined === '' ? [] : joined.split(',');
    void Promise.all(list.map(async (k) => [k, await keyFingerprint(k).catch(() => '?')] as const)).then((pairs) => live && setPrints(new Map(pairs)));
    return () => {
      live = false;
    };
  }, [joined]);
  return prints;
}

/** The receipts a receipt was made from, or was split or merged into, each linked to its page. */
function RelatedReceipts({ label, ids }: { label: string; ids: readonly string[] }) {
  if (ids.length === 0) return null;
  return (
    <>
      {label}{' '}
      {ids.map((id) => (
        <Link key={id} to={`/receipts/${id}`}>
          {id}{' '}
        </Link>
      ))}
    </>
  );
}

export function ReceiptDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const orgs = useOrganisations();
  const { data, error, loading } = useLoad(async (token) => (await execute(Query, { id }, token)).receipt, [id]);
  const signers = [...new Set((data?.history ?? []).map((e) => e.signer))];
  const prints = useFingerprints(signers);
  const publicUrl = `${window.location.origin}/r/${id}`;

  if (loading && !data) return <p>{t('common.loading')}</p>;
  if (!data) {
    return (
      <div className="page">
        <ErrorNotice error={error} />
        {!error && <p className="muted" data-testid="receipt-not-found">{t('receipt.notFound', { id })}</p>}
      </div>
    );
  }
  const r = data;
  const ins = r.terms.insurance;
  const issuer = r.history.find((e) => e.type === 'receipt.issue' && e.receipt === r.id) ?? r.history.find((e) => e.type === 'receipt.issue');

  return (
    <div className="page receipt-detail">
      <div className="card-title no-print">
        <h1>{t('receipt.title', { number: r.number })}</h1>
        <button type="button" data-testid="print" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
      </div>
      <ErrorNotice error={error} />
      <article className="card receipt-document" data-testid="receipt-document">
        <header className="receipt-head">
          <div>
            <div className="print-only muted">{t('app.name')}</div>
            <h2>{t('receipt.documentTitle')}</h2>
            <div className="receipt-number" data-testid="receipt-number">
              {r.number}
            </div>
            <ReceiptBadges receipt={r} />
          </div>
          <figure className="qr-figure">
            <QrCode text={publicUrl} label={t('receipt.qr')} testId="receipt-qr" />
            <figcaption className="muted">{t('receipt.qrCaption')}</figcaption>
          </figure>
        </header>
        <p className="hint">{t('receipt.art909')}</p>
        <dl className="facts receipt-facts">
          <Fact label={t('receipt.number')}>{r.number}</Fact>
          <Fact label={t('receipt.depositor')} testId="receipt-depositor">
            {r.depositor.name} <span className="muted">({r.depositor.id})</span>
          </Fact>
          <Fact label={t('receipt.holder')} testId="receipt-holder">
            {r.holder.name} <span className="muted">({r.holder.id})</span>
          </Fact>
          <Fact label={t('goods.commodity')}>
            {r.goods.commodity} <span className="muted">HS {r.goods.hsCode}</span>
          </Fact>
          <Fact label={t('receipt.quantity')} testId="receipt-quantity">
            <Quantity q={r.quantity} />
          </Fact>
          <Fact label={t('goods.grade')}>{r.goods.grade}</Fact>
          <Fact label={t('goods.packaging')}>{r.goods.packaging}</Fact>
          <Fact label={t('goods.pieces')}>{r.pieces}</Fact>
          <Fact label={t('goods.marks')}>{r.goods.marks || '—'}</Fact>
          <Fact label={t('receipt.lossAllowance')}>{r.terms.lossAllowance}</Fact>
          <Fact label={t('receipt.storagePlace')}>
            {r.warehouse.name} · {r.goods.location}
          </Fact>
          <Fact label={t('receipt.storagePeriod')}>{t('receipt.period', { from: r.terms.storageFrom, until: r.terms.storageUntil })}</Fact>
          <Fact label={t('receipt.storageFee')}>
            {r.terms.storageFee.currency} {r.terms.storageFee.value} · {r.terms.feeBasis}
          </Fact>
          <Fact label={t('receipt.insurance')} testId="receipt-insurance">
            {ins ? (
              <>
                {ins.amount.currency} {ins.amount.value} · {ins.insurer} · {t('receipt.period', { from: ins.from, until: ins.until })}
              </>
            ) : (
              t('receipt.uninsured')
            )}
          </Fact>
          <Fact label={t('receipt.issuer')}>
            {r.warehouse.name} <span className="muted">({r.issuedBy ?? '—'})</span>
          </Fact>
          <Fact label={t('receipt.issuePlaceDate')} testId="receipt-issued">
            {r.terms.issuePlace} · {r.issuedTime ? formatTime(r.issuedTime, i18n.language) : t('receipt.notIssued')}
          </Fact>
          {Number(r.redeemed.value) > 0 && (
            <Fact label={t('receipt.redeemed')}>
              <Quantity q={r.redeemed} />
            </Fact>
          )}
        </dl>
        <section className="fingerprints" data-testid="fingerprints">
          <h3>{t('receipt.fingerprints')}</h3>
          <p className="hint">{t('receipt.fingerprintsExplain')}</p>
          <ul className="plain-list">
            {signers.map((k) => {
              const e = r.history.find((x) => x.signer === k);
              return (
                <li key={k} data-testid={`fingerprint-${prints.get(k)?.replace(/ /g, '') ?? ''}`}>
                  <code>{prints.get(k) ?? '…'}</code> · {e?.signerUser ?? '?'} · {orgs.name(e?.signerOrg)}
                  {issuer?.signer === k && <span className="badge">{t('receipt.issuerKey')}</span>}
                </li>
              );
            })}
          </ul>
        </section>
        <p className="print-only muted">{publicUrl}</p>
      </article>

      <Card testId="endorsements" className="no-print" title={t('receipt.endorsements')}>
        {r.endorsements.length === 0 && <p className="muted">{t('receipt.noEndorsements')}</p>}
        <ol>
          {r.endorsements.map((e) => (
            <li key={`${e.endorsedAt}`}>
              {t('receipt.endorsement', { from: orgs.name(e.from), to: orgs.name(e.to), endorsed: e.endorsedAt, countersigned: e.countersignedAt })}
            </li>
          ))}
        </ol>
        {(r.parents.length > 0 || r.children.length > 0) && (
          <p>
            <RelatedReceipts label={t('receipt.parents')} ids={r.parents} />
            <RelatedReceipts label={t('receipt.children')} ids={r.children} />
          </p>
        )}
      </Card>

      <Card testId="history" className="no-print" title={t('receipt.history')} explain={t('receipt.historyExplain')}>
        <EventHistory
          events={r.history}
          orgName={orgs.name}
          testIdPrefix="event"
          typeDetail={(e) => e.receipt !== r.id && <div className="muted">{e.receipt}</div>}
        />
      </Card>
    </div>
  );
}
