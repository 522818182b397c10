import assert from 'node:assert/strict';
import path from 'node:path';

import { browserSuite, ROOT, sleep } from '../helpers/browser.js';

const test = browserSuite({ viewport: { width: 1280, height: 800 } });

test('(i) screenshot of the running page with a leader and a committed request', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const leader = await app.waitForLeader();
  await app.nodeAction(leader.id, 'Client request');
  await app.until('a committed log entry on a majority', (s) => {
    const byIndex = new Map();
    for (const e of s.log) if (e.committed) byIndex.set(e.index, (byIndex.get(e.index) ?? 0) + 1);
    return [...byIndex.values()].some((c) => c >= 3);
  }, { timeout: 45_000 });
  // Close the node menu if it is still open, and let a few frames render.
  await app.page.keyboard.press('Escape');
  await sleep(300);
  const file = await app.screenshot(path.join(ROOT, 'docs', 'screenshot.png'));
  const size = app.page.viewportSize();
  assert.deepEqual(size, { width: 1280, height: 800 });
  assert.ok(file.endsWith('screenshot.png'));
  assert.deepEqual(app.errors(), []);
});
