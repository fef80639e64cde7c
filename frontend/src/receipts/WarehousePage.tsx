import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { execute } from '../api/graphql';
import { useSignedAction } from '../api/useSignedAction';
import { ErrorNotice } from '../app/ErrorNotice';
import { ReceiptNotice } from '../app/ReceiptNotice';
import { useAuth } from '../auth/AuthContext';
import type { LotFieldsFragment } from '../gql/graphql';
import { type ReceiptView, Quantity, ReceiptBadges } from './display';
import { DraftReceiptForm } from './DraftReceiptForm';
import { AdjustStockForm, CountStockForm } from './LotStockForms';
import { LotsQuery, ReceiptsQuery } from './operations';
import { ReceiveGoodsForm } from './ReceiveGoodsForm';
import { confirmRedemption, countersignTransfer, discardDraft, issueReceipt } from './transactions';
import { useLoad } from './useLoad';
import { useOrganisations } from './useOrganisations';

type Action = ReturnType<typeof useSignedAction>;
type Open = { lot: string; form: 'count' | 'adjust' | 'draft' } | null;

function LotRow({ lot, canAct, canDraft, open, setOpen }: { lot: LotFieldsFragment; canAct: boolean; canDraft: boolean; open: Open; setOpen: (o: Open) => void }) {
  const { t } = useTranslation();
  const toggle = (form: 'count' | 'adjust' | 'draft') => setOpen(open?.lot === lot.id && open.form === form ? null : { lot: lot.id, form });
  return (
    <tr data-testid={`lot-${lot.id}`}>
      <td>
        <strong>{lot.commodity}</strong>
        <div className="muted">
          <code>{lot.id}</code> · {t('goods.grade')} {lot.grade} · HS {lot.hsCode}
        </div>
        <div className="muted">{lot.depositor.name}</div>
      </td>
      <td>{lot.location}</td>
      <td data-testid={`lot-on-hand-${lot.id}`}>
        <Quantity q={lot.onHand} />
        <div className="muted">{t('warehouse.lots.pieces', { n: lot.pieces })}</div>
      </td>
      <td data-testid={`lot-receipted-${lot.id}`}>
        <Quantity q={lot.receipted} />
      </td>
      <td data-testid={`lot-free-${lot.id}`}>
        <Quantity q={lot.free} />
      </td>
      <td>
        {lot.shortfall ? (
          <span className="badge badge-flagged" data-testid={`shortfall-${lot.id}`} title={t('warehouse.lots.shortfallDetail', { counted: lot.shortfall.counted.value, book: lot.shortfall.book.value })}>
            {t('warehouse.lots.shortfall')}
          </span>
        ) : (
          <span className="muted">{lot.lastCount ? t('warehouse.lots.countOk', { counted: lot.lastCount.value }) : t('warehouse.lots.notCounted')}</span>
        )}
        {lot.certifications.map((c) => (
          <div key={`${c.certificate}-${c.at}`} className="muted">
            {t('warehouse.lots.certified', { inspector: c.inspector, grade: c.grade })}
          </div>
        ))}
      </td>
      <td>
        {canAct && (
          <div className="actions">
            <button type="button" className="secondary" data-testid={`count-${lot.id}`} onClick={() => toggle('count')}>
              {t('warehouse.count.open')}
            </button>
            <button type="button" className="secondary" data-testid={`adjust-${lot.id}`} onClick={() => toggle('adjust')}>
              {t('warehouse.adjust.open')}
            </button>
            {canDraft && (
              <button type="button" data-testid={`draft-${lot.id}`} onClick={() => toggle('draft')}>
                {t('warehouse.draft.open')}
              </button>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}

function DraftQueue({ drafts, approver, me, action, onChanged }: { drafts: ReceiptView[]; approver: boolean; me: string; action: Action; onChanged: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [discarding, setDiscarding] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  return (
    <section className="card" data-testid="drafts">
      <h2>{t('warehouse.drafts.title')}</h2>
      <p className="hint">{t('warehouse.drafts.explain')}</p>
      {drafts.length === 0 && <p className="muted">{t('warehouse.drafts.none')}</p>}
      {drafts.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('receipt.number')}</th>
              <th>{t('goods.commodity')}</th>
              <th>{t('receipt.quantity')}</th>
              <th>{t('receipt.depositor')}</th>
              <th>{t('warehouse.drafts.draftedBy')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {drafts.map((r) => {
              const own = r.draftedBy === me;
              return (
                <tr key={r.id} data-testid={`draft-row-${r.number}`}>
                  <td>
                    <strong>{r.number}</strong>
                    <div className="muted">
                      <code>{r.id}</code>
                    </div>
                  </td>
                  <td>{r.goods.commodity}</td>
                  <td>
                    <Quantity q={r.quantity} />
                    <div className="muted">{t('warehouse.lots.pieces', { n: r.pieces })}</div>
                  </td>
                  <td>{r.depositor.name}</td>
                  <td>
                    {r.draftedBy}
                    <div className="muted">{t('common.atEntry', { index: r.draftedAt })}</div>
                  </td>
                  <td>
                    {approver && (
                      <div className="actions">
                        <button
                          type="button"
                          data-testid={`issue-${r.number}`}
                          disabled={action.busy !== null || own}
                          title={own ? t('warehouse.drafts.ownDraft') : undefined}
                          onClick={() => void action.run(`issue-${r.id}`, async () => issueReceipt(await txContext(), { receipt: r.id }), onChanged)}
                        >
                          {t('warehouse.drafts.issue')}
                        </button>
                        {discarding === r.id ? (
                          <form
                            className="inline-form"
                            onSubmit={(e) => {
                              e.preventDefault();
                              if (reason.trim() === '') return;
                              void action.run(`discard-${r.id}`, async () => discardDraft(await txContext(), { receipt: r.id, reason: reason.trim() }), () => {
                                setDiscarding(null);
                                setReason('');
                                return onChanged();
                              });
                            }}
                          >
                            <input
                              value={reason}
                              onChange={(e) => setReason(e.target.value)}
                              placeholder={t('warehouse.drafts.reason')}
                              aria-label={t('warehouse.drafts.reason')}
                              data-testid={`discard-reason-${r.number}`}
                            />
                            <button type="submit" className="danger" disabled={action.busy !== null || reason.trim() === ''} data-testid={`discard-confirm-${r.number}`}>
                              {t('warehouse.drafts.discard')}
                            </button>
                          </form>
                        ) : (
                          <button type="button" className="danger" data-testid={`discard-${r.number}`} disabled={action.busy !== null} onClick={() => setDiscarding(r.id)}>
                            {t('warehouse.drafts.discard')}
                          </button>
                        )}
                        {own && <div className="hint">{t('warehouse.drafts.ownDraft')}</div>}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RequestQueue({
  kind,
  receipts,
  canAct,
  action,
  onChanged,
  orgName,
}: {
  kind: 'transfers' | 'redemptions';
  receipts: ReceiptView[];
  canAct: boolean;
  action: Action;
  onChanged: () => unknown;
  orgName: (id: string) => string;
}) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  return (
    <section className="card" data-testid={kind}>
      <h2>{t(`warehouse.${kind}.title`)}</h2>
      {receipts.length === 0 && <p className="muted">{t(`warehouse.${kind}.none`)}</p>}
      {receipts.length > 0 && (
        <table>
          <tbody>
            {receipts.map((r) => (
              <tr key={r.id} data-testid={`${kind === 'transfers' ? 'transfer' : 'redemption'}-row-${r.number}`}>
                <td>
                  <Link to={`/receipts/${r.id}`}>{r.number}</Link>
                  <div className="muted">{r.goods.commodity}</div>
                </td>
                <td>
                  {kind === 'transfers' && r.pendingTransfer
                    ? t('warehouse.transfers.detail', { from: r.holder.name, to: orgName(r.pendingTransfer.to), index: r.pendingTransfer.at })
                    : null}
                  {kind === 'redemptions' && r.pendingRedemption ? (
                    <>
                      {t('warehouse.redemptions.detail', { holder: r.holder.name, pieces: r.pendingRedemption.pieces })} <Quantity q={r.pendingRedemption.quantity} />
                    </>
                  ) : null}
                </td>
                <td>
                  {canAct &&
                    (kind === 'transfers' ? (
                      <button
                        type="button"
                        data-testid={`countersign-${r.number}`}
                        disabled={action.busy !== null}
                        onClick={() => void action.run(`countersign-${r.id}`, async () => countersignTransfer(await txContext(), { receipt: r.id }), onChanged)}
                      >
                        {t('warehouse.transfers.countersign')}
                      </button>
                    ) : (
                      <button
                        type="button"
                        data-testid={`confirm-redemption-${r.number}`}
                        disabled={action.busy !== null}
                        onClick={() => void action.run(`redeem-${r.id}`, async () => confirmRedemption(await txContext(), { receipt: r.id }), onChanged)}
                      >
                        {t('warehouse.redemptions.confirm')}
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function WarehousePage() {
  const { t } = useTranslation();
  const { session, me } = useAuth();
  const org = session?.org ?? '';
  const orgs = useOrganisations();
  const lots = useLoad(async (token) => (await execute(LotsQuery, { warehouse: org, first: 200 }, token)).lots.nodes, [org]);
  const drafts = useLoad(async (token) => (await execute(ReceiptsQuery, { warehouse: org, status: 'DRAFT', first: 200 }, token)).receipts.nodes, [org]);
  const issued = useLoad(async (token) => (await execute(ReceiptsQuery, { warehouse: org, first: 200 }, token)).receipts.nodes, [org]);
  const action = useSignedAction();
  const lotAction = useSignedAction();
  const [open, setOpen] = useState<Open>(null);

  if (!session) return null;
  const roles = me?.user.roles ?? [];
  const canAct = roles.some((r) => r === 'ADMIN' || r === 'OFFICER' || r === 'APPROVER');
  const officer = roles.includes('OFFICER');
  const approver = roles.includes('APPROVER');
  const reloadAll = () => Promise.all([lots.reload(), drafts.reload(), issued.reload()]);
  const live = (issued.data ?? []).filter((r) => r.status === 'LIVE' || r.status === 'EXPIRED');
  const openLot = open ? (lots.data ?? []).find((l) => l.id === open.lot) : undefined;
  const depositors = orgs.orgs.filter((o) => o.kind === 'SME' && o.status === 'ACTIVE');

  return (
    <div className="page warehouse">
      <h1>{t('warehouse.title')}</h1>
      <p className="lead">{t('warehouse.lead')}</p>
      <ErrorNotice error={lots.error ?? drafts.error ?? issued.error} />
      <section className="card">
        <h2>{t('warehouse.lots.title')}</h2>
        <ErrorNotice error={lotAction.error} />
        <ReceiptNotice receipt={lotAction.receipt} />
        {lots.loading && !lots.data && <p>{t('common.loading')}</p>}
        {lots.data && lots.data.length === 0 && <p className="muted">{t('warehouse.lots.none')}</p>}
        {lots.data && lots.data.length > 0 && (
          <table data-testid="lots">
            <thead>
              <tr>
                <th>{t('goods.commodity')}</th>
                <th>{t('goods.location')}</th>
                <th>{t('warehouse.lots.onHand')}</th>
                <th>{t('warehouse.lots.receipted')}</th>
                <th>{t('warehouse.lots.free')}</th>
                <th>{t('warehouse.lots.count')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {lots.data.map((lot) => (
                <LotRow key={lot.id} lot={lot} canAct={canAct} canDraft={officer} open={open} setOpen={setOpen} />
              ))}
            </tbody>
          </table>
        )}
        {open && openLot && open.form === 'count' && <CountStockForm lot={openLot} action={lotAction} onDone={() => (setOpen(null), lots.reload())} />}
        {open && openLot && open.form === 'adjust' && <AdjustStockForm lot={openLot} action={lotAction} onDone={() => (setOpen(null), lots.reload())} />}
      </section>
      {open && openLot && open.form === 'draft' && <DraftReceiptForm key={openLot.id} lot={openLot} onDone={reloadAll} onCancel={() => setOpen(null)} />}
      <ErrorNotice error={action.error} />
      <ReceiptNotice receipt={action.receipt} />
      <DraftQueue drafts={drafts.data ?? []} approver={approver} me={session.user} action={action} onChanged={reloadAll} />
      <RequestQueue kind="transfers" receipts={live.filter((r) => r.pendingTransfer)} canAct={canAct} action={action} onChanged={reloadAll} orgName={orgs.name} />
      <RequestQueue kind="redemptions" receipts={live.filter((r) => r.pendingRedemption)} canAct={canAct} action={action} onChanged={reloadAll} orgName={orgs.name} />
      {canAct && <ReceiveGoodsForm depositors={depositors} onDone={lots.reload} />}
      <section className="card">
        <h2>{t('warehouse.issued.title')}</h2>
        {(issued.data ?? []).length === 0 && <p className="muted">{t('warehouse.issued.none')}</p>}
        <ul className="plain-list" data-testid="issued">
          {(issued.data ?? []).map((r) => (
            <li key={r.id} data-testid={`issued-${r.number}`}>
              <Link to={`/receipts/${r.id}`}>{r.number}</Link> · {r.goods.commodity} · <Quantity q={r.quantity} /> · {r.holder.name} <ReceiptBadges receipt={r} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
