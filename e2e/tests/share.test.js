// Runs shared by link (issue 5, first part): "Copy link" writes the run, every action and
// the moment shown into the address; opening it reproduces the same run at the same
// moment (same trace hash). A broken link says what is wrong and shows a new run.
import assert from 'node:assert/strict';

import { browserSuite } from '../helpers/browser.js';

const test = browserSuite();

test('(y) a copied link reopens the same run at the same moment with the same trace hash', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=11');
  const leader = await app.waitForLeader();
  await app.nodeAction(leader.id, 'Client request');
  await app.page.keyboard.press('Escape');
  await app.nodeAction((leader.id + 1) % 5, 'Crash');
  await app.page.keyboard.press('Escape');
  await app.until('a later moment', (s) => Number(s.app.virtualTime) > 900_000, { timeout: 60_000 });
  await app.pause();
  for (let i = 0; i < 3; i++) await app.page.locator('body').press('ArrowLeft');
  const before = await app.state();
  assert.equal(before.app.inPast, 'true');
  await app.page.getByRole('button', { name: 'Copy link' }).click();
  const link = await app.page.locator('[data-share-link]').getAttribute('data-share-link');
  assert.match(link, /\?algo=raft&run=1\./);
  await app.page.goto(link, { waitUntil: 'load' });
  const after = await app.until('the shared run', (s) => s.app && s.app.traceHash === before.app.traceHash && s, { timeout: 20_000 });
  assert.equal(after.app.virtualTime, before.app.virtualTime);
  assert.equal(after.app.events, before.app.events);
  assert.equal(after.app.playing, 'false', 'a shared moment opens paused');
  assert.deepEqual(after.nodes, before.nodes);
  assert.deepEqual(after.messages, before.messages);
  assert.deepEqual(after.log, before.log);
  assert.match(app.page.url(), /run=1\./, 'the address keeps the run');
  // Issue 11, bug 4: the footer names the run's own seed (the link carries no seed= of its own).
  assert.doesNotMatch(link, /[?&]seed=/);
  assert.equal(after.app.seed, '11');
  assert.equal(await app.page.locator('[data-seed-value]').textContent(), '11');
  assert.equal(await app.page.locator('[data-notice]').count(), 0);
  assert.deepEqual(app.errors(), []);
});

test('(z) a broken or tampered link says so and shows a new run', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=11&run=1.AAAAAAAA');
  await app.page.locator('[data-notice]').getByText('could not be used').waitFor({ timeout: 10_000 });
  const s = await app.state();
  assert.equal(s.nodes.length, 5);
  await app.waitForLeader();
  await app.open('?algo=raft&run=7.xyz');
  await app.page.locator('[data-notice]').getByText('newer than this page reads').waitFor({ timeout: 10_000 });
  assert.deepEqual(app.errors(), []);
});

test('(y2) "Copy link" says it copied, for a moment, in both languages; a copied link keeps presenter mode as the page is now', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=11');
  await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.page.url()).origin });
  const note = app.page.locator('footer.status [data-copied]');
  assert.equal(await app.page.locator('footer.status .copied').getAttribute('aria-live'), 'polite', 'read out when it changes');
  await app.page.getByRole('button', { name: 'Copy link' }).click();
  await note.waitFor({ timeout: 5_000 });
  assert.equal(await note.getAttribute('data-copied'), 'true');
  assert.equal((await note.textContent()).trim(), 'Copied');
  const link = await app.page.locator('[data-share-link]').getAttribute('data-share-link');
  assert.equal(await app.page.evaluate(() => navigator.clipboard.readText()), link, 'the link is on the clipboard');
  // It fades by itself, and a second press of the same link says it again, anew.
  await app.page.waitForFunction(() => getComputedStyle(document.querySelector('footer.status [data-copied]')).opacity === '0', null, { timeout: 6_000 });
  await note.evaluate((el) => { el.dataset.said = 'once'; });
  await app.page.getByRole('button', { name: 'Copy link' }).click();
  await app.page.waitForFunction(() => { const el = document.querySelector('footer.status [data-copied]'); return el && !el.dataset.said && Number(getComputedStyle(el).opacity) > 0.5; }, null, { timeout: 5_000 });
  assert.doesNotMatch(link, /present=/, 'not presenting: no presenter mode in the link');

  await app.open('?algo=raft&nodes=5&seed=11&lang=zh');
  await app.page.getByRole('button', { name: '拷贝链接', exact: true }).click();
  await note.waitFor({ timeout: 5_000 });
  assert.equal((await note.textContent()).trim(), '已拷贝');

  // P pressed: the link opens presenting too; left again, it does not.
  await app.open('?algo=raft&nodes=5&seed=11');
  await app.page.locator('body').press('p');
  await app.until('presenter mode', (s) => s.app.present === 'true');
  await app.page.getByRole('button', { name: 'Copy link' }).click();
  const presenting = await app.page.locator('[data-share-link]').getAttribute('data-share-link');
  assert.match(presenting, /[?&]present=1/, presenting);
  await app.page.goto(presenting, { waitUntil: 'load' });
  await app.until('opened presenting', (s) => s.app && s.app.present === 'true');
  await app.page.locator('body').press('p');
  await app.until('presenter mode left', (s) => s.app.present === 'false');
  await app.page.getByRole('button', { name: 'Copy link' }).click();
  await app.page.waitForFunction(() => !/present=/.test(document.querySelector('[data-share-link]')?.dataset.shareLink ?? 'present='), null, { timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});
