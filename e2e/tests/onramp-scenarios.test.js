// The timeline and the scenarios for someone new (issue 11): the slider can be grabbed at the
// live end and dragged back, keys keep it focused, nothing moves when the past is entered; the
// Scenarios menu stays inside the window; a scenario opens as an ordinary moment, not a past;
// after acting its claims stay shown, checked against the person's run; and each step points at
// the servers and log entries its claims name.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { browserSuite, ROOT, SEL } from '../helpers/browser.js';

const test = browserSuite();

const slider = (app) => app.page.getByRole('slider', { name: 'Timeline' });

/** The servers a Raft claim names (the page's ids, from 0), as its highlights should. */
function namedBy(claim) {
  const [kind, body] = Object.entries(typeof claim === 'string' ? { [claim]: null } : claim)[0];
  if (!body) return [];
  if (kind === 'LogsMatch') return body.nodes;
  if (kind === 'NextIndex') return [body.leader, body.follower];
  if (kind === 'VotedFor') return body.candidate === null ? [body.node] : [body.node, body.candidate];
  return 'node' in body ? [body.node] : [];
}

function scenarioFile(name) {
  const protocol = name.split('-')[0];
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'crates/sim/scenarios', protocol, `${name}.json`), 'utf8'));
}

/** A free run played past `ms` of virtual time, then paused at its live end. */
async function liveRunPast(app, ms) {
  await app.open('?algo=raft&nodes=5&seed=42');
  await app.waitForLeader();
  await app.until(`virtual time past ${ms} ms`, (s) => Number(s.app.virtualTime) > ms * 1000, { timeout: 60_000 });
  await app.pause();
  const s = await app.state();
  assert.equal(s.app.inPast, 'false');
  return s;
}

/** Marks the slider element, to tell later whether it is still the same one. */
const markSlider = (app) => slider(app).evaluate((el) => {
  el.dataset.t = 'same';
});
const sliderFacts = (app) => app.page.evaluate(() => {
  const el = document.querySelector('.timeline input[type=range]');
  const r = el.getBoundingClientRect();
  const bar = document.querySelector('[data-timeline]').getBoundingClientRect();
  return {
    same: el.dataset.t === 'same',
    focused: document.activeElement === el,
    value: Number(el.value),
    max: Number(el.max),
    box: [r.x, r.y, r.width, r.height].map(Math.round),
    bar: [bar.x, bar.y, bar.width, bar.height].map(Math.round),
  };
});

test('(T1) the thumb grabbed at the live end drags back smoothly to the middle, on the same slider', async (app) => {
  const live = await liveRunPast(app, 1200);
  await markSlider(app);
  const before = await sliderFacts(app);
  const [x, y, w, h] = before.box;
  // The thumb is at the right end; grab it there and drag to the middle in small moves.
  await app.page.mouse.move(x + w - 6, y + h / 2);
  await app.page.mouse.down();
  for (let i = 1; i <= 20; i++) await app.page.mouse.move(x + w - 6 - ((w / 2 - 6) * i) / 20, y + h / 2);
  await app.page.mouse.up();
  const s = await app.until('the past', (st) => st.app.inPast === 'true' && st);
  const after = await sliderFacts(app);
  const end = Number(live.app.endTime);
  const t = Number(s.app.virtualTime);
  assert.ok(t > end * 0.35 && t < end * 0.65, `the moment shown (${t} µs) is in the middle of the run (0 to ${end} µs)`);
  assert.ok(after.same, 'the slider is the same element');
  assert.ok(after.focused, 'the slider keeps the focus');
  assert.deepEqual(after.box, before.box, 'the slider did not move or change size');
  assert.deepEqual(after.bar, before.bar, 'the timeline did not change size');
  await app.page.getByRole('button', { name: 'Back to live' }).waitFor({ timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});

test('(T2) ← ← ← on the focused slider at the live end keeps the focus there and goes back', async (app) => {
  await liveRunPast(app, 900);
  await markSlider(app);
  await slider(app).focus();
  const before = await sliderFacts(app);
  for (let i = 0; i < 3; i++) await app.page.keyboard.press('ArrowLeft');
  const s = await app.until('three milliseconds back', (st) => Number(st.app.virtualTime) === (before.value - 3) * 1000 && st);
  assert.equal(s.app.inPast, 'true');
  const after = await sliderFacts(app);
  assert.ok(after.same, 'the slider is the same element');
  assert.ok(after.focused, 'document.activeElement is still the slider');
  assert.equal(after.value, before.value - 3);
  assert.deepEqual(after.box, before.box, 'the slider did not move or change size');
  // → goes forward again on the slider itself.
  await app.page.keyboard.press('ArrowRight');
  await app.until('a millisecond forward', (st) => Number(st.app.virtualTime) === (before.value - 2) * 1000);
  assert.ok((await sliderFacts(app)).focused);
  assert.deepEqual(app.errors(), []);
});

test('(T3) entering and leaving the past moves nothing on a phone either', async (app) => {
  await app.page.setViewportSize({ width: 390, height: 844 });
  await liveRunPast(app, 900);
  await markSlider(app);
  const live = await sliderFacts(app);
  await slider(app).focus();
  await app.page.keyboard.press('Home');
  await app.until('the start', (s) => s.app.virtualTime === '0' && s.app.inPast === 'true');
  const past = await sliderFacts(app);
  assert.ok(past.same);
  assert.deepEqual(past.box, live.box, 'the slider');
  assert.deepEqual(past.bar, live.bar, 'the timeline');
  await app.page.getByRole('button', { name: 'Back to live' }).click();
  await app.until('live again', (s) => s.app.inPast === 'false');
  assert.deepEqual((await sliderFacts(app)).bar, live.bar);
  assert.deepEqual(app.errors(), []);
});

test('(T4) the open Scenarios menu stays inside the window at 1280×800, 390×844 and 1920×1080', async (app) => {
  for (const [width, height] of [[1280, 800], [390, 844], [1920, 1080]]) {
    await app.page.setViewportSize({ width, height });
    await app.open('?algo=raft&seed=1');
    await app.page.locator('[data-scenario-menu] summary').click();
    await app.page.locator('[data-scenario-menu][data-scenarios-loaded="true"]').waitFor({ timeout: 10_000 });
    const box = await app.page.locator('.scenario-list').boundingBox();
    const inner = await app.page.evaluate(() => document.documentElement.clientWidth);
    assert.ok(box.x >= 0, `${width}×${height}: left edge ${box.x}`);
    assert.ok(box.x + box.width <= inner, `${width}×${height}: right edge ${box.x + box.width} of ${inner}`);
    assert.ok(box.y + Math.min(box.height, 200) <= height, `${width}×${height}: it starts on the screen`);
  }
  assert.deepEqual(app.errors(), []);
});

test('(T4b) the open Scenarios menu closes on Escape (the focus back on its toggle) and on a press outside it, not inside', async (app) => {
  const isOpen = () => app.page.evaluate(() => document.querySelector('[data-scenario-menu]').open);
  const summary = app.page.locator('[data-scenario-menu] summary');
  for (const lang of ['en', 'zh']) {
    await app.page.setViewportSize({ width: 1280, height: 800 });
    await app.open(`?algo=raft&seed=1&lang=${lang}`);
    await summary.click();
    await app.page.locator('[data-scenario-menu][data-scenarios-loaded="true"]').waitFor({ timeout: 10_000 });
    assert.equal(await isOpen(), true, `${lang}: open`);
    // Tab into the list, then Escape: closed, and the focus is where the list was opened from.
    await app.page.keyboard.press('Tab');
    assert.equal(await app.page.evaluate(() => !!document.activeElement.closest('.scenario-list')), true, `${lang}: the focus went into the list`);
    await app.page.keyboard.press('Escape');
    await app.page.waitForFunction(() => !document.querySelector('[data-scenario-menu]').open, null, { timeout: 5_000 });
    assert.equal(await app.page.evaluate(() => document.activeElement === document.querySelector('[data-scenario-menu] summary')), true, `${lang}: the focus is back on the toggle`);
    // A press inside the list (its heading) leaves it open; one on the ring closes it.
    await summary.click();
    await app.page.locator('.scenario-list h3').first().click();
    assert.equal(await isOpen(), true, `${lang}: a press inside keeps it open`);
    const ring = await app.page.locator('[data-ring]').boundingBox();
    await app.page.mouse.click(ring.x + 8, ring.y + ring.height - 8);
    await app.page.waitForFunction(() => !document.querySelector('[data-scenario-menu]').open, null, { timeout: 5_000 });
    // Closed by a press outside, it opens again at the next press of its toggle.
    await summary.click();
    assert.equal(await isOpen(), true, `${lang}: it opens again`);
    await app.page.keyboard.press('Escape');
    await app.page.waitForFunction(() => !document.querySelector('[data-scenario-menu]').open, null, { timeout: 5_000 });
  }
  // On a phone, a tap outside closes it too.
  await app.page.setViewportSize({ width: 390, height: 844 });
  await app.open('?algo=raft&seed=1');
  await summary.click();
  await app.page.locator('[data-scenario-menu][data-scenarios-loaded="true"]').waitFor({ timeout: 10_000 });
  const list = await app.page.locator('.scenario-list').boundingBox();
  await app.page.mouse.click(195, Math.min(830, list.y + list.height + 20));
  await app.page.waitForFunction(() => !document.querySelector('[data-scenario-menu]').open, null, { timeout: 5_000 });
  assert.deepEqual(app.errors(), []);
});

test('(T5) a scenario opens at step 1 as an ordinary moment; only a moment left behind is the past', async (app) => {
  // A scenario whose script crashes a server later: all of it is recorded when it opens.
  await app.open('?scenario=raft-leader-crash');
  let s = await app.state();
  assert.equal(s.app.inPast, 'false', 'no "viewing the past" on opening');
  assert.equal(s.app.endTime, s.app.virtualTime, 'the end shown is the moment shown');
  assert.equal(await app.page.getByRole('button', { name: 'Back to live' }).count(), 0, 'no Back to live');
  assert.equal(await app.page.locator('.timeline.past').count(), 0);
  await app.page.getByRole('slider', { name: 'Speed' }).fill('300');
  // At full speed it may reach step 2 and pause again before a poll sees it playing.
  await app.playPauseButton('Play').click();
  await app.untilStep(1);
  s = await app.until('paused at step 2', (st) => st.app.playing === 'false' && st);
  assert.equal(s.app.inPast, 'false', 'playing the script on is no past');
  await app.page.locator('body').press('PageDown');
  await app.untilStep(2);
  const step3 = await app.state();
  assert.equal(step3.app.inPast, 'false');
  // Back a step: that moment was shown, so it is the past, and Back to live returns to step 3.
  await app.page.locator('body').press('PageUp');
  await app.untilStep(1);
  assert.equal((await app.state()).app.inPast, 'true');
  await app.page.getByRole('button', { name: 'Back to live' }).click();
  const back = await app.until('live', (st) => st.app.inPast === 'false' && st);
  assert.equal(back.app.virtualTime, step3.app.virtualTime, 'back to the furthest moment shown, not the script\'s end');
  assert.equal(back.app.traceHash, step3.app.traceHash);
  assert.deepEqual(app.errors(), []);
});

test('(T6) after acting, the step\'s claims stay shown and are checked against the person\'s run; long lists fold', async (app) => {
  await app.open('?scenario=raft-first-election');
  await app.page.locator('[data-step-dot="3"]').click();
  await app.untilStep(3);
  assert.equal(await app.page.locator('[data-claims-of="script"]').count(), 1);
  // Step 4 claims S3 leads term 1: crash S3 and the claim says it no longer holds.
  await app.nodeAction(2, 'Crash');
  await app.page.keyboard.press('Escape');
  await app.page.locator('[data-off-script]').waitFor({ timeout: 5_000 });
  const n = await app.narration();
  assert.equal(n.onScript, 'false');
  assert.equal(n.claimsMet, 'false');
  assert.equal(await app.page.locator('[data-claims-of="your-run"]').count(), 1, 'checked against the person\'s run');
  assert.equal(await app.page.locator('[data-claim-ok]').count(), 2, 'both claims still shown');
  assert.match(await app.page.locator('[data-claim-ok="false"]').first().textContent(), /S3/);
  assert.equal(await app.page.locator('[data-claim-ok="true"]').count(), 1, 'S1 is still a follower');
  // Stepping on, they follow the run: checked again at each moment shown.
  const checkedAt = () => app.page.locator('[data-claims-of]').getAttribute('data-checked-at');
  assert.equal(await checkedAt(), (await app.state()).app.virtualTime);
  for (let i = 0; i < 3; i++) await app.page.getByRole('button', { name: 'Step', exact: true }).click();
  const later = await app.until('three events on', (st) => Number(st.app.events) > 0 && st.app.playing === 'false' && st);
  await app.page.waitForFunction((t) => document.querySelector('[data-claims-of]')?.dataset.checkedAt === t, later.app.virtualTime, { timeout: 5_000 });
  assert.equal(await app.page.locator('[data-claim-ok]').count(), 2);

  // Step 3 of the same scenario has six claims: four shown, the rest folded.
  await app.open('?scenario=raft-first-election');
  await app.page.locator('[data-step-dot="2"]').click();
  await app.untilStep(2);
  assert.equal(await app.page.locator('[data-claim-ok]').count(), 6);
  assert.equal(await app.page.locator('[data-more-claims="2"]').count(), 1);
  const visible = await app.page.locator('[data-claim-ok]').evaluateAll((els) => els.filter((e) => e.checkVisibility()).length);
  assert.equal(visible, 4, 'four shown before the fold');
  await app.page.locator('[data-more-claims] summary').click();
  const all = await app.page.locator('[data-claim-ok]').evaluateAll((els) => els.filter((e) => e.checkVisibility()).length);
  assert.equal(all, 6);
  assert.deepEqual(app.errors(), []);
});

test('(T7) a step highlights the servers and log entries its claims name, and only those', async (app) => {
  const election = scenarioFile('raft-first-election');
  await app.open('?scenario=raft-first-election');
  await app.page.locator('[data-step-dot="3"]').click();
  await app.untilStep(3);
  const named = [...new Set(election.steps[3].claims.flatMap(namedBy))].sort();
  const lit = () => app.page.locator(`${SEL.node}[data-highlight="true"]`).evaluateAll((els) => els.map((e) => Number(e.dataset.nodeId)).sort());
  assert.deepEqual(await lit(), named, `step 4 names S${named.map((x) => x + 1).join(', S')}`);
  assert.equal(await app.page.locator(`${SEL.node}:not([data-highlight])`).count(), 5 - named.length, 'the others are not');
  // Pointing at one claim shows only what it names.
  await app.page.locator('[data-claim-index="0"]').hover();
  await app.page.waitForFunction(() => document.querySelectorAll('[data-node-id][data-role][data-highlight="true"]').length === 1, null, { timeout: 5_000 });
  assert.deepEqual(await lit(), namedBy(election.steps[3].claims[0]));
  await app.page.mouse.move(5, 5);
  await app.page.waitForFunction((n) => document.querySelectorAll('[data-node-id][data-role][data-highlight="true"]').length === n, named.length, { timeout: 5_000 });

  // A claim about a log names its entries: S5's two entries, and the cell its nextIndex points at.
  const lagging = scenarioFile('raft-lagging-follower');
  await app.open('?scenario=raft-lagging-follower');
  const claims = lagging.steps[0].claims;
  const log = claims.find((c) => c.Log).Log;
  const entries = await app.page.locator(`${SEL.logEntry}[data-highlight="true"]`).evaluateAll((els) => els.map((e) => [Number(e.dataset.nodeId), Number(e.dataset.index)]));
  assert.deepEqual(entries, log.terms.map((_, i) => [log.node, i + 1]), 'exactly the entries of the log claimed');
  assert.ok((await app.page.locator(SEL.logEntry).count()) > entries.length, 'other entries are not highlighted');
  const next = claims.find((c) => c.NextIndex).NextIndex;
  assert.equal(await app.page.locator('td.empty[data-highlight="true"]').count(), 1, `the cell of nextIndex ${next.index}`);
  assert.deepEqual(await lit(), [...new Set(claims.flatMap(namedBy))].sort());
  assert.deepEqual(app.errors(), []);
});

test('(T8) step= opens a scenario at that step; a step it does not have is said, in both languages', async (app) => {
  await app.open('?scenario=raft-figure-8&step=3');
  const n = await app.untilStep(2);
  assert.equal(n.onScript, 'true');
  assert.equal(await app.page.locator('[data-claim-ok="false"]').count(), 0, 'its claims hold');
  await app.open('?scenario=raft-figure-8&step=99');
  await app.untilStep(0);
  assert.match(await app.page.locator('[data-notice]').textContent(), /step=99, but the scenario has 10 steps/);
  await app.open('?scenario=raft-figure-8&step=99&lang=zh');
  await app.untilStep(0);
  assert.match(await app.page.locator('[data-notice]').textContent(), /只有 10 步/);
  await app.open('?scenario=raft-figure-8&step=two');
  assert.match(await app.page.locator('[data-url-error]').textContent(), /step=two, but steps are numbered 1, 2, 3/);
  assert.deepEqual(app.errors(), []);
});
