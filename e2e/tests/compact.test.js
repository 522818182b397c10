// Small screens (issue 11): a 320×480 embed is a compact layout, not a shrunken page (the ring
// the largest thing, labels at least 10 pixels, a one-line timeline, a short narration, the Key
// at the top right, menus inside the frame); on a 390×844 phone the ring, the step's text and
// Prev / Next are on screen together at every step, the timeline keeps no empty band, and the
// caption inside each server is readable or left out. Sizes and places are read from the page
// (getBoundingClientRect of data-*-selected elements; a text's box is its rendered glyph box).
import assert from 'node:assert/strict';

import { browserSuite, SEL } from '../helpers/browser.js';
import { inside, overlap, ringLayout, shown } from '../helpers/layout.js';

const test = browserSuite();
// A phone as it is: its screen has three pixels to a CSS pixel, a finger taps.
const phone = browserSuite({ viewport: { width: 390, height: 844 }, touch: true, deviceScaleFactor: 3 });

const MIN_PX = 10;

/** Names and roles at least MIN_PX tall, every label inside the square the ring is drawn in. */
function checkLabels(l, where) {
  assert.ok(l.labels.length > 0, `${where}: labels`);
  for (const label of l.labels) {
    assert.ok(label.name.height >= MIN_PX, `${where}: "${label.text}" name ${label.name.height.toFixed(1)}px tall`);
    assert.ok(label.role.height >= MIN_PX, `${where}: "${label.text}" role ${label.role.height.toFixed(1)}px tall`);
    assert.ok(inside(label.box, l.drawn), `${where}: "${label.text}" ${JSON.stringify(label.box)} inside the ring ${JSON.stringify(l.drawn)}`);
  }
}

/** No label over another label or over another server's body. */
function checkNoLabelOverlap(l, where) {
  l.labels.forEach((a, i) => {
    l.labels.forEach((b, j) => {
      if (j <= i) return;
      for (const la of a.lines) {
        for (const lb of b.lines) {
          assert.ok(!overlap(la, lb), `${where}: "${a.text}" ${JSON.stringify(la)} over "${b.text}" ${JSON.stringify(lb)}`);
        }
      }
    });
    l.nodes.forEach((body, j) => {
      if (j === i) return;
      for (const line of a.lines) assert.ok(!overlap(line, body), `${where}: "${a.text}" over S${j + 1}`);
    });
  });
}

const noScrollbars = (app) => app.page.evaluate(() => {
  const root = document.scrollingElement;
  return root.scrollHeight <= root.clientHeight + 1 && root.scrollWidth <= root.clientWidth + 1;
});

test('(K1) a 320×480 embed with every control is a compact layout: the ring the largest thing, nothing over anything, menus inside the frame', async (app) => {
  await app.page.setViewportSize({ width: 320, height: 480 });
  for (const query of [
    '?embed=1&controls=full&scenario=raft-first-election',
    '?embed=1&controls=full&scenario=raft-leader-crash&lang=zh',
    '?embed=1&controls=full&algo=raft&seed=4',
  ]) {
    await app.open(query);
    await app.page.waitForTimeout(400);
    const l = await app.page.evaluate(ringLayout);
    assert.ok(await noScrollbars(app), `${query}: no scrollbars`);
    const header = await shown(app, 'header.top');
    const timeline = await shown(app, '[data-timeline]');
    const key = await shown(app, '[data-legend-fold] summary');
    const footer = await shown(app, 'footer.status');
    const narration = await shown(app, '[data-scenario]');
    assert.ok(!footer?.visible, `${query}: no status line in a frame this small`);
    // The ring's square takes what room is left and is larger than anything else.
    assert.ok(l.drawn.width >= 190, `${query}: the ring is drawn ${l.drawn.width.toFixed(0)}px square`);
    assert.ok(inside(l.drawn, l.viewport), `${query}: the ring ${JSON.stringify(l.drawn)} inside the frame`);
    const parts = { header, timeline, narration, key };
    for (const [name, part] of Object.entries(parts)) {
      if (!part) continue;
      assert.ok(part.visible, `${query}: the ${name} is shown`);
      assert.ok(inside(part.box, l.viewport), `${query}: the ${name} ${JSON.stringify(part.box)} inside the frame`);
      assert.ok(part.box.width * part.box.height < l.drawn.width * l.drawn.height, `${query}: the ring is larger than the ${name}`);
      for (const [other, o] of Object.entries(parts)) {
        if (o && other > name) assert.ok(!overlap(part.box, o.box), `${query}: the ${name} ${JSON.stringify(part.box)} is not over the ${other} ${JSON.stringify(o.box)}`);
      }
      if (name !== 'key') assert.ok(!overlap(part.box, l.drawn), `${query}: the ${name} ${JSON.stringify(part.box)} is not over the ring ${JSON.stringify(l.drawn)}`);
    }
    assert.ok(timeline.box.height <= 36, `${query}: the timeline is one line (${timeline.box.height}px)`);
    checkLabels(l, query);
    // The Key at the top right, over no server and no label.
    assert.ok(key.box.right >= l.viewport.right - 12 && key.box.top <= l.drawn.top + 12, `${query}: the Key ${JSON.stringify(key.box)} at the ring's top right`);
    for (const label of l.labels) for (const line of label.lines) assert.ok(!overlap(key.box, line), `${query}: the Key is not over "${label.text}"`);
    for (const [i, body] of l.nodes.entries()) assert.ok(!overlap(key.box, body), `${query}: the Key is not over S${i + 1}`);
    if (narration) {
      // A short narration: its text scrolls within a few lines, Prev / Next always shown.
      const text = await shown(app, '.narration-text');
      assert.ok(text.box.height <= 64, `${query}: the step's text is ${text.box.height}px tall`);
      for (const button of await app.page.locator('.narration-controls > button').all()) {
        const b = await button.boundingBox();
        assert.ok(b && inside({ left: b.x, top: b.y, right: b.x + b.width, bottom: b.y + b.height }, narration.box),
          `${query}: Prev / Next inside the narration (${JSON.stringify(b)})`);
      }
    }
    // The legend opens inside the frame.
    await app.page.locator('[data-legend-fold] summary').click();
    const legend = await shown(app, '[data-legend]');
    assert.ok(legend?.visible && inside(legend.box, l.viewport), `${query}: the legend ${JSON.stringify(legend?.box)} inside the frame`);
    await app.page.locator('[data-legend-fold] summary').click();
    // So does the list of scenarios.
    await app.page.locator('[data-scenario-menu] summary').click();
    // The list is moved inside the window when the menu has opened (its toggle event).
    await app.page.locator('[data-scenario-menu][data-scenarios-loaded="true"]').waitFor({ timeout: 10_000 });
    const list = await shown(app, '.scenario-list');
    assert.ok(list?.visible && inside(list.box, l.viewport), `${query}: the Scenarios list ${JSON.stringify(list?.box)} inside the frame`);
    await app.page.locator('[data-scenario-menu] summary').click();
    // And every server's menu and its inspector.
    for (let id = 0; id < l.nodes.length; id++) {
      await app.page.locator(SEL.nodeById(id)).click();
      await app.page.waitForSelector(`[data-node-menu="${id}"]`, { state: 'attached', timeout: 5_000 });
      const menu = await shown(app, `[data-node-menu="${id}"]`);
      assert.ok(menu?.visible && inside(menu.box, l.viewport), `${query}: S${id + 1}'s menu ${JSON.stringify(menu?.box)} inside the frame`);
      const inspector = await shown(app, '[data-inspector="node"]');
      if (inspector) assert.ok(inside(inspector.box, l.viewport), `${query}: S${id + 1}'s inspector inside the frame`);
      await app.page.keyboard.press('Escape');
      await app.page.waitForSelector('[data-node-menu]', { state: 'detached', timeout: 5_000 });
    }
  }
  assert.deepEqual(app.errors(), []);
});

test('(K2) a 320×480 embed with minimal controls: names and roles at least 10px for 3 and 5 servers; 7 Paxos servers in Chinese overlap nothing', async (app) => {
  await app.page.setViewportSize({ width: 320, height: 480 });
  for (const query of [
    '?embed=1&controls=minimal&scenario=raft-first-election',
    '?embed=1&controls=minimal&scenario=raft-first-election&lang=zh',
    '?embed=1&controls=minimal&algo=raft&nodes=3&seed=4',
    '?embed=1&controls=minimal&algo=raft&nodes=5&seed=4&lang=zh',
    '?embed=1&controls=none&algo=paxos&proposers=1&acceptors=2&learners=0&seed=2',
  ]) {
    await app.open(query);
    await app.page.waitForTimeout(1000);
    const l = await app.page.evaluate(ringLayout);
    checkLabels(l, query);
    checkNoLabelOverlap(l, query);
    assert.ok(inside(l.drawn, l.viewport), `${query}: the ring inside the frame`);
    assert.ok(await noScrollbars(app), `${query}: no scrollbars`);
  }
  for (const query of [
    '?embed=1&controls=minimal&algo=paxos&proposers=3&acceptors=4&learners=0&seed=3&lang=zh',
    '?embed=1&controls=minimal&algo=paxos&proposers=3&acceptors=4&learners=0&seed=3',
  ]) {
    await app.open(query);
    // Let the roles and details change (a longer word) before measuring.
    await app.page.waitForTimeout(1500);
    const l = await app.page.evaluate(ringLayout);
    for (const label of l.labels) {
      assert.ok(inside(label.box, l.drawn), `${query}: "${label.text}" ${JSON.stringify(label.box)} inside the ring ${JSON.stringify(l.drawn)}`);
    }
    checkNoLabelOverlap(l, query);
  }
  assert.deepEqual(app.errors(), []);
});

phone('(K3) on a 390×844 phone (3 pixels to the CSS pixel), the ring, the step\'s text and Prev / Next are on screen together at every step', async (app) => {
  for (const [query, next] of [['?scenario=raft-leader-crash', 'Next ▶'], ['?scenario=raft-leader-crash&lang=zh', '下一步 ▶']]) {
    await app.open(query);
    await app.page.waitForSelector('.narration-text');
    assert.equal(await app.page.evaluate(() => devicePixelRatio), 3);
    const steps = Number((await app.narration()).steps);
    assert.ok(steps >= 5);
    for (let step = 0; step < steps; step++) {
      await app.untilStep(step);
      await app.page.waitForTimeout(150);
      const l = await app.page.evaluate(ringLayout);
      const y = await app.page.evaluate(() => scrollY);
      assert.equal(y, 0, `${query} step ${step + 1}: the page is not scrolled`);
      assert.ok(inside(l.ring, l.viewport), `${query} step ${step + 1}: the ring ${JSON.stringify(l.ring)} on screen`);
      const text = await shown(app, '.narration-text');
      assert.ok(inside(text.box, l.viewport), `${query} step ${step + 1}: the step's text ${JSON.stringify(text.box)} on screen`);
      assert.ok(!overlap(text.box, l.ring), `${query} step ${step + 1}: the text is not over the ring`);
      for (const name of [next, query.includes('zh') ? '◀ 上一步' : '◀ Previous']) {
        const b = await app.page.getByRole('button', { name, exact: true }).boundingBox();
        assert.ok(b && inside({ left: b.x, top: b.y, right: b.x + b.width, bottom: b.y + b.height }, l.viewport),
          `${query} step ${step + 1}: "${name}" ${JSON.stringify(b)} on screen`);
      }
      if (step + 1 < steps) await app.page.getByRole('button', { name: next, exact: true }).click();
    }
  }
  assert.deepEqual(app.errors(), []);
});

test('(K4) on a phone the timeline keeps no empty band at the live end, and shows its note in the past in the same room', async (app) => {
  await app.page.setViewportSize({ width: 390, height: 844 });
  for (const query of ['?algo=raft&nodes=5&seed=42', '?algo=raft&nodes=5&seed=42&lang=zh']) {
    await app.open(query);
    await app.waitForLeader();
    // Paused at the live end (the play button's name is in the page's language).
    await app.page.locator('.controls .play').click();
    await app.until('paused', (s) => s.app.playing === 'false');
    /** The timeline's box and the lowest bottom of what it shows (a control, or a text that says something). */
    const bands = () => app.page.evaluate(() => {
      const bar = document.querySelector('[data-timeline]');
      const s = getComputedStyle(bar);
      const r = bar.getBoundingClientRect();
      const shownParts = [...bar.querySelectorAll('button, input, output, .tl-events, .past-note')].filter((el) =>
        el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
        && (el.matches('button, input') || el.textContent.trim() !== ''));
      return {
        top: r.top,
        height: r.height,
        inner: r.bottom - parseFloat(s.paddingBottom) - parseFloat(s.borderBottomWidth),
        lowest: Math.max(...shownParts.map((el) => el.getBoundingClientRect().bottom)),
        note: shownParts.some((el) => el.matches('.past-note')),
      };
    });
    const live = await bands();
    assert.equal(live.note, false, `${query}: no note at the live end`);
    assert.ok(live.inner - live.lowest <= 2, `${query}: at the live end the timeline ends ${(live.inner - live.lowest).toFixed(0)}px below what it shows`);
    await app.page.getByRole('slider', { name: /Timeline|时间线/ }).focus();
    await app.page.keyboard.press('Home');
    await app.until('the past', (s) => s.app.inPast === 'true');
    const past = await bands();
    assert.equal(past.note, true, `${query}: the note in the past`);
    assert.ok(past.inner - past.lowest <= 2, `${query}: in the past the note fills the room`);
    assert.equal(past.height, live.height, `${query}: the timeline keeps its height`);
  }
  assert.deepEqual(app.errors(), []);
});

test('(K5) on a phone and in a small embed, the caption inside each server is at least 10px tall or left out; the number stays and the menu names it', async (app) => {
  for (const [size, query] of [
    [[390, 844], '?algo=raft&seed=1'],
    [[390, 844], '?algo=paxos&seed=2&lang=zh'],
    [[390, 844], '?scenario=raft-leader-crash'],
    [[320, 480], '?embed=1&controls=minimal&algo=multipaxos&seed=2'],
  ]) {
    await app.page.setViewportSize({ width: size[0], height: size[1] });
    await app.open(query);
    await app.page.waitForTimeout(500);
    const nodes = await app.page.evaluate(() => [...document.querySelectorAll('svg.ring [data-node-id][data-role]')].map((g) => {
      const caption = g.querySelector('.term-caption');
      const number = g.querySelector('.term');
      const drawn = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).display !== 'none' && getComputedStyle(el).visibility !== 'hidden';
      return {
        caption: drawn(caption) ? caption.getBoundingClientRect().height : null,
        number: drawn(number) && number.textContent.trim() !== '' ? number.getBoundingClientRect().height : null,
      };
    }));
    assert.ok(nodes.length >= 3, query);
    for (const [i, n] of nodes.entries()) {
      assert.ok(n.caption === null || n.caption >= MIN_PX, `${query}: S${i + 1}'s caption is ${n.caption?.toFixed(1)}px tall`);
      assert.ok(n.number !== null && n.number >= MIN_PX, `${query}: S${i + 1}'s number is shown (${n.number?.toFixed(1)}px)`);
    }
  }
  // What the caption said, the server's menu says in words.
  await app.page.setViewportSize({ width: 390, height: 844 });
  await app.open('?algo=raft&seed=1');
  await app.page.locator(SEL.nodeById(0)).click();
  const facts = await app.page.locator('[data-node-menu="0"] dt').allTextContents();
  assert.ok(facts.some((t) => /term/i.test(t)), `the menu names the term: ${facts}`);
  assert.deepEqual(app.errors(), []);
});
