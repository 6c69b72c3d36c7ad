// The pages that show what people need (issue 23): a campaign's texts,
// recipients, next sends and answers; an invitation with its reminders;
// an answer for the whole cycle; a contact's history.
import { sleep, inject, submitted, newPage, go, axe, expect, test, state, ADMIN } from './harness.mjs';

const P = {};
const call = (page, method, path, body) => page.evaluate(([m, p, b]) => api(m, p, b), [method, path, body]);
const localAt = (days, hhmm) => {
  const d = new Date(Date.now() + days * 86400000);
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0') + 'T' + hhmm;
};
/* a weekly atelier of n sessions for the group, its first session in `days` days at 14:00 */
async function atelier(page, title, group, days, n) {
  /* 14:00 where the centre is (the browser's time zone), not where node runs */
  const [starts, ends] = await page.evaluate(([a, b]) => [localToIso(a), localToIso(b)], [localAt(days, '14:00'), localAt(days, '16:00')]);
  return call(page, 'POST', '/events', { title, place: 'Salle 3', starts_at: starts, ends_at: ends,
    rrule: 'FREQ=WEEKLY;COUNT=' + n, group_ids: [group] });
}
/* waits until the simulated network got an SMS to `to` that starts with `text` */
async function received(to, text) {
  for (let i = 0; i < 300; i++) {
    if (submitted().some((s) => s.to === to && s.text.startsWith(text))) return;
    await sleep(100);
  }
  throw new Error('no SMS to ' + to + ' starting with ' + text);
}
/* goes to hash again until the locator shows (the router decides in the background) */
async function until(page, hash, locate) {
  for (let i = 0; i < 100; i++) {
    await go(page, hash);
    if (await locate().count() > 0) return;
    await sleep(200);
  }
  throw new Error(hash + ': not shown');
}

test('pages : la campagne montre ses textes par langue, ses destinataires, ses envois et les OUI/NON', async () => {
  const page = state.pages = await newPage(ADMIN);
  /* earlier tests may have narrowed the sending hours: these tests send at once */
  await call(page, 'PATCH', '/settings', { hours: '00:00-24:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
  const g = await call(page, 'POST', '/groups', { name: 'Couture Pages' });
  P.group = g.id;
  P.nadia = (await call(page, 'POST', '/contacts', { first_name: 'Nadia', last_name: 'Couture', phone: '06 12 34 57 91',
    language: 'fr', group_ids: [g.id] })).id;
  P.karim = (await call(page, 'POST', '/contacts', { first_name: 'Karim', last_name: 'Couture', phone: '06 12 34 57 92',
    language: 'ar', group_ids: [g.id] })).id;
  const e = await atelier(page, 'Atelier couture', g.id, 3, 4);
  P.event = e.id;
  const c = await call(page, 'POST', '/campaigns', { name: 'Invitation couture', audience: { event_id: e.id }, ask_reply: true,
    body: 'Bonjour {prenom}, atelier couture {date}. Répondez OUI ou NON.',
    bodies: { ar: 'مرحبا {prenom}، ورشة الخياطة {date}. أجيبوا OUI أو NON' }, schedule: { at: new Date().toISOString() } });
  await call(page, 'POST', '/campaigns/' + c.id + '/schedule');
  await received('+33612345791', 'Bonjour Nadia, atelier couture');
  await received('+33612345792', 'مرحبا Karim');
  await inject('+33612345791', 'OUI');
  await inject('+33612345792', 'non');
  await until(page, '#/campagnes/' + c.id, () => page.locator('#answers').getByText('Non 1'));
  /* the text each language gets, the Arabic one right to left */
  const texts = page.locator('#texts');
  await texts.getByText('français').waitFor();
  await texts.getByText(/^Bonjour Nadia, atelier couture .*\. Répondez OUI ou NON\.$/).waitFor();
  const ar = texts.locator('[lang="ar"]');
  expect(await ar.getAttribute('dir') === 'auto', 'the Arabic text has dir=auto');
  expect((await ar.textContent()).startsWith('مرحبا Karim'), 'the Arabic text is shown as sent');
  /* recipients: names beside numbers written as people write them, with their answer */
  const who = page.locator('#recipients');
  await who.getByRole('row', { name: /Nadia Couture.*06 12 34 57 91.*Oui/ }).waitFor();
  await who.getByRole('row', { name: /Karim Couture.*06 12 34 57 92.*Non/ }).waitFor();
  await page.locator('#answers').getByText('Oui 1').waitFor();
  await page.locator('#answers').getByText('Non 1').waitFor();
  /* a reminder campaign says when it next goes */
  const r = await call(page, 'POST', '/campaigns', { name: 'Rappel couture', audience: { event_id: e.id },
    body: 'Rappel : couture {date} à {heure}.', schedule: { before_event: ['-1d@18:00'] } });
  await call(page, 'POST', '/campaigns/' + r.id + '/schedule');
  await go(page, '#/campagnes/' + r.id);
  const eve = new Date(localAt(2, '18:00'));
  const day = eve.toLocaleDateString('fr-FR', { weekday: 'long', day: 'numeric', month: 'long' });
  await page.locator('#sends').getByText('la veille à 18h').waitFor();
  await page.locator('#sends').getByText('prochain envoi : ' + day + ' à 18 h').waitFor();
  await axe(page, 'page de campagne');
  return page;
});

test('pages : une invitation et ses rappels dans le même formulaire, ensemble sur sa page', async () => {
  const page = state.pages;
  await go(page, '#/campagnes/nouvelle?atelier=' + P.event);
  await page.getByLabel('Nom', { exact: true }).fill('Invitation couture 2');
  await page.getByLabel('Texte', { exact: true }).fill('Bonjour {prenom}, atelier couture {date}. Répondez OUI ou NON.');
  await page.getByLabel('Envoi').selectOption('at');
  await page.getByLabel('Date et heure').fill(localAt(1, '10:00'));
  const reminders = page.getByRole('group', { name: 'Rappels de l\u2019invitation' });
  await reminders.getByLabel('la veille à 18h').check();
  await reminders.getByLabel('le jour même à 9h').check();
  await page.getByLabel('Message des rappels').fill('Rappel : couture {date} à {heure}, {lieu}.');
  await axe(page, 'invitation et rappels');
  /* kept as a draft, then scheduled from its page: the reminders with it */
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await page.getByRole('heading', { name: 'Invitation couture 2' }).waitFor();
  const id = page.url().match(/campagnes\/(\d+)/)[1];
  const sends = page.locator('#sends');
  await sends.getByText('pas encore programmée').first().waitFor();
  await page.getByRole('button', { name: 'Programmer' }).click();
  await page.getByText('Campagne programmée.').waitFor();
  await go(page, '#/campagnes/' + id);
  await sends.getByText('invitation', { exact: true }).waitFor();
  await sends.getByText('la veille à 18h').waitFor();
  await sends.getByText('le jour même à 9h').waitFor();
  const eve = new Date(localAt(2, '18:00'));
  await sends.getByText('prochain envoi : ' + eve.toLocaleDateString('fr-FR', { weekday: 'long', day: 'numeric', month: 'long' }) + ' à 18 h').waitFor();
  await page.locator('#texts').getByText(/^Rappel : couture .* à 14h, Salle 3\.$/).first().waitFor();
  /* the reminders are programmed with the invitation */
  const list = await call(page, 'GET', '/campaigns?event_id=' + P.event);
  const rem = list.find((c) => c.invitation_id === Number(id));
  expect(rem && rem.status === 'scheduled', 'the reminders are a scheduled campaign tied to the invitation');
  await go(page, '#/campagnes/' + rem.id);
  await page.getByRole('link', { name: 'Invitation couture 2' }).waitFor();
  /* the invitation cancelled, its reminders stop with it */
  await go(page, '#/campagnes/' + id);
  await page.getByRole('button', { name: 'Annuler' }).click();
  await page.getByText('Statut : annulée').waitFor();
  expect((await call(page, 'GET', '/campaigns/' + rem.id)).status === 'cancelled', 'the reminders are cancelled too');
  await go(page, '#/campagnes/' + id);
  return page;
});

test('pages : une réponse qui vaut pour toutes les séances du cycle', async () => {
  const page = state.pages;
  const g = await call(page, 'POST', '/groups', { name: 'Cycle Pages' });
  await call(page, 'POST', '/contacts', { first_name: 'Lina', last_name: 'Cycle', phone: '06 12 34 57 93', language: 'fr', group_ids: [g.id] });
  const e = await atelier(page, 'Cycle tricot', g.id, 2, 3);
  await go(page, '#/campagnes/nouvelle?atelier=' + e.id);
  await page.getByLabel('Nom', { exact: true }).fill('Invitation tricot');
  await page.getByLabel('Texte', { exact: true }).fill('Bonjour {prenom}, cycle tricot de 3 séances. Répondez OUI ou NON.');
  await page.getByLabel('toutes les séances du cycle').check();
  await page.getByLabel('Envoi').selectOption('now');
  await page.getByRole('button', { name: 'Programmer' }).click();
  await page.getByRole('heading', { name: 'Invitation tricot' }).waitFor();
  await received('+33612345793', 'Bonjour Lina');
  await inject('+33612345793', 'OUI');
  const occ = await call(page, 'GET', '/events/' + e.id + '/occurrences?from=' + localAt(0, '').slice(0, 10) + '&to=' + localAt(30, '').slice(0, 10));
  expect(occ.length === 3, 'three sessions, got ' + occ.length);
  await until(page, '#/ateliers/' + e.id + '?seance=' + occ[0].occurrence, () => page.locator('#counts').getByText('Oui 1'));
  for (const o of occ) {
    await go(page, '#/ateliers/' + e.id + '?seance=' + o.occurrence);
    await page.locator('#counts').getByText('Oui 1').waitFor();
    expect(await page.getByLabel('Réponse de Lina').inputValue() === 'yes', 'Lina comes to session ' + o.occurrence);
  }
  return page;
});

test('pages : la fiche d\u2019un contact montre ses messages, ses réponses et ses ateliers, les plus récents d\u2019abord', async () => {
  const page = state.pages;
  await go(page, '#/contacts/' + P.nadia);
  const hist = page.locator('#history');
  await hist.getByRole('heading', { name: 'Historique' }).waitFor();
  const items = hist.locator('li');
  await items.filter({ hasText: /Bonjour Nadia, atelier couture/ }).first().waitFor();
  await items.filter({ hasText: 'Réponse « OUI » — comprise : OUI' }).waitFor();
  await items.filter({ hasText: /Atelier couture.*invitation envoyée · a répondu Oui/ }).first().waitFor();
  const all = await items.allTextContents();
  const reply = all.findIndex((x) => x.includes('Réponse « OUI »'));
  const sent = all.findIndex((x) => x.includes('Bonjour Nadia, atelier couture'));
  expect(reply >= 0 && sent >= 0 && reply < sent, 'the reply (later) comes before the message it answers: ' + all.join(' | '));
  await items.filter({ hasText: /Bonjour Nadia, atelier couture.*(envoyé|reçu)/ }).first().waitFor();
  await axe(page, 'fiche contact');
  return page;
});
