import { useTranslation } from 'react-i18next';
import { approveKey } from '../api/transactions';
import type { SignedAction } from '../api/useSignedAction';
import { SignButton } from '../app/SignButton';
import { useAuth } from '../auth/AuthContext';

/** An admin approves a member's pending key, signing with the admin's own. */
export function ApproveKeyButton({
  user,
  publicKey,
  action,
  onDone,
  showSigning = false,
}: {
  user: string;
  publicKey: string;
  action: SignedAction;
  onDone: () => unknown;
  showSigning?: boolean;
}) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  return (
    <SignButton
      action={action}
      id={publicKey}
      sign={async () => approveKey(await txContext(), { user, key: publicKey })}
      onDone={onDone}
      label={t('keys.pending.approve')}
      testId={`approve-${user}-${publicKey}`}
      showSigning={showSigning}
    />
  );
}
