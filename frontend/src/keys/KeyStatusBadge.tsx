import { useTranslation } from 'react-i18next';
import type { KeyStatus } from '../gql/graphql';

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-testid="key-status">
      {t(`keyStatus.${status}`)}
    </span>
  );
}
