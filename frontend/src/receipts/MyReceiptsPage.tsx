import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { execute } from '../api/graphql';
import { useLoad } from '../api/useLoad';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { FormOpener } from '../app/FormOpener';
import { Page } from '../app/Page';
import { SignButton } from '../app/SignButton';
import { ListTable } from '../app/Table';
import { useAuth } from '../auth/AuthContext';
import { type ReceiptView, Quantity, ReceiptBadges, ReceiptCell, isActionable } from './display';
import { EndorseForm, PledgeForm, RedeemForm, SplitForm } from './HolderForms';
import { ReceiptsQuery } from './operations';
import { newId } from './rules';
import { cancelReceiptRequest, liftEncumbrance, mergeReceipts } from './transactions';
import { useOrganisations } from './useOrganisations';

type FormKind = 'endorse' | 'split' | 'redeem' | 'pledge';

export function MyReceiptsPage() {
  const { t } = useTranslation();
  const { session, me, canAct, txContext } = useAuth();
  const org = session?.org ?? '';
  const orgs = useOrganisations();
  const held = useLoad(async (token) => (await execute(ReceiptsQuery, { holder: org, first: 200 }, token)).receipts.nodes, [org]);
  const bank = me?.organisation.kind === 'BANK';
  // The receipts pledged to this bank; the holder filter cannot say so, so filter what the bank may see.
  const pledged = useLoad(
    async (token) => (bank ? (await execute(ReceiptsQuery, { first: 200 }, token)).receipts.nodes.filter((r) => r.encumbrance?.holder === org) : []),
    [org, bank],
  );
  const action = useSignedAction();
  const [form, setForm] = useState<{ kind: FormKind; receipt: string } | null>(null);
  const [selected, setSelected] = useState<string[]>([]);

  if (!session) return null;
  const receipts = held.data ?? [];
  const reloadAll = () => Promise.all([held.reload(), pledged.reload()]);
  const done = () => {
    setForm(null);
    setSelected([]);
    return reloadAll();
  };
  const formReceipt = form ? receipts.find((r) => r.id === form.receipt) : undefined;

  const chosen = receipts.filter((r) => selected.includes(r.id));
  const sameLot = chosen.length > 0 && chosen.every((r) => r.lot === chosen[0]?.lot);
  const mergeable = chosen.length >= 2 && sameLot && chosen.every((r) => r.status === 'LIVE' && isActionable(r) && !r.encumbrance);
  const free = (r: ReceiptView) => r.status === 'LIVE' && isActionable(r) && !r.encumbrance;

  const open = (kind: FormKind, r: ReceiptView) => {
    action.clear();
    setForm(form?.kind === kind && form.receipt === r.id ? null : { kind, receipt: r.id });
  };

  return (
    <Page title={t('receipts.title')} lead={t('receipts.lead')} className="my-receipts">
      <ErrorNotice error={held.error ?? pledged.error} />
      <ActionOutcome action={action} />
      <Card title={t('receipts.held.title')}>
        <ListTable
          rows={held.data}
          loading={held.loading}
          none={t('receipts.held.none')}
          testId="my-receipts"
          columns={[
            <span className="visually-hidden">{t('receipts.merge.select')}</span>,
            t('receipt.number'),
            t('goods.commodity'),
            t('receipt.quantity'),
            t('receipt.warehouse'),
            t('common.status'),
            '',
          ]}
          row={(r) => (
            <tr key={r.id} data-testid={`receipt-row-${r.number}`}>
              <td>
                {canAct && free(r) && (
                  <input
                    type="checkbox"
                    aria-label={t('receipts.merge.selectOne', { number: r.number })}
                    checked={selected.includes(r.id)}
                    onChange={(e) => setSelected((prev) => (e.target.checked ? [...prev, r.id] : prev.filter((x) => x !== r.id)))}
                    data-testid={`merge-select-${r.number}`}
                  />
                )}
              </td>
              <td>
                <Link to={`/receipts/${r.id}`} data-testid={`receipt-link-${r.number}`}>
                  {r.number}
                </Link>
                <div className="muted">{t('receipts.held.until', { date: r.terms.storageUntil })}</div>
              </td>
              <td>
                {r.goods.commodity}
                <div className="muted">
                  {t('goods.grade')} {r.goods.grade}
                </div>
              </td>
              <td>
                <Quantity q={r.quantity} testId={`quantity-${r.number}`} />
                <div className="muted">{t('warehouse.lots.pieces', { n: r.pieces })}</div>
              </td>
              <td>{r.warehouse.name}</td>
              <td>
                <ReceiptBadges receipt={r} />
                {r.pendingTransfer && <div className="muted">{t('receipts.held.transferTo', { org: orgs.name(r.pendingTransfer.to) })}</div>}
              </td>
              <td>
                {canAct && (
                  <div className="actions">
                    {free(r) && (
                      <>
                        <FormOpener testId={`endorse-${r.number}`} label={t('receipts.endorse.open')} onOpen={() => open('endorse', r)} />
                        <FormOpener testId={`split-${r.number}`} label={t('receipts.split.open')} onOpen={() => open('split', r)} />
                        <FormOpener testId={`pledge-${r.number}`} label={t('receipts.pledge.open')} onOpen={() => open('pledge', r)} />
                      </>
                    )}
                    {(r.status === 'LIVE' || r.status === 'EXPIRED') && isActionable(r) && !r.encumbrance && (
                      <FormOpener testId={`redeem-${r.number}`} label={t('receipts.redeem.open')} onOpen={() => open('redeem', r)} />
                    )}
                    {(r.pendingTransfer || r.pendingRedemption) && (
                      <SignButton
                        action={action}
                        id={`cancel-${r.id}`}
                        sign={async () => cancelReceiptRequest(await txContext(), { receipt: r.id })}
                        onDone={reloadAll}
                        label={t('receipts.cancelRequest')}
                        testId={`cancel-request-${r.number}`}
                        className="danger"
                      />
                    )}
                  </div>
                )}
              </td>
            </tr>
          )}
        />
        {canAct && receipts.length > 1 && (
          <div className="merge-bar">
            <SignButton
              action={action}
              id="merge"
              sign={async () => mergeReceipts(await txContext(), { receipts: chosen.map((r) => r.id), into: newId('wr') })}
              onDone={done}
              label={t('receipts.merge.submit', { n: chosen.length })}
              testId="merge-submit"
              disabled={!mergeable}
            />{' '}
            <span className="hint" data-testid="merge-hint">
              {chosen.length < 2 ? t('receipts.merge.pickTwo') : sameLot ? '' : t('receipts.merge.sameLot')}
            </span>
          </div>
        )}
      </Card>
      {form && formReceipt && form.kind === 'endorse' && <EndorseForm receipt={formReceipt} action={action} onDone={done} onCancel={() => setForm(null)} orgs={orgs.orgs} />}
      {form && formReceipt && form.kind === 'split' && <SplitForm receipt={formReceipt} action={action} onDone={done} onCancel={() => setForm(null)} />}
      {form && formReceipt && form.kind === 'redeem' && <RedeemForm receipt={formReceipt} action={action} onDone={done} onCancel={() => setForm(null)} />}
      {form && formReceipt && form.kind === 'pledge' && <PledgeForm receipt={formReceipt} action={action} onDone={done} onCancel={() => setForm(null)} orgs={orgs.orgs} />}
      {bank && (
        <Card testId="encumbered-receipts" title={t('receipts.pledged.title')}>
          <ListTable
            rows={pledged.data ?? []}
            none={t('receipts.pledged.none')}
            row={(r) => (
              <tr key={r.id} data-testid={`encumbered-row-${r.number}`}>
                <ReceiptCell receipt={r} />
                <td>
                  <Quantity q={r.quantity} />
                </td>
                <td>{r.holder.name}</td>
                <td>
                  {r.encumbrance && t('receipts.pledged.detail', { reference: r.encumbrance.reference, since: r.encumbrance.since })}
                  <div>
                    <ReceiptBadges receipt={r} />
                  </div>
                </td>
                <td>
                  {canAct && (
                    <SignButton
                      action={action}
                      id={`lift-${r.id}`}
                      sign={async () => liftEncumbrance(await txContext(), { receipt: r.id })}
                      onDone={reloadAll}
                      label={t('receipts.pledged.lift')}
                      testId={`lift-${r.number}`}
                    />
                  )}
                </td>
              </tr>
            )}
          />
        </Card>
      )}
    </Page>
  );
}
