// Faults (issue 3): isolate and rejoin, split in two groups, one link in one direction,
// heal all, loss and latency, cluster size, spread and align timers.
import assert from 'node:assert/strict';

import { browserSuite, SEL } from '../helpers/browser.js';

const test = browserSuite();

const cutLinks = (app) =>
  app.page.$$eval('[data-cut-link]', (els) => els.map((e) => e.dataset.cutLink).sort());

test('(m) isolate a server, watch the rest elect a leader, and let it rejoin', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const leader = await app.waitForLeader();
  await app.nodeAction(leader.id, 'Isolate');
  const cuts = await cutLinks(app);
  assert.equal(cuts.length, 8, `2 x 4 directed links drawn cut, got ${cuts}`);
  assert.ok(cuts.every((c) => c.split('-').map(Number).includes(leader.id)), 'every cut touches the isolated server');
  // The majority elects a new leader in a higher term; the old one cannot hear of it.
  const fresh = await app.waitForLeader({ minTerm: leader.term, timeout: 60_000 });
  assert.notEqual(fresh.id, leader.id);
  await app.nodeAction(leader.id, 'Rejoin');
  assert.deepEqual(await cutLinks(app), []);
  // Rejoining, the old leader learns the higher term and steps down.
  await app.until(`S${leader.id + 1} to step down`, (s) => {
    const old = s.nodes.find((n) => n.id === leader.id);
    return old.role !== 'leader' && old.term >= fresh.term;
  }, { timeout: 30_000 });
  assert.deepEqual(app.errors(), []);
});

test('(n) split the network into two groups, cut one link one way, heal all', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=7');
  const leader = await app.waitForLeader();
  // The leader and one other server on the minority side.
  const minority = [leader.id, (leader.id + 1) % 5];
  for (const id of minority) await app.page.locator(`[data-side-node="${id}"]`).check();
  await app.page.getByRole('button', { name: 'Split', exact: true }).click();
  const cuts = await cutLinks(app);
  assert.equal(cuts.length, 12, '2 x 3 x 2 directed links between the two sides');
  assert.ok(!cuts.includes(`${minority[0]}-${minority[1]}`), 'links inside a side stay up');
  assert.ok(cuts.every((c) => c.split('-').map(Number).filter((n) => minority.includes(n)).length === 1),
    'every cut link crosses the split');
  // The majority side elects a leader of a newer term; the old one leads a minority in vain.
  const fresh = await app.waitForLeader({ minTerm: leader.term, timeout: 60_000 });
  assert.ok(!minority.includes(fresh.id), `the new leader S${fresh.id + 1} is on the majority side`);

  await app.page.getByRole('button', { name: 'Heal all' }).click();
  assert.deepEqual(await cutLinks(app), []);

  await app.page.getByRole('combobox', { name: 'Link from' }).selectOption('2');
  await app.page.getByRole('combobox', { name: 'Link to' }).selectOption('4');
  await app.page.getByRole('button', { name: 'Cut link' }).click();
  assert.deepEqual(await cutLinks(app), ['2-4'], 'only S3 -> S5 is cut, not S5 -> S3');
  await app.page.getByRole('button', { name: 'Heal link' }).click();
  assert.deepEqual(await cutLinks(app), []);
  assert.deepEqual(app.errors(), []);
});

test('(n2) a server with one link cut is not offered "Rejoin" (it was never cut off): its menu offers to restore its links; an isolated one rejoins', async (app) => {
  const menuButtons = async (id) => {
    await app.page.locator(SEL.nodeById(id)).click();
    await app.page.locator(`[data-node-menu="${id}"]`).waitFor({ timeout: 5_000 });
    const list = (await app.page.locator(`[data-node-menu="${id}"] .actions button`).allTextContents()).map((t) => t.trim());
    await app.page.keyboard.press('Escape');
    return list;
  };
  await app.open('?algo=raft&nodes=5&seed=7');
  await app.waitForLeader();
  await app.pause();
  await app.page.getByRole('combobox', { name: 'Link from' }).selectOption('2');
  await app.page.getByRole('combobox', { name: 'Link to' }).selectOption('4');
  await app.page.getByRole('button', { name: 'Cut link' }).click();
  assert.deepEqual(await cutLinks(app), ['2-4']);
  for (const id of [2, 4]) {
    const list = await menuButtons(id);
    assert.ok(!list.includes('Rejoin') && !list.includes('Isolate'), `S${id + 1}: ${list}`);
    assert.ok(list.includes('Restore its links'), `S${id + 1}: ${list}`);
  }
  // Untouched servers can still be isolated.
  assert.ok((await menuButtons(0)).includes('Isolate'));
  // Restoring S5's links heals the cut one.
  await app.page.locator(SEL.nodeById(4)).click();
  await app.page.getByRole('button', { name: 'Restore its links', exact: true }).click();
  assert.deepEqual(await cutLinks(app), []);
  await app.page.keyboard.press('Escape');
  // Isolated: every link cut, so it rejoins (in Chinese too).
  await app.open('?algo=raft&nodes=5&seed=7&lang=zh');
  await app.waitForLeader();
  await app.page.locator(SEL.nodeById(1)).click();
  await app.page.getByRole('button', { name: '隔离', exact: true }).click();
  await app.page.keyboard.press('Escape');
  assert.equal((await cutLinks(app)).length, 8);
  assert.ok((await menuButtons(1)).includes('重新接入'));
  await app.page.getByRole('combobox', { name: '链路起点' }).selectOption('2');
  await app.page.getByRole('combobox', { name: '链路终点' }).selectOption('4');
  await app.page.getByRole('button', { name: '切断链路' }).click();
  assert.ok((await menuButtons(2)).includes('恢复它的链路'));
  assert.deepEqual(app.errors(), []);
});

test('(o) loss and latency change while running; a bad latency is explained', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  const loss = app.page.getByRole('slider', { name: 'Message loss' });
  await loss.evaluate((el) => {
    el.value = '30';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await app.page.locator('[data-loss="30"]').waitFor({ timeout: 5_000 });
  await app.page.getByText('30%', { exact: true }).waitFor({ timeout: 5_000 });
  const most = app.page.getByRole('spinbutton', { name: 'Most latency (ms)' });
  await most.fill('80');
  await most.press('Enter');
  await most.blur();
  await app.page.locator('[data-latency-max="80"]').waitFor({ timeout: 5_000 });
  const least = app.page.getByRole('spinbutton', { name: 'Least latency (ms)' });
  await least.fill('200');
  await least.blur();
  await app.page.locator('[data-notice]').getByText('cannot be more').waitFor({ timeout: 5_000 });
  assert.equal(await least.getAttribute('data-latency-min'), '10', 'the run keeps its latency');
  assert.deepEqual(app.errors(), []);
});

test('(p) the cluster size on the page starts a new run of that size', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  await app.page.getByRole('combobox', { name: 'Cluster size' }).selectOption('7');
  const s = await app.until('seven servers', (st) => st.nodes.length === 7 && st);
  assert.equal(s.app.nodes, '7');
  assert.ok(Number(s.app.virtualTime) < 2_000_000, 'a new run from the start');
  assert.match(app.page.url(), /nodes=7/);
  assert.match(app.page.url(), /seed=42/);
  await app.waitForLeader();
  assert.deepEqual(app.errors(), []);
});

test('(q) aligned timers split the vote; spread timers give one clean winner', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.pause();
  await app.page.getByRole('slider', { name: 'Speed' }).evaluate((el) => {
    el.value = '120';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await app.page.locator('body').press('a');
  await app.play();
  const split = await app.until('several candidates in one term', (s) => {
    const c = s.nodes.filter((n) => n.role === 'candidate');
    return c.length >= 2 && c.every((n) => n.term === c[0].term) && c;
  }, { timeout: 30_000, interval: 30 });
  assert.ok(split.length >= 2);
  await app.waitForLeader({ timeout: 60_000 });

  await app.open('?algo=raft&nodes=5&seed=42');
  await app.pause();
  await app.page.getByRole('button', { name: 'Spread timers' }).click();
  await app.play();
  const leader = await app.waitForLeader({ timeout: 60_000 });
  assert.equal(leader.term, 1, 'the first election succeeds: one server timed out first and won');
  assert.deepEqual(app.errors(), []);
});
