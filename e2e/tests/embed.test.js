// Embedding (issue 5): ?embed=1 fills its iframe without scrollbars at any size, scales the
// cluster to it, shows the controls asked for, and runs nothing until it is in view. The
// example host page in the repo (examples/embed.html, served as /embed.html) is what a
// documentation page would do. Presenter mode: large type, PageDown / PageUp, '.' pauses.
import assert from 'node:assert/strict';

import { browserSuite, sleep } from '../helpers/browser.js';

const test = browserSuite({ viewport: { width: 1100, height: 1400 } });

/** What a frame's document looks like: its app's data-*, scrollbars, the ring's box. */
function frameLayout() {
  const app = document.querySelector('[data-app]');
  const ring = document.querySelector('svg.ring')?.getBoundingClientRect();
  const root = document.scrollingElement;
  return {
    app: app ? { ...app.dataset } : null,
    viewport: { width: innerWidth, height: innerHeight },
    scrolls: root.scrollHeight > root.clientHeight + 1 || root.scrollWidth > root.clientWidth + 1,
    overflowing: [...document.querySelectorAll('.app *')]
      .filter((el) => el.getClientRects().length > 0)
      .some((el) => {
        const r = el.getBoundingClientRect();
        return r.bottom > innerHeight + 1 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('.side, .popover, .scenario-list');
      }),
    ring: ring ? { left: ring.left, top: ring.top, width: ring.width, height: ring.height } : null,
    buttons: [...document.querySelectorAll('button')].filter((b) => b.getClientRects().length > 0).map((b) => b.textContent.trim()),
    timeline: !!document.querySelector('[data-timeline]'),
    faults: !!document.querySelector('.faults') && document.querySelector('.faults').getClientRects().length > 0,
    narration: document.querySelector('[data-scenario]')?.dataset ?? null,
    lang: document.documentElement.lang,
    theme: document.documentElement.dataset.theme,
  };
}

async function frameOf(app, id) {
  const handle = await app.page.locator(`iframe#${id}`).elementHandle();
  const frame = await handle.contentFrame();
  await frame.waitForSelector('[data-app]', { timeout: 30_000 });
  return frame;
}

test('(E1) the example host page shows the embedded view at two sizes, each filling its frame', async (app) => {
  await app.page.goto(`${app.baseUrl}/embed.html`, { waitUntil: 'load' });
  const sizes = { wide: [720, 420], narrow: [320, 480] };
  for (const [id, [width, height]] of Object.entries(sizes)) {
    await app.page.locator(`iframe#${id}`).scrollIntoViewIfNeeded();
    const frame = await frameOf(app, id);
    const l = await frame.evaluate(frameLayout);
    assert.equal(l.app.embed, 'true', id);
    assert.deepEqual(l.viewport, { width, height }, `${id}: the page is the frame's size`);
    assert.equal(l.scrolls, false, `${id}: no scrollbars`);
    assert.equal(l.overflowing, false, `${id}: nothing spills out of the frame`);
    // The ring is drawn inside the frame and takes a good share of it.
    assert.ok(l.ring.left >= -1 && l.ring.top >= -1, `${id}: ${JSON.stringify(l.ring)}`);
    assert.ok(l.ring.left + l.ring.width <= width + 1 && l.ring.top + l.ring.height <= height + 1, `${id}: ${JSON.stringify(l.ring)}`);
    assert.ok(Math.min(l.ring.width, l.ring.height) >= Math.min(width, height) * 0.4, `${id}: the ring is ${l.ring.width}×${l.ring.height}`);
    assert.equal(l.narration.scenario, 'raft-first-election', id);
  }
  const wide = await (await frameOf(app, 'wide')).evaluate(frameLayout);
  assert.equal(wide.app.controls, 'minimal');
  assert.ok(wide.timeline, 'minimal controls: the timeline');
  assert.ok(wide.buttons.includes('Play'), `minimal controls: play (${wide.buttons})`);
  assert.equal(wide.faults, false, 'minimal controls: no faults panel');
  assert.equal(wide.app.playing, 'false', 'without autoplay an embed waits');
  const narrow = await (await frameOf(app, 'narrow')).evaluate(frameLayout);
  assert.equal(narrow.app.controls, 'none');
  assert.equal(narrow.timeline, false);
  assert.deepEqual(narrow.buttons, [], 'controls=none: nothing to click');
  assert.equal(narrow.theme, 'dark');
  assert.equal(narrow.lang, 'zh-Hans');
  // autoplay=1: it plays (and, pausing at steps, stops at the next one).
  const narrowFrame = await frameOf(app, 'narrow');
  await app.until('the narrow embed to play', async () => true);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const l = await narrowFrame.evaluate(frameLayout);
    if (Number(l.app.virtualTime) > 0) break;
    assert.ok(Date.now() < deadline, 'autoplay never started');
    await sleep(100);
  }
  await app.page.locator('iframe#full').scrollIntoViewIfNeeded();
  const full = await (await frameOf(app, 'full')).evaluate(frameLayout);
  assert.equal(full.app.algo, 'multipaxos');
  assert.equal(full.scrolls, false, 'full controls fit too');
  assert.ok(full.buttons.length > 5, 'full controls: the page\'s buttons');
  assert.deepEqual(app.errors(), []);
});

test('(E2) an embed runs nothing until it is scrolled into view', async (app) => {
  const src = `${app.baseUrl}/?embed=1&algo=raft&seed=5&autoplay=1&controls=minimal`;
  await app.page.setContent(
    `<p>Above the fold.</p><div style="height:3000px"></div>` +
      `<iframe id="late" src="${src}" width="600" height="400" loading="eager"></iframe>`,
  );
  const frame = await frameOf(app, 'late');
  await sleep(1500);
  const hidden = await frame.evaluate(frameLayout);
  assert.equal(hidden.app.playing, 'true', 'autoplay is on');
  assert.equal(hidden.app.virtualTime, '0', 'but out of view the clock has not moved');
  assert.equal(hidden.app.events, '0');
  await app.page.locator('iframe#late').scrollIntoViewIfNeeded();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const l = await frame.evaluate(frameLayout);
    if (Number(l.app.virtualTime) > 0) break;
    assert.ok(Date.now() < deadline, 'in view, it never started');
    await sleep(100);
  }
  // Scrolled away again, it stops.
  await app.page.evaluate(() => window.scrollTo(0, 0));
  await sleep(300);
  const t1 = (await frame.evaluate(frameLayout)).app.virtualTime;
  await sleep(800);
  const t2 = (await frame.evaluate(frameLayout)).app.virtualTime;
  assert.equal(t2, t1, 'out of view again, the clock stops');
});

test('(E3) a bad embed parameter is named in the frame and the view still works', async (app) => {
  await app.open('?embed=1&controls=lots&theme=purple&scenario=raft-first-election');
  const s = await app.state();
  assert.equal(s.app.controls, 'full', 'a bad controls= falls back to full');
  assert.equal(s.app.theme, 'light');
  assert.match(s.urlError.text, /controls=lots/);
  assert.match(s.urlError.text, /theme=purple/);
  assert.deepEqual(app.errors(), []);
});

test('(P1) presenter mode: large type, PageDown / PageUp move the narration, "." pauses', async (app) => {
  await app.open('?scenario=raft-first-election');
  const fontSize = () => app.page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.narration-text')).fontSize));
  const normal = await fontSize();
  await app.page.locator('body').press('p');
  await app.until('presenter mode', (s) => s.app.present === 'true');
  assert.ok((await fontSize()) >= normal * 1.5, 'large type');
  const body = app.page.locator('body');
  await body.press('PageDown');
  await body.press('PageDown');
  await app.until('step 3', async () => true);
  const step = () => app.page.evaluate(() => document.querySelector('[data-scenario]').dataset.step);
  for (let i = 0; i < 50 && (await step()) !== '2'; i++) await sleep(50);
  assert.equal(await step(), '2');
  await body.press('PageUp');
  for (let i = 0; i < 50 && (await step()) !== '1'; i++) await sleep(50);
  assert.equal(await step(), '1');
  await body.press('.');
  await app.until('playing', (s) => s.app.playing === 'true');
  await body.press('.');
  await app.until('paused', (s) => s.app.playing === 'false');
  await app.page.getByRole('button', { name: 'Leave presenter mode' }).click();
  await app.until('presenter mode off', (s) => s.app.present === 'false');
  await app.open('?algo=raft&seed=2&present=1');
  assert.equal((await app.state()).app.present, 'true', 'present=1 in the address');
  assert.deepEqual(app.errors(), []);
});
