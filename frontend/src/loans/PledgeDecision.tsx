import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import type { Action } from './forms';
import { ReceiptLinks } from './LoanSections';
import { confirmPledge, declinePledge } from './transactions';

/** The warehouse confirms it holds a receipt's goods for the bank, or declines with a reason. */
export function PledgeDecision({ loan, receipt, action, onDone }: { loan: string; receipt: string; action: Action; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const key = `${loan}-${receipt}`;
  return (
    <div className="pledge-decision" data-testid={`pledge-${key}`}>
      <ReceiptLinks id={receipt} />{' '}
      <span className="actions">
        <button
          type="button"
          data-testid={`confirm-pledge-${key}`}
          disabled={action.busy !== null}
          onClick={() => void action.run(`confirm-${key}`, async () => confirmPledge(await txContext(), { loan, receipt }), onDone)}
        >
          {t('pledges.confirm')}
        </button>
        {declining ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const why = reason.trim();
              if (why === '') return;
              void action.run(`decline-${key}`, async () => declinePledge(await txContext(), { loan, receipt, reason: why }), () => {
                setDeclining(false);
                setReason('');
                return onDone();
              });
            }}
          >
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t('loans.reason')}
              aria-label={t('loans.reason')}
              data-testid={`decline-reason-${key}`}
            />
            <button type="submit" className="danger" disabled={action.busy !== null || reason.trim() === ''} data-testid={`decline-submit-${key}`}>
              {t('pledges.decline')}
            </button>
          </form>
        ) : (
          <button type="button" className="danger" data-testid={`decline-pledge-${key}`} disabled={action.busy !== null} onClick={() => setDeclining(true)}>
            {t('pledges.decline')}
          </button>
        )}
      </span>
    </div>
  );
}
