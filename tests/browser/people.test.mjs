// The pages that show what people need (issue 23, second half): the
// atelier's list, the inbox, the import and the exports, as a référent
// reads them at 1280x800 and on a 390x844 phone.  The harness is in
// harness.mjs; every test makes its own contacts (numbers 06 12 34 9x xx).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHOTS, sleep, inject, submitted, go, axe, expect, test, state } from './harness.mjs';

const api = (page, method, path, body) => page.evaluate(([m, p, b]) => window.api(m, p, b), [method, path, body]);

/* "2026-12-10T14:00:00+01:00", days from today at hh:00, local time. */
function isoIn(days, hh) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  d.setHours(hh, 0, 0, 0);
  const off = -d.getTimezoneOffset(), a = Math.abs(off), p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:00:00` +
    `${off >= 0 ? '+' : '-'}${p(Math.floor(a / 60))}:${p(a % 60)}`;
}

/* A group, its contacts ([first, last, phone, extra]) and an atelier tomorrow inviting it. */
async function atelierWith(page, name, people) {
  const g = await api(page, 'POST', '/groups', { name });
  const ids = [];
  for (const [first, last, phone, extra] of people) {
    ids.push((await api(page, 'POST', '/contacts', Object.assign({ first_name: first, last_name: last, phone,
      group_ids: [g.id] }, extra || {}))).id);
  }
  const ev = await api(page, 'POST', '/events', { title: name, place: 'Salle 2', starts_at: isoIn(1, 14),
    ends_at: isoIn(1, 16), group_ids: [g.id] });
  return { ev, ids };
}

async function until(what, cond) {
  for (let i = 0; i < 150; i++) { if (await cond()) return; await sleep(200); }
  throw new Error('timed out: ' + what);
}

/* The page on a phone: a 390x844 viewport, back to the desktop after fn. */
async function onPhone(page, fn) {
  const was = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  try { return await fn(); } finally { await page.setViewportSize(was); }
}

test('atelier : STOP et fixe seulement dits, numéros lisibles, Présent sur un téléphone', async () => {
  const page = state.admin;
  const { ev } = await atelierWith(page, 'Tricot P1', [
    ['Léon', 'Arrêt', '06 12 34 90 01', { opted_out: true }],
    ['Lina', 'Fixe', '03 21 44 90 02'],
    ['Ali', 'Mobile', '06 12 34 90 03']]);
  await go(page, '#/ateliers/' + ev.id);
  const row = (name) => page.getByRole('row').filter({ hasText: name });
  await row('Léon Arrêt').getByText('a demandé STOP').waitFor();
  await row('Lina Fixe').getByText('fixe seulement').waitFor();
  await row('Ali Mobile').getByText('06 12 34 90 03').waitFor();
  await page.locator('#unanswered').getByText('Ali Mobile · 06 12 34 90 03').waitFor();
  expect(await row('Lina Fixe').getByText('03 21 44 90 02').count() === 1, 'the landline as people write it');
  await axe(page, 'atelier, STOP et fixe');
  await onPhone(page, async () => {
    await go(page, '#/ateliers/' + ev.id);
    const box = await page.getByLabel('Présent : Ali').boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390, 'the Présent box is on the screen: ' + JSON.stringify(box));
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wide <= 390, 'no sideways scrolling on a phone: ' + wide);
    await page.getByLabel('Présent : Ali').check();
    await page.waitForFunction(() => document.body.dataset.ready === location.hash.split('?')[0]);
    await page.locator('#counts').getByText('Présents 1').waitFor();
    await page.screenshot({ path: join(SHOTS, 'atelier-telephone.png'), fullPage: true });
  });
  return page;
});

test('messages : le nom à côté du numéro, écrit comme on l\u2019écrit', async () => {
  const page = state.admin;
  const c = await api(page, 'POST', '/contacts', { first_name: 'Odile', last_name: 'Message', phone: '06 12 34 90 05' });
  await api(page, 'POST', '/messages', { contact_id: c.id, body: 'Bonjour Odile, test P2.' });
  await go(page, '#/messages');
  const row = page.getByRole('row').filter({ hasText: 'test P2' });
  await row.getByText('Odile Message').waitFor();
  await row.getByText('06 12 34 90 05').waitFor();
  /* and the contacts' list */
  await go(page, '#/contacts?q=Odile');
  await page.getByRole('row').filter({ hasText: 'Odile Message' }).getByText('06 12 34 90 05').waitFor();
  return page;
});

/* An invitation that asks OUI/NON with its thanks, sent to the atelier's people. */
async function invite(page, ev, numbers) {
  const c = await api(page, 'POST', '/campaigns', { name: 'Invitation ' + ev.title, body: 'Venez-vous ? Répondez OUI ou NON.',
    audience: { event_id: ev.id }, schedule: { at: new Date().toISOString() }, ask_reply: true,
    ack_body: 'Merci, c\u2019est noté ! {centre}' });
  await api(page, 'POST', '/campaigns/' + c.id + '/schedule');
  await until('the invitations', () => numbers.every((n) => submitted().some((s) => s.to === n && s.text.startsWith('Venez-vous'))));
  await sleep(1100);	/* people read before they answer: a later second */
}
const thanked = (n) => submitted().filter((s) => s.to === n && s.text.startsWith('Merci')).length;
const repliesFrom = async (page, n) => (await api(page, 'GET', '/replies')).filter((r) => r.from === n && r.intent);

/* fn with SMS sent at any hour and on any day (earlier tests narrow them), then the settings as they were. */
async function sendingAlways(page, fn) {
  const was = await api(page, 'GET', '/settings');
  await api(page, 'PATCH', '/settings', { hours: '00:00-24:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
  try { return await fn(); } finally { await api(page, 'PATCH', '/settings', { hours: was.hours, days: was.days }); }
}

test('réponses : un OUI puis « Finalement non », dans l\u2019ordre, à vérifier sur la liste', async () => sendingAlways(state.admin, async () => {
  const page = state.admin;
  const { ev, ids } = await atelierWith(page, 'Couture P3', [['Samir', 'Revient', '06 12 34 90 06'],
    ['Nora', 'Change', '06 12 34 90 07']]);
  await invite(page, ev, ['+33612349006', '+33612349007']);
  await inject('+33612349006', 'OUI');
  await until('the thanks to Samir', () => thanked('+33612349006') === 1);
  await sleep(1100);	/* a later second: the thanks went before he wrote again */
  await inject('+33612349006', 'Finalement non');
  await until('his second reply', async () => (await repliesFrom(page, '+33612349006')).length === 2);
  /* Nora: NON, then OUI */
  await inject('+33612349007', 'NON');
  await until('the thanks to Nora', () => thanked('+33612349007') === 1);
  await sleep(1100);
  await inject('+33612349007', 'OUI');
  await until('her second reply', async () => (await repliesFrom(page, '+33612349007')).length === 2);

  await go(page, '#/reponses?contact=' + ids[0]);
  const conv = page.getByRole('region', { name: 'Conversation' });
  await conv.getByRole('heading', { name: 'Samir Revient' }).getByRole('link', { name: 'Samir Revient' }).waitFor();
  expect(await conv.getByRole('link', { name: 'Samir Revient' }).getAttribute('href') === '#/contacts/' + ids[0], 'the heading links to the contact');
  const texts = await conv.locator('.thread > li').allInnerTexts();
  const at = (s) => texts.findIndex((x) => x.startsWith(s));
  expect(at('OUI\n') > 0 && at('OUI\n') < at('Merci, c') && at('Merci, c') < at('Finalement non'),
    'in the order it happened: ' + JSON.stringify(texts));
  await conv.locator('.thread > li', { hasText: 'Finalement non' }).getByText('à vérifier').waitFor();
  await axe(page, 'conversation');

  await go(page, '#/ateliers/' + ev.id);
  const row = (name) => page.getByRole('row').filter({ hasText: name });
  await row('Samir Revient').getByText('à vérifier').waitFor();
  await row('Nora Change').getByText('a changé d\u2019avis').waitFor();
  expect(await row('Nora Change').getByLabel('Réponse de Nora').inputValue() === 'yes', 'her last answer counts');

  await go(page, '#/reponses?contact=' + ids[1]);
  await page.getByRole('region', { name: 'Conversation' }).locator('.thread > li', { hasText: 'OUI' }).last()
    .getByText('a changé d\u2019avis').waitFor();
  return page;
}));

test('réponses sur un téléphone : la conversation s\u2019ouvre en haut ; un numéro inconnu listé une fois', async () => {
  const page = state.admin;
  await inject('+33612349098', 'Bonjour');
  await inject('+33612349098', 'Vous etes qui svp');
  await inject('+33612349098', 'Allo ?');
  await until('the three replies', async () => (await repliesFrom(page, '+33612349098')).length === 3);
  await go(page, '#/reponses');
  const list = page.getByRole('table', { name: 'Conversations' });
  expect(await list.getByRole('row').filter({ hasText: '06 12 34 90 98' }).count() === 1, 'the unknown number is listed once');
  await onPhone(page, async () => {
    await list.getByRole('link', { name: '06 12 34 90 98' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#/reponses?numero=') && document.body.dataset.ready === '#/reponses');
    const head = page.getByRole('region', { name: 'Conversation' }).getByRole('heading', { name: '06 12 34 90 98' });
    await head.waitFor();
    const box = await head.boundingBox();
    const scroll = await page.evaluate(() => window.scrollY);
    expect(box && box.y - 0 >= 0 && box.y + box.height <= 844, 'the conversation is on the first screen: ' + JSON.stringify(box) + ' scroll ' + scroll);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wide <= 390, 'no sideways scrolling: ' + wide);
    await page.getByRole('link', { name: 'Toutes les conversations' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'reponses-telephone.png') });
  });
  /* the number given to a new contact: one conversation, by her name, with what came before */
  await api(page, 'POST', '/contacts', { first_name: 'Inès', last_name: 'Inconnue', phone: '06 12 34 90 98' });
  await inject('+33612349098', 'Merci beaucoup');
  await until('her fourth reply', async () => (await repliesFrom(page, '+33612349098')).length === 4);
  await go(page, '#/reponses');
  expect(await list.getByRole('row').filter({ hasText: '06 12 34 90 98' }).count() === 1, 'the number is listed once, as hers');
  await list.getByRole('link', { name: 'Inès Inconnue' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#/reponses?contact=') && document.body.dataset.ready === '#/reponses');
  const conv = page.getByRole('region', { name: 'Conversation' });
  await conv.getByText('Merci beaucoup').waitFor();
  await conv.getByText('Bonjour', { exact: true }).waitFor();
  return page;
});

test('import : les lignes créées, les avertissements en clair, un compte par ligne, rien de l\u2019ancien fichier', async () => {
  const page = state.admin;
  await api(page, 'POST', '/contacts', { first_name: 'Paul', last_name: 'Pareil', phone: '06 12 34 90 10' });
  const csv = 'Prénom;Nom;Téléphone;Ville\nZoé;Nouvelle;06 12 34 90 11;Lens\nMarc;Fixe;03 21 44 90 12;Liévin\n' +
    'Paul;Pareil;06 12 34 90 10;Lens\nRien;Numéro;;Lens\n';
  await go(page, '#/contacts/import');
  await page.getByLabel('Fichier', { exact: true }).setInputFiles({ name: 'p4.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
  const created = page.getByRole('table', { name: 'Contacts qui seront créés' });
  await created.getByRole('row').filter({ hasText: 'Zoé' }).getByText('06 12 34 90 11').waitFor();
  expect(await created.getByText('Paul').count() === 0, 'an unchanged contact is not in the new ones');
  await page.getByText('Ligne 3 : numéro fixe').waitFor();
  await page.getByText('La colonne « Ville » ne sera pas importée.').waitFor();
  const counts = page.getByRole('list', { name: 'Ce que fera l\u2019import' });
  const items = await counts.getByRole('listitem').allInnerTexts();
  expect(JSON.stringify(items) === JSON.stringify(['2 créés', '0 mis à jour', '1 inchangé', '1 ligne refusée']),
    'one count a line: ' + JSON.stringify(items));
  await axe(page, 'import, aperçu');
  /* another file: nothing of the first one stays */
  await page.getByLabel('Fichier', { exact: true }).setInputFiles({ name: 'autre.csv', mimeType: 'text/csv',
    buffer: Buffer.from('Prénom;Nom;Téléphone\nIris;Autre;06 12 34 90 13\n') });
  expect(await page.getByRole('button', { name: 'Importer les lignes acceptées' }).count() === 0, 'no button of the first file');
  expect(await page.getByText('Zoé').count() === 0 && await page.getByText('Ligne 3').count() === 0, 'no line of the first file');
  await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
  await page.getByRole('table', { name: 'Contacts qui seront créés' }).getByText('Iris').waitFor();
  return page;
});

test('exports : une période choisie, le nom du fichier la dit, séances passées et à venir séparées', async () => {
  const page = state.admin;
  const { ev } = await atelierWith(page, 'Export P5', [['Eva', 'Export', '06 12 34 90 14']]);
  await go(page, '#/ateliers');
  await page.getByLabel('Du', { exact: true }).fill('2026-09-01');
  await page.getByLabel('Au', { exact: true }).fill('2026-12-31');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Présences (CSV)' }).click()]);
  expect(dl.suggestedFilename() === 'presences-2026-09-01_2026-12-31.csv', 'the file name says the period: ' + dl.suggestedFilename());
  const text = readFileSync(await dl.path(), 'utf8');
  expect(/\r\nSéances passées;/.test(text) && /\r\nSéances à venir;/.test(text), 'past and future totals: ' + text);
  const href = await page.getByRole('link', { name: 'Présences (CSV)' }).getAttribute('href');
  const disp = await page.evaluate(async (u) => (await fetch(u)).headers.get('Content-Disposition'), href);
  expect(disp === 'attachment; filename="presences-2026-09-01_2026-12-31.csv"', 'Content-Disposition: ' + disp);
  /* one atelier's: its own name */
  await go(page, '#/ateliers/' + ev.id);
  await page.getByLabel('Du', { exact: true }).fill('2026-09-01');
  await page.getByLabel('Au', { exact: true }).fill('2026-12-31');
  const [one] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Présences (CSV)' }).click()]);
  expect(one.suggestedFilename() === 'presences-export-p5-2026-09-01_2026-12-31.csv', 'the atelier\u2019s file: ' + one.suggestedFilename());
  return page;
});
