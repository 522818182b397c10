// Basic Paxos on the page (issue 4): a single proposer's value is chosen; dueling
// proposers choose nothing while they pre-empt each other and one value once they stop;
// a minority of crashed acceptors does not stop a choice; a late proposer proposes the
// value already chosen. Read through data-role, data-promised, data-accepted-*,
// data-learned and data-chosen-value.
import assert from 'node:assert/strict';

import { browserSuite, SEL } from '../helpers/browser.js';

const test = browserSuite();

const chosen = (app) => app.page.locator('[data-chosen-value]').getAttribute('data-chosen-value', { timeout: 30_000 });

async function propose(app, id) {
  await app.page.locator(SEL.nodeById(id)).click();
  await app.page.getByRole('button', { name: 'Client request', exact: true }).click();
  await app.page.keyboard.press('Escape');
}

async function timeOut(app, id) {
  await app.page.locator(SEL.nodeById(id)).click();
  await app.page.getByRole('button', { name: 'Time out', exact: true }).click();
  await app.page.keyboard.press('Escape');
}

const attrs = (app) =>
  app.page.$$eval(`${SEL.node}`, (els) =>
    els.map((e) => ({ id: Number(e.dataset.nodeId), ...e.dataset })));

test('(P1) a single proposer gets its value chosen, and the learners learn it', async (app) => {
  await app.open('?algo=paxos&proposers=1&acceptors=3&learners=2&seed=1');
  const roles = (await attrs(app)).map((n) => n.role);
  assert.deepEqual(roles, ['proposer', 'acceptor', 'acceptor', 'acceptor', 'learner', 'learner']);
  await app.page.locator('[data-chosen-none]').waitFor();
  await propose(app, 0);
  const value = await chosen(app);
  assert.equal(value, 'x←1', 'the first request sets x to 1');
  await app.page.waitForFunction(() =>
    [...document.querySelectorAll('[data-role="learner"]')].every((e) => e.dataset.learned === 'x←1'), null, { timeout: 10_000 });
  const acceptors = (await attrs(app)).filter((n) => n.role === 'acceptor');
  assert.ok(acceptors.filter((a) => a.acceptedValue === 'x←1').length >= 2, 'a majority accepted it');
  assert.ok(acceptors.every((a) => a.promised), 'every acceptor shows its promise');
  assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1);
  assert.deepEqual(app.errors(), []);
});

test('(P2) dueling proposers choose nothing while they pre-empt each other, one value once they stop', async (app) => {
  await app.open('?algo=paxos&proposers=2&acceptors=3&learners=1&seed=3');
  await app.pause();
  await propose(app, 0);
  await propose(app, 1);
  // Each keeps timing out and preparing a higher number before the other can finish phase 2.
  for (let round = 0; round < 8; round++) {
    await timeOut(app, round % 2);
    for (let i = 0; i < 3; i++) await app.page.locator('body').press('ArrowRight');
  }
  assert.equal(await app.page.locator('[data-chosen-value]').count(), 0, 'nothing chosen while they duel');
  const feed = await app.page.locator('.feed').textContent();
  assert.match(feed, /refused|pre-empted/, 'acceptors refused the lower numbers');
  await app.play();
  const value = await chosen(app);
  assert.ok(['x←1', 'y←2'].includes(value), `one of the two values was chosen: ${value}`);
  await app.page.waitForFunction((v) =>
    [...document.querySelectorAll('[data-role="proposer"]')].every((e) => e.dataset.learned === v), value, { timeout: 20_000 });
  assert.deepEqual(app.errors(), []);
});

test('(P3) a minority of crashed acceptors does not stop a choice', async (app) => {
  await app.open('?algo=paxos&proposers=1&acceptors=5&learners=1&seed=4');
  await app.page.locator(SEL.nodeById(1)).click();
  await app.page.getByRole('button', { name: 'Crash', exact: true }).click();
  await app.page.keyboard.press('Escape');
  await app.page.locator(SEL.nodeById(2)).click();
  await app.page.getByRole('button', { name: 'Crash', exact: true }).click();
  await app.page.keyboard.press('Escape');
  const down = (await attrs(app)).filter((n) => n.status === 'crashed').map((n) => n.id);
  assert.deepEqual(down, [1, 2]);
  await propose(app, 0);
  assert.equal(await chosen(app), 'x←1');
  assert.deepEqual(app.errors(), []);
});

test('(P4) a late proposer ends up proposing the value already chosen', async (app) => {
  await app.open('?algo=paxos&proposers=2&acceptors=3&learners=1&seed=5');
  await propose(app, 0);
  assert.equal(await chosen(app), 'x←1');
  await propose(app, 1);
  await app.page.waitForFunction(() => document.querySelector('[data-node-id="1"][data-role]')?.dataset.learned === 'x←1',
    null, { timeout: 20_000 });
  const feed = await app.page.locator('.feed').textContent();
  assert.match(feed, /S2 had a majority of promises and sent Accept\([\d.]+, x←1\), the value an acceptor had accepted/);
  assert.equal(await app.page.locator('[data-chosen-value]').getAttribute('data-chosen-value'), 'x←1', 'still x←1');
  assert.deepEqual(app.errors(), []);
});

test('(P5) the page switches algorithm, and a Paxos message can be inspected and dropped', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=8');
  await Promise.all([
    app.page.waitForURL(/algo=paxos/, { waitUntil: 'load', timeout: 20_000 }),
    app.page.getByRole('combobox', { name: 'Algorithm' }).selectOption('paxos'),
  ]);
  await app.until('the Paxos page', (s) => s.app && s.app.algo === 'paxos', { timeout: 20_000 });
  assert.match(app.page.url(), /algo=paxos/);
  assert.match(app.page.url(), /seed=8/);
  await app.pause();
  await propose(app, 0);
  // Step until a Prepare is in flight, then inspect it and drop it.
  let msg = null;
  for (let i = 0; i < 20 && !msg; i++) {
    msg = (await app.state()).messages.find((m) => m.kind === 'Prepare') ?? null;
    if (!msg) await app.page.locator('body').press('ArrowRight');
  }
  assert.ok(msg, 'a Prepare in flight');
  await app.page.locator(SEL.msgById(msg.id)).click();
  const panel = app.page.locator(`[data-inspector="message"][data-msg-panel="${msg.id}"]`);
  await panel.waitFor({ timeout: 5_000 });
  assert.equal(await panel.locator('[data-field="type"]').textContent(), 'Prepare');
  assert.equal(await panel.locator('[data-field="n"]').textContent(), '1.1');
  await panel.getByRole('button', { name: 'Drop', exact: true }).click();
  await app.until('the Prepare to be gone', (s) => !s.messages.some((m) => m.id === msg.id));
  assert.deepEqual(app.errors(), []);
});
