#!/usr/bin/env node
// Frame cost of the page in a real Chromium, against RaftScope as the reference (issue 10, item 7).
//
//   node e2e/bench/frames.mjs [--dist DIR] [--raftscope DIR] [--seconds N] [--windows K]
//                             [--warmup S] [--only ID,ID] [--quiet-below CPUS] [--save FILE] [--json]
//
// Scenario ids for --only: quorum-5-idle, quorum-9-idle, quorum-5-loaded, quorum-9-loaded,
// quorum-5-flight, quorum-9-flight, raftscope-5-idle, raftscope-5-loaded. --quiet-below waits before each scenario until other
// processes use fewer CPUs than that; the `others` column says how busy the machine was.
// --json prints every window as JSON instead of the table; --save FILE also writes that JSON.
//
// Run by hand, never as a test, and not while anything else of yours is building: the numbers
// are main-thread time, which any other load on the machine inflates. For each scenario it
// plays the page for a warm-up, then measures K windows of N seconds of real time (default
// 5 x 5 s after 8 s) and prints the median and the worst window. See e2e/bench/README.md.
//
// Per window: main-thread ms per frame from CDP Performance.getMetrics (the change of
// TaskDuration, and of ScriptDuration / RecalcStyleDuration / LayoutDuration, over the window,
// divided by the frames drawn); frames counted by a requestAnimationFrame loop of our own
// (frames per second, the share of rAF intervals over 20 ms, the longest interval); messages in
// flight as the mean over those frames of the count of the page's message elements. Then the
// same page paused (Space): main-thread ms per second, and how many rAF callbacks the page's
// own code got (requestAnimationFrame is wrapped before the page loads; our loop uses the
// original and is stopped while paused, so it neither counts nor adds work).
//
// Quorum's load is deterministic: `cargo run --release -p quorum-sim --example bench_link`
// writes a shared run (latency raised to 580-600 ms, a client request every 100 ms of virtual
// time) that the page replays from moment 0 at 1x. The `flight` runs have as many messages in
// flight from heartbeats alone (920-940 ms, no request), so the logs stay empty: the loaded
// runs' logs grow all along, and their cost with them. So the script runs cargo first, before
// any measuring. The app is read only through the DOM contract: [data-app]'s data-* attributes
// and the [data-msg-id] elements.
//
// RaftScope (https://github.com/ongardie/raftscope) is not part of this repository and must not
// be committed: put a copy outside it, by default in ../raftscope beside the repository root:
//   git clone https://github.com/ongardie/raftscope ../raftscope
//   (cd ../raftscope && git submodule update --init)   # bootstrap-slider, bootstrap-contextmenu
// or, from bare git directories: `git --git-dir=RAFTSCOPE.git archive HEAD | tar -x -C DIR`, and
// the two submodules at the commits `git ls-tree HEAD` names, into DIR/bootstrap-slider and
// DIR/bootstrap-contextmenu. Without it the RaftScope rows are skipped.
// RaftScope runs at 1x (its speed slider at 0), idle, and loaded with a client request (its `C`
// key: to the leader) every 100 ms of real time; its messages are `#messages > a` in its SVG.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { AppPage, DIST, ROOT, SEL, launchBrowser, sleep } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';

// ---- options ------------------------------------------------------------------------------

const USAGE =
  'usage: node e2e/bench/frames.mjs [--dist DIR] [--raftscope DIR] [--seconds N] [--windows K] ' +
  '[--warmup S] [--only ID,ID] [--quiet-below CPUS] [--save FILE] [--json]';

function parseArgs(argv) {
  const opts = {
    dist: DIST,
    raftscope: process.env.RAFTSCOPE ?? path.resolve(ROOT, '..', 'raftscope'),
    seconds: 5,
    windows: 5,
    warmup: 8,
    only: null,
    json: false,
    quietBelow: null,
    save: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    const number = () => {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) fail(`${arg} takes a number above 0`);
      return v;
    };
    switch (arg) {
      case '--dist': opts.dist = path.resolve(value()); break;
      case '--raftscope': opts.raftscope = path.resolve(value()); break;
      case '--seconds': opts.seconds = number(); break;
      case '--windows': opts.windows = Math.round(number()); break;
      case '--warmup': opts.warmup = number(); break;
      case '--only': opts.only = value().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--json': opts.json = true; break;
      case '--quiet-below': opts.quietBelow = number(); break;
      case '--save': opts.save = path.resolve(value()); break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: fail(`unknown option ${arg}`);
    }
  }
  return opts;
}

function fail(problem) {
  console.error(`frames.mjs: ${problem}\n${USAGE}`);
  process.exit(2);
}

// ---- in the page --------------------------------------------------------------------------

/**
 * Runs before the page's own scripts (page.addInitScript). Wraps requestAnimationFrame to
 * count the page's calls and callbacks, and keeps a frame loop of its own on the original.
 */
function instrument({ msgSelector, logSelector, moment }) {
  const raf = window.requestAnimationFrame.bind(window);
  const b = {
    msgSelector,
    logSelector,
    // The virtual time shown, in seconds: Quorum's data-virtual-time (µs), RaftScope's model time (µs).
    moment: () =>
      moment === 'quorum'
        ? Number(document.querySelector('[data-app]')?.dataset.virtualTime) / 1e6
        : window.state.current.time / 1e6,
    appCalls: 0,
    appCallbacks: 0,
    looping: false,
    recording: false,
    last: null,
    frames: 0,
    intervals: [],
    msgSum: 0,
    t0: 0,
  };
  window.__bench = b;
  window.requestAnimationFrame = function requestAnimationFrame(callback) {
    b.appCalls++;
    return raf((t) => {
      b.appCallbacks++;
      callback(t);
    });
  };
  const tick = (t) => {
    if (!b.looping) return;
    if (b.recording) {
      if (b.last !== null) b.intervals.push(t - b.last);
      b.frames++;
      b.msgSum += document.querySelectorAll(b.msgSelector).length;
    }
    b.last = t;
    raf(tick);
  };
  b.startLoop = () => {
    if (b.looping) return;
    b.looping = true;
    b.last = null;
    raf(tick);
  };
  b.stopLoop = () => {
    b.looping = false;
  };
  b.begin = () => {
    b.recording = true;
    b.frames = 0;
    b.intervals = [];
    b.msgSum = 0;
    b.appCalls = 0;
    b.appCallbacks = 0;
    b.t0 = performance.now();
    b.v0 = b.moment();
  };
  b.end = () => {
    b.recording = false;
    const ms = performance.now() - b.t0;
    const late = b.intervals.filter((d) => d > 20).length;
    return {
      ms,
      frames: b.frames,
      intervals: b.intervals.length,
      late,
      worstInterval: b.intervals.length ? Math.max(...b.intervals) : null,
      inFlight: b.frames ? b.msgSum / b.frames : document.querySelectorAll(b.msgSelector).length,
      appCalls: b.appCalls,
      appCallbacks: b.appCallbacks,
      virtualSeconds: b.moment() - b.v0,
      // What the page draws besides messages, at the window's end: log entries grow with requests.
      logEntries: document.querySelectorAll(b.logSelector).length,
      elements: document.getElementsByTagName('*').length,
    };
  };
}

// ---- the rest of the machine --------------------------------------------------------------

/**
 * CPU time, in clock ticks, of the whole machine (busy, all CPUs) and of this process and its
 * descendants (Chromium's processes): the difference over a window is what others ran meanwhile.
 * Linux only; null elsewhere.
 */
function cpuTicks() {
  try {
    const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const v = fields.map(Number);
    const busy = v.reduce((a, b) => a + b, 0) - v[3] - (v[4] ?? 0);
    const children = new Map();
    const times = new Map();
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      // After the command's closing parenthesis: state ppid ... utime (14th field) stime (15th).
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(rest[1]);
      times.set(Number(pid), Number(rest[11]) + Number(rest[12]));
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(pid));
    }
    let ours = 0;
    const stack = [process.pid];
    while (stack.length) {
      const pid = stack.pop();
      ours += times.get(pid) ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    return { busy, ours, at: process.hrtime.bigint() };
  } catch {
    return null;
  }
}

/** CPUs' worth of work others did between two cpuTicks() (0 = a quiet machine). */
function othersLoad(a, b) {
  if (!a || !b) return null;
  const seconds = Number(b.at - a.at) / 1e9;
  const hz = 100; // USER_HZ: /proc's clock ticks per second on Linux
  return Math.max(0, (b.busy - a.busy - (b.ours - a.ours)) / hz / seconds);
}

// ---- measuring ----------------------------------------------------------------------------

const METRICS = ['Timestamp', 'TaskDuration', 'DevToolsCommandDuration', 'ThreadTime', 'ScriptDuration',
  'RecalcStyleDuration', 'LayoutDuration'];

/**
 * The page's counters, in seconds. `Main` is TaskDuration less DevToolsCommandDuration: the
 * main thread's tasks without the benchmark's own CDP commands. TaskDuration is wall time, which
 * other processes on the machine stretch; ThreadTime is the main thread's CPU time, which they
 * stretch much less.
 */
async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(list.map(({ name, value }) => [name, value]));
  const out = Object.fromEntries(METRICS.map((k) => [k, m[k] ?? 0]));
  out.Main = out.TaskDuration - out.DevToolsCommandDuration;
  return out;
}

/** One window of `seconds` while playing: per-frame costs and frame timing. */
async function playingWindow(page, cdp, seconds) {
  const c0 = cpuTicks();
  const m0 = await metrics(cdp);
  await page.evaluate(() => window.__bench.begin());
  await sleep(seconds * 1000);
  const f = await page.evaluate(() => window.__bench.end());
  const m1 = await metrics(cdp);
  const c1 = cpuTicks();
  // The metrics' window holds the frames' one and two CDP round trips more: divide rates
  // (main-thread ms per second by frames per second) rather than a sum by a count.
  const wall = m1.Timestamp - m0.Timestamp;
  const fps = f.frames / (f.ms / 1000);
  const perFrame = (k) => (fps > 0 ? ((m1[k] - m0[k]) * 1000) / wall / fps : null);
  return {
    seconds: wall,
    frames: f.frames,
    fps,
    taskPerFrame: perFrame('Main'),
    cpuPerFrame: perFrame('ThreadTime'),
    scriptPerFrame: perFrame('ScriptDuration'),
    stylePerFrame: perFrame('RecalcStyleDuration'),
    layoutPerFrame: perFrame('LayoutDuration'),
    lateShare: f.intervals ? f.late / f.intervals : 0,
    worstInterval: f.worstInterval,
    inFlight: f.inFlight,
    logEntries: f.logEntries,
    elements: f.elements,
    appRafPerSecond: f.appCallbacks / (f.ms / 1000),
    virtualPerReal: f.virtualSeconds / (f.ms / 1000),
    othersLoad: othersLoad(c0, c1),
  };
}

/** One window of `seconds` while paused: main-thread time per second and the page's rAF use. */
async function pausedWindow(page, cdp, seconds) {
  const c0 = cpuTicks();
  const m0 = await metrics(cdp);
  await page.evaluate(() => window.__bench.begin());
  await sleep(seconds * 1000);
  const f = await page.evaluate(() => window.__bench.end());
  const m1 = await metrics(cdp);
  const c1 = cpuTicks();
  const wall = m1.Timestamp - m0.Timestamp;
  return {
    seconds: wall,
    taskPerSecond: ((m1.Main - m0.Main) * 1000) / wall,
    cpuPerSecond: ((m1.ThreadTime - m0.ThreadTime) * 1000) / wall,
    scriptPerSecond: ((m1.ScriptDuration - m0.ScriptDuration) * 1000) / wall,
    appRafCalls: f.appCalls,
    appRafCallbacks: f.appCallbacks,
    inFlight: f.inFlight,
    virtualSeconds: f.virtualSeconds,
    othersLoad: othersLoad(c0, c1),
  };
}

/**
 * With --quiet-below X: wait (at most 90 s) until other processes use less than X CPUs
 * over 2 s, so a scenario does not start in the middle of someone else's build.
 */
async function waitForQuiet(opts, log) {
  if (opts.quietBelow === null) return null;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const a = cpuTicks();
    await sleep(2000);
    const load = othersLoad(a, cpuTicks());
    if (load === null || load < opts.quietBelow) return load;
    if (Date.now() > deadline) {
      log(`  others still use ${load.toFixed(1)} CPUs after 90 s: measuring anyway`);
      return load;
    }
  }
}

async function measure(page, cdp, opts, { pause, ready }) {
  await page.evaluate(() => window.__bench.startLoop());
  await sleep(opts.warmup * 1000);
  await ready?.();
  const playing = [];
  for (let i = 0; i < opts.windows; i++) playing.push(await playingWindow(page, cdp, opts.seconds));
  await page.evaluate(() => window.__bench.stopLoop());
  await pause();
  await sleep(1500);
  const paused = [];
  for (let i = 0; i < opts.windows; i++) paused.push(await pausedWindow(page, cdp, opts.seconds));
  return { playing, paused };
}

// ---- the two pages ------------------------------------------------------------------------

async function newPage(browser, { msgSelector, logSelector, moment }) {
  const page = await browser.context.newPage();
  await page.addInitScript(instrument, { msgSelector, logSelector, moment });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  return { page, cdp };
}

/**
 * `readyAt`: virtual seconds the run must have reached before the first window (a loaded run's
 * latency ramp), whatever the warm-up, as a page that falls behind reaches it late.
 */
async function quorumScenario(browser, baseUrl, query, opts, { readyAt = 0 } = {}) {
  const { page, cdp } = await newPage(browser, { msgSelector: SEL.msg, logSelector: SEL.logEntry, moment: 'quorum' });
  const app = new AppPage(page, baseUrl);
  try {
    await app.open(query);
    const s = await app.state();
    if (s.urlError?.visible) throw new Error(`the page refused the address: ${s.urlError.text}`);
    const slider = page.getByRole('slider', { name: 'Speed' });
    await slider.evaluate((el) => {
      el.value = el.max;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const speed = await slider.getAttribute('aria-valuetext');
    if (speed !== '1×') throw new Error(`the speed slider at its max reads ${speed}, not 1×`);
    await app.play();
    const result = await measure(page, cdp, opts, {
      ready: () =>
        app.until(`virtual time ${readyAt} s`, (st) => Number(st.app.virtualTime) >= readyAt * 1e6, {
          timeout: 120_000,
          interval: 500,
        }),
      pause: async () => {
        await page.locator('body').press('Space');
        await app.until('data-playing=false after Space', (st) => st.app.playing === 'false', { timeout: 5_000 });
      },
    });
    const errors = app.errors();
    return { ...result, errors, nodes: Number((await app.appAttrs()).nodes) };
  } finally {
    await page.close();
  }
}

async function raftscopeScenario(browser, baseUrl, { loaded }, opts) {
  const { page, cdp } = await newPage(browser, {
    msgSelector: '#messages > a',
    logSelector: 'svg .logs g.entry',
    moment: 'raftscope',
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon\.ico/.test(m.location()?.url ?? '')) errors.push(`console.error: ${m.text()}`);
  });
  try {
    await page.goto(`${baseUrl}/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.state === 'object' && typeof window.playback === 'object');
    // 1x: the slider's value v gives 1/10^v; 0 is its least.
    await page.evaluate(() => window.$('#speed').slider('setValue', 0));
    if (loaded) {
      // Its `C` key (keyup, keyCode 67): a client request to the leader of the highest term.
      await page.evaluate(() => {
        window.__benchLoad = setInterval(
          () => window.dispatchEvent(new KeyboardEvent('keyup', { keyCode: 67, which: 67, bubbles: true })),
          100,
        );
      });
    }
    const result = await measure(page, cdp, opts, {
      pause: async () => {
        await page.evaluate(() => clearInterval(window.__benchLoad));
        await page.keyboard.press('Space');
        await page.waitForFunction(() => window.playback.isPaused(), null, { timeout: 5_000 });
      },
    });
    const nodes = await page.evaluate(() => window.state.current.servers.length);
    return { ...result, errors, nodes };
  } finally {
    await page.close();
  }
}

function benchLink(nodes, seconds, more = []) {
  const args = ['run', '--release', '--quiet', '-p', 'quorum-sim', '--example', 'bench_link', '--',
    '--nodes', String(nodes), '--seconds', String(seconds), ...more];
  let out;
  try {
    out = execFileSync('cargo', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`cargo ${args.join(' ')} failed:\n${err.stderr ?? err.message}`);
  }
  return out.trim();
}

// ---- summary and table --------------------------------------------------------------------

function median(xs) {
  const s = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const max = (xs) => (xs.some((x) => x !== null) ? Math.max(...xs.filter((x) => x !== null)) : null);
const min = (xs) => (xs.some((x) => x !== null) ? Math.min(...xs.filter((x) => x !== null)) : null);

function summarize({ playing, paused }) {
  const col = (rows, k) => rows.map((r) => r[k]);
  return {
    playing: {
      inFlight: median(col(playing, 'inFlight')),
      logEntries: median(col(playing, 'logEntries')),
      elements: median(col(playing, 'elements')),
      fps: median(col(playing, 'fps')),
      fpsWorst: min(col(playing, 'fps')),
      frames: median(col(playing, 'frames')),
      taskPerFrame: median(col(playing, 'taskPerFrame')),
      taskPerFrameWorst: max(col(playing, 'taskPerFrame')),
      cpuPerFrame: median(col(playing, 'cpuPerFrame')),
      cpuPerFrameWorst: max(col(playing, 'cpuPerFrame')),
      scriptPerFrame: median(col(playing, 'scriptPerFrame')),
      stylePerFrame: median(col(playing, 'stylePerFrame')),
      layoutPerFrame: median(col(playing, 'layoutPerFrame')),
      lateShare: median(col(playing, 'lateShare')),
      lateShareWorst: max(col(playing, 'lateShare')),
      worstInterval: median(col(playing, 'worstInterval')),
      worstIntervalWorst: max(col(playing, 'worstInterval')),
      appRafPerSecond: median(col(playing, 'appRafPerSecond')),
      virtualPerReal: median(col(playing, 'virtualPerReal')),
      othersLoad: median(col(playing, 'othersLoad')),
      othersLoadWorst: max(col(playing, 'othersLoad')),
    },
    paused: {
      taskPerSecond: median(col(paused, 'taskPerSecond')),
      taskPerSecondWorst: max(col(paused, 'taskPerSecond')),
      cpuPerSecond: median(col(paused, 'cpuPerSecond')),
      scriptPerSecond: median(col(paused, 'scriptPerSecond')),
      appRafPerSecond: median(paused.map((r) => r.appRafCallbacks / r.seconds)),
      appRafCallbacks: paused.reduce((a, r) => a + r.appRafCallbacks, 0),
      inFlight: median(col(paused, 'inFlight')),
      virtualMoved: paused.reduce((a, r) => a + Math.abs(r.virtualSeconds), 0),
      othersLoad: median(col(paused, 'othersLoad')),
    },
  };
}

const f1 = (x) => (x === null || x === undefined ? '-' : x.toFixed(1));
const f2 = (x) => (x === null || x === undefined ? '-' : x.toFixed(2));
const pct = (x) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(0)}%`);

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function report(run) {
  const out = [];
  out.push(`Chromium ${run.chromium}; ${run.settings.windows} windows of ${run.settings.seconds} s after ${run.settings.warmup} s of warm-up; ` +
    `median (worst) over the windows. Load average ${run.load.start.map(f2).join(' ')} at the start, ${run.load.end.map(f2).join(' ')} at the end (${os.cpus().length} CPUs).`);
  out.push(`Quorum: ${run.dist}; RaftScope: ${run.raftscope ?? 'not measured'}`);
  out.push('');
  out.push('Playing (main = ms of main-thread tasks per frame, wall time, less the benchmark\'s CDP commands;');
  out.push('cpu = the main thread\'s CPU time per frame; frames = frames drawn per window; late = rAF interval > 20 ms;');
  out.push('log, elements = log entries drawn and elements in the document at the end of a window;');
  out.push(`virt s/s = virtual seconds per real second; others = CPUs busy with other processes, of ${os.cpus().length}):`);
  out.push(table(
    ['scenario', 'in flight', 'log', 'elements', 'frames', 'fps', 'main ms/frame', 'cpu ms/frame', 'script', 'style', 'layout', 'late', 'longest ms', 'virt s/s', 'others'],
    run.scenarios.map(({ id, summary: { playing: p } }) => [
      id, f1(p.inFlight), p.logEntries, p.elements, p.frames, `${f1(p.fps)} (${f1(p.fpsWorst)})`, `${f2(p.taskPerFrame)} (${f2(p.taskPerFrameWorst)})`,
      `${f2(p.cpuPerFrame)} (${f2(p.cpuPerFrameWorst)})`, f2(p.scriptPerFrame), f2(p.stylePerFrame), f2(p.layoutPerFrame),
      `${pct(p.lateShare)} (${pct(p.lateShareWorst)})`, `${f1(p.worstInterval)} (${f1(p.worstIntervalWorst)})`,
      f2(p.virtualPerReal), `${f1(p.othersLoad)} (${f1(p.othersLoadWorst)})`,
    ]),
  ));
  out.push('');
  out.push('Paused (Space) after playing; the page\'s own requestAnimationFrame callbacks:');
  out.push(table(
    ['scenario', 'main ms/s', 'cpu ms/s', 'script ms/s', 'app rAF/s', 'app rAF total', 'virtual time moved s', 'others'],
    run.scenarios.map(({ id, summary: { paused: p } }) => [
      id, `${f2(p.taskPerSecond)} (${f2(p.taskPerSecondWorst)})`, f2(p.cpuPerSecond), f2(p.scriptPerSecond), f1(p.appRafPerSecond),
      p.appRafCallbacks, f2(p.virtualMoved), f1(p.othersLoad),
    ]),
  ));
  const ratios = ratioRows(run);
  if (ratios.length) {
    out.push('');
    out.push('Quorum / RaftScope, 5 servers (medians; below 1 means Quorum spends less):');
    out.push(table(['pair', 'main/frame', 'cpu/frame', 'script', 'style', 'layout', 'late share', 'in flight'], ratios));
  }
  const errors = run.scenarios.flatMap((s) => s.errors.map((e) => `${s.id}: ${e}`));
  if (errors.length) {
    out.push('');
    out.push('Errors the pages reported:');
    out.push(...errors.map((e) => `  ${e}`));
  }
  return out.join('\n');
}

function ratioRows(run) {
  const by = Object.fromEntries(run.scenarios.map((s) => [s.id, s.summary.playing]));
  const r = (a, b) => (a === null || b === null || b === 0 ? '-' : `${(a / b).toFixed(2)}x`);
  return [
    ['quorum-5-idle', 'raftscope-5-idle'],
    ['quorum-5-loaded', 'raftscope-5-loaded'],
  ]
    .filter(([q, s]) => by[q] && by[s])
    .map(([q, s]) => {
      const [a, b] = [by[q], by[s]];
      return [`${q} / ${s}`, r(a.taskPerFrame, b.taskPerFrame), r(a.cpuPerFrame, b.cpuPerFrame), r(a.scriptPerFrame, b.scriptPerFrame),
        r(a.stylePerFrame, b.stylePerFrame), r(a.layoutPerFrame, b.layoutPerFrame), r(a.lateShare, b.lateShare),
        r(a.inFlight, b.inFlight)];
    });
}

// ---- main ---------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const log = (msg) => console.error(msg);
  const wanted = (id) => !opts.only || opts.only.includes(id);
  const haveRaftscope = fs.existsSync(path.join(opts.raftscope, 'index.html')) &&
    fs.existsSync(path.join(opts.raftscope, 'bootstrap-slider', 'js', 'bootstrap-slider.js'));
  if (!haveRaftscope && (wanted('raftscope-5-idle') || wanted('raftscope-5-loaded'))) {
    log(`RaftScope not found in ${opts.raftscope} (with its submodules): its rows are skipped; see the header of this script.`);
  }

  // The links first: no building once measuring starts. The run lasts past every window.
  const runSeconds = Math.ceil(opts.warmup + opts.windows * opts.seconds + 30);
  // Loaded: a request every 100 ms at 580-600 ms of latency. Flight: no request, 920-940 ms,
  // about as many messages in flight (heartbeats) with empty logs.
  const LINKS = {
    loaded: { args: [], readyAt: 6 },
    flight: { args: ['--every', '0', '--latency', '920-940'], readyAt: 9 },
  };
  const links = {};
  for (const [kind, { args }] of Object.entries(LINKS)) {
    for (const n of [5, 9]) {
      if (!wanted(`quorum-${n}-${kind}`)) continue;
      log(`building the ${n}-server ${kind} link (cargo run --example bench_link)...`);
      links[`${n}-${kind}`] = benchLink(n, runSeconds, args);
    }
  }
  const linked = (n, kind) => (b, s) =>
    quorumScenario(b, s.quorum.url, links[`${n}-${kind}`], opts, { readyAt: LINKS[kind].readyAt });

  const scenarios = [
    { id: 'quorum-5-idle', run: (b, s) => quorumScenario(b, s.quorum.url, '?algo=raft&nodes=5&seed=42', opts) },
    { id: 'quorum-9-idle', run: (b, s) => quorumScenario(b, s.quorum.url, '?algo=raft&nodes=9&seed=42', opts) },
    { id: 'quorum-5-loaded', run: linked(5, 'loaded') },
    { id: 'quorum-9-loaded', run: linked(9, 'loaded') },
    { id: 'quorum-5-flight', run: linked(5, 'flight') },
    { id: 'quorum-9-flight', run: linked(9, 'flight') },
    { id: 'raftscope-5-idle', raftscope: true, run: (b, s) => raftscopeScenario(b, s.raftscope.url, { loaded: false }, opts) },
    { id: 'raftscope-5-loaded', raftscope: true, run: (b, s) => raftscopeScenario(b, s.raftscope.url, { loaded: true }, opts) },
  ].filter((s) => wanted(s.id) && (!s.raftscope || haveRaftscope));
  if (!scenarios.length) fail('no scenario to run');

  // A shared run's address holds every command: longer than Node's default 16 KiB of headers.
  const servers = {
    quorum: await startServer(opts.dist, { maxHeaderSize: 1 << 20 }),
    raftscope: haveRaftscope ? await startServer(opts.raftscope) : null,
  };
  const browser = await launchBrowser();
  const run = {
    chromium: null,
    dist: opts.dist,
    raftscope: haveRaftscope ? opts.raftscope : null,
    settings: { seconds: opts.seconds, windows: opts.windows, warmup: opts.warmup, quietBelow: opts.quietBelow },
    load: { start: os.loadavg(), end: null },
    scenarios: [],
  };
  try {
    {
      const page = await browser.context.newPage();
      const cdp = await page.context().newCDPSession(page);
      run.chromium = (await cdp.send('Browser.getVersion')).product;
      await page.close();
    }
    for (const s of scenarios) {
      log(`${s.id}: ${opts.warmup} s warm-up, ${opts.windows} x ${opts.seconds} s playing, the same paused...`);
      await waitForQuiet(opts, log);
      const result = await s.run(browser, servers);
      run.scenarios.push({ id: s.id, nodes: result.nodes, summary: summarize(result), windows: { playing: result.playing, paused: result.paused }, errors: result.errors });
    }
  } finally {
    run.load.end = os.loadavg();
    await browser.close();
    await servers.quorum.close();
    await servers.raftscope?.close();
  }
  const json = JSON.stringify({ ...run, ratios: ratioRows(run) }, null, 2);
  if (opts.save) fs.writeFileSync(opts.save, `${json}\n`);
  if (opts.json) {
    console.log(json);
  } else {
    console.log(report(run));
  }
}

main().catch((err) => {
  console.error(`frames.mjs: ${err.stack ?? err}`.slice(0, 4000));
  process.exit(1);
});
