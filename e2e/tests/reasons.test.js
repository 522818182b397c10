// Reasons for a newcomer (issue 11): a scenario claim the person's own action made false says
// what is the case instead, in Chinese as in English (the core gives a fact, the page words it;
// before, the Chinese page hid every reason it could not parse from the core's English, and the
// English showed Rust's list syntax); and a Paxos proposer that starts a new ballot says why.
import assert from 'node:assert/strict';

import { browserSuite } from '../helpers/browser.js';

const test = browserSuite();

// Names the Chinese page keeps in Latin letters: the paper's variables and messages.
const NAMES = new Set(['currentTerm', 'commitIndex', 'nextIndex', 'votedFor', 'Prepare', 'Promise', 'Accept', 'Accepted', 'Nack', 'AppendEntries', 'RequestVote']);

/** The Latin words of a Chinese text that are not names: S1, x←1 and the paper's names pass. */
const english = (zh) => [...zh.matchAll(/[A-Za-z]+(?=(\d?))/g)]
  .filter(([w, digit]) => !(w === 'S' && digit) && w.length > 1 && !NAMES.has(w))
  .map(([w]) => w);

/** Each false claim of the step shown: its text and its reason ('' if it shows none). */
const falseClaims = (app) => app.page.locator('[data-claim-ok="false"]').evaluateAll((els) => els.map((el) => ({
  claim: el.textContent,
  actual: el.querySelector('.claim-actual')?.textContent ?? '',
})));

/**
 * raft-leader-crash at its first step; the person crashes S2 (`crash` is the menu's word), and
 * steps on: at step 2 S1's and S2's logs lack entry 3 and S3 has not committed it, so its
 * claims are false in the person's run.
 */
async function breakStep2(app, lang, crash) {
  await app.open(`?scenario=raft-leader-crash&step=1${lang === 'zh' ? '&lang=zh' : ''}`);
  await app.untilStep(0);
  await app.nodeAction(1, crash);
  await app.page.locator('[data-off-script]').waitFor({ timeout: 5_000 });
  await app.page.locator('[data-step-dot="1"]').click();
  await app.untilStep(1);
  await app.page.locator('[data-claims-of="your-run"]').waitFor({ timeout: 10_000 });
  const claims = await falseClaims(app);
  assert.ok(claims.length >= 2, `claims made false: ${JSON.stringify(claims)}`);
  for (const c of claims) assert.notEqual(c.actual, '', `"${c.claim}" says what is the case instead`);
  return claims;
}

test('(R1) on a Chinese page, a claim made false by the person\'s action says why, in Chinese', async (app) => {
  const claims = await breakStep2(app, 'zh', '崩溃');
  for (const { claim, actual } of claims) {
    assert.match(actual, /^——然而 /, claim);
    assert.match(actual, /[\u4e00-\u9fff]/, `in Chinese: ${actual}`);
    assert.deepEqual(english(actual), [], `no English in ${actual}`);
    assert.doesNotMatch(actual, /[[\]]/, `no list syntax in ${actual}`);
  }
  // S1's log holds two entries of term 1, not three; S3 has committed two.
  assert.ok(claims.some((c) => /S1 .*日志.*1 1$/.test(c.actual) && !/1 1 1/.test(c.actual)), JSON.stringify(claims));
  assert.ok(claims.some((c) => /S3 .*commitIndex.*2$/.test(c.actual)), JSON.stringify(claims));
  await app.screenshot(new URL('../artifacts/reasons-r1.png', import.meta.url).pathname);
  assert.deepEqual(app.errors(), []);
});

test('(R2) the same in English: each reason in words, with no list syntax', async (app) => {
  const claims = await breakStep2(app, 'en', 'Crash');
  for (const { claim, actual } of claims) {
    assert.match(actual, /^ — but /, claim);
    assert.doesNotMatch(actual, /[[\]]/, `no list syntax in ${actual}`);
  }
  assert.ok(claims.some((c) => /S1's log.* 1 1$/.test(c.actual)), JSON.stringify(claims));
  assert.ok(claims.some((c) => /S3's commitIndex is 2$/.test(c.actual)), JSON.stringify(claims));
  assert.deepEqual(app.errors(), []);
});

test('(R3) a Paxos proposer that starts a new ballot says why, in English and in Chinese', async (app) => {
  // Step 9 of the dueling proposers: S2's back-off after 2.2 was refused (the acceptors had
  // promised 3.1) is over, and it tries again with 4.2.
  await app.open('?scenario=paxos-dueling-proposers&step=9');
  await app.untilStep(8);
  const feed = () => app.page.locator('.feed').textContent();
  assert.match(await feed(), /S2 retried with Prepare\(4\.2\): its 2\.2 was refused: an acceptor had promised 3\.1/);
  // The forced timeouts of the earlier steps are told as the person's doing.
  await app.page.locator('[data-step-dot="3"]').click();
  await app.untilStep(3);
  assert.match(await feed(), /S1 was made to time out and retried with Prepare\(2\.1\)/);
  await app.page.locator('[data-lang-option="zh"]').click();
  await app.page.locator('[data-step-dot="8"]').click();
  await app.untilStep(8);
  assert.match(await feed(), /S2 以 Prepare\(4\.2\) 重试：它的 2\.2 被拒绝：有接受者已承诺 3\.1/);
  await app.screenshot(new URL('../artifacts/reasons-r3.png', import.meta.url).pathname);
  assert.deepEqual(app.errors(), []);
});
