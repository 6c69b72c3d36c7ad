// The panel in a real browser: Debian's headless Chromium driven by
// playwright-core, against the real rappeld (fresh database) whose modem
// is the simulator (its own process, with a control socket to inject SMS).
//
//   node tests/browser/panel.test.mjs
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

async function ctlRun(args, input) {
  const child = execFile(RAPPELCTL, ['-c', conf, ...args]);
  child.stdin.end(input || '');
  return new Promise((resolve, reject) => child.on('exit', (c) => c === 0 ? resolve() : reject(new Error('rappelctl ' + args.join(' ') + ': ' + c))));
}

async function start() {
  port = await freePort();
  sim = spawn(MODEMSIM, ['--link', link, '--control', ctl, '--log', simlog], { stdio: ['ignore', 'pipe', 'inherit'] });
  for (let i = 0; i < 100 && !existsSync(link); i++) await sleep(50);
  writeFileSync(conf, `[centre]\nname = Centre social Jacques Brel\nphone = 03 21 00 00 00\n` +
    `[database]\npath = ${join(dir, 'rappel.db')}\n[http]\nlisten = 127.0.0.1:${port}\n` +
    `[sending]\nhours = 00:00-24:00\ndays = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 600\n` +
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

/* ---- tests ------------------------------------------------------------ */

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const state = {};

test('connexion', async () => {
  const page = await newPage(null);
  await axe(page, 'connexion');
  await page.getByLabel('Identifiant').fill(ADMIN[0]);
  await page.getByLabel('Mot de passe').fill('mauvais mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByText('Identifiant ou mot de passe incorrect.').waitFor();
  await page.getByLabel('Mot de passe').fill(ADMIN[1]);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForSelector('body[data-ready="#/tableau"]');
  await page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
  await axe(page, 'tableau de bord');
  state.admin = page;
  return page;
});

test('import CSV avec aperçu des lignes refusées', async () => {
  const page = state.admin;
  const csv = 'Prénom;Nom;Téléphone;Groupes\nAwa;Diallo;06 12 34 56 01;Seniors\n' +
    '<img src=x onerror=alert(1)>;Test;06 12 34 56 02;Seniors\nSans;Numéro;pas un numéro;Seniors\n' +
    'Karim;Benali;06 12 34 56 03;Seniors\n';
  await go(page, '#/contacts/import');
  await page.getByLabel('Fichier').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
  await page.getByText('1 ligne(s) refusée(s)').waitFor();
  const row = page.getByRole('table', { name: 'Lignes refusées' }).getByRole('row').nth(1);
  expect((await row.innerText()).startsWith('4'), 'the refused line is line 4');
  await axe(page, 'import');
  await page.getByRole('button', { name: 'Importer les lignes acceptées' }).click();
  await page.getByText('Importé : 3 créé(s)').waitFor();
  return page;
});

test('un nom piégé reste du texte', async () => {
  const page = state.admin;
  await go(page, '#/contacts');
  const cell = page.getByRole('link', { name: '<img src=x onerror=alert(1)> Test' });
  await cell.waitFor();
  expect(await page.locator('main img').count() === 0, 'no <img> element was created');
  expect(alerts.length === 0, 'no alert ran');
  await axe(page, 'contacts');
  return page;
});

test('un contact et les numéros de son foyer', async () => {
  const page = state.admin;
  await go(page, '#/contacts');
  await page.getByRole('link', { name: 'Awa Diallo' }).click();
  await page.waitForSelector('body[data-ready="#/contacts/1"]');
  await page.getByRole('button', { name: 'Ajouter un numéro' }).click();
  await page.getByLabel('Numéro 2').fill('07 11 22 33 44');
  await page.getByLabel('Qui (mère, fils…)').fill('fille');
  await axe(page, 'contact');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: 'Contacts' }).waitFor();
  await go(page, '#/contacts/1');
  expect(await page.getByLabel('Numéro 2').inputValue() === '+33711223344', 'the household number is kept');
  expect(await page.getByLabel('Qui (mère, fils…)').inputValue() === 'fille', 'with its label');
  return page;
});

test('atelier hebdomadaire', async () => {
  const page = state.admin;
  await go(page, '#/ateliers/nouveau');
  const d = new Date(Date.now() + 3 * 86400000);
  const local = d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0') + 'T14:00';
  await page.getByLabel('Titre').fill('Atelier informatique');
  await page.getByLabel('Lieu').fill('Salle 2');
  await page.getByLabel('Première séance').fill(local);
  await page.getByLabel('Récurrence').selectOption('weekly');
  await page.getByLabel('Nombre de séances').fill('10');
  await page.getByLabel('Seniors').check();
  await page.getByText(/^Chaque \w+\. 10 séances\.$/).waitFor();
  await axe(page, 'nouvel atelier');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByRole('heading', { name: 'Atelier informatique' }).waitFor();
  state.event = page.url().match(/ateliers\/(\d+)/)[1];
  await page.locator('#counts').getByText('Invités 3').waitFor();
  /* invitees changed afterwards: without the group nobody is invited, with it again 3 */
  await page.getByText('Invités : Seniors').click();
  await page.getByRole('group', { name: 'Groupes invités' }).getByLabel('Seniors').uncheck();
  await page.getByRole('button', { name: 'Enregistrer les invités' }).click();
  await page.locator('#counts').getByText('Invités 0').waitFor();
  await page.getByText('Invités : aucun groupe').click();
  await page.getByRole('group', { name: 'Groupes invités' }).getByLabel('Seniors').check();
  await page.getByRole('button', { name: 'Enregistrer les invités' }).click();
  await page.locator('#counts').getByText('Invités 3').waitFor();
  await axe(page, 'atelier');
  await go(page, '#/ateliers');
  await page.locator('.week .chip', { hasText: 'Atelier informatique' }).first().waitFor();
  await axe(page, 'ateliers');
  return page;
});

test('invitation avec {prenom}, compteur, programmation, SMS au modem', async () => {
  const page = state.admin;
  await go(page, `#/campagnes/nouvelle?atelier=${state.event}`);
  await page.getByLabel('Nom', { exact: true }).fill('Invitation informatique');
  const body = page.getByLabel('Texte');
  await body.fill('Bonjour ');
  await page.getByRole('button', { name: '{prenom}' }).click();
  await body.press('End');
  await body.type(', atelier informatique jeudi. Répondez OUI ou NON.');
  await page.locator('#counter').getByText(/ caractères · 1 SMS · reste \d+/).waitFor();
  await body.press('End');
  await body.type(' Fête !');
  await page.locator('#counter').getByText('« ê » oblige l\u2019encodage coûteux').waitFor();
  await page.getByRole('button', { name: 'Utiliser la version sans accents' }).click();
  expect(await page.getByLabel(/Remplacer les accents/).isChecked(), 'transliteration chosen');
  await page.getByRole('button', { name: 'Aperçu', exact: true }).click();
  await page.locator('#preview').getByText('Bonjour Awa, atelier informatique jeudi. Répondez OUI ou NON. Fete !').waitFor();
  await page.locator('#preview').getByText(/3 destinataire\(s\)/).waitFor();
  await page.locator('#counter').getByText(/ caractères · 1 SMS · reste \d+/).waitFor();
  await page.getByLabel('Envoi').selectOption('now');
  await axe(page, 'campagne');
  await page.getByRole('button', { name: 'Programmer' }).click();
  await page.getByRole('heading', { name: 'Invitation informatique' }).waitFor();
  for (let i = 0; i < 300 && submitted().length < 3; i++) await sleep(100);
  const got = submitted();
  expect(got.length === 3, 'the simulator received 3 SMS, got ' + got.length);
  expect(got.some((s) => s.to === '+33612345601' && s.text.startsWith('Bonjour Awa,')), 'Awa got her invitation');
  return page;
});

test('OUI au modem : le compte de l\u2019atelier change', async () => {
  const page = state.admin;
  await go(page, `#/ateliers/${state.event}`);
  await page.locator('#counts').getByText('Oui 0').waitFor();
  await inject('+33612345601', 'OUI');
  let ok = false;
  for (let i = 0; i < 100 && !ok; i++) {
    await sleep(200);
    await go(page, `#/ateliers/${state.event}`);
    ok = await page.locator('#counts').getByText('Oui 1').count() > 0;
  }
  expect(ok, 'the yes is counted on the atelier page');
  await page.locator('td .muted', { hasText: 'par SMS' }).waitFor();
  return page;
});

test('un animateur ne voit pas l\u2019atelier d\u2019un autre', async () => {
  const page = await newPage(ANIM);
  await go(page, '#/ateliers');
  expect(await page.getByRole('link', { name: 'Atelier informatique' }).count() === 0, 'not listed');
  await go(page, `#/ateliers/${state.event}`);
  await page.getByText('Cet atelier n\u2019existe pas.').or(page.getByText('Cet atelier n\'existe pas.')).waitFor();
  expect(await page.getByRole('link', { name: 'Utilisateurs' }).count() === 0, 'no admin menu');
  await page.context().close();
  return null;
});

test('réponses, messages, groupes, utilisateurs, paramètres accessibles', async () => {
  const page = state.admin;
  for (const [hash, title] of [['#/reponses', 'Réponses'], ['#/messages', 'Messages'], ['#/groupes', 'Groupes'],
    ['#/campagnes', 'Campagnes'], ['#/utilisateurs', 'Utilisateurs'], ['#/parametres', 'Paramètres'], ['#/tableau', 'Tableau de bord']]) {
    await go(page, hash);
    await page.getByRole('heading', { name: title, exact: true }).waitFor();
    await axe(page, title);
    await page.screenshot({ path: join(SHOTS, 'page-' + hash.slice(2) + '.png'), fullPage: true });
  }
  /* a phone-sized screen still shows the menu and the table */
  await page.setViewportSize({ width: 375, height: 740 });
  await go(page, '#/contacts');
  await axe(page, 'contacts (téléphone)');
  await page.setViewportSize({ width: 1366, height: 768 });
  return page;
});

test('HTTPS avec le certificat de la configuration ; cookie Secure', async () => {
  const tdir = join(dir, 'tls');
  mkdirSync(tdir);
  const cert = join(tdir, 'cert.pem'), key = join(tdir, 'key.pem'), tconf = join(tdir, 'rappel.conf');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-keyout', key, '-out', cert]);
  const tport = await freePort();
  writeFileSync(tconf, `[centre]\nname = Centre social Jacques Brel\nphone = 03 21 00 00 00\n` +
    `[database]\npath = ${join(tdir, 'rappel.db')}\n[http]\nlisten = 127.0.0.1:${tport}\n` +
    `tls_cert = ${cert}\ntls_key = ${key}\n`);
  const ctl = execFile(RAPPELCTL, ['-c', tconf, 'user', 'add', ADMIN[0], '--role', 'admin']);
  ctl.stdin.end(`${ADMIN[1]}\n${ADMIN[1]}\n`);
  await new Promise((r) => ctl.on('exit', r));
  const tls = spawn(RAPPELD, ['-c', tconf], { stdio: ['ignore', 'ignore', 'pipe'] });
  tls.stderr.on('data', (d) => { daemonLog += d; });
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    for (let i = 0; i < 50; i++) {
      try { await page.goto(`https://127.0.0.1:${tport}/`); break; } catch (e) { await sleep(100); }
    }
    await page.getByLabel('Identifiant').fill(ADMIN[0]);
    await page.getByLabel('Mot de passe').fill(ADMIN[1]);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForSelector('body[data-ready="#/tableau"]');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'rappel_session');
    expect(session && session.secure && session.httpOnly && session.sameSite === 'Strict',
      'the session cookie is Secure, HttpOnly and SameSite=Strict over HTTPS');
    expect(page.url().startsWith('https://'), 'served over HTTPS');
    await page.screenshot({ path: join(SHOTS, 'https.png') });
    await context.close();
  } finally {
    tls.kill('SIGTERM');
    await new Promise((r) => tls.on('exit', r));
  }
  return null;
});

/* ---- runner ----------------------------------------------------------- */

let passed = 0, failed = 0;
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
