import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { execute } from '../api/graphql';
import { useSignedAction } from '../api/useSignedAction';
import { ErrorNotice } from '../app/ErrorNotice';
import { ReceiptNotice } from '../app/ReceiptNotice';
import { useAuth } from '../auth/AuthContext';
import { type ReceiptView, Quantity, ReceiptBadges, isActionable } from './display';
import { EndorseForm, PledgeForm, RedeemForm, SplitForm } from './HolderForms';
import { ReceiptsQuery } from './operations';
import { newId } from './rules';
import { cancelReceiptRequest, liftEncumbrance, mergeReceipts } from './transactions';
import { useLoad } from './useLoad';
import { useOrganisations } from './useOrganisations';

type FormKind = 'endorse' | 'split' | 'redeem' | 'pledge';

export function MyReceiptsPage() {
  const { t } = useTranslation();
  const { session, me, txContext } = useAuth();
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
  const roles = me?.user.roles ?? [];
  const canAct = roles.some((r) => r === 'ADMIN' || r === 'OFFICER' || r === 'APPROVER');
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
    <div className="page my-receipts">
      <h1>{t('receipts.title')}</h1>
      <p className="lead">{t('receipts.lead')}</p>
      <ErrorNotice error={held.error ?? pledged.error} />
      <ErrorNotice error={action.error} />
      <ReceiptNotice receipt={action.receipt} />
      <section className="card">
        <h2>{t('receipts.held.title')}</h2>
        {held.loading && !held.data && <p>{t('common.loading')}</p>}
        {held.data && receipts.length === 0 && <p className="muted">{t('receipts.held.none')}</p>}
        {receipts.length > 0 && (
          <table data-testid="my-receipts">
            <thead>
              <tr>
                <th>
                  <span className="visually-hidden">{t('receipts.merge.select')}</span>
                </th>
                <th>{t('receipt.number')}</th>
                <th>{t('goods.commodity')}</th>
                <th>{t('receipt.quantity')}</th>
                <th>{t('receipt.warehouse')}</th>
                <th>{t('common.status')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {receipts.map((r) => (
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
                            <button type="button" className="secondary" data-testid={`endorse-${r.number}`} onClick={() => open('endorse', r)}>
                              {t('receipts.endorse.open')}
                            </button>
                            <button type="button" className="secondary" data-testid={`split-${r.number}`} onClick={() => open('split', r)}>
                              {t('receipts.split.open')}
                            </button>
                            <button type="button" className="secondary" data-testid={`pledge-${r.number}`} onClick={() => open('pledge', r)}>
                              {t('receipts.pledge.open')}
                            </button>
                          </>
                        )}
                        {(r.status === 'LIVE' || r.status === 'EXPIRED') && isActionable(r) && !r.encumbrance && (
                          <button type="button" className="secondary" data-testid={`redeem-${r.number}`} onClick={() => open('redeem', r)}>
                            {t('receipts.redeem.open')}
                          </button>
                        )}
                        {(r.pendingTransfer || r.pendingRedemption) && (
                          <button
                            type="button"
                            className="danger"
                            data-testid={`cancel-request-${r.number}`}
                            disabled={action.busy !== null}
                            onClick={() => void action.run(`cancel-${r.id}`, async () => cancelReceiptRequest(await txContext(), { receipt: r.id }), reloadAll)}
                          >
                            {t('receipts.cancelRequest')}
                          </button>
                        )}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canAct && receipts.length > 1 && (
          <div className="merge-bar">
            <button
              type="button"
              data-testid="merge-submit"
              disabled={!mergeable || action.busy !== null}
              onClick={() =>
                void action.run('merge', async () => mergeReceipts(await txContext(), { receipts: chosen.map((r) => r.id), into: newId('wr') }), done)
              }
            >
              {t('receipts.merge.submit', { n: chosen.length })}
            </button>{' '}
            <span className="hint" data-testid="merge-hint">
              {chosen.length < 2 ? t('receipts.merge.pickTwo') : sameLot ? '' : t('receipts.merge.sameLot')}
            </span>
          </div>
        )}
      </section>
      {form && formReceipt && form.kind === 'endorse' && <EndorseForm receipt={formReceipt} action={action} onDone={done} onCancel={() => setForm(null)} orgs={orgs.orgs} />}
      {form && formReceipt && form.kind === 'split' && <SplitForm receipt={formReceipt} action={action} onDone={done} onCancel={() => setForm(null)} />}
      {form && formReceipt && form.kind === 'redeem' && <RedeemForm receipt={formReceipt} action={action} onDone={done} onCancel={() => setForm(null)} />}
      {form && formReceipt && form.kind === 'pledge' && <PledgeForm receipt={formReceipt} action={action} onDone={done} onCancel={() => setForm(null)} orgs={orgs.orgs} />}
      {bank && (
        <section className="card" data-testid="encumbered-receipts">
          <h2>{t('receipts.pledged.title')}</h2>
          {(pledged.data ?? []).length === 0 && <p className="muted">{t('receipts.pledged.none')}</p>}
          {(pledged.data ?? []).length > 0 && (
            <table>
              <tbody>
                {(pledged.data ?? []).map((r) => (
                  <tr key={r.id} data-testid={`encumbered-row-${r.number}`}>
                    <td>
                      <Link to={`/receipts/${r.id}`}>{r.number}</Link>
                      <div className="muted">{r.goods.commodity}</div>
                    </td>
                    <td>
                      <Quantity q={r.quantity} />
                    </td>
                    <td>{r.holder.name}</td>
                    <td>
                      {r.encumbrance &&
                        t('receipts.pledged.detail', { reference: r.encumbrance.reference, since: r.encumbrance.since })}
                      <div>
                        <ReceiptBadges receipt={r} />
                      </div>
                    </td>
                    <td>
                      {canAct && (
                        <button
                          type="button"
                          data-testid={`lift-${r.number}`}
                          disabled={action.busy !== null}
                          onClick={() => void action.run(`lift-${r.id}`, async () => liftEncumbrance(await txContext(), { receipt: r.id }), reloadAll)}
                        >
                          {t('receipts.pledged.lift')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
