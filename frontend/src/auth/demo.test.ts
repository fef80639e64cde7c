import { describe, expect, it } from 'vitest';
import { toBase64 } from '../crypto/base64';
import { pemToDer } from '../crypto/pem';
import { vectorText } from '../crypto/testing/vectors';
import { groupByOrganisation, parseDemoUsers } from './demo';

const der = pemToDer(vectorText('godown/keys/bank.pem'));

describe('the demo user list', () => {
  it('reads the documented shape and groups users by organisation', () => {
    const users = parseDemoUsers([
      { user: 'bank-a.li', name: 'Li Wei', org: 'bank-a', orgName: 'Bank A', roles: ['admin'], key: 'K1', pkcs8: toBase64(der) },
      { user: 'sme-a.wang', name: 'Wang Fang', org: 'sme-a', roles: ['OFFICER'], pkcs8: toBase64(der) },
      { user: 'bank-a.zhao', name: 'Zhao Min', org: 'bank-a', pkcs8: toBase64(der) },
    ]);
    expect(users[0]).toMatchObject({ user: 'bank-a.li', orgName: 'Bank A', roles: ['admin'], key: 'K1' });
    expect(users[0]?.pkcs8).toEqual(der);
    expect(users[1]?.roles).toEqual(['officer']);
    expect(groupByOrganisation(users).map((g) => [g.org, g.users.map((u) => u.user)])).toEqual([
      ['bank-a', ['bank-a.li', 'bank-a.zhao']],
      ['sme-a', ['sme-a.wang']],
    ]);
  });

  it('accepts {users: [...]}, the synonyms and a PEM key', () => {
    const users = parseDemoUsers({
      users: [{ id: 'bank-a.li', organisation: { id: 'bank-a' }, privateKey: vectorText('godown/keys/bank.pem') }],
    });
    expect(users[0]).toMatchObject({ user: 'bank-a.li', name: 'bank-a.li', org: 'bank-a', key: null });
    expect(users[0]?.pkcs8).toEqual(der);
  });

  it('refuses a list it cannot use', () => {
    expect(() => parseDemoUsers({})).toThrow();
    expect(() => parseDemoUsers([{ user: 'u' }])).toThrow();
    expect(() => parseDemoUsers([null])).toThrow();
  });
});
