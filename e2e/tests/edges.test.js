// The last rough edges of issue 11: on a 390×844 phone every protocol's servers are large
// enough to tap and read (44 px, the platform guideline) with their labels kept; the log
// matrix's key says what commitIndex, N and M mean in words a beginner reads; VR's faults
// panel says replicas, as the paper does, where Raft's and Paxos's say servers.
import assert from 'node:assert/strict';

import { browserSuite } from '../helpers/browser.js';
import { inside, ringLayout } from '../helpers/layout.js';

const test = browserSuite();
const phone = browserSuite({ viewport: { width: 390, height: 844 }, touch: true, deviceScaleFactor: 3 });

/** A finger's tap target, CSS pixels (Apple's and Google's guidelines: 44 and 48 dp). */
const TAP_PX = 44;

phone('(E1) on a 390×844 phone every protocol\'s servers are at least 44px across, labels at least 10px and inside the ring', async (app) => {
  for (const query of ['?algo=raft&seed=1', '?algo=paxos&seed=2', '?algo=paxos&seed=2&lang=zh', '?algo=multipaxos&seed=2', '?algo=vr&seed=1', '?algo=raft&nodes=7&seed=1', '?scenario=raft-figure-8']) {
    await app.open(query);
    await app.page.waitForTimeout(600);
    const l = await app.page.evaluate(ringLayout);
    assert.ok(l.nodes.length >= 3, `${query}: servers drawn`);
    for (const [i, body] of l.nodes.entries()) {
      assert.ok(Math.min(body.width, body.height) >= TAP_PX - 0.5, `${query}: S${i + 1} is ${body.width.toFixed(1)}×${body.height.toFixed(1)}px`);
    }
    for (const label of l.labels) {
      assert.ok(label.name.height >= 10 && label.role.height >= 10, `${query}: "${label.text}" readable`);
      assert.ok(inside(label.box, l.drawn), `${query}: "${label.text}" inside the ring`);
    }
    // No server over another.
    l.nodes.forEach((a, i) => l.nodes.forEach((b, j) => {
      if (j <= i) return;
      const apart = Math.min(a.right, b.right) - Math.max(a.left, b.left) <= 1 || Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) <= 1;
      assert.ok(apart, `${query}: S${i + 1} over S${j + 1}`);
    }));
  }
  assert.deepEqual(app.errors(), []);
});

test('(E2) a laptop\'s ring is drawn as before: servers at their usual size at 1280×800', async (app) => {
  await app.open('?algo=raft&seed=1');
  await app.page.waitForTimeout(400);
  const l = await app.page.evaluate(ringLayout);
  const scale = l.drawn.width / 600;
  for (const body of l.nodes) assert.ok(Math.abs(body.width - 64 * scale) < 2 + 4 * scale, `a server ${body.width.toFixed(1)}px across, ${(64 * scale).toFixed(1)} expected`);
  assert.deepEqual(app.errors(), []);
});

test('(E3) the log matrix\'s key says what commitIndex, N and M mean, in both languages', async (app) => {
  for (const [lang, words] of [
    ['en', { commit: /committed/, next: /send this server next/, match: /last entry the leader knows this server has/ }],
    ['zh', { commit: /已提交/, next: /下一个要发给这台服务器/, match: /确认这台服务器与自己一致/ }],
  ]) {
    await app.open(`?algo=raft&seed=1&lang=${lang}`);
    for (const [mark, re] of Object.entries(words)) {
      const text = await app.page.locator(`[data-table="logs"] [data-legend-mark="${mark}"]`).textContent();
      assert.match(text, re, `${lang}: ${mark}`);
    }
  }
  assert.deepEqual(app.errors(), []);
});

test('(E4) the faults panel and the status line name the protocol\'s nodes: replicas on the VR page, servers on Raft\'s', async (app) => {
  for (const [query, re, not] of [
    ['?algo=vr&seed=1', /^5 replicas$/, /server/],
    ['?algo=vr&seed=1&lang=zh', /^5 个副本$/, /服务器/],
    ['?algo=raft&seed=1', /^5 servers$/, /replica/],
    ['?algo=raft&seed=1&lang=zh', /^5 台服务器$/, /副本/],
  ]) {
    await app.open(query);
    const faults = app.page.locator('[data-faults]');
    const size = await faults.locator('select option[selected], select option:checked').first().textContent();
    assert.match(size.trim(), re, `${query}: the cluster size`);
    assert.doesNotMatch(await faults.textContent(), not, `${query}: the panel's words`);
    assert.doesNotMatch(await app.page.locator('footer.status').textContent(), not, `${query}: the status line's words`);
  }
  assert.deepEqual(app.errors(), []);
});
