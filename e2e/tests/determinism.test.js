import assert from 'node:assert/strict';

import { browserSuite, sleep } from '../helpers/browser.js';
import { hostTraceHash } from '../helpers/host.js';

const test = browserSuite();

test('(f) the trace hash for a seed equals the host\'s', async (app, t) => {
  await app.open('?seed=42&nodes=5');
  await sleep(2_000);
  // Make sure the compared trace covers an election, not just the first timers.
  await app.waitForLeader();
  await app.pause();
  const s = await app.state();
  assert.equal(s.app.seed, '42');
  assert.equal(s.app.nodes, '5');
  const until = Number(s.app.virtualTime);
  assert.ok(until > 0, `virtual time advanced (data-virtual-time=${s.app.virtualTime})`);
  const browserHash = s.app.traceHash.toLowerCase();
  // The page must not change while we ask the host.
  const host = await hostTraceHash({ nodes: 5, seed: 42, until });
  const again = await app.state();
  assert.equal(again.app.virtualTime, s.app.virtualTime, 'virtual time did not move while paused');
  t.diagnostic(`virtual time ${until} us: browser ${browserHash}, host ${host}`);
  assert.equal(browserHash, host, `trace hash at virtual time ${until}: browser ${browserHash}, host ${host}`);
  assert.deepEqual(app.errors(), []);
}, { timeout: 20 * 60_000 });
