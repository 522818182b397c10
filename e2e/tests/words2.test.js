// What the page says, a newcomer's second review (issue 11): a refused address parameter is
// one sentence for a person; the tab's title is the protocol's name; the legend keys the red
// cross of a refused reply while one is on the ring; votedFor reads in Chinese; a message's
// fields keep the paper's names with the Chinese term beside them; Multi-Paxos's glossary
// has 轮次; scenario texts write a request x←1; a tap on a claim highlights what it names;
// on a phone the event feed has the screen's width.
import assert from 'node:assert/strict';

import { browserSuite, SEL } from '../helpers/browser.js';

const test = browserSuite();
const phone = browserSuite({ touch: true, viewport: { width: 390, height: 844 } });

/** Opens the inspector of the first message in flight from the keyboard (the run is paused). */
async function inspectFirstMessage(app) {
  const msg = await app.until('a message in flight', (s) => s.messages[0]);
  const el = app.page.locator(SEL.msgById(msg.id));
  await el.focus();
  await el.press('Enter');
  const inspector = app.page.locator(`[data-inspector="message"][data-msg-panel="${msg.id}"]`);
  await inspector.waitFor({ timeout: 5_000 });
  return inspector;
}

/** Each field of an inspector: its data-field key, its name as shown, its value. */
const fieldsOf = (inspector) =>
  inspector.locator('dd[data-field]').evaluateAll((dds) =>
    dds.map((dd) => ({ key: dd.dataset.field, name: dd.previousElementSibling.textContent.trim(), value: dd.textContent.trim() })));

test('(L1) a bad address parameter is named with its value, the rule and what the page does instead', async (app) => {
  await app.open('?algo=raft&nodes=99&seed=1');
  let s = await app.until('the URL error and 5 servers', (st) => st.urlError && st.nodes.length === 5 && st);
  assert.match(s.urlError.text, /The address asks for nodes=99, but a cluster has 3 to 9 servers: showing 5\./);
  await app.open('?algo=raft&nodes=99&seed=1&lang=zh');
  s = await app.until('the URL error in Chinese', (st) => st.urlError && st);
  assert.match(s.urlError.text, /参数 nodes=99 无效：集群须有 3 到 9 台服务器；改用 5 台。/);
  // Every parameter the same way.
  await app.open('?algo=paxos&proposers=9&theme=blue&seed=x');
  s = await app.until('three URL errors', (st) => st.urlError && st);
  assert.match(s.urlError.text, /The address asks for proposers=9, but a run has 1 to 3 proposers: showing 2\./);
  assert.match(s.urlError.text, /The address asks for theme=blue, but theme is light or dark: following the system's setting\./);
  assert.match(s.urlError.text, /The address asks for seed=x, but a seed is a whole number/);
  assert.doesNotMatch(s.urlError.text, /[“”{}]|Err|Some\(/);
  await app.open('?scenario=raft-figure-8&step=99');
  await app.untilStep(0);
  assert.match(await app.page.locator('[data-notice]').textContent(), /The address asks for step=99, but the scenario has 10 steps: showing its first\./);
  assert.deepEqual(app.errors(), []);
});

test('(L2) the tab\'s title is the protocol\'s name, the same in both languages', async (app) => {
  for (const [algo, title] of [['raft', 'Quorum · Raft'], ['paxos', 'Quorum · Paxos'], ['multipaxos', 'Quorum · Multi-Paxos']]) {
    for (const lang of ['en', 'zh']) {
      await app.open(`?algo=${algo}&seed=1&lang=${lang}`);
      await app.page.waitForFunction((t) => document.title === t, title, { timeout: 5_000 }).catch(() => {});
      assert.equal(await app.page.title(), title, `${algo}, ${lang}`);
    }
  }
  assert.deepEqual(app.errors(), []);
});

/** Whether a refused reply is on the ring now, and the legend's key for it (its text, or null). */
const refusals = (app) =>
  app.page.evaluate(() => ({
    onRing: [...document.querySelectorAll('[data-msg-id]')].some((m) => /refused|已拒绝/.test(m.getAttribute('aria-label') ?? '')),
    key: document.querySelector('[data-legend] [data-legend-refused]')?.textContent.trim() ?? null,
  }));

test('(L3) the legend keys the red cross of a refused reply while one is on the ring, worded per protocol', async (app) => {
  // Raft's split vote: at step 3 the votes not granted are on their way back.
  await app.open('?scenario=raft-split-vote');
  await app.untilStep(0);
  assert.deepEqual(await refusals(app), { onRing: false, key: null }, 'no refusal yet, no key');
  await app.page.locator('[data-step-dot="2"]').click();
  await app.untilStep(2);
  let r = await refusals(app);
  assert.ok(r.onRing, 'votes refused are in flight');
  assert.match(r.key ?? '', /refused.*a vote not granted.*entries that did not match/);
  await app.open('?scenario=raft-split-vote&step=3&lang=zh');
  await app.untilStep(2);
  assert.match((await refusals(app)).key ?? '', /红叉：拒绝/);
  // Paxos's dueling proposers: the acceptors refuse Accept(1.1) with Nacks.
  await app.open('?scenario=paxos-dueling-proposers&step=4');
  await app.untilStep(3);
  r = await refusals(app);
  assert.ok(r.onRing, 'Nacks are in flight');
  assert.match(r.key ?? '', /Nack, a Prepare or Accept refused, with the number the acceptor promised/);
  // Its mark is the ring's: a hollow reply crossed in red.
  const cross = app.page.locator('[data-legend-refused] path.fl.refused');
  assert.equal(await cross.count(), 1);
  assert.deepEqual(app.errors(), []);
});

test('(L4) votedFor reads 投票给 S3 / 尚未投票 in Chinese, S3 / null in English', async (app) => {
  for (const [lang, none, s3] of [['zh', '尚未投票', '投票给 S3'], ['en', 'null', 'S3']]) {
    await app.open(`?scenario=raft-first-election&lang=${lang}`);
    await app.untilStep(0);
    await app.page.locator(SEL.nodeById(0)).click();
    const field = app.page.locator('[data-inspector="node"] [data-field="votedFor"]');
    await field.waitFor({ timeout: 5_000 });
    assert.equal((await field.textContent()).trim(), none, `${lang}: no vote yet`);
    await app.page.keyboard.press('Escape');
    // Once S3 has stood for election, S3 voted for itself.
    await app.page.locator('[data-step-dot="1"]').click();
    await app.untilStep(1);
    await app.page.locator(SEL.nodeById(2)).click();
    await app.page.locator('[data-inspector="node"][data-node-id-inspected="2"]').waitFor({ timeout: 5_000 });
    assert.equal((await field.textContent()).trim(), s3, `${lang}: a vote for S3`);
    await app.page.keyboard.press('Escape');
  }
  assert.deepEqual(app.errors(), []);
});

test('(L5) a message\'s fields keep the paper\'s names, with the Chinese term beside them on a Chinese page', async (app) => {
  await app.open('?scenario=raft-first-election&step=2&lang=zh');
  await app.untilStep(1);
  let fields = await fieldsOf(await inspectFirstMessage(app));
  const name = (key) => fields.find((f) => f.key === key)?.name;
  assert.equal(name('term'), 'term（任期）', JSON.stringify(fields));
  assert.equal(name('candidateId'), 'candidateId（候选人）');
  assert.match(name('lastLogIndex') ?? '', /^lastLogIndex（.+）$/);
  await app.page.keyboard.press('Escape');
  await app.open('?scenario=paxos-one-proposer&step=2&lang=zh');
  await app.untilStep(1);
  fields = await fieldsOf(await inspectFirstMessage(app));
  assert.equal(name('n'), 'n（提案编号）', JSON.stringify(fields));
  await app.page.keyboard.press('Escape');
  // In English the paper's name alone.
  await app.open('?scenario=raft-first-election&step=2&lang=en');
  await app.untilStep(1);
  fields = await fieldsOf(await inspectFirstMessage(app));
  assert.equal(name('term'), 'term');
  assert.deepEqual(app.errors(), []);
});

test('(L6) Multi-Paxos\'s glossary explains 轮次, the round on every server', async (app) => {
  await app.open('?algo=multipaxos&seed=1&lang=zh');
  await app.page.locator(SEL.nodeById(0)).click();
  const link = app.page.locator('[data-inspector="node"] [data-glossary-link="round"]');
  await link.waitFor({ timeout: 5_000 });
  await link.click();
  const entry = app.page.locator('[data-glossary-term="round"]');
  await entry.waitFor({ timeout: 5_000 });
  assert.match(await entry.textContent(), /轮次/);
  assert.deepEqual(app.errors(), []);
});

test('(L7) scenario narration writes a request x←1, as the page does, never x = 1', async (app) => {
  for (const lang of ['en', 'zh']) {
    await app.open(`?scenario=paxos-late-proposer&step=5&lang=${lang}`);
    const n = await app.untilStep(4);
    const text = await app.page.locator('[data-scenario]').innerText();
    assert.match(n.text, /x←1/, lang);
    assert.doesNotMatch(text, /\b[xyz] = \d/, lang);
  }
  assert.deepEqual(app.errors(), []);
});

phone('(L8) on a touch screen a tap on a claim shows what it names, a second tap shows them all again', async (app) => {
  await app.open('?scenario=raft-first-election&step=4');
  await app.untilStep(3);
  const lit = () => app.page.locator(`${SEL.node}[data-highlight="true"]`).evaluateAll((els) => els.map((e) => Number(e.dataset.nodeId)).sort());
  const all = await lit();
  assert.ok(all.length > 1, `the step names several servers: ${all}`);
  const claim = app.page.locator('[data-claim-index="0"]');
  await claim.scrollIntoViewIfNeeded();
  await claim.tap();
  await app.until('only the first claim\'s servers lit', async () => (await lit()).length === 1);
  await claim.tap();
  await app.until('every named server lit again', async () => (await lit()).length === all.length);
  assert.match(await app.page.locator('.claims-hint').textContent(), /Point at or tap a claim to see what it names/);
  await app.open('?scenario=raft-first-election&step=4&lang=zh');
  await app.untilStep(3);
  assert.match(await app.page.locator('.claims-hint').textContent(), /轻点/);
  assert.deepEqual(app.errors(), []);
});

phone('(L9) on a 390×844 phone the event feed has the screen\'s width and its lines are not cut', async (app) => {
  // A scenario's page, where the feed had shrunk to a word or two a line.
  await app.open('?scenario=raft-first-election&step=4');
  await app.untilStep(3);
  await app.until('a few feed lines', async () => (await app.page.locator('.feed li span').count()) >= 4);
  const feed = app.page.locator('.feed');
  await feed.scrollIntoViewIfNeeded();
  const m = await app.page.evaluate(() => {
    const box = document.querySelector('.feed').getBoundingClientRect();
    const lines = [...document.querySelectorAll('.feed li span')].map((s) => ({
      text: s.textContent,
      cutAcross: s.scrollWidth > s.clientWidth + 1,
      cutBelow: s.scrollHeight > s.clientHeight + 1,
      width: s.parentElement.getBoundingClientRect().width,
    }));
    // The phone's width (the page itself may be laid out wider where a table overflows).
    return { width: box.width, window: Math.min(window.innerWidth, screen.width), lines };
  });
  await app.screenshot('/tmp/words-phone-feed.png');
  assert.ok(m.width >= 0.9 * m.window, `the feed is ${m.width}px of ${m.window}px`);
  assert.deepEqual(m.lines.filter((l) => l.cutAcross || l.cutBelow), [], 'no line is cut');
  assert.ok(m.lines.every((l) => l.width >= 0.8 * m.window), `each line as wide: ${JSON.stringify(m.lines.map((l) => l.width))}`);
  assert.deepEqual(app.errors(), []);
});

test('(L10) the heading names the protocol as the tab does, and a protocol without a leader says so once in the help, for C and R together', async (app) => {
  await app.open('?algo=paxos&lang=zh');
  await app.page.locator(SEL.node).first().waitFor();
  assert.equal((await app.page.locator('header.top h1').textContent()).trim(), 'Quorum · Paxos');
  await app.page.locator('body').press('?');
  const rows = await app.page.locator('[data-help] tr').allTextContents();
  const leaderless = rows.filter((r) => r.includes('没有领导者'));
  assert.deepEqual(leaderless.length, 1, `one row for C and R: ${JSON.stringify(rows)}`);
  assert.match(leaderless[0], /C、R/);
  await app.open('?algo=raft');
  await app.page.locator(SEL.node).first().waitFor();
  assert.equal((await app.page.locator('header.top h1').textContent()).trim(), 'Quorum · Raft');
  assert.deepEqual(app.errors(), []);
});
