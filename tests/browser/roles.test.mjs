// Animateurs and admins, languages and text (issue 23): who sees what,
// passwords and roles from the panel, Arabic right to left, English and
// French wording, the composer's counter, focus and favicon.  Each test
// makes its own data, with names no other test uses.
import {
  ADMIN, ANIM, SHOTS, newPage, go, expect, test, inject, sleep,
} from './harness.mjs';
import { join } from 'node:path';

const U = Date.now().toString(36).slice(-5);
let phoneSeq = Number(String(Date.now()).slice(-5));
/* A mobile number no other test uses: 07 56 … */
const newPhone = () => '0756' + String(100000 + (phoneSeq++ % 900000)).padStart(6, '0');

/* The test's screenshot, then its browser closed (each test opens its own). */
async function done(page, name) {
  await page.screenshot({ path: join(SHOTS, 'roles-' + name + '.png'), fullPage: true });
  await page.context().close();
  return null;
}

/* The API as the user of page (its cookie and CSRF token): {status, json}. */
async function apiAs(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const headers = { 'Content-Type': 'application/json' };
    if (m !== 'GET') headers['X-CSRF-Token'] = sessionStorage.getItem('rappel.csrf');
    const r = await fetch('/api/v1' + p, { method: m, headers, body: b === null ? undefined : JSON.stringify(b) });
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = text; }
    return { status: r.status, json };
  }, [method, path, body === undefined ? null : body]);
}
async function must(page, method, path, body) {
  const r = await apiAs(page, method, path, body);
  expect(r.status >= 200 && r.status < 300, method + ' ' + path + ': ' + r.status + ' ' + JSON.stringify(r.json));
  return r.json;
}
/* "YYYY-MM-DDTHH:MM" in n days at hh:00, local time, for datetime-local fields. */
function localIn(days, hh) {
  const d = new Date(Date.now() + days * 86400000);
  const p = (x) => String(x).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(hh) + ':00';
}
/* The same as ISO with the browser's offset (Europe/Paris in the tests). */
async function isoIn(page, days, hh) {
  return page.evaluate((v) => {
    const d = new Date(v);
    const off = -d.getTimezoneOffset(), a = Math.abs(off), p = (x) => String(x).padStart(2, '0');
    return v + ':00' + (off >= 0 ? '+' : '-') + p(Math.floor(a / 60)) + ':' + p(a % 60);
  }, localIn(days, hh));
}
async function userId(admin, login) {
  const users = await must(admin, 'GET', '/users');
  const u = users.find((x) => x.login === login);
  expect(u, login + ' is a user');
  return u.id;
}

test('rôles : un référent confie un atelier à un animateur (« Animé par »), qui le voit', async () => {
  const admin = await newPage(ADMIN);
  const title = 'Couture confiée ' + U;
  await go(admin, '#/ateliers/nouveau');
  await admin.getByLabel('Titre').fill(title);
  await admin.getByLabel('Première séance').fill(localIn(5, 14));
  await admin.getByLabel('Animé par').selectOption({ label: ANIM[0] });
  await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await admin.waitForFunction(() => /^#\/ateliers\/\d+/.test(location.hash));
  const id = await admin.evaluate(() => location.hash.match(/\d+/)[0]);
  /* kept: the form says it again once reloaded */
  await go(admin, `#/ateliers/${id}/modifier`);
  await admin.reload();
  await admin.waitForSelector(`body[data-ready="#/ateliers/${id}/modifier"]`);
  const chosen = await admin.getByLabel('Animé par').evaluate((s) => s.options[s.selectedIndex].text);
  expect(chosen === ANIM[0], '« Animé par » kept: ' + chosen);
  const anim = await newPage(ANIM);
  await go(anim, '#/ateliers');
  await anim.getByRole('link', { name: title, exact: true }).waitFor();
  await admin.context().close();
  return done(anim, 'anime-par');
});

test('rôles : un animateur ne voit que les personnes de ses ateliers (groupes, contacts, messages, réponses)', async () => {
  const admin = await newPage(ADMIN);
  const pa = newPhone(), pb = newPhone();
  const awa = await must(admin, 'POST', '/contacts', { first_name: 'Awa' + U, last_name: 'Mosaïque', phone: pa });
  const bruno = await must(admin, 'POST', '/contacts', { first_name: 'Bruno' + U, last_name: 'Ailleurs', phone: pb });
  const mine = await must(admin, 'POST', '/groups', { name: 'Mosaïque ' + U, contact_ids: [awa.id] });
  const other = await must(admin, 'POST', '/groups', { name: 'Anglais ' + U, contact_ids: [bruno.id] });
  const ev = await must(admin, 'POST', '/events', { title: 'Mosaïque du lundi ' + U, starts_at: await isoIn(admin, 6, 10),
    owner_id: await userId(admin, ANIM[0]), group_ids: [mine.id] });
  await must(admin, 'POST', '/messages', { contact_id: bruno.id, body: 'Bonjour Bruno, votre dossier CAF est prêt.' });
  await inject('+33' + pb.slice(1), 'Merci je passe demain');
  for (let i = 0; i < 100; i++) {
    const inbox = await must(admin, 'GET', '/inbox');
    if (inbox.threads.some((th) => th.contact_id === bruno.id)) break;
    await sleep(200);
  }

  const anim = await newPage(ANIM);
  await go(anim, '#/groupes');
  await anim.getByRole('link', { name: 'Mosaïque ' + U }).waitFor();
  expect(await anim.getByText('Anglais ' + U).count() === 0, 'another atelier\u2019s group is not listed');
  expect((await apiAs(anim, 'GET', '/groups/' + other.id)).status === 404, 'nor read by id');
  await go(anim, '#/contacts');
  await anim.getByRole('link', { name: 'Awa' + U + ' Mosaïque' }).waitFor();
  expect(await anim.getByText('Bruno' + U).count() === 0, 'the people of no atelier of theirs are not listed');
  /* inviting: only the groups of their ateliers */
  await go(anim, `#/ateliers/${ev.id}/modifier`);
  await anim.getByRole('checkbox', { name: 'Mosaïque ' + U }).waitFor();
  expect(await anim.getByRole('checkbox', { name: 'Anglais ' + U }).count() === 0, 'no other group to invite');
  await go(anim, `#/ateliers/${ev.id}`);
  await anim.getByText('Invités : Mosaïque ' + U).waitFor();
  expect(await anim.getByText('Anglais ' + U).count() === 0, 'no other group on the atelier\u2019s page');
  await go(anim, '#/messages');
  expect(await anim.getByText('+33' + pb.slice(1)).count() === 0, 'Bruno\u2019s messages are not listed');
  await go(anim, '#/reponses');
  expect(await anim.getByText('Merci je passe demain').count() === 0, 'Bruno\u2019s reply is not listed');
  expect(await anim.getByText('Bruno' + U).count() === 0, 'nor his name');
  await admin.context().close();
  return done(anim, 'perimetre-animateur');
});

test('utilisateurs : l\u2019administrateur remet un mot de passe et change un rôle', async () => {
  const admin = await newPage(ADMIN);
  const login = 'ref-' + U;
  await go(admin, '#/utilisateurs');
  await admin.getByLabel('Identifiant').fill(login);
  await admin.getByLabel('Mot de passe', { exact: true }).fill('mot-de-passe-initial');
  await admin.getByLabel('Rôle', { exact: true }).selectOption('referent');
  await admin.getByRole('button', { name: 'Créer le compte' }).click();
  await admin.getByRole('cell', { name: login, exact: true }).waitFor();
  const them = await newPage([login, 'mot-de-passe-initial']);
  /* a new password: their session ends, the new one opens */
  await admin.getByLabel('Nouveau mot de passe pour ' + login).fill('mot-de-passe-remis-1');
  await admin.getByRole('button', { name: 'Remettre le mot de passe de ' + login }).click();
  await admin.getByText('Mot de passe remis : ' + login + ' doit se connecter avec le nouveau.').waitFor();
  await them.reload();
  await them.waitForSelector('body[data-ready="#/connexion"]');
  await them.context().close();
  /* the role */
  await admin.getByLabel('Rôle de ' + login).selectOption('animateur');
  await admin.getByText('Rôle changé : ' + login + ' est animateur.').waitFor();
  await admin.reload();
  await admin.waitForSelector('body[data-ready="#/utilisateurs"]');
  expect(await admin.getByLabel('Rôle de ' + login).inputValue() === 'animateur', 'the role is kept');
  const again = await newPage([login, 'mot-de-passe-remis-1']);
  await again.getByText(login + ' (animateur)').waitFor();
  await again.context().close();
  return done(admin, 'utilisateurs');
});

test('mon mot de passe : l\u2019actuel est demandé, les autres sessions se ferment', async () => {
  const admin = await newPage(ADMIN);
  const login = 'anim-' + U;
  await must(admin, 'POST', '/users', { login, password: 'ancien-mot-de-passe', role: 'animateur' });
  await admin.context().close();
  const p1 = await newPage([login, 'ancien-mot-de-passe']);
  const p2 = await newPage([login, 'ancien-mot-de-passe']);
  await go(p1, '#/parametres');
  await p1.getByLabel('Mot de passe actuel').fill('pas le bon du tout');
  await p1.getByLabel('Nouveau mot de passe', { exact: true }).fill('nouveau-mot-de-passe');
  await p1.getByRole('button', { name: 'Changer mon mot de passe' }).click();
  await p1.getByText('Le mot de passe actuel n\u2019est pas le bon.').waitFor();
  await p1.getByLabel('Mot de passe actuel').fill('ancien-mot-de-passe');
  await p1.getByRole('button', { name: 'Changer mon mot de passe' }).click();
  await p1.getByText('Mot de passe changé. Vos autres sessions sont fermées.').waitFor();
  /* this session stays, the other one is closed */
  await go(p1, '#/tableau');
  await p2.reload();
  await p2.waitForSelector('body[data-ready="#/connexion"]');
  await p2.getByLabel('Identifiant').fill(login);
  await p2.getByLabel('Mot de passe').fill('nouveau-mot-de-passe');
  await p2.getByRole('button', { name: 'Se connecter' }).click();
  await p2.waitForSelector('body[data-ready="#/tableau"]');
  await p2.context().close();
  return done(p1, 'mon-mot-de-passe');
});

test('paramètres : des heures à l\u2019envers expliquées, un long nom du centre lisible en entier', async () => {
  const admin = await newPage(ADMIN);
  await go(admin, '#/parametres');
  const name = admin.getByLabel('Nom du centre (il signe chaque SMS)');
  await name.fill('Centre social et culturel Jacques Brel de Liévin');
  const fits = await name.evaluate((el) => el.scrollWidth <= el.clientWidth && el.clientWidth > 300);
  expect(fits, 'the whole name shows in the field');
  await admin.getByLabel('De', { exact: true }).fill('20:00');
  await admin.getByLabel('À', { exact: true }).fill('08:00');
  await admin.getByRole('button', { name: 'Enregistrer les réglages' }).click();
  await admin.getByText('Les heures d\u2019envoi sont à l\u2019envers : de 20:00 à 08:00, aucun SMS ne partirait. ' +
    'Mettez l\u2019heure de début avant l\u2019heure de fin, par exemple de 08:00 à 20:00.').waitFor();
  return done(admin, 'parametres-heures');
});

test('arabe : de droite à gauche dans le compositeur, l\u2019aperçu et les listes', async () => {
  const admin = await newPage(ADMIN);
  const arabic = 'مرحبا، ورشة الحاسوب يوم السبت';
  const c = await must(admin, 'POST', '/contacts', { first_name: 'سلمى' + U, last_name: 'بن علي', phone: newPhone(), language: 'ar' });
  await must(admin, 'POST', '/groups', { name: 'مجموعة ' + U, contact_ids: [c.id] });
  await go(admin, '#/campagnes/nouvelle');
  await admin.getByLabel('Texte').fill(arabic);
  const dir = (loc) => loc.evaluate((el) => getComputedStyle(el).direction);
  expect(await dir(admin.getByLabel('Texte')) === 'rtl', 'the composer\u2019s text is right to left');
  expect(await dir(admin.getByLabel('Nom', { exact: true })) === 'ltr', 'an empty name box stays left to right');
  await go(admin, '#/contacts?q=' + U);
  expect(await dir(admin.getByRole('link', { name: 'سلمى' + U + ' بن علي' })) === 'rtl', 'an Arabic name is right to left in the list');
  await go(admin, '#/groupes');
  expect(await dir(admin.getByRole('link', { name: 'مجموعة ' + U })) === 'rtl', 'an Arabic group name too');
  const camp = await must(admin, 'POST', '/campaigns', { name: 'عربي ' + U, body: arabic, audience: { group_ids: [] } });
  await go(admin, '#/campagnes/' + camp.id);
  expect(await dir(admin.getByText(arabic)) === 'rtl', 'a campaign\u2019s Arabic text is right to left');
  expect(await dir(admin.getByRole('heading', { name: 'عربي ' + U })) === 'rtl', 'and its name');
  return done(admin, 'arabe');
});

test('en anglais : « Name » pour une campagne ou un groupe, les erreurs du serveur en anglais', async () => {
  const page = await newPage(ADMIN);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await go(page, '#/campagnes/nouvelle');
  await page.getByLabel('Name', { exact: true }).waitFor();
  expect(await page.getByLabel('Last name').count() === 0, 'a campaign has no last name');
  /* a list of people shows whole names: "Name" too */
  await go(page, '#/contacts');
  await page.getByRole('columnheader', { name: 'Name', exact: true }).waitFor();
  expect(await page.getByRole('columnheader', { name: 'Last name' }).count() === 0, 'no « Last name » over whole names');
  await go(page, '#/groupes');
  await page.getByRole('columnheader', { name: 'Name', exact: true }).waitFor();
  /* a refusal the server words in French */
  await page.getByLabel('New group').fill('Doublon ' + U);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('link', { name: 'Doublon ' + U }).waitFor();
  await page.getByLabel('New group').fill('Doublon ' + U);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText('A group “Doublon ' + U + '” already exists.').waitFor();
  /* one the panel has no sentence for: still English, from its code */
  await go(page, '#/campagnes/nouvelle');
  await page.getByLabel('Text', { exact: true }).fill('Hello {inconnue}');
  await page.getByRole('button', { name: 'Save the draft' }).click();
  const alert = page.locator('[role=alert]').filter({ hasText: /\S/ }).first();
  await alert.waitFor();
  const said = await alert.innerText();
  expect(!/\b(le|la|les|est|une?|inconnue? :|champ)\b/i.test(said.replace('{inconnue}', '')), 'no French in: ' + said);
  expect(/unknown|invalid|refused/i.test(said), 'an English refusal: ' + said);
  return done(page, 'anglais');
});

test('en anglais : les lignes refusées d\u2019un import disent pourquoi en anglais', async () => {
  const page = await newPage(ADMIN);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  const csv = 'Prénom;Nom;Téléphone;Langue\nAnna;Refus;06 12;fr\nBen;Refus;;fr\nCléo;Refus;+33 7 11 22 33 03;fr\n' +
    'Dina;Refus;07 56 99 00 01;fr\nEmma;Refus;07 56 99 00 01;fr\nFred;Refus;07 56 99 00 02;klingon\n;;07 56 99 00 03;fr\n';
  await go(page, '#/contacts/import');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'refus.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  const table = page.getByRole('table', { name: 'Refused lines' });
  await table.waitFor();
  const reasons = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
  const want = ['number “06 12” is invalid: number too short', 'phone number missing',
    'number “+33 7 11 22 33 03” is invalid: this number does not exist (no operator has this range of numbers)',
    'same number as line 5', 'unknown language “klingon” (expected: fr, en or ar)', 'first and last name missing'];
  expect(JSON.stringify(reasons) === JSON.stringify(want), 'the reasons in English: ' + JSON.stringify(reasons));
  return done(page, 'anglais-import');
});

test('français : accords, apostrophes typographiques, pas de « · » en trop', async () => {
  const admin = await newPage(ADMIN);
  const one = await must(admin, 'POST', '/contacts', { first_name: 'Inès' + U, last_name: 'Martin', phone: newPhone() });
  const out = await must(admin, 'POST', '/contacts', { first_name: 'Omar' + U, last_name: 'Stop', phone: newPhone(), opted_out: true });
  const g = await must(admin, 'POST', '/groups', { name: 'Accords ' + U, contact_ids: [one.id, out.id] });
  const ev = await must(admin, 'POST', '/events', { title: 'Accords ' + U, starts_at: await isoIn(admin, 8, 14), group_ids: [g.id] });
  await go(admin, `#/campagnes/nouvelle?atelier=${ev.id}`);
  await admin.getByLabel('Texte').fill('Bonjour {prenom}, à bientôt.');
  await admin.getByRole('button', { name: 'Aperçu', exact: true }).click();
  const line = admin.locator('#preview > p').first();
  await line.getByText(/destinataire/).waitFor();
  const said = await line.innerText();
  expect(said.startsWith('1 destinataire, 1 a demandé STOP'), 'singular: ' + said);
  /* a draft with no message yet: no separator left hanging */
  const camp = await must(admin, 'POST', '/campaigns', { name: 'Sans message ' + U, body: 'Bonjour', audience: { group_ids: [g.id] } });
  await go(admin, '#/campagnes/' + camp.id);
  const status = (await admin.getByText(/^Statut :/).innerText()).trim();
  expect(status === 'Statut : brouillon', 'no dangling separator: « ' + status + ' »');
  /* the panel's own French has one apostrophe, ’ */
  for (const hash of ['#/tableau', '#/contacts/nouveau', '#/ateliers/nouveau', '#/campagnes/nouvelle', '#/parametres', '#/utilisateurs']) {
    await go(admin, hash);
    const bad = await admin.evaluate(() => [...document.querySelectorAll('#main h1, #main h2, #main h3, #main label:not(.inline), ' +
      '#main legend, #main th, #main button, #main option, #main p, #main summary, #main .muted')]
      .filter((el) => !el.closest('[dir=auto]') && !el.querySelector('[dir=auto]'))
      .map((el) => { const c = el.cloneNode(true); c.querySelectorAll('code').forEach((x) => x.remove()); return c.textContent; })
      .filter((s) => s.includes("'")));
    expect(!bad.length, hash + ': a straight apostrophe in « ' + bad.join(' | ') + ' »');
  }
  /* a server message too */
  const anim = await newPage(ANIM);
  await go(anim, `#/ateliers/${ev.id}`);
  await anim.getByText('Cet atelier n\u2019existe pas.').waitFor();
  await anim.context().close();
  return done(admin, 'francais');
});

test('compositeur : {date} dit le jour, « samedi {date} » signalé', async () => {
  const admin = await newPage(ADMIN);
  /* the next Saturday, 14:00 */
  let days = 1;
  while (new Date(Date.now() + days * 86400000).getDay() !== 6) days++;
  const ev = await must(admin, 'POST', '/events', { title: 'Repair café ' + U, starts_at: await isoIn(admin, days, 14) });
  const d = new Date(Date.now() + days * 86400000);
  const said = d.toLocaleDateString('fr-FR', { weekday: 'long', day: 'numeric', month: 'long' });
  await go(admin, `#/campagnes/nouvelle?atelier=${ev.id}`);
  await admin.getByText('{date} : ' + said).waitFor();
  await admin.getByLabel('Texte').fill('Repair café samedi {date} à {heure}.');
  await admin.getByText('{date} dit déjà le jour : « samedi {date} » donnerait « samedi ' + said + ' ». Écrivez seulement {date}.').waitFor();
  await admin.getByLabel('Texte').fill('Repair café {date} à {heure}.');
  await admin.getByText('{date} dit déjà le jour').waitFor({ state: 'detached' });
  return done(admin, 'date');
});

test('compteur : l\u2019émoji nommé, le nombre de SMS de l\u2019aperçu, une variable mal fermée', async () => {
  const admin = await newPage(ADMIN);
  const c = await must(admin, 'POST', '/contacts', { first_name: 'Lina' + U, last_name: 'Compteur', phone: newPhone() });
  const title = 'Atelier au titre assez long ' + U;
  const ev = await must(admin, 'POST', '/events', { title, starts_at: await isoIn(admin, 9, 10), contact_ids: [c.id] });
  await go(admin, `#/campagnes/nouvelle?atelier=${ev.id}`);
  const body = admin.getByLabel('Texte');
  await body.fill('Bonjour 😀 à samedi');
  await admin.locator('#counter').getByText('😀 oblige à envoyer en Unicode').waitFor();
  /* 68 units as typed, 2 SMS once {atelier} is the title: the counter says what the preview says */
  await body.fill('😀 ' + 'x'.repeat(55) + ' {atelier}');
  await admin.locator('#counter').getByText(/ · 2 SMS · /).waitFor();
  await admin.getByRole('button', { name: 'Aperçu', exact: true }).click();
  const sample = admin.locator('#preview .sample').first();
  await sample.waitFor();
  expect(await sample.getAttribute('data-parts') === '2', 'the preview says 2 SMS');
  /* a variable left open, an unknown one */
  await body.fill('Bonjour, {centre vous invite.');
  await admin.getByText('« {centre » n\u2019est pas fermé : écrivez {centre}.').waitFor();
  await body.fill('Bonjour {prenon}.');
  await admin.getByText('{prenon} n\u2019est pas une variable connue : choisissez-en une avec les boutons.').waitFor();
  return done(admin, 'compteur');
});

test('compteur annoncé poliment : une fois la frappe arrêtée, pas à chaque touche', async () => {
  const admin = await newPage(ADMIN);
  await go(admin, '#/campagnes/nouvelle');
  const live = admin.locator('#counter-live');
  expect(await live.getAttribute('aria-live') === 'polite', 'the counter\u2019s live region is polite');
  expect(await admin.locator('#counter').getAttribute('aria-live') === null, 'the counter shown at each key is not announced');
  await admin.evaluate(() => {
    window.liveChanges = 0;
    new MutationObserver(() => { window.liveChanges++; }).observe(document.getElementById('counter-live'),
      { childList: true, characterData: true, subtree: true });
  });
  await admin.getByLabel('Texte').click();
  await admin.keyboard.type('Bonjour à tous', { delay: 60 });
  const during = await admin.evaluate(() => window.liveChanges);
  expect(during === 0, 'not rewritten while typing: ' + during);
  await admin.waitForFunction(() => window.liveChanges > 0);
  await sleep(1500);
  const after = await admin.evaluate(() => window.liveChanges);
  expect(after <= 2, 'said once the typing stopped: ' + after);
  expect(/14 caractères · 1 SMS/.test(await live.innerText()), 'it says the count: ' + await live.innerText());
  return done(admin, 'compteur-poli');
});

test('navigation : pas de cadre noir sur la page, une icône d\u2019onglet', async () => {
  const admin = await newPage(ADMIN);
  await admin.getByRole('link', { name: 'Contacts', exact: true }).focus();
  await admin.evaluate(() => { document.body.dataset.ready = ''; });
  await admin.keyboard.press('Enter');
  await admin.waitForSelector('body[data-ready="#/contacts"]');
  const outline = await admin.evaluate(() => {
    const el = document.activeElement, s = getComputedStyle(el);
    return { id: el.id, style: s.outlineStyle, width: s.outlineWidth };
  });
  expect(outline.style === 'none' || outline.width === '0px', 'no frame around the page: ' + JSON.stringify(outline));
  const icon = await admin.evaluate(async () => {
    const link = document.querySelector('link[rel~="icon"]');
    if (!link) return null;
    const r = await fetch(link.href);
    return { status: r.status, type: r.headers.get('Content-Type'), svg: (await r.text()).includes('<svg') };
  });
  expect(icon && icon.status === 200 && /image\/svg\+xml/.test(icon.type) && icon.svg, 'an SVG favicon: ' + JSON.stringify(icon));
  return done(admin, 'navigation');
});

