import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { execute } from '../api/graphql';
import type { Signer, TxContext } from '../api/transactions';
import { keyStore } from '../crypto/keystore';
import type { LedgerInfoQuery as LedgerInfoResult, MeQuery as MeResult } from '../gql/graphql';
import { login, refresh } from './login';
import { LedgerInfoQuery, MeQuery } from './operations';
import { type Session, loadSession, refreshDelay, saveSession } from './session';

export type LedgerInfo = LedgerInfoResult['ledger'];
export type Me = MeResult['me'];

export class NoKeyInBrowserError extends Error {
  constructor() {
    super('the signing key is not in this browser');
    this.name = 'NoKeyInBrowserError';
  }
}

interface AuthState {
  ledger: LedgerInfo | null;
  ledgerError: unknown;
  session: Session | null;
  me: Me | null;
  meError: unknown;
  /** Whether the signed-in user is an admin of their organisation. */
  isAdmin: boolean;
  /** Whether the signed-in user holds a role that signs for their organisation (admin, officer, approver); a viewer only looks. */
  canAct: boolean;
  signInWithKey(publicKey: string): Promise<Session>;
  /** Takes a session made elsewhere (the invitation flow). */
  adoptSession(session: Session): void;
  signOut(): void;
  reloadMe(): Promise<void>;
  /** The session's key, from this browser's key store. */
  signer(): Promise<Signer>;
  txContext(): Promise<TxContext>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [ledger, setLedger] = useState<LedgerInfo | null>(null);
  const [ledgerError, setLedgerError] = useState<unknown>(null);
  const [session, setSessionState] = useState<Session | null>(() => loadSession());
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<unknown>(null);
  const sessionRef = useRef(session);

  const setSession = useCallback((next: Session | null) => {
    sessionRef.current = next;
    saveSession(next);
    setSessionState(next);
  }, []);

  useEffect(() => {
    let live = true;
    execute(LedgerInfoQuery, {}, null)
      .then((r) => live && setLedger(r.ledger))
      .catch((e: unknown) => live && setLedgerError(e));
    return () => {
      live = false;
    };
  }, []);

  const reloadMe = useCallback(async () => {
    const current = sessionRef.current;
    if (!current || current.scope === 'enrol') {
      setMe(null);
      return;
    }
    try {
      const r = await execute(MeQuery, {}, current.token);
      if (sessionRef.current?.key === current.key && sessionRef.current?.user === current.user) {
        setMe(r.me);
        setMeError(null);
      }
    } catch (e) {
      setMeError(e);
    }
  }, []);

  useEffect(() => {
    setMe(null);
    void reloadMe();
    // Reload only when who is signed in changes, not on every token refresh.
  }, [session?.user, session?.key, session?.scope, reloadMe]);

  // Refresh the token a minute before it expires, for as long as the key stays active.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => {
      refresh(session)
        .then((next) => {
          if (sessionRef.current?.token === session.token) setSession(next);
        })
        .catch(() => {
          if (sessionRef.current?.token === session.token) setSession(null);
        });
    }, refreshDelay(session));
    return () => clearTimeout(timer);
  }, [session, setSession]);

  const signInWithKey = useCallback(
    async (publicKey: string) => {
      if (!ledger) throw new Error('the ledger is not loaded yet');
      const record = await keyStore().get(publicKey);
      if (!record) throw new NoKeyInBrowserError();
      const next = await login(ledger.origin, { privateKey: record.privateKey, publicKey });
      await keyStore().assignUser(publicKey, next.user);
      setSession(next);
      return next;
    },
    [ledger, setSession],
  );

  const signOut = useCallback(() => setSession(null), [setSession]);

  const signer = useCallback(async (): Promise<Signer> => {
    const current = sessionRef.current;
    if (!current) throw new Error('not signed in');
    const record = await keyStore().get(current.key);
    if (!record) throw new NoKeyInBrowserError();
    return { privateKey: record.privateKey, publicKey: record.publicKey };
  }, []);

  const txContext = useCallback(async (): Promise<TxContext> => {
    const current = sessionRef.current;
    if (!current || !ledger) throw new Error('not signed in');
    return { origin: ledger.origin, token: current.token, signer: await signer() };
  }, [ledger, signer]);

  const value = useMemo<AuthState>(
    () => ({
      ledger,
      ledgerError,
      session,
      me,
      meError,
      isAdmin: !!me?.user.roles.includes('ADMIN'),
      canAct: !!me?.user.roles.some((r) => r === 'ADMIN' || r === 'OFFICER' || r === 'APPROVER'),
      signInWithKey,
      adoptSession: setSession,
      signOut,
      reloadMe,
      signer,
      txContext,
    }),
    [ledger, ledgerError, session, me, meError, signInWithKey, setSession, signOut, reloadMe, signer, txContext],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
