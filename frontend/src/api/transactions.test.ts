import { describe, expect, it } from 'vitest';
import { TX_TYPES, bodies } from './transactions';

// The members docs/API.md lists for each body, in the ledger's spelling.
describe('transaction bodies', () => {
  it('hold exactly the documented members', () => {
    expect(bodies.enrolKey({ user: 'u', key: 'k', device: 'd' })).toEqual({ user: 'u', key: 'k', device: 'd' });
    expect(bodies.approveKey({ user: 'u', key: 'k' })).toEqual({ user: 'u', key: 'k' });
    expect(bodies.inviteUser({ org: 'bank-a', user: 'bank-a.li', name: 'Li', roles: ['ADMIN', 'VIEWER'] })).toEqual({
      org: 'bank-a',
      user: 'bank-a.li',
      name: 'Li',
      roles: ['admin', 'viewer'],
    });
    expect(bodies.grantRole({ user: 'u', role: 'APPROVER' })).toEqual({ user: 'u', role: 'approver' });
    expect(bodies.revokeRole({ user: 'u', role: 'OFFICER' })).toEqual({ user: 'u', role: 'officer' });
    expect(bodies.revokeKey({ key: 'k', reason: 'lost laptop' })).toEqual({ key: 'k', reason: 'lost laptop' });
  });

  it('drop anything else the input might carry', () => {
    const input = { user: 'u', key: 'k', device: 'd', extra: 'x' } as unknown as Parameters<typeof bodies.enrolKey>[0];
    expect(Object.keys(bodies.enrolKey(input)).sort()).toEqual(['device', 'key', 'user']);
  });

  it('name the documented transaction types', () => {
    expect(TX_TYPES).toEqual({
      enrolKey: 'key.enrol',
      approveKey: 'key.approve',
      inviteUser: 'user.invite',
      grantRole: 'role.grant',
      revokeRole: 'role.revoke',
      revokeKey: 'key.revoke',
    });
  });
});
