// Presenter mode for a room, and a log-centred embed (issue 11, a teacher's review): the faults
// panel shown while presenting, the whole page on one 1920×1080 screen with nothing under 20px,
// presenter mode pressed inside a frame keeping the narration's buttons and text inside it,
// and Figure 8 in a 700×450 frame showing its log matrix.
import assert from 'node:assert/strict';

import { browserSuite } from '../helpers/browser.js';
import { inside, overlap, shown, viewport } from '../helpers/layout.js';

const test = browserSuite();

/** 20px is a fiftieth of a 1080-line screen's height, the usual floor for text read across a room. */
const ROOM_PX = 20;

/**
 * Every text on the page (outside the ring's drawing) whose font is smaller than `min` px, as
 * `selector-ish: size` strings: what is drawn, not what is folded, hidden or for screen readers.
 */
function smallTexts(min) {
  const out = [];
  const root = document.querySelector('[data-app]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    let el = n.parentElement;
    // An option's words are drawn in its select's font.
    if (el.closest('option')) el = el.closest('select');
    if (el.closest('svg, .sr-only, script, style')) continue;
    if (el.closest('details:not([open]) > :not(summary)')) continue;
    if (el.getClientRects().length === 0) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || Number(s.opacity) === 0) continue;
    const px = parseFloat(s.fontSize);
    if (px < min - 0.01) {
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      out.push(`${el.tagName.toLowerCase()}${cls} "${n.textContent.trim().slice(0, 30)}": ${px}px`);
    }
  }
  return [...new Set(out)];
}

/**
 * Whether what `selector` finds (each of them) is drawn whole: inside the window and inside
 * every ancestor that clips what overflows it. Returns the ones that are not, described.
 */
function cutOff(selector) {
  const b = (r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
  const within = (a, c) => a.left >= c.left - 1 && a.top >= c.top - 1 && a.right <= c.right + 1 && a.bottom <= c.bottom + 1;
  const win = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.getClientRects().length === 0) {
      out.push(`${selector} "${el.textContent.trim().slice(0, 30)}" is not drawn`);
      continue;
    }
    const box = b(el.getBoundingClientRect());
    if (!within(box, win)) out.push(`${selector} "${el.textContent.trim().slice(0, 30)}" ${JSON.stringify(box)} outside the window`);
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'contents' || (s.overflowX === 'visible' && s.overflowY === 'visible')) continue;
      const clip = b(a.getBoundingClientRect());
      if (!within(box, clip)) {
        out.push(`${selector} "${el.textContent.trim().slice(0, 30)}" ${JSON.stringify(box)} cut by ${a.tagName.toLowerCase()}.${a.className} ${JSON.stringify(clip)}`);
        break;
      }
    }
  }
  return out;
}

/** Whether the page scrolls, in either direction. */
function scrolls() {
  const root = document.documentElement;
  return { height: root.scrollHeight, width: root.scrollWidth, scrolls: root.scrollHeight > innerHeight + 1 || root.scrollWidth > innerWidth + 1 };
}

test('(P1) presenter mode on the full page shows the faults panel, in large type with buttons large enough to hit, and it works', async (app) => {
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  await app.open('?algo=raft&nodes=5&seed=3&present=1');
  await app.until('presenter mode', (s) => s.app.present === 'true');
  const faults = await shown(app, '[data-faults]');
  assert.ok(faults?.visible, `the faults panel is shown while presenting (${JSON.stringify(faults)})`);
  assert.ok(inside(faults.box, await viewport(app)), `the faults panel ${JSON.stringify(faults.box)} is on the screen`);
  const small = await app.page.evaluate((min) => {
    const panel = document.querySelector('[data-faults]');
    return [...panel.querySelectorAll('*')]
      .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) || el.matches('select, input[type=number]'))
      .map((el) => [el.tagName.toLowerCase(), el.textContent.trim().slice(0, 24), parseFloat(getComputedStyle(el).fontSize)])
      .filter(([tag, , px]) => tag !== 'option' && px < min);
  }, ROOM_PX);
  assert.deepEqual(small, [], `every word of the faults panel is at least ${ROOM_PX}px`);
  // A hand at the projector's laptop, or a remote's pointer: 40px targets.
  const targets = await app.page.evaluate(() => [...document.querySelectorAll('[data-faults] :is(button, select, input[type=number], input[type=range], label.check)')]
    .map((el) => ({ what: `${el.tagName.toLowerCase()} ${el.textContent.trim().slice(0, 20)}`, width: el.getBoundingClientRect().width, height: el.getBoundingClientRect().height })));
  assert.ok(targets.length >= 10, `the panel's controls (${targets.length})`);
  for (const t of targets) {
    assert.ok(t.height >= 40 && t.width >= 40, `${t.what}: ${t.width.toFixed(0)}×${t.height.toFixed(0)}px, at least 40×40`);
  }
  const box = await app.page.evaluate(() => {
    const r = document.querySelector('[data-faults] input[type=checkbox]').getBoundingClientRect();
    return { width: r.width, height: r.height };
  });
  assert.ok(box.width >= 22 && box.height >= 22, `a server's checkbox ${JSON.stringify(box)} is at least 22px`);
  // What the teacher does with it: split the network, then heal it.
  const cuts = () => app.page.evaluate(() => Number(document.querySelector('[data-cut-links]').dataset.cutLinks));
  await app.page.locator('[data-side-node="0"]').check();
  await app.page.locator('[data-side-node="1"]').check();
  await app.page.getByRole('button', { name: 'Split', exact: true }).click();
  await app.until('a split network', async () => (await cuts()) > 0);
  await app.page.getByRole('button', { name: 'Heal all', exact: true }).click();
  await app.until('a healed network', async () => (await cuts()) === 0);
  // In an embed presenting, the frame stays the ring's and the narration's.
  await app.page.setViewportSize({ width: 1280, height: 720 });
  await app.open('?embed=1&controls=full&algo=raft&seed=3&present=1');
  assert.equal((await shown(app, '[data-faults]'))?.visible ?? false, false, 'no faults panel in a presenting embed');
  assert.deepEqual(app.errors(), []);
});

/**
 * Presenting a scenario: the faults panel is folded (a closed <details>, its summary saying what
 * is inside), and opening the fold shows the panel.
 */
async function checkFold(app, where, words) {
  const fold = await app.page.evaluate(() => {
    const d = document.querySelector('[data-faults-fold]');
    return d && { tag: d.tagName.toLowerCase(), open: d.open, summary: d.querySelector(':scope > summary')?.textContent ?? '', inside: !!d.querySelector('[data-faults]') };
  });
  assert.ok(fold, `${where}: the faults are folded`);
  assert.equal(fold.tag, 'details', where);
  assert.equal(fold.open, false, `${where}: the fold is closed`);
  assert.equal(fold.inside, true, `${where}: the faults panel is in the fold`);
  assert.match(fold.summary, words, `${where}: the fold's heading says what it holds`);
  await app.page.locator('[data-faults-fold] > summary').click();
  assert.equal(await app.page.evaluate(() => document.querySelector('[data-faults-fold]').open), true, `${where}: it opens`);
  assert.ok((await shown(app, '[data-faults] button'))?.visible, `${where}: opened, the faults panel's buttons show`);
  await app.page.locator('[data-faults-fold] > summary').click();
  assert.equal(await app.page.evaluate(() => document.querySelector('[data-faults-fold]').open), false, `${where}: and closes again`);
}

/** What presenter mode at 1920×1080 must show on the one screen: `where` names the page. */
async function checkRoom(app, where, panels) {
  const page = await app.page.evaluate(scrolls);
  assert.equal(page.scrolls, false, `${where}: the page fits the screen (${page.width}×${page.height})`);
  assert.deepEqual(await app.page.evaluate(smallTexts, ROOM_PX), [], `${where}: every text at least ${ROOM_PX}px`);
  const win = await viewport(app);
  const ring = await shown(app, '[data-ring]');
  assert.ok(ring?.visible && inside(ring.box, win), `${where}: the ring on screen`);
  const boxes = {};
  for (const selector of panels) {
    const p = await shown(app, selector);
    assert.ok(p?.visible, `${where}: ${selector} is shown`);
    assert.ok(inside(p.box, win), `${where}: ${selector} ${JSON.stringify(p.box)} on the screen`);
    assert.ok(!overlap(p.box, ring.box), `${where}: ${selector} is not over the ring`);
    const area = p.box.width * p.box.height;
    // The drawing is a square centred in the ring's box.
    const side = Math.min(ring.box.width, ring.box.height);
    assert.ok(side * side > area, `${where}: the ring (${ring.box.width.toFixed(0)}×${ring.box.height.toFixed(0)}) is larger than ${selector} (${p.box.width.toFixed(0)}×${p.box.height.toFixed(0)})`);
    for (const [other, b] of Object.entries(boxes)) assert.ok(!overlap(p.box, b), `${where}: ${selector} is not over ${other}`);
    boxes[selector] = p.box;
  }
  // The feed shows a few lines and scrolls for the rest.
  const feed = await app.page.evaluate(() => {
    const scroll = document.querySelector('[data-feed-scroll]');
    const line = scroll.querySelector('li')?.getBoundingClientRect().height ?? 0;
    return { view: scroll.getBoundingClientRect().height, line };
  });
  if (feed.line > 0) assert.ok(feed.view >= feed.line * 2.5, `${where}: the feed shows a few lines (${JSON.stringify(feed)})`);
  // The ring's servers read from the back too.
  const labels = await app.page.evaluate(() => [...document.querySelectorAll('[data-ring] .node-label .name')].map((t) => t.getBoundingClientRect().height));
  for (const h of labels) assert.ok(h >= ROOM_PX - 0.5, `${where}: a server's name ${h.toFixed(1)}px tall`);
}

test('(P2) presenter mode fits a 1920×1080 screen with every text at least 20px: Raft, Figure 8 step by step (its faults folded), Paxos, Multi-Paxos', async (app) => {
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  const common = ['[data-feed]', '[data-faults]'];
  await app.open('?algo=raft&nodes=5&seed=3&present=1');
  await app.waitForLeader();
  await checkRoom(app, 'Raft', ['[data-table="logs"]', ...common]);
  assert.equal(await app.page.locator('[data-faults-fold]').count(), 0, 'a free run presents its faults unfolded');
  // A teacher found S5's row of the log matrix cut off in a live run: every server's row in view.
  const rows = await app.page.locator('[data-table="logs"]').evaluate((panel) => {
    const room = panel.getBoundingClientRect();
    return [...panel.querySelectorAll('tbody tr')].map((tr) => {
      const r = tr.getBoundingClientRect();
      return r.top >= room.top - 0.5 && r.bottom <= room.bottom + 0.5;
    });
  });
  assert.deepEqual(rows, [true, true, true, true, true], 'every server\'s log row is inside the log panel');

  // With a scenario the narration takes the room: the faults fold behind their heading. A
  // panel inside a closed <details> can still have a box, so the fold itself is asserted.
  const scenario = ['[data-feed]', '[data-faults-fold] > summary'];
  await app.open('?scenario=raft-figure-8&present=1&lang=zh');
  await app.untilStep(0);
  await checkFold(app, 'Figure 8, in Chinese', /故障/);
  await checkRoom(app, 'Figure 8, in Chinese', ['[data-scenario]', '[data-table="logs"]', ...scenario]);
  await app.open('?scenario=raft-figure-8&present=1');
  const steps = Number((await app.untilStep(0)).steps);
  await checkFold(app, 'Figure 8', /Faults/);
  for (let step = 0; step < steps; step++) {
    await app.untilStep(step);
    // The step's claims are checked once its moment is reached.
    await app.page.waitForSelector('[data-scenario] .claims', { timeout: 20_000 });
    await checkRoom(app, `Figure 8, step ${step + 1}`, ['[data-scenario]', '[data-table="logs"]', ...scenario]);
    // The step's text and its buttons are whole; a long list of claims scrolls under them.
    assert.deepEqual(await app.page.evaluate(cutOff, '[data-scenario] :is(.narration-text, .step-counter, .narration-controls > button)'), [], `Figure 8, step ${step + 1}: the narration is whole`);
    if (step + 1 < steps) await app.page.locator('body').press('PageDown');
  }

  await app.open('?algo=paxos&seed=2&present=1');
  await app.until('a Paxos message', (s) => Number(s.app.events) > 5);
  await checkRoom(app, 'Paxos', ['[data-table="paxos"]', ...common]);

  await app.open('?algo=multipaxos&seed=2&present=1');
  await app.until('a chosen slot', async () => (await app.page.locator('.mp-table td.slot').count()) > 0, { timeout: 30_000 });
  await checkRoom(app, 'Multi-Paxos', ['[data-table="slots"]', ...common]);
  assert.deepEqual(app.errors(), []);
});

test('(P3) P pressed inside a frame (1280×720, 1024×768): every narration button and the step\'s text stay inside it, at every step', async (app) => {
  for (const size of [{ width: 1280, height: 720 }, { width: 1024, height: 768 }]) {
    await app.page.setViewportSize(size);
    await app.open('?embed=1&controls=full&scenario=raft-leader-crash');
    await app.untilStep(0);
    await app.page.locator('body').press('p');
    await app.until('presenter mode', (s) => s.app.present === 'true');
    const steps = Number((await app.narration()).steps);
    for (let step = 0; step < steps; step++) {
      await app.untilStep(step);
      await app.page.waitForTimeout(150);
      const where = `${size.width}×${size.height}, step ${step + 1}`;
      assert.deepEqual(await app.page.evaluate(cutOff, '[data-scenario] :is(.narration-text, .narration-controls > button, .narration-controls label, .step-counter)'), [], `${where}: the narration is whole`);
      // Presenting still means large type.
      const px = await app.page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.narration-text')).fontSize));
      assert.ok(px >= 18, `${where}: the step's text is ${px}px`);
      const page = await app.page.evaluate(scrolls);
      assert.equal(page.scrolls, false, `${where}: the frame does not scroll`);
      if (step + 1 < steps) await app.page.locator('body').press('PageDown');
    }
  }
  assert.deepEqual(app.errors(), []);
});

test('(P4) Figure 8 in a 700×450 frame shows its log matrix beside the ring, nothing cut, no text under 10px', async (app) => {
  await app.page.setViewportSize({ width: 700, height: 450 });
  for (const query of ['?embed=1&scenario=raft-figure-8', '?embed=1&controls=minimal&scenario=raft-figure-8', '?embed=1&controls=full&scenario=raft-figure-8&lang=zh']) {
    await app.open(query);
    const steps = Number((await app.untilStep(0)).steps);
    for (let step = 0; step < steps; step++) {
      await app.untilStep(step);
      await app.page.waitForTimeout(150);
      const where = `${query}, step ${step + 1}`;
      const logs = await shown(app, '[data-table="logs"]');
      assert.ok(logs?.visible, `${where}: the log matrix is shown (${JSON.stringify(logs)})`);
      const ring = await shown(app, '[data-ring]');
      assert.ok(!overlap(logs.box, ring.box), `${where}: the log matrix is not over the ring`);
      // Every row and every entry of the matrix, whole.
      assert.deepEqual(await app.page.evaluate(cutOff, '[data-table="logs"] :is(th.who, [data-log-entry])'), [], `${where}: the log matrix is whole`);
      assert.deepEqual(await app.page.evaluate(cutOff, '[data-scenario] :is(.narration-text, .narration-controls > button)'), [], `${where}: the narration is whole`);
      assert.deepEqual(await app.page.evaluate(smallTexts, 10), [], `${where}: no text under 10px`);
      const names = await app.page.evaluate(() => [...document.querySelectorAll('[data-ring] .node-label .name')].map((t) => t.getBoundingClientRect().height));
      for (const h of names) assert.ok(h >= 10, `${where}: a server's name ${h.toFixed(1)}px tall`);
      const page = await app.page.evaluate(scrolls);
      assert.equal(page.scrolls, false, `${where}: the frame does not scroll`);
      if (step + 1 < steps) await app.page.locator('body').press('PageDown');
    }
  }
  assert.deepEqual(app.errors(), []);
});

test('(P5) presenting a scenario at 1920×1080 shows every claim of every step, none folded, nothing to scroll', async (app) => {
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  for (const query of ['?scenario=raft-figure-8&present=1', '?scenario=raft-figure-8&present=1&lang=zh', '?scenario=paxos-dueling-proposers&present=1']) {
    await app.open(query);
    const steps = Number((await app.untilStep(0)).steps);
    let most = 0;
    for (let step = 0; step < steps; step++) {
      await app.untilStep(step);
      await app.page.waitForSelector('[data-scenario] .claims', { timeout: 20_000 });
      await app.page.waitForTimeout(150);
      const where = `${query}, step ${step + 1}`;
      const claims = await app.page.evaluate(() => {
        const list = document.querySelector('[data-scenario] .claims');
        const items = [...list.querySelectorAll('[data-claim-index]')];
        return {
          count: items.length,
          folded: items.filter((li) => li.closest('details:not([open])')).length,
          scrolls: list.scrollHeight > list.clientHeight + 1,
          narrationScrolls: (() => { const n = document.querySelector('[data-scenario]'); return n.scrollHeight > n.clientHeight + 1; })(),
        };
      });
      most = Math.max(most, claims.count);
      assert.equal(claims.folded, 0, `${where}: ${claims.folded} of ${claims.count} claims folded away`);
      assert.equal(claims.scrolls, false, `${where}: the claims scroll`);
      assert.equal(claims.narrationScrolls, false, `${where}: the narration scrolls`);
      assert.deepEqual(await app.page.evaluate(cutOff, '[data-scenario] [data-claim-index]'), [], `${where}: every claim whole`);
      assert.equal((await app.page.evaluate(scrolls)).scrolls, false, `${where}: the page does not scroll`);
      if (step + 1 < steps) await app.page.locator('body').press('PageDown');
    }
    if (query.includes('figure-8')) assert.ok(most > 5, `${query}: a step with more claims than the fold shows (${most})`);
  }
  assert.deepEqual(app.errors(), []);
});

test('(P6) an embed with full controls names its scenario (700×450, Figure 8 and a Paxos one, both languages), P4\'s log matrix still whole', async (app) => {
  await app.page.setViewportSize({ width: 700, height: 450 });
  for (const [query, title] of [
    ['?embed=1&controls=full&scenario=raft-figure-8', /^Figure 8/],
    ['?embed=1&controls=full&scenario=raft-figure-8&lang=zh', /图 8/],
    ['?embed=1&controls=full&scenario=paxos-dueling-proposers', /[Dd]uel/],
  ]) {
    await app.open(query);
    await app.untilStep(0);
    await app.page.waitForTimeout(150);
    const t = await app.page.evaluate(() => {
      const el = document.querySelector('[data-scenario] [data-scenario-title]');
      if (!el || el.getClientRects().length === 0 || getComputedStyle(el).display === 'none') return null;
      return { text: el.textContent, full: el.getAttribute('title'), px: parseFloat(getComputedStyle(el).fontSize) };
    });
    assert.ok(t, `${query}: the scenario's title is shown`);
    assert.match(t.text, title, query);
    assert.equal(t.full, t.text, `${query}: the whole title is its tooltip`);
    assert.ok(t.px >= 10, `${query}: the title is ${t.px}px`);
    assert.deepEqual(await app.page.evaluate(cutOff, '[data-scenario] [data-scenario-title]'), [], `${query}: the title inside the frame`);
    if (query.includes('raft')) {
      assert.ok((await shown(app, '[data-table="logs"]'))?.visible, `${query}: the log matrix is shown`);
      assert.deepEqual(await app.page.evaluate(cutOff, '[data-table="logs"] :is(th.who, [data-log-entry])'), [], `${query}: the log matrix is whole`);
    }
    assert.equal((await app.page.evaluate(scrolls)).scrolls, false, `${query}: the frame does not scroll`);
  }
  assert.deepEqual(app.errors(), []);
});
