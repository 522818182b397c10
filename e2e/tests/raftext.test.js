// Raft's thesis extensions on the page (issue 14): PreVote (thesis 9.6), CheckQuorum (6.2,
// 4.2.3) and leadership transfer (3.10) are switches in the address and on the page; a link
// carries them, so a shared run replays the same; "Transfer leadership to Sn" moves
// leadership; the scenarios of the disruptive server, PreVote, CheckQuorum and a transfer
// play as narrated, in both languages.
import assert from 'node:assert/strict';

import { browserSuite, SEL } from '../helpers/browser.js';

const test = browserSuite();

const KEYS = ['prevote', 'checkquorum', 'transfer'];
const checked = (app) => app.page.evaluate((keys) => keys.map((k) => document.querySelector(`[data-switch="${k}"]`)?.checked ?? null), KEYS);

test('(X1) each switch turns on and off from the page: a new run with the same seed and size, in the address', async (app) => {
  await app.open('?algo=raft&nodes=3&seed=7');
  const panel = app.page.getByRole('region', { name: "Extensions from Ongaro's thesis" });
  await panel.waitFor({ timeout: 5_000 });
  for (const [key, section] of [['prevote', 'thesis 9.6'], ['checkquorum', 'thesis 6.2, 4.2.3'], ['transfer', 'thesis 3.10']]) {
    const item = app.page.locator(`[data-switch-item="${key}"]`);
    assert.match(await item.textContent(), new RegExp(`\\(${section}\\)`), `${key} names its section`);
    assert.ok((await item.locator('.explains').textContent()).length > 40, `${key} explains itself`);
  }
  assert.deepEqual(await checked(app), [false, false, false]);
  assert.equal((await app.state()).app.switchesOn, '');
  await app.waitForLeader();
  for (const [i, key] of KEYS.entries()) {
    await app.page.locator(`[data-switch="${key}"]`).check();
    const s = await app.until(`${key} on`, (st) => st.app.switchesOn === key && st);
    assert.equal(s.app.seed, '7');
    assert.equal(s.app.nodes, '3', 'the size stays');
    assert.match(app.page.url(), new RegExp(`[?&]${key}=1(&|$)`));
    const on = [false, false, false];
    on[i] = true;
    assert.deepEqual(await checked(app), on);
    await app.page.locator(`[data-switch="${key}"]`).uncheck();
    await app.until(`${key} off`, (st) => st.app.switchesOn === '');
    assert.doesNotMatch(app.page.url(), new RegExp(`${key}=`), 'a switch off is left out of the address');
  }
  // Another protocol's page has none.
  await app.open('?algo=paxos&seed=7');
  assert.equal(await app.page.locator('[data-switches]').count(), 0);
  assert.deepEqual(app.errors(), []);
});

test('(X2) the address turns switches on; a tampered one is named in both languages and left off', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=7&prevote=1&checkquorum=1&transfer=1');
  assert.equal((await app.state()).app.switchesOn, 'prevote checkquorum transfer');
  assert.deepEqual(await checked(app), [true, true, true]);
  await app.waitForLeader();
  await app.open('?algo=raft&nodes=5&seed=7&prevote=2&transfer=1');
  let s = await app.state();
  assert.equal(s.app.switchesOn, 'transfer');
  assert.match(s.urlError.text, /prevote=2, but prevote is 1 or 0: running without PreVote/);
  await app.open('?algo=raft&nodes=5&seed=7&checkquorum=yes-please&lang=zh');
  s = await app.state();
  assert.equal(s.app.switchesOn, '');
  assert.match(s.urlError.text, /参数 checkquorum=yes-please 无效/);
  assert.match(s.urlError.text, /不启用CheckQuorum/);
  assert.deepEqual(app.errors(), []);
});

test('(X3) a link of a run with switches replays it with them, to the same trace hash', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=11&prevote=1&transfer=1');
  const leader = await app.waitForLeader();
  await app.nodeAction(leader.id, 'Client request');
  await app.until('a later moment', (s) => Number(s.app.virtualTime) > 700_000, { timeout: 60_000 });
  await app.pause();
  const before = await app.state();
  await app.page.getByRole('button', { name: 'Copy link' }).click();
  const link = await app.page.locator('[data-share-link]').getAttribute('data-share-link');
  assert.doesNotMatch(link, /prevote=|transfer=/, 'the run itself carries its switches');
  await app.page.goto(link, { waitUntil: 'load' });
  const after = await app.until('the shared run', (s) => s.app && s.app.traceHash === before.app.traceHash && s, { timeout: 20_000 });
  assert.equal(after.app.switchesOn, 'prevote transfer');
  assert.equal(after.app.virtualTime, before.app.virtualTime);
  assert.deepEqual(after.nodes, before.nodes);
  assert.deepEqual(await checked(app), [true, false, true]);
  assert.deepEqual(app.errors(), []);
});

test('(X4) "Transfer leadership to Sn" moves leadership there, only with the switch on', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=7');
  let leader = await app.waitForLeader();
  await app.pause();
  const other = (leader.id + 1) % 5;
  await app.page.locator(SEL.nodeById(other)).click();
  await app.page.locator('[data-node-menu]').waitFor({ timeout: 5_000 });
  assert.equal(await app.page.getByRole('button', { name: /Transfer leadership/ }).count(), 0, 'not without its switch');
  await app.page.keyboard.press('Escape');
  await app.page.locator('[data-switch="transfer"]').check();
  await app.until('transfer on', (s) => s.app.switchesOn === 'transfer');
  // A new run keeps playing or paused as the old one was: this one was paused.
  await app.play();
  leader = await app.waitForLeader();
  await app.pause();
  const target = (leader.id + 2) % 5;
  // The leader's own menu offers no transfer to itself.
  await app.page.locator(SEL.nodeById(leader.id)).click();
  await app.page.locator('[data-node-menu]').waitFor({ timeout: 5_000 });
  assert.equal(await app.page.getByRole('button', { name: /Transfer leadership/ }).count(), 0);
  await app.page.keyboard.press('Escape');
  await app.nodeAction(target, `Transfer leadership to S${target + 1}`, { close: false });
  // While it is under way a second one is refused, in words.
  await app.page.locator('[data-node-menu]').waitFor({ timeout: 5_000 });
  await app.page.keyboard.press('Escape');
  const third = (leader.id + 3) % 5;
  await app.page.locator(SEL.nodeById(third)).click();
  const again = app.page.getByRole('button', { name: `Transfer leadership to S${third + 1}` });
  assert.equal(await again.isDisabled(), true);
  const reason = app.page.locator('[data-node-menu] li', { has: again }).locator('.reason');
  assert.match(await reason.textContent(), new RegExp(`already handing its leadership to S${target + 1}`));
  await app.page.keyboard.press('Escape');
  await app.play();
  const s = await app.until(`S${target + 1} to lead`, (st) => st.app.leader === String(target) && st, { timeout: 20_000 });
  assert.ok(s.nodes.find((n) => n.id === target).term > leader.term, 'in a new term');
  await app.page.locator('.feed').getByText(`S${target + 1} got TimeoutNow from S${leader.id + 1}`, { exact: false }).first().waitFor({ timeout: 10_000 });
  assert.deepEqual(app.errors(), []);
});

test('(X5) the extensions\' scenarios play as narrated, in both languages', async (app) => {
  const scenarios = {
    'raft-disruptive-server': '',
    'raft-pre-vote': 'prevote',
    'raft-check-quorum': 'checkquorum',
    'raft-leadership-transfer': 'transfer',
  };
  for (const [name, on] of Object.entries(scenarios)) {
    for (const lang of ['en', 'zh']) {
      await app.open(`?scenario=${name}&lang=${lang}`);
      let n = await app.narration();
      assert.equal(n.scenario, name);
      assert.equal((await app.state()).app.switchesOn, on, `${name} runs with its switches`);
      const steps = Number(n.steps);
      assert.ok(steps >= 4, `${name}: ${steps} steps`);
      for (let step = 0; step < steps; step++) {
        if (step > 0) {
          await app.page.locator('body').press('PageDown');
          n = await app.untilStep(step);
        }
        assert.deepEqual(await app.page.locator('[data-claim-ok="false"]').allTextContents(), [], `${name} (${lang}) step ${step + 1}: "${n.text}"`);
        assert.equal(n.claimsMet, 'true', `${name} (${lang}) step ${step + 1}`);
        if (lang === 'zh') assert.match(n.text, /[\u4e00-\u9fff]/, `${name} step ${step + 1} in Chinese`);
      }
      assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1, `${name}: safety holds`);
    }
  }
  assert.deepEqual(app.errors(), []);
}, { timeout: 300_000 });

test('(X6) the inspector shows what the switches keep under their names', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=7&prevote=1&checkquorum=1&transfer=1');
  const leader = await app.waitForLeader();
  await app.pause();
  const follower = (leader.id + 1) % 5;
  for (const [node, keys] of [[leader.id, ['leaderHeardAt', 'recentActive', 'leadTransferee']], [follower, ['preVotes', 'leaderHeardAt']]]) {
    await app.page.locator(SEL.nodeById(node)).click();
    const panel = app.page.locator(`[data-inspector="node"][data-node-id-inspected="${node}"]`);
    await panel.waitFor({ timeout: 5_000 });
    for (const key of keys) {
      assert.equal(await panel.locator(`[data-field="${key}"]`).count(), 1, `S${node + 1} shows ${key}`);
    }
    await app.page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: 5_000 });
  }
  // Just after the election the follower may not have heard from the new leader yet ("never, this
  // term", which is true): let the run play on until its first AppendEntries has arrived.
  const heard = new RegExp(`^S${leader.id + 1}, [\\d.]+ ms ago`);
  let text = '';
  for (let attempt = 0; attempt < 20 && !heard.test(text); attempt++) {
    if (attempt > 0) {
      await app.page.keyboard.press('Escape');
      await app.play();
      await app.page.waitForTimeout(300);
      await app.pause();
    }
    await app.page.locator(SEL.nodeById(follower)).click();
    text = await app.page.locator('[data-inspector="node"] [data-field="leaderHeardAt"]').textContent();
  }
  assert.match(text, heard);
  assert.deepEqual(app.errors(), []);
});
