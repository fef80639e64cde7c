/**
 * The dashboard in a real browser against a real `godown demo` node: keys
 * live in WebCrypto and IndexedDB, challenges and transactions are signed in
 * the page, and proofs are checked there against what the node serves.
 */

import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../src/i18n/en.json';
import zh from '../src/i18n/zh-CN.json';
import { type WatchedPage, newUserContext } from './browser';
import { type Receipt, demoNode, demoSignIn, expectKeyOnlyInBrowser, flipFirstByte, nextGraphQL, scenario, session, text } from './harness';
import { graphql, interpolate, invitationLink, jcs, jwtClaims, leafHash, parseTlogProof, verifyEd25519 } from './independent';

const ready = demoNode();

/** The explorer's checkpoint once the page has loaded it and gone quiet, its signature checked in the page. */
async function settledCheckpoint(w: WatchedPage): Promise<{ size: number; root: string }> {
  await w.page.getByTestId('checkpoint-size').waitFor();
  await w.networkIdle();
  await expect.poll(() => text(w.page, 'checkpoint-signature')).toMatch(/^✓/);
  expect(await text(w.page, 'checkpoint-signature')).not.toContain('✗');
  return { size: Number(await text(w.page, 'checkpoint-size')), root: await text(w.page, 'checkpoint-root') };
}

/**
 * A proof result: the verified line, then, once both demo witnesses have
 * cosigned the checkpoint it was proved against, the line naming them (it
 * may not be there yet when the proof races their round).
 */
function expectProved(shown: string, ok: string, witnessesLine: string) {
  expect(shown.startsWith(ok), shown).toBe(true);
  const rest = shown.slice(ok.length);
  expect(['', interpolate(witnessesLine, { names: 'witness.bank-east.demo/w1, witness.bank-jade.demo/w1' })]).toContain(rest);
}

describe('the dashboard against a real node', () => {
  it('signs a membership change with a key made in the browser, and verifies its proof there', async () => {
    const demo = ready();
    const { node, browser, origin } = demo;
    await scenario(node, 'browser-key-signs-and-proves', async ({ open, step }) => {
      const ctx = await newUserContext(browser, node.baseUrl);
      const admin = await open('admin', ctx);
      const page = admin.page;

      step('demo sign-in');
      // Sign in with the demo admin: the key goes into WebCrypto and IndexedDB, and signs a fresh challenge.
      const demoKey = await demoSignIn(demo, admin, 'bank-jade.admin');
      const before = await settledCheckpoint(admin);
      expect(before.size).toBeGreaterThan(0);

      step('watcher tab');
      // A second tab of the same browser signs in with the stored key and keeps the explorer open,
      // to see the entries arrive over the subscription and the checkpoint grow, with no reload.
      const watcher = await open('watcher', ctx);
      const subscribed = watcher.page.waitForEvent('websocket').then((ws) =>
        ws.waitForEvent('framesent', (f) => String(f.payload).includes('"subscribe"')),
      );
      await watcher.page.goto('/login');
      await watcher.page.getByTestId('browser-key-login-bank-jade.admin').click();
      await watcher.page.waitForURL('**/explorer');
      await subscribed;
      expect((await settledCheckpoint(watcher)).size).toBe(before.size);
      expect(await text(watcher.page, 'live-status')).toBe(en.explorer.entries.live);
      // The tab a person works in is the one in front; Chromium throttles the others.
      await page.bringToFront();

      step('new key');
      // Make a key in this browser and enrol it: the new key signs its own enrolment.
      await page.getByTestId('nav-keys').click();
      await page.getByTestId(`my-key-${demoKey}`).getByTestId('current-key').waitFor();
      const enrolled = nextGraphQL<{ enrolKey: Receipt }>(page, 'EnrolKey');
      await page.getByTestId('new-key').click();
      const enrol = await enrolled;
      const newKey = String(enrol.variables.input?.key);
      expect(newKey).not.toBe(demoKey);
      expect(enrol.variables.signature?.key).toBe(newKey);
      expect(enrol.variables.input).toMatchObject({ user: 'bank-jade.admin', key: newKey });
      expect(enrol.data.enrolKey).toMatchObject({ index: before.size, type: 'key.enrol' });
      await expect.poll(() => text(page, 'new-key-pending')).toContain(`#${before.size}`);
      const newRow = page.getByTestId(`my-key-${newKey}`);
      await expect.poll(async () => newRow.getByTestId('key-status').textContent()).toBe(en.keyStatus.PENDING);
      await expectKeyOnlyInBrowser(page, newKey, 'bank-jade.admin', 'generated');

      step('approve');
      // Approve it as the admin, signed by the session's (demo) key.
      const approved = nextGraphQL<{ approveKey: Receipt }>(page, 'ApproveKey');
      await page.getByTestId('pending-approvals').getByTestId(`approve-bank-jade.admin-${newKey}`).click();
      const approve = await approved;
      expect(approve.variables.signature?.key).toBe(demoKey);
      expect(approve.variables.input).toEqual({ user: 'bank-jade.admin', key: newKey });
      expect(approve.data.approveKey).toMatchObject({ index: before.size + 1, type: 'key.approve' });
      await expect.poll(async () => newRow.getByTestId('key-status').textContent()).toBe(en.keyStatus.ACTIVE);
      await expect.poll(() => page.getByTestId('new-key-pending').count()).toBe(0);

      step('switch key');
      // Switch the session to the new key: a fresh challenge, signed by a key that never left the browser.
      const relogin = page.waitForRequest((r) => r.url().endsWith('/auth/login'));
      await page.getByTestId(`use-key-${newKey}`).click();
      expect(((await relogin).postDataJSON() as { key: string }).key).toBe(newKey);
      await newRow.getByTestId('current-key').waitFor();
      const switched = await session(page);
      expect(switched.key).toBe(newKey);
      expect(jwtClaims(switched.token).key).toBe(newKey);

      step('grant role');
      // Grant the approver role to the officer through the organisation page.
      await page.getByTestId('nav-org').click();
      await page.getByTestId('member-bank-jade.officer').waitFor();
      expect(await page.getByTestId('revoke-role-bank-jade.officer-APPROVER').count()).toBe(0);
      await page.getByTestId('grant-role-select-bank-jade.officer').selectOption('APPROVER');
      const granted = nextGraphQL<{ grantRole: Receipt }>(page, 'GrantRole');
      await page.getByTestId('grant-role-bank-jade.officer').click();
      const grant = await granted;
      const index = before.size + 2;
      expect(grant.variables.signature?.key).toBe(newKey);
      expect(grant.variables.input).toEqual({ user: 'bank-jade.officer', role: 'APPROVER' });
      expect(grant.data.grantRole).toMatchObject({ index, type: 'role.grant' });
      await expect.poll(() => text(page, 'receipt')).toContain(interpolate(en.common.recorded.split('{{time}}')[0] ?? '', { index, type: 'role.grant' }));
      await page.getByTestId('revoke-role-bank-jade.officer-APPROVER').waitFor();

      step('explorer');
      // The explorer: three entries appended, the checkpoint three larger, and the entry as signed.
      await page.getByTestId('nav-explorer').click();
      const after = await settledCheckpoint(admin);
      expect(after.size).toBe(before.size + 3);
      await page.getByTestId(`entry-${index}`).click();
      const detail = page.getByTestId('entry-detail');
      await expect.poll(async () => detail.getByRole('heading', { level: 2 }).textContent()).toBe(interpolate(en.explorer.entry.title, { index }));
      const shown = (await detail.getByTestId('entry-json').textContent()) ?? '';
      const entry = JSON.parse(shown) as { key: string; sig: string; time: string; tx: Record<string, unknown> };
      expect(entry.key).toBe(newKey);
      expect(entry.sig).toBe(grant.variables.signature?.signature);
      expect(entry.tx).toEqual({ origin, type: 'role.grant', nonce: grant.variables.signature?.nonce, body: { user: 'bank-jade.officer', role: 'approver' } });
      expect(verifyEd25519(newKey, `godown-tx/v1\n${jcs(entry.tx)}`, entry.sig)).toBe(true);
      expect(shown).toBe(jcs(entry));

      step('verify proof');
      // Verify the proof in the browser.
      const verify = async () => {
        const proof = nextGraphQL<{ proof: { hashes: string[] } }>(page, 'Proof');
        await detail.getByTestId('verify-proof').click();
        await proof;
        await expect.poll(async () => (await detail.getByTestId('verify-proof').isEnabled()) && (await detail.getByTestId('proof-result').count())).toBe(1);
        return (await detail.getByTestId('proof-result').textContent()) ?? '';
      };
      const okText = interpolate(en.proof.ok, { index, size: after.size, origin });
      expectProved(await verify(), `✓ ${okText}`, en.explorer.checkpoint.witnesses);

      step('proof from the node');
      // Independently of the page: the node's proof file for the same entry carries the same bytes,
      // under the checkpoint the page showed.
      const res = await fetch(`${node.baseUrl}/proof/${index}`, { headers: { Authorization: `Bearer ${switched.token}` } });
      expect(res.status).toBe(200);
      const file = parseTlogProof(await res.text());
      expect(file.index).toBe(index);
      expect(file.entry).toBe(shown);
      expect(file.checkpoint).toMatchObject({ origin, size: after.size, root: after.root });
      const { proof } = await graphql<{ proof: { entry: string; leafHash: string; treeSize: number; hashes: string[] } }>(
        node.baseUrl,
        'query($index: Int!) { proof(index: $index) { entry leafHash treeSize hashes } }',
        { index },
        switched.token,
      );
      expect(proof).toEqual({ entry: shown, leafHash: leafHash(shown), treeSize: after.size, hashes: file.hashes });
      expect(grant.data.grantRole.leafHash).toBe(leafHash(shown));

      step('tampered proof');
      // The same check must fail when the node lies: one proof hash altered in transit gives ✗.
      const tamper = async (route: Route) => {
        const sent = route.request().postDataJSON() as { query?: string } | null;
        if (!/^\s*query Proof\b/.test(sent?.query ?? '')) return route.continue();
        const response = await route.fetch();
        const body = (await response.json()) as { data: { proof: { hashes: string[] } } };
        body.data.proof.hashes = body.data.proof.hashes.map((h, i) => (i === 0 ? flipFirstByte(h) : h));
        return route.fulfill({ response, json: body });
      };
      await page.route('**/graphql', tamper);
      const refused = await verify();
      expect(refused).toMatch(/^✗/);
      expect(refused).toContain(en.proof.reason.ROOT_MISMATCH);
      await page.unroute('**/graphql', tamper);
      expectProved(await verify(), `✓ ${okText}`, en.explorer.checkpoint.witnesses);

      step('live tab');
      // The watching tab saw the three entries arrive live, and checked the new checkpoint extends the old.
      await expect.poll(() => text(watcher.page, 'checkpoint-size')).toBe(String(after.size));
      for (const [i, type] of [
        [before.size, 'key.enrol'],
        [before.size + 1, 'key.approve'],
        [index, 'role.grant'],
      ] as const) {
        expect(await watcher.page.getByTestId(`entry-${i}`).locator('td').nth(1).textContent()).toBe(type);
      }
      const grew = new RegExp(`^✓ ${interpolate(en.explorer.checkpoint.grew, { from: '(\\d+)', to: '(\\d+)' })}$`);
      await expect.poll(() => text(watcher.page, 'checkpoint-growth')).toMatch(grew);
      const [, from, to] = grew.exec(await text(watcher.page, 'checkpoint-growth')) ?? [];
      expect(Number(to)).toBe(after.size);
      expect(Number(from)).toBeGreaterThanOrEqual(before.size);
      expect(await text(watcher.page, 'live-status')).toBe(en.explorer.entries.live);

      step('node state');
      // The node's own view agrees with what the pages showed.
      const state = await graphql<{
        me: { key: string };
        officer: { roles: string[] } | null;
        admin: { keys: { key: string; status: string; activatedAt: number | null }[] } | null;
      }>(
        node.baseUrl,
        '{ me { key } officer: user(id: "bank-jade.officer") { roles } admin: user(id: "bank-jade.admin") { keys { key status activatedAt } } }',
        {},
        switched.token,
      );
      expect(state.me.key).toBe(newKey);
      expect(state.officer?.roles).toContain('APPROVER');
      expect(state.admin?.keys).toContainEqual({ key: newKey, status: 'ACTIVE', activatedAt: before.size + 1 });

      step('language');
      // 中文 once: the labels follow the language, including the verification result.
      expect(await text(page, 'nav-explorer')).toBe(en.nav.explorer);
      expect(zh.nav.explorer).not.toBe(en.nav.explorer);
      await page.getByTestId('language').selectOption('zh-CN');
      await expect.poll(() => text(page, 'nav-explorer')).toBe(zh.nav.explorer);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      expectProved(await text(page, 'proof-result'), `✓ ${interpolate(zh.proof.ok, { index, size: after.size, origin })}`, zh.explorer.checkpoint.witnesses);
    });
  });

  it('enrols an invited member’s browser key from the e-mailed link, and signs them in once approved', async () => {
    const demo = ready();
    const { node, browser } = demo;
    await scenario(node, 'invitation-enrolment', async ({ open, step }) => {
      const admin = await open('admin', await newUserContext(browser, node.baseUrl));
      await demoSignIn(demo, admin, 'bank-jade.admin');

      step('invite');
      // Invite through the organisation page; the address goes beside the signed input, not on the ledger.
      const email = 'zhou.yi@jade-river.example';
      await admin.page.getByTestId('nav-org').click();
      await admin.page.getByTestId('invite-form').waitFor();
      await admin.page.getByTestId('invite-user').fill('bank-jade.zhou');
      await admin.page.getByTestId('invite-name').fill('周毅 Zhou Yi');
      await admin.page.getByTestId('invite-email').fill(email);
      const invited = nextGraphQL<{ inviteUser: Receipt }>(admin.page, 'InviteUser');
      await admin.page.getByTestId('invite-submit').click();
      const invite = await invited;
      expect(invite.variables.email).toBe(email);
      expect(invite.variables.input).toEqual({ org: 'bank-jade', user: 'bank-jade.zhou', name: '周毅 Zhou Yi', roles: ['VIEWER'] });
      await admin.page.getByTestId('member-bank-jade.zhou').waitFor();

      step('mail');
      // The node sends the link by e-mail; the demo keeps its mail in the data directory.
      await expect.poll(async () => invitationLink(await node.mail(), email)).not.toBeNull();
      const link = new URL(invitationLink(await node.mail(), email) ?? '');
      // The link leads back to this node's dashboard, where the invitee makes their key.
      expect(link.origin).toBe(node.baseUrl);

      step('enrol');
      // The invitee, in a browser of their own, makes a key there and enrols it.
      const invitee = await open('invitee', await newUserContext(browser, node.baseUrl));
      await invitee.page.goto(link.href);
      const start = invitee.page.getByTestId('enrol-start');
      await expect.poll(() => start.isEnabled()).toBe(true);
      const enrolled = nextGraphQL<{ enrolKey: Receipt }>(invitee.page, 'EnrolKey');
      await start.click();
      const enrol = await enrolled;
      const key = String(enrol.variables.input?.key);
      expect(enrol.variables.signature?.key).toBe(key);
      expect(enrol.variables.input).toMatchObject({ user: 'bank-jade.zhou', key });
      expect(enrol.data.enrolKey.index).toBe(invite.data.inviteUser.index + 1);
      await invitee.page.getByTestId('enrol-done').waitFor();
      await expectKeyOnlyInBrowser(invitee.page, key, 'bank-jade.zhou', 'generated');

      step('approve');
      // The admin approves the key from the keys page.
      await admin.page.getByTestId('nav-keys').click();
      const approved = nextGraphQL<{ approveKey: Receipt }>(admin.page, 'ApproveKey');
      await admin.page.getByTestId('pending-approvals').getByTestId(`approve-bank-jade.zhou-${key}`).click();
      expect((await approved).variables.input).toEqual({ user: 'bank-jade.zhou', key });

      step('invitee sign-in');
      // Now the invitee signs in with the key in their browser and sees their own entries.
      await invitee.page.getByTestId('enrol-done').getByRole('link').click();
      await invitee.page.getByTestId('browser-key-login-bank-jade.zhou').click();
      await invitee.page.waitForURL('**/explorer');
      await expect.poll(() => text(invitee.page, 'signed-in-user')).toContain('周毅 Zhou Yi');
      expect((await session(invitee.page)).key).toBe(key);
      await settledCheckpoint(invitee);
      const row = invitee.page.getByTestId(`entry-${invite.data.inviteUser.index}`);
      expect(await row.locator('td').nth(1).textContent()).toBe('user.invite');
      // The e-mail address stays off the ledger, so the invitee's own entry does not carry it.
      await row.click();
      expect(await invitee.page.getByTestId('entry-json').textContent()).not.toContain(email);
    });
  });
});
