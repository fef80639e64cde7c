import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { execute } from '../api/graphql';
import { type SignedAction, useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { Page } from '../app/Page';
import { ListTable } from '../app/Table';
import { useAuth } from '../auth/AuthContext';
import { Quantity, type ReceiptView } from '../receipts/display';
import { ReceiptsQuery } from '../receipts/operations';
import { formatScaled, parseScaled, unitScale } from '../receipts/rules';
import { useOrganisations } from '../receipts/useOrganisations';
import { type LoanView, Money } from './display';
import { LoansQuery } from './operations';
import { PledgeDecision } from './PledgeDecision';
import { MAX_PAGE } from '../api/limits';
import { useLoad } from '../api/useLoad';

/** The receipts of this warehouse a loan offers and the warehouse has yet to confirm. */
function unconfirmed(loan: LoanView, warehouse: string): string[] {
  return [...loan.collateral, ...loan.topUps].filter((p) => p.warehouse.id === warehouse && p.confirmedAt === null).map((p) => p.receipt);
}

function Confirmations({ loans, warehouse, canAct, action, onDone }: { loans: readonly LoanView[]; warehouse: string; canAct: boolean; action: SignedAction; onDone: () => unknown }) {
  const { t } = useTranslation();
  const waiting = loans.filter((l) => unconfirmed(l, warehouse).length > 0);
  return (
    <Card testId="pledge-confirmations" title={t('pledges.confirmations.title')} explain={t('pledges.confirmations.explain')}>
      <ListTable
        rows={waiting}
        none={t('pledges.confirmations.none')}
        row={(l) => (
          <tr key={l.id} data-testid={`confirmation-${l.id}`}>
            <td>
              <Link to={`/loans/${l.id}`}>
                <code>{l.id}</code>
              </Link>
              <div className="muted">{t(l.status === 'ACTIVE' ? 'pledges.confirmations.topUp' : 'pledges.confirmations.application')}</div>
            </td>
            <td>
              {t('pledges.confirmations.parties', { borrower: l.borrower.name, bank: l.bank.name })}
              <div className="muted">
                <Money m={l.amount} />
              </div>
            </td>
            <td>
              {unconfirmed(l, warehouse).map((r) =>
                canAct ? <PledgeDecision key={r} loan={l.id} receipt={r} action={action} onDone={onDone} /> : <code key={r}>{r} </code>,
              )}
            </td>
          </tr>
        )}
      />
    </Card>
  );
}

/** Quantities summed exactly per unit: "150.000 t, 20 bags". */
function totals(receipts: readonly ReceiptView[]): { value: string; unit: string }[] {
  const sums = new Map<string, bigint>();
  for (const r of receipts) {
    const v = parseScaled(r.quantity.value, unitScale(r.quantity.unit));
    if (v !== null) sums.set(r.quantity.unit, (sums.get(r.quantity.unit) ?? 0n) + v);
  }
  return [...sums].map(([unit, v]) => ({ unit, value: formatScaled(v, unitScale(unit)) }));
}

/** The goods this warehouse holds under an active pledge, by the bank they are held for. */
function HeldForBanks({ receipts, bankName }: { receipts: readonly ReceiptView[]; bankName: (id: string) => string }) {
  const { t } = useTranslation();
  const byBank = new Map<string, ReceiptView[]>();
  for (const r of receipts) {
    if (r.encumbrance?.kind !== 'ACTIVE') continue;
    byBank.set(r.encumbrance.holder, [...(byBank.get(r.encumbrance.holder) ?? []), r]);
  }
  return (
    <Card testId="held-for-banks" title={t('pledges.held.title')} explain={t('pledges.held.explain')}>
      {byBank.size === 0 && <p className="muted">{t('pledges.held.none')}</p>}
      {[...byBank].map(([bank, list]) => (
        <div key={bank} className="held-bank" data-testid={`held-${bank}`}>
          <h3>
            {bankName(bank)}{' '}
            <span className="muted" data-testid={`held-total-${bank}`}>
              {totals(list).map((q, i) => (
                <span key={q.unit}>
                  {i > 0 && ', '}
                  <Quantity q={q} />
                </span>
              ))}
            </span>
          </h3>
          <ul className="plain-list">
            {list.map((r) => (
              <li key={r.id} data-testid={`held-${bank}-${r.number}`}>
                <Link to={`/receipts/${r.id}`}>{r.number}</Link> · {r.goods.commodity} · <Quantity q={r.quantity} /> · {r.goods.location} ·{' '}
                <span className="muted">{t('pledges.held.reference', { reference: r.encumbrance?.reference ?? '' })}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </Card>
  );
}

/** The warehouse's part in financing: confirming control of pledged goods, and what it holds for each bank. */
export function PledgesPage() {
  const { t } = useTranslation();
  const { session, canAct } = useAuth();
  const org = session?.org ?? '';
  const orgs = useOrganisations();
  const loans = useLoad(async (token) => (await execute(LoansQuery, { status: ['APPLIED', 'ACTIVE'], first: MAX_PAGE }, token)).loans.nodes, [org]);
  const receipts = useLoad(async (token) => (await execute(ReceiptsQuery, { warehouse: org, first: 500 }, token)).receipts.nodes, [org]);
  const action = useSignedAction();
  if (!session) return null;
  return (
    <Page title={t('pledges.title')} lead={t('pledges.lead')} className="pledges">
      <ErrorNotice error={loans.error ?? receipts.error} />
      <ActionOutcome action={action} />
      {loans.loading && !loans.data && <p>{t('common.loading')}</p>}
      <Confirmations loans={loans.data ?? []} warehouse={org} canAct={canAct} action={action} onDone={() => Promise.all([loans.reload(), receipts.reload()])} />
      <HeldForBanks receipts={receipts.data ?? []} bankName={orgs.name} />
    </Page>
  );
}
