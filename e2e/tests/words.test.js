// What the page says (issue 11): a Paxos proposer's caption is the value it proposes, not
// its client's; a refused run file is worded for a person; an empty range of applied slots
// reads as nothing applied; a notice that no longer holds goes by itself; aligning timers
// under a live leader says why nothing will fire; a page that waits for the person says how
// to start; the legend keys every colour and mark the ring and the log use.
import assert from 'node:assert/strict';

import { browserSuite, SEL } from '../helpers/browser.js';

const test = browserSuite();

const ariaOf = (app, id) => app.page.locator(SEL.nodeById(id)).getAttribute('aria-label');

test('(W1) in "Dueling proposers" step 9, S2 shows it proposes x←1, apart from its client\'s x←2', async (app) => {
  await app.open('?scenario=paxos-dueling-proposers');
  await app.page.locator('[data-step-dot="8"]').click();
  await app.untilStep(8);
  const s2 = app.page.locator(SEL.nodeById(1));
  assert.equal(await s2.getAttribute('data-phase'), 'accept');
  assert.equal(await s2.getAttribute('data-proposing'), 'x←1', 'the value of its Accept request');
  const aria = await ariaOf(app, 1);
  assert.match(aria, /proposes \(4\.2, x←1\)/);
  assert.match(aria, /client's request x←2/);
  // The menu keeps the two apart, and says what the promises reported.
  await s2.click();
  const menu = app.page.getByRole('dialog');
  await menu.getByText('x←1', { exact: true }).waitFor({ timeout: 5_000 });
  assert.match(await menu.textContent(), /from promises.*x←1, accepted earlier/s);
  assert.deepEqual(app.errors(), []);
});

test('(W2) a tampered run file is refused in words: the file, S2 for node 1, a time in s, no code', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=8');
  const file = {
    format: 'quorum-run',
    version: 1,
    protocol: 'raft',
    nodes: 5,
    seed: 8,
    params: [],
    scenario: null,
    moment: { events: 0, time: 0 },
    commands: [
      { at: 999999999, after_events: 18, command: { ClientRequest: { node: 1, request: { id: 1, op: { Set: { key: 'x', value: 1 } } } } } },
    ],
  };
  await app.dropFile('tampered.json', JSON.stringify(file));
  const notice = app.page.locator('[data-notice]');
  await notice.waitFor({ timeout: 5_000 });
  const text = await notice.textContent();
  assert.match(text, /The file could not be opened/);
  assert.match(text, /the run in the file cannot be used/);
  assert.match(text, /a client request x←1 to S2/);
  assert.match(text, /1000\.000 s/);
  assert.doesNotMatch(text, /[{}]|µs|link|node/);
  // In Chinese too.
  await app.open('?algo=raft&nodes=5&seed=8&lang=zh');
  await app.dropFile('tampered.json', JSON.stringify(file));
  await notice.waitFor({ timeout: 5_000 });
  const zh = await notice.textContent();
  assert.match(zh, /无法打开该文件/);
  assert.match(zh, /向 S2 发送客户端请求 x←1/);
  assert.doesNotMatch(zh, /[{}]|µs|链接/);
  assert.deepEqual(app.errors(), []);
});

test('(W3) a replica that has applied nothing reads as nothing applied, not "slots 1 to 0"', async (app) => {
  await app.open('?scenario=multipaxos-leader-change');
  await app.untilStep(0);
  const claims = await app.page.locator('[data-claim-ok]').allTextContents();
  assert.ok(claims.some((c) => /S1 has applied no slot yet/.test(c)), JSON.stringify(claims));
  assert.ok(claims.every((c) => !/1 to 0/.test(c)), JSON.stringify(claims));
  await app.open('?scenario=multipaxos-leader-change&lang=zh');
  await app.untilStep(0);
  const zh = await app.page.locator('[data-claim-ok]').allTextContents();
  assert.ok(zh.some((c) => /S1 还没有应用任何槽位/.test(c)), JSON.stringify(zh));
  assert.deepEqual(app.errors(), []);
});

test('(W4) "no leader to send a request to" goes by itself once a leader is elected', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=1');
  await app.pause();
  assert.ok((await app.state()).nodes.every((n) => n.role !== 'leader'), 'no leader yet');
  await app.page.locator('body').press('c');
  const notice = app.page.locator('[data-notice]');
  await notice.waitFor({ timeout: 5_000 });
  assert.match(await notice.textContent(), /There is no leader to send a request to right now/);
  await app.play();
  await app.waitForLeader();
  await notice.waitFor({ state: 'detached', timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});

test('(W5) aligning the timers under a live leader says its heartbeats restart them', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=1');
  const leader = await app.waitForLeader();
  await app.page.locator('body').press('a');
  const notice = app.page.locator('[data-notice]');
  await notice.waitFor({ timeout: 5_000 });
  const text = await notice.textContent();
  assert.match(text, new RegExp(`Timers aligned, but S${leader.id + 1} leads`));
  assert.match(text, /heartbeats restarts a follower's election timer/);
  assert.match(text, /Crash or isolate the leader first to see a split vote/);
  assert.deepEqual(app.errors(), []);
});

test('(W6) Paxos free play says how to start until a client sends a request; the hint hides', async (app) => {
  await app.open('?algo=paxos&seed=3');
  const hint = app.page.locator('[data-start-hint]');
  await hint.waitFor({ timeout: 5_000 });
  assert.match(await hint.textContent(), /Nothing happens until a client sends a proposer a request/);
  await app.page.getByRole('button', { name: 'Hide this hint' }).click();
  await hint.waitFor({ state: 'detached', timeout: 5_000 });
  // It also goes once a proposer has a client's request.
  await app.open('?algo=paxos&seed=3&lang=zh');
  await hint.waitFor({ timeout: 5_000 });
  assert.match(await hint.textContent(), /在客户端向提议者发送请求之前/);
  await app.page.locator(SEL.nodeById(0)).click();
  await app.page.getByRole('button', { name: '客户端请求', exact: true }).click();
  await hint.waitFor({ state: 'detached', timeout: 5_000 });
  // A scenario's narration says what happens: no hint there.
  await app.open('?scenario=paxos-one-proposer');
  await app.page.locator('[data-scenario]').waitFor();
  assert.equal(await hint.count(), 0);
  // Multi-Paxos says how to fill a slot.
  await app.open('?algo=multipaxos&seed=2');
  await hint.waitFor({ timeout: 5_000 });
  assert.match(await hint.textContent(), /press C/);
  assert.deepEqual(app.errors(), []);
});

test('(W6b) an embed that can be acted on says how to start too, clear of the Key; one with no controls does not', async (app) => {
  const hint = app.page.locator('[data-start-hint]');
  for (const [lang, words] of [['en', /Nothing happens until a client sends a proposer a request/], ['zh', /在客户端向提议者发送请求之前/]]) {
    for (const controls of ['full', 'minimal']) {
      await app.page.setViewportSize({ width: 700, height: 450 });
      await app.open(`?embed=1&controls=${controls}&algo=paxos&seed=3&lang=${lang}`);
      await hint.waitFor({ timeout: 5_000 });
      assert.match(await hint.textContent(), words, `${controls}, ${lang}`);
      const facts = await app.page.evaluate(() => {
        const box = (el) => el.getBoundingClientRect();
        const h = box(document.querySelector('[data-start-hint]'));
        const key = box(document.querySelector('[data-legend-fold] summary'));
        const hit = h.left < key.right && key.left < h.right && h.top < key.bottom && key.top < h.bottom;
        return { hit, inside: h.left >= 0 && h.top >= 0 && h.right <= innerWidth && h.bottom <= innerHeight, h: [h.left, h.top, h.right, h.bottom].map(Math.round), key: [key.left, key.top, key.right, key.bottom].map(Math.round) };
      });
      assert.equal(facts.hit, false, `${controls}, ${lang}: the hint ${facts.h} is clear of the Key ${facts.key}`);
      assert.equal(facts.inside, true, `${controls}, ${lang}: the hint ${facts.h} is inside the frame`);
    }
  }
  // A proposer given a request: the hint goes, in the frame as on the page.
  await app.page.locator(SEL.nodeById(0)).click();
  await app.page.getByRole('button', { name: '客户端请求', exact: true }).click();
  await hint.waitFor({ state: 'detached', timeout: 5_000 });
  // A frame with no controls is only watched: nothing to tell it.
  await app.open('?embed=1&controls=none&algo=paxos&seed=3');
  await app.page.waitForTimeout(300);
  assert.equal(await hint.count(), 0);
  assert.deepEqual(app.errors(), []);
});

test('(W6c) in Paxos a server\'s menu lists "Client request" first, since nothing happens before one; Raft keeps it last', async (app) => {
  const actions = () => app.page.locator('[data-node-menu] .actions button').allTextContents();
  await app.open('?algo=paxos&seed=3');
  await app.page.locator(SEL.nodeById(0)).click();
  await app.page.locator('[data-node-menu]').waitFor({ timeout: 5_000 });
  let list = (await actions()).map((t) => t.trim());
  assert.equal(list[0], 'Client request', `Paxos: ${list}`);
  await app.page.keyboard.press('Escape');
  await app.open('?algo=paxos&seed=3&lang=zh');
  await app.page.locator(SEL.nodeById(0)).click();
  list = (await actions()).map((t) => t.trim());
  assert.equal(list[0], '客户端请求', `Paxos, zh: ${list}`);
  await app.page.keyboard.press('Escape');
  await app.open('?algo=raft&seed=3');
  await app.waitForLeader();
  await app.page.locator(SEL.nodeById(0)).click();
  list = (await actions()).map((t) => t.trim());
  assert.equal(list[list.length - 1], 'Client request', `Raft: ${list}`);
  assert.deepEqual(app.errors(), []);
});

test('(W7) the legend keys the term colours, the red last quarter, a crash and Paxos\'s triangle', async (app) => {
  await app.open('?algo=raft&seed=1');
  const legend = app.page.locator('[data-legend]');
  const raft = await legend.textContent();
  assert.match(raft, /colour and number are the entry's term/);
  assert.match(raft, /red: its last quarter, the election timeout is near/);
  assert.match(raft, /commitIndex is volatile \(0 again on restart\)/);
  await app.open('?algo=raft&seed=1&lang=zh');
  const zh = await legend.textContent();
  assert.match(zh, /颜色和数字表示条目的任期/);
  assert.match(zh, /选举超时即将到来/);
  await app.open('?algo=paxos&seed=1');
  const paxos = await legend.textContent();
  assert.match(paxos, /Query: a learner asks an acceptor what it accepted/);
  assert.doesNotMatch(paxos, /client request/);
  assert.deepEqual(app.errors(), []);
});

test('(W8) a crashed Raft server\'s inspector says its log is on disk and commitIndex restarts at 0', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=1');
  const leader = await app.waitForLeader();
  const other = (leader.id + 1) % 5;
  await app.nodeAction(other, 'Crash', { close: false });
  const inspector = app.page.locator(`[data-inspector="node"][data-node-id-inspected="${other}"]`);
  await inspector.getByText('Crashed: only what it persisted survives').waitFor({ timeout: 5_000 });
  const text = await inspector.textContent();
  assert.match(text, /its log, currentTerm and votedFor, on disk/);
  assert.match(text, /commitIndex and lastApplied are volatile: they are lost and restart at 0/);
  assert.deepEqual(app.errors(), []);
});
