// Scenarios (issue 5): a run plus narration. Each scenario the page lists plays to what its
// narration claims (every claim of every step holds, checked by the page's own code at the
// step's moment); playing pauses at each step; acting leaves the script; PageDown / PageUp
// move through the steps; a copied link keeps the scenario.
import assert from 'node:assert/strict';

import { browserSuite } from '../helpers/browser.js';

const test = browserSuite();

test('(S1) every listed scenario plays to what its narration claims, step by step', async (app) => {
  await app.open('?algo=raft&seed=1');
  // The list is fetched when the menu first opens: no page carries it unasked.
  assert.equal(await app.page.locator('[data-scenario-link]').count(), 0, 'nothing listed before the menu opens');
  await app.page.locator('[data-scenario-menu] summary').click();
  await app.page.locator('[data-scenario-menu][data-scenarios-loaded="true"]').waitFor({ timeout: 10_000 });
  const names = await app.page.locator('[data-scenario-link]').evaluateAll((links) => links.map((a) => a.dataset.scenarioLink));
  assert.ok(names.length >= 20, 'the page lists every protocol\'s scenarios');
  for (const name of names) {
    await app.open(`?scenario=${name}&lang=en`);
    let n = await app.narration();
    assert.equal(n.scenario, name);
    assert.equal(n.step, '0', `${name} opens at its first step`);
    const steps = Number(n.steps);
    for (let step = 0; step < steps; step++) {
      if (step > 0) {
        await app.page.locator('body').press('PageDown');
        n = await app.untilStep(step);
      }
      assert.equal(n.onScript, 'true', `${name} step ${step + 1}`);
      const falseClaims = await app.page.locator('[data-claim-ok="false"]').allTextContents();
      assert.deepEqual(falseClaims, [], `${name} step ${step + 1}: "${n.text}"`);
      assert.equal(n.claimsMet, 'true', `${name} step ${step + 1}`);
      assert.ok((await app.page.locator('[data-claim-ok="true"]').count()) >= 1, `${name} step ${step + 1} claims something`);
    }
    const s = await app.state();
    assert.equal(s.app.playing, 'false');
    if (n.scenarioBreaks) {
      // A scenario that follows a paper's rule literally to show what breaks: that property, and only it.
      const alert = await app.page.locator('[data-safety="violated"]').textContent();
      assert.ok(alert.includes(`${n.scenarioBreaks} violated at`), `${name} breaks what it says: ${alert}`);
    } else {
      assert.equal(await app.page.locator('[data-safety="ok"]').count(), 1, `${name}: safety holds`);
    }
  }
  assert.deepEqual(app.errors(), []);
}, { timeout: 600_000 });

test('(S2) playing a scenario pauses at its next step, where its claims hold', async (app) => {
  await app.open('?scenario=raft-first-election');
  const s = await app.state();
  assert.equal(s.app.playing, 'false', 'a scenario opens paused at its first step');
  // Full speed, so the test does not wait on the narration's pace.
  await app.page.getByRole('slider', { name: 'Speed' }).fill('300');
  await app.play();
  const n = await app.untilStep(1);
  const after = await app.until('paused', (st) => st.app.playing === 'false' && st);
  assert.equal(after.app.virtualTime, '158000', 'exactly at the step');
  assert.equal(n.claimsMet, 'true');
  // Unticked, playing goes through the next step.
  await app.page.locator('[data-pause-at-steps]').uncheck();
  await app.play();
  await app.until('past step 3', (st) => Number(st.app.virtualTime) > 200_000, { timeout: 20_000 });
  assert.equal((await app.state()).app.playing, 'true');
  assert.deepEqual(app.errors(), []);
});

test('(S3) acting during a scenario leaves its script; restarting returns to it', async (app) => {
  await app.open('?scenario=raft-first-election');
  await app.page.getByRole('button', { name: 'Next ▶' }).click();
  await app.untilStep(1);
  await app.nodeAction(0, 'Crash');
  await app.page.keyboard.press('Escape');
  await app.page.locator('[data-off-script]').waitFor({ timeout: 5_000 });
  let n = await app.narration();
  assert.equal(n.onScript, 'false');
  // The step's claims are now checked against the person's run, where S1 is crashed.
  assert.equal(n.claimsMet, 'false', 'a claim about S1 no longer holds in the run shown');
  assert.equal(await app.page.locator('[data-claims-of="your-run"]').count(), 1);
  await app.page.getByRole('button', { name: 'Restart the scenario' }).click();
  n = await app.untilStep(0);
  assert.equal(n.onScript, 'true');
  assert.equal(n.claimsMet, 'true');
  assert.equal(await app.page.locator('[data-off-script]').count(), 0);
  const s = await app.state();
  assert.ok(s.nodes.every((node) => node.status === 'up'));
  assert.deepEqual(app.errors(), []);
});

test('(S4) PageDown / PageUp step through the narration, the step dots jump', async (app) => {
  await app.open('?scenario=raft-first-election');
  const body = app.page.locator('body');
  await body.press('PageDown');
  await app.untilStep(1);
  await body.press('PageDown');
  await app.untilStep(2);
  await body.press('PageUp');
  await app.untilStep(1);
  await app.page.locator('[data-step-dot="4"]').click();
  await app.untilStep(4);
  await body.press('PageDown');
  assert.equal((await app.narration()).step, '4', 'nothing after the last step');
  await app.page.locator('[data-step-dot="0"]').click();
  await app.untilStep(0);
  assert.equal((await app.state()).app.virtualTime, '0');
  assert.deepEqual(app.errors(), []);
});

test('(S4b) on the last step a disabled Next looks disabled, in both themes (issue 11, bug 7)', async (app) => {
  for (const theme of ['light', 'dark']) {
    await app.open(`?scenario=raft-first-election&theme=${theme}`);
    const next = app.page.locator('.narration-controls .next-step');
    const look = () => next.evaluate((el) => {
      const c = getComputedStyle(el);
      return { background: c.backgroundColor, color: c.color, cursor: c.cursor };
    });
    assert.equal(await next.isDisabled(), false, theme);
    const enabled = await look();
    await app.page.locator('[data-step-dot="4"]').click();
    await app.untilStep(4);
    assert.equal(await next.isDisabled(), true, `${theme}: nothing after the last step`);
    const disabled = await look();
    assert.notEqual(disabled.background, enabled.background, `${theme}: background`);
    assert.notEqual(disabled.color, enabled.color, `${theme}: text colour`);
    assert.equal(disabled.cursor, 'not-allowed', theme);
  }
  assert.deepEqual(app.errors(), []);
});

test('(S5) a link copied in a scenario reopens it at the same step, same moment, same trace hash', async (app) => {
  await app.open('?scenario=raft-first-election');
  await app.page.locator('[data-step-dot="3"]').click();
  await app.untilStep(3);
  const before = await app.state();
  await app.page.getByRole('button', { name: 'Copy link' }).click();
  const link = await app.page.locator('[data-share-link]').getAttribute('data-share-link');
  assert.match(link, /scenario=raft-first-election&run=1\./);
  await app.page.goto(link, { waitUntil: 'load' });
  const after = await app.until('the shared run', (s) => s.app && s.app.traceHash === before.app.traceHash && s);
  assert.equal(after.app.virtualTime, before.app.virtualTime);
  const n = await app.narration();
  assert.equal(n.step, '3');
  assert.equal(n.claimsMet, 'true');
  assert.deepEqual(app.errors(), []);
});

test('(S6) an unknown scenario is named and a plain run starts', async (app) => {
  await app.open('?scenario=no-such-scenario&seed=3');
  const s = await app.state();
  assert.match(s.urlError.text, /scenario=no-such-scenario, but the page has no scenario of that name/);
  assert.equal(await app.page.locator('[data-scenario]').count(), 0);
  await app.waitForLeader();
  assert.deepEqual(app.errors(), []);
});

test('(S7) a scenario link whose run is broken says so and plays the scenario from its start', async (app) => {
  await app.open('?scenario=raft-split-vote&run=1.AAAAAAAA');
  await app.page.locator('[data-notice]').getByText('could not be used').waitFor({ timeout: 10_000 });
  assert.match(await app.page.locator('[data-notice]').textContent(), /This is the scenario from its start/);
  const n = await app.narration();
  assert.equal(n.scenario, 'raft-split-vote');
  assert.equal(n.step, '0');
  assert.equal(n.claimsMet, 'true');
  assert.deepEqual(app.errors(), []);
});

test('(S8) the Scenarios menu opens at this page\'s own protocol', async (app) => {
  for (const algo of ['paxos', 'vr', 'raft']) {
    await app.open(`?algo=${algo}&seed=2&lang=en`);
    await app.page.locator('[data-scenario-menu] summary').click();
    await app.page.locator('[data-scenario-menu][data-scenarios-loaded="true"]').waitFor({ timeout: 10_000 });
    const groups = await app.page.locator('[data-scenario-group]').evaluateAll((s) => s.map((e) => e.dataset.scenarioGroup));
    assert.equal(groups[0], algo, `the ${algo} page lists its own scenarios first: ${groups}`);
    assert.equal(new Set(groups).size, groups.length, 'each protocol listed once');
    assert.ok(groups.includes('raft') && groups.includes('zab'), 'the other protocols still follow');
  }
  assert.deepEqual(app.errors(), []);
});

test('(S9) a client request counts as something that happened (not "event 0 of 0")', async (app) => {
  // paxos-one-proposer's second step is 5 ms after the client's request, before any message
  // arrives: the kernel has processed no event yet, but the request itself has happened.
  await app.open('?scenario=paxos-one-proposer&lang=en');
  await app.page.locator('body').press('PageDown');
  await app.untilStep(1);
  const counter = app.page.locator('.tl-events');
  const happened = Number(await counter.getAttribute('data-happened'));
  assert.ok(happened >= 1, `the request is counted: ${happened}`);
  const text = await counter.textContent();
  const [, shown, end] = text.match(/event (\d+) of (\d+)/).map(Number);
  assert.equal(shown, happened);
  assert.ok(end >= shown, text);
  assert.ok((await counter.getAttribute('title')).includes('client request'), 'the title says what is counted');
  assert.deepEqual(app.errors(), []);
});
