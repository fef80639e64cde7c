import { useTranslation } from 'react-i18next';
import { errorMessage, errorParts, isErrorCode } from '../api/errors';

/** Shows a failure in the reader's language; the server's own words follow a known code. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error === null || error === undefined) return null;
  const { code, message } = errorParts(error);
  const detail = isErrorCode(code) && message ? message : null;
  return (
    <div className="notice notice-error" role="alert" data-testid="error">
      <span>{errorMessage(t, error)}</span>
      {detail && <span className="notice-detail">{detail}</span>}
    </div>
  );
}
