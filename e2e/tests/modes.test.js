// The page's modes (issue 11): embedded in a small frame, presenting on a 1920×1080 screen,
// on a phone, dark. Each test sizes the window itself (an embed opened directly is laid out
// exactly as in an iframe of that size: the frame's viewport is the page's).
import assert from 'node:assert/strict';

import { browserSuite, SEL } from '../helpers/browser.js';
import { inside, overlap, shown } from '../helpers/layout.js';

const test = browserSuite();

/** The viewport, the ring and every server's label (its name, role and details) on screen. */
function ringLayout() {
  const b = (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  };
  return {
    viewport: { left: 0, top: 0, right: innerWidth, bottom: innerHeight, width: innerWidth, height: innerHeight },
    ring: b(document.querySelector('svg.ring')),
    labels: [...document.querySelectorAll('svg.ring .node-label')].map((g) => ({
      box: b(g),
      name: b(g.querySelector('.name')),
      role: b(g.querySelector('.role-label')),
      text: g.textContent,
    })),
  };
}

/** Every server's menu at this size: fully inside the window, shown, never over the controls. */
async function checkMenus(app, nodes, where) {
  const play = await shown(app, 'header.top .controls');
  const timeline = await shown(app, '[data-timeline]');
  for (let id = 0; id < nodes; id++) {
    await app.page.locator(SEL.nodeById(id)).click();
    await app.page.waitForSelector(`[data-node-menu="${id}"]`, { state: 'attached', timeout: 5_000 });
    const viewport = await app.page.evaluate(() => ({ left: 0, top: 0, right: innerWidth, bottom: innerHeight }));
    const menu = await shown(app, `[data-node-menu="${id}"]`);
    assert.ok(menu?.visible, `${where}: S${id + 1}'s menu is shown (${JSON.stringify(menu)})`);
    assert.ok(inside(menu.box, viewport), `${where}: S${id + 1}'s menu ${JSON.stringify(menu.box)} inside the window`);
    // What is on top at the menu's corners is the menu itself.
    const onTop = await app.page.evaluate(({ id, b }) => {
      const at = (x, y) => document.elementFromPoint(x, y)?.closest('[data-node-menu]')?.dataset.nodeMenu ?? null;
      return [at(b.left + 4, b.top + 4), at(b.right - 4, b.top + 4), at(b.left + 4, b.bottom - 4), at(b.right - 4, b.bottom - 4)]
        .every((m) => m === String(id));
    }, { id, b: menu.box });
    assert.ok(onTop, `${where}: S${id + 1}'s menu is not covered`);
    if (play) assert.ok(!overlap(menu.box, play.box), `${where}: S${id + 1}'s menu is not over the play controls`);
    if (timeline) assert.ok(!overlap(menu.box, timeline.box), `${where}: S${id + 1}'s menu is not over the timeline`);
    const inspector = await shown(app, '[data-inspector="node"]');
    if (inspector) assert.ok(inside(inspector.box, viewport), `${where}: S${id + 1}'s inspector ${JSON.stringify(inspector.box)} inside the window`);
    await app.page.keyboard.press('Escape');
    await app.page.waitForSelector('[data-node-menu]', { state: 'detached', timeout: 5_000 });
  }
}

test('(M1) embedded at 700×450 with every control, each server\'s menu and its inspector open inside the frame, clear of the play controls', async (app) => {
  await app.page.setViewportSize({ width: 700, height: 450 });
  await app.open('?embed=1&controls=full&algo=raft&nodes=5&seed=3');
  await checkMenus(app, 5, 'embed, full controls');
  // A scenario's narration shares the side column with the inspector.
  await app.open('?embed=1&controls=full&scenario=raft-first-election');
  await checkMenus(app, 5, 'embed, scenario');
  assert.deepEqual(app.errors(), []);
});

test('(M2) presenter mode at 1920×1080: the top server\'s menu opens; tables, claims, feed and legend are large enough to read from the back', async (app) => {
  await app.page.setViewportSize({ width: 1920, height: 1080 });
  // 20px is a fiftieth of the screen's height, the usual floor for text read across a room.
  const FLOOR = 20;
  const sizes = (selectors) =>
    app.page.evaluate((selectors) => Object.fromEntries(selectors.map((s) => {
      const el = document.querySelector(s);
      return [s, el ? parseFloat(getComputedStyle(el).fontSize) : null];
    })), selectors);
  await app.open('?scenario=raft-first-election&present=1');
  await app.until('presenter mode', (s) => s.app.present === 'true');
  const raft = await sizes(['.log-table td', '.log-table th.who .name', '.log-table .role', '.narration .claims li', '.feed ol', '.legend-ring li']);
  for (const [selector, px] of Object.entries(raft)) {
    assert.ok(px !== null && px >= FLOOR, `${selector}: ${px}px, at least ${FLOOR}px`);
  }
  const legend = await shown(app, '[data-legend]');
  assert.ok(legend?.visible, 'the legend is shown');
  await checkMenus(app, 1, 'presenter mode');
  await app.page.locator(SEL.nodeById(0)).click();
  const menu = await sizes(['[data-node-menu="0"]', '[data-node-menu="0"] button']);
  for (const [selector, px] of Object.entries(menu)) {
    assert.ok(px !== null && px >= FLOOR, `${selector}: ${px}px`);
  }
  await app.page.keyboard.press('Escape');
  await app.open('?algo=paxos&seed=2&present=1');
  const paxos = await sizes(['.paxos-table td', '.paxos-table th', '.feed ol']);
  for (const [selector, px] of Object.entries(paxos)) {
    assert.ok(px !== null && px >= FLOOR, `Paxos ${selector}: ${px}px`);
  }
  await app.open('?algo=multipaxos&seed=2&present=1');
  await app.until('a chosen slot', async () => (await app.page.locator('.mp-table td.slot').count()) > 0, { timeout: 30_000 });
  const multi = await sizes(['.mp-table td.slot', '.mp-table th.who .name', '.feed ol']);
  for (const [selector, px] of Object.entries(multi)) {
    assert.ok(px !== null && px >= FLOOR, `Multi-Paxos ${selector}: ${px}px`);
  }
  assert.deepEqual(app.errors(), []);
});

async function checkLabels(app, where, minPx = 10) {
  const l = await app.page.evaluate(ringLayout);
  assert.ok(l.labels.length > 0, where);
  for (const label of l.labels) {
    assert.ok(label.name.height >= minPx, `${where}: "${label.text}" name ${label.name.height.toFixed(1)}px tall`);
    assert.ok(label.role.height >= minPx, `${where}: "${label.text}" role ${label.role.height.toFixed(1)}px tall`);
    assert.ok(inside(label.box, l.ring), `${where}: "${label.text}" ${JSON.stringify(label.box)} inside the ring ${JSON.stringify(l.ring)}`);
  }
  assert.ok(inside(l.ring, l.viewport), `${where}: the ring inside the frame`);
  return l;
}

test('(M3) embedded at 700×450: server names and roles at least 10px tall, the legend behind a button, inside the frame', async (app) => {
  await app.page.setViewportSize({ width: 700, height: 450 });
  for (const query of ['?embed=1&controls=minimal&scenario=raft-first-election', '?embed=1&controls=full&algo=raft&seed=4', '?embed=1&controls=none&algo=paxos&seed=4&lang=zh']) {
    await app.open(query);
    await app.page.waitForTimeout(300);
    await checkLabels(app, query);
    const fold = await shown(app, '[data-legend-fold] summary');
    assert.ok(fold?.visible, `${query}: the legend's button`);
    await app.page.locator('[data-legend-fold] summary').click();
    const legend = await shown(app, '[data-legend]');
    assert.ok(legend?.visible, `${query}: the legend opens`);
    const viewport = await app.page.evaluate(() => ({ left: 0, top: 0, right: innerWidth, bottom: innerHeight }));
    assert.ok(inside(legend.box, viewport), `${query}: the legend ${JSON.stringify(legend.box)} inside the frame`);
  }
  assert.deepEqual(app.errors(), []);
});

test('(M4) embedded at 320×480: a compact layout whose labels stay readable', async (app) => {
  await app.page.setViewportSize({ width: 320, height: 480 });
  for (const query of ['?embed=1&controls=none&autoplay=0&scenario=raft-first-election&lang=zh', '?embed=1&controls=minimal&algo=raft&seed=4']) {
    await app.open(query);
    await app.page.waitForTimeout(300);
    await checkLabels(app, query);
    const scrolls = await app.page.evaluate(() => {
      const root = document.scrollingElement;
      return root.scrollHeight > root.clientHeight + 1 || root.scrollWidth > root.clientWidth + 1;
    });
    assert.equal(scrolls, false, `${query}: no scrollbars`);
  }
  assert.deepEqual(app.errors(), []);
});

test('(M5) on a 390×844 phone, a scenario\'s narration and the ring are on screen together', async (app) => {
  await app.page.setViewportSize({ width: 390, height: 844 });
  for (const [query, next] of [['?scenario=raft-first-election', 'Next ▶'], ['?scenario=raft-leader-crash&lang=zh', '下一步 ▶']]) {
    await app.open(query);
    await app.page.waitForSelector('.narration-text');
    const steps = await app.page.locator('.step-dot').count();
    for (let step = 0; step < steps; step++) {
      const l = await app.page.evaluate(() => {
        const b = (el) => {
          const r = el.getBoundingClientRect();
          return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
        };
        return {
          scrollY,
          viewport: { left: 0, top: 0, right: innerWidth, bottom: innerHeight },
          text: b(document.querySelector('.narration-text')),
          ring: b(document.querySelector('svg.ring')),
        };
      });
      assert.equal(l.scrollY, 0);
      assert.ok(inside(l.text, l.viewport), `${query} step ${step + 1}: the narration's text ${JSON.stringify(l.text)} on screen`);
      const ringShown = Math.min(l.ring.bottom, l.viewport.bottom) - Math.max(l.ring.top, 0);
      assert.ok(ringShown >= l.ring.height * 0.6, `${query} step ${step + 1}: most of the ring ${JSON.stringify(l.ring)} on screen`);
      if (step + 1 < steps) await app.page.getByRole('button', { name: next, exact: true }).click();
      await app.page.waitForTimeout(200);
      await app.page.evaluate(() => window.scrollTo(0, 0));
    }
  }
  assert.deepEqual(app.errors(), []);
});

test('(M6) dark colours follow the system without theme=; the header\'s switch changes them and the address keeps the choice', async (app) => {
  await app.page.emulateMedia({ colorScheme: 'dark' });
  await app.open('?algo=raft&seed=1');
  const theme = () => app.page.evaluate(() => ({
    root: document.documentElement.dataset.theme,
    app: document.querySelector('[data-app]').dataset.theme,
    background: getComputedStyle(document.body).backgroundColor,
    url: location.search,
  }));
  let t = await theme();
  assert.equal(t.root, 'dark', 'the system asks for dark');
  assert.equal(t.app, 'dark');
  assert.equal(t.background, 'rgb(2, 6, 23)');
  assert.doesNotMatch(t.url, /theme=/, 'following the system writes nothing');
  // The system changes its mind: the page follows.
  await app.page.emulateMedia({ colorScheme: 'light' });
  await app.until('light', async () => (await theme()).root === 'light');
  await app.page.emulateMedia({ colorScheme: 'dark' });
  await app.until('dark again', async () => (await theme()).root === 'dark');
  const toggle = app.page.getByRole('button', { name: 'Dark theme', exact: true });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await toggle.click();
  await app.until('light by the switch', async () => (await theme()).root === 'light');
  t = await theme();
  assert.equal(t.app, 'light');
  assert.equal(t.background, 'rgb(248, 250, 252)');
  assert.match(t.url, /[?&]theme=light\b/);
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  // Reopened, the address's choice wins over the system's.
  await app.page.reload();
  await app.until('the app', (s) => s.app !== null);
  assert.equal((await theme()).root, 'light');
  await app.page.getByRole('button', { name: 'Dark theme', exact: true }).click();
  await app.until('dark by the switch', async () => (await theme()).root === 'dark');
  assert.match((await theme()).url, /[?&]theme=dark\b/);
  // In Chinese the switch has a Chinese name.
  await app.open('?algo=raft&seed=1&lang=zh');
  assert.equal(await app.page.getByRole('button', { name: '深色主题', exact: true }).count(), 1);
  assert.deepEqual(app.errors(), []);
});

/** WCAG's contrast ratio of two CSS colours `rgb(...)`. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('(M7) the log table\'s matchIndex badge (M) is readable in both themes', async (app) => {
  for (const theme of ['dark', 'light']) {
    await app.open(`?algo=raft&seed=1&theme=${theme}`);
    const leader = await app.waitForLeader();
    await app.nodeAction(leader.id, 'Client request');
    await app.page.keyboard.press('Escape');
    await app.page.waitForSelector('[data-marker="match"]', { timeout: 20_000 });
    for (const marker of ['match', 'next']) {
      const colours = await app.page.evaluate((marker) => {
        const el = document.querySelector(`[data-marker="${marker}"]`);
        if (!el) return null;
        const s = getComputedStyle(el);
        return { color: s.color, background: s.backgroundColor };
      }, marker);
      if (!colours) continue;
      const ratio = contrast(colours.color, colours.background);
      assert.ok(ratio >= 4.5, `${theme}: the ${marker} badge ${JSON.stringify(colours)} has contrast ${ratio.toFixed(2)}`);
    }
  }
  assert.deepEqual(app.errors(), []);
});

test('(M8) every server\'s caption stays inside the ring: 7 Paxos servers, Chinese labels, 9 Raft servers', async (app) => {
  for (const query of [
    '?algo=paxos&proposers=3&acceptors=4&learners=0&seed=3',
    '?algo=paxos&proposers=3&acceptors=4&learners=0&seed=3&lang=zh',
    '?algo=paxos&proposers=2&acceptors=7&learners=3&seed=3&lang=zh',
    '?algo=raft&nodes=9&seed=3&lang=zh',
    '?algo=multipaxos&nodes=9&seed=3',
  ]) {
    await app.open(query);
    // Let the roles and details change (a longer word) before measuring.
    await app.page.waitForTimeout(1500);
    const l = await app.page.evaluate(ringLayout);
    for (const label of l.labels) {
      assert.ok(inside(label.box, l.ring), `${query}: "${label.text}" ${JSON.stringify(label.box)} inside the ring ${JSON.stringify(l.ring)}`);
    }
  }
  assert.deepEqual(app.errors(), []);
});

test('(M9) 9 Raft servers: the log table\'s first column is not under its pinned name column', async (app) => {
  await app.open('?algo=raft&nodes=9&seed=3');
  const leader = await app.waitForLeader();
  await app.nodeAction(leader.id, 'Client request');
  await app.page.keyboard.press('Escape');
  await app.page.waitForSelector('[data-log-entry][data-index="1"]', { timeout: 20_000 });
  await app.page.evaluate(() => { document.querySelector('.logs .table-scroll').scrollLeft = 0; });
  await app.page.waitForTimeout(200);
  const rows = await app.page.evaluate(() =>
    [...document.querySelectorAll('.log-table tr')].map((tr) => {
      const who = tr.querySelector('th.who').getBoundingClientRect();
      const first = tr.querySelector('th.who').nextElementSibling;
      const r = first?.getBoundingClientRect();
      return { who: { right: who.right }, first: r ? { left: r.left, right: r.right } : null };
    }),
  );
  assert.ok(rows.length >= 10);
  for (const [i, row] of rows.entries()) {
    assert.ok(row.first, `row ${i}: a first column`);
    assert.ok(row.first.left >= row.who.right - 0.5, `row ${i}: the first column ${JSON.stringify(row.first)} starts after the name column ${JSON.stringify(row.who)}`);
  }
  assert.deepEqual(app.errors(), []);
});
