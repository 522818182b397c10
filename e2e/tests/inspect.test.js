// Inspection (issue 3): the node inspector (every Figure 2 variable), the message
// inspector with Drop / Duplicate / Delay, the log matrix's markers, the event feed.
import assert from 'node:assert/strict';

import { browserSuite, SEL, sleep } from '../helpers/browser.js';

const test = browserSuite();

const field = (app, name) => app.page.locator(`[data-inspector] [data-field="${name}"]`).first();

test('(u) the node inspector shows every Figure 2 variable', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const leader = await app.waitForLeader();
  await app.nodeAction(leader.id, 'Client request');
  await app.until('the entry committed on the leader', (s) =>
    s.log.some((e) => e.node === leader.id && e.index === 1 && e.committed), { timeout: 20_000 });
  await app.pause();
  await app.page.keyboard.press('Escape');
  await app.page.locator(SEL.nodeById(leader.id)).click();
  const inspector = app.page.locator('[data-inspector="node"]');
  await inspector.waitFor({ timeout: 5_000 });
  const s = await app.state();
  const term = s.nodes.find((n) => n.id === leader.id).term;
  assert.equal(await field(app, 'currentTerm').textContent(), String(term));
  assert.equal(await field(app, 'votedFor').textContent(), `S${leader.id + 1}`, 'a leader voted for itself');
  assert.equal(await field(app, 'commitIndex').textContent(), '1');
  assert.equal(await field(app, 'lastApplied').textContent(), '1');
  assert.match(await field(app, 'log').textContent(), /1: term \d+, x←1/);
  assert.match(await field(app, 'kv').textContent(), /x=1/);
  const peers = await inspector.locator('tr[data-peer]').count();
  assert.equal(peers, 4, 'nextIndex[] and matchIndex[] for each of the 4 peers');
  const nexts = await inspector.locator('tr[data-peer] [data-field="nextIndex"]').allTextContents();
  assert.ok(nexts.every((n) => Number(n) >= 1), `nextIndex values ${nexts}`);
  await inspector.getByText('heartbeat at').waitFor({ timeout: 2_000 });

  // A follower: no leader state, an election timer.
  const follower = s.nodes.find((n) => n.id !== leader.id && n.status === 'up');
  await app.page.keyboard.press('Escape');
  await app.page.locator(SEL.nodeById(follower.id)).click();
  await app.page.locator(`[data-inspector="node"][data-node-id-inspected="${follower.id}"]`).waitFor({ timeout: 5_000 });
  assert.equal(await inspector.locator('tr[data-peer]').count(), 0);
  await inspector.getByText('election timeout at').waitFor({ timeout: 2_000 });
  assert.equal(await field(app, 'leaderId').textContent(), `S${leader.id + 1}`);

  // Crashed: only the persistent state.
  await app.page.getByRole('button', { name: 'Crash', exact: true }).click();
  await inspector.getByText('Crashed: only what it persisted survives').waitFor({ timeout: 5_000 });
  assert.equal(await field(app, 'currentTerm').textContent(), String(term));
  assert.equal(await inspector.locator('[data-field="commitIndex"]').count(), 0, 'commitIndex is volatile');
  assert.deepEqual(app.errors(), []);
});

test('(v) the log matrix marks commitIndex and the leader\'s nextIndex / matchIndex', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const leader = await app.waitForLeader();
  await app.nodeAction(leader.id, 'Client request');
  await app.page.keyboard.press('Escape');
  await app.until('the entry replicated and committed everywhere', (s) =>
    s.log.filter((e) => e.index === 1 && e.committed).length === 5, { timeout: 30_000 });
  await app.pause();
  const marks = await app.page.$$eval('[data-marker]', (els) =>
    els.map((e) => ({ kind: e.dataset.marker, node: Number(e.dataset.nodeIdMarked), index: Number(e.dataset.index) })));
  const of = (kind) => marks.filter((m) => m.kind === kind);
  assert.equal(of('commit').length, 5, 'a commitIndex bar per server');
  assert.ok(of('commit').every((m) => m.index === 1));
  const followers = [0, 1, 2, 3, 4].filter((i) => i !== leader.id);
  assert.deepEqual(of('match').map((m) => m.node).sort(), followers, 'matchIndex under every follower, none under the leader');
  assert.ok(of('match').every((m) => m.index === 1), 'matchIndex = 1 everywhere');
  assert.ok(of('next').every((m) => m.index === 2), 'nextIndex = 2 everywhere');
  // The markers say what they are in words, too.
  await app.page.getByText('the entry the leader will send this server next').waitFor({ timeout: 2_000 });
  assert.deepEqual(app.errors(), []);
});

/** Pause with an AppendEntries in flight that will not arrive for a while; return it. */
async function catchMessage(app, kind) {
  for (let attempt = 0; attempt < 60; attempt++) {
    await app.play();
    await app.until(`a ${kind} in flight`, (s) => s.messages.some((m) => m.kind === kind), { timeout: 20_000, interval: 10 });
    await app.pause();
    const msg = (await app.state()).messages.find((m) => m.kind === kind);
    if (msg) return msg;
  }
  throw new Error(`no ${kind} caught in flight`);
}

test('(w) the message inspector shows every field; Duplicate and Delay act on the message', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  const msg = await catchMessage(app, 'AppendEntries');
  await app.page.locator(SEL.msgById(msg.id)).click();
  const panel = app.page.locator(`[data-inspector="message"][data-msg-panel="${msg.id}"]`);
  await panel.waitFor({ timeout: 5_000 });
  for (const name of ['type', 'term', 'leaderId', 'prevLogIndex', 'prevLogTerm', 'entries[]', 'leaderCommit', 'sentAt', 'deliverAt']) {
    assert.equal(await panel.locator(`[data-field="${name}"]`).count(), 1, `field ${name}`);
  }
  assert.equal(await panel.locator('[data-field="type"]').textContent(), 'AppendEntries');
  assert.equal(await panel.locator('[data-field="leaderId"]').textContent(), `S${msg.from + 1}`);

  const before = (await app.state()).messages.length;
  await panel.getByRole('button', { name: 'Duplicate' }).click();
  const dup = await app.until('a copy in flight', (s) => s.messages.length === before + 1 && s);
  const copies = dup.messages.filter((m) => m.kind === 'AppendEntries' && m.from === msg.from && m.to === msg.to);
  assert.ok(copies.length >= 2, 'the original and its copy, same sender and receiver');

  const deliverAt = Number(await panel.locator('[data-field="deliverAt"]').getAttribute('data-deliver-at'));
  await panel.getByRole('combobox', { name: 'Delay by' }).selectOption('200');
  await panel.getByRole('button', { name: 'Delay', exact: true }).click();
  await app.page.waitForFunction(
    ([sel, t]) => Number(document.querySelector(sel)?.getAttribute('data-deliver-at')) === t,
    [`[data-msg-panel="${msg.id}"] [data-field="deliverAt"]`, deliverAt + 200_000],
    { timeout: 5_000 },
  );
  assert.ok((await app.state()).messages.some((m) => m.id === msg.id), 'still in flight');
  // Played on, the delayed original arrives last; the inspector then says so.
  await app.play();
  await panel.getByText('no longer in flight').waitFor({ timeout: 30_000 });
  assert.deepEqual(app.errors(), []);
});

test('(w2) a message the person drops: its inspector says so in words (en, zh), not blank; Delay comes before its amount', async (app) => {
  for (const [lang, words, drop, gone] of [
    ['en', /You dropped message #(\d+).*never arrive/, 'Drop', 'no longer in flight'],
    ['zh', /你丢弃了消息 #(\d+).*永远不会送达/, '丢弃', '已不在传输途中'],
  ]) {
    await app.open('?algo=raft&nodes=5&seed=42');
    await app.waitForLeader();
    const msg = await catchMessage(app, 'AppendEntries');
    // The switch rewords the page in place (catchMessage pauses by the English button's name).
    if (lang === 'zh') await app.page.getByRole('button', { name: '中文', exact: true }).click();
    await app.page.locator(SEL.msgById(msg.id)).click();
    const panel = app.page.locator(`[data-inspector="message"][data-msg-panel="${msg.id}"]`);
    await panel.waitFor({ timeout: 5_000 });
    // The button first, then how long: "Delay | by 100 ms".
    const order = await panel.locator('.actions').evaluate((el) => [...el.querySelectorAll('button, select')].map((b) => b.tagName === 'SELECT' ? 'amount' : b.textContent.trim()));
    assert.equal(order.length, 4, JSON.stringify(order));
    assert.equal(order[order.length - 1], 'amount', `${lang}: the amount after the Delay button: ${order}`);
    assert.equal(order[order.length - 2], lang === 'en' ? 'Delay' : '推迟', `${lang}: ${order}`);
    await panel.getByRole('button', { name: drop, exact: true }).click();
    await app.until('the message gone', (s) => !s.messages.some((m) => m.id === msg.id), { timeout: 5_000 });
    const said = panel.locator('[data-message-gone="dropped"]');
    await said.waitFor({ timeout: 5_000 });
    const text = await said.textContent();
    const m = text.match(words);
    assert.ok(m, `${lang}: ${text}`);
    assert.equal(Number(m[1]), Number(msg.id), `${lang}: it names the message`);
    assert.equal(await panel.getByText(gone).count(), 0, `${lang}: not "arrived or was lost"`);
    assert.equal(await panel.getByRole('button', { name: drop, exact: true }).count(), 0, `${lang}: nothing left to drop`);
    await app.page.keyboard.press('Escape');
  }
  // One that merely arrived still says it arrived or was lost.
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  const msg = await catchMessage(app, 'AppendEntries');
  await app.page.locator(SEL.msgById(msg.id)).click();
  const panel = app.page.locator(`[data-msg-panel="${msg.id}"]`);
  await panel.waitFor({ timeout: 5_000 });
  await app.play();
  await panel.locator('[data-message-gone="gone"]').waitFor({ timeout: 30_000 });
  assert.equal(await panel.locator('[data-message-gone="dropped"]').count(), 0);
  assert.deepEqual(app.errors(), []);
});

test('(x) the event feed tells the election in plain words, and shows the past when looking back', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const leader = await app.waitForLeader();
  const feed = app.page.locator('.feed');
  await feed.getByText(`S${leader.id + 1} became leader for term ${leader.term}`).waitFor({ timeout: 10_000 });
  await feed.getByText(/timed out and started an election for term 1/).first().waitFor({ timeout: 2_000 });
  await feed.getByText(/voted for S\d in term 1/).first().waitFor({ timeout: 2_000 });
  await app.pause();
  // Back at 100 ms nobody has timed out yet, so the feed is empty.
  await app.page.getByRole('slider', { name: 'Timeline' }).evaluate((el) => {
    el.value = '100';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await app.until('100 ms', (s) => s.app.virtualTime === '100000');
  assert.equal(await feed.locator('li').count(), 0, 'nothing had happened by 100 ms');
  await app.page.getByRole('button', { name: 'Back to live' }).click();
  await feed.getByText(`S${leader.id + 1} became leader for term ${leader.term}`).waitFor({ timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});
