// Runs as files (issue 5): Export writes the run to a JSON file; Import (the file picker, or a
// file dropped on the page) reopens it at the same moment with the same trace hash; a broken
// file says what is wrong and the run on the page goes on.
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { browserSuite } from '../helpers/browser.js';

const test = browserSuite();

async function exported(app) {
  const [download] = await Promise.all([
    app.page.waitForEvent('download'),
    app.page.getByRole('button', { name: 'Export' }).click(),
  ]);
  const file = await download.path();
  return { name: download.suggestedFilename(), json: fs.readFileSync(file, 'utf8') };
}

test('(F1) an exported run imports (picker and drop) at the same moment with the same trace hash', async (app) => {
  await app.open('?algo=raft&nodes=5&seed=21');
  const leader = await app.waitForLeader();
  await app.nodeAction(leader.id, 'Client request');
  await app.page.keyboard.press('Escape');
  await app.nodeAction((leader.id + 2) % 5, 'Crash');
  await app.page.keyboard.press('Escape');
  await app.until('a later moment', (s) => Number(s.app.virtualTime) > 800_000, { timeout: 60_000 });
  await app.pause();
  await app.page.locator('body').press('ArrowLeft');
  const before = await app.state();
  const file = await exported(app);
  assert.equal(file.name, 'quorum-raft-seed21.json');
  const run = JSON.parse(file.json);
  assert.equal(run.format, 'quorum-run');
  assert.equal(run.version, 1);
  assert.equal(run.protocol, 'raft');
  assert.equal(run.moment.events, Number(before.app.events));
  assert.equal(run.moment.time, Number(before.app.virtualTime));
  assert.ok(run.commands.some((c) => 'Crash' in c.command));

  // The picker, on a fresh page of another protocol.
  await app.open('?algo=paxos&seed=3');
  await Promise.all([
    app.page.waitForURL(/algo=raft&run=1\./, { waitUntil: 'load' }),
    app.page.locator('[data-import-input]').setInputFiles({ name: file.name, mimeType: 'application/json', buffer: Buffer.from(file.json) }),
  ]);
  let after = await app.until('the imported run', (s) => s.app && s.app.algo === 'raft' && s.app.traceHash === before.app.traceHash && s);
  assert.equal(after.app.virtualTime, before.app.virtualTime);
  assert.deepEqual(after.nodes, before.nodes);
  assert.deepEqual(after.log, before.log);

  // Dropped on the page.
  await app.open('?algo=multipaxos&seed=4');
  await Promise.all([
    app.page.waitForURL(/algo=raft&run=1\./, { waitUntil: 'load' }),
    app.dropFile(file.name, file.json),
  ]);
  after = await app.until('the dropped run', (s) => s.app && s.app.algo === 'raft' && s.app.traceHash === before.app.traceHash && s);
  assert.equal(after.app.events, before.app.events);
  assert.deepEqual(app.errors(), []);
});

test('(F2) a malformed, tampered or newer file says what is wrong; the run goes on', async (app) => {
  await app.open('?algo=raft&seed=8');
  await app.waitForLeader();
  const good = (await exported(app)).json;
  const cases = [
    ['not json at all', /not a Quorum run \(not JSON/],
    [JSON.stringify({ format: 'something-else', version: 1 }), /"format" is not "quorum-run"/],
    [good.replace('"version": 1', '"version": 2'), /newer than this page reads/],
    [good.replace('"nodes": 5', '"nodes": 99'), /cannot be used/],
    [good.slice(0, good.length / 2), /malformed|not JSON/],
  ];
  for (const [text, message] of cases) {
    const hash = (await app.state()).app.traceHash;
    await app.dropFile('bad.json', text);
    const notice = app.page.locator('[data-notice]');
    await notice.waitFor({ timeout: 5_000 });
    assert.match(await notice.textContent(), /The file could not be opened/);
    assert.match(await notice.textContent(), message);
    const s = await app.state();
    assert.equal(s.nodes.length, 5, 'the run on the page is still there');
    assert.ok(s.app.traceHash === hash || s.app.playing === 'true');
    await app.page.getByRole('button', { name: 'Dismiss' }).click();
  }
  assert.match(app.page.url(), /seed=8/, 'no navigation happened');
  assert.deepEqual(app.errors(), []);
});

test('(F3) run files written by format 1 before each protocol had its own page open at their moment with their trace hash', async (app) => {
  const dir = new URL('../fixtures/format1/', import.meta.url);
  const manifest = fs.readFileSync(new URL('MANIFEST', dir), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(manifest.length, 6);
  await app.open('?algo=raft&seed=1');
  for (const line of manifest) {
    const [name, hash, events, time] = line.split(' ');
    const json = fs.readFileSync(new URL(name, dir), 'utf8');
    const protocol = JSON.parse(json).protocol;
    // The import navigates to the run's own address: wait for that address, not merely one of
    // its protocol (the page before may already be one).
    const before = app.page.url();
    await Promise.all([
      app.page.waitForURL((url) => url.href !== before && url.searchParams.get('algo') === protocol, { waitUntil: 'load' }),
      app.page.locator('[data-import-input]').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(json) }),
    ]);
    const s = await app.until(`${name} at its moment`, (st) => st.app && st.app.algo === protocol && st.app.traceHash === hash && st, { timeout: 20_000 });
    assert.equal(s.app.events, events, name);
    assert.equal(s.app.virtualTime, time, name);
    assert.equal(s.app.playing, 'false', name);
    // Issue 11, bug 4: the footer names the file's seed, not a random one.
    const seed = String(JSON.parse(json).seed);
    assert.equal(s.app.seed, seed, name);
    assert.equal(await app.page.locator('[data-seed-value]').textContent(), seed, name);
  }
  assert.deepEqual(app.errors(), []);
});
