// Shared helpers for the browser tests: one static server and one headless Chromium per test
// file, a fresh browser context (own storage, like a new profile) per test, console and page error collection,
// polling for predicates on the page's data-* attributes (the DOM contract), screenshots.

import { after, before, test as nodeTest } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { startServer } from './server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.resolve(ROOT, process.env.QUORUM_DIST ?? 'dist');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // The page speaks the browser's language when the address names none: tests expect English.
  '--lang=en-US',
];

/** Selectors of the DOM contract. Log entries carry data-node-id too, hence the :not. */
export const SEL = {
  app: '[data-app]',
  node: '[data-node-id][data-role]:not([data-log-entry])',
  nodeById: (id) => `[data-node-id="${id}"][data-role]:not([data-log-entry])`,
  msg: '[data-msg-id]',
  msgById: (id) => `[data-msg-id="${id}"]`,
  logEntry: '[data-log-entry]',
  urlError: '[data-url-error]',
  fatal: '[data-fatal-error]',
};

/** The speed the tests run at (the page's default before it was slowed down for people). */
export const TEST_SPEED = '1/20';

/** `query` with `speed=TEST_SPEED` added, unless it names a speed or `defaultSpeed` is set. */
export function withTestSpeed(query, defaultSpeed = false) {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  if (defaultSpeed || params.has('speed')) return query;
  const sep = query === '' || query === '?' ? '' : '&';
  return `${query.startsWith('?') ? query : `?${query}`}${sep}speed=${TEST_SPEED}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The test file's one Chromium, launched on first use and closed after the file's last test. */
let sharedBrowser = null;

async function chromiumForTests() {
  if (sharedBrowser && (await sharedBrowser).isConnected()) return sharedBrowser;
  sharedBrowser = chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  sharedBrowser.catch(() => {
    sharedBrowser = null;
  });
  return sharedBrowser;
}

/**
 * A fresh browser context (its own cookies, storage and cache, like a new profile) in the test
 * file's one headless Chromium: starting Chromium once per file rather than once per test takes
 * about half a second off every test. `deviceScaleFactor` is the screen's pixels per CSS pixel
 * (a phone's is 3); layout is in CSS pixels either way.
 */
export async function launchBrowser({ viewport = { width: 1280, height: 800 }, touch = false, deviceScaleFactor = 1 } = {}) {
  const browser = await chromiumForTests();
  const context = await browser.newContext({ viewport, deviceScaleFactor, hasTouch: touch, isMobile: touch });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
    },
  };
}

/** Everything the tests read from the page, in one round trip. */
function readState() {
  const int = (v) => (v === undefined || v === '' ? null : Number(v));
  const root = document.querySelector('[data-app]');
  const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  return {
    app: root ? { ...root.dataset } : null,
    nodes: [...document.querySelectorAll('[data-node-id][data-role]:not([data-log-entry])')].map((e) => ({
      id: int(e.dataset.nodeId),
      role: e.dataset.role,
      term: int(e.dataset.term),
      status: e.dataset.status,
    })),
    messages: [...document.querySelectorAll('[data-msg-id]')].map((e) => ({
      id: e.dataset.msgId,
      kind: e.dataset.msgKind,
      from: int(e.dataset.from),
      to: int(e.dataset.to),
    })),
    log: [...document.querySelectorAll('[data-log-entry]')].map((e) => ({
      node: int(e.dataset.nodeId),
      index: int(e.dataset.index),
      term: int(e.dataset.term),
      committed: e.dataset.committed === 'true',
    })),
    urlError: (() => {
      const el = document.querySelector('[data-url-error]');
      return el ? { text: el.textContent.trim(), visible: visible(el) } : null;
    })(),
    fatal: document.querySelector('[data-fatal-error]')?.textContent.trim() ?? null,
  };
}

function summarize(s) {
  if (!s) return 'no state';
  const nodes = s.nodes.map((n) => `S${n.id + 1}:${n.role}/t${n.term}/${n.status}`).join(' ');
  const committed = s.log.filter((e) => e.committed).length;
  return (
    `app=${JSON.stringify(s.app)} nodes=[${nodes}] messages=${s.messages.length} ` +
    `log=${s.log.length} (committed ${committed})` +
    (s.urlError ? ` urlError=${JSON.stringify(s.urlError.text)}` : '') +
    (s.fatal ? ` FATAL=${JSON.stringify(s.fatal)}` : '')
  );
}

/** A page of the app under test plus what it logged. */
export class AppPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.consoleErrors = [];
    this.pageErrors = [];
    this.consoleLog = [];
    this.lastState = null;
    page.on('console', (msg) => {
      const where = msg.location()?.url ?? '';
      this.consoleLog.push(`[${msg.type()}] ${msg.text()}${where ? ` (${where})` : ''}`);
      // The browser asks for /favicon.ico by itself; its 404 is not the app's error.
      if (msg.type() === 'error' && !/\/favicon\.ico$/.test(where)) {
        this.consoleErrors.push(where ? `${msg.text()} (${where})` : msg.text());
      }
    });
    page.on('pageerror', (err) => {
      this.consoleLog.push(`[pageerror] ${err.message}`);
      this.pageErrors.push(err.message);
    });
    page.on('requestfailed', (req) => {
      this.consoleLog.push(`[requestfailed] ${req.url()} ${req.failure()?.errorText ?? ''}`);
    });
  }

  /**
   * Navigate to the app with a query string such as '?seed=42&nodes=5' and wait for it to render.
   * The page's default speed is slow enough for a person to follow one message; the tests run
   * at TEST_SPEED instead, unless the query names a speed or `defaultSpeed` asks for the page's own.
   */
  async open(query = '', { timeout = 30_000, defaultSpeed = false } = {}) {
    await this.page.goto(`${this.baseUrl}/${withTestSpeed(query, defaultSpeed)}`, { waitUntil: 'load', timeout });
    await this.until('the app root [data-app] to render', (s) => s.app !== null, { timeout });
    return this;
  }

  /**
   * The page's state, read through its data-* attributes. A page that is navigating (an
   * import opens the run's own address) is read again once its new document has loaded.
   */
  async state() {
    for (let attempt = 0; ; attempt++) {
      try {
        const s = await this.page.evaluate(readState);
        this.lastState = s;
        return s;
      } catch (err) {
        const navigating = /Execution context was destroyed|Cannot find context with specified id/.test(String(err?.message));
        if (!navigating || attempt >= 5) throw err;
        await this.page.waitForLoadState('load');
      }
    }
  }

  /**
   * Poll the page state until `predicate(state)` returns something truthy, and return it.
   * Fails at once if the page shows [data-fatal-error] (unless allowFatal), and on timeout
   * with a summary of the last state.
   */
  async until(description, predicate, { timeout = 20_000, interval = 100, allowFatal = false } = {}) {
    const deadline = Date.now() + timeout;
    let s = null;
    for (;;) {
      s = await this.state();
      if (s.fatal && !allowFatal) {
        throw new Error(`the page shows a fatal error while waiting for ${description}: ${s.fatal}`);
      }
      // A predicate may be async (it reads more of the page): its answer is awaited.
      const value = await predicate(s);
      if (value) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeout / 1000}s waiting for ${description}; last state: ${summarize(s)}`);
      }
      await sleep(interval);
    }
  }

  /** Wait until some node is an up leader (optionally with term > minTerm); returns that node. */
  waitForLeader({ minTerm = -Infinity, timeout = 30_000 } = {}) {
    return this.until(
      `an up leader with term > ${minTerm}`,
      (s) => s.nodes.find((n) => n.role === 'leader' && n.status === 'up' && n.term > minTerm),
      { timeout },
    );
  }

  async appAttrs() {
    return (await this.state()).app;
  }

  playPauseButton(name) {
    return this.page.getByRole('button', { name, exact: true });
  }

  async pause() {
    const s = await this.state();
    if (s.app.playing === 'true') await this.playPauseButton('Pause').click();
    await this.until('data-playing=false', (st) => st.app.playing === 'false', { timeout: 5_000 });
  }

  async play() {
    const s = await this.state();
    if (s.app.playing === 'false') await this.playPauseButton('Play').click();
    await this.until('data-playing=true', (st) => st.app.playing === 'true', { timeout: 5_000 });
  }

  /**
   * Click node `id` and then the menu button named `action` ("Crash", "Restart", "Time out",
   * "Client request"), then close the menu with Escape as a person would (the run is paused
   * while the menu is open, and plays on when it closes); `close: false` leaves it open.
   */
  async nodeAction(id, action, { close = true } = {}) {
    await this.page.locator(SEL.nodeById(id)).click();
    await this.page.getByRole('button', { name: action, exact: true }).click();
    if (close) {
      await this.page.keyboard.press('Escape');
      await this.page.locator('[data-node-menu]').waitFor({ state: 'detached', timeout: 5_000 });
    }
  }

  /** The scenario narration's data-* attributes and its text, or null without a scenario. */
  narration() {
    return this.page.evaluate(() => {
      const el = document.querySelector('[data-scenario]');
      return el ? { ...el.dataset, text: el.querySelector('.narration-text')?.textContent ?? '' } : null;
    });
  }

  /** Waits until the narration shows step `step` (from 0) and returns its attributes. */
  async untilStep(step, { timeout = 20_000 } = {}) {
    // Fails at once on a fatal error, like every other wait.
    await this.until(`step ${step}`, () => true, { timeout: 1 });
    const deadline = Date.now() + timeout;
    for (;;) {
      const n = await this.narration();
      if (n && n.step === String(step)) return n;
      if (Date.now() > deadline) throw new Error(`never reached step ${step}: ${JSON.stringify(n)}`);
      await sleep(50);
    }
  }

  /** Drops a file named `name` holding `text` on the page, as a person drags one in. */
  async dropFile(name, text) {
    await this.page.evaluate(({ name, text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'application/json' }));
      document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, { name, text });
  }

  async screenshot(file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }

  errors() {
    return [...this.consoleErrors.map((e) => `console.error: ${e}`), ...this.pageErrors.map((e) => `page error: ${e}`)];
  }
}

function slug(name) {
  return name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 80);
}

/**
 * Register the suite's hooks (start the static server before, stop it after) and return
 * `test(name, fn, options)`: like node:test's, but `fn` gets a fresh browser page as an
 * AppPage. On failure it saves a screenshot and the console log into e2e/artifacts/.
 */
export function browserSuite({ viewport, touch = false, deviceScaleFactor = 1 } = {}) {
  let server = null;
  before(async () => {
    server = await startServer(DIST);
  });
  after(async () => {
    await server?.close();
    const browser = sharedBrowser;
    sharedBrowser = null;
    if (browser) await (await browser.catch(() => null))?.close().catch(() => {});
  });

  return function test(name, fn, { timeout = 120_000 } = {}) {
    return nodeTest(name, { timeout }, async (t) => {
      const base = path.join(ARTIFACTS, slug(name));
      fs.rmSync(`${base}.png`, { force: true });
      fs.rmSync(`${base}.log`, { force: true });
      const browser = await launchBrowser({ viewport, touch, deviceScaleFactor });
      const page = await browser.context.newPage();
      const app = new AppPage(page, server.url);
      try {
        await fn(app, t);
      } catch (err) {
        try {
          fs.mkdirSync(ARTIFACTS, { recursive: true });
          await page.screenshot({ path: `${base}.png`, timeout: 5_000 }).catch(() => {});
          const state = app.lastState ? summarize(app.lastState) : 'none';
          fs.writeFileSync(
            `${base}.log`,
            `${err.stack ?? err}\n\nlast state: ${state}\n\nconsole:\n${app.consoleLog.join('\n')}\n\n` +
              `requests:\n${server.requests.map((r) => `${r.status} ${r.method} ${r.path}`).join('\n')}\n`,
          );
          t.diagnostic(`artifacts: ${path.relative(ROOT, base)}.png / .log`);
        } catch {
          // best effort only
        }
        throw err;
      } finally {
        await browser.close();
      }
    });
  };
}

export { summarize };
