// Multi-Paxos on the page (issue 4): a leader emerges, requests take consecutive slots,
// every replica learns them in order; after the leader crashes a new one carries on.
import assert from 'node:assert/strict';

import { browserSuite } from '../helpers/browser.js';

const test = browserSuite();

const slotStates = (app, slot) =>
  app.page.$$eval(`[data-mp-slot][data-slot="${slot}"]`, (els) => els.map((e) => e.dataset.state));

test('(M1) requests to the leader are chosen in slots 1 and 2 and every replica learns them', async (app) => {
  await app.open('?algo=multipaxos&nodes=5&seed=42');
  const s = await app.until('a leader', (st) => st.app.leader !== '' && st);
  assert.ok(s.nodes.some((n) => n.role === 'leader'), 'data-role="leader" on the ring');
  await app.page.locator('body').press('c');
  await app.page.locator('body').press('c');
  await app.page.locator('[data-slot="2"][data-chosen-value]').waitFor({ timeout: 20_000 });
  assert.equal(await app.page.locator('[data-slot="1"][data-chosen-value]').getAttribute('data-chosen-value'), 'x←1');
  assert.equal(await app.page.locator('[data-slot="2"][data-chosen-value]').getAttribute('data-chosen-value'), 'y←2');
  await app.page.waitForFunction(() =>
    [...document.querySelectorAll('[data-mp-slot][data-slot="2"]')].every((e) => e.dataset.state === 'chosen'),
    null, { timeout: 20_000 });
  assert.deepEqual(await slotStates(app, 1), ['chosen', 'chosen', 'chosen', 'chosen', 'chosen']);
  assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1);
  assert.deepEqual(app.errors(), []);
});

test('(M2) after the leader crashes a new leader is elected and the log goes on', async (app) => {
  await app.open('?algo=multipaxos&nodes=5&seed=7');
  const old = Number(await app.until('a leader', (st) => st.app.leader !== '' && st.app.leader));
  await app.page.locator('body').press('c');
  await app.page.locator('[data-slot="1"][data-chosen-value]').waitFor({ timeout: 20_000 });
  await app.nodeAction(old, 'Crash');
  await app.page.keyboard.press('Escape');
  await app.until('another leader', (st) => st.app.leader !== '' && Number(st.app.leader) !== old, { timeout: 30_000 });
  await app.page.locator('body').press('c');
  await app.page.locator('[data-slot="2"][data-chosen-value]').waitFor({ timeout: 20_000 });
  assert.equal(await app.page.locator('[data-slot="1"][data-chosen-value]').getAttribute('data-chosen-value'), 'x←1',
    'slot 1 keeps its value under the new leader');
  const feed = await app.page.locator('.feed').textContent();
  assert.match(feed, /heard no leader and sent Prepare\([\d.]+\) for every slot from \d/);
  assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1);
  assert.deepEqual(app.errors(), []);
});
