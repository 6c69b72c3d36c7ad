// What a first walk-through of the panel found: Arabic in every box,
// an animateur's contacts (their groups, a form they cannot save), numbers
// as people write them, a session closed elsewhere, the emoji in the
// counter, French wording, and the lists on a 390x844 phone.  Each test
// makes its own data (numbers 06 12 35 0x xx, names with U).
import { join } from 'node:path';
import { ADMIN, ANIM, SHOTS, newPage, go, expect, test, sleep } from './harness.mjs';

const U = 'F' + Date.now().toString(36).slice(-4);

/* The API as the user of page (its cookie and CSRF token); throws on an error status. */
async function must(page, method, path, body) {
  const r = await page.evaluate(async ([m, p, b]) => {
    const headers = { 'Content-Type': 'application/json' };
    if (m !== 'GET') headers['X-CSRF-Token'] = sessionStorage.getItem('rappel.csrf');
    const res = await fetch('/api/v1' + p, { method: m, headers, body: b === null ? undefined : JSON.stringify(b) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }, [method, path, body === undefined ? null : body]);
  expect(r.status >= 200 && r.status < 300, method + ' ' + path + ': ' + r.status + ' ' + JSON.stringify(r.json));
  return r.json;
}
/* ISO time in n days at hh:00, in the browser's zone. */
const isoIn = (page, days, hh) => page.evaluate(([d, h]) => {
  const x = new Date(Date.now() + d * 86400000);
  const p = (n) => String(n).padStart(2, '0');
  return localToIso(x.getFullYear() + '-' + p(x.getMonth() + 1) + '-' + p(x.getDate()) + 'T' + p(h) + ':00');
}, [days, hh]);
async function done(page, name) {
  await page.screenshot({ path: join(SHOTS, 'fixes-' + name + '.png'), fullPage: true });
  await page.context().close();
  return null;
}
const dirOf = (loc) => loc.evaluate((el) => getComputedStyle(el).direction);
/* The text of el's own lines: one top per line. */
const lines = (loc) => loc.evaluate((el) => {
  const r = document.createRange();
  r.selectNodeContents(el);
  return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
});

test('arabe : de droite à gauche dans les rappels de l\u2019invitation, la réponse, un groupe, la recherche, un proche', async () => {
  const admin = await newPage(ADMIN);
  const arabic = 'تذكير: ورشة الحاسوب غدا';
  const c = await must(admin, 'POST', '/contacts', { first_name: 'Rim' + U, last_name: 'Sens', phone: '06 12 35 00 01' });
  const ev = await must(admin, 'POST', '/events', { title: 'Sens ' + U, starts_at: await isoIn(admin, 4, 10), contact_ids: [c.id] });
  await go(admin, '#/campagnes/nouvelle?atelier=' + ev.id);
  await admin.getByLabel('Message des rappels').fill(arabic);
  expect(await dirOf(admin.getByLabel('Message des rappels')) === 'rtl', 'the reminders\u2019 message is right to left');
  await go(admin, '#/reponses?contact=' + c.id);
  await admin.getByLabel('Répondre').fill(arabic);
  expect(await dirOf(admin.getByLabel('Répondre')) === 'rtl', 'a reply is right to left');
  await go(admin, '#/groupes');
  await admin.getByLabel('Nouveau groupe').fill(arabic);
  expect(await dirOf(admin.getByLabel('Nouveau groupe')) === 'rtl', 'a new group\u2019s name is right to left');
  await go(admin, '#/contacts');
  await admin.getByRole('searchbox', { name: 'Rechercher' }).fill(arabic);
  expect(await dirOf(admin.getByRole('searchbox', { name: 'Rechercher' })) === 'rtl', 'the search is right to left');
  await go(admin, '#/contacts/' + c.id);
  await admin.getByRole('button', { name: 'Ajouter un numéro' }).click();
  await admin.getByLabel('Qui (mère, fils…)').fill('أمها');
  expect(await dirOf(admin.getByLabel('Qui (mère, fils…)')) === 'rtl', 'who a household number is, right to left');
  return done(admin, 'arabe');
});

const A = {};
/* Awa is in a group of the animateur's atelier and in two they may not see. */
async function animateurContact() {
  if (A.awa) return A;
  const admin = await newPage(ADMIN);
  const hidden1 = await must(admin, 'POST', '/groups', { name: 'Cours de français ' + U });
  const mine = await must(admin, 'POST', '/groups', { name: 'Mosaïque ' + U });
  const hidden2 = await must(admin, 'POST', '/groups', { name: 'Anglais ' + U });
  const awa = await must(admin, 'POST', '/contacts', { first_name: 'Awa' + U, last_name: 'Groupes', phone: '06 12 35 00 02',
    group_ids: [hidden1.id, mine.id, hidden2.id] });
  const users = await must(admin, 'GET', '/users');
  await must(admin, 'POST', '/events', { title: 'Mosaïque ' + U, starts_at: await isoIn(admin, 5, 10),
    owner_id: users.find((u) => u.login === ANIM[0]).id, group_ids: [mine.id] });
  await admin.context().close();
  Object.assign(A, { awa, mine, hidden1, hidden2 });
  return A;
}

test('animateur : dans la liste des contacts, seulement ses groupes, sans virgule en trop', async () => {
  const { awa, mine } = await animateurContact();
  const anim = await newPage(ANIM);
  await go(anim, '#/contacts?q=' + encodeURIComponent('Awa' + U));
  const row = anim.getByRole('row').filter({ has: anim.getByRole('link', { name: 'Awa' + U + ' Groupes' }) });
  await row.waitFor();
  const groups = (await row.locator('td').nth(2).innerText()).trim();
  expect(groups === 'Mosaïque ' + U, 'only the group they may see, nothing of the others: « ' + groups + ' »');
  expect(awa.group_ids.length === 3 && mine.id, 'Awa is in three groups');
  return done(anim, 'animateur-groupes');
});

test('animateur : la fiche d\u2019un contact se lit, ne se modifie pas, et dit pourquoi', async () => {
  const { awa } = await animateurContact();
  const anim = await newPage(ANIM);
  await go(anim, '#/contacts/' + awa.id);
  await anim.getByText('Seul un référent ou un administrateur peut modifier ce contact.').waitFor();
  expect(await anim.getByLabel('Prénom').inputValue() === 'Awa' + U, 'the contact is shown');
  for (const name of ['Prénom', 'Nom', 'Téléphone', 'Langue', 'Notes']) {
    expect(!(await anim.getByLabel(name, { exact: true }).isEditable()), name + ' cannot be changed');
  }
  expect(await anim.getByRole('button', { name: 'Enregistrer', exact: true }).count() === 0, 'no Enregistrer that does nothing');
  expect(await anim.getByRole('button', { name: 'Ajouter un numéro' }).count() === 0, 'no number to add');
  await anim.getByRole('button', { name: 'English' }).click();
  await anim.getByText('Only a referent or an administrator can change this contact.').waitFor();
  await anim.getByRole('button', { name: 'Français' }).click();
  /* a référent still changes it */
  const admin = await newPage(ADMIN);
  await go(admin, '#/contacts/' + awa.id);
  expect(await admin.getByLabel('Prénom').isEditable(), 'an admin changes it');
  expect(await admin.getByText('Seul un référent').count() === 0, 'and is not told otherwise');
  await admin.context().close();
  return done(anim, 'animateur-fiche');
});

test('numéros : la fiche et l\u2019avertissement les écrivent comme on les écrit ; un fixe dit qu\u2019il ne reçoit pas de SMS', async () => {
  const admin = await newPage(ADMIN);
  await go(admin, '#/contacts/nouveau');
  await admin.getByLabel('Prénom').fill('Lucie' + U);
  await admin.getByLabel('Nom', { exact: true }).fill('Fixe');
  await admin.getByLabel('Téléphone').fill('+33321445566');
  await admin.getByRole('button', { name: 'Enregistrer' }).click();
  await admin.locator('#toast').getByText('03 21 44 55 66 : Ce numéro est un fixe : il ne peut pas recevoir de SMS.').waitFor();
  expect(!(await admin.locator('#toast').innerText()).includes('+33'), 'no +33 in the warning');
  const fixe = (await must(admin, 'GET', '/contacts?q=' + encodeURIComponent('Lucie' + U)))[0];
  await go(admin, '#/contacts/' + fixe.id);
  expect(await admin.getByLabel('Téléphone').inputValue() === '03 21 44 55 66', 'the form shows 03 21 44 55 66: ' +
    await admin.getByLabel('Téléphone').inputValue());
  await admin.getByText('fixe : ne reçoit pas de SMS').waitFor();
  /* a mobile: its number the same way, no such sentence, and saved as it is shown */
  const mob = await must(admin, 'POST', '/contacts', { first_name: 'Marc' + U, last_name: 'Mobile', phone: '+33612350003', notes: '' });
  await go(admin, '#/contacts/' + mob.id);
  expect(await admin.getByLabel('Téléphone').inputValue() === '06 12 35 00 03', 'a mobile as people write it');
  expect(await admin.getByText('ne reçoit pas de SMS').count() === 0, 'a mobile gets SMS');
  await admin.getByLabel('Notes').fill('Préfère le matin');
  await admin.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await admin.locator('#toast').getByText('Contact enregistré.').waitFor();
  const again = await must(admin, 'GET', '/contacts/' + mob.id);
  expect(again.phone === '+33612350003' && again.notes === 'Préfère le matin', 'saved with its number: ' + JSON.stringify(again.phone));
  /* a foreign number: as the lists show it */
  const uk = await must(admin, 'POST', '/contacts', { first_name: 'Tom' + U, last_name: 'Londres', phone: '+447911123456' });
  await go(admin, '#/contacts?q=' + encodeURIComponent('Tom' + U));
  const shown = (await admin.getByRole('row').filter({ hasText: 'Tom' + U }).locator('td').nth(1).innerText()).trim();
  await go(admin, '#/contacts/' + uk.id);
  expect(await admin.getByLabel('Téléphone').inputValue() === shown, 'a foreign number as the list shows it: ' + shown);
  return done(admin, 'numeros');
});

test('session fermée ailleurs : le bandeau est vidé, le formulaire de connexion dit pourquoi', async () => {
  const admin = await newPage(ADMIN);
  const login = 'sophie-' + U.toLowerCase();
  const u = await must(admin, 'POST', '/users', { login, password: 'mot-de-passe-de-sophie', role: 'referent' });
  const sophie = await newPage([login, 'mot-de-passe-de-sophie']);
  await sophie.getByText(login + ' (référent)').waitFor();
  await must(admin, 'PATCH', '/users/' + u.id, { password: 'mot-de-passe-remis-9' });
  await admin.context().close();
  /* she clicks in her open tab */
  await sophie.evaluate(() => { document.body.dataset.ready = ''; });
  await sophie.getByRole('link', { name: 'Contacts', exact: true }).click();
  await sophie.waitForSelector('body[data-ready="#/connexion"]');
  await sophie.getByText('Votre session a été fermée : reconnectez-vous.').waitFor();
  expect(!(await sophie.locator('#top').isVisible()), 'no header over the sign-in form');
  expect(await sophie.getByRole('button', { name: 'Déconnexion' }).count() === 0, 'no « Déconnexion »');
  expect(await sophie.getByText(login + ' (référent)').count() === 0, 'no user name');
  expect(await sophie.getByRole('navigation', { name: 'Menu principal' }).getByRole('link').count() === 0, 'no menu');
  await sophie.getByLabel('Identifiant').fill(login);
  await sophie.getByLabel('Mot de passe').fill('mot-de-passe-remis-9');
  await sophie.getByRole('button', { name: 'Se connecter' }).click();
  /* back on the page she asked for */
  await sophie.waitForSelector('body[data-ready="#/contacts"]');
  await sophie.getByText(login + ' (référent)').waitFor();
  expect(await sophie.getByText('Votre session a été fermée').count() === 0, 'said no more once signed in');
  /* in English too */
  await sophie.getByRole('button', { name: 'Déconnexion' }).click();
  await sophie.waitForSelector('body[data-ready="#/connexion"]');
  expect(await sophie.getByText('Votre session a été fermée').count() === 0, 'not said after « Déconnexion »');
  expect(!(await sophie.locator('#top').isVisible()), 'no header after « Déconnexion »');
  return done(sophie, 'session-fermee');
});

test('compteur : l\u2019émoji compte pour 2, et le dit ; le nombre de SMS est celui de l\u2019aperçu', async () => {
  const admin = await newPage(ADMIN);
  const c = await must(admin, 'POST', '/contacts', { first_name: 'Emma' + U, last_name: 'Emoji', phone: '06 12 35 00 04' });
  const ev = await must(admin, 'POST', '/events', { title: 'Emoji ' + U, starts_at: await isoIn(admin, 6, 10), contact_ids: [c.id] });
  await go(admin, '#/campagnes/nouvelle?atelier=' + ev.id);
  await admin.getByLabel('Texte').fill('a'.repeat(69) + '😀');
  const counter = admin.locator('#counter');
  await counter.getByText(/2 SMS/).waitFor();
  await sleep(1200);	/* the server's count once typing pauses */
  const said = await counter.innerText();
  expect(/^70 caractères \(😀 compte pour 2\) · 2 SMS · /.test(said), 'the emoji said to count for 2: ' + said);
  await admin.getByRole('button', { name: 'Aperçu', exact: true }).click();
  const sample = admin.locator('#preview .sample').first();
  await sample.waitFor();
  expect(await sample.getAttribute('data-parts') === await counter.getAttribute('data-parts'), 'the counter says the preview\u2019s number of SMS');
  /* 69 characters with the emoji: 70 units, one SMS */
  await admin.getByLabel('Texte').fill('a'.repeat(68) + '😀');
  await counter.getByText(/^69 caractères \(😀 compte pour 2\) · 1 SMS · reste 0 /).waitFor();
  return done(admin, 'compteur-emoji');
});

test('français : « Aucune personne à… », « partent dans un instant », « 1 personne »', async () => {
  const admin = await newPage(ADMIN);
  /* nobody to call for a session with no invitee */
  const empty = await must(admin, 'POST', '/events', { title: 'Vide ' + U, starts_at: await isoIn(admin, 3, 10) });
  await go(admin, '#/appels/' + empty.id);
  await admin.getByText('Aucune personne à appeler.', { exact: true }).waitFor();
  /* nobody to chase by SMS: the one without an answer has a landline only */
  const fixe = await must(admin, 'POST', '/contacts', { first_name: 'Gilles' + U, last_name: 'Fixe', phone: '03 21 44 55 67' });
  const ev = await must(admin, 'POST', '/events', { title: 'Relance ' + U, starts_at: await isoIn(admin, 3, 14), contact_ids: [fixe.id] });
  await go(admin, '#/ateliers/' + ev.id);
  await admin.locator('#unanswered').getByRole('button', { name: 'Relancer' }).click();
  await admin.locator('#chase').getByText('Aucune personne à relancer par SMS.', { exact: true }).waitFor();
  /* one person reads French: « 1 personne », no « (s) » */
  const g = await must(admin, 'POST', '/groups', { name: 'Un seul ' + U, contact_ids: [fixe.id] });
  const mob = await must(admin, 'POST', '/contacts', { first_name: 'Nina' + U, last_name: 'Seule', phone: '06 12 35 00 05', group_ids: [g.id] });
  const camp = await must(admin, 'POST', '/campaigns', { name: 'Seule ' + U, body: 'Bonjour', audience: { group_ids: [g.id] } });
  await go(admin, '#/campagnes/' + camp.id);
  const texts = await admin.locator('#texts').innerText();
  expect(texts.includes('français · 1 personne') && !texts.includes('(s)'), 'one person, singular: ' + texts);
  expect(mob.id, 'Nina is a recipient');
  /* five messages about to leave: they « partent » */
  await admin.route('**/api/v1/status', async (route) => {
    const res = await route.fetch();
    const s = await res.json();
    s.queue.queued = 5;
    s.queue.waiting = { reason: 'next', until: null };
    await route.fulfill({ response: res, json: s });
  });
  await go(admin, '#/tableau');
  await admin.locator('#main .waiting').getByText('5 messages en attente — partent dans un instant.').waitFor();
  await admin.unroute('**/api/v1/status');
  const all = await admin.evaluate(() => document.getElementById('main').innerText);
  expect(!/\(s\)/.test(all), 'no « (s) » on the dashboard');
  return done(admin, 'francais');
});

test('téléphone 390x844 : la colonne SMS des contacts et la réponse des destinataires à l\u2019écran, numéros sur une ligne', async () => {
  const admin = await newPage(ADMIN);
  const g = await must(admin, 'POST', '/groups', { name: 'Groupe au nom assez long pour un téléphone ' + U });
  const c = await must(admin, 'POST', '/contacts', { first_name: 'Bernadette' + U, last_name: 'Longuenom-Delatour',
    phone: '06 12 35 00 06', group_ids: [g.id] });
  const camp = await must(admin, 'POST', '/campaigns', { name: 'Téléphone ' + U, body: 'Bonjour, venez-vous ?', ask_reply: true,
    audience: { group_ids: [g.id] } });
  await admin.setViewportSize({ width: 390, height: 844 });
  await go(admin, '#/contacts?q=' + encodeURIComponent('Bernadette' + U));
  const row = admin.getByRole('row').filter({ has: admin.getByRole('link', { name: 'Bernadette' + U + ' Longuenom-Delatour' }) });
  const sms = row.getByText('oui', { exact: true });
  const box = await sms.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 390, 'the SMS column is on the screen: ' + JSON.stringify(box));
  const number = row.getByText('06 12 35 00 06', { exact: true });
  expect(await lines(number) === 1, 'the number on one line: ' + await lines(number) + ' lines');
  const wide = await admin.evaluate(() => document.documentElement.scrollWidth);
  expect(wide <= 390, 'no sideways scrolling: ' + wide);
  await admin.screenshot({ path: join(SHOTS, 'fixes-contacts-telephone.png'), fullPage: true });
  await go(admin, '#/campagnes/' + camp.id);
  const who = admin.locator('#recipients').getByRole('row').filter({ hasText: 'Bernadette' + U });
  const answer = who.locator('td').nth(3);
  const abox = await answer.boundingBox();
  expect(abox && abox.x >= 0 && abox.x + abox.width <= 390, 'the answer is on the screen: ' + JSON.stringify(abox));
  expect(await lines(who.getByText('06 12 35 00 06', { exact: true })) === 1, 'the number on one line');
  expect(c.id, 'the contact exists');
  return done(admin, 'destinataires-telephone');
});
