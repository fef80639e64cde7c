import { useTranslation } from 'react-i18next';
import type { Receipt } from '../api/transactions';
import type { SignedAction } from '../api/useSignedAction';

/**
 * A button that signs one transaction when pressed. While any change of the
 * same action is being signed, every such button waits.
 */
export function SignButton({
  action,
  id,
  sign,
  onDone,
  label,
  testId,
  className,
  disabled = false,
  title,
  showSigning = false,
}: {
  action: SignedAction;
  /** Names this change in `action.busy`. */
  id: string;
  sign: () => Promise<Receipt>;
  onDone?: () => unknown;
  label: string;
  testId: string;
  className?: string;
  /** A reason of the caller's not to sign now, besides another change being signed. */
  disabled?: boolean;
  title?: string;
  /** Say "signing" on the button while this change is signed. */
  showSigning?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={className}
      data-testid={testId}
      disabled={action.busy !== null || disabled}
      title={title}
      onClick={() => void action.run(id, sign, onDone)}
    >
      {showSigning && action.busy === id ? t('common.signing') : label}
    </button>
  );
}
