// Zab on the page (issue 12): every server starts LOOKING, Fast Leader Election picks the one
// with the latest history, discovery and synchronization establish it, and a client request is
// proposed, acknowledged by a quorum and delivered by every server; the inspector and message
// fields under the paper's names; a crash keeps what the paper puts on stable storage; each
// scenario's claims; a duplicate or delay meets Zab's numbered FIFO connections, as the page says.
import assert from 'node:assert/strict';

import { browserSuite, SEL } from '../helpers/browser.js';

const test = browserSuite();

/** Each server's Zab state from its data-* attributes on the ring. */
const servers = (app) =>
  app.page.$$eval('[data-node-id][data-role]:not([data-log-entry])', (els) =>
    els.map((e) => ({
      id: Number(e.dataset.nodeId),
      role: e.dataset.role,
      up: e.dataset.status === 'up',
      state: e.dataset.zabState ?? null,
      phase: e.dataset.zabPhase ?? null,
      accepted: Number(e.dataset.acceptedEpoch),
      current: Number(e.dataset.currentEpoch),
      history: Number(e.dataset.historyLen),
      delivered: e.dataset.delivered === undefined ? null : Number(e.dataset.delivered),
    })));

/** The servers whose history table row holds zxid `z` (written ⟨e, c⟩). */
const holding = (app, z) =>
  app.page.$$eval(`[data-history-entry][data-zxid="${z}"]`, (els) => els.map((e) => Number(e.dataset.nodeId)));

const field = (app, name) => app.page.locator(`[data-inspector="node"] [data-field="${name}"]`).first();

/** Plays until one leader is established and every server is in broadcast. */
async function settled(app) {
  return app.until('an established leader, every server in broadcast', async (s) => {
    const all = await servers(app);
    return s.app.leader !== '' && all.every((x) => !x.up || x.phase === 'broadcast') && { leader: Number(s.app.leader), all };
  }, { timeout: 30_000 });
}

test('(Z1) ?algo=zab and the protocol menu open Zab: one server LEADING in broadcast, the others FOLLOWING it in its epoch', async (app) => {
  await app.open('?algo=raft&seed=42');
  await app.page.locator('[data-algo-picker]').selectOption('zab');
  await app.until('the Zab page', (s) => s.app && s.app.algo === 'zab', { timeout: 20_000 });
  assert.match(app.page.url(), /algo=zab/);
  await app.open('?algo=zab&nodes=5&seed=42');
  const s = await app.state();
  assert.equal(s.app.algo, 'zab');
  assert.equal(await app.page.locator('h1').textContent(), 'Quorum · Zab');
  const { leader, all } = await settled(app);
  assert.equal(all.filter((x) => x.state === 'LEADING').length, 1);
  assert.equal(all.find((x) => x.id === leader).role, 'leading');
  assert.ok(all.filter((x) => x.id !== leader).every((x) => x.state === 'FOLLOWING' && x.current === all[leader].current));
  assert.match(await app.page.locator('body').textContent(), /acceptedEpoch, currentEpoch and the history stay on stable storage/);
  assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1);
  assert.deepEqual(app.errors(), []);
});

test('(Z2) after the election a request is proposed, ACKed by a quorum and delivered by every server', async (app) => {
  await app.open('?algo=zab&nodes=5&seed=42');
  const { leader, all } = await settled(app);
  const epoch = all[leader].current;
  await app.page.locator('body').press('c');
  await app.page.locator('[data-delivered-op]').first().waitFor({ timeout: 20_000 });
  const z = `⟨${epoch}, 1⟩`;
  assert.equal(await app.page.locator('[data-delivered-op]').first().getAttribute('data-zxid'), z);
  await app.until('every server delivered it', async () => (await servers(app)).every((x) => x.delivered === 1), { timeout: 20_000 });
  assert.deepEqual((await holding(app, z)).sort(), [0, 1, 2, 3, 4]);
  const feed = await app.page.locator('.feed').textContent();
  assert.match(feed, new RegExp(`S${leader + 1} is the established leader of epoch ${epoch}`));
  assert.match(feed, new RegExp(`S${leader + 1} proposed x←1 as ⟨${epoch}, 1⟩ \\(PROPOSE\\)`));
  assert.match(feed, new RegExp(`S${leader + 1} committed and delivered ⟨${epoch}, 1⟩ \\(x←1\\): a quorum ACKed it`));
  assert.deepEqual(app.errors(), []);
});

test('(Z3) the inspector shows the paper\'s variables; a PROPOSE shows v, z and its connection', async (app) => {
  await app.open('?algo=zab&nodes=3&seed=42');
  const { leader } = await settled(app);
  await app.page.locator('body').press('c');
  await app.page.locator('[data-delivered-op]').first().waitFor({ timeout: 20_000 });
  await app.pause();
  await app.page.locator(SEL.nodeById(leader)).click();
  await app.page.locator('[data-inspector="node"]').waitFor({ timeout: 5_000 });
  for (const name of ['acceptedEpoch', 'currentEpoch', 'history', 'state', 'phase', 'last committed zxid', 'round', 'vote']) {
    assert.equal(await app.page.locator(`[data-inspector="node"] [data-field="${name}"]`).count(), 1, `field ${name}`);
  }
  assert.equal(await field(app, 'state').textContent(), 'LEADING');
  assert.equal(await field(app, 'phase').textContent(), '3 (broadcast)');
  assert.match(await field(app, 'history').textContent(), /⟨\d+, 1⟩ x←1/);
  assert.match(await field(app, 'last committed zxid').textContent(), /⟨\d+, 1⟩/);
  await app.page.keyboard.press('Escape');
  await app.page.locator('body').press('c');
  const msg = await app.until('a PROPOSE in flight', (s) => s.messages.find((m) => m.kind === 'PROPOSE'), { timeout: 20_000, interval: 10 });
  await app.pause();
  await app.page.keyboard.press('Escape');
  await app.page.locator(SEL.msgById(msg.id)).click();
  const panel = app.page.locator(`[data-inspector="message"][data-msg-panel="${msg.id}"]`);
  await panel.waitFor({ timeout: 5_000 });
  for (const name of ['v', 'z', 'connection']) {
    assert.equal(await panel.locator(`[data-field="${name}"]`).count(), 1, `PROPOSE field ${name}`);
  }
  assert.equal(await panel.locator('[data-field="type"]').textContent(), 'PROPOSE');
  assert.match(await panel.locator('[data-field="z"]').textContent(), /⟨\d+, 2⟩/);
  assert.deepEqual(app.errors(), []);
});

test('(Z4) a crashed follower keeps acceptedEpoch, currentEpoch and its history; restarted it is synchronized again', async (app) => {
  await app.open('?algo=zab&nodes=3&seed=5');
  const { leader, all } = await settled(app);
  await app.page.locator('body').press('c');
  await app.page.locator('[data-delivered-op]').first().waitFor({ timeout: 20_000 });
  await app.until('every server delivered it', async () => (await servers(app)).every((x) => x.delivered === 1), { timeout: 20_000 });
  const f = (leader + 1) % 3;
  const z = `⟨${all[leader].current}, 1⟩`;
  await app.nodeAction(f, 'Crash', { close: false });
  await app.page.locator('[data-node-menu]').getByText(/f\.p \d+, f\.a \d+, a history of 1/).waitFor({ timeout: 5_000 });
  await app.page.keyboard.press('Escape');
  await app.page.locator('[data-node-menu]').waitFor({ state: 'detached', timeout: 5_000 });
  const down = (await servers(app)).find((x) => x.id === f);
  assert.ok(!down.up && down.current === all[f].current && down.history === 1, JSON.stringify(down));
  assert.ok((await holding(app, z)).includes(f), 'its row keeps the history: it is on stable storage');
  await app.nodeAction(f, 'Restart');
  const back = await app.until('it follows and delivered again', async () => {
    const x = (await servers(app)).find((y) => y.id === f);
    return x.state === 'FOLLOWING' && x.phase === 'broadcast' && x.delivered === 1 && x;
  }, { timeout: 20_000 });
  assert.equal(back.history, 1);
  const feed = await app.page.locator('.feed').textContent();
  assert.match(feed, new RegExp(`S${f + 1} restarted with what it kept on stable storage`));
  assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1);
  assert.deepEqual(app.errors(), []);
});

test('(Z5) each Zab scenario plays its steps with every claim holding', async (app) => {
  for (const name of ['zab-leader-crash-in-sync', 'zab-stale-epoch-rejoin', 'zab-primary-order']) {
    await app.open(`?scenario=${name}&lang=en`);
    let n = await app.narration();
    assert.equal(n.scenario, name);
    const steps = Number(n.steps);
    assert.ok(steps >= 3, `${name} has steps`);
    for (let step = 0; step < steps; step++) {
      if (step > 0) {
        await app.page.locator('body').press('PageDown');
        n = await app.untilStep(step);
      }
      assert.deepEqual(await app.page.locator('[data-claim-ok="false"]').allTextContents(), [], `${name} step ${step + 1}`);
      assert.equal(n.claimsMet, 'true', `${name} step ${step + 1}`);
    }
    assert.equal(await app.page.locator('[data-table="zab-history"]').count(), 1);
    assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1, `${name}: safety holds`);
  }
  assert.deepEqual(app.errors(), []);
});

test('(Z6) a duplicated or delayed message meets a numbered FIFO connection: taken once, in order, as the page says', async (app) => {
  await app.open('?algo=zab&nodes=3&seed=42');
  await settled(app);
  for (const act of ['Duplicate', 'Delay']) {
    await app.page.locator('body').press('c');
    const msg = await app.until('a PROPOSE in flight', (s) => s.messages.find((m) => m.kind === 'PROPOSE'), { timeout: 20_000, interval: 10 });
    await app.pause();
    await app.page.locator(SEL.msgById(msg.id)).click();
    const panel = app.page.locator(`[data-inspector="message"][data-msg-panel="${msg.id}"]`);
    await panel.waitFor({ timeout: 5_000 });
    assert.match(await panel.locator('[data-channel-note]').textContent(), /a duplicate is discarded by its number, a message that overtakes an earlier one waits for it/);
    if (act === 'Delay') await panel.locator('select').selectOption('200');
    await panel.getByRole('button', { name: act, exact: true }).click();
    await app.page.keyboard.press('Escape');
    await app.play();
    const want = act === 'Duplicate' ? 1 : 2;
    await app.until(`every server delivered ${want} after the ${act}`, async () =>
      (await servers(app)).every((x) => x.delivered === want), { timeout: 20_000 });
  }
  // Each delivered exactly once and in zxid order: the checker's integrity and total order hold.
  await app.page.waitForTimeout(500);
  assert.ok((await servers(app)).every((x) => x.delivered === 2 && x.state !== 'LOOKING'));
  assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1);
  const feed = await app.page.locator('.feed').textContent();
  assert.match(feed, /was duplicated/);
  assert.deepEqual(app.errors(), []);
});
