import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime, shorten } from '../app/format';
import { TableHead } from '../app/Table';
import { type ProvenEvent, useEventChecks } from './useEventChecks';

/** An entry of a record's signed history as the record's page shows it. */
export interface HistoryEvent extends ProvenEvent {
  time: string;
  signerUser: string | null;
  signerOrg: string | null;
}

/**
 * A record's signed history (a receipt's, a loan's): each entry's type, time
 * and signer, and its proof checked in this browser against the log key.
 */
export function EventHistory<E extends HistoryEvent>({
  events,
  orgName,
  testIdPrefix,
  markTypes = false,
  typeDetail,
}: {
  events: readonly E[];
  orgName: (id: string | null) => string;
  /** Names each row `<prefix>-<index>` and its proof cell `<prefix>-proof-<index>`. */
  testIdPrefix: string;
  /** Carries each entry's type on its row (`data-type`) and names its type cell `<prefix>-type-<index>`. */
  markTypes?: boolean;
  /** What to say under an entry's type, if anything. */
  typeDetail?: (event: E) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const checks = useEventChecks(events);
  return (
    <table>
      <TableHead columns={['#', t('explorer.entry.type'), t('explorer.entry.time'), t('explorer.entry.signer'), t('receipt.proof')]} />
      <tbody>
        {events.map((e) => {
          const c = checks.get(e.index);
          return (
            <tr key={e.index} data-testid={`${testIdPrefix}-${e.index}`} data-type={markTypes ? e.type : undefined}>
              <td>{e.index}</td>
              <td data-testid={markTypes ? `${testIdPrefix}-type-${e.index}` : undefined}>
                {t(`txType.${e.type}`, { defaultValue: e.type })}
                {typeDetail?.(e)}
              </td>
              <td>{formatTime(e.time, i18n.language)}</td>
              <td>
                {e.signerUser ?? <code title={e.signer}>{shorten(e.signer)}</code>}
                <div className="muted">{orgName(e.signerOrg)}</div>
              </td>
              <td data-testid={`${testIdPrefix}-proof-${e.index}`} className={c ? (c.ok ? 'ok' : 'bad') : 'muted'}>
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
  );
}
