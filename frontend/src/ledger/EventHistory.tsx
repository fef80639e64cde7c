import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime, shorten } from '../app/format';
import { TableHead } from '../app/Table';
import { ProofDownload, ProofDownloadHint } from './ProofDownload';
import { type ProvenEvent, useEventChecks } from './useEventChecks';

/** An entry of a record's signed history as the record's page shows it. */
export interface HistoryEvent extends ProvenEvent {
  time: string;
  signerUser: string | null;
  signerOrg: string | null;
  /** The proof, and the same proof as a `c2sp.org/tlog-proof@v1` file. */
  proof: ProvenEvent['proof'] & { tlogProof: string };
}

/**
 * A record's signed history (a receipt's, a loan's): each entry's type, time
 * and signer, its proof checked in this browser against the log key, and
 * that proof as a file to check offline (`proof-download-<index>`).
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
    <>
      <table>
        <TableHead columns={['#', t('explorer.entry.type'), t('explorer.entry.time'), t('explorer.entry.signer'), t('receipt.proof'), '']} />
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
                <td>
                  {/* Offered whatever this browser found: the file is checked apart from it, trusting only the keys given offline. */}
                  <ProofDownload index={e.index} tlogProof={e.proof.tlogProof} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ProofDownloadHint />
    </>
  );
}
