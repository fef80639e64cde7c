// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { toBase64 } from '../crypto/base64';
import { pemToDer } from '../crypto/pem';
import { vectorText } from '../crypto/testing/vectors';
import i18n from '../i18n';
import { MockNode, type MockUser } from '../testing/mockNode';
import { App } from './App';

// The page's live feed: the tests push entries through this sink.
const live = vi.hoisted(() => ({ sinks: [] as { next: (v: unknown) => void }[] }));
vi.mock('graphql-ws', () => ({
  createClient: () => ({
    subscribe: (_payload: unknown, sink: { next: (v: unknown) => void }) => {
      live.sinks.push(sink);
      return () => {
        live.sinks = live.sinks.filter((s) => s !== sink);
      };
    },
    dispose: async () => undefined,
  }),
}));

const pkcs8 = (name: string) => toBase64(pemToDer(vectorText(`godown/keys/${name}.pem`)));

// Public keys of the vector PEM keys (see entries.jsonl).
const SME_KEY = 'ttHnYcXfhy7AEboBaoJQksj9WgvNLpcSbCPu5kGofT0=';
const BANK_KEY = 'wyzFuHGak0O4KBUqSKxg5j6w/3zCCROnelseexdqm98=';
const PENDING_KEY = 'tfvgGpj9M6naVhHkW6DipbXJQmupsCOJHOrg1M+nvHA=';

function users(): MockUser[] {
  return [
    { id: 'sme-a.wang', name: 'Wang Fang', org: 'sme-a', roles: ['officer'], keys: [{ key: SME_KEY, status: 'ACTIVE', device: null, enrolledAt: 1 }], pkcs8: pkcs8('sme') },
    { id: 'bank-a.li', name: 'Li Wei', org: 'bank-a', roles: ['admin'], keys: [{ key: BANK_KEY, status: 'ACTIVE', device: null, enrolledAt: 2 }], pkcs8: pkcs8('bank') },
    { id: 'bank-a.zhao', name: 'Zhao Min', org: 'bank-a', roles: ['viewer'], keys: [{ key: PENDING_KEY, status: 'PENDING', device: 'Firefox on Linux', enrolledAt: 3 }] },
    { id: 'bank-a.new', name: 'New Hire', org: 'bank-a', roles: ['viewer'], keys: [] },
  ];
}

let node: MockNode;

beforeAll(() => {
  URL.createObjectURL = () => 'blob:backup';
  URL.revokeObjectURL = () => undefined;
});

beforeEach(async () => {
  node = new MockNode(users());
  vi.stubGlobal('fetch', node.fetch);
  sessionStorage.clear();
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function open(path: string) {
  window.history.pushState({}, '', path);
  return render(<App />);
}

async function demoSignIn(user: string) {
  open('/login');
  fireEvent.click(await screen.findByTestId(`demo-login-${user}`, {}, { timeout: 3000 }));
  await screen.findByTestId('checkpoint-size', {}, { timeout: 3000 });
}

describe('signing in', () => {
  it('lists demo users by organisation with a DEMO badge, and signs in with a challenge', async () => {
    open('/login');
    const button = await screen.findByTestId('demo-login-sme-a.wang');
    expect(button.textContent).toContain('DEMO');
    expect(screen.getByText(/keys are public/)).toBeTruthy();
    expect(screen.getByText('SME-A')).toBeTruthy();
    expect(screen.getByText('BANK-A')).toBeTruthy();
    fireEvent.click(button);
    await screen.findByTestId('checkpoint-size', {}, { timeout: 3000 });
    expect(window.location.pathname).toBe('/explorer');
    await waitFor(() => expect(screen.getByTestId('signed-in-user').textContent).toContain('Wang Fang'));
    // The token is kept for a reload of this tab.
    expect(sessionStorage.getItem('godown.session')).toContain('sme-a.wang');
  });

  it('hides the demo list when the node is not a demo', async () => {
    node.demo = false;
    open('/login');
    await screen.findByText('Sign in with a key in this browser');
    expect(screen.queryByTestId('demo-login')).toBeNull();
  });

  it('signs in again with the key already in this browser', async () => {
    await demoSignIn('sme-a.wang');
    fireEvent.click(screen.getByTestId('sign-out'));
    const again = await screen.findByTestId('browser-key-login-sme-a.wang');
    fireEvent.click(again);
    await screen.findByTestId('checkpoint-size', {}, { timeout: 3000 });
  });
});

describe('the explorer', () => {
  it('shows the checkpoint, the entries, and verifies a proof in the browser', async () => {
    await demoSignIn('sme-a.wang');
    expect(screen.getByTestId('checkpoint-size').textContent).toBe('5');
    await waitFor(() => expect(screen.getByTestId('checkpoint-signature').textContent).toContain('✓'));
    expect(screen.getByTestId('checkpoint-signature').textContent).toContain('witness.bank.example/w1');

    const hidden = await screen.findByTestId('entry-0');
    expect(hidden.textContent).toContain('not visible to you');
    fireEvent.click(screen.getByTestId('entry-2'));
    const detail = await screen.findByTestId('entry-detail');
    expect(within(detail).getByTestId('entry-json').textContent).toBe(node.entries[2]);
    fireEvent.click(within(detail).getByTestId('verify-proof'));
    const result = await screen.findByTestId('proof-result', {}, { timeout: 3000 });
    expect(result.textContent).toContain('✓');
    expect(result.textContent).toContain('Entry #2 is in the log of 5 entries');
  });

  it('shows ✗ and the failing step when the proof does not lead to the root', async () => {
    node.proofTamper = (p) => ({ ...p, hashes: [...(p.hashes as string[])].reverse() });
    await demoSignIn('sme-a.wang');
    fireEvent.click(await screen.findByTestId('entry-2'));
    fireEvent.click(await screen.findByTestId('verify-proof'));
    const result = await screen.findByTestId('proof-result', {}, { timeout: 3000 });
    expect(result.textContent).toContain('✗');
    expect(result.textContent).toContain('inclusion');
    expect(result.textContent).toContain("the proof does not lead to the checkpoint's root");
  });

  it('adds entries from the live subscription', async () => {
    await demoSignIn('sme-a.wang');
    await screen.findByTestId('entry-4');
    await waitFor(() => expect(live.sinks.length).toBeGreaterThan(0));
    act(() => {
      for (const sink of live.sinks) {
        sink.next({ data: { entries: { index: 5, leafHash: 'BBBB', visible: false, type: null, time: null, signer: null, entry: null } } });
      }
    });
    const row = await screen.findByTestId('entry-5');
    expect(row.textContent).toContain('not visible to you');
    const rows = screen.getAllByTestId(/^entry-\d+$/);
    expect(rows[0]?.getAttribute('data-testid')).toBe('entry-5');
  });
});

describe('keys', () => {
  it('makes a key, offers its backup, and enrols it signed by the new key', async () => {
    await demoSignIn('bank-a.li');
    fireEvent.click(screen.getByRole('link', { name: 'Keys' }));
    fireEvent.click(await screen.findByTestId('new-key'));
    await screen.findByTestId('new-key-pending', {}, { timeout: 3000 });
    expect(screen.getByTestId('backup-download').getAttribute('download')).toMatch(/^godown-bank-a\.li-.+\.pem$/);
    const enrol = node.recorded.find((r) => r.operation === 'EnrolKey');
    expect(enrol?.type).toBe('key.enrol');
    expect(enrol?.body.user).toBe('bank-a.li');
    expect(enrol?.key).toBe(enrol?.body.key);
    expect(enrol?.key).not.toBe(BANK_KEY);
    expect(Object.keys(enrol?.body ?? {}).sort()).toEqual(['device', 'key', 'user']);
  });

  it('lets an admin approve a pending key of the organisation, signed by the session key', async () => {
    await demoSignIn('bank-a.li');
    fireEvent.click(screen.getByRole('link', { name: 'Keys' }));
    const approve = await screen.findByTestId(`approve-bank-a.zhao-${PENDING_KEY}`, {}, { timeout: 3000 });
    fireEvent.click(approve);
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    const approved = node.recorded.find((r) => r.operation === 'ApproveKey');
    expect(approved).toMatchObject({ type: 'key.approve', key: BANK_KEY, body: { user: 'bank-a.zhao', key: PENDING_KEY } });
    await waitFor(() => expect(screen.queryByTestId(`approve-bank-a.zhao-${PENDING_KEY}`)).toBeNull());
  });

  it('stops calling the new key pending once an admin approves it', async () => {
    await demoSignIn('bank-a.li');
    fireEvent.click(screen.getByRole('link', { name: 'Keys' }));
    fireEvent.click(await screen.findByTestId('new-key'));
    await screen.findByTestId('new-key-pending', {}, { timeout: 3000 });
    const made = node.recorded.find((r) => r.operation === 'EnrolKey')?.key ?? '';
    fireEvent.click(await screen.findByTestId(`approve-bank-a.li-${made}`, {}, { timeout: 3000 }));
    await screen.findByTestId(`use-key-${made}`, {}, { timeout: 3000 });
    expect(screen.queryByTestId('new-key-pending')).toBeNull();
  });

  it('shows no approvals to a member who is not an admin', async () => {
    await demoSignIn('sme-a.wang');
    fireEvent.click(screen.getByRole('link', { name: 'Keys' }));
    await screen.findByTestId('my-keys');
    expect(screen.queryByTestId('pending-approvals')).toBeNull();
  });
});

describe('the organisation', () => {
  it('lets an admin invite a user with an e-mail kept beside the signed input', async () => {
    await demoSignIn('bank-a.li');
    fireEvent.click(screen.getByRole('link', { name: 'Organisation' }));
    await screen.findByTestId('member-bank-a.zhao');
    fireEvent.change(screen.getByTestId('invite-user'), { target: { value: 'bank-a.chen' } });
    fireEvent.change(screen.getByTestId('invite-name'), { target: { value: 'Chen Jie' } });
    fireEvent.change(screen.getByTestId('invite-email'), { target: { value: 'chen@bank-a.example' } });
    fireEvent.click(screen.getByTestId('invite-submit'));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    const invite = node.recorded.find((r) => r.operation === 'InviteUser');
    expect(invite?.body).toEqual({ org: 'bank-a', user: 'bank-a.chen', name: 'Chen Jie', roles: ['viewer'] });
    expect(invite?.email).toBe('chen@bank-a.example');
  });

  it('grants a role in the ledger spelling, and shows a translated error code', async () => {
    await demoSignIn('bank-a.li');
    fireEvent.click(screen.getByRole('link', { name: 'Organisation' }));
    await screen.findByTestId('member-bank-a.zhao');
    fireEvent.change(screen.getByTestId('grant-role-select-bank-a.zhao'), { target: { value: 'APPROVER' } });
    fireEvent.click(screen.getByTestId('grant-role-bank-a.zhao'));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    expect(node.recorded.find((r) => r.operation === 'GrantRole')?.body).toEqual({ user: 'bank-a.zhao', role: 'approver' });

    await act(() => i18n.changeLanguage('zh-CN'));
    fireEvent.click(await screen.findByTestId('revoke-role-bank-a.li-ADMIN'));
    const error = await screen.findByTestId('error', {}, { timeout: 3000 });
    expect(error.textContent).toContain('每个机构必须至少保留一名管理员');
  });
});

describe('enrolment by invitation', () => {
  it('makes a key, accepts the invitation and enrols the key', async () => {
    node.invite('inv-123', 'bank-a.new');
    open('/enrol?invitation=inv-123');
    const start = (await screen.findByTestId('enrol-start')) as HTMLButtonElement;
    // The button waits for the ledger's origin, which the invitation signature covers; a click before is ignored.
    await waitFor(() => expect(start.disabled).toBe(false));
    fireEvent.click(start);
    await screen.findByTestId('enrol-done', {}, { timeout: 3000 });
    const enrol = node.recorded.find((r) => r.operation === 'EnrolKey');
    expect(enrol?.body.user).toBe('bank-a.new');
    expect(screen.getByTestId('backup-download')).toBeTruthy();
    expect(screen.getByText(/must approve it/)).toBeTruthy();
  });

  it('explains when the link has no invitation', async () => {
    open('/enrol');
    expect((await screen.findByTestId('enrol-no-invitation')).textContent).toContain('invitation link');
  });
});

describe('keys in this browser', () => {
  it('can be removed after confirmation', async () => {
    await demoSignIn('sme-a.wang');
    fireEvent.click(screen.getByTestId('sign-out'));
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    fireEvent.click(await screen.findByTestId('browser-key-remove-sme-a.wang'));
    expect(screen.getByTestId('browser-key-login-sme-a.wang')).toBeTruthy();
    fireEvent.click(screen.getByTestId('browser-key-remove-sme-a.wang'));
    await waitFor(() => expect(screen.queryByTestId('browser-key-login-sme-a.wang')).toBeNull());
    expect(confirm).toHaveBeenCalledTimes(2);
  });
});
