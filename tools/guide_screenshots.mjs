// Screenshots of the panel for docs/guide.md: make screenshots.
//
//   node tools/guide_screenshots.mjs [BUILD_DIR] [OUT_DIR]
//
// Starts the real rappeld (BUILD_DIR, default build/) on a fresh database
// with the modem simulator (tools/modemsim) in its own process, fills it
// with a French demo (contacts, groups, a weekly atelier, an invitation,
// replies), then saves one 1366x768 JPEG per page of the panel in OUT_DIR
// (default docs/images/).  Needs Debian's /usr/bin/chromium and
// playwright-core (cd tests/browser && npm ci).  Nothing leaves the machine.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import net from 'node:net';
import { createRequire } from 'node:module';

process.env.TZ = 'Europe/Paris';	/* the demo's dates are the centre's local time */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'tests/browser/package.json'));
const { chromium } = require('playwright-core');
const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const build = resolve(process.argv[2] || join(root, 'build'));
const out = resolve(process.argv[3] || join(root, 'docs/images'));
const RAPPELD = join(build, 'rappeld'), RAPPELCTL = join(build, 'rappelctl');
const MODEMSIM = join(build, 'rappel-modemsim');
const ADMIN = ['directrice', 'rappel-guide-2026'];
const FORMAT = process.env.GUIDE_FORMAT || 'png';	/* or jpg (JPEG quality 70): smaller */

const dir = mkdtempSync(join(tmpdir(), 'rappel-guide-'));
mkdirSync(join(dir, 'serial/by-id'), { recursive: true });
const link = join(dir, 'serial/by-id/usb-HUAWEI_Mobile_E3131-if00-port0');
const ctlSock = join(dir, 'modem.sock'), simlog = join(dir, 'modem.jsonl'), conf = join(dir, 'rappel.conf');
let port, sim, daemon, browser, token, daemonLog = '';

/* ---- the demo's people: fictitious numbers (ARCEP range 06 39 98) ---- */

const CONTACTS = `Prénom;Nom;Téléphone;Groupes;Langue;Consentement;Notes
Awa;Diallo;06 39 98 00 01;Atelier numérique;fr;12/09/2026;
Karim;Benali;06 39 98 00 02;Atelier numérique, Parents;fr;12/09/2026;
Éloïse;Martin;06 39 98 00 03;Atelier numérique;fr;15/09/2026;Vient avec sa voisine
Jean-Pierre;Lefèvre;06 39 98 00 04;Atelier numérique, Seniors du jeudi;fr;03/10/2026;Préfère les SMS aux appels
Fatou;Ndiaye;06 39 98 00 05;Atelier numérique;fr;03/10/2026;
Yasmine;El Amrani;06 39 98 00 06;Atelier numérique, Cours de français;ar;07/10/2026;
Monique;Girard;06 39 98 00 07;Seniors du jeudi;fr;20/09/2026;
Gérard;Petit;06 39 98 00 08;Seniors du jeudi;fr;20/09/2026;
Hervé;Roussel;06 39 98 00 09;Seniors du jeudi;fr;21/09/2026;
Nadia;Haddad;06 39 98 00 10;Parents;fr;01/10/2026;
Sarah;Cohen;06 39 98 00 11;Parents;fr;01/10/2026;
Kevin;Durand;06 39 98 00 12;Parents;fr;02/10/2026;
Amina;Benali;06 39 98 00 13;Cours de français;ar;05/10/2026;
Peter;Jones;06 39 98 00 14;Cours de français;en;05/10/2026;
Léa;Moreau;06 39 98 00 15;Seniors du jeudi;fr;22/09/2026;Bénévole
`;
const NEW_CONTACTS = `Prénom;Nom;Portable;Groupes
Inès;Roux;06 39 98 00 20;Parents
Rachid;Belkacem;06 39 98 00 21;Cours de français
Sans;Numéro;pas de portable;Parents
`;

/* ---- the system ------------------------------------------------------ */

async function freePort() {
  return new Promise((ok) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
  });
}

async function ctl(args, input) {
  const child = execFile(RAPPELCTL, ['-c', conf, ...args]);
  let text = '';
  child.stdout.on('data', (d) => { text += d; });
  child.stdin.end(input || '');
  return new Promise((ok, fail) => child.on('exit', (c) => c === 0 ? ok(text) : fail(new Error('rappelctl ' + args.join(' ') + ': ' + c))));
}

/* The configuration; the demo sends at any hour, the pictures show a centre's settings. */
function writeConf(sending) {
  writeFileSync(conf, `[centre]\nname = Centre social Jacques Brel\nphone = 03 21 00 00 00\nsms_number = 06 39 98 00 00\n` +
    `timezone = Europe/Paris\n` +
    `[database]\npath = ${join(dir, 'rappel.db')}\n[http]\nlisten = 127.0.0.1:${port}\n` +
    `[sending]\n${sending}\n[modem]\ndevice = ${link}\n`);
}
const SEND_ALWAYS = 'hours = 00:00-24:00\ndays = mon,tue,wed,thu,fri,sat,sun\nmax_per_minute = 600';
const SEND_CENTRE = 'hours = 08:30-19:30\ndays = mon,tue,wed,thu,fri,sat\nmax_per_minute = 6\nmax_per_day = 500';

async function start() {
  for (const f of [RAPPELD, RAPPELCTL, MODEMSIM])
    if (!existsSync(f)) throw new Error(f + ' is missing: run meson setup build && ninja -C build');
  port = await freePort();
  sim = spawn(MODEMSIM, ['--link', link, '--control', ctlSock, '--log', simlog, '--operator', 'Orange F'],
    { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(link); i++) await sleep(50);
  writeConf(SEND_ALWAYS);
  await ctl(['migrate']);
  await ctl(['user', 'add', ADMIN[0], '--role', 'admin'], `${ADMIN[1]}\n${ADMIN[1]}\n`);
  await ctl(['user', 'add', 'sophie.referente', '--role', 'referent'], 'sophie-mot-de-passe\nsophie-mot-de-passe\n');
  await ctl(['user', 'add', 'karim.animateur', '--role', 'animateur'], 'karim-mot-de-passe\nkarim-mot-de-passe\n');
  token = (await ctl(['token', 'create', ADMIN[0], '--label', 'captures'])).trim();
  writeFileSync(join(dir, 'contacts.csv'), CONTACTS);
  await ctl(['import', 'contacts', join(dir, 'contacts.csv')]);
  daemon = spawn(RAPPELD, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  daemon.stderr.on('data', (d) => { daemonLog += d; });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch (e) { /* not yet */ }
    await sleep(100);
  }
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

async function stop() {
  if (browser) await browser.close();
  if (daemon) { daemon.kill('SIGTERM'); await new Promise((r) => daemon.on('exit', r)); }
  if (sim) { sim.kill('SIGTERM'); await new Promise((r) => sim.on('exit', r)); }
  rmSync(dir, { recursive: true, force: true });
}

async function api(method, path, body) {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, { method,
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(method + ' ' + path + ': ' + r.status + ' ' + text);
  return text ? JSON.parse(text) : null;
}

/* What the simulated network was handed: [{to, text, cmgs_ref}]. */
function submitted() {
  if (!existsSync(simlog)) return [];
  return readFileSync(simlog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((e) => e.event === 'submit');
}
const simSend = (...args) => run(MODEMSIM, ['--send', ctlSock, ...args]);
async function waitFor(what, test) {
  for (let i = 0; i < 300; i++) { if (await test()) return; await sleep(100); }
  throw new Error('timed out waiting for ' + what);
}

/* "2026-12-10T14:00:00+01:00" for a local Date. */
function iso(d) {
  const off = -d.getTimezoneOffset(), a = Math.abs(off), p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:00` +
    `${off >= 0 ? '+' : '-'}${p(Math.floor(a / 60))}:${p(a % 60)}`;
}
/* This week's day (0 = monday) at hh:mm, local time. */
function thisWeek(day, hh, mm) {
  const d = new Date();
  d.setHours(hh, mm, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) + day);
  return d;
}

/* ---- the demo ------------------------------------------------------- */

async function fillDemo() {
  const groups = Object.fromEntries((await api('GET', '/groups')).map((g) => [g.name, g.id]));
  const contacts = await api('GET', '/contacts');
  const who = (first) => contacts.find((c) => c.first_name === first);
  /* weekly atelier: its first session is this week's thursday, so the week view shows one */
  const first = thisWeek(3, 14, 0);
  const numerique = await api('POST', '/events', { title: 'Atelier numérique', place: 'Salle informatique',
    starts_at: iso(first), ends_at: iso(new Date(first.getTime() + 2 * 3600000)), capacity: 8,
    rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=10', group_ids: [groups['Atelier numérique']] });
  const seniors = thisWeek(3, 10, 0);
  await api('POST', '/events', { title: 'Café des seniors', place: 'Salle polyvalente', starts_at: iso(seniors),
    ends_at: iso(new Date(seniors.getTime() + 90 * 60000)), rrule: 'FREQ=WEEKLY;BYDAY=TH',
    group_ids: [groups['Seniors du jeudi']] });
  const repair = thisWeek(5, 9, 30);
  await api('POST', '/events', { title: 'Repair café', place: 'Hall du centre', starts_at: iso(repair),
    ends_at: iso(new Date(repair.getTime() + 3 * 3600000)), group_ids: [groups.Parents] });

  /* the invitation for the next session, sent now; then the reminder the day before */
  const invitation = await api('POST', '/campaigns', { name: 'Invitation atelier numérique',
    body: 'Bonjour {prenom}, atelier numérique {date} à {heure}, {lieu}. Venez-vous ? Répondez OUI ou NON. {centre} {tel_centre}',
    audience: { event_id: numerique.id }, schedule: { at: iso(new Date()) }, ask_reply: true, transliterate: true,
    ack_body: 'Merci, c\u2019est noté ! {centre}' });
  await api('POST', `/campaigns/${invitation.id}/schedule`);
  const reminder = await api('POST', '/campaigns', { name: 'Rappel la veille — atelier numérique',
    body: 'Rappel : atelier numérique demain à {heure}, {lieu}. Empêchement ? Appelez le {tel_centre}. {centre}',
    audience: { event_id: numerique.id }, schedule: { before_event: ['-1d@18:00'] }, transliterate: true });
  await api('POST', `/campaigns/${reminder.id}/schedule`);
  await waitFor('the 6 invitations', () => submitted().length >= 6);
  for (const s of submitted()) if (s.to !== '+33639980005') await simSend('report', String(s.cmgs_ref), 'delivered');

  /* a landline only: a person to phone about the atelier */
  await api('POST', '/contacts', { first_name: 'Madeleine', last_name: 'Petit', phone: '03 21 44 55 66',
    group_ids: [groups['Atelier numérique']] });

  /* replies: two yes, one no, one question for a person */
  await simSend('inject', '+33639980001', 'gsm7', 'OUI');
  await simSend('inject', '+33639980003', 'gsm7', 'oui merci je viens');
  await simSend('inject', '+33639980002', 'gsm7', 'non merci');
  await simSend('inject', '+33639980004', 'ucs2', 'Bonjour, est-ce que je peux venir avec ma petite-fille ? Elle m\u2019aide pour le téléphone');
  await waitFor('the replies', async () => (await api('GET', '/replies')).length >= 4);
  await waitFor('the answers counted', async () =>
    (await api('GET', `/events/${numerique.id}/rsvps`)).counts.yes >= 2);

  /* this week's session, when it is over: who came */
  const past = await api('GET', `/events/${numerique.id}/occurrences?from=${iso(first).slice(0, 10)}`);
  const done = first < new Date() ? past[0].occurrence : null;
  if (done)
    for (const p of ['Awa', 'Éloïse', 'Fatou'])
      await api('PUT', `/events/${numerique.id}/rsvps/${who(p).id}?occurrence=${past[0].occurrence}`, { present: true });
  /* a direct message, as the settings page's test would send */
  await api('POST', '/messages', { contact_id: who('Nadia').id, body: 'Bonjour Nadia, votre dossier CAF est prêt. Passez au centre quand vous voulez. Centre social Jacques Brel' });
  /* from now on, the sending hours of a real centre (SIGHUP re-reads them) */
  writeConf(SEND_CENTRE);
  daemon.kill('SIGHUP');
  await waitFor('the reload', async () => (await api('GET', '/status')).sending.max_per_minute === 6);
  return { numerique, invitation, contacts, who, done };
}

/* ---- screenshots ----------------------------------------------------- */

async function go(page, hash) {
  await page.evaluate((h) => {
    document.body.dataset.ready = '';
    if (location.hash === h) window.route(); else location.hash = h;
  }, hash);
  await page.waitForFunction((h) => document.body.dataset.ready === h.split('?')[0], hash);
}

const shots = [];
async function shot(page, name, scrollTo) {
  if (scrollTo) {
    await page.locator(scrollTo).first().evaluate((el) => { el.scrollIntoView({ block: 'start' }); window.scrollBy(0, -110); });
  } else await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
  const path = join(out, name + '.' + FORMAT);
  await page.screenshot(FORMAT === 'png' ? { path } : { path, type: 'jpeg', quality: 70 });
  shots.push([name, statSync(path).size]);
}

async function screenshots(demo) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR',
    timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByLabel('Identifiant').fill(ADMIN[0]);
  await page.getByLabel('Mot de passe').fill(ADMIN[1]);
  await shot(page, 'connexion');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForSelector('body[data-ready="#/tableau"]');
  await shot(page, 'tableau-de-bord');

  await go(page, '#/contacts');
  await shot(page, 'contacts');
  await go(page, '#/contacts/' + demo.who('Jean-Pierre').id);
  await shot(page, 'contact');
  await shot(page, 'contact-historique', '#history');
  await go(page, '#/contacts/import');
  await page.getByLabel('Fichier').setInputFiles({ name: 'nouveaux.csv', mimeType: 'text/csv', buffer: Buffer.from(NEW_CONTACTS) });
  await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
  await page.getByText('1 ligne refusée').waitFor();
  await shot(page, 'import');
  /* a file whose headers nobody could guess: the columns to choose */
  await go(page, '#/contacts/import');
  await page.getByLabel('Fichier').setInputFiles({ name: 'liste-famille.csv', mimeType: 'text/csv',
    buffer: Buffer.from('Famille;Qui;Contact SMS;Ville\nRoux;Jeanne;06 39 98 07 01;Lens\n') });
  await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
  await page.getByText('Aucune colonne de téléphone reconnue').waitFor();
  await page.getByLabel('Contenu de la colonne 3').selectOption('phone');
  await page.getByLabel('Contenu de la colonne 1').selectOption('last_name');
  await page.getByLabel('Contenu de la colonne 2').selectOption('first_name');
  await page.getByText('Aperçu :').waitFor();
  await shot(page, 'import-colonnes');
  await go(page, '#/groupes');
  await shot(page, 'groupes');

  /* an atelier cancelled by mistake, listed to be restored */
  const poterie = await api('POST', '/events', { title: 'Atelier poterie', place: 'Salle 4',
    starts_at: iso(new Date(Date.now() + 9 * 86400000)) });
  await api('DELETE', '/events/' + poterie.id);
  await go(page, '#/ateliers');
  await shot(page, 'ateliers');
  await page.locator('#cancelled-events summary').click();
  await shot(page, 'ateliers-annules', '#cancelled-events');
  await go(page, '#/ateliers/' + poterie.id);
  await shot(page, 'atelier-annule');
  await go(page, '#/ateliers/nouveau');
  const next = new Date(Date.now() + 7 * 86400000), p = (n) => String(n).padStart(2, '0');
  await page.getByLabel('Titre').fill('Cours de cuisine');
  await page.getByLabel('Lieu').fill('Cuisine pédagogique');
  await page.getByLabel('Première séance').fill(`${next.getFullYear()}-${p(next.getMonth() + 1)}-${p(next.getDate())}T09:30`);
  await page.getByLabel('Récurrence').selectOption('biweekly');
  await page.getByLabel('Nombre de séances').fill('6');
  await page.getByLabel('Capacité').fill('10');
  await page.getByLabel('Parents').check();
  await shot(page, 'atelier-nouveau');
  await shot(page, 'atelier-anime-par', 'select[name="owner_id"]');
  await go(page, '#/ateliers/' + demo.numerique.id);
  await shot(page, 'atelier');
  await page.locator('#unanswered').getByRole('button', { name: 'Relancer' }).click();
  await page.locator('#chase .actions').waitFor();
  await shot(page, 'relance-apercu', '#unanswered');
  if (demo.done) {
    await go(page, `#/ateliers/${demo.numerique.id}?seance=${demo.done}`);
    await shot(page, 'atelier-presents');
  }

  await go(page, `#/campagnes/nouvelle?atelier=${demo.numerique.id}`);
  await page.getByLabel('Nom', { exact: true }).fill('Relance atelier numérique');
  await page.getByLabel('Texte').fill('Bonjour {prenom}, il reste des places à l\u2019atelier numérique {date} à {heure}. Répondez OUI ou NON. {centre}');
  await page.getByLabel('Texte').press('End');
  await page.getByLabel('Envoi').selectOption('before');
  await page.getByLabel('la veille à 18h').check();
  await shot(page, 'campagne-texte', 'textarea[name="body"]');
  await page.getByRole('button', { name: 'Aperçu', exact: true }).click();
  await page.locator('#preview .card').first().waitFor();
  await shot(page, 'campagne-apercu', '#preview');
  /* an invitation sent now, its reminders written in the same form */
  await page.getByLabel('Envoi').selectOption('now');
  await shot(page, 'campagne-rappels', 'input[value="-1d@18:00"]');
  /* « Inviter par SMS » from a session: the session it is about */
  await shot(page, 'campagne-seance', 'select[name="occurrence"]');
  await go(page, '#/campagnes');
  await shot(page, 'campagnes');
  await go(page, '#/campagnes/' + demo.invitation.id);
  await shot(page, 'campagne');
  await shot(page, 'campagne-destinataires', '#recipients');

  await go(page, '#/reponses?contact=' + demo.who('Jean-Pierre').id);
  await shot(page, 'reponses');
  await shot(page, 'reponses-conversation', '[aria-label="Conversation"]');
  await go(page, '#/messages');
  await shot(page, 'messages');
  await go(page, '#/appels');
  await shot(page, 'a-appeler');
  await go(page, '#/utilisateurs');
  await shot(page, 'utilisateurs');
  await go(page, '#/parametres');
  /* the simulator's link is in a temporary directory: show the path a real modem has */
  await page.evaluate((l) => { for (const p of document.querySelectorAll('main p'))
    p.textContent = p.textContent.replace(l, '/dev/serial/by-id/usb-HUAWEI_Mobile_E3131-if00-port0'); }, link);
  await shot(page, 'parametres');
  /* the calendars' links as a centre's staff see them, by the box's name */
  await page.evaluate((o) => { for (const i of document.querySelectorAll('input.link'))
    i.value = i.value.replace(o, 'http://rappel.local:8080'); }, `http://127.0.0.1:${port}`);
  await shot(page, 'calendriers', '#calendars');
  await shot(page, 'mon-mot-de-passe', '#my-password');
  await go(page, '#/carte');
  await page.locator('.card-qr').first().waitFor();
  await shot(page, 'carte');
  await go(page, '#/carte/affiche');
  await page.locator('.card-qr').first().waitFor();
  await shot(page, 'carte-affiche');
  await context.close();
}

mkdirSync(out, { recursive: true });
let failed = false;
try {
  await start();
  const demo = await fillDemo();
  await screenshots(demo);
  for (const [name, size] of shots) console.log(`${name}.${FORMAT} ${Math.round(size / 1024)} KiB`);
} catch (e) {
  failed = true;
  console.error('guide_screenshots: ' + e.message);
  console.error(daemonLog.split('\n').slice(-30).join('\n'));
} finally {
  await stop().catch(() => {});
}
process.exit(failed ? 1 : 0);
