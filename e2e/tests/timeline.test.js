// Time travel (issue 3): the timeline slider, stepping one event either way, and forking
// the run by acting in the past. "Exactly as it was" is checked against the host: the
// page's trace hash at a moment equals the native core's for the same seed and moment.
import assert from 'node:assert/strict';

import { browserSuite, SEL } from '../helpers/browser.js';
import { hostTraceHash } from '../helpers/host.js';

const test = browserSuite();

const timeline = (app) => app.page.getByRole('slider', { name: 'Timeline' });

/** Move the timeline slider the way a drag does: set its value and fire `input`. */
async function dragTimelineTo(app, ms) {
  await timeline(app).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
}

test('(j) dragging the timeline back shows the run exactly as it was, and "Back to live" returns', async (app, t) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  await app.until('virtual time past 0.8 s', (s) => Number(s.app.virtualTime) > 800_000, { timeout: 60_000 });
  await app.pause();
  const live = await app.state();
  assert.equal(live.app.inPast, 'false');

  await dragTimelineTo(app, 500);
  const past = await app.until('the page to show 500 ms', (s) => s.app.virtualTime === '500000' && s);
  assert.equal(past.app.inPast, 'true', 'data-in-past');
  assert.equal(past.app.endTime, live.app.endTime, 'seeking does not move the end of the run');
  await app.page.getByText('Viewing the past').waitFor({ timeout: 5_000 });
  const host = await hostTraceHash({ nodes: 5, seed: 42, until: 500_000 });
  t.diagnostic(`500 ms: page ${past.app.traceHash}, host ${host}`);
  assert.equal(past.app.traceHash, host, 'the page at 500 ms equals a fresh native run to 500 ms');

  // Keying it: Home goes to the start of the run, where every server is a follower in term 0.
  await timeline(app).focus();
  await timeline(app).press('Home');
  const start = await app.until('the start of the run', (s) => s.app.virtualTime === '0' && s);
  assert.ok(start.nodes.every((n) => n.role === 'follower' && n.term === 0), 'all followers in term 0 at t=0');
  assert.equal(start.messages.length, 0, 'no message in flight at t=0');

  await app.page.getByRole('button', { name: 'Back to live' }).click();
  const back = await app.until('the end of the run again', (s) => s.app.inPast === 'false' && s);
  assert.equal(back.app.traceHash, live.app.traceHash);
  assert.equal(back.app.virtualTime, live.app.virtualTime);
  assert.deepEqual(back.nodes, live.nodes);
  assert.deepEqual(back.messages, live.messages, 'the same messages in flight');
  assert.deepEqual(app.errors(), []);
});

test('(k) step one event forward and one back, by button and by arrow key', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  await app.pause();
  const s0 = await app.state();
  const events = (s) => Number(s.app.events);
  await app.page.getByRole('button', { name: 'Step', exact: true }).click();
  const s1 = await app.until('one more event', (s) => events(s) === events(s0) + 1 && s);
  assert.notEqual(s1.app.traceHash, s0.app.traceHash);
  await app.page.locator('body').press('ArrowRight');
  await app.until('a second event', (s) => events(s) === events(s0) + 2);
  await app.page.locator('body').press('ArrowLeft');
  const back1 = await app.until('one event back', (s) => events(s) === events(s0) + 1 && s);
  assert.equal(back1.app.traceHash, s1.app.traceHash, 'back to exactly the state after the first step');
  assert.equal(back1.app.inPast, 'true');
  await app.page.getByRole('button', { name: 'Step back' }).click();
  const back0 = await app.until('two events back', (s) => events(s) === events(s0) && s);
  assert.equal(back0.app.traceHash, s0.app.traceHash);
  assert.deepEqual(back0.nodes, s0.nodes);
  assert.deepEqual(back0.messages, s0.messages);
  assert.deepEqual(app.errors(), []);
});

test('(l) acting in the past forks the run there', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const leader = await app.waitForLeader();
  await app.until('virtual time past 1 s', (s) => Number(s.app.virtualTime) > 1_000_000, { timeout: 60_000 });
  await app.pause();
  const end = Number((await app.state()).app.endTime);
  await dragTimelineTo(app, 900);
  await app.until('the past at 900 ms', (s) => s.app.virtualTime === '900000' && s.app.inPast === 'true');
  const here = await app.state();
  const node = here.nodes.find((n) => n.status === 'up' && n.id !== leader.id) ?? here.nodes[0];
  await app.nodeAction(node.id, 'Crash');
  const forked = await app.until('the fork', (s) => s.app.inPast === 'false' && s);
  assert.equal(forked.app.endTime, '900000', `the old future (to ${end} us) is discarded`);
  assert.equal(forked.nodes.find((n) => n.id === node.id).status, 'crashed');
  await app.page.getByText('Viewing the past').waitFor({ state: 'detached', timeout: 5_000 });
  await app.play();
  await app.until('the new future to run', (s) => Number(s.app.virtualTime) > 950_000, { timeout: 30_000 });
  assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1, 'safety still holds');
  assert.deepEqual(app.errors(), []);
});
