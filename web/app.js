/*
 * rappel — the panel.  A page per hash (#/contacts ...), built with h(),
 * which only ever sets text (textContent), never HTML: whatever a user
 * typed is shown as text.  Everything comes from the JSON API; the API
 * enforces the roles, the menu only hides what a role cannot use.
 */
'use strict';

/* ---- language ---------------------------------------------------- */

const EN = {
  'Connexion': 'Sign in', 'Identifiant': 'Login', 'Mot de passe': 'Password',
  'Se connecter': 'Sign in', 'Déconnexion': 'Sign out', 'Tableau de bord': 'Dashboard',
  'Contacts': 'Contacts', 'Groupes': 'Groups', 'Ateliers': 'Workshops',
  'Campagnes': 'Campaigns', 'Réponses': 'Replies', 'Messages': 'Messages',
  'Utilisateurs': 'Users', 'Paramètres': 'Settings', 'Enregistrer': 'Save',
  'Annuler': 'Cancel', 'Supprimer': 'Delete', 'Rechercher': 'Search',
  'Prénom': 'First name', 'Nom': 'Last name', 'Téléphone': 'Phone', 'Langue': 'Language',
  'Groupe': 'Group', 'Tous': 'All', 'Notes': 'Notes', 'Ajouter un contact': 'Add a contact',
  'Importer un fichier CSV': 'Import a CSV file', 'Exporter': 'Export',
  'Prochains ateliers': 'Next workshops', 'Réponses à traiter': 'Replies to handle',
  'Modem': 'Modem', 'File d\u2019attente': 'Queue', 'Problèmes': 'Problems',
  'Aucun problème.': 'No problem.', 'Titre': 'Title', 'Lieu': 'Place', 'Début': 'Start',
  'Fin': 'End', 'Capacité': 'Capacity', 'Récurrence': 'Recurrence', 'Invités': 'Invitees',
  'Nouvel atelier': 'New workshop', 'Nouvelle campagne': 'New campaign', 'Texte': 'Text',
  'Atelier': 'Workshop', 'Envoi': 'Sending', 'Aperçu': 'Preview', 'Programmer': 'Schedule',
  'Oui': 'Yes', 'Non': 'No', 'Sans réponse': 'No answer', 'Présent': 'Present',
  'Répondre': 'Reply', 'Traité': 'Handled', 'Renvoyer': 'Resend', 'Statut': 'Status',
  'Semaine': 'Week', 'Séances': 'Sessions', 'English': 'Français',
};
let lang = localStorage.getItem('rappel.lang') || 'fr';
function t(s) { return lang === 'en' && EN[s] ? EN[s] : s; }

/* ---- DOM --------------------------------------------------------- */

/* h('p', {class: 'x', onclick: f}, 'text', child ...): text only, never HTML. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const $ = (sel, root) => (root || document).querySelector(sel);
let uid = 0;
/* A labelled field: label + control, tied by id. */
function field(label, control, hint) {
  const id = control.id || ('f' + (++uid));
  control.id = id;
  return h('div', {}, h('label', { for: id }, label), control,
    hint ? h('div', { class: 'muted' }, hint) : null);
}
/* Replaces el's children, skipping null and false (replaceChildren() would print "null"). */
function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}
function toast(text) {
  const el = $('#toast');
  el.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.textContent = ''; }, 4000);
}
function page(title, ...content) {
  const main = $('#main');
  main.replaceChildren(h('h1', {}, title), ...content);
  document.title = title + ' — rappel';
}
const fmtDate = (iso) => iso ? new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR',
  { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) : '—';

/* ---- API --------------------------------------------------------- */

const session = { user: null, csrf: sessionStorage.getItem('rappel.csrf') || '' };

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || ('Erreur ' + status));
    this.status = status;
    this.field = body && body.error && body.error.field;
    this.code = body && body.error && body.error.code;
  }
}

async function api(method, path, body, raw) {
  const headers = {};
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  let data = body;
  if (body !== undefined && !raw) {
    headers['Content-Type'] = 'application/json';
    data = JSON.stringify(body);
  } else if (raw) {
    headers['Content-Type'] = 'text/csv; charset=utf-8';
  }
  const r = await fetch('/api/v1' + path, { method, headers, body: data, credentials: 'same-origin' });
  if (r.status === 401 && path !== '/session') {
    session.user = null;
    location.hash = '#/connexion';
    throw new ApiError(401, null);
  }
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (!r.ok) throw new ApiError(r.status, json);
  return json;
}

/* Shows an API error next to a form (and on the field it names). */
function showError(box, err) {
  box.textContent = err.message;
  box.className = 'error';
  if (err.field) {
    const el = document.querySelector('[name="' + CSS.escape(err.field) + '"]');
    if (el) { el.setAttribute('aria-invalid', 'true'); el.focus(); }
  }
}
const errorBox = () => h('p', { role: 'alert' });

/* ---- layout ------------------------------------------------------ */

const MENU = [
  ['#/tableau', 'Tableau de bord', null],
  ['#/contacts', 'Contacts', null],
  ['#/groupes', 'Groupes', null],
  ['#/ateliers', 'Ateliers', null],
  ['#/campagnes', 'Campagnes', null],
  ['#/reponses', 'Réponses', 'staff'],
  ['#/messages', 'Messages', null],
  ['#/utilisateurs', 'Utilisateurs', 'admin'],
  ['#/parametres', 'Paramètres', null],
];
const isStaff = () => session.user && session.user.role !== 'animateur';
const isAdmin = () => session.user && session.user.role === 'admin';

function renderChrome() {
  const top = $('#top');
  top.hidden = !session.user;
  if (!session.user) return;
  const here = location.hash.split('?')[0];
  $('#nav').replaceChildren(...MENU.filter(([, , who]) =>
    !who || (who === 'staff' && isStaff()) || (who === 'admin' && isAdmin()))
    .map(([href, label]) => h('a', { href, 'aria-current': here.startsWith(href) ? 'page' : null }, t(label))));
  $('#who').replaceChildren(
    h('span', {}, session.user.login + ' (' + session.user.role + ')'),
    h('button', { type: 'button', onclick: () => { lang = lang === 'fr' ? 'en' : 'fr';
      localStorage.setItem('rappel.lang', lang); document.documentElement.lang = lang; route(); } }, t('English')),
    h('button', { type: 'button', onclick: logout }, t('Déconnexion')));
}

async function logout() {
  try { await api('DELETE', '/session'); } catch (e) { /* gone already */ }
  session.user = null;
  session.csrf = '';
  sessionStorage.removeItem('rappel.csrf');
  location.hash = '#/connexion';
}

/* ---- pages: sign in, dashboard ----------------------------------- */

function pageLogin() {
  const login = h('input', { type: 'text', name: 'login', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const err = errorBox();
  const form = h('form', { class: 'card login', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/session', { login: login.value, password: password.value });
      session.user = r.user;
      session.csrf = r.csrf_token;
      sessionStorage.setItem('rappel.csrf', r.csrf_token);
      location.hash = '#/tableau';
    } catch (e) { showError(err, e); }
  } }, h('h1', {}, t('Connexion')), field(t('Identifiant'), login), field(t('Mot de passe'), password),
  err, h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Se connecter'))));
  $('#main').replaceChildren(form);
  document.title = 'Connexion — rappel';
  login.focus();
}

async function pageDashboard() {
  const [status, events, inbox] = await Promise.all([api('GET', '/status'),
    api('GET', '/events'), isStaff() ? api('GET', '/inbox') : Promise.resolve(null)]);
  const problems = [];
  const next = events.filter((e) => e.next_occurrence)
    .sort((a, b) => a.next_occurrence.starts_at.localeCompare(b.next_occurrence.starts_at)).slice(0, 5);
  const rows = await Promise.all(next.map(async (e) => {
    const r = await api('GET', '/events/' + e.id + '/rsvps?occurrence=' + e.next_occurrence.occurrence);
    return h('tr', {}, h('td', {}, h('a', { href: '#/ateliers/' + e.id }, e.title)),
      h('td', {}, fmtDate(e.next_occurrence.starts_at)),
      h('td', {}, h('span', { class: 'badge yes' }, String(r.counts.yes))),
      h('td', {}, h('span', { class: 'badge no' }, String(r.counts.no))),
      h('td', {}, String(r.counts.none)));
  }));
  for (const m of status.modems) {
    if (m.state !== 'ready') problems.push('Le modem « ' + m.name + ' » est ' + m.state +
      (m.last_error ? ' (' + m.last_error + ')' : '') + ' : vérifiez qu\u2019il est branché et que la carte SIM est en place.');
    else if (m.signal_percent !== null && m.signal_percent < 20) problems.push('Le signal du modem « ' + m.name + ' » est faible (' + m.signal_percent + ' %) : rapprochez-le d\u2019une fenêtre.');
  }
  if (!status.modems.length) problems.push('Aucun modem n\u2019est configuré : les SMS attendent dans la file. Ajoutez une section [modem] à la configuration.');
  if (status.queue.failed) problems.push(status.queue.failed + ' message(s) en échec : voyez la page Messages pour les renvoyer.');
  if (status.queue.uncertain) problems.push(status.queue.uncertain + ' message(s) incertain(s) (coupure pendant l\u2019envoi) : vérifiez avec la personne avant de renvoyer.');
  page(t('Tableau de bord'),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, t('Réponses à traiter')),
        inbox ? h('p', {}, h('a', { href: '#/reponses' }, String(inbox.unhandled) + ' à traiter')) : h('p', { class: 'muted' }, '—')),
      h('section', { class: 'card' }, h('h2', {}, t('Modem')),
        ...status.modems.map((m) => h('p', {}, m.name + ' : ' + m.state + (m.operator ? ' — ' + m.operator : '') +
          (m.signal_percent !== null && m.signal_percent !== undefined ? ' — signal ' + m.signal_percent + ' %' : '')))),
      h('section', { class: 'card' }, h('h2', {}, t('File d\u2019attente')),
        h('p', {}, 'En attente : ' + status.queue.queued + ' · en cours : ' + status.queue.sending +
          ' · en échec : ' + status.queue.failed + ' · incertains : ' + status.queue.uncertain))),
    h('section', { class: 'card' }, h('h2', {}, t('Problèmes')),
      problems.length ? h('ul', { class: 'problems' }, problems.map((p) => h('li', {}, h('span', { class: 'badge problem' }, '!'), ' ', p)))
        : h('p', { class: 'ok' }, t('Aucun problème.'))),
    h('section', { class: 'card' }, h('h2', {}, t('Prochains ateliers')),
      next.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {},
        h('th', {}, t('Atelier')), h('th', {}, t('Début')), h('th', {}, t('Oui')), h('th', {}, t('Non')),
        h('th', {}, t('Sans réponse')))), h('tbody', {}, rows)))
        : h('p', { class: 'muted' }, 'Aucun atelier à venir.')));
}

/* ---- contacts and groups ----------------------------------------- */

async function pageContacts(params) {
  const groups = await api('GET', '/groups');
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') || '' });
  const g = h('select', { name: 'group_id' }, h('option', { value: '' }, t('Tous')),
    groups.map((x) => h('option', { value: x.id, selected: String(x.id) === params.get('group_id') }, x.name)));
  const query = new URLSearchParams();
  if (q.value) query.set('q', q.value);
  if (g.value) query.set('group_id', g.value);
  const list = await api('GET', '/contacts?' + query);
  const groupName = Object.fromEntries(groups.map((x) => [x.id, x.name]));
  const search = h('form', { class: 'toolbar', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    if (q.value) p.set('q', q.value);
    if (g.value) p.set('group_id', g.value);
    location.hash = '#/contacts?' + p;
  } }, field(t('Rechercher'), q), field(t('Groupe'), g), h('button', { type: 'submit' }, t('Rechercher')));
  page(t('Contacts'), search,
    h('div', { class: 'actions' },
      isStaff() ? h('a', { class: 'button', href: '#/contacts/nouveau' }, t('Ajouter un contact')) : null,
      isStaff() ? h('a', { class: 'button secondary', href: '#/contacts/import' }, t('Importer un fichier CSV')) : null,
      isStaff() ? h('a', { class: 'button secondary', href: '/api/v1/contacts/export', download: 'contacts.csv' }, t('Exporter')) : null),
    h('p', { class: 'muted' }, list.length + ' contact(s)'),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Nom')),
      h('th', {}, t('Téléphone')), h('th', {}, t('Groupes')), h('th', {}, 'SMS'))),
    h('tbody', {}, list.map((c) => h('tr', {},
      h('td', {}, h('a', { href: '#/contacts/' + c.id }, (c.first_name + ' ' + c.last_name).trim())),
      h('td', {}, c.phone || '—'),
      h('td', {}, c.group_ids.map((id) => groupName[id]).join(', ')),
      h('td', {}, c.opted_out_at ? h('span', { class: 'badge no' }, 'STOP') : 'oui')))))));
}

async function pageContact(id) {
  const groups = await api('GET', '/groups');
  const c = id ? await api('GET', '/contacts/' + id) : { first_name: '', last_name: '', phone: '', language: 'fr', group_ids: [], notes: '' };
  const first = h('input', { type: 'text', name: 'first_name', value: c.first_name, autocomplete: 'off' });
  const last = h('input', { type: 'text', name: 'last_name', value: c.last_name, autocomplete: 'off' });
  const phone = h('input', { type: 'tel', name: 'phone', value: c.phone || '' });
  const language = h('select', { name: 'language' }, [['fr', 'français'], ['en', 'anglais'], ['ar', 'arabe']]
    .map(([v, l]) => h('option', { value: v, selected: c.language === v }, l)));
  const notes = h('textarea', { name: 'notes' }, c.notes || '');
  const boxes = groups.map((g) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: g.id,
    checked: c.group_ids.includes(g.id) }), g.name));
  /* the household: other numbers (a parent, a relative), each taking SMS or not */
  const household = h('div', {});
  const addNumber = (p) => {
    const n = household.children.length + 2;
    household.append(h('div', { class: 'toolbar household' },
      field('Numéro ' + n, h('input', { type: 'tel', value: p ? p.number : '' })),
      field('Qui (mère, fils…)', h('input', { type: 'text', value: p ? p.label : '' })),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', checked: p ? p.sms : true }), 'reçoit les SMS')));
  };
  (c.phones || []).slice(1).forEach(addNumber);
  const err = errorBox();
  const form = h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    const others = [...household.children].map((row) => row.querySelectorAll('input'))
      .filter((i) => i[0].value.trim()).map((i) => ({ number: i[0].value, label: i[1].value, sms: i[2].checked }));
    const body = { first_name: first.value, last_name: last.value, language: language.value, notes: notes.value,
      group_ids: boxes.map((b) => b.firstChild).filter((x) => x.checked).map((x) => Number(x.value)) };
    if (others.length || (c.phones || []).length > 1) body.phones = [{ number: phone.value, label: '', sms: true }, ...others];
    else body.phone = phone.value;
    try {
      const r = await api(id ? 'PATCH' : 'POST', id ? '/contacts/' + id : '/contacts', body);
      toast('Contact enregistré.' + (r.warnings && r.warnings.length ? ' ' + r.warnings.join(' ') : ''));
      location.hash = '#/contacts';
    } catch (e) { showError(err, e); }
  } }, field(t('Prénom'), first), field(t('Nom'), last), field(t('Téléphone'), phone, '06 12 34 56 78, +33 6 …'),
  h('fieldset', {}, h('legend', {}, 'Autres numéros du foyer'), household,
    h('button', { type: 'button', class: 'secondary', onclick: () => addNumber(null) }, 'Ajouter un numéro')),
  field(t('Langue'), language), h('fieldset', {}, h('legend', {}, t('Groupes')), boxes), field(t('Notes'), notes), err,
  h('div', { class: 'actions' }, h('button', { type: 'submit', disabled: !isStaff() }, t('Enregistrer')),
    id && isStaff() ? h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!confirm('Effacer ce contact et ses messages (RGPD) ?')) return;
      await api('DELETE', '/contacts/' + id);
      toast('Contact effacé.');
      location.hash = '#/contacts';
    } }, t('Supprimer')) : null,
    c.phone ? h('a', { class: 'button secondary', href: 'tel:' + c.phone }, 'Appeler') : null));
  page(id ? (c.first_name + ' ' + c.last_name).trim() : t('Ajouter un contact'), form);
  first.focus();
}

function pageImport() {
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
  const out = h('div', {});
  const err = errorBox();
  let data = null;
  const report = (r, dry) => fill(out, 
    h('p', { class: r.errors.length ? 'warn' : 'ok' }, (dry ? 'Aperçu : ' : 'Importé : ') + r.created + ' créé(s), ' +
      r.updated + ' mis à jour, ' + r.skipped + ' ignoré(s), ' + r.errors.length + ' ligne(s) refusée(s).'),
    r.errors.length ? h('table', { 'aria-label': 'Lignes refusées' }, h('thead', {}, h('tr', {}, h('th', {}, 'Ligne'), h('th', {}, 'Raison'))),
      h('tbody', {}, r.errors.map((e) => h('tr', {}, h('td', {}, String(e.line)), h('td', {}, e.reason))))) : null,
    dry ? h('div', { class: 'actions' }, h('button', { type: 'button', onclick: async () => {
      try { report(await api('POST', '/contacts/import', data, true), false); } catch (e) { showError(err, e); }
    } }, 'Importer les lignes acceptées')) : null);
  page(t('Importer un fichier CSV'), h('div', { class: 'card' },
    h('p', {}, 'Un fichier enregistré par Excel ou LibreOffice (CSV, « ; » ou « , »), avec une ligne d\u2019en-tête : Prénom, Nom, Téléphone, Groupes, Langue…'),
    field('Fichier', file), err, h('div', { class: 'actions' }, h('button', { type: 'button', onclick: async () => {
      if (!file.files.length) { err.textContent = 'Choisissez un fichier.'; return; }
      data = await file.files[0].arrayBuffer();
      try { report(await api('POST', '/contacts/import?dry_run=1', data, true), true); } catch (e) { showError(err, e); }
    } }, 'Vérifier le fichier')), out));
}

async function pageGroups() {
  const groups = await api('GET', '/groups');
  const name = h('input', { type: 'text', name: 'name' });
  const err = errorBox();
  page(t('Groupes'),
    isStaff() ? h('form', { class: 'card toolbar', onsubmit: async (ev) => {
      ev.preventDefault();
      try { await api('POST', '/groups', { name: name.value }); route(); } catch (e) { showError(err, e); }
    } }, field('Nouveau groupe', name), h('button', { type: 'submit' }, 'Créer'), err) : null,
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Nom')), h('th', {}, t('Contacts')), h('th', {}, ''))),
      h('tbody', {}, groups.map((g) => h('tr', {}, h('td', {}, h('a', { href: '#/contacts?group_id=' + g.id }, g.name)),
        h('td', {}, String(g.contact_ids.length)),
        h('td', {}, isStaff() ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
          if (confirm('Supprimer le groupe « ' + g.name + ' » ? Ses contacts restent.')) { await api('DELETE', '/groups/' + g.id); route(); }
        } }, t('Supprimer')) : null))))));
}

/* ---- ateliers ---------------------------------------------------- */

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const DAY_FR = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
/* The RRULE of a preset for a first session on date d. */
function presetRule(preset, d, count) {
  const day = DAYS[d.getDay()], nth = Math.floor((d.getDate() - 1) / 7) + 1;
  const c = count ? ';COUNT=' + count : '';
  return { none: '', weekly: 'FREQ=WEEKLY;BYDAY=' + day + c, biweekly: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=' + day + c,
    monthly: 'FREQ=MONTHLY;BYDAY=' + nth + day + c }[preset];
}
/* An RRULE in words: "chaque jeudi, 10 séances", "le 2e vendredi du mois". */
function describeRule(rule) {
  if (!rule) return 'une séance';
  const p = Object.fromEntries(rule.split(';').map((x) => x.split('=')));
  const m = (p.BYDAY || '').match(/^(-?\d)?([A-Z]{2})$/);
  const day = m ? DAY_FR[DAYS.indexOf(m[2])] : null;
  let text = rule;
  if (p.FREQ === 'DAILY') text = 'chaque jour';
  else if (p.FREQ === 'WEEKLY' && day) text = (p.INTERVAL === '2' ? 'un ' + day + ' sur deux' : 'chaque ' + day);
  else if (p.FREQ === 'MONTHLY' && day && m[1]) text = 'le ' + m[1] + (m[1] === '1' ? 'er ' : 'e ') + day + ' du mois';
  return text + (p.COUNT ? ', ' + p.COUNT + ' séances' : '');
}
const STATUS_FR = { queued: 'en attente', sending: 'en cours', sent: 'envoyé', delivered: 'reçu', failed: 'échec',
  uncertain: 'incertain', cancelled: 'annulé', draft: 'brouillon', scheduled: 'programmée', running: 'en cours',
  done: 'terminée' };
const statusText = (s) => (lang === 'fr' && STATUS_FR[s]) || s || '—';

/* "2026-12-03T14:00" (datetime-local) to ISO with the browser's offset. */
function localToIso(v) {
  const d = new Date(v);
  const off = -d.getTimezoneOffset(), sign = off >= 0 ? '+' : '-', a = Math.abs(off);
  return v + ':00' + sign + String(Math.floor(a / 60)).padStart(2, '0') + ':' + String(a % 60).padStart(2, '0');
}

async function pageEvents(params) {
  const events = await api('GET', '/events');
  const weekStart = new Date(params.get('semaine') || Date.now());
  weekStart.setHours(0, 0, 0, 0);
  weekStart.setDate(weekStart.getDate() - ((weekStart.getDay() + 6) % 7));
  const weekEnd = new Date(weekStart.getTime() + 7 * 86400000);
  const days = [...Array(7)].map((_, i) => new Date(weekStart.getTime() + i * 86400000));
  const sessions = (await Promise.all(events.map((e) => api('GET', '/events/' + e.id + '/occurrences?from=' +
    weekStart.toISOString().slice(0, 10) + '&to=' + weekEnd.toISOString().slice(0, 10))
    .then((list) => list.map((o) => ({ e, o })))))).flat();
  const shift = (n) => '#/ateliers?semaine=' + new Date(weekStart.getTime() + n * 86400000).toISOString().slice(0, 10);
  page(t('Ateliers'),
    h('div', { class: 'actions' }, h('a', { class: 'button', href: '#/ateliers/nouveau' }, t('Nouvel atelier')),
      h('a', { class: 'button secondary', href: '/api/v1/reports/sessions.csv', download: 'presences.csv' }, 'Présences (CSV)')),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Atelier')), h('th', {}, t('Lieu')),
      h('th', {}, 'Prochaine séance'), h('th', {}, t('Récurrence')))),
    h('tbody', {}, events.map((e) => h('tr', {}, h('td', {}, h('a', { href: '#/ateliers/' + e.id }, e.title)),
      h('td', {}, e.place), h('td', {}, e.next_occurrence ? fmtDate(e.next_occurrence.starts_at) : '—'),
      h('td', {}, describeRule(e.rrule))))))),
    h('h2', {}, t('Semaine') + ' du ' + weekStart.toLocaleDateString('fr-FR')),
    h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: shift(-7) }, '← précédente'),
      h('a', { class: 'button secondary', href: shift(7) }, 'suivante →')),
    h('div', { class: 'week' }, days.map((d) => h('div', { class: 'day' },
      h('h3', {}, d.toLocaleDateString('fr-FR', { weekday: 'long', day: 'numeric', month: 'short' })),
      sessions.filter(({ o }) => new Date(o.starts_at).toDateString() === d.toDateString())
        .map(({ e, o }) => h('a', { class: 'chip', href: '#/ateliers/' + e.id + '?seance=' + o.occurrence },
          new Date(o.starts_at).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' }) + ' ' + e.title +
          (o.cancelled ? ' (annulée)' : '')))))));
}

async function pageEventNew() {
  const groups = await api('GET', '/groups');
  const title = h('input', { type: 'text', name: 'title' });
  const place = h('input', { type: 'text', name: 'place' });
  const start = h('input', { type: 'datetime-local', name: 'starts_at' });
  const minutes = h('input', { type: 'number', name: 'duration', min: 15, step: 15, value: 120 });
  const capacity = h('input', { type: 'number', name: 'capacity', min: 1 });
  const preset = h('select', { name: 'rrule' }, [['none', 'Une seule fois'], ['weekly', 'Chaque semaine, même jour'],
    ['biweekly', 'Toutes les deux semaines'], ['monthly', 'Chaque mois, même rang (ex. 2e vendredi)']]
    .map(([v, l]) => h('option', { value: v }, l)));
  const count = h('input', { type: 'number', name: 'count', min: 1, max: 100, placeholder: 'sans fin' });
  const boxes = groups.map((g) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: g.id }), g.name));
  const err = errorBox();
  const explain = h('p', { class: 'muted', 'aria-live': 'polite' });
  const update = () => {
    if (!start.value) { explain.textContent = ''; return; }
    const d = new Date(start.value), nth = Math.floor((d.getDate() - 1) / 7) + 1;
    explain.textContent = { none: 'Une séance.', weekly: 'Chaque ' + DAY_FR[d.getDay()] + '.',
      biweekly: 'Un ' + DAY_FR[d.getDay()] + ' sur deux.', monthly: 'Le ' + nth + (nth === 1 ? 'er ' : 'e ') + DAY_FR[d.getDay()] + ' du mois.' }[preset.value] +
      (count.value && preset.value !== 'none' ? ' ' + count.value + ' séances.' : '');
  };
  [start, preset, count].forEach((x) => x.addEventListener('input', update));
  page(t('Nouvel atelier'), h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    if (!start.value) { err.textContent = 'Indiquez la date et l\u2019heure de la première séance.'; start.focus(); return; }
    const s = localToIso(start.value);
    const end = new Date(new Date(start.value).getTime() + Number(minutes.value || 60) * 60000);
    const endLocal = end.getFullYear() + '-' + String(end.getMonth() + 1).padStart(2, '0') + '-' + String(end.getDate()).padStart(2, '0') +
      'T' + String(end.getHours()).padStart(2, '0') + ':' + String(end.getMinutes()).padStart(2, '0');
    const body = { title: title.value, place: place.value, starts_at: s, ends_at: localToIso(endLocal),
      rrule: presetRule(preset.value, new Date(start.value), count.value) || null,
      capacity: capacity.value ? Number(capacity.value) : null,
      group_ids: boxes.map((b) => b.firstChild).filter((x) => x.checked).map((x) => Number(x.value)) };
    try {
      const e = await api('POST', '/events', body);
      location.hash = '#/ateliers/' + e.id;
    } catch (e) { showError(err, e); }
  } }, field(t('Titre'), title), field(t('Lieu'), place), field('Première séance', start),
  field('Durée (minutes)', minutes), field(t('Récurrence'), preset), field('Nombre de séances', count), explain,
  field(t('Capacité'), capacity), h('fieldset', {}, h('legend', {}, t('Invités') + ' (groupes)'), boxes), err,
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Enregistrer')))));
  title.focus();
}

async function pageEvent(id, params) {
  const [e, groups] = await Promise.all([api('GET', '/events/' + id), api('GET', '/groups')]);
  const occ = await api('GET', '/events/' + id + '/occurrences');
  const key = params.get('seance') || (e.next_occurrence ? String(e.next_occurrence.occurrence) : '');
  const r = await api('GET', '/events/' + id + '/rsvps' + (key ? '?occurrence=' + key : ''));
  const k = r.session.occurrence;
  const choose = h('select', { name: 'occurrence', onchange: (ev) => { location.hash = '#/ateliers/' + id + '?seance=' + ev.target.value; } },
    occ.map((o) => h('option', { value: o.occurrence, selected: o.occurrence === k }, fmtDate(o.starts_at) + (o.cancelled ? ' (annulée)' : ''))));
  const c = r.counts;
  const set = async (cid, body) => {
    try { await api('PUT', '/events/' + id + '/rsvps/' + cid + '?occurrence=' + k, body); route(); } catch (err) { toast(err.message); }
  };
  page(e.title,
    h('p', {}, e.place ? e.place + ' · ' : '', describeRule(e.rrule),
      e.capacity ? ' · ' + e.capacity + ' places' : ''),
    h('div', { class: 'toolbar' }, field('Séance', choose),
      h('button', { type: 'button', class: 'secondary', onclick: async () => {
        if (!confirm(r.session.cancelled ? 'Rétablir cette séance ?' : 'Annuler cette séance ? Les rappels en attente sont annulés.')) return;
        await api('PATCH', '/events/' + id + '/occurrences/' + k, { cancelled: !r.session.cancelled });
        route();
      } }, r.session.cancelled ? 'Rétablir la séance' : 'Annuler la séance'),
      h('a', { class: 'button secondary', href: '/api/v1/events/' + id + '/report.csv', download: 'atelier.csv' }, 'Présences (CSV)'),
      h('a', { class: 'button', href: '#/campagnes/nouvelle?atelier=' + id }, 'Inviter par SMS')),
    h('p', { 'aria-live': 'polite', id: 'counts' }, 'Invités ' + c.invited + ' · ',
      h('span', { class: 'badge yes' }, t('Oui') + ' ' + c.yes), ' ', h('span', { class: 'badge no' }, t('Non') + ' ' + c.no),
      ' · ' + t('Sans réponse') + ' ' + c.none + ' · SMS reçus ' + c.delivered + ' · ' + t('Présent') + 's ' + c.present),
    inviteesForm(e, groups),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Nom')), h('th', {}, t('Téléphone')),
      h('th', {}, 'Réponse'), h('th', {}, 'SMS'), h('th', {}, t('Présent')))),
    h('tbody', {}, r.rsvps.map((p) => h('tr', {}, h('td', {}, (p.first_name + ' ' + p.last_name).trim()),
      h('td', {}, p.phone || '—'),
      h('td', {}, h('select', { 'aria-label': 'Réponse de ' + p.first_name, onchange: (ev) => set(p.contact_id, { answer: ev.target.value }) },
        [['none', '—'], ['yes', t('Oui')], ['no', t('Non')]].map(([v, l]) => h('option', { value: v, selected: p.answer === v }, l))),
        p.via === 'sms' ? h('span', { class: 'muted' }, ' par SMS') : null),
      h('td', {}, statusText(p.message_status)),
      h('td', {}, h('input', { type: 'checkbox', 'aria-label': 'Présent : ' + p.first_name, checked: p.present === true,
        onchange: (ev) => set(p.contact_id, { present: ev.target.checked }) }))))))));
}

/* The atelier's invited groups, changed in place. */
function inviteesForm(e, groups) {
  const boxes = groups.map((g) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: g.id,
    checked: e.group_ids.includes(g.id) }), g.name));
  const err = errorBox();
  return h('details', { class: 'card' }, h('summary', {}, t('Invités') + ' : ' +
    (groups.filter((g) => e.group_ids.includes(g.id)).map((g) => g.name).join(', ') || 'aucun groupe')),
  h('form', { onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api('PATCH', '/events/' + e.id, { group_ids: boxes.map((b) => b.firstChild).filter((x) => x.checked).map((x) => Number(x.value)) });
      toast('Invités enregistrés.');
      route();
    } catch (x) { showError(err, x); }
  } }, h('fieldset', {}, h('legend', {}, 'Groupes invités'), boxes), err,
  h('button', { type: 'submit' }, 'Enregistrer les invités')));
}

/* ---- campaigns: the composer ------------------------------------- */

/* GSM 03.38: basic table and extension table (2 septets). */
const GSM7 = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXT = '^{}\\[~]|€\f';
/* What a text costs: encoding, parts, characters left, the first character forcing UCS-2. */
function smsCount(text) {
  let septets = 0, units = 0, bad = null;
  for (const ch of text) {
    units += ch.codePointAt(0) > 0xffff ? 2 : 1;
    if (GSM7.includes(ch) && ch !== '\u001b') septets += 1;
    else if (GSM7_EXT.includes(ch)) septets += 2;
    else if (bad === null) bad = ch;
  }
  const gsm = bad === null, n = gsm ? septets : units;
  const single = gsm ? 160 : 70, multi = gsm ? 153 : 67;
  const parts = n <= single ? 1 : Math.ceil(n / multi);
  const left = parts === 1 ? single - n : parts * multi - n;
  return { encoding: gsm ? 'gsm7' : 'ucs2', parts, left, chars: [...text].length, bad };
}

/* What the server's transliteration does (translit.c), for the live counter. */
const SIGNS = { '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u00b4': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u00ab': '"', '\u00bb': '"', '\u2033': '"', '\u2026': '...',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u2022': '-',
  '\u00a0': ' ', '\u202f': ' ', '\u205f': ' ', '\u3000': ' ', '\u200b': '', '\u200c': '', '\u200d': '',
  '\u2060': '', '\ufeff': '', '\u00ad': '', '\u0153': 'oe', '\u0152': 'OE' };
function gsmFriendly(text) {
  let out = '';
  for (const ch of text) {
    if (ch in SIGNS) out += SIGNS[ch];
    else if (GSM7.includes(ch) || GSM7_EXT.includes(ch)) out += ch;
    else out += ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '') || ch;
  }
  return out;
}

const VARIABLES = ['prenom', 'nom', 'atelier', 'date', 'heure', 'lieu', 'centre', 'tel_centre'];
const OFFSETS = [['-21d@10:00', '3 semaines avant, à 10h'], ['-7d@10:00', '1 semaine avant, à 10h'],
  ['-2d@10:00', '2 jours avant, à 10h'], ['-1d@18:00', 'la veille à 18h'], ['0d@09:00', 'le jour même à 9h']];

async function pageCampaignNew(params) {
  const [events, groups, contacts] = await Promise.all([api('GET', '/events'), api('GET', '/groups'), api('GET', '/contacts')]);
  const name = h('input', { type: 'text', name: 'name' });
  const event = h('select', { name: 'event_id' }, h('option', { value: '' }, 'Aucun'),
    events.map((e) => h('option', { value: e.id, selected: String(e.id) === params.get('atelier') }, e.title)));
  const body = h('textarea', { name: 'body', rows: 5 });
  const counter = h('div', { class: 'counter', 'aria-live': 'polite', id: 'counter' });
  const translit = h('input', { type: 'checkbox', name: 'transliterate' });
  const askReply = h('input', { type: 'checkbox', name: 'ask_reply', checked: true });
  const gboxes = groups.map((g) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: g.id }), g.name));
  const when = h('select', { name: 'when' }, h('option', { value: 'now' }, 'Maintenant (dans les heures d\u2019envoi)'),
    h('option', { value: 'at' }, 'À une date et une heure'),
    h('option', { value: 'weekly' }, 'Chaque semaine, à partir de la date et l\u2019heure'),
    h('option', { value: 'monthly' }, 'Chaque mois, même rang (ex. 1er lundi), à partir de la date'),
    h('option', { value: 'before' }, 'Rappels avant chaque séance de l\u2019atelier'));
  const at = h('input', { type: 'datetime-local', name: 'at' });
  const oboxes = OFFSETS.map(([v, l]) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: v }), l));
  const previewFor = h('select', { name: 'contact_id' }, h('option', { value: '' }, 'les premiers destinataires'),
    contacts.map((c) => h('option', { value: c.id }, (c.first_name + ' ' + c.last_name).trim())));
  const preview = h('div', { 'aria-live': 'polite', id: 'preview' });
  const err = errorBox();
  const insert = (v) => {
    const s = body.selectionStart ?? body.value.length, e = body.selectionEnd ?? s;
    body.value = body.value.slice(0, s) + '{' + v + '}' + body.value.slice(e);
    body.focus();
    body.selectionStart = body.selectionEnd = s + v.length + 2;
    count();
  };
  function count() {
    const c = smsCount(translit.checked ? gsmFriendly(body.value) : body.value);
    counter.className = 'counter' + (c.encoding === 'ucs2' ? ' ucs2' : '');
    fill(counter, c.chars + ' caractères · ' + c.parts + ' SMS · reste ' + c.left + ' dans le dernier SMS' +
      (c.encoding === 'ucs2' ? ' · le caractère « ' + c.bad + ' » oblige l\u2019encodage coûteux (70 caractères par SMS)' : ''),
      c.encoding === 'ucs2' && !translit.checked ? h('button', { type: 'button', class: 'secondary', onclick: () => { translit.checked = true; count(); doPreview(); } },
        'Utiliser la version sans accents') : null);
  }
  body.addEventListener('input', count);
  const sel = (boxes) => boxes.map((b) => b.firstChild).filter((x) => x.checked).map((x) => x.value);
  const campaign = () => {
    const c = { name: name.value || 'Campagne', body: body.value, ask_reply: askReply.checked, transliterate: translit.checked,
      audience: { group_ids: sel(gboxes).map(Number), event_id: event.value ? Number(event.value) : null } };
    if (when.value === 'now') c.schedule = { at: new Date().toISOString() };
    if (when.value === 'at' && at.value) c.schedule = { at: localToIso(at.value) };
    if ((when.value === 'weekly' || when.value === 'monthly') && at.value)
      c.schedule = { rrule: presetRule(when.value, new Date(at.value), ''), dtstart: localToIso(at.value) };
    if (when.value === 'before' && sel(oboxes).length) c.schedule = { before_event: sel(oboxes) };
    if (askReply.checked) c.ack_body = 'Merci, c\u2019est noté ! {centre}';
    return c;
  };
  async function doPreview() {
    try {
      const p = await api('POST', '/campaigns/preview', Object.assign(campaign(), previewFor.value ? { contact_id: Number(previewFor.value) } : {}));
      fill(preview, h('p', {}, p.recipients + ' destinataire(s)' + (p.left_out.opted_out ? ', ' + p.left_out.opted_out + ' ont demandé STOP' : '') +
        (p.left_out.no_mobile ? ', ' + p.left_out.no_mobile + ' sans portable' : '') + ' · coût : ' +
        (p.cost.sms_total === null ? p.cost.sms_per_occurrence + ' SMS par envoi' : p.cost.sms_total + ' SMS au total')),
      p.transliterated ? h('p', { class: 'warn' }, 'Sans accents, vous économiseriez ' + p.transliterated.saving_per_occurrence + ' SMS par envoi.') : null,
      ...p.samples.map((s) => h('div', { class: 'card' }, h('strong', {}, s.name + ' (' + s.language + ')'), h('p', {}, s.text),
        h('p', { class: 'muted' }, s.parts + ' SMS · ' + s.encoding))));
      err.textContent = '';
    } catch (e) { showError(err, e); }
  }
  async function save(schedule) {
    try {
      const c = await api('POST', '/campaigns', campaign());
      if (schedule) await api('POST', '/campaigns/' + c.id + '/schedule');
      toast(schedule ? 'Campagne programmée.' : 'Brouillon enregistré.');
      location.hash = '#/campagnes/' + c.id;
    } catch (e) { showError(err, e); }
  }
  page(t('Nouvelle campagne'), h('form', { class: 'card', onsubmit: (ev) => { ev.preventDefault(); save(true); } },
    field(t('Nom'), name), field(t('Atelier'), event, 'Ses invités reçoivent la campagne.'),
    isStaff() ? h('fieldset', {}, h('legend', {}, 'Groupes destinataires'), gboxes) : null,
    field(t('Texte'), body), h('div', { class: 'actions', role: 'group', 'aria-label': 'Variables' },
      VARIABLES.map((v) => h('button', { type: 'button', class: 'secondary', onclick: () => insert(v) }, '{' + v + '}'))),
    counter,
    h('label', { class: 'inline' }, translit, 'Remplacer les accents (ê → e, ç → c…) pour payer moins de SMS'),
    h('label', { class: 'inline' }, askReply, 'Demander une réponse OUI / NON'),
    field(t('Envoi'), when), field('Date et heure', at), h('fieldset', {}, h('legend', {}, 'Rappels'), oboxes),
    h('h2', {}, t('Aperçu')), field('Pour', previewFor), h('button', { type: 'button', class: 'secondary', onclick: doPreview }, t('Aperçu')),
    preview, err,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => save(false) }, 'Enregistrer le brouillon'),
      h('button', { type: 'submit' }, t('Programmer')))));
  translit.addEventListener('change', count);
  count();
  name.focus();
}

async function pageCampaigns() {
  const list = await api('GET', '/campaigns');
  page(t('Campagnes'), h('div', { class: 'actions' }, h('a', { class: 'button', href: '#/campagnes/nouvelle' }, t('Nouvelle campagne'))),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Nom')), h('th', {}, t('Statut')), h('th', {}, 'Messages'))),
      h('tbody', {}, list.map((c) => h('tr', {}, h('td', {}, h('a', { href: '#/campagnes/' + c.id }, c.name)),
        h('td', {}, statusText(c.status)), h('td', {}, c.schedule && c.schedule.at ? fmtDate(c.schedule.at) : '')))))));
}

async function pageCampaign(id) {
  const [c, msgs] = await Promise.all([api('GET', '/campaigns/' + id), api('GET', '/messages?campaign_id=' + id)]);
  page(c.name, h('p', {}, 'Statut : ' + statusText(c.status) + ' · ' +
    Object.entries(c.messages).map(([k, v]) => statusText(k) + ' ' + v).join(', ')),
    h('div', { class: 'card' }, h('p', {}, c.body)),
    h('div', { class: 'actions' },
      c.status === 'draft' ? h('button', { type: 'button', onclick: async () => {
        try { await api('POST', '/campaigns/' + id + '/schedule'); route(); } catch (e) { toast(e.message); }
      } }, t('Programmer')) : null,
      ['draft', 'scheduled', 'running', 'done'].includes(c.status) ? h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (confirm('Annuler la campagne ? Les messages pas encore partis ne partiront pas.')) { await api('POST', '/campaigns/' + id + '/cancel'); route(); }
      } }, t('Annuler')) : null),
    messageTable(msgs));
}

/* ---- replies, messages, users, settings -------------------------- */

function messageTable(msgs) {
  return h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'À'), h('th', {}, t('Texte')),
    h('th', {}, t('Statut')), h('th', {}, 'Envoyé'), h('th', {}, ''))),
  h('tbody', {}, msgs.map((m) => h('tr', {}, h('td', {}, m.to), h('td', {}, m.body || '—'),
    h('td', {}, statusText(m.status) + (m.error ? ' (' + m.error + ')' : '')), h('td', {}, fmtDate(m.sent_at)),
    h('td', {}, ['failed', 'uncertain'].includes(m.status) && isStaff() ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
      if (m.status === 'uncertain' && !confirm('Ce message a peut-être déjà été reçu. Le renvoyer quand même ?')) return;
      await api('POST', '/messages/' + m.id + '/resend');
      route();
    } }, t('Renvoyer')) : null))))));
}

async function pageReplies(params) {
  const inbox = await api('GET', '/inbox');
  const cid = params.get('contact'), num = params.get('numero');
  let thread = null;
  if (cid || num) {
    const msgs = await api('GET', '/inbox/thread?' + (cid ? 'contact_id=' + cid : 'number=' + encodeURIComponent(num)));
    const text = h('textarea', { name: 'reply', rows: 3 });
    const err = errorBox();
    thread = h('section', { class: 'card', 'aria-label': 'Conversation' },
      h('ul', { class: 'thread' }, msgs.map((m) => h('li', { class: m.direction }, h('div', {}, m.body || '—'),
        h('div', { class: 'muted' }, fmtDate(m.at) + (m.intent ? ' · ' + m.intent : '') + (m.status ? ' · ' + m.status : '')),
        m.direction === 'in' && m.handled === false ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
          await api('PATCH', '/replies/' + m.id, { handled: true });
          route();
        } }, 'Marquer traité') : null))),
      h('form', { onsubmit: async (ev) => {
        ev.preventDefault();
        try {
          await api('POST', '/messages', cid ? { contact_id: Number(cid), body: text.value } : { to: num, body: text.value });
          toast('Réponse envoyée.');
          route();
        } catch (e) { showError(err, e); }
      } }, field(t('Répondre'), text), err, h('button', { type: 'submit' }, 'Envoyer')));
  }
  page(t('Réponses'), h('p', {}, inbox.unhandled + ' réponse(s) à traiter'),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Personne'), h('th', {}, 'Dernier message'),
      h('th', {}, 'À traiter'))),
    h('tbody', {}, inbox.threads.map((th) => h('tr', {},
      h('td', {}, h('a', { href: '#/reponses?' + (th.contact_id ? 'contact=' + th.contact_id : 'numero=' + encodeURIComponent(th.number)) },
        th.first_name ? (th.first_name + ' ' + (th.last_name || '')).trim() : th.number), ' ', h('span', { class: 'muted' }, th.number)),
      h('td', {}, (th.last_body || '') + ' · ' + fmtDate(th.last_at)),
      h('td', {}, th.unhandled ? h('span', { class: 'badge problem' }, String(th.unhandled)) : '0')))))), thread);
}

async function pageMessages(params) {
  const status = h('select', { name: 'status', onchange: (ev) => { location.hash = '#/messages?statut=' + ev.target.value; } },
    ['', 'queued', 'sending', 'sent', 'delivered', 'failed', 'uncertain', 'cancelled'].map((s) =>
      h('option', { value: s, selected: s === (params.get('statut') || '') }, s ? statusText(s) : t('Tous'))));
  const msgs = await api('GET', '/messages?limit=300' + (params.get('statut') ? '&status=' + params.get('statut') : ''));
  page(t('Messages'), h('div', { class: 'toolbar' }, field(t('Statut'), status)), messageTable(msgs));
}

async function pageUsers() {
  const users = await api('GET', '/users');
  const login = h('input', { type: 'text', name: 'login' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password' });
  const role = h('select', { name: 'role' }, ['referent', 'animateur', 'admin'].map((r) => h('option', { value: r }, r)));
  const err = errorBox();
  page(t('Utilisateurs'), h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    try { await api('POST', '/users', { login: login.value, password: password.value, role: role.value }); route(); } catch (e) { showError(err, e); }
  } }, field(t('Identifiant'), login), field(t('Mot de passe'), password, '10 caractères au moins'), field('Rôle', role), err,
  h('button', { type: 'submit' }, 'Créer le compte')),
  h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Identifiant')), h('th', {}, 'Rôle'), h('th', {}, ''))),
    h('tbody', {}, users.map((u) => h('tr', {}, h('td', {}, u.login), h('td', {}, u.role + (u.disabled ? ' (désactivé)' : '')),
      h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try { await api('PATCH', '/users/' + u.id, { disabled: !u.disabled }); route(); } catch (e) { toast(e.message); }
      } }, u.disabled ? 'Réactiver' : 'Désactiver')))))));
}

async function pageSettings() {
  const status = await api('GET', '/status');
  const to = h('input', { type: 'tel', name: 'to' });
  const err = errorBox();
  const DAYS_FR = { mon: 'lundi', tue: 'mardi', wed: 'mercredi', thu: 'jeudi', fri: 'vendredi', sat: 'samedi', sun: 'dimanche' };
  const row = (k, v) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v));
  page(t('Paramètres'), h('section', { class: 'card' }, h('h2', {}, 'Centre et envoi'),
    h('table', {}, h('tbody', {}, row('Nom du centre', status.centre.name), row('Téléphone du centre', status.centre.phone),
      row('Fuseau horaire', status.centre.timezone), row('Heures d\u2019envoi', status.sending.hours),
      row('Jours d\u2019envoi', status.sending.days.map((d) => DAYS_FR[d]).join(', ')),
      row('SMS par minute et par modem', String(status.sending.max_per_minute)),
      row('SMS par jour et par modem', String(status.sending.max_per_day)),
      row('Réponses OUI/NON attendues (hors atelier)', status.sending.reply_days + ' jours')))),
  h('section', { class: 'card' }, h('h2', {}, 'Modems'),
    ...status.modems.map((m) => h('p', {}, m.name + ' — ' + m.device + ' — ' + m.state +
      (m.operator ? ' — ' + m.operator : '') + (m.signal_percent !== null ? ' — signal ' + m.signal_percent + ' %' : '')))),
  h('p', { class: 'muted' }, 'Le nom et le téléphone du centre, les heures d\u2019envoi et les débits se règlent dans /etc/rappel/rappel.conf (rechargé par « systemctl reload rappel »).'),
  isStaff() ? h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    try { await api('POST', '/messages', { to: to.value, body: 'Test de rappel : ce SMS est bien arrivé.' }); toast('SMS de test en file.'); } catch (e) { showError(err, e); }
  } }, h('h2', {}, 'SMS de test'), field(t('Téléphone'), to), err, h('button', { type: 'submit' }, 'Envoyer un SMS de test')) : null,
  h('p', { class: 'muted' }, 'Version ' + status.version));
}

/* ---- router ------------------------------------------------------ */

const ROUTES = [
  [/^#\/tableau$/, pageDashboard], [/^#\/contacts$/, pageContacts], [/^#\/contacts\/nouveau$/, () => pageContact(null)],
  [/^#\/contacts\/import$/, pageImport], [/^#\/contacts\/(\d+)$/, (p, m) => pageContact(m[1])],
  [/^#\/groupes$/, pageGroups], [/^#\/ateliers$/, pageEvents], [/^#\/ateliers\/nouveau$/, pageEventNew],
  [/^#\/ateliers\/(\d+)$/, (p, m) => pageEvent(m[1], p)], [/^#\/campagnes$/, pageCampaigns],
  [/^#\/campagnes\/nouvelle$/, pageCampaignNew], [/^#\/campagnes\/(\d+)$/, (p, m) => pageCampaign(m[1])],
  [/^#\/reponses$/, pageReplies], [/^#\/messages$/, pageMessages], [/^#\/utilisateurs$/, pageUsers],
  [/^#\/parametres$/, pageSettings],
];

async function route() {
  const [path, query] = (location.hash || '#/tableau').split('?');
  const params = new URLSearchParams(query || '');
  if (!session.user) {
    try {
      const s = await api('GET', '/session');
      session.user = s.user;
      if (s.csrf_token) { session.csrf = s.csrf_token; sessionStorage.setItem('rappel.csrf', s.csrf_token); }
    } catch (e) { session.user = null; }
  }
  renderChrome();
  if (!session.user || path === '#/connexion') {
    if (session.user) { location.hash = '#/tableau'; return; }
    pageLogin();
    return;
  }
  for (const [re, fn] of ROUTES) {
    const m = path.match(re);
    if (m) {
      try { await fn(params, m); } catch (e) {
        if (e.status !== 401) page('Erreur', h('p', { class: 'error', role: 'alert' }, e.message));
      }
      $('#main').focus({ preventScroll: true });
      document.body.dataset.ready = path;
      return;
    }
  }
  location.hash = '#/tableau';
}

window.addEventListener('hashchange', route);
document.documentElement.lang = lang;
route();
