// A cancelled session is announced: the people already invited to it and
// those who said OUI for the whole cycle get an SMS, once each, and the
// page says how many were told (issue 23, "every mistake can be undone").
import { join } from 'node:path';
import { SHOTS, sleep, inject, submitted, newPage, go, expect, test, ADMIN } from './harness.mjs';

/* each test has its own browser context: closed at its end, so that rappeld's 32 connections an address are not used up */
async function done(page, name) {
  await page.screenshot({ path: join(SHOTS, 'seances-' + name + '.png'), fullPage: true });
  await page.context().close();
  return null;
}
const call = (page, method, path, body) => page.evaluate(([m, p, b]) => api(m, p, b), [method, path, body]);
const localAt = (days, hhmm) => {
  const d = new Date(Date.now() + days * 86400000);
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0') + 'T' + hhmm;
};
const sentTo = (to, part) => submitted().filter((s) => s.to === to && s.text.includes(part));
async function received(to, part) {
  for (let i = 0; i < 300; i++) {
    if (sentTo(to, part).length) return sentTo(to, part)[0].text;
    await sleep(100);
  }
  throw new Error('no SMS to ' + to + ' with ' + part);
}

/* Sending at any hour, a group of people ([first, phone]) and a weekly atelier of three sessions in two days inviting it. */
async function atelierFor(page, group, last, people, title, place, hh) {
  await call(page, 'PATCH', '/settings', { hours: '00:00-24:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
  const g = await call(page, 'POST', '/groups', { name: group });
  for (const [first, phone] of people)
    await call(page, 'POST', '/contacts', { first_name: first, last_name: last, phone, group_ids: [g.id] });
  const [starts, ends] = await page.evaluate(([a, b]) => [localToIso(a), localToIso(b)], [localAt(2, String(hh).padStart(2, '0') + ':00'), localAt(2, String(hh + 2).padStart(2, '0') + ':00')]);
  return call(page, 'POST', '/events', { title, place, starts_at: starts, ends_at: ends, rrule: 'FREQ=WEEKLY;COUNT=3', group_ids: [g.id] });
}

test('séance annulée : les invités et ceux qui ont dit OUI pour le cycle sont prévenus, la page dit combien', async () => {
  const page = await newPage(ADMIN);
  const e = await atelierFor(page, 'Annulations', 'Annule', [['Odile', '06 12 34 88 01'], ['Omar', '06 12 34 88 02']],
    'Atelier vélo', 'Cour', 14);
  const c = await call(page, 'POST', '/campaigns', { name: 'Invitation vélo', audience: { event_id: e.id }, ask_reply: true,
    reply_for: 'cycle', body: 'Atelier vélo {date}. Répondez OUI ou NON.', schedule: { at: new Date().toISOString() } });
  await call(page, 'POST', '/campaigns/' + c.id + '/schedule');
  await received('+33612348801', 'Atelier vélo');
  await received('+33612348802', 'Atelier vélo');
  await inject('+33612348801', 'oui');
  const occ = await call(page, 'GET', '/events/' + e.id + '/occurrences');
  const second = occ[1].occurrence;
  for (let i = 0; i < 100; i++) {
    const r = await call(page, 'GET', '/events/' + e.id + '/rsvps?occurrence=' + second);
    if (r.counts.yes === 1) break;
    await sleep(200);
  }
  /* the second session: only Odile, who said OUI for every session, was told of it */
  await go(page, '#/ateliers/' + e.id + '?seance=' + second);
  await page.getByRole('button', { name: 'Annuler la séance' }).click();
  await page.getByText('Séance annulée : 1 personne prévenue par SMS.').waitFor();
  const text = await received('+33612348801', 'la séance est annulée');
  expect(text.startsWith('Atelier vélo du ') && text.endsWith('Veuillez nous excuser pour ce changement. Centre social Jacques Brel'),
    'the centre\u2019s notice, with the session\u2019s date: ' + text);
  await sleep(1500);
  expect(sentTo('+33612348802', 'annulée').length === 0, 'Omar, who did not answer, is not told of the second session');
  /* the first session, which the invitation was about: both, once each */
  await go(page, '#/ateliers/' + e.id + '?seance=' + occ[0].occurrence);
  await page.getByRole('button', { name: 'Annuler la séance' }).click();
  await page.getByText('Séance annulée : 2 personnes prévenues par SMS.').waitFor();
  await received('+33612348802', 'la séance est annulée');
  for (let i = 0; i < 20 && sentTo('+33612348801', 'annulée').length < 2; i++) await sleep(100);
  expect(sentTo('+33612348801', 'annulée').length === 2, 'Odile is told of each of the two sessions once');
  return done(page, 'annulation');
});

test('une campagne dont les SMS attendent un jour d\u2019envoi n\u2019est pas « terminée » et dit quand elle part', async () => {
  const page = await newPage(ADMIN);
  const today = await page.evaluate(() => new Date().getDay());
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].filter((d, i) => i !== today);
  await call(page, 'PATCH', '/settings', { hours: '00:00-24:00', days });
  const p = await call(page, 'POST', '/contacts', { first_name: 'Wanda', last_name: 'Attente', phone: '06 12 34 88 03' });
  const c = await call(page, 'POST', '/campaigns', { name: 'Info du jour sans envoi', audience: { contact_ids: [p.id] },
    body: 'Le centre est ouvert samedi. {centre}', schedule: { at: new Date().toISOString() } });
  await call(page, 'POST', '/campaigns/' + c.id + '/schedule');
  for (let i = 0; i < 100 && (await call(page, 'GET', '/campaigns/' + c.id)).messages.queued !== 1; i++) await sleep(200);
  try {
    await go(page, '#/campagnes/' + c.id);
    const main = page.locator('#main');
    await main.getByText('Statut : en attente d\u2019envoi').waitFor();
    expect(await main.getByText('terminée').count() === 0, 'not « terminée » while its message waits');
    const sends = page.locator('#sends');
    await sends.getByText('n\u2019est pas un jour d\u2019envoi : partira').waitFor();
    expect(await sends.getByText('rien de prévu').count() === 0, 'the send is not « rien de prévu »');
  } finally {
    await call(page, 'PATCH', '/settings', { hours: '00:00-24:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
  }
  /* the day back: it leaves, and the campaign is done */
  await received('+33612348803', 'Le centre est ouvert samedi');
  for (let i = 0; i < 50 && (await call(page, 'GET', '/campaigns/' + c.id)).messages.queued; i++) await sleep(200);
  await go(page, '#/campagnes/' + c.id);
  await page.locator('#main').getByText('Statut : terminée').waitFor();
  return done(page, 'attente');
});

test('inviter par SMS depuis une séance qui n\u2019est pas la prochaine : le SMS et les réponses parlent de celle-là', async () => {
  const page = await newPage(ADMIN);
  const e = await atelierFor(page, 'Séance choisie', 'Choisie', [['Sami', '06 12 34 88 04'], ['Sonia', '06 12 34 88 05']],
    'Atelier jardin', 'Potager', 10);
  const occ = await call(page, 'GET', '/events/' + e.id + '/occurrences');
  const second = occ[1];
  const said = await page.evaluate((at) => new Date(at).toLocaleDateString('fr-FR', { weekday: 'long', day: 'numeric', month: 'long' }), second.starts_at);
  await go(page, '#/ateliers/' + e.id + '?seance=' + second.occurrence);
  await page.getByRole('link', { name: 'Inviter par SMS' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#/campagnes/nouvelle') && document.body.dataset.ready === '#/campagnes/nouvelle');
  const choice = page.getByLabel('Séance', { exact: true });
  await choice.waitFor();
  expect(await choice.inputValue() === String(second.occurrence), 'the session the invitation came from is chosen: ' + await choice.inputValue());
  await page.getByLabel('Nom', { exact: true }).fill('Jardin, deuxième séance');
  await page.getByLabel('Texte', { exact: true }).fill('Atelier jardin {date}. Répondez OUI ou NON. {centre}');
  await page.locator('#date-hint').getByText(said).waitFor();
  await page.getByRole('button', { name: 'Programmer' }).click();
  await page.getByText('Campagne programmée.').waitFor();
  const text = await received('+33612348804', 'Atelier jardin');
  expect(text.includes(said), 'the SMS gives the chosen session\u2019s date (' + said + '): ' + text);
  await inject('+33612348804', 'oui');
  let r;
  for (let i = 0; i < 100; i++) {
    r = await call(page, 'GET', '/events/' + e.id + '/rsvps?occurrence=' + second.occurrence);
    if (r.counts.yes === 1) break;
    await sleep(200);
  }
  expect(r.counts.yes === 1, 'Sami\u2019s OUI is for the chosen session');
  const first = await call(page, 'GET', '/events/' + e.id + '/rsvps?occurrence=' + occ[0].occurrence);
  expect(first.counts.yes === 0, 'and not for the next one');
  return done(page, 'seance-choisie');
});

test('un atelier annulé par erreur se retrouve dans la liste et se rétablit', async () => {
  const page = await newPage(ADMIN);
  const e = await atelierFor(page, 'Rétablis', 'Retour', [['Rémi', '06 12 34 88 06']], 'Atelier poterie', 'Salle 4', 9);
  await go(page, '#/ateliers/' + e.id + '/modifier');
  await page.getByRole('button', { name: 'Annuler l\u2019atelier' }).click();
  await page.getByText('Atelier annulé.').waitFor();
  await page.waitForFunction(() => document.body.dataset.ready === '#/ateliers');
  expect(await page.locator('table').getByRole('link', { name: 'Atelier poterie' }).count() === 0, 'no longer among the ateliers');
  const gone = page.locator('#cancelled-events');
  await gone.locator('summary').click();
  await gone.getByRole('link', { name: 'Atelier poterie' }).click();
  await page.getByText(/Cet atelier a été annulé le .* : ses séances n’ont plus lieu\./).waitFor();
  expect(await page.getByText('Cette séance n\u2019existe pas').count() === 0, 'the page speaks of the atelier, not of a session');
  await page.getByRole('button', { name: 'Rétablir l\u2019atelier' }).click();
  await page.getByText('Atelier rétabli.').waitFor();
  await page.getByRole('button', { name: 'Annuler la séance' }).waitFor();
  await go(page, '#/ateliers');
  await page.locator('table').getByRole('link', { name: 'Atelier poterie' }).waitFor();
  return done(page, 'atelier-retabli');
});

test('une campagne programmée redevient un brouillon pour être corrigée ; une campagne annulée se duplique', async () => {
  const page = await newPage(ADMIN);
  const p = await call(page, 'POST', '/contacts', { first_name: 'Paulette', last_name: 'Corrige', phone: '06 12 34 88 07' });
  const at = await page.evaluate((x) => localToIso(x), localAt(3, '10:00'));
  const c = await call(page, 'POST', '/campaigns', { name: 'Fête de quartier', audience: { contact_ids: [p.id] },
    body: 'Fête de quartier samedi à 15h, place du marché. {centre}', schedule: { at } });
  await call(page, 'POST', '/campaigns/' + c.id + '/schedule');
  await go(page, '#/campagnes/' + c.id);
  await page.getByRole('button', { name: 'Modifier', exact: true }).click();
  await page.waitForFunction((id) => location.hash === '#/campagnes/' + id + '/modifier' &&
    document.body.dataset.ready === location.hash, c.id);
  await page.getByRole('heading', { name: 'Modifier le brouillon' }).waitFor();
  await page.getByLabel('Texte', { exact: true }).fill('Fête de quartier samedi à 16h, place du marché. {centre}');
  await page.getByRole('button', { name: 'Programmer' }).click();
  await page.getByText('Campagne programmée.').waitFor();
  const again = await call(page, 'GET', '/campaigns/' + c.id);
  expect(again.status === 'scheduled' && again.body.includes('16h'), 'the same campaign, corrected and scheduled: ' + again.status + ' ' + again.body);
  /* cancelled, it cannot change, but its copy can */
  await call(page, 'POST', '/campaigns/' + c.id + '/cancel');
  await go(page, '#/campagnes/' + c.id);
  expect(await page.getByRole('button', { name: 'Modifier', exact: true }).count() === 0, 'a cancelled campaign is not changed');
  await page.getByRole('button', { name: 'Dupliquer' }).click();
  await page.getByRole('heading', { name: 'Modifier le brouillon' }).waitFor();
  expect(await page.getByLabel('Nom', { exact: true }).inputValue() === 'Fête de quartier (copie)', 'the copy is named so');
  expect((await page.getByLabel('Texte', { exact: true }).inputValue()).includes('16h'), 'with the corrected text');
  return done(page, 'campagne-corrigee');
});

test('une séance passée ne propose plus d\u2019inviter ni d\u2019annuler ; un brouillon montre ses « Textes à envoyer »', async () => {
  const page = await newPage(ADMIN);
  const [starts, ends] = await page.evaluate(([a, b]) => [localToIso(a), localToIso(b)], [localAt(-2, '14:00'), localAt(-2, '16:00')]);
  const e = await call(page, 'POST', '/events', { title: 'Atelier passé', place: 'Salle 5', starts_at: starts, ends_at: ends,
    rrule: 'FREQ=WEEKLY;COUNT=3' });
  const occ = await call(page, 'GET', '/events/' + e.id + '/occurrences?from=' + localAt(-3, '00:00').slice(0, 10));
  await go(page, '#/ateliers/' + e.id + '?seance=' + occ[0].occurrence);
  await page.locator('#counts').waitFor();
  expect(await page.getByRole('link', { name: 'Inviter par SMS' }).count() === 0, 'no invitation to a session that took place');
  expect(await page.getByRole('button', { name: 'Annuler la séance' }).count() === 0, 'no cancelling it');
  await go(page, '#/ateliers/' + e.id + '?seance=' + occ[1].occurrence);
  await page.getByRole('link', { name: 'Inviter par SMS' }).waitFor();
  await page.getByRole('button', { name: 'Annuler la séance' }).waitFor();
  const c = await call(page, 'POST', '/campaigns', { name: 'Brouillon passé', audience: { event_id: e.id }, body: 'Atelier {date}. {centre}' });
  await go(page, '#/campagnes/' + c.id);
  await page.getByRole('heading', { name: 'Textes à envoyer' }).waitFor();
  expect(await page.getByRole('heading', { name: 'Textes envoyés' }).count() === 0, 'nothing was sent');
  return done(page, 'seance-passee');
});

test('un numéro inconnu : « Créer le contact avec ce numéro », le numéro déjà écrit', async () => {
  const page = await newPage(ADMIN);
  await inject('+33612348808', "Bonjour, je voudrais m'inscrire au cours");
  for (let i = 0; i < 100; i++) {
    const inbox = await call(page, 'GET', '/inbox');
    if (inbox.threads.some((th) => th.number === '+33612348808')) break;
    await sleep(200);
  }
  await go(page, '#/reponses?numero=' + encodeURIComponent('+33612348808'));
  await page.getByRole('link', { name: 'Créer le contact avec ce numéro' }).click();
  await page.waitForFunction(() => document.body.dataset.ready === '#/contacts/nouveau');
  expect(await page.getByLabel('Téléphone', { exact: true }).inputValue() === '06 12 34 88 08', 'the number is written in');
  await page.getByLabel('Prénom').fill('Ines');
  await page.getByLabel('Nom', { exact: true }).fill('Inscrite');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await page.getByText('Contact enregistré.').waitFor();
  const found = await call(page, 'GET', '/contacts?q=Inscrite');
  expect(found.length === 1 && found[0].phone === '+33612348808', 'the contact has the number: ' + JSON.stringify(found));
  return done(page, 'numero-inconnu');
});

test('la page des rappels d\u2019une invitation montre les réponses à l\u2019invitation', async () => {
  const page = await newPage(ADMIN);
  const e = await atelierFor(page, 'Rappels comptés', 'Compte', [['Rita', '06 12 34 88 09'], ['Raoul', '06 12 34 88 10']],
    'Atelier couture du lundi', 'Salle 6', 15);
  const inv = await call(page, 'POST', '/campaigns', { name: 'Invitation couture du lundi', audience: { event_id: e.id }, ask_reply: true,
    body: 'Atelier couture {date}. Répondez OUI ou NON. {centre}', schedule: { at: new Date().toISOString() } });
  const rem = await call(page, 'POST', '/campaigns', { name: 'Rappels : couture du lundi', invitation_id: inv.id,
    audience: { event_id: e.id }, body: 'Rappel : couture {date}. {centre}', schedule: { before_event: ['-1d@18:00'] } });
  await call(page, 'POST', '/campaigns/' + inv.id + '/schedule');
  await received('+33612348809', 'Atelier couture');
  await inject('+33612348809', 'oui');
  for (let i = 0; i < 100 && (await call(page, 'GET', '/campaigns/' + inv.id)).answers.yes !== 1; i++) await sleep(200);
  await go(page, '#/campagnes/' + rem.id);
  const answers = page.locator('#answers');
  await answers.getByText('Réponses à l\u2019invitation :').waitFor();
  expect(await answers.getByText('Oui 1').count() === 1, 'the invitation\u2019s OUI: ' + await answers.innerText());
  const row = page.locator('#recipients').getByRole('row').filter({ hasText: 'Rita' });
  await row.getByText('Oui', { exact: true }).waitFor();
  return done(page, 'rappels-reponses');
});
