// The guided start and the glossary (issue 11): a first visit is offered a tour of Raft's
// ideas on the live ring, each step pointing at its target (data-tour-target on the card,
// data-highlight on what the ring draws), ending with "crash the leader", which follows the
// run until a new leader is elected; the offer is remembered in localStorage (which may
// throw) and never shown in an embed, presenter mode, a scenario or a shared run; the
// glossary opens from the help, the legend and the inspector's field names, scrolled to
// the entry, in English and Chinese.
import assert from 'node:assert/strict';

import { browserSuite, SEL, sleep } from '../helpers/browser.js';

const test = browserSuite();

/** The tour's card and what the ring highlights, in one round trip. */
function readTour() {
  const card = document.querySelector('[data-tour]');
  return {
    card: card ? { ...card.dataset } : null,
    status: card?.querySelector('[role="status"]')?.textContent ?? null,
    spots: [...document.querySelectorAll('[data-highlight]')].map((e) => ({
      what: e.dataset.highlight,
      node: e.dataset.highlightNode === undefined ? null : Number(e.dataset.highlightNode),
      msg: e.dataset.highlightMsg ?? null,
      // The kind of the message it rings, read from the message's own element.
      kind: e.dataset.highlightMsg
        ? document.querySelector(`[data-msg-id="${e.dataset.highlightMsg}"]`)?.dataset.msgKind ?? null
        : null,
    })),
  };
}

const tour = (app) => app.page.evaluate(readTour);

async function untilTour(app, description, predicate, { timeout = 20_000 } = {}) {
  const deadline = Date.now() + timeout;
  let t = null;
  for (;;) {
    t = await tour(app);
    const s = await app.state();
    const value = predicate(t, s);
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${description}; tour: ${JSON.stringify(t)}`);
    }
    await sleep(100);
  }
}

const button = (app, name) => app.page.getByRole('button', { name, exact: true });

test('(G1) a first visit is offered the guided start; each step highlights its target; "now you try" follows the crash to a new leader', async (app) => {
  await app.open('');
  await app.until('5 servers', (s) => s.nodes.length === 5);
  let t = await untilTour(app, 'the offer', (t) => t.card?.tour === 'offer' && t);
  assert.deepEqual(t.spots, [], 'the offer highlights nothing');
  await button(app, 'Show me how it works').click();

  // 1. A cluster: every server.
  t = await untilTour(app, 'step 1', (t) => t.card?.tourStep === 'cluster' && t);
  assert.equal(t.card.tourTarget, 'servers');
  assert.deepEqual(t.spots.map((s) => s.node).sort(), [0, 1, 2, 3, 4], 'every server is ringed');
  assert.ok(t.spots.every((s) => s.what === 'server'));
  // The cluster starts again and stands still while the steps about what stands still are read.
  let s0 = await app.until('held at the start', (s) => s.app.playing === 'false' && s.app.events === '0' && s);
  assert.equal(s0.app.virtualTime, '0');
  await button(app, 'Next').click();

  // 2. Terms: the number in every server.
  t = await untilTour(app, 'step 2', (t) => t.card?.tourStep === 'term' && t);
  assert.equal(t.card.tourTarget, 'numbers');
  assert.deepEqual(t.spots.map((s) => s.node).sort(), [0, 1, 2, 3, 4]);
  assert.ok(t.spots.every((s) => s.what === 'number'));
  await button(app, 'Next').click();

  // 3. The election timeout: one follower's timer ring.
  await untilTour(app, 'a follower\'s timer ringed', (t, s) => {
    if (t.card?.tourStep !== 'election-timeout' || t.card.tourTarget !== 'timer') return false;
    const [spot, ...more] = t.spots;
    return spot && more.length === 0 && spot.what === 'timer' &&
      s.nodes.find((n) => n.id === spot.node)?.role === 'follower';
  });
  // The step on the election timeout plays the run: the timers are seen running out.
  await app.until('playing from the election timeout on', (s) => s.app.playing === 'true');
  // Back and Next move between steps.
  await button(app, 'Back').click();
  await untilTour(app, 'back at step 2', (t) => t.card?.tourStep === 'term');
  await button(app, 'Next').click();
  await untilTour(app, 'step 3 again', (t) => t.card?.tourStep === 'election-timeout');
  await button(app, 'Next').click();

  // 4. The leader: the leader alone.
  const leader = await app.waitForLeader();
  await untilTour(app, 'the leader ringed', (t, s) => {
    const now = s.nodes.find((n) => n.role === 'leader' && n.status === 'up');
    return t.card?.tourStep === 'leader' && now && t.spots.length === 1 &&
      t.spots[0].what === 'server' && t.spots[0].node === now.id;
  });
  await button(app, 'Next').click();

  // 5. Heartbeats: an AppendEntries with no entries, in flight.
  await untilTour(app, 'a heartbeat ringed', (t) =>
    t.card?.tourStep === 'heartbeat' && t.card.tourTarget === 'message' &&
    t.spots.length > 0 && t.spots.every((s) => s.what === 'message' && s.kind === 'AppendEntries'));
  await button(app, 'Next').click();

  // 6. Committing: the step sends a request; its entry is committed, and highlighted.
  await untilTour(app, 'step 6', (t) => t.card?.tourStep === 'commit' && t.card.tourTarget === 'committed');
  await button(app, 'Send a client request').click();
  await app.until('a committed entry', (s) => s.log.some((e) => e.committed), { timeout: 30_000 });
  await button(app, 'Next').click();

  // 7. Now you try: crash the leader.
  const current = await app.waitForLeader();
  t = await untilTour(app, 'the last step, waiting for the leader\'s crash', (t) =>
    t.card?.tourStep === 'try' && t.card.tourProgress === 'waiting' &&
    t.spots.length === 1 && t.spots[0].node === current.id && t);
  assert.equal(t.status, null, 'nothing to report before the crash');
  await app.nodeAction(current.id, 'Crash', { close: false });
  t = await untilTour(app, 'the tour to see the crash', (t) => t.card?.tourProgress === 'down' && t);
  assert.match(t.status, new RegExp(`S${current.id + 1} is down`));
  // The menu held the run paused: the tour closes it, so the election can be watched.
  await app.page.locator('[data-node-menu]').waitFor({ state: 'detached', timeout: 5_000 });
  const next = await app.waitForLeader({ minTerm: current.term, timeout: 60_000 });
  t = await untilTour(app, 'the congratulations', (t) => t.card?.tourProgress === 'elected' && t);
  assert.match(t.status, new RegExp(`Well done: S${next.id + 1} won`));
  assert.ok(current.term >= leader.term);
  await button(app, 'Finish').click();
  await untilTour(app, 'the tour to end', (t) => t.card === null && t.spots.length === 0);
  assert.deepEqual(app.errors(), []);
});

test('(G2) a returning browser is not offered it again; the help reopens it, Escape closes it', async (app) => {
  await app.open('?algo=raft');
  await untilTour(app, 'the offer on the first visit', (t) => t.card?.tour === 'offer');
  // The same browser (its localStorage) comes back.
  await app.open('?algo=raft');
  await app.until('5 servers', (s) => s.nodes.length === 5);
  await sleep(500);
  assert.equal((await tour(app)).card, null, 'no offer on the second visit');
  await app.page.locator('body').press('?');
  await button(app, 'Guided start').click();
  const t = await untilTour(app, 'step 1 from the help', (t) => t.card?.tourStep === 'cluster' && t);
  assert.equal(t.card.tourIndex, '0');
  const focused = await app.page.evaluate(() => !!document.activeElement?.closest('[data-tour]'));
  assert.ok(focused, 'the step has the keyboard focus');
  await app.page.keyboard.press('Escape');
  await untilTour(app, 'Escape to close it', (t) => t.card === null);
  assert.deepEqual(app.errors(), []);
});

test('(G3) an embed, presenter mode, a scenario and a shared run never show it (and do not use up the offer)', async (app) => {
  await app.open('?algo=raft&seed=3');
  const s = await app.until('a leader', (s) => s.nodes.some((n) => n.role === 'leader'));
  // A shared run of this page, to open.
  await app.page.evaluate(() => localStorage.clear());
  await button(app, 'Copy link').click();
  await app.page.locator('[data-share-link]').waitFor({ timeout: 5_000 });
  const link = await app.page.locator('[data-share-link]').getAttribute('data-share-link');
  assert.match(link, /\?algo=raft&run=/);
  const pages = [
    '?embed=1', '?algo=raft&present=1', '?scenario=raft-first-election', '?embed=1&scenario=raft-split-vote',
    link.slice(link.indexOf('?')),
  ];
  for (const query of pages) {
    await app.open(query);
    await app.until(`servers on ${query}`, (st) => st.nodes.length > 0);
    await sleep(400);
    assert.equal((await tour(app)).card, null, `no tour on ${query}`);
  }
  assert.ok(s);
  // The scenario's help has no "Guided start" either.
  await app.open('?scenario=raft-first-election');
  await app.until('servers', (st) => st.nodes.length > 0);
  await app.page.locator('body').press('?');
  await app.page.locator('[data-help]').waitFor({ timeout: 5_000 });
  assert.equal(await app.page.locator('[data-tour-open]').count(), 0, 'no Guided start over a scenario');
  // None of them used up the offer: a page of its own still makes it.
  await app.open('?algo=raft');
  await untilTour(app, 'the offer', (t) => t.card?.tour === 'offer');
  assert.deepEqual(app.errors(), []);
});

test('(G4) a localStorage that throws does not break the page: the offer still shows', async (app) => {
  await app.page.addInitScript(() => {
    const denied = () => { throw new DOMException('denied', 'SecurityError'); };
    Storage.prototype.getItem = denied;
    Storage.prototype.setItem = denied;
  });
  await app.open('');
  await app.until('5 servers', (s) => s.nodes.length === 5);
  await untilTour(app, 'the offer', (t) => t.card?.tour === 'offer');
  await button(app, 'Show me how it works').click();
  await untilTour(app, 'step 1', (t) => t.card?.tourStep === 'cluster');
  assert.deepEqual(app.errors(), []);

  // Storage denied outright: reading window.localStorage throws.
  const other = await app.page.context().newPage();
  const errors = [];
  other.on('pageerror', (e) => errors.push(e.message));
  await other.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('denied', 'SecurityError'); },
    });
  });
  await other.goto(`${app.baseUrl}/?algo=raft`);
  await other.locator('[data-tour="offer"]').waitFor({ timeout: 20_000 });
  assert.equal(await other.locator(SEL.node).count(), 5);
  assert.deepEqual(errors, []);
});

/** The glossary's entry shown: which one is current, its text, and whether it is in the panel's view. */
function readGlossary() {
  const panel = document.querySelector('[data-glossary]');
  if (!panel) return null;
  const current = panel.querySelector('[data-glossary-term][data-current="true"]');
  const list = panel.querySelector('.entries') ?? panel;
  const seen = (el) => {
    const a = el.getBoundingClientRect();
    const b = list.getBoundingClientRect();
    return a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  };
  return {
    current: current?.dataset.glossaryTerm ?? null,
    text: current?.textContent ?? null,
    inView: current ? seen(current) : null,
    focused: current ? document.activeElement === current : null,
    entries: panel.querySelectorAll('[data-glossary-term]').length,
  };
}

async function untilGlossary(app, description, predicate) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const g = await app.page.evaluate(readGlossary);
    if (predicate(g)) return g;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}; glossary: ${JSON.stringify(g)}`);
    await sleep(100);
  }
}

test('(G5) the glossary opens from the help, the legend and an inspector field, at the right entry, in English and Chinese', async (app) => {
  await app.open('?algo=raft&seed=5');
  await app.waitForLeader();
  // From the help.
  await app.page.locator('body').press('?');
  await app.page.locator('[data-help]').getByRole('button', { name: 'Glossary', exact: true }).click();
  let g = await untilGlossary(app, 'the glossary from the help', (g) => g && g.entries >= 12);
  assert.equal(g.current, null, 'opened at its top');
  await app.page.getByRole('button', { name: 'Close the glossary', exact: true }).click();
  await untilGlossary(app, 'closed', (g) => g === null);

  // From the legend: its Glossary button, and a message type named in it.
  await app.page.locator('[data-legend] [data-glossary-open="legend"]').click();
  await untilGlossary(app, 'the glossary from the legend', (g) => g && g.entries >= 12);
  await app.page.keyboard.press('Escape');
  await untilGlossary(app, 'Escape to close it', (g) => g === null);
  await app.page.locator('[data-legend] [data-glossary-link="AppendEntries"]').click();
  g = await untilGlossary(app, 'the AppendEntries entry', (g) => g?.current === 'AppendEntries' && g.inView);
  assert.match(g.text, /heartbeat/);
  await app.page.keyboard.press('Escape');

  // From an inspector's field name: matchIndex is the last entry, far down the list.
  const leader = await app.waitForLeader();
  await app.page.locator(SEL.nodeById(leader.id)).click();
  const inspector = app.page.locator('[data-inspector="node"]');
  await inspector.getByRole('button', { name: 'matchIndex[]', exact: true }).click();
  g = await untilGlossary(app, 'the matchIndex entry, scrolled to', (g) => g?.current === 'matchIndex' && g.inView && g.focused);
  assert.match(g.text, /matchIndex\[\]/, 'the paper\'s name');
  assert.match(g.text, /匹配索引/, 'the Chinese term beside it');
  assert.match(g.text, /Figure 2/, 'where the paper defines it');
  // The inspector stays open under it.
  assert.equal(await inspector.count(), 1);
  await app.page.keyboard.press('Escape');
  await untilGlossary(app, 'closed', (g) => g === null);
  await inspector.getByRole('button', { name: 'votedFor', exact: true }).click();
  g = await untilGlossary(app, 'the votedFor entry', (g) => g?.current === 'votedFor' && g.inView);
  assert.match(g.text, /已投给/);

  // In Chinese.
  await app.open('?algo=raft&seed=5&lang=zh');
  await app.waitForLeader();
  await app.page.locator('body').press('?');
  await app.page.locator('[data-help]').getByRole('button', { name: '术语表', exact: true }).click();
  g = await untilGlossary(app, 'the glossary in Chinese', (g) => g && g.entries >= 12);
  await app.page.getByRole('button', { name: '关闭术语表', exact: true }).click();
  await app.page.locator(SEL.nodeById(0)).click();
  await app.page.locator('[data-inspector="node"]').getByRole('button', { name: 'commitIndex', exact: true }).click();
  g = await untilGlossary(app, 'the commitIndex entry in Chinese', (g) => g?.current === 'commitIndex' && g.inView);
  assert.match(g.text, /提交索引/);
  assert.match(g.text, /commitIndex/);
  assert.match(g.text, /论文出处：Raft 论文图 2/);
  assert.deepEqual(app.errors(), []);
});

test('(G6) the guided start\'s card does not cover the ring\'s servers, on a laptop and a phone, where card and ring both fit the screen at every step', async (app) => {
  let stepRing = Infinity;
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await app.page.setViewportSize(viewport);
    await app.open('?algo=raft');
    await app.page.evaluate(() => localStorage.clear());
    await app.open('?algo=raft');
    await untilTour(app, 'the offer', (t) => t.card?.tour === 'offer');
    await button(app, 'Show me how it works').click();
    await untilTour(app, 'step 1', (t) => t.card?.tourStep === 'cluster');
    const overlaps = await app.page.evaluate((nodeSel) => {
      const card = document.querySelector('[data-tour]').getBoundingClientRect();
      const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      return [...document.querySelectorAll(nodeSel)]
        .filter((n) => hit(card, n.getBoundingClientRect()))
        .map((n) => n.dataset.nodeId);
    }, SEL.node);
    assert.deepEqual(overlaps, [], `the card covers no server at ${viewport.width}×${viewport.height}`);
    if (viewport.width > 600) continue;
    // On a phone, at every step: the ring and the whole card on the one screen, one above the
    // other, neither cut (nothing to scroll to while reading a step).
    for (let step = 0; step < 4; step++) {
      await app.page.waitForTimeout(200);
      const fit = await app.page.evaluate(() => {
        const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
        const card = box(document.querySelector('[data-tour]'));
        const ring = box(document.querySelector('[data-ring]'));
        const on = (b) => b.left >= -1 && b.top >= -1 && b.right <= innerWidth + 1 && b.bottom <= innerHeight + 1;
        const hit = card.left < ring.right && ring.left < card.right && card.top < ring.bottom && ring.top < card.bottom;
        // Nothing in the card cut by its own box either.
        const cut = [...document.querySelectorAll('[data-tour] :is(h2, p, button)')]
          .filter((el) => { const b = box(el); return b.bottom > card.bottom + 1 || b.right > card.right + 1; })
          .map((el) => el.textContent.trim().slice(0, 30));
        return { card, ring, hit, cardOn: on(card), ringOn: on(ring), cut, step: document.querySelector('[data-tour]').dataset.tourStep };
      });
      const where = `390×844, step ${fit.step}`;
      assert.equal(fit.hit, false, `${where}: the card ${JSON.stringify(fit.card)} and the ring ${JSON.stringify(fit.ring)} do not overlap`);
      assert.ok(fit.ringOn, `${where}: the ring ${JSON.stringify(fit.ring)} is on the screen`);
      assert.ok(fit.cardOn, `${where}: the card ${JSON.stringify(fit.card)} is on the screen`);
      assert.ok(fit.ring.bottom <= fit.card.top + 1, `${where}: the ring above the card`);
      assert.deepEqual(fit.cut, [], `${where}: nothing in the card is cut`);
      stepRing = Math.min(stepRing, fit.ring.right - fit.ring.left);
      assert.ok(fit.ring.bottom - fit.ring.top >= 200, `${where}: the ring is still large enough to read (${fit.ring.bottom - fit.ring.top}px)`);
      await button(app, 'Next').click();
    }
    await app.page.keyboard.press('Escape');
  }
  // The offer alone leaves the ring its full size on a phone (its messages stay a finger's width).
  await app.page.setViewportSize({ width: 390, height: 844 });
  await app.page.evaluate(() => localStorage.clear());
  await app.open('?algo=raft');
  await untilTour(app, 'the offer', (t) => t.card?.tour === 'offer');
  const offered = await app.page.evaluate(() => document.querySelector('[data-ring]').getBoundingClientRect().width);
  assert.ok(offered > stepRing + 20, `with only the offer shown the ring keeps its size (${offered}px, ${stepRing}px during a step)`);
  assert.deepEqual(app.errors(), []);
});

test('(G7) reached before the first election, the leader step offers to skip ahead, and skipping rings the new leader', async (app) => {
  await app.open('');
  await untilTour(app, 'the offer', (t) => t.card?.tour === 'offer');
  await button(app, 'Show me how it works').click();
  await untilTour(app, 'step 1', (t) => t.card?.tourStep === 'cluster');
  await button(app, 'Next').click();
  await untilTour(app, 'step 2', (t) => t.card?.tourStep === 'term');
  await button(app, 'Next').click();
  await untilTour(app, 'step 3', (t) => t.card?.tourStep === 'election-timeout');
  await button(app, 'Next').click();
  // At 1/60x the first timeout is 9 to 18 seconds of real time away: no leader yet.
  await untilTour(app, 'the leader step, waiting', (t) => t.card?.tourStep === 'leader');
  const before = await app.state();
  assert.ok(!before.nodes.some((n) => n.role === 'leader'), 'no leader yet');
  const skip = app.page.locator('[data-tour-skip]');
  await skip.waitFor({ timeout: 5_000 });
  await skip.click();
  await untilTour(app, 'the new leader ringed', (t, s) => {
    const leader = s.nodes.find((n) => n.role === 'leader' && n.status === 'up');
    return leader && t.spots.length === 1 && t.spots[0].node === leader.id;
  }, { timeout: 5_000 });
  assert.equal(await skip.count(), 0, 'no skip once there is a leader');
  assert.equal((await app.state()).app.playing, 'true', 'the run plays on');
  assert.deepEqual(app.errors(), []);
});
