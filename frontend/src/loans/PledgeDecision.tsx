import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignedAction } from '../api/useSignedAction';
import { ReasonPrompt } from '../app/ReasonPrompt';
import { SignButton } from '../app/SignButton';
import { useAuth } from '../auth/AuthContext';
import { ReceiptLinks } from './LoanSections';
import { confirmPledge, declinePledge } from './transactions';

/** The warehouse confirms it holds a receipt's goods for the bank, or declines with a reason. */
export function PledgeDecision({ loan, receipt, action, onDone }: { loan: string; receipt: string; action: SignedAction; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const key = `${loan}-${receipt}`;
  return (
    <div className="pledge-decision" data-testid={`pledge-${key}`}>
      <ReceiptLinks id={receipt} />{' '}
      <span className="actions">
        <SignButton
          action={action}
          id={`confirm-${key}`}
          sign={async () => confirmPledge(await txContext(), { loan, receipt })}
          onDone={onDone}
          label={t('pledges.confirm')}
          testId={`confirm-pledge-${key}`}
        />
        <ReasonPrompt
          open={declining}
          onOpen={() => setDeclining(true)}
          reason={reason}
          onReason={setReason}
          onSubmit={(why) =>
            void action.run(`decline-${key}`, async () => declinePledge(await txContext(), { loan, receipt, reason: why }), () => {
              setDeclining(false);
              setReason('');
              return onDone();
            })
          }
          busy={action.busy !== null}
          label={t('pledges.decline')}
          reasonLabel={t('loans.reason')}
          testIds={{ open: `decline-pledge-${key}`, reason: `decline-reason-${key}`, submit: `decline-submit-${key}` }}
        />
      </span>
    </div>
  );
}
