import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test as plainTest } from 'node:test';

import { browserSuite, DIST, sleep } from '../helpers/browser.js';

const test = browserSuite();

test('(a) the page loads with no console error and no page error, 5 nodes shown', async (app) => {
  await app.open('');
  const s = await app.until('5 nodes to render', (st) => st.nodes.length === 5 && st);
  assert.match(s.app.traceHash ?? '', /^[0-9a-f]{16}$/i, 'data-trace-hash is 16 hex digits');
  assert.match(s.app.virtualTime ?? '', /^\d+$/, 'data-virtual-time is an integer');
  assert.match(s.app.seed ?? '', /^\d+$/, 'without ?seed= a random seed is shown in data-seed');
  assert.equal(s.app.nodes, '5', 'data-nodes defaults to 5');
  assert.deepEqual(s.nodes.map((n) => n.id).sort((x, y) => x - y), [0, 1, 2, 3, 4], 'node ids are 0..4');
  assert.equal(s.urlError, null, 'no [data-url-error] without parameters');
  // Let it run a moment: errors thrown by the render loop count too.
  await sleep(1_500);
  const after = await app.state();
  assert.equal(after.fatal, null, 'no [data-fatal-error]');
  assert.deepEqual(app.errors(), [], 'no console error and no page error');
});

test('(g) ?nodes=42 shows [data-url-error] and falls back to 5 nodes', async (app) => {
  await app.open('?algo=raft&nodes=42&seed=7');
  const s = await app.until('the URL error and 5 nodes', (st) => st.urlError && st.nodes.length === 5 && st);
  assert.ok(s.urlError.visible, '[data-url-error] is visible');
  assert.notEqual(s.urlError.text, '', '[data-url-error] says something');
  assert.equal(s.app.nodes, '5', 'data-nodes falls back to 5');
  assert.equal(s.fatal, null);
});

plainTest('(a2) every integrity= in dist/index.html matches the file it names, and each bundle is sealed', async () => {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const digest = (algo, file) => `${algo}-${crypto.createHash(algo).update(fs.readFileSync(file)).digest('base64')}`;
  const tags = [...html.matchAll(/<(?:link|script)\b[^>]*\sintegrity="?([^"\s>]+)"?[^>]*>/gi)];
  assert.ok(tags.length > 0, 'trunk wrote integrity attributes');
  for (const [tag, integrity] of tags) {
    const url = /\s(?:href|src)="?([^"\s>]+)"?/i.exec(tag)[1];
    const [algo] = integrity.split('-', 1);
    assert.equal(integrity, digest(algo, path.join(DIST, url.replace(/^\/+/, ''))), `integrity of ${url}`);
  }
  // Each protocol's bundle: a versioned address and the digest the loader and the import map check.
  const json = (id) => JSON.parse(new RegExp(`<script[^>]*id="?${id}"?[^>]*>([^<]*)</script>`).exec(html)[1]);
  const bundles = json('quorum-bundles');
  const { integrity } = json('quorum-importmap');
  const protocols = /data-protocols="?([^">]*)"?/.exec(html)[1].trim().split(/\s+/);
  assert.deepEqual(Object.keys(bundles).sort(), [...protocols].sort());
  for (const [name, b] of Object.entries(bundles)) {
    const file = (u) => path.join(DIST, u.replace(/^\.\//, '').split('?')[0]);
    assert.equal(b.wasmIntegrity, digest('sha384', file(b.wasm)), `${name}'s wasm`);
    assert.equal(integrity[b.js], digest('sha384', file(b.js)), `${name}'s glue`);
  }
});
