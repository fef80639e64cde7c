// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { interpolate } from '../../e2e/independent';
import { fromBase64, toBase64 } from '../crypto/base64';
import { SIG_TYPE_ED25519, keyId } from '../crypto/note';
import { App } from '../app/App';
import i18n from '../i18n';
import en from '../i18n/en.json';
import { type PageNode, newKeyPair, onlyEntry, pageNode } from '../testing/node';

// The live feed is not what this page shows, and jsdom's WebSocket cannot carry it under vitest
// (see src/app/App.test.tsx): the explorer a sign-in lands on gets a subscription that stays quiet.
vi.mock('graphql-ws', () => ({
  createClient: () => ({ subscribe: () => () => undefined, dispose: async () => undefined }),
}));

const ready = pageNode();

/** Seeded by `godown demo`: Qinggang proposes admitting Haiyun, Jade River approves; 2 of the 6 a majority of 10 needs. */
const SEEDED = 'prop-admit-sme-haiyun';
const HAIYUN = '海运贸易有限公司 Haiyun Trading Co.';

beforeEach(async () => {
  sessionStorage.clear();
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
});

/** Signs in with the demo button and opens the governance page from the navigation, as a member would. */
async function governanceAs(userId: string) {
  window.history.pushState({}, '', '/login');
  render(<App />);
  fireEvent.click(await screen.findByTestId(`demo-login-${userId}`));
  const { name } = ready().user(userId);
  await waitFor(() => expect(screen.getByTestId('signed-in-user').textContent).toContain(name));
  fireEvent.click(await screen.findByTestId('nav-governance'));
  await screen.findByTestId('proposals');
}

const change = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const shown = (testId: string) => screen.getByTestId(testId).textContent;
const ofNeeded = (approvals: number, needed: number) => interpolate(en.governance.ofNeeded, { approvals, needed });

interface Tally {
  standing: string;
  needed: number;
  approvals: number;
  rejections: number;
  votes: { org: string; user: string; approve: boolean; entry: number }[];
}

/** A proposal's count as the node answers it to `as`, apart from the page. */
async function tally(node: PageNode, as: string, id: string): Promise<Tally> {
  const { proposal } = await node.query<{ proposal: Tally | null }>(
    as,
    `{ proposal(id: "${id}") { standing needed approvals rejections votes { org user approve entry } } }`,
  );
  if (!proposal) throw new Error(`the node has no proposal ${id}`);
  return proposal;
}

/** The proposal ids in the order the page lists them. */
function listed(): string[] {
  return within(screen.getByTestId('proposals'))
    .getAllByRole('article')
    .map((a) => a.getAttribute('data-testid')?.replace(/^proposal-/, '') ?? '');
}

describe('the governance page', () => {
  it('shows a member who is no admin the seeded admission with two of the six approvals it needs, and no way to vote', async () => {
    const node = ready();
    await governanceAs('sme-tongyuan.officer');
    await screen.findByTestId(`proposal-${SEEDED}`);
    expect(shown(`proposal-what-${SEEDED}`)).toBe(interpolate(en.governance.what.ADMIT, { name: HAIYUN, org: 'sme-haiyun', kind: en.orgKind.SME }));
    expect(shown(`proposal-standing-${SEEDED}`)).toBe(en.governance.standing.OPEN);
    expect(shown(`proposal-approvals-${SEEDED}`)).toBe(ofNeeded(2, 6));
    expect(shown(`proposal-rejections-${SEEDED}`)).toBe('0');
    expect(shown(`proposal-admin-${SEEDED}`)).toContain('sme-haiyun.admin');
    expect(shown(`proposal-reason-${SEEDED}`)).toContain("A depositor that passed Qingdao's due diligence");
    expect(shown(`proposal-opened-by-${SEEDED}`)).toContain('wh-qingdao.admin');

    // The votes as the node keeps them: Qinggang's by opening it, then Jade River's, each with its entry.
    const seeded = await tally(node, 'sme-tongyuan.officer', SEEDED);
    expect(seeded.votes.map((v) => [v.org, v.approve])).toEqual([
      ['wh-qingdao', true],
      ['bank-jade', true],
    ]);
    for (const v of seeded.votes) {
      const row = screen.getByTestId(`vote-${SEEDED}-${v.org}`);
      expect(within(row).getByTestId(`vote-choice-${SEEDED}-${v.org}`).textContent).toBe(en.governance.votes.approved);
      expect(row.textContent).toContain(`#${v.entry}`);
      expect(row.textContent).toContain(v.user);
    }

    // An officer's organisation votes through its admins only: no buttons, no forms.
    expect(screen.queryByTestId(`vote-approve-${SEEDED}`)).toBeNull();
    expect(screen.queryByTestId(`vote-reject-${SEEDED}`)).toBeNull();
    expect(screen.queryByTestId('propose-admission-form')).toBeNull();
    expect(screen.getByTestId('proposals').textContent).toContain(en.governance.adminsVote);
  });

  it("signs East Shore's approval of the admission in the browser as proposal.vote, and shows three of six", async () => {
    const node = ready();
    await governanceAs('bank-east.admin');
    await waitFor(() => expect(shown(`proposal-approvals-${SEEDED}`)).toBe(ofNeeded(2, 6)));
    const before = await node.size();
    fireEvent.click(await screen.findByTestId(`vote-approve-${SEEDED}`));
    await screen.findByTestId('receipt');

    const vote = onlyEntry(await node.since(before), 'proposal.vote');
    expect(vote.key).toBe(node.key('bank-east.admin'));
    expect(vote.tx.body).toEqual({ proposal: SEEDED, approve: true });
    // The body's boolean is a JSON boolean, not the string "true".
    expect(vote.text).toContain('"body":{"approve":true,"proposal":"prop-admit-sme-haiyun"}');

    // The page asks again once the vote has landed; on a busy machine that takes a moment.
    await waitFor(() => expect(shown(`proposal-approvals-${SEEDED}`)).toBe(ofNeeded(3, 6)), { timeout: 5_000 });
    expect(shown(`proposal-standing-${SEEDED}`)).toBe(en.governance.standing.OPEN);
    const row = screen.getByTestId(`vote-${SEEDED}-bank-east`);
    expect(row.textContent).toContain(`#${vote.index}`);
    expect(row.textContent).toContain('bank-east.admin');
    // One vote per organisation: East Shore's admin is told it has voted, and offered no second vote.
    expect(screen.queryByTestId(`vote-approve-${SEEDED}`)).toBeNull();
    expect(shown(`proposal-voted-${SEEDED}`)).toBe(interpolate(en.governance.voted, { index: vote.index }));
    expect(await tally(node, 'bank-east.admin', SEEDED)).toMatchObject({ standing: 'OPEN', approvals: 3, needed: 6, rejections: 0 });
  });

  it('admits Haiyun in the entry whose vote reaches the quorum, and then offers no one a vote on it', async () => {
    const node = ready();
    const admins = ['sme-tongyuan.admin', 'sme-fenghe.admin', 'sme-ganglian.admin', 'wh-tianjin.admin', 'reg-local.admin', 'operator.admin'];
    const start = await tally(node, 'insp-huajian.admin', SEEDED);
    const waiting = admins.filter((a) => !start.votes.some((v) => `${v.org}.admin` === a));
    // Every vote but the last is signed apart from the page, as other members would; the last, in it.
    const others = start.needed - start.approvals - 1;
    for (const a of waiting.slice(0, others)) {
      await node.submit(a, { type: 'proposal.vote', input: { proposal: SEEDED, approve: true }, body: { proposal: SEEDED, approve: true } });
    }
    await governanceAs('insp-huajian.admin');
    await waitFor(() => expect(shown(`proposal-approvals-${SEEDED}`)).toBe(ofNeeded(start.needed - 1, start.needed)));
    const before = await node.size();
    fireEvent.click(screen.getByTestId(`vote-approve-${SEEDED}`));
    await screen.findByTestId('receipt');

    const vote = onlyEntry(await node.since(before), 'proposal.vote');
    expect(vote.tx.body).toEqual({ proposal: SEEDED, approve: true });
    await waitFor(() => expect(shown(`proposal-standing-${SEEDED}`)).toBe(en.governance.standing.ADOPTED), { timeout: 5_000 });
    expect(shown(`proposal-approvals-${SEEDED}`)).toBe(ofNeeded(start.needed, start.needed));
    expect(shown(`proposal-decided-${SEEDED}`)).toBe(interpolate(en.common.atEntry, { index: vote.index }));
    // The same entry admitted the organisation and its first admin.
    const { organisation } = await node.query<{ organisation: { status: string; admittedAt: number } | null }>(
      'insp-huajian.admin',
      '{ organisation(id: "sme-haiyun") { status admittedAt } }',
    );
    expect(organisation).toEqual({ status: 'ACTIVE', admittedAt: vote.index });

    // An admin whose organisation never voted is offered no vote on a decided proposal.
    const late = waiting[others];
    if (!late) throw new Error('the demo has no admin left who has not voted');
    cleanup();
    sessionStorage.clear();
    await governanceAs(late);
    await waitFor(() => expect(shown(`proposal-standing-${SEEDED}`)).toBe(en.governance.standing.ADOPTED), { timeout: 5_000 });
    expect(screen.queryByTestId(`vote-approve-${SEEDED}`)).toBeNull();
    expect(screen.queryByTestId(`vote-reject-${SEEDED}`)).toBeNull();
  });

  it('proposes admitting an organisation, signing proposal.open with exactly the org.admit action typed, and lists it first', async () => {
    const node = ready();
    const admin = newKeyPair();
    await governanceAs('operator.admin');
    await screen.findByTestId('propose-admission-form');
    // No member is suspended on a fresh demo, so there is nothing to reinstate.
    expect(shown('reinstatement-none')).toBe(en.governance.propose.reinstatement.none);
    change('admission-org', 'insp-zhongjian');
    change('admission-name', '中检华东 Zhongjian East China Inspection');
    change('admission-kind', 'INSPECTOR');
    change('admission-admin-user', 'insp-zhongjian.admin');
    change('admission-admin-name', '钱悦 Qian Yue');
    change('admission-admin-key', admin.key);
    change('admission-reason', 'A second inspector for the Qingdao port');
    change('admission-days', '10');
    const before = await node.size();
    fireEvent.click(screen.getByTestId('propose-admission-submit'));
    await screen.findByTestId('receipt');

    const opened = onlyEntry(await node.since(before), 'proposal.open');
    expect(opened.key).toBe(node.key('operator.admin'));
    const id = String(opened.tx.body.proposal);
    expect(id).toMatch(/^prop-[0-9a-f]{20}$/);
    expect(opened.tx.body).toEqual({
      proposal: id,
      action: {
        'org.admit': {
          org: 'insp-zhongjian',
          name: '中检华东 Zhongjian East China Inspection',
          kind: 'inspector',
          admin: { user: 'insp-zhongjian.admin', name: '钱悦 Qian Yue', key: admin.key },
        },
      },
      reason: 'A second inspector for the Qingdao port',
      days: 10,
      documents: [],
    });

    // Newest first, approved by the operator by opening it, and nothing admitted yet.
    await waitFor(() => expect(listed()[0]).toBe(id));
    expect(listed()).toContain(SEEDED);
    expect(shown(`proposal-what-${id}`)).toBe(
      interpolate(en.governance.what.ADMIT, { name: '中检华东 Zhongjian East China Inspection', org: 'insp-zhongjian', kind: en.orgKind.INSPECTOR }),
    );
    expect(shown(`proposal-approvals-${id}`)).toBe(ofNeeded(1, 6));
    expect(screen.getByTestId(`vote-${id}-operator`).textContent).toContain(`#${opened.index}`);
    const { organisation } = await node.query<{ organisation: { id: string } | null }>('operator.admin', '{ organisation(id: "insp-zhongjian") { id } }');
    expect(organisation).toBeNull();
    // What was typed is cleared for the next proposal.
    expect((screen.getByTestId('admission-org') as HTMLInputElement).value).toBe('');
  });

  it('shows why the node refuses to propose admitting an organisation that is already a member, and signs nothing', async () => {
    const node = ready();
    await governanceAs('wh-tianjin.admin');
    await screen.findByTestId('propose-admission-form');
    change('admission-org', 'bank-jade');
    change('admission-name', 'Jade River Bank, again');
    change('admission-admin-user', 'bank-jade.second');
    change('admission-admin-name', 'Someone');
    change('admission-admin-key', newKeyPair().key);
    change('admission-reason', 'A duplicate');
    const before = await node.size();
    fireEvent.click(screen.getByTestId('propose-admission-submit'));
    await waitFor(() => expect(screen.getByTestId('error-code').textContent).toBe('ALREADY_EXISTS'));
    expect(screen.getByTestId('error').textContent).toContain(en.errors.ALREADY_EXISTS);
    expect(screen.queryByTestId('receipt')).toBeNull();
    expect(await node.since(before)).toEqual([]);
  });

  it('proposes suspending an active member with org.suspend, and records a rejection signed by another admin as approve false', async () => {
    const node = ready();
    await governanceAs('bank-jade.admin');
    const select = (await screen.findByTestId('suspension-org')) as HTMLSelectElement;
    const offered = [...select.options].map((o) => o.value);
    // The operator cannot be suspended; a member that is suspended already is the reinstatement form's.
    expect(offered).not.toContain('operator');
    expect(offered).toContain('sme-ganglian');
    change('suspension-org', 'sme-ganglian');
    change('suspension-reason', 'Unpaid storage fees at two warehouses');
    change('suspension-days', '3');
    const before = await node.size();
    fireEvent.click(screen.getByTestId('propose-suspension-submit'));
    await screen.findByTestId('receipt');

    const opened = onlyEntry(await node.since(before), 'proposal.open');
    expect(opened.key).toBe(node.key('bank-jade.admin'));
    const id = String(opened.tx.body.proposal);
    expect(opened.tx.body).toEqual({
      proposal: id,
      action: { 'org.suspend': { org: 'sme-ganglian' } },
      reason: 'Unpaid storage fees at two warehouses',
      days: 3,
      documents: [],
    });
    await waitFor(() => expect(listed()[0]).toBe(id));
    expect(shown(`proposal-what-${id}`)).toBe(interpolate(en.governance.what.SUSPEND, { name: '钢联实业 Ganglian Steel Industrial', org: 'sme-ganglian' }));
    // One open proposal per organisation: it is no longer offered.
    await waitFor(() => expect([...(screen.getByTestId('suspension-org') as HTMLSelectElement).options].map((o) => o.value)).not.toContain('sme-ganglian'));

    cleanup();
    sessionStorage.clear();
    await governanceAs('wh-tianjin.admin');
    const rejectedAt = await node.size();
    fireEvent.click(await screen.findByTestId(`vote-reject-${id}`));
    await screen.findByTestId('receipt');
    const vote = onlyEntry(await node.since(rejectedAt), 'proposal.vote');
    expect(vote.key).toBe(node.key('wh-tianjin.admin'));
    expect(vote.tx.body).toEqual({ proposal: id, approve: false });
    await waitFor(() => expect(shown(`proposal-rejections-${id}`)).toBe('1'));
    expect(shown(`proposal-approvals-${id}`)).toBe(ofNeeded(1, 6));
    expect(within(screen.getByTestId(`vote-${id}-wh-tianjin`)).getByTestId(`vote-choice-${id}-wh-tianjin`).textContent).toBe(en.governance.votes.rejected);
  });
  it('proposes a witness policy, signing proposal.open with exactly the witness.policy action typed, and shows the text to voters', async () => {
    const node = ready();
    // A policy that parses: this ledger's log key and one of its witnesses, by the keys the node lists.
    const [logVkey, witnessVkey] = (await (await fetch(`${node.baseUrl}/vkeys`)).text()).trim().split('\n');
    const policy = `log ${logVkey}\nwitness w1 ${witnessVkey} http://127.0.0.1:7380\nquorum w1\n`;
    await governanceAs('bank-east.admin');
    await screen.findByTestId('propose-policy-form');
    // Trailing blank lines are trimmed to the one newline a policy file ends with.
    change('policy-text', `${policy}\n\n`);
    change('policy-reason', 'Finality by the witness of the first bank alone while the second is rebuilt');
    const before = await node.size();
    fireEvent.click(screen.getByTestId('propose-policy-submit'));
    await screen.findByTestId('receipt');

    const opened = onlyEntry(await node.since(before), 'proposal.open');
    expect(opened.key).toBe(node.key('bank-east.admin'));
    const id = String(opened.tx.body.proposal);
    expect(opened.tx.body).toEqual({
      proposal: id,
      action: { 'witness.policy': { policy } },
      reason: 'Finality by the witness of the first bank alone while the second is rebuilt',
      days: 7,
      documents: [],
    });
    await waitFor(() => expect(listed()[0]).toBe(id));
    expect(shown(`proposal-what-${id}`)).toBe(en.governance.what.POLICY);
    expect(shown(`proposal-policy-${id}`)).toContain(`witness w1 ${witnessVkey}`);
    // One approval of six: nothing changed, and a second policy proposal waits for this one.
    expect(shown(`proposal-approvals-${id}`)).toBe(ofNeeded(1, 6));
    expect(shown('policy-busy')).toBe(en.governance.propose.policy.busy);
  });

  it('proposes a new log key, signing proposal.open with exactly the log.rotate action, and shows the key to voters', async () => {
    const node = ready();
    // A new signed-note key named after this ledger, as `godown keygen` prints it.
    const [logVkey] = (await (await fetch(`${node.baseUrl}/vkeys`)).text()).trim().split('\n');
    const origin = (logVkey ?? '').split('+')[0] ?? '';
    const publicKey = fromBase64(newKeyPair().key);
    const vkey = `${origin}+${await keyId(origin, SIG_TYPE_ED25519, publicKey)}+${toBase64(new Uint8Array([SIG_TYPE_ED25519, ...publicKey]))}`;
    await governanceAs('bank-jade.admin');
    await screen.findByTestId('propose-rotation-form');
    // A key named after another ledger is not offered for signing.
    change('rotation-vkey', vkey.replace(origin, 'other.example/log'));
    change('rotation-reason', 'The log key has signed for three years');
    expect((screen.getByTestId('propose-rotation-submit') as HTMLButtonElement).disabled).toBe(true);
    change('rotation-vkey', vkey);
    const before = await node.size();
    fireEvent.click(screen.getByTestId('propose-rotation-submit'));
    await screen.findByTestId('receipt');

    const opened = onlyEntry(await node.since(before), 'proposal.open');
    expect(opened.key).toBe(node.key('bank-jade.admin'));
    const id = String(opened.tx.body.proposal);
    expect(opened.tx.body).toEqual({
      proposal: id,
      action: { 'log.rotate': { vkey } },
      reason: 'The log key has signed for three years',
      days: 7,
      documents: [],
    });
    await waitFor(() => expect(listed()[0]).toBe(id));
    expect(shown(`proposal-what-${id}`)).toBe(en.governance.what.LOG_ROTATION);
    expect(shown(`proposal-log-vkey-${id}`)).toBe(vkey);
    expect(shown(`proposal-approvals-${id}`)).toBe(ofNeeded(1, 6));
    expect(shown('rotation-busy')).toBe(en.governance.propose.rotation.busy);
  });
});
