// Viewstamped Replication on the page (issue 12): view 0's primary from the start, a client
// request committed once f + 1 replicas hold it, a crashed primary replaced by a view change
// in a higher view, a restart that is a recovery (a VR replica keeps nothing on disk), the
// inspector and message fields under the paper's names, links, files and time travel.
// Each scenario's claims are played by (S1) in scenarios.test.js, which lists every protocol's.
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { browserSuite, SEL } from '../helpers/browser.js';

const test = browserSuite();

/** Each replica's VR state from its data-* attributes on the ring. */
const replicas = (app) =>
  app.page.$$eval('[data-node-id][data-role]:not([data-log-entry])', (els) =>
    els.map((e) => ({
      id: Number(e.dataset.nodeId),
      role: e.dataset.role,
      up: e.dataset.status === 'up',
      view: e.dataset.view === undefined ? null : Number(e.dataset.view),
      status: e.dataset.vrStatus ?? null,
      op: e.dataset.opNumber === undefined ? null : Number(e.dataset.opNumber),
      commit: e.dataset.commitNumber === undefined ? null : Number(e.dataset.commitNumber),
    })));

/** The replicas whose log holds op `n`. */
const holding = (app, n) =>
  app.page.$$eval(`[data-log-entry][data-index="${n}"]`, (els) => els.map((e) => Number(e.dataset.nodeId)));

const field = (app, name) => app.page.locator(`[data-inspector="node"] [data-field="${name}"]`).first();

test('(V1) ?algo=vr opens with S1 primary of view 0, the others backups, nothing on disk said', async (app) => {
  await app.open('?algo=vr&nodes=5&seed=42');
  const s = await app.state();
  assert.equal(s.app.algo, 'vr');
  assert.equal(s.app.leader, '0');
  const r = await replicas(app);
  assert.deepEqual(r.map((x) => x.role), ['primary', 'backup', 'backup', 'backup', 'backup']);
  assert.ok(r.every((x) => x.view === 0 && x.status === 'normal'));
  assert.equal(await app.page.locator('h1').textContent(), 'Quorum · VR');
  assert.match(await app.page.locator('body').textContent(), /a replica keeps nothing on disk; restarted, it recovers from the others/);
  // The protocol menu offers it, and ?algo=vr is what it links to.
  const options = await app.page.locator('select option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.includes('vr'), `the protocol menu lists vr: ${options}`);
  assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1);
  assert.deepEqual(app.errors(), []);
});

test('(V2) a client request is committed once f + 1 replicas hold it, then every replica executes it', async (app) => {
  await app.open('?algo=vr&nodes=5&seed=42');
  await app.page.locator('body').press('c');
  await app.page.locator('[data-committed-op]').first().waitFor({ timeout: 20_000 });
  await app.pause();
  assert.equal(await app.page.locator('[data-committed-op]').first().getAttribute('data-committed-op'), 'x←1');
  const holders = await holding(app, 1);
  assert.ok(holders.length >= 3, `f + 1 = 3 of 5 replicas hold op 1 when it is committed: ${holders}`);
  assert.ok(holders.includes(0), 'the primary among them');
  const primary = (await replicas(app)).find((x) => x.id === 0);
  assert.equal(primary.commit, 1);
  await app.play();
  await app.until('every replica knows op 1 committed', async () =>
    (await replicas(app)).every((x) => x.commit === 1), { timeout: 20_000 });
  const feed = await app.page.locator('.feed').textContent();
  assert.match(feed, /S1 assigned op-number 1 to x←1 and sent PREPARE/);
  assert.match(feed, /S1 committed op 1 \(x←1\): f \+ 1 replicas have it/);
  assert.deepEqual(app.errors(), []);
});

test('(V3) crashing the primary: a view change, and a new primary in a higher view that keeps op 1', async (app) => {
  await app.open('?algo=vr&nodes=5&seed=7');
  await app.page.locator('body').press('c');
  await app.page.locator('[data-committed-op]').first().waitFor({ timeout: 20_000 });
  await app.nodeAction(0, 'Crash');
  let sawViewChange = false;
  const s = await app.until('a new primary', async (st) => {
    const r = await replicas(app);
    if (r.some((x) => x.role === 'view-change')) sawViewChange = true;
    return st.app.leader !== '' && st.app.leader !== '0' && r;
  }, { timeout: 30_000, interval: 20 });
  const primary = s.find((x) => x.role === 'primary');
  assert.ok(primary.view >= 1, `a higher view: ${primary.view}`);
  assert.equal(primary.id, primary.view % 5, 'the primary of view v is replica v mod n');
  const feed = await app.page.locator('.feed').textContent();
  assert.ok(sawViewChange || /STARTVIEWCHANGE/.test(feed), 'the view change was on the ring or in the feed');
  assert.match(feed, new RegExp(`S${primary.id + 1} is primary of view ${primary.view}: it took S\\d's log`));
  assert.ok((await holding(app, 1)).includes(primary.id), 'the new primary holds the committed op 1');
  assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1);
  assert.deepEqual(app.errors(), []);
});

test('(V4) a crashed replica keeps nothing; restarted it recovers with a nonce and gets its log back', async (app) => {
  await app.open('?algo=vr&nodes=3&seed=5');
  await app.page.locator('body').press('c');
  await app.page.locator('[data-committed-op]').first().waitFor({ timeout: 20_000 });
  await app.nodeAction(2, 'Crash', { close: false });
  await app.page.locator('[data-node-menu]').getByText('nothing: everything it knew is gone').waitFor({ timeout: 5_000 });
  await app.page.keyboard.press('Escape');
  await app.page.locator('[data-node-menu]').waitFor({ state: 'detached', timeout: 5_000 });
  assert.ok(!(await holding(app, 1)).includes(2), 'its row is empty: nothing kept');
  await app.nodeAction(2, 'Restart');
  const back = await app.until('S3 recovered', async () => {
    const r = (await replicas(app)).find((x) => x.id === 2);
    return r.role === 'backup' && r;
  }, { timeout: 20_000 });
  assert.equal(back.op, 1);
  const feed = await app.page.locator('.feed').textContent();
  assert.match(feed, /S3 restarted with nothing \(a replica keeps nothing on disk\): it is recovering and sent RECOVERY with nonce \d+/);
  assert.match(feed, /S3 recovered: f \+ 1 answers carried its nonce/);
  assert.ok((await holding(app, 1)).includes(2));
  assert.deepEqual(app.errors(), []);
});

test('(V5) the inspector names every section-4 variable; a message shows the paper\'s fields', async (app) => {
  await app.open('?algo=vr&nodes=3&seed=42');
  await app.page.locator('body').press('c');
  await app.page.locator('[data-committed-op]').first().waitFor({ timeout: 20_000 });
  await app.pause();
  await app.page.locator(SEL.nodeById(0)).click();
  await app.page.locator('[data-inspector="node"]').waitFor({ timeout: 5_000 });
  for (const name of ['configuration', 'replica number', 'view-number', 'status', 'op-number', 'log', 'commit-number', 'client-table', 'v′']) {
    assert.equal(await app.page.locator(`[data-inspector="node"] [data-field="${name}"]`).count(), 1, `field ${name}`);
  }
  assert.equal(await field(app, 'view-number').textContent(), '0');
  assert.equal(await field(app, 'status').textContent(), 'normal');
  assert.match(await field(app, 'log').textContent(), /1: x←1/);
  assert.match(await field(app, 'client-table').textContent(), /client 1: request-number 1/);
  await app.page.keyboard.press('Escape');
  // A PREPARE in flight: v, m, n, k.
  await app.page.locator('body').press('c');
  const msg = await app.until('a PREPARE in flight', (s) => s.messages.find((m) => m.kind === 'Prepare'), { timeout: 20_000, interval: 10 });
  await app.pause();
  await app.page.keyboard.press('Escape');
  await app.page.locator(SEL.msgById(msg.id)).click();
  const panel = app.page.locator(`[data-inspector="message"][data-msg-panel="${msg.id}"]`);
  await panel.waitFor({ timeout: 5_000 });
  for (const name of ['v', 'm', 'n', 'k']) {
    assert.equal(await panel.locator(`[data-field="${name}"]`).count(), 1, `PREPARE field ${name}`);
  }
  assert.equal(await panel.locator('[data-field="type"]').textContent(), 'PREPARE');
  assert.equal(await panel.locator('[data-field="n"]').textContent(), '2');
  assert.deepEqual(app.errors(), []);
});

test('(V6) a link and a run file reopen a VR run at the same moment with the same trace hash; time travel', async (app) => {
  await app.open('?algo=vr&nodes=5&seed=11');
  await app.page.locator('body').press('c');
  await app.page.locator('[data-committed-op]').first().waitFor({ timeout: 20_000 });
  await app.nodeAction(0, 'Crash');
  await app.until('a new primary', (s) => s.app.leader !== '' && s.app.leader !== '0', { timeout: 30_000 });
  await app.pause();
  // Time travel: back five events and forward again is the same moment.
  const now = await app.state();
  for (let i = 0; i < 5; i++) await app.page.locator('body').press('ArrowLeft');
  const past = await app.state();
  assert.equal(past.app.inPast, 'true');
  assert.equal(Number(past.app.events), Number(now.app.events) - 5);
  for (let i = 0; i < 5; i++) await app.page.locator('body').press('ArrowRight');
  const again = await app.state();
  assert.equal(again.app.traceHash, now.app.traceHash);
  for (let i = 0; i < 3; i++) await app.page.locator('body').press('ArrowLeft');
  const before = await app.state();
  // The link.
  await app.page.getByRole('button', { name: 'Copy link' }).click();
  const link = await app.page.locator('[data-share-link]').getAttribute('data-share-link');
  assert.match(link, /\?algo=vr&run=1\./);
  // The file, exported before leaving the page.
  const [download] = await Promise.all([
    app.page.waitForEvent('download'),
    app.page.getByRole('button', { name: 'Export' }).click(),
  ]);
  const name = download.suggestedFilename();
  assert.equal(name, 'quorum-vr-seed11.json');
  const json = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(JSON.parse(json).protocol, 'vr');
  await app.page.goto(link, { waitUntil: 'load' });
  const shared = await app.until('the shared run', (s) => s.app && s.app.traceHash === before.app.traceHash && s);
  assert.equal(shared.app.virtualTime, before.app.virtualTime);
  assert.deepEqual(shared.nodes, before.nodes);
  assert.deepEqual(shared.log, before.log);
  await app.open('?algo=raft&seed=3');
  await Promise.all([
    app.page.waitForURL(/algo=vr&run=1\./, { waitUntil: 'load' }),
    app.page.locator('[data-import-input]').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(json) }),
  ]);
  const imported = await app.until('the imported run', (s) => s.app && s.app.algo === 'vr' && s.app.traceHash === before.app.traceHash && s);
  assert.deepEqual(imported.nodes, before.nodes);
  assert.deepEqual(app.errors(), []);
});

test('(V7) section 5.2 taken literally: the checker reports the lost operation, in Chinese too', async (app) => {
  await app.open('?scenario=vr-literal-state-transfer&lang=zh');
  const n = await app.narration();
  assert.equal(n.scenarioBreaks, 'A committed operation is in every later primary\'s log');
  await app.page.locator(`[data-step-dot="${Number(n.steps) - 1}"]`).click();
  await app.untilStep(Number(n.steps) - 1);
  const alert = app.page.locator('[data-safety="violated"]');
  await alert.waitFor({ timeout: 10_000 });
  assert.match(await alert.textContent(), /在 .* 违反了性质“已提交的操作出现在此后每个主副本的日志中”：S3 成为视图 2 的主副本，但其日志中没有已提交的操作 1（x\+=1）/);
  assert.deepEqual(app.errors(), []);
});
