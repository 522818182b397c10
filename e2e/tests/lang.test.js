// The page's two languages (issue: i18n): lang=zh opens it in Simplified Chinese; the
// switch changes every text in place without restarting the run; in Chinese no English
// word is left on the Raft, Paxos, Multi-Paxos, VR or Zab page (menus, inspectors, help, faults
// panel included) beyond the papers' identifiers; feed lines already shown are reworded.
// The DOM contract (data-*) is the same in both languages, so the tests read state as
// the others do.
import assert from 'node:assert/strict';

import { browserSuite, SEL } from '../helpers/browser.js';

const test = browserSuite();

/** English words allowed on the Chinese page: names the papers and the page give things. */
const ALLOWED = new Set([
  // the product and the protocols
  'Quorum', 'Raft', 'Paxos', 'Multi-Paxos', 'Zab', 'Viewstamped', 'Replication', 'VR',
  // the Raft paper's identifiers (Figure 2)
  'RequestVote', 'AppendEntries', 'currentTerm', 'votedFor', 'log[]', 'commitIndex', 'lastApplied',
  'nextIndex', 'matchIndex', 'nextIndex[]', 'matchIndex[]', 'term', 'candidateId', 'lastLogIndex',
  'lastLogTerm', 'voteGranted', 'leaderId', 'prevLogIndex', 'prevLogTerm', 'entries[]', 'leaderCommit',
  'success',
  // Ongaro's thesis: the extensions etcd names so (9.6, 6.2, 3.10), and the thesis's author
  'PreVote', 'CheckQuorum', 'TimeoutNow', 'Ongaro',
  // Paxos Made Simple's messages and its no-op
  'Prepare', 'Promise', 'Accept', 'Accepted', 'Nack', 'no-op', 'P1', 'P1a', 'P2', 'P2a', 'P2b', 'P2c',
  // Viewstamped Replication Revisited's messages and state variables (section 4), and ⟨REQUEST op, c, s⟩
  'REQUEST', 'PREPARE', 'PREPAREOK', 'COMMIT', 'STARTVIEWCHANGE', 'DOVIEWCHANGE', 'STARTVIEW', 'RECOVERY',
  'RECOVERYRESPONSE', 'GETSTATE', 'NEWSTATE', 'view-number', 'op-number', 'commit-number', 'client-table', 'op',
  // its primary of view v, replica v mod n; who found its state-transfer defect, and with what
  'mod', 'Jack', 'Vanlightly', 'TLA', 'Revisited',
  // Zab's messages and variables (the DSN 2011 paper's), ZooKeeper's states and its election's
  // notification (Fast Leader Election, FLE), the zxid ⟨e, c⟩, the channel it assumes
  'CEPOCH', 'NEWEPOCH', 'ACK-E', 'NEWLEADER', 'ACK-LD', 'COMMIT-LD', 'PROPOSE', 'ACK', 'PING', 'PING-ACK',
  'acceptedEpoch', 'currentEpoch', 'zxid', 'LOOKING', 'FOLLOWING', 'LEADING',
  'Notification', 'FLE', 'ZooKeeper', 'QuorumPeer', 'FastLeaderElection', 'TCP', 'FIFO', 'seq', 'ack',
  // the paper's sections, numbered as it numbers them
  'III', 'IV', 'IV-A',
  // the file format a run is exported in
  'JSON',
  // units, and the key printed on keyboards
  'ms', 'µs', 'Esc', 'PageDown', 'PageUp',
]);

/** Known English left on the Chinese page, each where it is (none now). */
const PENDING_IN_APP_RS = [];

/** Every text on the page a person or a screen reader meets, with where it is. */
function pageTexts(pending) {
  const out = [];
  const skipped = (el) => {
    // Text marked as English on purpose: the switch's "English".
    const tagged = el.closest('[lang]');
    return tagged && tagged !== document.documentElement && /^en\b/i.test(tagged.getAttribute('lang'));
  };
  const isPending = (el, attribute, text) =>
    pending.some((p) => p.attribute === attribute && p.text === text.trim() && el.matches(p.selector));
  const where = (el) =>
    `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript') || skipped(el)) continue;
    if (node.textContent.trim()) out.push({ where: where(el), text: node.textContent });
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (skipped(el)) continue;
    for (const attribute of ['aria-label', 'title', 'aria-valuetext', 'placeholder', 'alt']) {
      const text = el.getAttribute(attribute);
      if (text && text.trim() && !isPending(el, attribute, text)) {
        out.push({ where: `${where(el)}[${attribute}]`, text });
      }
    }
  }
  return out;
}

/** The English words in `texts` outside the allow-list, with where they are. */
function englishIn(texts) {
  const found = [];
  for (const { where, text } of texts) {
    // A trace hash is hex digits, not words.
    const words = text.replace(/\b[0-9a-f]{16}\b/g, ' ').match(/[A-Za-z][A-Za-z0-9\-[\]]*/g) ?? [];
    for (const word of words) {
      const bare = word.replace(/-+$/, '');
      if (bare.length < 2 || ALLOWED.has(bare) || /^S\d$/.test(bare)) continue;
      found.push(`${bare} (in ${where}: "${text.trim().slice(0, 80)}")`);
    }
  }
  return found;
}

async function assertAllChinese(app, what) {
  const texts = await app.page.evaluate(pageTexts, PENDING_IN_APP_RS);
  assert.ok(texts.length > 20, `${what}: texts found (${texts.length})`);
  const english = englishIn(texts);
  assert.deepEqual(english, [], `${what}: English left on the Chinese page`);
  return texts.length;
}

const langOf = (app) => app.page.evaluate(() => document.documentElement.lang);

/** Play and pause by the Chinese buttons (AppPage.play/pause look for the English names). */
async function setPlaying(app, playing) {
  const s = await app.state();
  if ((s.app.playing === 'true') !== playing) {
    await app.page.getByRole('button', { name: playing ? '播放' : '暂停', exact: true }).click();
  }
  await app.until(`data-playing=${playing}`, (st) => st.app.playing === String(playing), { timeout: 5_000 });
}
const feedLines = (app) => app.page.locator('.feed li span').allTextContents();

/** Play until a message is in flight, pause, and open its inspector from the keyboard. */
async function inspectAMessage(app) {
  for (let attempt = 0; attempt < 40; attempt++) {
    await setPlaying(app, true);
    await app.until('a message in flight', (s) => s.messages.length > 0, { timeout: 20_000, interval: 10 });
    await setPlaying(app, false);
    const msg = (await app.state()).messages[0];
    if (!msg) continue;
    await app.page.keyboard.press('Escape');
    const el = app.page.locator(SEL.msgById(msg.id));
    await el.focus();
    await el.press('Enter');
    await app.page.locator(`[data-inspector="message"][data-msg-panel="${msg.id}"]`).waitFor({ timeout: 5_000 });
    return msg;
  }
  throw new Error('no message caught in flight');
}

test('(L1) ?lang=zh opens the page in Chinese', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42&lang=zh');
  assert.equal(await langOf(app), 'zh-Hans');
  assert.equal(await app.page.locator('[data-lang]').getAttribute('data-lang'), 'zh');
  assert.equal(await app.page.locator('[data-lang-option="zh"]').getAttribute('aria-pressed'), 'true');
  assert.equal(await app.page.locator('[data-lang-option="en"]').getAttribute('aria-pressed'), 'false');
  assert.equal(await app.page.locator('[data-lang-option="zh"]').textContent(), '中文');
  const leader = await app.waitForLeader();
  await app.page.getByRole('button', { name: '暂停', exact: true }).waitFor({ timeout: 5_000 });
  await app.page.getByRole('heading', { name: '日志' }).waitFor({ timeout: 5_000 });
  await app.page.getByRole('heading', { name: '发生了什么' }).waitFor({ timeout: 5_000 });
  await app.page.getByRole('slider', { name: '时间线' }).waitFor({ timeout: 5_000 });
  await app.page.getByRole('region', { name: '故障与网络' }).waitFor({ timeout: 5_000 });
  const label = await app.page.locator(SEL.nodeById(leader.id)).getAttribute('aria-label');
  assert.equal(label, `S${leader.id + 1}，领导者，任期 ${leader.term}`);
  await app.page.locator('.feed').getByText(`S${leader.id + 1} 成为任期 ${leader.term} 的领导者`).waitFor({ timeout: 10_000 });
  assert.match(app.page.url(), /lang=zh/, 'the address keeps the language, so a reload does too');
  assert.deepEqual(app.errors(), []);
});

test('(L2) the switch changes the language in place: same run, same trace, the address follows', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42&lang=en');
  assert.equal(await langOf(app), 'en');
  await app.waitForLeader();
  await app.pause();
  // A reload would lose this.
  await app.page.evaluate(() => { window.__sameDocument = true; });
  const before = await app.state();

  await app.page.locator('[data-lang-option="zh"]').click();
  await app.page.waitForFunction(() => document.documentElement.lang === 'zh-Hans', null, { timeout: 5_000 });
  await app.page.getByRole('button', { name: '播放', exact: true }).waitFor({ timeout: 5_000 });
  const zh = await app.state();
  assert.equal(zh.app.traceHash, before.app.traceHash, 'the same run at the same moment');
  assert.equal(zh.app.virtualTime, before.app.virtualTime);
  assert.equal(zh.app.events, before.app.events);
  assert.deepEqual(zh.nodes, before.nodes, 'data-role and data-term are the same in both languages');
  assert.equal(await app.page.evaluate(() => window.__sameDocument), true, 'no reload');
  assert.match(app.page.url(), /lang=zh/);
  assert.match(app.page.url(), /seed=42/);
  assert.equal(await app.page.locator('[data-lang-option="zh"]').getAttribute('aria-pressed'), 'true');

  // The run goes on from where it was, in Chinese.
  await setPlaying(app, true);
  await app.until('virtual time to move on', (s) => Number(s.app.virtualTime) > Number(before.app.virtualTime) + 50_000);
  await setPlaying(app, false);
  const on = await app.state();
  assert.ok(Number(on.app.events) > Number(before.app.events), 'events went on');

  await app.page.locator('[data-lang-option="en"]').click();
  await app.page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5_000 });
  await app.page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: 5_000 });
  const back = await app.state();
  assert.equal(back.app.traceHash, on.app.traceHash);
  assert.equal(back.app.virtualTime, on.app.virtualTime);
  assert.match(app.page.url(), /lang=en/);
  assert.equal(await app.page.evaluate(() => window.__sameDocument), true, 'still no reload');
  assert.deepEqual(app.errors(), []);
});

test('(L3) in Chinese no English word is left on the Raft page: menu, inspectors, help, faults, the past', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42&lang=zh');
  const leader = await app.waitForLeader();
  // Entries in the log, a cut link, a crashed follower: their texts show.
  await app.page.keyboard.press('c');
  await app.until('an entry committed', (s) => s.log.some((e) => e.committed), { timeout: 20_000 });
  await app.page.getByRole('button', { name: '切断链路', exact: true }).click();
  await app.page.locator('[data-cut-link]').first().waitFor({ timeout: 5_000 });
  const follower = (await app.state()).nodes.find((n) => n.id !== leader.id && n.status === 'up');
  await app.nodeAction(follower.id, '崩溃', { close: false });
  await app.until('the follower crashed', (s) => s.nodes.find((n) => n.id === follower.id).status === 'crashed');
  await setPlaying(app, false);
  let checked = await assertAllChinese(app, 'Raft, crashed follower menu and inspector');

  await app.page.keyboard.press('Escape');
  await app.page.locator(SEL.nodeById(leader.id)).click();
  await app.page.locator(`[data-inspector="node"][data-node-id-inspected="${leader.id}"]`).waitFor({ timeout: 5_000 });
  checked += await assertAllChinese(app, 'Raft, leader menu and inspector');

  await app.page.keyboard.press('Escape');
  await inspectAMessage(app);
  checked += await assertAllChinese(app, 'Raft, message inspector');

  await app.page.keyboard.press('Escape');
  await app.page.keyboard.press('?');
  await app.page.locator('[data-help]').waitFor({ timeout: 5_000 });
  checked += await assertAllChinese(app, 'Raft, keyboard help');

  await app.page.keyboard.press('Escape');
  await app.page.locator('body').press('ArrowLeft');
  await app.until('the past', (s) => s.app.inPast === 'true');
  await app.page.locator('[data-go-live]').waitFor({ timeout: 5_000 });
  checked += await assertAllChinese(app, 'Raft, viewing the past');
  assert.ok(checked > 200, `${checked} texts checked`);
  // The same walk finds English on the English page: the check can fail.
  await app.page.locator('[data-lang-option="en"]').click();
  await app.page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5_000 });
  const english = englishIn(await app.page.evaluate(pageTexts, PENDING_IN_APP_RS));
  assert.ok(english.length > 100, `${english.length} English words on the English page`);
  assert.deepEqual(app.errors(), []);
});

test('(L3b) in Chinese no English word is left on the Paxos and Multi-Paxos pages', async (app) => {
  await app.open('?algo=paxos&proposers=2&acceptors=3&learners=1&seed=1&lang=zh');
  await app.nodeAction(0, '客户端请求');
  await app.page.keyboard.press('Escape');
  await app.page.locator('[data-chosen-value]').waitFor({ timeout: 30_000 });
  await app.page.locator(SEL.nodeById(0)).click();
  await app.page.locator('[data-node-menu="0"]').waitFor({ timeout: 5_000 });
  await assertAllChinese(app, 'Paxos, a proposer\'s menu');
  await app.page.keyboard.press('Escape');
  await app.page.locator(SEL.nodeById(2)).click();
  await assertAllChinese(app, 'Paxos, an acceptor\'s menu');
  await app.page.keyboard.press('Escape');
  await app.nodeAction(1, '客户端请求');
  await inspectAMessage(app);
  await assertAllChinese(app, 'Paxos, message inspector');
  await app.page.keyboard.press('Escape');
  await app.page.keyboard.press('?');
  await app.page.locator('[data-help]').waitFor({ timeout: 5_000 });
  await assertAllChinese(app, 'Paxos, keyboard help');

  await app.open('?algo=multipaxos&nodes=5&seed=42&lang=zh');
  await app.until('a leader', (s) => s.app.leader !== '', { timeout: 30_000 });
  await app.page.keyboard.press('c');
  await app.page.locator('.chosen-slot').first().waitFor({ timeout: 20_000 });
  const leader = Number((await app.state()).app.leader);
  await app.page.locator(SEL.nodeById(leader)).click();
  await app.page.locator(`[data-node-menu="${leader}"]`).waitFor({ timeout: 5_000 });
  await assertAllChinese(app, 'Multi-Paxos, the leader\'s menu');
  await app.page.keyboard.press('Escape');
  await inspectAMessage(app);
  await assertAllChinese(app, 'Multi-Paxos, message inspector');
  await app.page.keyboard.press('Escape');
  await app.nodeAction((leader + 1) % 5, '崩溃', { close: false });
  await app.page.keyboard.press('?');
  await app.page.locator('[data-help]').waitFor({ timeout: 5_000 });
  await assertAllChinese(app, 'Multi-Paxos, a crashed replica and the keyboard help');
  assert.deepEqual(app.errors(), []);
});

test('(L3c) in Chinese no English word is left on the Viewstamped Replication page', async (app) => {
  await app.open('?algo=vr&nodes=5&seed=42&lang=zh');
  await app.page.locator('body').press('c');
  await app.page.locator('[data-committed-op]').first().waitFor({ timeout: 20_000 });
  await app.page.locator(SEL.nodeById(0)).click();
  await app.page.locator('[data-node-menu="0"]').waitFor({ timeout: 5_000 });
  await assertAllChinese(app, 'VR, the primary\'s menu and inspector');
  await app.page.keyboard.press('Escape');
  await inspectAMessage(app);
  await assertAllChinese(app, 'VR, message inspector');
  await app.page.keyboard.press('Escape');
  await app.nodeAction(0, '崩溃', { close: false });
  await assertAllChinese(app, 'VR, a crashed primary');
  await app.page.keyboard.press('Escape');
  await setPlaying(app, true);
  await app.until('a view change and a new primary', (s) => s.app.leader !== '' && s.app.leader !== '0', { timeout: 30_000 });
  await app.nodeAction(0, '重启', { close: false });
  await app.page.keyboard.press('?');
  await app.page.locator('[data-help]').waitFor({ timeout: 5_000 });
  await assertAllChinese(app, 'VR, a recovering replica, the feed and the keyboard help');
  await app.page.keyboard.press('Escape');
  await app.open('?scenario=vr-recovery-nonce&lang=zh');
  await assertAllChinese(app, 'a VR scenario');
  assert.deepEqual(app.errors(), []);
});

test('(L3d) in Chinese no English word is left on the Zab page', async (app) => {
  await app.open('?algo=zab&nodes=5&seed=42&lang=zh');
  await app.until('an established leader', (s) => s.app.leader !== '', { timeout: 30_000 });
  const leader = Number((await app.state()).app.leader);
  await app.page.locator('body').press('c');
  await app.page.locator('[data-delivered-op]').first().waitFor({ timeout: 20_000 });
  await app.page.locator(SEL.nodeById(leader)).click();
  await app.page.locator(`[data-node-menu="${leader}"]`).waitFor({ timeout: 5_000 });
  await assertAllChinese(app, 'Zab, the leader\'s menu and inspector');
  await app.page.keyboard.press('Escape');
  await inspectAMessage(app);
  await assertAllChinese(app, 'Zab, message inspector');
  await app.page.keyboard.press('Escape');
  const follower = (leader + 1) % 5;
  await app.nodeAction(follower, '崩溃', { close: false });
  await assertAllChinese(app, 'Zab, a crashed follower');
  await app.page.keyboard.press('Escape');
  await app.nodeAction(leader, '崩溃');
  await setPlaying(app, true);
  await app.until('a new election', (s) => s.app.leader !== String(leader), { timeout: 30_000 });
  await app.page.keyboard.press('?');
  await app.page.locator('[data-help]').waitFor({ timeout: 5_000 });
  await assertAllChinese(app, 'Zab, an election after the leader crashed, the feed and the keyboard help');
  await app.page.keyboard.press('Escape');
  for (const name of ['zab-leader-crash-in-sync', 'zab-stale-epoch-rejoin', 'zab-primary-order']) {
    await app.open(`?scenario=${name}&lang=zh`);
    await assertAllChinese(app, `the Zab scenario ${name}`);
  }
  assert.deepEqual(app.errors(), []);
});

test('(L7) one Chinese word per concept: duplicate, copy a link, split vote, ms, candidate, no-op (issue 11)', async (app) => {
  await app.open('?algo=raft&seed=1&lang=zh');
  await app.waitForLeader();
  // 复制 is for log replication only: a duplicated message and a copied link say otherwise.
  await app.page.getByRole('button', { name: '拷贝链接', exact: true }).waitFor({ timeout: 5_000 });
  await inspectAMessage(app);
  await app.page.locator('[data-inspector="message"]').getByRole('button', { name: '重复投递', exact: true }).waitFor({ timeout: 5_000 });
  await app.page.keyboard.press('Escape');
  // A time after a number is "ms", as the page writes numbers; a split vote is 选票瓜分.
  await app.open('?scenario=raft-split-vote&lang=zh');
  await app.page.locator('[data-scenario]').waitFor({ timeout: 10_000 });
  const split = await app.page.evaluate(() => document.body.innerText);
  assert.match(split, /选票瓜分/);
  assert.match(split, /100 ms/);
  assert.doesNotMatch(split, /毫秒|分票|选票分裂|过半数/);
  // A candidate is 候选人 (never 候选者): in the narration, on the ring and in the inspector.
  await app.page.locator('[data-step-dot="1"]').click();
  await app.page.waitForFunction(() => document.querySelector('[data-scenario]').dataset.step === '1', null, { timeout: 10_000 });
  await app.page.locator(SEL.nodeById(0)).click();
  await app.page.locator('[data-inspector="node"]').waitFor({ timeout: 5_000 });
  const candidates = await app.page.evaluate(() => document.body.innerText);
  assert.match(candidates, /候选人/);
  assert.doesNotMatch(candidates, /候选者/);
  await app.page.keyboard.press('Escape');
  // The no-op is 空操作 in the narration and the claims; the English word only in the glossary.
  await app.open('?scenario=multipaxos-leader-change&lang=zh');
  await app.page.locator('[data-step-dot="6"]').click();
  await app.page.waitForFunction(() => document.querySelector('[data-scenario]').dataset.step === '6', null, { timeout: 10_000 });
  const gap = await app.page.locator('[data-scenario]').innerText();
  assert.match(gap, /空操作/);
  assert.doesNotMatch(gap, /no-op|毫秒/);
  // And so in the slot log's cells and the feed (the core writes an empty command "no-op").
  const whole = await app.page.evaluate(() => document.querySelector('main').innerText);
  assert.match(whole, /空操作/);
  assert.doesNotMatch(whole, /no-op/);
  assert.deepEqual(app.errors(), []);
});

test('(L4) feed lines already on the page are reworded when the language switches', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=42&lang=en');
  const leader = await app.waitForLeader();
  const name = `S${leader.id + 1}`;
  await app.page.locator('.feed').getByText(`${name} became leader for term ${leader.term}`).waitFor({ timeout: 10_000 });
  await app.pause();
  const english = await feedLines(app);
  assert.ok(english.length >= 3, `${english.length} lines`);

  await app.page.locator('[data-lang-option="zh"]').click();
  await app.page.locator('.feed').getByText(`${name} 成为任期 ${leader.term} 的领导者`).waitFor({ timeout: 5_000 });
  const chinese = await feedLines(app);
  assert.equal(chinese.length, english.length, 'the same lines, reworded');
  assert.deepEqual(englishIn(chinese.map((text) => ({ where: 'the feed', text }))), [], 'every line in Chinese');
  assert.ok(chinese.some((l) => /投票给 S\d/.test(l)), 'votes read in Chinese');

  await app.page.locator('[data-lang-option="en"]').click();
  await app.page.locator('.feed').getByText(`${name} became leader for term ${leader.term}`).waitFor({ timeout: 5_000 });
  assert.deepEqual(await feedLines(app), english, 'back to the same English lines');
  assert.deepEqual(app.errors(), []);
});

test('(L5) the notice of a crash of the page itself is in the page\'s language', async (app) => {
  for (const [lang, words] of [['zh', 'Quorum 因程序错误而停止'], ['en', 'Quorum stopped because of a bug']]) {
    await app.page.goto(`${app.baseUrl}/?debug=panic&lang=${lang}`, { waitUntil: 'load' });
    const fatal = app.page.locator(SEL.fatal);
    await fatal.waitFor({ timeout: 20_000 });
    assert.match(await fatal.textContent(), new RegExp(`^${words}`));
  }
});

test('(L6) a scenario in Chinese: narration, claims, the list of scenarios, leaving the script, export and import', async (app) => {
  await app.open('?scenario=raft-figure-8&lang=zh');
  assert.equal(await langOf(app), 'zh-Hans');
  await app.page.locator('[data-step-dot="5"]').click();
  await app.page.waitForFunction(() => document.querySelector('[data-scenario]').dataset.step === '5', null, { timeout: 10_000 });
  await app.page.locator('[data-scenario-menu] summary').click();
  await app.page.locator('[data-scenario-link="paxos-late-proposer"]').waitFor({ timeout: 5_000 });
  let checked = await assertAllChinese(app, 'a Raft scenario with the list of scenarios open');
  await app.page.locator('[data-scenario-menu] summary').click();
  // Acting leaves the script; the panel says so, in Chinese too.
  await app.nodeAction(1, '崩溃');
  await app.page.keyboard.press('Escape');
  await app.page.locator('[data-off-script]').waitFor({ timeout: 5_000 });
  checked += await assertAllChinese(app, 'a scenario left by acting');
  // A file that is not a run: the notice says why in Chinese.
  await app.page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['not json'], 'bad.json', { type: 'application/json' }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await app.page.locator('[data-notice]').getByText('无法打开该文件').waitFor({ timeout: 5_000 });
  checked += await assertAllChinese(app, 'a refused run file');
  await app.open('?scenario=multipaxos-leader-change&lang=zh&present=1');
  checked += await assertAllChinese(app, 'a Multi-Paxos scenario, presenting');
  assert.ok(checked > 200, `${checked} texts checked`);
  assert.deepEqual(app.errors(), []);
});
