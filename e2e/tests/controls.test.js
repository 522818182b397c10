import assert from 'node:assert/strict';

import { browserSuite, sleep } from '../helpers/browser.js';

const test = browserSuite();

test('(h) pause stops virtual time', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  const start = Number((await app.state()).app.virtualTime);
  await app.until('virtual time to advance while playing', (s) => Number(s.app.virtualTime) > start);
  assert.equal((await app.state()).app.playing, 'true');
  await app.pause();
  await app.playPauseButton('Play').waitFor({ timeout: 5_000 });
  const t0 = (await app.state()).app.virtualTime;
  await sleep(500);
  const s = await app.state();
  assert.equal(s.app.playing, 'false');
  assert.equal(s.app.virtualTime, t0, 'data-virtual-time is stable over 500 ms while paused');
  assert.deepEqual(app.errors(), []);
});

test('(h2) Space toggles play and pause', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.until('playing', (s) => s.app.playing === 'true');
  await app.page.locator('body').press('Space');
  await app.until('Space to pause', (s) => s.app.playing === 'false', { timeout: 5_000 });
  const t0 = Number((await app.state()).app.virtualTime);
  await app.page.locator('body').press('Space');
  await app.until('Space to play again and time to advance', (s) => s.app.playing === 'true' && Number(s.app.virtualTime) > t0, {
    timeout: 5_000,
  });
  await app.playPauseButton('Pause').waitFor({ timeout: 5_000 });
  await app.page.getByRole('slider', { name: 'Speed' }).waitFor({ timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});
