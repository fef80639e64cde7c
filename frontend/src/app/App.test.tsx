// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { interpolate, invitationLink } from '../../e2e/independent';
import i18n from '../i18n';
import en from '../i18n/en.json';
import zh from '../i18n/zh-CN.json';
import { type PageNode, newKeyPair, onlyEntry, pageNode } from '../testing/node';
import { App } from './App';

/*
 * The page's live feed. jsdom's WebSocket cannot carry it under vitest: it is
 * undici's underneath, which makes its events with the global Event, and in
 * vitest's jsdom globals that is jsdom's Event, which Node's EventTarget
 * refuses. So only the subscription is stubbed, and the test hands it the
 * entries the node itself appended, as the node shows them to the user.
 */
const live = vi.hoisted(() => ({ sinks: [] as { next: (v: unknown) => void }[], queries: [] as string[] }));
vi.mock('graphql-ws', () => ({
  createClient: () => ({
    subscribe: (payload: { query: string }, sink: { next: (v: unknown) => void }) => {
      live.queries.push(payload.query);
      live.sinks.push(sink);
      return () => {
        live.sinks = live.sinks.filter((s) => s !== sink);
      };
    },
    dispose: async () => undefined,
  }),
}));

const ready = pageNode();

beforeAll(() => {
  // jsdom has no object URLs; the backup link only needs one to exist.
  URL.createObjectURL = () => 'blob:backup';
  URL.revokeObjectURL = () => undefined;
});

beforeEach(async () => {
  sessionStorage.clear();
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
});

function open(path: string) {
  window.history.pushState({}, '', path);
  return render(<App />);
}

async function demoSignIn(user: string) {
  open('/login');
  fireEvent.click(await screen.findByTestId(`demo-login-${user}`));
  await screen.findByTestId('checkpoint-size');
}

/** The first e-mail the node wrote to `to` that carries an enrolment link; the mail worker sends shortly after the commit. */
async function invitationTo(node: PageNode, to: string): Promise<string> {
  let link: string | null = null;
  await waitFor(async () => {
    link = invitationLink(await node.node.mail(), to);
    expect(link, `an invitation e-mail to ${to}`).not.toBeNull();
  });
  return link ?? '';
}

interface ExplorerEntry {
  index: number;
  visible: boolean;
  type: string | null;
  entry: string | null;
}

/** The newest entries as the node shows them to `user`: what the explorer's first page should hold. */
async function newestEntries(node: PageNode, user: string): Promise<ExplorerEntry[]> {
  const { entries } = await node.query<{ entries: { edges: { node: ExplorerEntry }[] } }>(user, '{ entries(last: 25) { edges { node { index visible type entry } } } }');
  return entries.edges.map((e) => e.node);
}

describe('signing in', () => {
  it('lists demo users by organisation with a DEMO badge, and signs in with a challenge', async () => {
    const node = ready();
    open('/login');
    const button = await screen.findByTestId('demo-login-sme-tongyuan.officer');
    expect(button.textContent).toContain('DEMO');
    expect(button.textContent).toContain(node.user('sme-tongyuan.officer').name);
    expect(screen.getByText(/keys are public/)).toBeTruthy();
    // Grouped under the organisations' names, as the node lists them.
    for (const name of new Set(node.users.map((u) => u.orgName))) expect(screen.getByText(name)).toBeTruthy();
    fireEvent.click(button);
    await screen.findByTestId('checkpoint-size');
    expect(window.location.pathname).toBe('/explorer');
    await waitFor(() => expect(screen.getByTestId('signed-in-user').textContent).toContain(node.user('sme-tongyuan.officer').name));
    // The token is kept for a reload of this tab.
    expect(sessionStorage.getItem('godown.session')).toContain('sme-tongyuan.officer');
  });

  it('signs in again with the key already in this browser', async () => {
    await demoSignIn('sme-tongyuan.officer');
    fireEvent.click(screen.getByTestId('sign-out'));
    const again = await screen.findByTestId('browser-key-login-sme-tongyuan.officer');
    fireEvent.click(again);
    await screen.findByTestId('checkpoint-size');
    expect(screen.getByTestId('signed-in-user').textContent).toContain(ready().user('sme-tongyuan.officer').name);
  });
});

describe('the explorer', () => {
  it('shows the checkpoint, the entries, and verifies a proof in the browser', async () => {
    const node = ready();
    const size = await node.size();
    const newest = await newestEntries(node, 'sme-tongyuan.officer');
    const hidden = newest.find((e) => !e.visible);
    const mine = [...newest].reverse().find((e) => e.visible);
    if (!hidden || !mine) throw new Error('the demo should end with entries both visible and hidden to Tongyuan');

    await demoSignIn('sme-tongyuan.officer');
    expect(screen.getByTestId('checkpoint-size').textContent).toBe(String(size));
    await waitFor(() => expect(screen.getByTestId('checkpoint-signature').textContent).toContain('✓'));
    expect(screen.getByTestId('checkpoint-signature').textContent).toContain(en.explorer.checkpoint.signed);
    // Both banks' witnesses cosign within moments; a refresh shows them, each checked here against its vkey.
    await waitFor(
      () => {
        fireEvent.click(within(screen.getByTestId('checkpoint')).getByText(en.common.refresh));
        expect(screen.getByTestId('checkpoint-signature').textContent).toContain('witness.bank-jade.demo/w1');
      },
      { timeout: 10_000, interval: 300 },
    );
    expect(screen.getByTestId('checkpoint-signature').textContent).toContain('witness.bank-east.demo/w1');
    // With the quorum met, the whole log is final, and each entry says so.
    expect(screen.getByTestId('checkpoint-final').textContent).toBe(en.explorer.checkpoint.finalUpTo.replace('{{size}}', String(size)));
    expect((await screen.findByTestId(`entry-final-${mine.index}`)).textContent).toBe(`✓ ${en.explorer.entries.final}`);

    expect((await screen.findByTestId(`entry-${hidden.index}`)).textContent).toContain(en.explorer.entries.hidden);
    fireEvent.click(screen.getByTestId(`entry-${mine.index}`));
    const detail = await screen.findByTestId('entry-detail');
    expect(within(detail).getByTestId('entry-json').textContent).toBe(mine.entry);
    fireEvent.click(within(detail).getByTestId('verify-proof'));
    const result = await screen.findByTestId('proof-result');
    expect(result.textContent).toContain('✓');
    expect(result.textContent).toContain(`Entry #${mine.index} is in the log of ${size} entries signed by ${node.origin}`);
  });

  it('shows ✗ and the failing step when the proof does not lead to the root', async () => {
    const node = ready();
    // The node's real proof, its hashes reversed on the way to the page.
    node.lie('Proof', (data) => {
      const proof = data.proof as { hashes: string[] };
      expect(proof.hashes.length).toBeGreaterThan(1);
      proof.hashes.reverse();
    });
    const mine = [...(await newestEntries(node, 'sme-tongyuan.officer'))].reverse().find((e) => e.visible);
    await demoSignIn('sme-tongyuan.officer');
    fireEvent.click(await screen.findByTestId(`entry-${mine?.index}`));
    fireEvent.click(await screen.findByTestId('verify-proof'));
    const result = await screen.findByTestId('proof-result');
    expect(result.textContent).toContain('✗');
    expect(result.textContent).toContain(en.proof.step.inclusion);
    expect(result.textContent).toContain(en.proof.reason.ROOT_MISMATCH);
  });

  it('adds entries from the live subscription', async () => {
    const node = ready();
    await demoSignIn('sme-tongyuan.officer');
    const size = await node.size();
    await screen.findByTestId(`entry-${size - 1}`);
    await waitFor(() => expect(live.sinks.length).toBeGreaterThan(0));
    expect(live.queries.some((q) => /subscription EntriesLive/.test(q))).toBe(true);
    expect(screen.getByTestId('live-status').textContent).toBe(en.explorer.entries.live);

    // Another organisation's change, made while the page is open: Tongyuan sees that it happened, not what it was.
    const { index } = await node.submit('bank-east.admin', {
      type: 'user.invite',
      input: { org: 'bank-east', user: 'bank-east.live', name: 'Live Feed', roles: ['VIEWER'] },
      body: { org: 'bank-east', user: 'bank-east.live', name: 'Live Feed', roles: ['viewer'] },
    });
    expect(index).toBe(size);
    // What the subscription carries for that entry is what the node answers Tongyuan for it.
    const { entry } = await node.query<{ entry: Record<string, unknown> }>(
      'sme-tongyuan.officer',
      `{ entry(index: ${index}) { index leafHash visible type time signer entry } }`,
    );
    expect(entry.visible).toBe(false);
    act(() => {
      for (const sink of live.sinks) sink.next({ data: { entries: entry } });
    });
    const row = await screen.findByTestId(`entry-${index}`);
    expect(row.textContent).toContain(en.explorer.entries.hidden);
    const rows = screen.getAllByTestId(/^entry-\d+$/);
    expect(rows[0]?.getAttribute('data-testid')).toBe(`entry-${index}`);
  });
});

describe('keys', () => {
  it('makes a key, offers its backup, and enrols it signed by the new key', async () => {
    const node = ready();
    await demoSignIn('bank-jade.admin');
    fireEvent.click(screen.getByRole('link', { name: 'Keys' }));
    const before = await node.size();
    fireEvent.click(await screen.findByTestId('new-key'));
    await screen.findByTestId('new-key-pending');
    expect(screen.getByTestId('backup-download').getAttribute('download')).toMatch(/^godown-bank-jade\.admin-.+\.pem$/);
    const enrol = onlyEntry(await node.since(before), 'key.enrol');
    expect(enrol.tx.body.user).toBe('bank-jade.admin');
    expect(enrol.key).toBe(enrol.tx.body.key);
    expect(enrol.key).not.toBe(node.key('bank-jade.admin'));
    expect(Object.keys(enrol.tx.body).sort()).toEqual(['device', 'key', 'user']);
  });

  it('lets an admin approve a pending key of the organisation, signed by the session key', async () => {
    const node = ready();
    // A key of Li Na's waiting for approval: enrolled in her session, signed by the key itself.
    const pending = newKeyPair();
    await node.submit(
      'bank-jade.officer',
      {
        type: 'key.enrol',
        input: { user: 'bank-jade.officer', key: pending.key, device: 'Firefox on Linux' },
        body: { user: 'bank-jade.officer', key: pending.key, device: 'Firefox on Linux' },
      },
      { signer: pending.pkcs8 },
    );
    await demoSignIn('bank-jade.admin');
    fireEvent.click(screen.getByRole('link', { name: 'Keys' }));
    const approve = await screen.findByTestId(`approve-bank-jade.officer-${pending.key}`);
    const before = await node.size();
    fireEvent.click(approve);
    await screen.findByTestId('receipt');
    const approved = onlyEntry(await node.since(before), 'key.approve');
    expect(approved.key).toBe(node.key('bank-jade.admin'));
    expect(approved.tx.body).toEqual({ user: 'bank-jade.officer', key: pending.key });
    await waitFor(() => expect(screen.queryByTestId(`approve-bank-jade.officer-${pending.key}`)).toBeNull());
  });

  it('stops calling the new key pending once an admin approves it', async () => {
    const node = ready();
    await demoSignIn('bank-jade.admin');
    fireEvent.click(screen.getByRole('link', { name: 'Keys' }));
    const before = await node.size();
    fireEvent.click(await screen.findByTestId('new-key'));
    await screen.findByTestId('new-key-pending');
    const made = onlyEntry(await node.since(before), 'key.enrol').key;
    fireEvent.click(await screen.findByTestId(`approve-bank-jade.admin-${made}`));
    await screen.findByTestId(`use-key-${made}`);
    expect(screen.queryByTestId('new-key-pending')).toBeNull();
  });

  it('shows no approvals to a member who is not an admin', async () => {
    await demoSignIn('sme-tongyuan.officer');
    fireEvent.click(screen.getByRole('link', { name: 'Keys' }));
    await screen.findByTestId('my-keys');
    expect(screen.queryByTestId('pending-approvals')).toBeNull();
  });
});

describe('the organisation', () => {
  it('lets an admin invite a user with an e-mail kept beside the signed input', async () => {
    const node = ready();
    await demoSignIn('bank-jade.admin');
    fireEvent.click(screen.getByRole('link', { name: 'Organisation' }));
    await screen.findByTestId('member-bank-jade.officer');
    fireEvent.change(screen.getByTestId('invite-user'), { target: { value: 'bank-jade.chen' } });
    fireEvent.change(screen.getByTestId('invite-name'), { target: { value: 'Chen Jie' } });
    fireEvent.change(screen.getByTestId('invite-email'), { target: { value: 'chen@bank-jade.example' } });
    const before = await node.size();
    fireEvent.click(screen.getByTestId('invite-submit'));
    await screen.findByTestId('receipt');
    const invite = onlyEntry(await node.since(before), 'user.invite');
    expect(invite.tx.body).toEqual({ org: 'bank-jade', user: 'bank-jade.chen', name: 'Chen Jie', roles: ['viewer'] });
    // The address reached the node beside the signed input: it is in the invitation it sent, never in the ledger.
    expect(invite.text).not.toContain('chen@bank-jade.example');
    expect(await invitationTo(node, 'chen@bank-jade.example')).toMatch(/\/enrol\?invitation=/);
  });

  it('grants a role in the ledger spelling, and shows a translated error code', async () => {
    const node = ready();
    await demoSignIn('bank-jade.admin');
    fireEvent.click(screen.getByRole('link', { name: 'Organisation' }));
    await screen.findByTestId('member-bank-jade.officer');
    const before = await node.size();
    fireEvent.change(screen.getByTestId('grant-role-select-bank-jade.officer'), { target: { value: 'APPROVER' } });
    fireEvent.click(screen.getByTestId('grant-role-bank-jade.officer'));
    await screen.findByTestId('receipt');
    expect(onlyEntry(await node.since(before), 'role.grant').tx.body).toEqual({ user: 'bank-jade.officer', role: 'approver' });

    // Wang Lei is Jade River's only admin: the node refuses to let the role go.
    await act(() => i18n.changeLanguage('zh-CN'));
    fireEvent.click(await screen.findByTestId('revoke-role-bank-jade.admin-ADMIN'));
    const error = await screen.findByTestId('error');
    expect(error.textContent).toContain(zh.errors.LAST_ADMIN);
  });
});

describe('enrolment by invitation', () => {
  it('makes a key, accepts the invitation and enrols the key', async () => {
    const node = ready();
    await node.submit(
      'bank-jade.admin',
      {
        type: 'user.invite',
        input: { org: 'bank-jade', user: 'bank-jade.new', name: 'New Hire', roles: ['VIEWER'] },
        body: { org: 'bank-jade', user: 'bank-jade.new', name: 'New Hire', roles: ['viewer'] },
      },
      { email: 'new@bank-jade.example' },
    );
    const link = new URL(await invitationTo(node, 'new@bank-jade.example'));
    open(`/enrol${link.search}`);
    const start = (await screen.findByTestId('enrol-start')) as HTMLButtonElement;
    // The button waits for the ledger's origin, which the invitation signature covers; a click before is ignored.
    await waitFor(() => expect(start.disabled).toBe(false));
    const before = await node.size();
    fireEvent.click(start);
    await screen.findByTestId('enrol-done');
    const enrol = onlyEntry(await node.since(before), 'key.enrol');
    expect(enrol.tx.body.user).toBe('bank-jade.new');
    expect(enrol.key).toBe(enrol.tx.body.key);
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
    await demoSignIn('sme-tongyuan.officer');
    fireEvent.click(screen.getByTestId('sign-out'));
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    fireEvent.click(await screen.findByTestId('browser-key-remove-sme-tongyuan.officer'));
    expect(screen.getByTestId('browser-key-login-sme-tongyuan.officer')).toBeTruthy();
    fireEvent.click(screen.getByTestId('browser-key-remove-sme-tongyuan.officer'));
    await waitFor(() => expect(screen.queryByTestId('browser-key-login-sme-tongyuan.officer')).toBeNull());
    expect(confirm).toHaveBeenCalledTimes(2);
  });
});

describe('on a node that is no demo', () => {
  // A plain `godown serve`: it publishes no demo users, so the page must not offer any.
  const plain = pageNode('serve');

  it('hides the demo list', async () => {
    const node = plain();
    expect((await fetch(`${node.baseUrl}/demo/users`)).ok).toBe(false);
    open('/login');
    // Once the page knows the ledger (this node's, not the demo's), it has decided whether to offer demo users.
    await screen.findByText(interpolate(en.login.ledgerOrigin, { origin: node.origin }));
    expect(screen.getByText(en.login.browser.title)).toBeTruthy();
    expect(screen.queryByTestId('demo-login')).toBeNull();
  });
});
