// The panel in a real browser: Debian's headless Chromium driven by
// playwright-core, against the real rappeld (fresh database) whose modem
// is the simulator (its own process, with a control socket to inject SMS).
// This file starts them and runs the tests; the tests are in *.test.mjs
// (run.mjs loads panel.test.mjs first, then the others by name).
//
//   node tests/browser/run.mjs
//
// Environment: RAPPELD, RAPPELCTL, MODEMSIM (binaries), RAPPEL_TEST_DATA,
// SCREENSHOTS (directory for one PNG per test; default ./screenshots).
// Prints "N passed, N failed" and exits 1 when a test failed.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import net from 'node:net';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const env = (k) => { if (!process.env[k]) throw new Error(k + ' is not set'); return process.env[k]; };
const RAPPELD = env('RAPPELD'), RAPPELCTL = env('RAPPELCTL'), MODEMSIM = env('MODEMSIM');
const SHOTS = process.env.SCREENSHOTS || join(process.cwd(), 'screenshots');
const AXE = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const ADMIN = ['directrice', 'directrice-mot-de-passe'];
const ANIM = ['animateur', 'animateur-mot-de-passe'];
const ANIM2 = ['animatrice', 'animatrice-mot-de-passe'];

/* ---- the system under test ------------------------------------------- */

const dir = mkdtempSync(join(tmpdir(), 'rappel-browser-'));
const link = join(dir, 'ttyUSB0'), ctl = join(dir, 'modem.sock'), simlog = join(dir, 'modem.jsonl');
const conf = join(dir, 'rappel.conf');
let port, sim, daemon, browser;

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

/* rappelctl ARGS with INPUT on its standard input, on the test's
 * configuration or on CONFIG; rejects when it fails or cannot be fed. */
async function ctlRun(args, input, config) {
  const child = execFile(RAPPELCTL, ['-c', config || conf, ...args]);
  const what = 'rappelctl ' + args.join(' ');
  return new Promise((resolve, reject) => {
    child.on('error', (e) => reject(new Error(what + ': ' + e.message)));
    child.stdin.on('error', (e) => reject(new Error(what + ': its input: ' + e.message)));
    child.on('exit', (c) => c === 0 ? resolve() : reject(new Error(what + ': ' + c)));
    child.stdin.end(input || '');
  });
}

async function start() {
  port = await freePort();
  sim = spawn(MODEMSIM, ['--link', link, '--control', ctl, '--log', simlog], { stdio: ['ignore', 'pipe', 'inherit'] });
  for (let i = 0; i < 100 && !existsSync(link); i++) await sleep(50);
  writeFileSync(conf, `[centre]\nname = Centre social Jacques Brel\nphone = 03 21 00 00 00\n` +
    `[database]\npath = ${join(dir, 'rappel.db')}\n[http]\nlisten = 127.0.0.1:${port}\n` +
    `[sending]\nhours = 00:00-24:00\ndays = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 600\n` +
    // a USB stick that is not plugged in: the nightly copy fails at start
    `[backup]\ndir = ${join(dir, 'cle-usb-absente')}\ntime = 00:00\n` +
    `[modem]\ndevice = ${link}\n`);
  await ctlRun(['migrate']);
  await ctlRun(['user', 'add', ADMIN[0], '--role', 'admin'], `${ADMIN[1]}\n${ADMIN[1]}\n`);
  await ctlRun(['user', 'add', ANIM[0], '--role', 'animateur'], `${ANIM[1]}\n${ANIM[1]}\n`);
  await ctlRun(['user', 'add', ANIM2[0], '--role', 'animateur'], `${ANIM2[1]}\n${ANIM2[1]}\n`);
  daemon = spawn(RAPPELD, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  daemon.stderr.on('data', (d) => { daemonLog += d; });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch (e) { /* not yet */ }
    await sleep(100);
  }
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}
let daemonLog = '';
/* What a daemon started by a test prints: kept for the report of a failure. */
const logDaemon = (d) => { daemonLog += d; };

async function stop() {
  if (browser) await browser.close();
  if (daemon) { daemon.kill('SIGTERM'); await new Promise((r) => daemon.on('exit', r)); }
  if (sim) { sim.kill('SIGTERM'); await new Promise((r) => sim.on('exit', r)); }
  rmSync(dir, { recursive: true, force: true });
}

/* SMS the simulated network received: [{to, text}]. */
function submitted() {
  if (!existsSync(simlog)) return [];
  return readFileSync(simlog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((e) => e.event === 'submit');
}
async function inject(from, text) {
  await run(MODEMSIM, ['--send', ctl, 'inject', from, 'gsm7', text]);
}

/* ---- helpers ---------------------------------------------------------- */

async function newPage(who) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR',
    timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  page.on('dialog', async (d) => {
    if (d.type() === 'alert') alerts.push(d.message());
    await d.accept();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/.test(m.text())) cspErrors.push(m.text()); });
  await page.goto(`http://127.0.0.1:${port}/`);
  if (who) {
    await page.getByLabel('Identifiant').fill(who[0]);
    await page.getByLabel('Mot de passe').fill(who[1]);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForSelector('body[data-ready="#/tableau"]');
  }
  return page;
}
const alerts = [], pageErrors = [], cspErrors = [];

async function go(page, hash) {
  await page.evaluate((h) => {
    document.body.dataset.ready = '';
    if (location.hash === h) window.route(); else location.hash = h;
  }, hash);
  await page.waitForFunction((h) => document.body.dataset.ready === h.split('?')[0], hash);
}

/* axe-core on the current page: no serious or critical violation. */
async function axe(page, name) {
  await page.evaluate(AXE + ';0');
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) throw new Error(name + ': accessibility: ' + bad.map((v) => v.id + ' (' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ') + ')').join('; '));
}

function expect(cond, what) { if (!cond) throw new Error(what); }

/* ---- the tests: each *.test.mjs file adds its own with test() --------- */

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const state = {};

export { run, RAPPELD, RAPPELCTL, MODEMSIM, SHOTS, AXE, sleep, ADMIN, ANIM, ANIM2, dir, link, ctl, simlog, conf, port, sim, daemon, browser, freePort, ctlRun, start, daemonLog, logDaemon, stop, submitted, inject, newPage, alerts, pageErrors, cspErrors, go, axe, expect, tests, test, state };

/* ---- runner ----------------------------------------------------------- */


export async function runAll() {
  let passed = 0, failed = 0;
  // An error no test caught (a child's pipe, say) ends the run at once,
  // with the daemon and the simulator stopped: meson would otherwise wait
  // for their open output until its timeout.
  process.on('uncaughtException', async (e) => {
    console.log('not ok - uncaught: ' + (e && e.stack || e));
    console.log(daemonLog.split('\n').slice(-40).join('\n'));
    console.log(`${passed} passed, ${failed + 1} failed`);
    await stop().catch(() => {});
    process.exit(1);
  });
  mkdirSync(SHOTS, { recursive: true });
  try {
    await start();
    for (const t of tests) {
      const slug = t.name.normalize('NFD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
      try {
        const page = await Promise.race([t.fn(), sleep(90000).then(() => { throw new Error('timeout'); })]);
        if (page) await page.screenshot({ path: join(SHOTS, slug + '.png'), fullPage: true });
        passed++;
        console.log('ok - ' + t.name);
      } catch (e) {
        failed++;
        console.log('not ok - ' + t.name + ': ' + e.message);
        if (state.admin) await state.admin.screenshot({ path: join(SHOTS, slug + '-failed.png'), fullPage: true }).catch(() => {});
      }
    }
    if (pageErrors.length) { failed++; console.log('not ok - script errors in the page: ' + pageErrors.join('; ')); }
    if (cspErrors.length) { failed++; console.log('not ok - Content-Security-Policy violations: ' + cspErrors.join('; ')); }
  } catch (e) {
    failed++;
    console.log('not ok - set-up: ' + e.message);
  } finally {
    await stop().catch(() => {});
  }
  if (failed) console.log(daemonLog.split('\n').slice(-40).join('\n'));
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
