import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { execute } from '../api/graphql';
import { ErrorNotice } from '../app/ErrorNotice';
import { useAuth } from '../auth/AuthContext';
import type { CheckpointQuery as CheckpointResult } from '../gql/graphql';
import { type CheckpointCheck, type GrowthCheck, checkCheckpoint, checkGrowth } from './checkpoint';
import { CheckpointQuery, ConsistencyQuery } from './operations';

export type Checkpoint = CheckpointResult['checkpoint'];

export interface CheckpointPanelHandle {
  refresh(): void;
}

/**
 * The latest checkpoint, its signature checked here against the log vkey, and
 * each newer checkpoint checked to extend the last one this page trusted.
 */
export function CheckpointPanel({ handle, onCheckpoint }: { handle: Ref<CheckpointPanelHandle>; onCheckpoint: (c: Checkpoint) => void }) {
  const { t } = useTranslation();
  const { session, ledger } = useAuth();
  const [checkpoint, setCheckpoint] = useState<Checkpoint | null>(null);
  const [check, setCheck] = useState<CheckpointCheck | null>(null);
  const [growth, setGrowth] = useState<GrowthCheck | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [showNote, setShowNote] = useState(false);
  const trusted = useRef<{ size: number; root: string } | null>(null);
  const tokenRef = useRef(session?.token ?? null);
  tokenRef.current = session?.token ?? null;
  const onCheckpointRef = useRef(onCheckpoint);
  onCheckpointRef.current = onCheckpoint;

  const refresh = useCallback(async () => {
    if (!ledger) return;
    try {
      const { checkpoint: cp } = await execute(CheckpointQuery, {}, tokenRef.current);
      const result = await checkCheckpoint(cp, ledger.logVkey, ledger.witnessVkeys);
      setCheckpoint(cp);
      setCheck(result);
      setError(null);
      onCheckpointRef.current(cp);
      if (!result.ok) return;
      const older = trusted.current;
      if (older && older.size > 0 && result.size > older.size) {
        const { consistency } = await execute(ConsistencyQuery, { old: older.size, new: result.size }, tokenRef.current);
        const grown = await checkGrowth(older, result, consistency);
        setGrowth(grown);
        // Only a proven extension becomes the new point of trust.
        if (grown.ok) trusted.current = { size: result.size, root: result.root };
      } else if (!older || older.size === 0) {
        trusted.current = { size: result.size, root: result.root };
      }
    } catch (e) {
      setError(e);
    }
  }, [ledger]);

  useImperativeHandle(handle, () => ({ refresh: () => void refresh() }), [refresh]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <section className="card checkpoint" data-testid="checkpoint">
      <div className="card-title">
        <h2>{t('explorer.checkpoint.title')}</h2>
        <button type="button" className="secondary" onClick={() => void refresh()}>
          {t('common.refresh')}
        </button>
      </div>
      <ErrorNotice error={error} />
      {!checkpoint && !error && <p>{t('common.loading')}</p>}
      {checkpoint && (
        <>
          <dl className="facts">
            <dt>{t('explorer.checkpoint.origin')}</dt>
            <dd data-testid="checkpoint-origin">{checkpoint.origin}</dd>
            <dt>{t('explorer.checkpoint.size')}</dt>
            <dd data-testid="checkpoint-size">{checkpoint.size}</dd>
            <dt>{t('explorer.checkpoint.root')}</dt>
            <dd>
              <code data-testid="checkpoint-root">{checkpoint.root}</code>
            </dd>
            <dt>{t('explorer.checkpoint.signature')}</dt>
            <dd data-testid="checkpoint-signature">
              {check?.ok ? (
                <span className="ok">
                  ✓ {t('explorer.checkpoint.signed')}
                  {check.witnesses.length > 0 && ` · ${t('explorer.checkpoint.witnesses', { names: check.witnesses.join(', ') })}`}
                </span>
              ) : check ? (
                <span className="bad">✗ {t(`proof.reason.${check.reason}`)}</span>
              ) : null}
            </dd>
            {checkpoint.finalSize !== null && checkpoint.finalSize !== undefined && (
              <>
                <dt>{t('explorer.checkpoint.final')}</dt>
                <dd data-testid="checkpoint-final">
                  {checkpoint.finalSize > 0 ? t('explorer.checkpoint.finalUpTo', { size: checkpoint.finalSize }) : t('explorer.checkpoint.finalNone')}
                </dd>
              </>
            )}
            {growth && (
              <>
                <dt>{t('explorer.checkpoint.growth')}</dt>
                <dd data-testid="checkpoint-growth">
                  {growth.ok ? (
                    <span className="ok">✓ {t('explorer.checkpoint.grew', { from: growth.from, to: growth.to })}</span>
                  ) : (
                    <span className="bad">
                      ✗ {t('explorer.checkpoint.notGrown', { from: growth.from, to: growth.to })} ({t(`proof.reason.${growth.reason}`)})
                    </span>
                  )}
                </dd>
              </>
            )}
          </dl>
          <button type="button" className="link" onClick={() => setShowNote((v) => !v)} aria-expanded={showNote}>
            {showNote ? t('explorer.checkpoint.hideNote') : t('explorer.checkpoint.showNote')}
          </button>
          {showNote && <pre className="note" data-testid="checkpoint-note">{checkpoint.note}</pre>}
          <p className="hint">
            <Link to="/trust" data-testid="checkpoint-trust">
              {t('explorer.checkpoint.trust')}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
