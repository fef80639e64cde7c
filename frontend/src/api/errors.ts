import type { TFunction } from 'i18next';
import { ApiError } from './http';
import { GraphQLRequestError } from './graphql';
import { ErrorCode } from '../gql/codes';

/**
 * The node's stable error codes, generated from the schema's `ErrorCode`
 * enum, which the node makes from its one list of codes; each has a message
 * in both catalogues.
 */
export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode);

export type { ErrorCode };

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** The code and the server's own words, whatever kind of failure it was. */
export function errorParts(error: unknown): { code: string | undefined; message: string } {
  if (error instanceof GraphQLRequestError) return { code: error.code, message: error.message };
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (error instanceof TypeError) return { code: 'NETWORK', message: error.message };
  if (error instanceof Error) return { code: undefined, message: error.message };
  return { code: undefined, message: String(error) };
}

/** Failures raised in the browser itself, by error name. */
const LOCAL_ERRORS: Record<string, string> = {
  NoKeyInBrowserError: 'errors.noKeyInBrowser',
  KeyError: 'errors.badKeyFile',
  PemError: 'errors.badKeyFile',
  Base64Error: 'errors.badKeyFile',
  NotSupportedError: 'errors.noEd25519',
  DemoKeyMismatchError: 'errors.demoKeyMismatch',
};

/** A translated message for a known code, else the server's message. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (error instanceof Error && !(error instanceof GraphQLRequestError) && !(error instanceof ApiError)) {
    const key = LOCAL_ERRORS[error.name];
    if (key) return t(key);
  }
  const { code, message } = errorParts(error);
  if (isErrorCode(code)) return t(`errors.${code}`);
  if (code === 'NETWORK') return t('errors.NETWORK');
  return message ? t('errors.withMessage', { message }) : t('errors.unknown');
}
