// Pictures of the page for docs/ (issue 11): the first visit, a scenario step with what its
// narration names highlighted, presenter mode at 1920x1080, an embed at 700x450 and a phone,
// in English and Chinese. Run by hand against a built site:
//   node e2e/shots.mjs [--dist dist] [--out docs/pictures] [--only name]
// or to look at one address:  node e2e/shots.mjs --query '?algo=paxos' --size 1280x800 --file /tmp/x.png

import fs from 'node:fs';
import path from 'node:path';

import { DIST, launchBrowser, ROOT, sleep } from './helpers/browser.js';
import { startServer } from './helpers/server.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const dist = path.resolve(flag('dist', DIST));
const out = path.resolve(ROOT, flag('out', 'docs/pictures'));
const only = flag('only', null);

/** Waits for the page, then for `ready` (a selector) if given, then a moment for layout. */
async function shoot(server, { query, size, file, ready, scheme = 'light', before, settle = 600 }) {
  const [width, height] = size.split('x').map(Number);
  const browser = await launchBrowser({ viewport: { width, height } });
  try {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${server.url}/${query}`, { waitUntil: 'load' });
    await page.locator('[data-app]').first().waitFor({ timeout: 30_000 });
    if (ready) await page.locator(ready).first().waitFor({ timeout: 30_000 });
    if (before) await before(page);
    await sleep(settle);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    console.log(`${file}  (${size} ${query})`);
  } finally {
    await browser.close();
  }
}

/** Goes to a scenario's step `n` (from 0) with PageDown, as a presenter's remote would. */
function step(n) {
  return async (page) => {
    await page.locator('[data-scenario]').waitFor({ timeout: 20_000 });
    for (let i = 1; i <= n; i++) {
      await page.keyboard.press('PageDown');
      await page.waitForFunction((i) => document.querySelector('[data-scenario]')?.dataset.step === String(i), i, { timeout: 20_000 });
    }
  };
}

/** Takes the guided start and goes on to its step `n` (from 0). */
function tourStep(n) {
  return async (page) => {
    await page.locator('[data-tour="offer"] button.primary').click();
    for (let i = 0; i < n; i++) {
      await page.locator('[data-tour="step"]').getByRole('button', { name: /Next|下一步/ }).click();
    }
  };
}

const server = await startServer(dist);
try {
  const query = flag('query', null);
  if (query !== null) {
    await shoot(server, {
      query,
      size: flag('size', '1280x800'),
      file: path.resolve(flag('file', '/tmp/shot.png')),
      scheme: flag('scheme', 'light'),
      settle: Number(flag('wait', '600')),
    });
  } else {
    const shots = [
      { name: 'first-visit', query: '', size: '1280x800', ready: '[data-tour]', settle: 2500 },
      { name: 'first-visit-zh', query: '?lang=zh', size: '1280x800', ready: '[data-tour]', settle: 2500 },
      { name: 'tour-step', query: '', size: '1280x800', ready: '[data-tour]', before: tourStep(2), settle: 5000 },
      { name: 'scenario-step', query: '?scenario=raft-first-election', size: '1280x800', before: step(3) },
      { name: 'scenario-step-zh', query: '?scenario=raft-first-election&lang=zh', size: '1280x800', before: step(3) },
      { name: 'present-1920x1080', query: '?scenario=raft-leader-crash&present=1', size: '1920x1080', before: step(2) },
      { name: 'embed-700x450', query: '?embed=1&controls=full&seed=3', size: '700x450', settle: 4000 },
      { name: 'embed-700x450-zh', query: '?embed=1&controls=full&seed=3&lang=zh&scenario=paxos-dueling-proposers', size: '700x450', before: step(4) },
      { name: 'phone-390x844', query: '?scenario=raft-first-election', size: '390x844', before: step(1) },
    ];
    for (const shot of shots) {
      if (only && shot.name !== only) continue;
      await shoot(server, { ...shot, file: path.join(out, `${shot.name}.png`) });
    }
  }
} finally {
  await server.close();
}
