/**
 * The signed-in session: the node's JWT and what it says about the caller.
 * It lives in memory and in sessionStorage, so a reload keeps the user signed
 * in but closing the tab does not leave a token behind.
 */

import { fromBase64Url } from '../crypto/base64';
import { fromUtf8 } from '../crypto/bytes';

export interface Session {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  user: string;
  org: string;
  /** The public key that signed in (standard base64). */
  key: string;
  /** `enrol` for an invitation token, which allows only enrolKey. */
  scope: string;
}

/** What /auth/login, /auth/refresh and /auth/invitation answer. */
export interface TokenResponse {
  token: string;
  expiresAt?: string;
  user?: string | { id: string };
  org?: string | { id: string };
  scope?: string;
}

const STORAGE_KEY = 'godown.session';

/** Reads a JWT's claims without checking it: the node checks it, we only need exp and names. */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const claims: unknown = JSON.parse(fromUtf8(fromBase64Url(part.replace(/=+$/, ''))));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function name(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string') return (v as { id: string }).id;
  return undefined;
}

/**
 * Builds a session from a token answer. Members the answer lacks are read
 * from the JWT's claims, then from the session it replaces (a refresh).
 */
export function sessionFromResponse(res: TokenResponse, key: string, previous?: Session | null): Session {
  if (typeof res.token !== 'string' || res.token === '') throw new Error('the node answered without a token');
  const claims = jwtClaims(res.token);
  const fromHeader = res.expiresAt ? Date.parse(res.expiresAt) : NaN;
  const fromClaim = typeof claims.exp === 'number' ? claims.exp * 1000 : NaN;
  const expiresAt = Number.isFinite(fromHeader) ? fromHeader : Number.isFinite(fromClaim) ? fromClaim : Date.now() + 15 * 60_000;
  const user = name(res.user) ?? name(claims.user) ?? name(claims.sub) ?? previous?.user;
  const org = name(res.org) ?? name(claims.org) ?? previous?.org ?? '';
  if (!user) throw new Error('the node answered without naming the user');
  const scope = res.scope ?? (typeof claims.scope === 'string' ? claims.scope : undefined) ?? previous?.scope ?? 'full';
  return { token: res.token, expiresAt, user, org, key, scope };
}

export function isExpired(session: Session, now = Date.now()): boolean {
  return session.expiresAt <= now;
}

/** When to refresh: a minute before expiry, but not sooner than five seconds from now. */
export function refreshDelay(session: Session, now = Date.now()): number {
  return Math.max(5_000, session.expiresAt - now - 60_000);
}

export function saveSession(session: Session | null, storage: Storage | undefined = globalThis.sessionStorage): void {
  try {
    if (session) storage?.setItem(STORAGE_KEY, JSON.stringify(session));
    else storage?.removeItem(STORAGE_KEY);
  } catch {
    // Without storage the session lasts until the page reloads.
  }
}

export function loadSession(storage: Storage | undefined = globalThis.sessionStorage, now = Date.now()): Session | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    if (
      typeof s.token !== 'string' ||
      typeof s.expiresAt !== 'number' ||
      typeof s.user !== 'string' ||
      typeof s.org !== 'string' ||
      typeof s.key !== 'string' ||
      typeof s.scope !== 'string'
    ) {
      return null;
    }
    const session = s as Session;
    return isExpired(session, now) ? null : session;
  } catch {
    return null;
  }
}
