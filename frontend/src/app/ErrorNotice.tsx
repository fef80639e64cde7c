import { useTranslation } from 'react-i18next';
import { errorMessage, errorParts, isErrorCode } from '../api/errors';

/**
 * Shows a failure in the reader's language; the server's own words follow a
 * known code, and the code itself, which support staff and the API docs use.
 */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error === null || error === undefined) return null;
  const { code, message } = errorParts(error);
  const known = isErrorCode(code);
  const detail = known && message ? message : null;
  return (
    <div className="notice notice-error" role="alert" data-testid="error" data-code={code}>
      <span>{errorMessage(t, error)}</span>
      {known && (
        <code className="notice-code" data-testid="error-code">
          {code}
        </code>
      )}
      {detail && <span className="notice-detail">{detail}</span>}
    </div>
  );
}
