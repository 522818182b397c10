// Keyboard, accessibility and screens (issue 3): RaftScope's keys (Space, ., C, R, B, T, A, ?)
// accessible names for every control, text labels for nodes and messages, and a
// 360-pixel phone where a tap selects.
import assert from 'node:assert/strict';

import { browserSuite, SEL, sleep } from '../helpers/browser.js';

const test = browserSuite();
const phone = browserSuite({ viewport: { width: 360, height: 740 }, touch: true });

test('(r) ".", C, R, B, 1-9 and ? do what the help says', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const leader = await app.waitForLeader();
  const body = app.page.locator('body');

  await body.press('.');
  await app.until('"." to pause', (s) => s.app.playing === 'false', { timeout: 5_000 });
  await body.press('.');
  await app.until('"." to play', (s) => s.app.playing === 'true', { timeout: 5_000 });

  const before = (await app.state()).log.filter((e) => e.node === leader.id).length;
  await body.press('c');
  await app.until('C to add an entry to the leader\'s log', (s) =>
    s.log.filter((e) => e.node === leader.id).length > before, { timeout: 10_000 });

  await body.press('r');
  await app.until(`R to restart S${leader.id + 1} as a follower`, (s) => {
    const n = s.nodes.find((x) => x.id === leader.id);
    return n.status === 'up' && n.role !== 'leader';
  }, { timeout: 10_000 });
  await app.waitForLeader({ minTerm: leader.term, timeout: 60_000 });

  // B brings back every crashed server.
  const fresh = await app.waitForLeader();
  await app.nodeAction((fresh.id + 1) % 5, 'Crash');
  await app.page.keyboard.press('Escape');
  await app.nodeAction((fresh.id + 2) % 5, 'Crash');
  await app.page.keyboard.press('Escape');
  await app.until('two servers crashed', (s) => s.nodes.filter((n) => n.status === 'crashed').length === 2);
  await body.press('b');
  await app.until('B to restart them all', (s) => s.nodes.every((n) => n.status === 'up'), { timeout: 5_000 });

  await body.press('3');
  await app.page.locator('[data-node-menu="2"]').waitFor({ timeout: 5_000 });
  await app.page.keyboard.press('Escape');
  await app.page.locator('[data-node-menu]').waitFor({ state: 'detached', timeout: 5_000 });

  await body.press('?');
  const help = app.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor({ timeout: 5_000 });
  for (const key of ['Space or .', 'C', 'R', 'B', 'T', 'A', '1 – 9']) {
    await help.getByText(key, { exact: true }).waitFor({ timeout: 2_000 });
  }
  await body.press('?');
  await help.waitFor({ state: 'detached', timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});

test('(s) every control has an accessible name; servers and messages have text labels', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  await app.until('a message in flight', (s) => s.messages.length > 0, { interval: 20 });
  await app.pause();
  const unnamed = await app.page.evaluate(() => {
    const name = (el) => {
      const aria = el.getAttribute('aria-label');
      if (aria && aria.trim()) return aria.trim();
      const by = el.getAttribute('aria-labelledby');
      if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
      if (el.labels && el.labels.length) return [...el.labels].map((l) => l.textContent).join(' ').trim();
      return (el.textContent ?? '').trim() || (el.getAttribute('title') ?? '').trim();
    };
    const controls = document.querySelectorAll('button, input, select, a[href], [role=button], [role=slider], [tabindex="0"]');
    return [...controls].filter((el) => !name(el)).map((el) => el.outerHTML.slice(0, 120));
  });
  assert.deepEqual(unnamed, [], 'controls without an accessible name');
  const labels = await app.page.$$eval(`${SEL.node}, ${SEL.msg}`, (els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  assert.ok(labels.length > 5);
  for (const l of labels) assert.match(l, /S\d/, `a text label naming the server(s): ${JSON.stringify(l)}`);
  // Everything can be reached with Tab: the timeline, the speed, a server.
  const reached = new Set();
  for (let i = 0; i < 60; i++) {
    await app.page.keyboard.press('Tab');
    reached.add(await app.page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim()));
  }
  for (const name of ['Timeline', 'Speed', 'Step back', 'Keyboard shortcuts']) {
    assert.ok(reached.has(name), `Tab reaches "${name}"`);
  }
  assert.ok([...reached].some((n) => /^S1, /.test(n ?? '')), 'Tab reaches server S1');
  assert.deepEqual(app.errors(), []);
});

phone('(t) on a 360-pixel phone the page fits and a tap opens a server\'s menu', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (page is ${overflow}px too wide)`);
  await app.page.locator(SEL.nodeById(1)).tap();
  await app.page.locator('[data-node-menu="1"]').waitFor({ timeout: 5_000 });
  const box = await app.page.locator('[data-node-menu="1"]').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360, `the menu stays on screen: ${JSON.stringify(box)}`);
  await sleep(200);
  await app.screenshot(new URL('../artifacts/phone-360.png', import.meta.url).pathname);
  assert.deepEqual(app.errors(), []);
});

phone('(t2) on a phone a scenario\'s page fits too, in both languages (a closed Scenarios list widened it)', async (app) => {
  for (const lang of ['en', 'zh']) {
    await app.open(`?scenario=raft-figure-8&lang=${lang}`);
    await app.page.locator('[data-scenario]').waitFor({ timeout: 10_000 });
    const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${lang}: no sideways scrolling (page is ${overflow}px too wide)`);
  }
  assert.deepEqual(app.errors(), []);
});
