import assert from 'node:assert/strict';

import { browserSuite, SEL, sleep } from '../helpers/browser.js';

const test = browserSuite();

test('(b) a leader appears', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const leader = await app.waitForLeader();
  assert.ok(leader.term >= 1, `the leader's term is at least 1 (got ${leader.term})`);
  assert.deepEqual(app.errors(), []);
});

test('(c) crashing the leader gives a new leader in a higher term', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const old = await app.waitForLeader();
  await app.nodeAction(old.id, 'Crash');
  await app.until(`S${old.id + 1} to show data-status=crashed`, (s) =>
    s.nodes.find((n) => n.id === old.id && n.status === 'crashed'),
  );
  const fresh = await app.waitForLeader({ minTerm: old.term, timeout: 45_000 });
  assert.notEqual(fresh.id, old.id, 'the new leader is another node');
  assert.ok(fresh.term > old.term, `new term ${fresh.term} > old term ${old.term}`);
  // The crashed node offers "Restart" now.
  await app.page.locator(SEL.nodeById(old.id)).click();
  await app.page.getByRole('button', { name: 'Restart', exact: true }).waitFor({ timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});

test('(d) a client request becomes a log entry committed on a majority', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const leader = await app.waitForLeader();
  const before = await app.state();
  const maxBefore = Math.max(0, ...before.log.map((e) => e.index));
  await app.nodeAction(leader.id, 'Client request');
  const majority = 3;
  const committed = await app.until(
    `an entry with index > ${maxBefore} committed on >= ${majority} nodes`,
    (s) => {
      const counts = new Map();
      for (const e of s.log) {
        if (e.index > maxBefore && e.committed) counts.set(e.index, (counts.get(e.index) ?? new Set()).add(e.node));
      }
      for (const [index, nodes] of counts) if (nodes.size >= majority) return { index, nodes: [...nodes] };
      return null;
    },
    { timeout: 45_000 },
  );
  assert.ok(committed.nodes.length >= majority);
  assert.deepEqual(app.errors(), []);
});

test('(e) clicking a message and "Drop" removes it and it never arrives', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  // Pause with at least one message in flight (heartbeats keep coming).
  let msg = null;
  for (let attempt = 0; attempt < 50 && !msg; attempt++) {
    await app.until('a message in flight', (s) => s.messages.length > 0, { timeout: 20_000, interval: 20 });
    await app.pause();
    msg = (await app.state()).messages[0] ?? null;
    if (!msg) {
      await app.play();
      await sleep(50);
    }
  }
  assert.ok(msg, 'caught a message in flight while paused');
  const vt = (await app.state()).app.virtualTime;
  await app.page.locator(SEL.msgById(msg.id)).click();
  await app.page.getByRole('button', { name: 'Drop', exact: true }).click();
  const s = await app.until(`message ${msg.id} to disappear`, (st) => !st.messages.some((m) => m.id === msg.id) && st, {
    timeout: 5_000,
  });
  assert.equal(s.app.playing, 'false', 'still paused');
  assert.equal(s.app.virtualTime, vt, 'dropping does not advance virtual time');
  // Watch the DOM while it runs again: the dropped message must never show up again.
  await app.page.evaluate((id) => {
    window.__droppedSeen = false;
    const check = () => {
      if (document.querySelector(`[data-msg-id="${CSS.escape(id)}"]`)) window.__droppedSeen = true;
    };
    window.__droppedObserver = new MutationObserver(check);
    window.__droppedObserver.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-msg-id'] });
  }, msg.id);
  await app.play();
  await sleep(2_000);
  const seen = await app.page.evaluate(() => {
    window.__droppedObserver.disconnect();
    return window.__droppedSeen;
  });
  assert.equal(seen, false, `dropped message ${msg.id} (${msg.kind} S${msg.from + 1}->S${msg.to + 1}) showed up again`);
  assert.deepEqual(app.errors(), []);
});

test('(e2) a message can be clicked while the run plays: the ring finds it under the pointer', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  // The slowest speed, so the message barely moves between finding it and clicking it.
  await app.page.getByRole('slider', { name: 'Speed' }).fill('0');
  let msg = null;
  let box = null;
  for (let attempt = 0; attempt < 50 && !msg; attempt++) {
    await app.pause();
    msg = (await app.state()).messages[0] ?? null;
    if (!msg) {
      await app.page.locator('body').press('ArrowRight');
      continue;
    }
    box = await app.page.locator(SEL.msgById(msg.id)).boundingBox();
  }
  assert.ok(msg && box, 'a message in flight');
  await app.play();
  // While it plays the message's own element keeps still and lets the click through.
  assert.equal(await app.page.locator(SEL.msgById(msg.id)).evaluate((el) => getComputedStyle(el).pointerEvents), 'none');
  await app.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await app.page.locator(`[data-inspector="message"][data-msg-panel="${msg.id}"]`).waitFor({ timeout: 5_000 });
  // Selecting it holds the run still while its inspector is open (issue 11).
  assert.equal((await app.state()).app.playing, 'false', 'paused while the inspector is open');
  await app.page.locator(`[data-msg-panel="${msg.id}"] [data-held]`).waitFor({ timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});
