import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Card } from '../app/Card';
import { Fact } from '../app/Fact';
import { ListTable } from '../app/Table';
import { Quantity } from '../receipts/display';
import { LtvChart } from './charts';
import { Ltv, Money } from './display';
import type { LoanDetail } from './ProposeTermsForm';
import { groupDigits, percent } from './rules';

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
    <Card testId="loan-facts" title={t('loan.facts')}>
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
    </Card>
  );
}

/** Each receipt pledged, whether its warehouse confirmed it, and what it is worth at the latest prices. */
export function CollateralSection({ loan }: { loan: LoanDetail }) {
  const { t } = useTranslation();
  const lines = new Map((loan.valuation?.lines ?? []).map((l) => [l.receipt, l]));
  const v = loan.valuation;
  const pledges = [...loan.collateral.map((p) => ({ pledge: p, topUp: false })), ...loan.topUps.map((p) => ({ pledge: p, topUp: true }))];
  return (
    <Card testId="collateral" title={t('loan.collateral.title')}>
      <ListTable
        rows={pledges}
        none={t('loan.collateral.none')}
        columns={[
          t('receipt.number'),
          t('receipt.warehouse'),
          t('loan.collateral.control'),
          t('receipt.quantity'),
          t('loan.collateral.price'),
          t('loan.collateral.haircut'),
          t('loan.valuation.market'),
          t('loan.valuation.value'),
        ]}
        row={({ pledge: p, topUp }) => {
          const line = lines.get(p.receipt);
          return (
            <tr key={`${topUp ? 'topUp' : 'pledge'}-${p.receipt}`} data-testid={`collateral-${p.receipt}`}>
              <td>
                <ReceiptLinks id={p.receipt} />
                {topUp && <div className="muted">{t('loan.collateral.topUp')}</div>}
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
        }}
      />
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
    </Card>
  );
}

/** What is owed today, and the schedule: what was paid, then what falls due. */
export function RepaymentSection({ loan }: { loan: LoanDetail }) {
  const { t } = useTranslation();
  const o = loan.owed;
  return (
    <Card testId="repayment" title={t('loan.schedule.title')}>
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
      <ListTable
        rows={loan.schedule}
        none={t('loan.schedule.none')}
        testId="schedule"
        columns={[
          t('loan.schedule.date'),
          t('common.status'),
          t('loan.schedule.principal'),
          t('loan.schedule.interest'),
          t('loan.schedule.penalty'),
          t('loan.schedule.total'),
          t('loan.schedule.reference'),
        ]}
        row={(s, i) => (
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
        )}
      />
    </Card>
  );
}

export function LtvSection({ loan }: { loan: LoanDetail }) {
  const { t } = useTranslation();
  if (!loan.disbursement) return null;
  return (
    <Card testId="ltv-section" title={t('loan.ltvChart.title')}>
      <LtvChart points={loan.ltvSeries} levels={loan.terms} />
    </Card>
  );
}
