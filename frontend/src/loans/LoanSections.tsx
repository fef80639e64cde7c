import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Quantity } from '../receipts/display';
import { LtvChart } from './charts';
import { Ltv, Money } from './display';
import type { LoanDetail } from './ProposeTermsForm';
import { groupDigits, percent } from './rules';

export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

/** A receipt's own page, and its public check, which anyone may open. */
export function ReceiptLinks({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Link to={`/receipts/${id}`}>
        <code>{id}</code>
      </Link>{' '}
      <Link to={`/r/${id}`} className="check-link" data-testid={`check-${id}`}>
        {t('loans.checkReceipt')}
      </Link>
    </>
  );
}

/** What was applied for and, once proposed, the terms. */
export function LoanFacts({ loan, orgName }: { loan: LoanDetail; orgName: (id: string) => string }) {
  const { t } = useTranslation();
  const terms = loan.terms;
  return (
    <section className="card" data-testid="loan-facts">
      <h2>{t('loan.facts')}</h2>
      <dl className="facts">
        <Fact label={t('loan.borrower')} testId="loan-borrower">
          {loan.borrower.name}
        </Fact>
        <Fact label={t('loan.bank')} testId="loan-bank">
          {loan.bank.name}
        </Fact>
        <Fact label={t('loan.amount')}>
          <Money m={loan.amount} testId="loan-amount" />
        </Fact>
        <Fact label={t('loan.tenor')}>{t('loan.tenorDays', { n: loan.tenorDays })}</Fact>
        <Fact label={t('loan.purpose')}>{loan.purpose}</Fact>
        {terms && (
          <>
            <Fact label={t('loan.propose.principal', { currency: terms.principal.currency })}>
              <Money m={terms.principal} testId="terms-principal" />
            </Fact>
            <Fact label={t('loan.propose.annualRate')} testId="terms-rate">
              {percent(terms.annualRate)} · {t(`dayCount.${terms.dayCount}`)}
            </Fact>
            <Fact label={t('loan.propose.maturity')} testId="terms-maturity">
              {terms.maturity} · {t('loan.grace', { n: terms.graceDays })} · {t('loan.penalty', { rate: percent(terms.penaltyRate) })}
            </Fact>
            <Fact label={t('loan.ltvLevels')} testId="terms-ltv">
              {t('loan.ltvLevelsValue', { max: percent(terms.maxLtv), call: percent(terms.marginCallLtv), liquidation: percent(terms.liquidationLtv), cure: terms.cureDays })}
            </Fact>
            <Fact label={t('loan.propose.haircuts')}>{terms.haircuts.map((h) => `HS ${h.hsCode}: ${percent(h.haircut)}`).join(' · ')}</Fact>
            <Fact label={t('loan.proposedBy')} testId="terms-proposed-by">
              {terms.proposedBy} <span className="muted">{t('common.atEntry', { index: terms.proposedAt })}</span>
            </Fact>
          </>
        )}
        {loan.approvedBy && (
          <Fact label={t('loan.approvedBy')} testId="loan-approved-by">
            {loan.approvedBy}
          </Fact>
        )}
        {loan.registration && (
          <Fact label={t('loan.registration')} testId="loan-registration">
            {loan.registration.reference} · {loan.registration.date}
          </Fact>
        )}
        {loan.disbursement && (
          <Fact label={t('loan.disbursement')} testId="loan-disbursement">
            {loan.disbursement.reference} · {loan.disbursement.on}
          </Fact>
        )}
        {loan.reason && (
          <Fact label={t('loan.reason')} testId="loan-reason">
            {loan.reason}
          </Fact>
        )}
        {loan.default && (
          <Fact label={t('loan.defaulted')} testId="loan-default">
            {loan.default.grounds.map((g) => t(`defaultGrounds.${g}`, { defaultValue: g })).join(', ')} · {loan.default.reason}
          </Fact>
        )}
        {loan.realisation && (
          <Fact label={t('loan.realisation')} testId="loan-realisation">
            {t(`loan.enforce.${loan.realisation.method === 'TAKE' ? 'take' : 'sale'}`)} · {orgName(loan.realisation.to)} · <Money m={loan.realisation.proceeds} /> ·{' '}
            {t('loan.shortfall')} <Money m={loan.realisation.shortfall} />
          </Fact>
        )}
      </dl>
    </section>
  );
}

/** Each receipt pledged, whether its warehouse confirmed it, and what it is worth at the latest prices. */
export function CollateralSection({ loan }: { loan: LoanDetail }) {
  const { t } = useTranslation();
  const lines = new Map((loan.valuation?.lines ?? []).map((l) => [l.receipt, l]));
  const v = loan.valuation;
  const row = (p: LoanDetail['collateral'][number], kind: 'pledge' | 'topUp') => {
    const line = lines.get(p.receipt);
    return (
      <tr key={`${kind}-${p.receipt}`} data-testid={`collateral-${p.receipt}`}>
        <td>
          <ReceiptLinks id={p.receipt} />
          {kind === 'topUp' && <div className="muted">{t('loan.collateral.topUp')}</div>}
        </td>
        <td>{p.warehouse.name}</td>
        <td data-testid={`collateral-confirmed-${p.receipt}`} className={p.confirmedAt !== null ? 'ok' : 'muted'}>
          {p.confirmedAt !== null ? t('loan.collateral.confirmed', { index: p.confirmedAt }) : t('loan.collateral.awaiting')}
        </td>
        <td>{line ? <Quantity q={line.effective} /> : '—'}</td>
        <td>{line?.price ? <Money m={line.price} /> : <span className="bad">{t('loan.collateral.noPrice')}</span>}</td>
        <td>{line ? percent(line.haircut) : '—'}</td>
        <td>{line ? <Money m={line.market} /> : '—'}</td>
        <td>{line ? <Money m={line.value} /> : '—'}</td>
      </tr>
    );
  };
  return (
    <section className="card" data-testid="collateral">
      <h2>{t('loan.collateral.title')}</h2>
      {loan.collateral.length + loan.topUps.length === 0 ? (
        <p className="muted">{t('loan.collateral.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('receipt.number')}</th>
              <th>{t('receipt.warehouse')}</th>
              <th>{t('loan.collateral.control')}</th>
              <th>{t('receipt.quantity')}</th>
              <th>{t('loan.collateral.price')}</th>
              <th>{t('loan.collateral.haircut')}</th>
              <th>{t('loan.valuation.market')}</th>
              <th>{t('loan.valuation.value')}</th>
            </tr>
          </thead>
          <tbody>
            {loan.collateral.map((p) => row(p, 'pledge'))}
            {loan.topUps.map((p) => row(p, 'topUp'))}
          </tbody>
        </table>
      )}
      {v && (
        <dl className="facts totals">
          <Fact label={t('loan.valuation.market')}>
            <Money m={v.market} testId="valuation-market" />
          </Fact>
          <Fact label={t('loan.valuation.value')}>
            <Money m={v.value} testId="valuation-value" />
          </Fact>
          <Fact label={t('loan.valuation.maxLoan', { ltv: percent(v.maxLtv) })}>
            <Money m={v.maxLoan} testId="valuation-max" />
          </Fact>
          <Fact label={t('loan.ltv')}>
            <strong>
              <Ltv value={loan.ltv} testId="loan-ltv" />
            </strong>
          </Fact>
          {v.unpriced.length > 0 && (
            <Fact label={t('financing.apply.unpriced')} testId="valuation-unpriced">
              <span className="bad">{v.unpriced.join(', ')}</span>
            </Fact>
          )}
        </dl>
      )}
      {loan.released.length > 0 && (
        <p className="muted" data-testid="released">
          {t('loan.collateral.released')} {loan.released.map((r) => `${r.receipt} (#${r.at})`).join(', ')}
        </p>
      )}
    </section>
  );
}

/** What is owed today, and the schedule: what was paid, then what falls due. */
export function RepaymentSection({ loan }: { loan: LoanDetail }) {
  const { t } = useTranslation();
  const o = loan.owed;
  return (
    <section className="card" data-testid="repayment">
      <h2>{t('loan.schedule.title')}</h2>
      <dl className="facts">
        <Fact label={t('loan.schedule.owedOn', { date: o.on })}>
          <strong>
            <Money m={o.total} testId="owed-total" />
          </strong>{' '}
          <span className="muted">
            {t('loan.schedule.owedParts', {
              principal: groupDigits(o.principal.value),
              interest: groupDigits(o.interest.value),
              penalty: groupDigits(o.penalty.value),
            })}
          </span>
        </Fact>
        {loan.overdue && (
          <Fact label={t('common.status')}>
            <span className="badge badge-overdue" data-testid="loan-overdue">
              {t('loans.badge.overdue')}
            </span>
          </Fact>
        )}
      </dl>
      {loan.schedule.length === 0 ? (
        <p className="muted">{t('loan.schedule.none')}</p>
      ) : (
        <table data-testid="schedule">
          <thead>
            <tr>
              <th>{t('loan.schedule.date')}</th>
              <th>{t('common.status')}</th>
              <th>{t('loan.schedule.principal')}</th>
              <th>{t('loan.schedule.interest')}</th>
              <th>{t('loan.schedule.penalty')}</th>
              <th>{t('loan.schedule.total')}</th>
              <th>{t('loan.schedule.reference')}</th>
            </tr>
          </thead>
          <tbody>
            {loan.schedule.map((s, i) => (
              <tr key={`${s.date}-${i}`} className={`schedule-${s.kind}`} data-testid={`schedule-${i}`}>
                <td>{s.date}</td>
                <td>{t(`loan.schedule.kind.${s.kind}`, { defaultValue: s.kind })}</td>
                <td>
                  <Money m={s.principal} />
                </td>
                <td>
                  <Money m={s.interest} />
                </td>
                <td>
                  <Money m={s.penalty} />
                </td>
                <td>
                  <Money m={s.total} />
                </td>
                <td>{s.reference ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function LtvSection({ loan }: { loan: LoanDetail }) {
  const { t } = useTranslation();
  if (!loan.disbursement) return null;
  return (
    <section className="card" data-testid="ltv-section">
      <h2>{t('loan.ltvChart.title')}</h2>
      <LtvChart points={loan.ltvSeries} levels={loan.terms} />
    </section>
  );
}
