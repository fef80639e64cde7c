import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../crypto/base64';
import { utf8 } from '../crypto/bytes';
import { jwtClaims, loadSession, refreshDelay, saveSession, sessionFromResponse } from './session';

const jwt = (claims: object) => `e30.${toBase64Url(utf8(JSON.stringify(claims)))}.sig`;

class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}

describe('sessions', () => {
  it('take user, org and expiry from the login answer', () => {
    const s = sessionFromResponse({ token: jwt({}), expiresAt: '2030-01-01T00:00:00Z', user: 'bank-a.li', org: 'bank-a' }, 'KEY');
    expect(s).toEqual({ token: s.token, expiresAt: Date.parse('2030-01-01T00:00:00Z'), user: 'bank-a.li', org: 'bank-a', key: 'KEY', scope: 'full' });
  });

  it('fall back to the JWT claims, then to the session being refreshed', () => {
    const s = sessionFromResponse({ token: jwt({ sub: 'sme-a.wang', exp: 2_000_000_000, scope: 'enrol' }) }, 'K');
    expect(s.user).toBe('sme-a.wang');
    expect(s.expiresAt).toBe(2_000_000_000_000);
    expect(s.scope).toBe('enrol');
    const refreshed = sessionFromResponse({ token: jwt({ exp: 2_000_000_100 }) }, 'K', { ...s, org: 'sme-a' });
    expect(refreshed).toMatchObject({ user: 'sme-a.wang', org: 'sme-a', expiresAt: 2_000_000_100_000 });
  });

  it('refuse an answer without a token or a user', () => {
    expect(() => sessionFromResponse({ token: '' }, 'K')).toThrow();
    expect(() => sessionFromResponse({ token: jwt({}) }, 'K')).toThrow();
  });

  it('read claims tolerantly', () => {
    expect(jwtClaims('not a jwt')).toEqual({});
    expect(jwtClaims(jwt({ a: 1 }))).toEqual({ a: 1 });
  });

  it('refresh a minute before expiry, never sooner than five seconds', () => {
    const now = 1_000_000;
    const s = { token: 't', expiresAt: now + 15 * 60_000, user: 'u', org: 'o', key: 'k', scope: 'full' };
    expect(refreshDelay(s, now)).toBe(14 * 60_000);
    expect(refreshDelay({ ...s, expiresAt: now + 30_000 }, now)).toBe(5_000);
  });

  it('survive a reload through storage, but not past expiry', () => {
    const storage = new MemoryStorage();
    const s = { token: 't', expiresAt: 5_000, user: 'u', org: 'o', key: 'k', scope: 'full' };
    saveSession(s, storage);
    expect(loadSession(storage, 4_000)).toEqual(s);
    expect(loadSession(storage, 5_000)).toBeNull();
    saveSession(null, storage);
    expect(loadSession(storage, 0)).toBeNull();
    storage.setItem('godown.session', '{"token":1}');
    expect(loadSession(storage, 0)).toBeNull();
  });
});
