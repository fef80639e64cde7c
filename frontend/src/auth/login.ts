/** The signing-in protocol of docs/API.md: challenge, sign, login; refresh; invitation. */

import { postJson } from '../api/http';
import { invitationMessage, loginMessage, signMessage } from '../crypto/tx';
import type { Signer } from '../api/transactions';
import { type Session, type TokenResponse, sessionFromResponse } from './session';

interface ChallengeResponse {
  challenge: string;
  expiresAt: string;
}

export async function login(origin: string, signer: Signer): Promise<Session> {
  const { challenge } = await postJson<ChallengeResponse>('/auth/challenge', {});
  const signature = await signMessage(signer.privateKey, loginMessage(origin, challenge));
  const res = await postJson<TokenResponse>('/auth/login', { key: signer.publicKey, challenge, signature });
  return sessionFromResponse(res, signer.publicKey);
}

export async function refresh(session: Session): Promise<Session> {
  const res = await postJson<TokenResponse>('/auth/refresh', undefined, session.token);
  return sessionFromResponse(res, session.key, session);
}

/** Trades an invitation token for a token that may only enrol this key. */
export async function acceptInvitation(origin: string, invitation: string, signer: Signer): Promise<Session> {
  const signature = await signMessage(signer.privateKey, invitationMessage(origin, invitation));
  const res = await postJson<TokenResponse>('/auth/invitation', { token: invitation, key: signer.publicKey, signature });
  return sessionFromResponse({ scope: 'enrol', ...res }, signer.publicKey);
}
