import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { execute } from '../api/graphql';
import { useLoad } from '../api/useLoad';
import { type SignedAction, useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { FormOpener } from '../app/FormOpener';
import { Page } from '../app/Page';
import { ReasonPrompt } from '../app/ReasonPrompt';
import { SignButton } from '../app/SignButton';
import { ListTable } from '../app/Table';
import { useAuth } from '../auth/AuthContext';
import type { LotFieldsFragment } from '../gql/graphql';
import { type ReceiptView, Quantity, ReceiptBadges, ReceiptCell } from './display';
import { DraftReceiptForm } from './DraftReceiptForm';
import { AdjustStockForm, CountStockForm } from './LotStockForms';
import { LotsQuery, ReceiptsQuery } from './operations';
import { ReceiveGoodsForm } from './ReceiveGoodsForm';
import { confirmRedemption, countersignTransfer, discardDraft, issueReceipt } from './transactions';
import { useOrganisations } from './useOrganisations';

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
            <FormOpener testId={`count-${lot.id}`} label={t('warehouse.count.open')} onOpen={() => toggle('count')} />
            <FormOpener testId={`adjust-${lot.id}`} label={t('warehouse.adjust.open')} onOpen={() => toggle('adjust')} />
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

function DraftQueue({ drafts, approver, me, action, onChanged }: { drafts: ReceiptView[]; approver: boolean; me: string; action: SignedAction; onChanged: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [discarding, setDiscarding] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  return (
    <Card testId="drafts" title={t('warehouse.drafts.title')} explain={t('warehouse.drafts.explain')}>
      <ListTable
        rows={drafts}
        none={t('warehouse.drafts.none')}
        columns={[t('receipt.number'), t('goods.commodity'), t('receipt.quantity'), t('receipt.depositor'), t('warehouse.drafts.draftedBy'), '']}
        row={(r) => {
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
                    <SignButton
                      action={action}
                      id={`issue-${r.id}`}
                      sign={async () => issueReceipt(await txContext(), { receipt: r.id })}
                      onDone={onChanged}
                      label={t('warehouse.drafts.issue')}
                      testId={`issue-${r.number}`}
                      disabled={own}
                      title={own ? t('warehouse.drafts.ownDraft') : undefined}
                    />
                    <ReasonPrompt
                      open={discarding === r.id}
                      onOpen={() => setDiscarding(r.id)}
                      reason={reason}
                      onReason={setReason}
                      onSubmit={(why) =>
                        void action.run(`discard-${r.id}`, async () => discardDraft(await txContext(), { receipt: r.id, reason: why }), () => {
                          setDiscarding(null);
                          setReason('');
                          return onChanged();
                        })
                      }
                      busy={action.busy !== null}
                      label={t('warehouse.drafts.discard')}
                      reasonLabel={t('warehouse.drafts.reason')}
                      testIds={{ open: `discard-${r.number}`, reason: `discard-reason-${r.number}`, submit: `discard-confirm-${r.number}` }}
                    />
                    {own && <div className="hint">{t('warehouse.drafts.ownDraft')}</div>}
                  </div>
                )}
              </td>
            </tr>
          );
        }}
      />
    </Card>
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
  action: SignedAction;
  onChanged: () => unknown;
  orgName: (id: string) => string;
}) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  return (
    <Card testId={kind} title={t(`warehouse.${kind}.title`)}>
      <ListTable
        rows={receipts}
        none={t(`warehouse.${kind}.none`)}
        row={(r) => (
          <tr key={r.id} data-testid={`${kind === 'transfers' ? 'transfer' : 'redemption'}-row-${r.number}`}>
            <ReceiptCell receipt={r} />
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
                  <SignButton
                    action={action}
                    id={`countersign-${r.id}`}
                    sign={async () => countersignTransfer(await txContext(), { receipt: r.id })}
                    onDone={onChanged}
                    label={t('warehouse.transfers.countersign')}
                    testId={`countersign-${r.number}`}
                  />
                ) : (
                  <SignButton
                    action={action}
                    id={`redeem-${r.id}`}
                    sign={async () => confirmRedemption(await txContext(), { receipt: r.id })}
                    onDone={onChanged}
                    label={t('warehouse.redemptions.confirm')}
                    testId={`confirm-redemption-${r.number}`}
                  />
                ))}
            </td>
          </tr>
        )}
      />
    </Card>
  );
}

export function WarehousePage() {
  const { t } = useTranslation();
  const { session, me, canAct } = useAuth();
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
  const officer = roles.includes('OFFICER');
  const approver = roles.includes('APPROVER');
  const reloadAll = () => Promise.all([lots.reload(), drafts.reload(), issued.reload()]);
  const live = (issued.data ?? []).filter((r) => r.status === 'LIVE' || r.status === 'EXPIRED');
  const openLot = open ? (lots.data ?? []).find((l) => l.id === open.lot) : undefined;
  const depositors = orgs.orgs.filter((o) => o.kind === 'SME' && o.status === 'ACTIVE');

  return (
    <Page title={t('warehouse.title')} lead={t('warehouse.lead')} className="warehouse">
      <ErrorNotice error={lots.error ?? drafts.error ?? issued.error} />
      <Card title={t('warehouse.lots.title')}>
        <ActionOutcome action={lotAction} />
        <ListTable
          rows={lots.data}
          loading={lots.loading}
          none={t('warehouse.lots.none')}
          testId="lots"
          columns={[
            t('goods.commodity'),
            t('goods.location'),
            t('warehouse.lots.onHand'),
            t('warehouse.lots.receipted'),
            t('warehouse.lots.free'),
            t('warehouse.lots.count'),
            '',
          ]}
          row={(lot) => <LotRow key={lot.id} lot={lot} canAct={canAct} canDraft={officer} open={open} setOpen={setOpen} />}
        />
        {open && openLot && open.form === 'count' && <CountStockForm lot={openLot} action={lotAction} onDone={() => (setOpen(null), lots.reload())} />}
        {open && openLot && open.form === 'adjust' && <AdjustStockForm lot={openLot} action={lotAction} onDone={() => (setOpen(null), lots.reload())} />}
      </Card>
      {open && openLot && open.form === 'draft' && <DraftReceiptForm key={openLot.id} lot={openLot} onDone={reloadAll} onCancel={() => setOpen(null)} />}
      <ActionOutcome action={action} />
      <DraftQueue drafts={drafts.data ?? []} approver={approver} me={session.user} action={action} onChanged={reloadAll} />
      <RequestQueue kind="transfers" receipts={live.filter((r) => r.pendingTransfer)} canAct={canAct} action={action} onChanged={reloadAll} orgName={orgs.name} />
      <RequestQueue kind="redemptions" receipts={live.filter((r) => r.pendingRedemption)} canAct={canAct} action={action} onChanged={reloadAll} orgName={orgs.name} />
      {canAct && <ReceiveGoodsForm depositors={depositors} onDone={lots.reload} />}
      <Card title={t('warehouse.issued.title')}>
        {(issued.data ?? []).length === 0 && <p className="muted">{t('warehouse.issued.none')}</p>}
        <ul className="plain-list" data-testid="issued">
          {(issued.data ?? []).map((r) => (
            <li key={r.id} data-testid={`issued-${r.number}`}>
              <Link to={`/receipts/${r.id}`}>{r.number}</Link> · {r.goods.commodity} · <Quantity q={r.quantity} /> · {r.holder.name} <ReceiptBadges receipt={r} />
            </li>
          ))}
        </ul>
      </Card>
    </Page>
  );
}
