import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../app/ErrorNotice';
import { formatTime, shorten } from '../app/format';
import { Page } from '../app/Page';
import { TableHead } from '../app/Table';
import { type Checkpoint, CheckpointPanel, type CheckpointPanelHandle } from './CheckpointPanel';
import { EntryDetail } from './EntryDetail';
import type { LedgerEntry } from './feed';
import { useEntries } from './useEntries';

export function ExplorerPage() {
  const { t, i18n } = useTranslation();
  const panel = useRef<CheckpointPanelHandle>(null);
  const checkpointSize = useRef(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // A live entry past the checkpoint means a new checkpoint is coming; fetch it shortly after.
  const onLive = useCallback((e: LedgerEntry) => {
    if (e.index < checkpointSize.current || refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      panel.current?.refresh();
    }, 1500);
  }, []);
  useEffect(
    () => () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
    },
    [],
  );

  const feed = useEntries(onLive);
  const [selected, setSelected] = useState<number | null>(null);
  const selectedEntry = feed.entries.find((e) => e.index === selected && e.visible) ?? null;

  // Null when the node has no witness policy: then nothing is called final.
  const [finalSize, setFinalSize] = useState<number | null>(null);
  const onCheckpoint = useCallback((c: Checkpoint) => {
    checkpointSize.current = c.size;
    setFinalSize(c.finalSize ?? null);
  }, []);

  return (
    <Page title={t('explorer.title')} lead={t('explorer.lead')} className="explorer">
      <CheckpointPanel handle={panel} onCheckpoint={onCheckpoint} />
      <div className="explorer-grid">
        <section className="card">
          <div className="card-title">
            <h2>{t('explorer.entries.title')}</h2>
            <span className={feed.liveError ? 'bad' : 'muted'} data-testid="live-status">
              {feed.liveError ? t('explorer.entries.liveLost') : t('explorer.entries.live')}
            </span>
          </div>
          <ErrorNotice error={feed.error} />
          {feed.entries.length === 0 && !feed.loading && !feed.error && <p className="muted">{t('explorer.entries.none')}</p>}
          <table className="entries" data-testid="entries">
            <TableHead
              columns={[
                '#',
                t('explorer.entry.type'),
                t('explorer.entry.time'),
                t('explorer.entry.leafHash'),
                ...(finalSize === null ? [] : [t('explorer.entry.final')]),
              ]}
            />
            <tbody>
              {feed.entries.map((e) => (
                <tr
                  key={e.index}
                  data-testid={`entry-${e.index}`}
                  className={`${e.visible ? 'selectable' : 'hidden-entry'}${e.index === selected ? ' selected' : ''}`}
                  tabIndex={e.visible ? 0 : -1}
                  aria-selected={e.index === selected}
                  onClick={() => e.visible && setSelected(e.index)}
                  onKeyDown={(ev) => {
                    if (e.visible && (ev.key === 'Enter' || ev.key === ' ')) {
                      ev.preventDefault();
                      setSelected(e.index);
                    }
                  }}
                >
                  <td>{e.index}</td>
                  <td>{e.visible ? e.type : <span className="muted">{t('explorer.entries.hidden')}</span>}</td>
                  <td>{e.visible ? formatTime(e.time, i18n.language) : ''}</td>
                  <td>
                    <code title={e.leafHash}>{shorten(e.leafHash, 12, 6)}</code>
                  </td>
                  {finalSize !== null && (
                    <td data-testid={`entry-final-${e.index}`} className={e.index < finalSize ? 'ok' : 'muted'}>
                      {e.index < finalSize ? `✓ ${t('explorer.entries.final')}` : t('explorer.entries.notFinal')}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {feed.hasOlder && (
            <button type="button" className="secondary" disabled={feed.loading} onClick={() => void feed.loadOlder()} data-testid="load-older">
              {feed.loading ? t('common.loading') : t('explorer.entries.older')}
            </button>
          )}
        </section>
        <div>
          {selectedEntry ? (
            <EntryDetail key={selectedEntry.index} entry={selectedEntry} />
          ) : (
            <section className="card">
              <p className="muted">{t('explorer.entries.select')}</p>
            </section>
          )}
        </div>
      </div>
    </Page>
  );
}
