// A calmer page (issue 11): slower by default with a speed= parameter, the run paused while a
// menu is open, menus beside the ring, messages that show their way and take a finger, Space
// that plays and pauses after a click, a feed that scrolls through the whole run, partitions
// drawn as regions and one-way cuts told from two-way ones.
import assert from 'node:assert/strict';

import { browserSuite, SEL, sleep } from '../helpers/browser.js';

const test = browserSuite();
const phone = browserSuite({ viewport: { width: 390, height: 844 }, touch: true });
const wide = browserSuite({ viewport: { width: 1920, height: 1080 } });

const speedShown = (app) => app.page.locator('.controls .speed output').textContent();
const held = (app) => app.page.locator('[data-held]');
const logOf = (s, node) => s.log.filter((e) => e.node === node).length;

test('(C1) the page opens at 1/60x; speed= sets it, a bad one is named in both languages, links keep it', async (app) => {
  await app.open('?algo=raft&seed=1', { defaultSpeed: true });
  assert.equal(await speedShown(app), '1/60×');
  assert.ok(!new URL(app.page.url()).searchParams.has('speed'), 'the default is not written');

  await app.open('?algo=raft&seed=1&speed=1/100');
  assert.equal(await speedShown(app), '1/100×');
  await app.until('the address to keep speed=1/100', () => new URL(app.page.url()).searchParams.get('speed') === '1/100');
  // The slider writes its speed into the address, and the page's links carry it.
  const slider = app.page.getByRole('slider', { name: 'Speed' });
  await slider.focus();
  await slider.press('ArrowRight');
  await app.page.waitForFunction(() => new URL(location.href).searchParams.get('speed') === '1/98', null, { timeout: 5_000 });
  assert.equal(await speedShown(app), '1/98×');
  await app.page.getByRole('button', { name: 'Copy link' }).click();
  const link = await app.page.locator('[data-share-link]').getAttribute('data-share-link');
  assert.equal(new URL(link).searchParams.get('speed'), '1/98', link);

  await app.open('?algo=raft&seed=1&speed=fast');
  const { urlError } = await app.state();
  assert.ok(urlError?.visible && /speed=fast/.test(urlError.text), JSON.stringify(urlError));
  assert.equal(await speedShown(app), '1/60×', 'the default instead');
  await app.open('?algo=raft&seed=1&speed=5&lang=zh');
  assert.match((await app.state()).urlError.text, /参数 speed=5 无效/);
  assert.deepEqual(app.errors(), []);
});

test('(C2) a server\'s menu or a message\'s inspector pauses the run while open and plays on when closed', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  await app.page.locator(SEL.nodeById(1)).click();
  await app.until('paused by the menu', (s) => s.app.playing === 'false', { timeout: 5_000 });
  await held(app).getByText('Paused while this is open.').waitFor({ timeout: 5_000 });
  const t = (await app.state()).app.virtualTime;
  await app.page.locator('[data-node-menu] button.close').click();
  await app.until('playing again', (s) => s.app.playing === 'true' && s.app.virtualTime !== t, { timeout: 5_000 });

  // Paused by the person: a menu leaves it paused.
  await app.pause();
  await app.page.locator(SEL.nodeById(2)).click();
  await app.page.locator('[data-node-menu="2"]').waitFor({ timeout: 5_000 });
  assert.equal(await held(app).count(), 0, 'no note: the menu did not pause it');
  await app.page.keyboard.press('Escape');
  await app.page.locator('[data-node-menu]').waitFor({ state: 'detached', timeout: 5_000 });
  assert.equal((await app.state()).app.playing, 'false');

  // Played and paused again while open: closing leaves it as the person set it.
  await app.play();
  await app.page.locator(SEL.nodeById(3)).click();
  await app.until('paused by the menu', (s) => s.app.playing === 'false', { timeout: 5_000 });
  await app.play();
  await app.page.keyboard.press('Escape');
  await app.until('still playing', (s) => s.app.playing === 'true', { timeout: 5_000 });
  await app.page.locator(SEL.nodeById(3)).click();
  await app.play();
  await app.pause();
  await app.page.keyboard.press('Escape');
  await app.page.locator('[data-node-menu]').waitFor({ state: 'detached', timeout: 5_000 });
  assert.equal((await app.state()).app.playing, 'false', 'paused by the person stays paused');

  // A message's inspector, opened while the run plays.
  await app.play();
  // Opened from the keyboard at once, in the page: a message is in flight for a fraction of a second.
  const id = await app.page.waitForFunction(() => {
    const el = document.querySelector('[data-msg-id]');
    if (!el) return null;
    el.focus();
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    return el.dataset.msgId;
  }, null, { timeout: 20_000, polling: 10 }).then((h) => h.jsonValue());
  const msg = { id };
  await app.page.locator(`[data-msg-panel="${msg.id}"]`).waitFor({ timeout: 5_000 });
  assert.equal((await app.state()).app.playing, 'false');
  await app.page.locator(`[data-msg-panel="${msg.id}"] [data-held]`).waitFor({ timeout: 5_000 });
  await app.page.locator(`[data-msg-panel="${msg.id}"] button.close`).click();
  await app.until('playing again', (s) => s.app.playing === 'true', { timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});

test('(C2b) after acting from a menu that holds the run, "Close and play" closes it and the request unfolds', async (app) => {
  await app.open('?algo=paxos&nodes=3&seed=7');
  await app.page.locator(SEL.nodeById(0)).click();
  await app.until('paused by the menu', (s) => s.app.playing === 'false', { timeout: 5_000 });
  await app.page.getByRole('button', { name: 'Client request', exact: true }).click();
  // S1's Prepares are sent at once, and stand still while the menu holds the run.
  const before = await app.until('the Prepares sent', (s) => s.messages.length > 0 && s, { timeout: 5_000 });
  assert.equal(before.app.playing, 'false');
  await held(app).locator('[data-play-on]').click();
  await app.page.locator('[data-node-menu]').waitFor({ state: 'detached', timeout: 5_000 });
  await app.until('playing on: the Prepares travel', (s) => s.app.playing === 'true' && s.app.virtualTime !== before.app.virtualTime, { timeout: 10_000 });
  assert.deepEqual(app.errors(), []);
});

/** Opens each server's menu in turn; its box is in the viewport and covers no server. */
async function menusBesideTheRing(app) {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  const viewport = app.page.viewportSize();
  for (const id of [0, 1, 2, 3, 4]) {
    await app.page.locator(SEL.nodeById(id)).click();
    const menu = app.page.locator(`[data-node-menu="${id}"]`);
    await menu.waitFor({ timeout: 5_000 });
    const box = await menu.boundingBox();
    // (A pixel's rounding either way.)
    assert.ok(box.x >= -1 && box.y >= -1 && box.x + box.width <= viewport.width + 1 && box.y + box.height <= viewport.height + 1,
      `S${id + 1}'s menu in the ${viewport.width}x${viewport.height} viewport: ${JSON.stringify(box)}`);
    for (const other of [0, 1, 2, 3, 4]) {
      const server = await app.page.locator(`${SEL.nodeById(other)} circle.hit`).boundingBox();
      const apart = box.x + box.width <= server.x || server.x + server.width <= box.x ||
        box.y + box.height <= server.y || server.y + server.height <= box.y;
      assert.ok(apart, `S${id + 1}'s menu ${JSON.stringify(box)} covers S${other + 1} ${JSON.stringify(server)}`);
    }
    await app.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached', timeout: 5_000 });
  }
  assert.deepEqual(app.errors(), []);
}

test('(C3) at 1280x800 a server\'s menu stands beside the ring, inside the window, over no server', menusBesideTheRing);
phone('(C3) at 390x844 a server\'s menu stands below the ring, inside the window, over no server', menusBesideTheRing);
wide('(C3) at 1920x1080 a server\'s menu stands beside the ring, inside the window, over no server', menusBesideTheRing);

test('(C4) a paused message shows which way it goes', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.until('messages in flight', (s) => s.messages.length >= 2, { timeout: 20_000, interval: 20 });
  await app.pause();
  const n = (await app.state()).messages.length;
  const d = await app.page.locator('[data-msg-headings]').getAttribute('d');
  assert.equal((d.match(/M/g) ?? []).length, 2 * n, `a trail and an arrowhead for each of ${n} messages: ${d}`);
  assert.deepEqual(app.errors(), []);
});

phone('(C4) on a 390x844 phone a message is a 24-pixel target and a tap opens its inspector', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  // Pausing takes real time, in which a message may arrive (on a loaded machine, often): try again
  // until one is caught in flight.
  let msg;
  let target;
  for (let attempt = 0; attempt < 20; attempt++) {
    await app.play();
    msg = await app.until('a message in flight', (s) => s.messages[0], { timeout: 20_000, interval: 20 });
    await app.pause();
    target = app.page.locator(SEL.msgById(msg.id));
    if ((await target.count()) > 0) break;
  }
  if ((await target.count()) === 0) return assert.fail('every message arrived before the pause, 20 times');
  const box = await target.boundingBox();
  assert.ok(box.width >= 24 && box.height >= 24, `a finger's target: ${JSON.stringify(box)}`);
  await app.page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await app.page.locator(`[data-msg-panel="${msg.id}"]`).waitFor({ timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});

test('(C5) Space after clicking a menu button or Play toggles the run and presses nothing again', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const leader = await app.waitForLeader();
  // "Crash" becomes "Restart" where it was: a second press would restart the server.
  const follower = (leader.id + 1) % 5;
  await app.page.locator(SEL.nodeById(follower)).click();
  await app.page.getByRole('button', { name: 'Crash', exact: true }).click();
  await app.until('crashed, and paused by the menu', (s) =>
    s.nodes[follower].status === 'crashed' && s.app.playing === 'false', { timeout: 5_000 });
  await app.page.keyboard.press('Space');
  await app.until('Space to play', (s) => s.app.playing === 'true', { timeout: 5_000 });
  const t = Number((await app.state()).app.virtualTime);
  await app.until('time to pass', (s) => Number(s.app.virtualTime) > t + 50_000, { timeout: 10_000 });
  assert.equal((await app.state()).nodes[follower].status, 'crashed', 'Space did not press Restart');
  await app.page.keyboard.press('Escape');

  // "Client request": one request, not two.
  await app.page.locator(SEL.nodeById(leader.id)).click();
  const before = logOf(await app.state(), leader.id);
  await app.page.getByRole('button', { name: 'Client request', exact: true }).click();
  await app.page.keyboard.press('Space');
  await app.until('Space to play', (s) => s.app.playing === 'true', { timeout: 5_000 });
  const t2 = Number((await app.state()).app.virtualTime);
  await app.until('the request to land', (s) => Number(s.app.virtualTime) > t2 + 100_000 && logOf(s, leader.id) > before,
    { timeout: 10_000 });
  assert.equal(logOf(await app.state(), leader.id), before + 1, 'exactly one request');
  await app.page.keyboard.press('Escape');

  // The Play / Pause button: Space toggles once (pressing it too would toggle back).
  await app.playPauseButton('Pause').click();
  await app.until('paused', (s) => s.app.playing === 'false', { timeout: 5_000 });
  await app.page.keyboard.press('Space');
  await app.until('Space to play', (s) => s.app.playing === 'true', { timeout: 5_000 });
  await app.page.keyboard.press('Space');
  await app.until('Space to pause', (s) => s.app.playing === 'false', { timeout: 5_000 });
  // Reached with the keyboard, a button takes Space as its own press.
  await app.page.getByRole('button', { name: 'Play', exact: true }).focus();
  await app.page.keyboard.press('Tab');
  await app.page.keyboard.press('Shift+Tab');
  await app.page.keyboard.press('Space');
  await app.until('the focused Play button pressed', (s) => s.app.playing === 'true', { timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});

test('(C6) the feed scrolls back to the first line of the run and keeps only a window in the page', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  const count = () => app.page.locator('[data-feed-total]').getAttribute('data-feed-total').then(Number);
  for (let i = 0; i < 60 && (await count()) < 30; i++) {
    await app.page.locator('body').press('c');
    await sleep(250);
  }
  await app.pause();
  const total = 30;
  const shown = await app.page.locator('.feed li').count();
  const all = Number(await app.page.locator('[data-feed-total]').getAttribute('data-feed-total'));
  assert.ok(all >= total && shown < all, `${shown} of ${all} lines in the page`);
  await app.page.locator('[data-feed-scroll]').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  const last = app.page.locator(`.feed li[data-feed-line="${all - 1}"]`);
  await last.waitFor({ timeout: 5_000 });
  assert.match(await last.textContent(), /timed out and started an election for term 1/);
  assert.ok(await last.isVisible(), 'the first line of the run is in view');
  assert.deepEqual(app.errors(), []);
});

test('(C7) a split draws each side as a region; a one-way cut says which way is blocked', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=7');
  await app.waitForLeader();
  const key = () => app.page.$$eval('[data-legend-network]', (els) => els.map((e) => e.dataset.legendNetwork));
  assert.deepEqual(await key(), [], 'no cut, no key for cuts');
  for (const id of [0, 1]) await app.page.locator(`[data-side-node="${id}"]`).check();
  await app.page.getByRole('button', { name: 'Split', exact: true }).click();
  const groups = () => app.page.$$eval('[data-partition-group]', (els) => els.map((e) => e.dataset.partitionGroup).sort());
  await app.until('two regions', async () => (await groups()).length === 2, { timeout: 5_000 });
  assert.deepEqual(await groups(), ['0,1', '2,3,4']);
  assert.equal(await app.page.locator('[data-cut="one-way"]').count(), 0);
  // The legend says what the regions and cut lines are while they are drawn.
  assert.deepEqual(await key(), ['region', 'cut']);

  await app.page.getByRole('button', { name: 'Heal all' }).click();
  await app.until('no regions', async () => (await groups()).length === 0, { timeout: 5_000 });
  await app.page.getByRole('combobox', { name: 'Link from' }).selectOption('2');
  await app.page.getByRole('combobox', { name: 'Link to' }).selectOption('4');
  await app.page.getByRole('button', { name: 'Cut link' }).click();
  const oneWay = app.page.locator('[data-cut="one-way"]');
  await oneWay.waitFor({ timeout: 5_000 });
  assert.deepEqual(await oneWay.evaluate((e) => [e.dataset.cutFrom, e.dataset.cutTo]), ['2', '4']);
  assert.match(await oneWay.getAttribute('aria-label'), /S3 → S5 is cut one way: S5 → S3 still carries messages/);
  assert.deepEqual(await groups(), [], 'a one-way cut splits nothing');
  assert.deepEqual(app.errors(), []);
});
