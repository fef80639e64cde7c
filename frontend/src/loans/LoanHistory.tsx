import { useTranslation } from 'react-i18next';
import { formatTime, shorten } from '../app/format';
import { type ProvenEvent, useEventChecks } from '../ledger/useEventChecks';

export interface LoanEventView extends ProvenEvent {
  time: string;
  signerUser: string | null;
  signerOrg: string | null;
}

/** The loan's signed history, each entry's proof checked in this browser against the log key. */
export function LoanHistory({ events, orgName }: { events: readonly LoanEventView[]; orgName: (id: string | null) => string }) {
  const { t, i18n } = useTranslation();
  const checks = useEventChecks(events);
  return (
    <section className="card" data-testid="loan-history">
      <h2>{t('loan.history')}</h2>
      <p className="hint">{t('loan.historyExplain')}</p>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>{t('explorer.entry.type')}</th>
            <th>{t('explorer.entry.time')}</th>
            <th>{t('explorer.entry.signer')}</th>
            <th>{t('receipt.proof')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const c = checks.get(e.index);
            return (
              <tr key={e.index} data-testid={`loan-event-${e.index}`} data-type={e.type}>
                <td>{e.index}</td>
                <td data-testid={`loan-event-type-${e.index}`}>{t(`txType.${e.type}`, { defaultValue: e.type })}</td>
                <td>{formatTime(e.time, i18n.language)}</td>
                <td>
                  {e.signerUser ?? <code title={e.signer}>{shorten(e.signer)}</code>}
                  <div className="muted">{orgName(e.signerOrg)}</div>
                </td>
                <td data-testid={`loan-event-proof-${e.index}`} className={c ? (c.ok ? 'ok' : 'bad') : 'muted'}>
                  {!c
                    ? t('proof.verifying')
                    : c.ok
                      ? `✓ ${t('receipt.proofOk', { size: c.treeSize.toString() })}`
                      : `✗ ${t('proof.failed', { step: t(`proof.step.${c.step}`) })}: ${t(`proof.reason.${c.reason}`)}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
