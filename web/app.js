/*
 * rappel — the panel.  A page per hash (#/contacts ...), built with h(),
 * which only ever sets text (textContent), never HTML: whatever a user
 * typed is shown as text.  Everything comes from the JSON API; the API
 * enforces the roles, the menu only hides what a role cannot use.
 */
'use strict';

/* ---- language ----------------------------------------------------
 * The panel is written in French.  t('texte {n}', {n: 3}) gives the
 * English text of EN when the English switch is on, and fills {name}
 * from vars in both languages.  A text missing from EN stays French.
 * Server messages are French; those the panel knows are in EN too.
 */
const EN = {
  /* chrome, sign in */
  'Aller au contenu': 'Skip to content', 'Menu principal': 'Main menu',
  'Connexion': 'Sign in', 'Identifiant': 'Login', 'Mot de passe': 'Password',
  'Se connecter': 'Sign in', 'Déconnexion': 'Sign out',
  'Votre session a été fermée : reconnectez-vous.': 'Your session was closed: sign in again.', 'English': 'Français', 'Erreur': 'Error',
  'Erreur {status}': 'Error {status}', '{head} : ': '{head}: ',
  'Tableau de bord': 'Dashboard', 'Contacts': 'Contacts', 'Groupes': 'Groups', 'Ateliers': 'Workshops',
  'Campagnes': 'Campaigns', 'Réponses': 'Replies', 'Messages': 'Messages',
  'Utilisateurs': 'Users', 'Paramètres': 'Settings',
  /* common */
  'Prendre le {date}': 'Use {date}',
  'Enregistrer': 'Save', 'Annuler': 'Cancel', 'Supprimer': 'Delete', 'Rechercher': 'Search',
  'Prénom': 'First name', 'Nom': 'Last name', 'Téléphone': 'Phone', 'Langue': 'Language',
  'Groupe': 'Group', 'Tous': 'All', 'Notes': 'Notes', 'Oui': 'Yes', 'Non': 'No', 'Statut': 'Status',
  'Texte': 'Text', 'Titre': 'Title', 'Lieu': 'Place', 'Début': 'Start', 'Fin': 'End',
  'Capacité': 'Capacity', 'Récurrence': 'Recurrence', 'Invités': 'Invitees', 'Atelier': 'Workshop',
  'Envoyer': 'Send', 'Créer': 'Create',
  /* dashboard */
  'Prochains ateliers': 'Next workshops', 'Réponses à traiter': 'Replies to handle',
  'Modem': 'Modem', 'File d\u2019attente': 'Queue', 'Problèmes': 'Problems', 'Aucun problème.': 'No problem.',
  '{n} à traiter': '{n} to handle', 'Aucun atelier à venir.': 'No workshop coming up.',
  'Sans réponse': 'No answer', 'Aucun modem.': 'No modem.',
  'En attente : {queued} · en cours : {sending} · en échec : {failed} · incertains : {uncertain}':
    'Waiting: {queued} · sending: {sending} · failed: {failed} · uncertain: {uncertain}',
  'Le modem « {name} » est {state}{error} : vérifiez qu\u2019il est branché et que la carte SIM est en place.':
    'The modem “{name}” is {state}{error}: check that it is plugged in and that the SIM card is in place.',
  'Le signal du modem « {name} » est faible ({n} %) : rapprochez-le d\u2019une fenêtre.':
    'The signal of the modem “{name}” is weak ({n} %): move it closer to a window.',
  'Aucun modem n\u2019est configuré : les SMS attendent dans la file. Ajoutez une section [modem] à la configuration.':
    'No modem is configured: the SMS wait in the queue. Add a [modem] section to the configuration.',
  'La sauvegarde de la nuit a échoué ({error}) : vérifiez que la clé USB est branchée et qu\u2019il reste de la place.':
    'Last night\u2019s backup failed ({error}): check that the USB stick is plugged in and has room left.',
  'Aucune sauvegarde depuis plus de deux jours : vérifiez que la clé USB est branchée et que le boîtier reste allumé la nuit.':
    'No backup for more than two days: check that the USB stick is plugged in and that the box stays on at night.',
  ' — signal {n} %': ' — signal {n} %', '{name} : {state}': '{name}: {state}',
  'Le modem « {name} » est arrêté : {error}': 'The modem “{name}” is stopped: {error}',
  'Simuler une réponse': 'Simulate a reply',
  'Jetons d\u2019accès (API)': 'Access tokens (API)',
  'Un jeton permet à un script ou à un autre logiciel d\u2019utiliser rappel en votre nom. Révoquez celui qui ne sert plus.':
    'A token lets a script or another program use rappel on your behalf. Revoke the ones no longer used.',
  'Nom du jeton': 'Token name', 'Utilisateur': 'User', 'Créé le': 'Created', 'Dernier usage': 'Last used', 'Expire le': 'Expires',
  'Révoquer le jeton « {label} »': 'Revoke the token “{label}”',
  'Révoquer le jeton « {label} » ? Les scripts qui l\u2019utilisent ne pourront plus se connecter.':
    'Revoke the token “{label}”? The scripts that use it will no longer get in.',
  'Jeton révoqué.': 'Token revoked.', 'Révoquer': 'Revoke', 'Aucun jeton.': 'No token.',
  'Copiez ce jeton maintenant : il ne sera plus jamais affiché.': 'Copy this token now: it will never be shown again.',
  'C\u2019est copié': 'Copied', 'Nouveau jeton': 'New token', 'À quoi il sert': 'What it is for',
  'Valable (jours)': 'Valid for (days)', 'Créer le jeton': 'Create the token',
  'Le modem est simulé : écrivez ce qu\u2019une famille répondrait. Le SMS arrive comme un vrai dans quelques secondes.':
    'The modem is simulated: write what a family would answer. The SMS comes in like a real one within seconds.',
  'Réponse simulée envoyée : elle arrive dans quelques secondes.': 'Simulated reply sent: it comes in within seconds.',
  'Numéro de la famille': 'The family\u2019s number', 'Sa réponse': 'Their reply',
  'Envoyer la réponse simulée': 'Send the simulated reply',
  'Le disque de rappel est plein : les SMS ne partent plus et les réponses attendent sur la carte SIM. Libérez de la place (anciennes sauvegardes, journaux) : l\u2019envoi reprend tout seul.':
    'rappel\u2019s disk is full: no SMS goes out and replies wait on the SIM card. Free some space (old backups, logs): sending resumes by itself.',
  /* contacts */
  'Ajouter un contact': 'Add a contact', 'Importer un fichier CSV': 'Import a CSV file', 'Exporter': 'Export',
  'SMS': 'SMS', 'oui': 'yes', 'pas de portable': 'no mobile', 'STOP depuis le {date}': 'STOP since {date}',
  'Autres numéros du foyer': 'Other numbers of the household', 'Ajouter un numéro': 'Add a number',
  'Numéro {n}': 'Number {n}', 'Qui (mère, fils…)': 'Who (mother, son…)', 'reçoit les SMS': 'gets the SMS',
  'Ce numéro a demandé STOP le {date} : il ne reçoit plus de SMS.': 'This number sent STOP on {date}: it gets no more SMS.',
  'STOP le {date}': 'STOP on {date}',
  '06 12 34 56 78, +33 6 …': '06 12 34 56 78, +33 6 …', 'Appeler': 'Call',
  'Consentement': 'Consent', 'Date du consentement': 'Date of consent', 'Recueilli comment': 'Given how',
  'non indiqué': 'not given', 'formulaire papier signé': 'signed paper form', 'à l\u2019accueil, à l\u2019oral': 'at the desk, orally',
  'par téléphone': 'by phone', 'par SMS': 'by SMS', 'import d\u2019un fichier': 'imported from a file',
  'Ne plus recevoir de SMS (STOP)': 'No more SMS (STOP)',
  'La personne ne reçoit plus aucun SMS de campagne. Décochez seulement si elle le redemande.':
    'The person gets no campaign SMS any more. Untick only if they ask for them again.',
  'Contact enregistré.': 'Contact saved.', 'Contact effacé.': 'Contact erased.',
  'Effacer ce contact et ses messages (RGPD) ?': 'Erase this contact and their messages (GDPR)?',
  'Ce numéro est un fixe : il ne peut pas recevoir de SMS.': 'This number is a landline: it cannot receive SMS.',
  'Seul un référent ou un administrateur peut modifier ce contact.': 'Only a referent or an administrator can change this contact.',
  'fixe : ne reçoit pas de SMS': 'landline: gets no SMS', 'numéro spécial : ne reçoit pas de SMS': 'special number: gets no SMS',
  'Ce numéro spécial ne peut pas recevoir de SMS.': 'This special number cannot receive SMS.',
  'français': 'French', 'anglais': 'English', 'arabe': 'Arabic',
  /* waiting */
  '{day} n\u2019est pas un jour d\u2019envoi : partira {when}': '{day} is not a sending day: leaves {when}',
  'hors des heures d\u2019envoi : partira {when}': 'outside the sending hours: leaves {when}',
  'programmé : partira {when}': 'scheduled: leaves {when}',
  'aucun modem prêt : partira dès qu\u2019un modem le sera': 'no modem ready: leaves as soon as one is',
  'part dans un instant': 'leaves in a moment', 'partent dans un instant': 'leave in a moment',
  '{day} n\u2019est pas un jour d\u2019envoi : partiront {when}': '{day} is not a sending day: they leave {when}',
  'hors des heures d\u2019envoi : partiront {when}': 'outside the sending hours: they leave {when}',
  'programmés : partiront {when}': 'scheduled: they leave {when}',
  'aucun modem prêt : partiront dès qu\u2019un modem le sera': 'no modem ready: they leave as soon as one is',
  'Changer les heures d\u2019envoi': 'Change the sending hours',
  /* texts */
  'Séance complète : sur la liste d\u2019attente': 'Session full: on the waiting list', 'Une place s\u2019est libérée': 'A place is free',
  'La place libérée est prise': 'The free place is taken', 'Relance de ceux qui n\u2019ont pas répondu': 'Reminder to those who have not answered',
  '{n} personnes ont demandé « c\u2019est qui ? » ces 30 derniers jours : dites au début de vos SMS qui écrit (le nom du centre).':
    '{n} people asked “who is this?” in the last 30 days: say at the start of your SMS who writes (the centre\u2019s name).',
  '« C\u2019est qui ? » : {n} fois en 30 jours (réponse envoyée toute seule).': '“Who is this?”: {n} times in 30 days (answered automatically).',
  'Adresse du centre (dite à qui demande « c\u2019est qui ? »)': 'Address of the centre (told to whoever asks who writes)',
  'Réponse à STOP': 'Answer to STOP', 'Réponse à START': 'Answer to START', 'Réponse à AIDE': 'Answer to HELP',
  'Réponse à « c\u2019est qui ? »': 'Answer to “who is this?”', 'Merci après un OUI ou un NON': 'Thanks after a YES or a NO',
  'Séance annulée': 'Session cancelled',
  'Réponse à un appel (le numéro des SMS ne prend pas d\u2019appels)': 'Answer to a phone call (the SMS number takes no calls)',
  'a appelé': 'called', 'a appelé le {date}': 'called on {date}',
  'Ont appelé le numéro des SMS': 'Called the SMS number', 'rappelé(e)': 'called back', 'Rappelé(e)': 'Called back',
  '{name} rappelé(e)': '{name} called back', 'Sans fiche': 'No contact card',
  '(rappel a raccroché : rappelez la personne)': '(rappel hung up: call the person back)', '{what} en {language}': '{what} in {language}', 'Aucun texte changé.': 'No text changed.',
  'Textes enregistrés.': 'Texts saved.', 'Textes envoyés par rappel': 'Texts rappel sends by itself', 'modifié': 'changed',
  'Enregistrer les textes': 'Save the texts',
  'rappel envoie ces SMS tout seul, dans la langue de la personne. Variables : {centre}, {tel_centre}, {adresse} ; pour ceux qui parlent d\u2019une séance aussi {prenom}, {atelier}, {date}, {heure}, {lieu} ; pour la place libérée, {delai} (le temps pour répondre). Videz une case pour revenir au texte d\u2019origine.':
    'rappel sends these SMS by itself, in the person\u2019s language. Variables: {centre}, {tel_centre}, {adresse}; for those about a session also {prenom}, {atelier}, {date}, {heure}, {lieu}; for the place set free, {delai} (the time to answer). Empty a box to bring the original text back.',
  ' ({n} numéros : des proches reçoivent aussi)': ' ({n} numbers: relatives get it too)',
  /* undo */
  'Attention : cette date est passée. Enregistrez seulement pour noter une séance qui a déjà eu lieu.':
    'Careful: this date is past. Save only to record a session that already took place.',
  'Modifier l\u2019atelier': 'Edit the workshop', 'Atelier modifié.': 'Workshop saved.', 'Retour sans changer': 'Back without changes',
  'Annuler tout l\u2019atelier « {title} » ? Ses séances et les rappels en attente sont annulés ; les présences restent.':
    'Cancel the whole workshop “{title}”? Its sessions and waiting reminders are cancelled; attendance is kept.',
  'Atelier annulé.': 'Workshop cancelled.', 'Annuler l\u2019atelier': 'Cancel the workshop',
  '{n} atelier annulé': '{n} cancelled workshop', '{n} ateliers annulés': '{n} cancelled workshops', 'annulé le {date}': 'cancelled on {date}',
  'Cet atelier a été annulé le {date} : ses séances n\u2019ont plus lieu.': 'This workshop was cancelled on {date}: its sessions no longer take place.',
  'Le rétablir remet ses séances à venir. Ses campagnes restent annulées : invitez de nouveau si besoin.':
    'Restoring it brings its coming sessions back. Its campaigns stay cancelled: invite again if needed.',
  'Atelier rétabli.': 'Workshop restored.', 'Rétablir l\u2019atelier': 'Restore the workshop', 'Tous les ateliers': 'All workshops',
  'Déplacer cette séance': 'Move this session', 'Indiquez la nouvelle date et l\u2019heure.': 'Give the new date and time.',
  'Séance déplacée au {date}.': 'Session moved to {date}.', 'Nouvelle date et heure': 'New date and time',
  'Les rappels pas encore partis suivent la séance ; ceux qui ont déjà reçu l\u2019invitation ne sont pas prévenus automatiquement.':
    'Reminders not yet sent follow the session; those who already got the invitation are not told automatically.',
  'Déplacer la séance': 'Move the session', 'Modifier le brouillon': 'Edit the draft',
  'Le brouillon est gardé : corrigez puis programmez à nouveau.': 'The draft is kept: correct it, then schedule again.',
  'Envoyer maintenant': 'Send now', 'Choisir une autre date': 'Choose another date', 'Modifier': 'Edit',
  /* calls */
  'À appeler': 'To call', 'Personnes à appeler': 'People to call', 'Numéros': 'Numbers', 'Pourquoi': 'Why',
  'SMS envoyé': 'SMS sent', 'Appelé(e)': 'Called', 'portable': 'mobile', 'fixe': 'landline', 'aucun numéro': 'no number',
  'rien d\u2019envoyé': 'nothing sent', 'Réponse au téléphone de {name}': 'Answer on the phone of {name}',
  'Note sur l\u2019appel de {name}': 'Note on the call to {name}', 'Appelé(e) le {date} : {outcome}': 'Called on {date}: {outcome}',
  'ne répond pas': 'no pick-up', 'Choisissez ce que la personne a répondu.': 'Choose what the person answered.',
  'Appel enregistré.': 'Call saved.', 'Note (facultatif)': 'Note (optional)', 'Enregistrer l\u2019appel': 'Save the call', 'Imprimer': 'Print',
  'Aucune personne à appeler.': 'Nobody to call.',
  'Pour cette séance : les invités sans portable, ceux dont le SMS n\u2019est pas parti ou pas arrivé, ceux qui n\u2019ont pas répondu la veille, et ceux qui ont appelé le numéro des SMS.':
    'For this session: invitees without a mobile, those whose SMS did not leave or did not arrive, those with no answer the day before, and those who called the SMS number.',
  'Les 7 prochains jours : les invités sans portable, ceux dont le SMS n\u2019est pas parti ou pas arrivé, ceux qui n\u2019ont pas répondu la veille, et ceux qui ont appelé le numéro des SMS.':
    'The next 7 days: invitees without a mobile, those whose SMS did not leave or did not arrive, those with no answer the day before, and those who called the SMS number.',
  /* import */
  'Fichier': 'File', 'Vérifier le fichier': 'Check the file', 'Choisissez un fichier.': 'Choose a file.',
  'Importer les lignes acceptées': 'Import the accepted lines', 'Lignes refusées': 'Refused lines',
  'Ligne': 'Line', 'Raison': 'Reason',
  'Colonnes du fichier': 'Columns of the file', 'Colonne': 'Column', 'En-tête du fichier': 'Header in the file',
  'Contient': 'Holds', 'Contenu de la colonne {n}': 'What column {n} holds', 'Ne pas importer': 'Do not import',
  'reconnue': 'recognised', 'choisie': 'chosen', 'choisie la dernière fois': 'chosen last time',
  'Aucune colonne de téléphone reconnue : choisissez ci-dessus la colonne qui contient les numéros.':
    'No phone column recognised: choose above the column that holds the numbers.',
  'Aucune colonne de nom reconnue : choisissez ci-dessus la colonne du prénom ou du nom.':
    'No name column recognised: choose above the column of the first or last name.',
  'Un fichier enregistré par Excel ou LibreOffice (CSV, « ; » ou « , »), avec une ligne d\u2019en-tête : Prénom, Nom, Téléphone, Groupes, Langue…':
    'A file saved by Excel or LibreOffice (CSV, “;” or “,”), with a header line: Prénom, Nom, Téléphone, Groupes, Langue…',
  /* groups */
  'Nouveau groupe': 'New group', 'Supprimer le groupe « {name} » ? Ses contacts restent.':
    'Delete the group “{name}”? Its contacts stay.',
  /* ateliers */
  'Nouvel atelier': 'New workshop', 'Présences (CSV)': 'Attendance (CSV)', 'Prochaine séance': 'Next session',
  'Semaine du {date}': 'Week of {date}', '← précédente': '← previous', 'suivante →': 'next →', ' (annulée)': ' (cancelled)',
  'une séance': 'one session', 'chaque jour': 'every day', 'un {day} sur deux': 'every other {day}',
  'chaque {day}': 'every {day}', 'le {nth} {day} du mois': 'the {nth} {day} of the month', 'dernier': 'last',
  ', {n} séances': ', {n} sessions',
  'Une seule fois': 'Once', 'Chaque semaine, même jour': 'Every week, same day',
  'Toutes les deux semaines': 'Every other week', 'Chaque mois, même rang (ex. 2e vendredi)': 'Every month, same rank (e.g. 2nd Friday)',
  'sans fin': 'no end', 'Une séance.': 'One session.', 'Chaque {day}.': 'Every {day}.',
  'Un {day} sur deux.': 'Every other {day}.', 'Le {nth} {day} du mois.': 'The {nth} {day} of the month.',
  ' {n} séances.': ' {n} sessions.',
  'Indiquez la date et l\u2019heure de la première séance.': 'Give the date and time of the first session.',
  'Première séance': 'First session', 'Durée (minutes)': 'Length (minutes)', 'Nombre de séances': 'Number of sessions',
  'Invités (groupes)': 'Invitees (groups)', 'Séance': 'Session', '{n} places': '{n} places',
  'Rétablir cette séance ?': 'Restore this session?',
  'Annuler cette séance ? Les rappels en attente sont annulés, et un SMS prévient les personnes déjà invitées à cette séance ou qui ont dit OUI.':
    'Cancel this session? The waiting reminders are cancelled, and an SMS tells those already invited to it or who said YES.',
  'Séance annulée : {n} personne prévenue par SMS.': 'Session cancelled: {n} person told by SMS.',
  'Séance annulée : {n} personnes prévenues par SMS.': 'Session cancelled: {n} people told by SMS.',
  'Séance annulée. Personne n\u2019avait été invité à cette séance : aucun SMS envoyé.': 'Session cancelled. Nobody had been invited to it: no SMS sent.',
  'Rétablir la séance': 'Restore the session', 'Annuler la séance': 'Cancel the session', 'Inviter par SMS': 'Invite by SMS',
  'Invités {n}': 'Invitees {n}', 'Oui {n}': 'Yes {n}', 'Non {n}': 'No {n}', 'Sans réponse {n}': 'No answer {n}',
  'SMS remis {n}': 'SMS delivered {n}', 'Présents {n}': 'Present {n}', 'Réponse': 'Answer', 'Présent': 'Present',
  'En attente {n}': 'Waiting {n}', 'Places restantes {n}': 'Places left {n}', 'en liste d\u2019attente': 'on the waiting list',
  'place proposée jusqu\u2019au {at}': 'place offered until {at}', 'Sans réponse': 'No answer', 'Relancer': 'Chase up',
  'Tout le monde a répondu.': 'Everyone has answered.', 'Relance envoyée : {n} SMS.': 'Reminder sent: {n} SMS.',
  'Une relance est déjà partie le {at} ({by}, {n} SMS). Relancer encore ?': 'A reminder already went on {at} ({by}, {n} SMS). Send another?',
  '{n} SMS': '{n} SMS',
  'Pas relancés : {names}': 'Not reminded: {names}', 'Relancer encore ({n} SMS)': 'Remind again ({n} SMS)',
  'Envoyer la relance ({n} SMS)': 'Send the reminder ({n} SMS)', 'Aucune personne à relancer par SMS.': 'Nobody to remind by SMS.',
  'Sans réponse, 7 prochains jours': 'No answer, next 7 days', '{n} sans réponse': '{n} without an answer',
  '{n} en attente': '{n} waiting', 'Aucune séance dans les 7 prochains jours.': 'No session in the next 7 days.',
  'Cette séance a déjà commencé : il n\'y a plus personne à relancer.': 'This session has started: there is nobody left to remind.',
  'Personne à relancer : tout le monde a répondu, ou ceux qui n\'ont pas répondu ne reçoivent pas de SMS.': 'Nobody to remind: everyone answered, or those who did not get no SMS.',
  'Réponse de {name}': 'Answer of {name}', 'Présent : {name}': 'Present: {name}',
  'Invités : {groups}': 'Invitees: {groups}', 'aucun groupe': 'no group', 'Groupes invités': 'Invited groups',
  'Invités enregistrés.': 'Invitees saved.', 'Enregistrer les invités': 'Save the invitees',
  /* campaigns */
  'Nouvelle campagne': 'New campaign', 'Aucun': 'None', 'Ses invités reçoivent la campagne.': 'Its invitees get the campaign.',
  'Groupes destinataires': 'Recipient groups', 'Variables': 'Variables', 'Envoi': 'Sending', 'Aperçu': 'Preview',
  'Programmer': 'Schedule', 'Date et heure': 'Date and time', 'Rappels': 'Reminders', 'Pour': 'For',
  'les premiers destinataires': 'the first recipients', 'Enregistrer le brouillon': 'Save the draft',
  'Maintenant (dans les heures d\u2019envoi)': 'Now (within the sending hours)', 'À une date et une heure': 'At a date and time',
  'Chaque semaine, à partir de la date et l\u2019heure': 'Every week, from the date and time',
  'Chaque mois, même rang (ex. 1er lundi), à partir de la date': 'Every month, same rank (e.g. 1st Monday), from the date',
  'Rappels avant chaque séance de l\u2019atelier': 'Reminders before each session of the workshop',
  '3 semaines avant, à 10h': '3 weeks before, at 10:00', '1 semaine avant, à 10h': '1 week before, at 10:00',
  '2 jours avant, à 10h': '2 days before, at 10:00', 'la veille à 18h': 'the day before at 18:00', 'le jour même à 9h': 'the same day at 9:00',
  '{chars} caractères{wide} · {parts} SMS · reste {left} dans le dernier SMS':
    '{chars} characters{wide} · {parts} SMS · {left} left in the last SMS',
  ' ({ch} compte pour 2)': ' ({ch} counts as 2)', ' (+{n} : chaque émoji compte pour 2)': ' (+{n}: each emoji counts as 2)',
  ' · le caractère « {bad} » oblige l\u2019encodage coûteux (70 caractères par SMS)':
    ' · the character “{bad}” forces the costly encoding (70 characters per SMS)',
  'Utiliser la version sans accents': 'Use the version without accents',
  'Les signes typographiques (\u2019 « » – …) sont toujours remplacés par \' " - ... : ils ne coûtent rien.':
    'Typographic signs (\u2019 « » – …) are always replaced by \' " - ...: they cost nothing.',
  'Remplacer les accents (ê → e, ç → c…) pour payer moins de SMS': 'Replace accents (ê → e, ç → c…) to pay for fewer SMS',
  'Demander une réponse OUI / NON': 'Ask for a YES / NO reply',
  ', {n} ont demandé STOP': ', {n} asked for STOP',
  ', {n} sans portable': ', {n} without a mobile', ' · coût : ': ' · cost: ', '{n} SMS par envoi': '{n} SMS per sending',
  '{n} SMS au total': '{n} SMS in all', 'Sans accents, vous économiseriez {n} SMS par envoi.':
    'Without accents, you would save {n} SMS per sending.',
  'Campagne programmée.': 'Campaign scheduled.', 'Brouillon enregistré.': 'Draft saved.', 'Campagne': 'Campaign',
  'Statut : {status}': 'Status: {status}',
  'Annuler la campagne ? Les messages pas encore partis ne partiront pas.': 'Cancel the campaign? The messages not sent yet will not go.',
  /* messages, replies */
  'À': 'To', 'Envoyé': 'Sent', 'Renvoyer': 'Resend',
  'Ce message a peut-être déjà été reçu. Le renvoyer quand même ?': 'This message may have been received already. Resend it anyway?',
  'Conversation': 'Conversation', 'Marquer traité': 'Mark as handled', 'Répondre': 'Reply', 'Réponse envoyée.': 'Reply sent.',
  'Personne': 'Person', 'Dernier message': 'Last message', 'À traiter': 'To handle',
  'STOP depuis le {date} : aucun SMS ne peut être envoyé à ce numéro. Il en recevra de nouveau s\u2019il envoie START.':
    'STOP since {date}: no SMS can be sent to this number. It will get SMS again if it sends START.',
  'Numéros sans fiche qui ont demandé STOP': 'Numbers without a contact that sent STOP',
  'Ils ne reçoivent plus aucun SMS. Une fiche créée avec l\u2019un de ces numéros sera marquée STOP.':
    'They get no more SMS. A contact created with one of these numbers will be marked STOP.',
  'Numéro': 'Number', 'Depuis le': 'Since',
  /* users */
  '10 caractères au moins': '10 characters at least', 'Rôle': 'Role', 'Créer le compte': 'Create the account',
  ' (désactivé)': ' (disabled)', 'Réactiver': 'Enable', 'Désactiver': 'Disable',
  /* settings */
  'Centre et envoi': 'Centre and sending', 'Nom du centre': 'Name of the centre', 'Téléphone du centre': 'Phone of the centre',
  'Fuseau horaire': 'Time zone', 'Heures d\u2019envoi': 'Sending hours', 'Jours d\u2019envoi': 'Sending days',
  'SMS par minute et par modem': 'SMS per minute and per modem', 'SMS par jour et par modem': 'SMS per day and per modem',
  'Réponses OUI/NON attendues (hors atelier)': 'YES/NO replies awaited (without a workshop)', '{n} jours': '{n} days',
  'Modems': 'Modems', 'Réglages enregistrés.': 'Settings saved.',
  'Nom du centre (il signe chaque SMS)': 'Name of the centre (it signs every SMS)', 'De': 'From', 'À': 'To',
  'Réponses OUI/NON attendues (hors atelier), en jours': 'YES/NO replies awaited (without a workshop), in days',
  'Enregistrer les réglages': 'Save the settings',
  'Ces réglages remplacent ceux du fichier {file}. Les modems, le réseau et les sauvegardes se règlent dans ce fichier.':
    'These settings replace those of the file {file}. The modems, the network and the backups are set in that file.',
  'Seul un administrateur peut changer ces réglages.': 'Only an administrator can change these settings.',
  'SMS de test en file.': 'Test SMS queued.', 'SMS de test': 'Test SMS', 'Envoyer un SMS de test': 'Send a test SMS',
  'Version {v}': 'Version {v}',
  /* the card of the centre's number */
  'Carte du centre': 'The centre\u2019s card', 'Carte du numéro du centre': 'Card of the centre\u2019s number',
  'Imprimez la carte que les familles gardent pour reconnaître nos SMS.': 'Print the card families keep to recognise our SMS.',
  'Imprimer la carte du numéro': 'Print the number\u2019s card',
  'Indiquez le numéro SMS du centre dans les Paramètres pour imprimer la carte que les familles gardent.':
    'Give the centre\u2019s SMS number in the Settings to print the card families keep.',
  'Planche de 8 cartes': 'Sheet of 8 cards', 'Affiche A4': 'A4 poster', 'Imprimer': 'Print', 'Format': 'Format',
  'Découpez les cartes en suivant les pointillés. Imprimez sur du papier A4, à 100 % (sans ajuster à la page).':
    'Cut the cards along the dotted lines. Print on A4 paper, at 100 % (no fit to page).',
  'Nos SMS viennent de ce numéro\u00a0:': 'Our SMS come from this number:',
  'Code QR : ajouter {name} à vos contacts': 'QR code: add {name} to your contacts',
  'Scannez ce code avec l\u2019appareil photo pour enregistrer le numéro dans vos contacts.':
    'Scan this code with the camera to save the number in your contacts.',
  'Pour nous appeler\u00a0: {phone}': 'To call us: {phone}',
  'Nous ne demandons jamais de code, de mot de passe ni d\u2019argent par SMS.':
    'We never ask for a code, a password or money by SMS.',
  'Numéro SMS du centre (carte SIM du modem)': 'SMS number of the centre (the modem\u2019s SIM card)',
  'Il est imprimé sur la carte que les familles gardent. Un portable : 06 ou 07.':
    'It is printed on the card families keep. A mobile: 06 or 07.',
  'Numéro SMS du centre': 'SMS number of the centre',
  /* calendars */
  'Calendriers des ateliers': 'Workshop calendars',
  'Abonnez votre agenda (Thunderbird, Outlook, téléphone) à ces liens pour y voir les séances, annulations comprises. Qui a le lien voit les ateliers : ne le donnez qu\u2019à l\u2019équipe.':
    'Subscribe your calendar (Thunderbird, Outlook, phone) to these links to see the sessions there, cancellations included. Whoever has the link sees the workshops: give it to the team only.',
  'Tous les ateliers': 'All workshops', 'Lien': 'Link', 'Copier': 'Copy', 'Lien copié.': 'Link copied.',
  'Lien du calendrier : {name}': 'Calendar link: {name}', 'Copier le lien : {name}': 'Copy the link: {name}',
  'Renouveler le lien': 'Renew the link', 'Renouveler le lien : {name}': 'Renew the link: {name}',
  'Renouveler le lien de « {name} » ? L\u2019ancien lien ne marchera plus : donnez le nouveau à ceux qui l\u2019utilisent.':
    'Renew the link of “{name}”? The old link will stop working: give the new one to those who use it.',
  'Nouveau lien créé : l\u2019ancien ne marche plus.': 'New link made: the old one no longer works.',
  'Aucun atelier.': 'No workshop.',
  /* server messages the panel knows */
  'Identifiant ou mot de passe incorrect.': 'Wrong login or password.',
  'La requête est trop volumineuse.': 'The request is too large.',
  'Jeton CSRF absent ou invalide : rechargez la page et recommencez.': 'CSRF token missing or invalid: reload the page and try again.',
  'Ce contact n\'existe pas.': 'This contact does not exist.', 'Cet atelier n\'existe pas.': 'This workshop does not exist.',
  'Cette campagne n\'existe pas.': 'This campaign does not exist.', 'Ce groupe n\'existe pas.': 'This group does not exist.',
  'Cet utilisateur n\'existe pas.': 'This user does not exist.', 'Ce message n\'existe pas.': 'This message does not exist.',
  'Cette réponse n\'existe pas.': 'This reply does not exist.', 'L\'heure d\'envoi est passée.': 'The sending time is past.',
  'Ce jeton n\'existe pas.': 'This token does not exist.',
  'Donnez au jeton un nom de 1 à 80 caractères (à quoi il sert).': 'Give the token a name of 1 to 80 characters (what it is for).',
  '« days » doit être un nombre de jours de 1 à 3650.': '“days” must be a number of days from 1 to 3650.',
  'Ce champ contient un caractère de contrôle.': 'This field contains a control character.',
};
let lang = localStorage.getItem('rappel.lang') === 'en' ? 'en' : 'fr';
/* ctx tells apart one French word with two English ones: t('Nom', null, 'name') reads EN['Nom|name']. */
function t(s, vars, ctx) {
  const key = ctx ? s + '|' + ctx : s;
  const text = lang === 'en' && Object.prototype.hasOwnProperty.call(EN, key) ? EN[key] : s;
  return vars ? text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : text;
}
const locale = () => (lang === 'en' ? 'en-GB' : 'fr-FR');
function setLang(l) {
  lang = l;
  localStorage.setItem('rappel.lang', lang);
  document.documentElement.lang = lang;
  route();
}
/* The switch to the other language, named in that language. */
const langSwitch = () => h('button', { type: 'button', class: 'lang', lang: lang === 'fr' ? 'en' : 'fr',
  onclick: () => setLang(lang === 'fr' ? 'en' : 'fr') }, t('English'));

/*
 * Every state the API gives (messages, campaigns, modems, replies,
 * answers, roles ...) as staff read it: kind.value -> [French, English].
 * label(kind, value) falls back to the value itself, never to nothing.
 */
const LABELS = {
  'message.queued': ['en attente', 'waiting'], 'message.sending': ['en cours d\u2019envoi', 'sending'],
  'message.sent': ['envoyé', 'sent'], 'message.delivered': ['reçu', 'delivered'], 'message.failed': ['échec', 'failed'],
  'message.uncertain': ['incertain', 'uncertain'], 'message.cancelled': ['annulé', 'cancelled'],
  'campaign.draft': ['brouillon', 'draft'], 'campaign.scheduled': ['programmée', 'scheduled'],
  'campaign.running': ['en cours', 'running'], 'campaign.done': ['terminée', 'done'], 'campaign.cancelled': ['annulée', 'cancelled'],
  'modem.connecting': ['connexion en cours', 'connecting'], 'modem.pin_refused': ['code PIN refusé', 'PIN refused'],
  'modem.no_network': ['sans réseau', 'no network'], 'modem.ready': ['prêt', 'ready'],
  'modem.reconnecting': ['en reconnexion', 'reconnecting'], 'modem.benched': ['en pause après des échecs', 'paused after failures'],
  'modem.stopped': ['arrêté', 'stopped'],
  'intent.yes': ['OUI', 'YES'], 'intent.no': ['NON', 'NO'], 'intent.stop': ['STOP', 'STOP'],
  'intent.start': ['reprise des SMS (START)', 'SMS again (START)'], 'intent.help': ['aide demandée', 'help asked'],
  'intent.other': ['à lire', 'to read'], 'intent.who': ['demande qui écrit', 'asks who writes'],
  'intent.call': ['a appelé', 'called'],
  'answer.yes': ['Oui', 'Yes'], 'answer.no': ['Non', 'No'], 'answer.none': ['—', '—'],
  'via.sms': ['par SMS', 'by SMS'], 'via.manual': ['à la main', 'by hand'], 'via.phone': ['au téléphone', 'on the phone'],
  'reason.no_mobile': ['pas de portable', 'no mobile'], 'reason.failed': ['SMS non parti', 'SMS not sent'],
  'reason.not_delivered': ['SMS non remis', 'SMS not delivered'], 'reason.no_answer': ['pas encore répondu', 'no answer yet'],
  'reason.called': ['a appelé', 'called'],
  'call.yes': ['vient (oui)', 'coming (yes)'], 'call.no': ['ne vient pas (non)', 'not coming (no)'],
  'call.no_answer': ['ne répond pas', 'did not pick up'], 'call.wrong_number': ['faux numéro', 'wrong number'],
  'reason.stop': ['STOP', 'STOP'],
  'role.admin': ['administrateur', 'administrator'], 'role.referent': ['référent', 'referent'],
  'role.animateur': ['animateur', 'workshop leader'],
  'encoding.gsm7': ['GSM-7 (160 caractères par SMS)', 'GSM-7 (160 characters per SMS)'],
  'encoding.ucs2': ['Unicode (70 caractères par SMS)', 'Unicode (70 characters per SMS)'],
  'language.fr': ['français', 'French'], 'language.en': ['anglais', 'English'], 'language.ar': ['arabe', 'Arabic'],
};
function label(kind, value) {
  if (value === null || value === undefined || value === '') return '—';
  const l = LABELS[kind + '.' + value];
  return l ? l[lang === 'en' ? 1 : 0] : String(value);
}
const DAY_NAMES = { fr: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] };
const dayName = (i) => DAY_NAMES[lang][i];
/* 1 -> "1er" / "1st", -1 -> "dernier" / "last". */
function ordinal(n) {
  if (n < 0) return t('dernier');
  if (lang === 'en') return n + ({ 1: 'st', 2: 'nd', 3: 'rd' }[n] || 'th');
  return n + (n === 1 ? 'er' : 'e');
}

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
function toast(text, ms) {
  const el = $('#toast');
  el.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.textContent = ''; }, ms || 4000);
}
function page(title, ...content) {
  const main = $('#main');
  main.replaceChildren(h('h1', { dir: 'auto' }, title), ...content.filter((c) => c != null));
  document.title = title + ' — rappel';
}
const fmtDate = (iso) => iso ? new Date(iso).toLocaleString(locale(),
  { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) : '—';
const fmtDay = (iso) => iso ? new Date(iso).toLocaleDateString(locale(), { day: 'numeric', month: 'short', year: 'numeric' }) : '—';
/* What a cell of a table.stack says before its value on a phone, its column's head hidden (app.css). */
const cellLabel = (head) => t('{head} : ', { head: t(head) });
const checked = (boxes) => boxes.map((b) => b.firstChild).filter((x) => x.checked).map((x) => x.value);

/* ---- API --------------------------------------------------------- */

/* closed: the server ended the session of this tab (a password reset); back: the page it was on */
const session = { user: null, csrf: sessionStorage.getItem('rappel.csrf') || '', closed: false, back: null };

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || t('Erreur {status}', { status }));
    this.status = status;
    this.field = body && body.error && body.error.field;
    this.code = body && body.error && body.error.code;
    this.suggestion = body && body.error && body.error.suggestion;
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
    if (session.user) {
      session.closed = true;
      session.back = location.hash !== '#/connexion' ? location.hash : null;
    }
    session.user = null;
    renderChrome();
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
  box.textContent = serverText(err);
  box.className = 'error';
  if (err.field) {
    const el = document.querySelector('[name="' + CSS.escape(err.field) + '"]');
    if (el) { el.setAttribute('aria-invalid', 'true'); el.focus(); }
  }
}
const errorBox = () => h('p', { role: 'alert' });

/* ---- server messages in the panel's language --------------------
 * The server words its refusals in French.  In French the panel shows
 * them with the typographic apostrophe; in English it shows EN's
 * sentence, or a pattern's, or, for a sentence it does not know, one
 * made from the error's stable code (and the field at fault).
 */
Object.assign(EN, {
  'Le mot de passe actuel n\'est pas le bon.': 'The current password is wrong.',
});
const SERVER_EN = [
  [/^Un groupe « (.*) » existe déjà\.$/, 'A group “$1” already exists.'],
  [/^Le champ « (.*) » est obligatoire\.$/, 'The field “$1” is required.'],
  [/^Le champ « (.*) » doit être un texte\.$/, 'The field “$1” must be a text.'],
  [/^La variable \{(.*)\} n'existe pas\./, 'The variable {$1} is unknown: use the buttons to insert one.'],
  /* the reasons an import gives for a refused line (daemon/import.c) and a number's (daemon/phone.c) */
  [/^numéro « (.*) » invalide : (.*)$/, (x) => `number “${x[1]}” is invalid: ${PHONE_EN[x[2]] || x[2]}`],
  [/^Numéro « (.*) » invalide : (.*)\.$/, (x) => `Number “${x[1]}” is invalid: ${PHONE_EN[x[2]] || x[2]}.`],
  [/^numéro de téléphone manquant$/, 'phone number missing'],
  [/^même numéro qu'à la ligne (\d+)$/, 'same number as line $1'],
  [/^prénom et nom manquants$/, 'first and last name missing'],
  [/^(\d+) colonnes au lieu de (\d+) \(un ; ou une , en trop ou en moins \?\)$/, '$1 columns instead of $2 (a ; or a , too many or missing?)'],
  [/^langue « (.*) » inconnue \(attendu : fr, en ou ar\)$/, 'unknown language “$1” (expected: fr, en or ar)'],
  [/^consentement « (.*) » illisible \(attendu : une date comme 12\/03\/2025, ou « oui »\)$/,
    'consent “$1” unreadable (expected: a date such as 12/03/2025, or “oui”)'],
  [/^le numéro (\S+) est un numéro secondaire du contact n° (\d+) \((.*)\) ; modifiez sa fiche plutôt$/,
    'the number $1 is a second number of contact no. $2 ($3): change their card instead'],
];
const PHONE_EN = {
  'numéro vide': 'empty number', 'caractère non autorisé dans le numéro': 'a character that a number cannot hold',
  'numéro trop court': 'number too short', 'numéro trop long': 'number too long',
  'numéro français invalide (10 chiffres attendus)': 'invalid French number (10 digits expected)',
  '« + » mal placé dans le numéro': '“+” in the wrong place', 'indicatif de pays invalide': 'invalid country code',
  '« 0 » en trop après l\'indicatif de pays': 'a “0” too many after the country code',
  'ce numéro n\'existe pas (aucun opérateur n\'a cette tranche de numéros)': 'this number does not exist (no operator has this range of numbers)',
  'format inconnu': 'unknown format',
};
const CODE_EN = {
  invalid: 'The request was refused: check the field “{field}”.', missing_field: 'The field “{field}” is required.',
  invalid_type: 'The field “{field}” has the wrong type.', invalid_json: 'The request is invalid.',
  unknown_variable: 'This text uses an unknown variable: use the buttons to insert one.',
  needs_event: 'The variables {atelier}, {date}, {heure} and {lieu} need a workshop.',
  forbidden: 'You are not allowed to do this.', not_found: 'Not found: it may have been deleted.',
  conflict: 'Refused as the data stands now.', duplicate_name: 'This name is already taken.',
  duplicate_phone: 'This number is already someone else\u2019s.', duplicate_login: 'This login is already taken.',
  last_admin: 'This is the last administrator: name another one first.', self: 'You cannot delete your own account.',
  wrong_password: 'The current password is wrong.', bad_credentials: 'Wrong login or password.',
  rate_limited: 'Too many attempts: try again in a few minutes.', in_the_past: 'This time is past.',
  internal: 'Internal error.', started: 'This campaign has begun: it can no longer become a draft. Duplicate it to write another.',
  not_cancelled: 'This workshop is not cancelled.',
};
function serverText(err) {
  const m = (err && err.message) || '';
  if (lang !== 'en') return m.replace(/'/g, '\u2019');
  if (Object.prototype.hasOwnProperty.call(EN, m)) return EN[m];
  for (const [re, en] of SERVER_EN) {
    const x = m.match(re);
    if (x) return typeof en === 'function' ? en(x) : en.replace(/\$(\d)/g, (_, i) => x[i]);
  }
  const byCode = CODE_EN[err && err.code];
  if (byCode && (err.field || !byCode.includes('{field}'))) return byCode.replace('{field}', err.field || '');
  return err && err.status ? t('Erreur {status}', { status: err.status }) : m;
}

/* ---- layout ------------------------------------------------------ */

const MENU = [
  ['#/tableau', 'Tableau de bord', null],
  ['#/contacts', 'Contacts', null],
  ['#/groupes', 'Groupes', null],
  ['#/ateliers', 'Ateliers', null],
  ['#/campagnes', 'Campagnes', null],
  ['#/reponses', 'Réponses', null],
  ['#/appels', 'À appeler', null],
  ['#/messages', 'Messages', null],
  ['#/utilisateurs', 'Utilisateurs', 'admin'],
  ['#/parametres', 'Paramètres', null],
];
const isStaff = () => session.user && session.user.role !== 'animateur';
const isAdmin = () => session.user && session.user.role === 'admin';

function renderChrome() {
  $('.skip').textContent = t('Aller au contenu');
  $('#nav').setAttribute('aria-label', t('Menu principal'));
  const top = $('#top');
  top.hidden = !session.user;
  if (!session.user) {
    /* nothing of the last user stays, even hidden */
    $('#nav').replaceChildren();
    $('#who').replaceChildren();
    return;
  }
  const here = location.hash.split('?')[0];
  $('#nav').replaceChildren(...MENU.filter(([, , who]) =>
    !who || (who === 'staff' && isStaff()) || (who === 'admin' && isAdmin()))
    .map(([href, text]) => h('a', { href, 'aria-current': here.startsWith(href) ? 'page' : null }, t(text))));
  $('#who').replaceChildren(
    h('span', {}, session.user.login + ' (' + label('role', session.user.role) + ')'),
    langSwitch(), h('button', { type: 'button', onclick: logout }, t('Déconnexion')));
}

async function logout() {
  try { await api('DELETE', '/session'); } catch (e) { /* gone already */ }
  session.user = null;
  session.closed = false;
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
      /* back to the page asked for, or the one a closed session was on */
      const to = location.hash && location.hash !== '#/connexion' ? location.hash : session.back || '#/tableau';
      session.closed = false;
      session.back = null;
      if (location.hash === to) route(); else location.hash = to;
    } catch (e) { showError(err, e); }
  } }, h('h1', {}, t('Connexion')),
  session.closed ? h('p', { class: 'warn', role: 'alert' }, t('Votre session a été fermée : reconnectez-vous.')) : null,
  field(t('Identifiant'), login), field(t('Mot de passe'), password),
  err, h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Se connecter')), langSwitch()));
  $('#main').replaceChildren(form);
  document.title = t('Connexion') + ' — rappel';
  login.focus();
}

/* A modem in one line: name, state, operator, signal. */
const modemLine = (m) => t('{name} : {state}', { name: m.name, state: label('modem', m.state) }) + (m.operator ? ' — ' + m.operator : '') +
  (m.signal_percent !== null && m.signal_percent !== undefined ? t(' — signal {n} %', { n: m.signal_percent }) : '');

async function pageDashboard() {
  const [status, events, inbox, coming] = await Promise.all([api('GET', '/status'),
    api('GET', '/events'), api('GET', '/inbox'), api('GET', '/reports/coming?days=7')]);
  const problems = [];
  const next = events.filter((e) => e.next_occurrence)
    .sort((a, b) => a.next_occurrence.starts_at.localeCompare(b.next_occurrence.starts_at)).slice(0, 5);
  const rows = await Promise.all(next.map(async (e) => {
    const r = await api('GET', '/events/' + e.id + '/rsvps?occurrence=' + e.next_occurrence.occurrence);
    return h('tr', {}, h('td', {}, h('a', { href: '#/ateliers/' + e.id, dir: 'auto' }, e.title)),
      h('td', {}, fmtDate(e.next_occurrence.starts_at)),
      h('td', {}, h('span', { class: 'badge yes' }, String(r.counts.yes))),
      h('td', {}, h('span', { class: 'badge no' }, String(r.counts.no))),
      h('td', {}, String(r.counts.none)));
  }));
  if (status.disk && status.disk.full) {
    problems.push(t('Le disque de rappel est plein : les SMS ne partent plus et les réponses attendent sur la carte SIM. Libérez de la place (anciennes sauvegardes, journaux) : l\u2019envoi reprend tout seul.'));
  }
  for (const m of status.modems) {
    if (m.state === 'pin_refused' && m.last_error) {
      problems.push(t('Le modem « {name} » est arrêté : {error}', { name: m.name, error: m.last_error }));
    } else if (m.state !== 'ready') {
      problems.push(t('Le modem « {name} » est {state}{error} : vérifiez qu\u2019il est branché et que la carte SIM est en place.',
        { name: m.name, state: label('modem', m.state), error: m.last_error ? ' (' + m.last_error + ')' : '' }));
    } else if (m.signal_percent !== null && m.signal_percent < 20) {
      problems.push(t('Le signal du modem « {name} » est faible ({n} %) : rapprochez-le d\u2019une fenêtre.',
        { name: m.name, n: m.signal_percent }));
    }
  }
  if (!status.modems.length) problems.push(t('Aucun modem n\u2019est configuré : les SMS attendent dans la file. Ajoutez une section [modem] à la configuration.'));
  if (status.who_asked_30d >= 5) {
    problems.push(t('{n} personnes ont demandé « c\u2019est qui ? » ces 30 derniers jours : dites au début de vos SMS qui écrit (le nom du centre).',
      { n: status.who_asked_30d }));
  }
  if (status.queue.failed) problems.push(tn(status.queue.failed, '{n} message en échec : voyez la page Messages pour le renvoyer.',
    '{n} messages en échec : voyez la page Messages pour les renvoyer.'));
  if (status.queue.uncertain) problems.push(tn(status.queue.uncertain, '{n} message incertain (coupure pendant l\u2019envoi) : vérifiez avec la personne avant de le renvoyer.',
    '{n} messages incertains (coupure pendant l\u2019envoi) : vérifiez avec la personne avant de renvoyer.'));
  const backup = status.backup;
  if (backup && backup.dir) {
    if (backup.last && !backup.last.ok) {
      problems.push(t('La sauvegarde de la nuit a échoué ({error}) : vérifiez que la clé USB est branchée et qu\u2019il reste de la place.',
        { error: backup.last.error || '' }));
    } else if (!backup.last || Date.now() - Date.parse(backup.last.at) > 2 * 86400 * 1000) {
      problems.push(t('Aucune sauvegarde depuis plus de deux jours : vérifiez que la clé USB est branchée et que le boîtier reste allumé la nuit.'));
    }
  }
  page(t('Tableau de bord'),
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, t('Réponses à traiter')),
        inbox ? h('p', {}, h('a', { href: '#/reponses' }, t('{n} à traiter', { n: inbox.unhandled }))) : h('p', { class: 'muted' }, '—'),
        status.who_asked_30d ? h('p', { class: 'muted' }, t('« C\u2019est qui ? » : {n} fois en 30 jours (réponse envoyée toute seule).',
          { n: status.who_asked_30d })) : null),
      h('section', { class: 'card', id: 'modems' }, h('h2', {}, t('Modem')),
        status.modems.length ? status.modems.map((m) => h('p', {}, modemLine(m))) : h('p', { class: 'muted' }, t('Aucun modem.'))),
      h('section', { class: 'card' }, h('h2', {}, t('File d\u2019attente')),
        h('p', {}, t('En attente : {queued} · en cours : {sending} · en échec : {failed} · incertains : {uncertain}', status.queue)),
        waitLine(status.queue.waiting, status.queue.queued))),
    h('section', { class: 'card' }, h('h2', {}, t('Problèmes')),
      problems.length ? h('ul', { class: 'problems' }, problems.map((p) => h('li', {}, h('span', { class: 'badge problem' }, '!'), ' ', p)))
        : h('p', { class: 'ok' }, t('Aucun problème.'))),
    comingWeek(coming),
    h('section', { class: 'card' }, h('h2', {}, t('Prochains ateliers')),
      next.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {},
        h('th', {}, t('Atelier')), h('th', {}, t('Début')), h('th', {}, t('Oui')), h('th', {}, t('Non')),
        h('th', {}, t('Sans réponse')))), h('tbody', {}, rows)))
        : h('p', { class: 'muted' }, t('Aucun atelier à venir.'))),
    cardOffer(status));
}

/* The sessions of the next 7 days, with how many are still without an answer. */
function comingWeek(coming) {
  return h('section', { class: 'card', id: 'coming' }, h('h2', {}, t('Sans réponse, 7 prochains jours')),
    coming.length ? h('ul', {}, coming.map((s) => h('li', {},
      h('a', { href: '#/ateliers/' + s.event_id + '?seance=' + s.session.occurrence, dir: 'auto' }, s.title), ' · ' + fmtDate(s.session.starts_at) + ' · ',
      h('strong', {}, t('{n} sans réponse', { n: s.none })),
      s.waiting ? ' · ' + t('{n} en attente', { n: s.waiting }) : ''))) : h('p', { class: 'muted' }, t('Aucune séance dans les 7 prochains jours.')));
}

/* ---- contacts and groups ----------------------------------------- */

async function pageContacts(params) {
  const groups = await api('GET', '/groups');
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') || '', dir: 'auto' });
  const g = h('select', { name: 'group_id' }, h('option', { value: '' }, t('Tous')),
    groups.map((x) => h('option', { value: x.id, selected: String(x.id) === params.get('group_id'), dir: 'auto' }, x.name)));
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
    h('p', { class: 'muted' }, tn(list.length, '{n} contact', '{n} contacts')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'stack' }, h('thead', {}, h('tr', {}, h('th', {}, t('Nom', null, 'name')),
      h('th', {}, t('Téléphone')), h('th', {}, t('Groupes')), h('th', {}, t('SMS')))),
    h('tbody', {}, list.map((c) => h('tr', {},
      h('td', {}, h('a', { href: '#/contacts/' + c.id, dir: 'auto' }, (c.first_name + ' ' + c.last_name).trim())),
      h('td', { class: 'phone' }, c.phone ? fmtPhone(c.phone) : '—'),
      /* an animateur's GET /groups lacks the groups they may not see: nothing of those */
      h('td', { dir: 'auto', 'data-label': cellLabel('Groupes') }, c.group_ids.filter((id) => id in groupName).map((id) => groupName[id]).join(', ') || null),
      h('td', { 'data-label': cellLabel('SMS') }, c.opted_out_at ? h('span', { class: 'badge no' }, t('STOP depuis le {date}', { date: fmtDay(c.opted_out_at) }))
        : (c.phones || []).some((x) => x.sms) ? t('oui') : h('span', { class: 'badge problem' }, t('pas de portable')))))))));
}

/* Where consent was given: the stored value (French) and its label. */
const CONSENT_SOURCES = ['formulaire papier signé', 'à l\u2019accueil, à l\u2019oral', 'par téléphone', 'par SMS', 'import d\u2019un fichier'];

async function pageContact(id, params) {
  const groups = await api('GET', '/groups');
  /* « Créer le contact » from an unknown number's conversation brings the number (?numero=) */
  const c = id ? await api('GET', '/contacts/' + id) : { first_name: '', last_name: '', phone: (params && params.get('numero')) || '',
    language: 'fr', group_ids: [], notes: '' };
  const first = h('input', { type: 'text', name: 'first_name', value: c.first_name, autocomplete: 'off', dir: 'auto' });
  const last = h('input', { type: 'text', name: 'last_name', value: c.last_name, autocomplete: 'off', dir: 'auto' });
  /* numbers as people write them: the API takes 03 21 … as well as +333 21 … */
  const phone = h('input', { type: 'tel', name: 'phone', value: c.phone ? fmtPhone(c.phone) : '' });
  const language = h('select', { name: 'language' }, ['fr', 'en', 'ar']
    .map((v) => h('option', { value: v, selected: c.language === v }, label('language', v))));
  const notes = h('textarea', { name: 'notes', dir: 'auto' }, c.notes || '');
  const boxes = groups.map((g) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: g.id,
    checked: c.group_ids.includes(g.id) }), h('span', { dir: 'auto' }, g.name)));
  /* consent (RGPD) and opt-out */
  const consentAt = h('input', { type: 'date', name: 'consent_at', value: c.consent_at ? c.consent_at.slice(0, 10) : '' });
  /* imports before 2026-12 wrote « import CSV »: the same choice as « import d'un fichier » */
  if (c.consent_source === 'import CSV') c.consent_source = CONSENT_SOURCES[4];
  const sources = CONSENT_SOURCES.includes(c.consent_source || '') || !c.consent_source ? CONSENT_SOURCES
    : [...CONSENT_SOURCES, c.consent_source];
  const consentSource = h('select', { name: 'consent_source' }, h('option', { value: '' }, t('non indiqué')),
    sources.map((s) => h('option', { value: s, selected: s === c.consent_source }, t(s))));
  const optedOut = h('input', { type: 'checkbox', name: 'opted_out', checked: !!c.opted_out_at });
  /* a number that sent STOP is refused whoever has it (the first one opts the contact out) */
  const mainOut = c.phones && c.phones[0] ? c.phones[0].opted_out_at : null;
  /* a main number that takes no SMS: the API flags a landline or a special number so */
  const mainNoSms = c.phones && c.phones[0] && !c.phones[0].sms && !mainOut ? c.phones[0].number : null;
  /* the household: other numbers (a parent, a relative), each taking SMS or not */
  const household = h('div', {});
  const addNumber = (p) => {
    const n = household.children.length + 2;
    household.append(h('div', { class: 'toolbar household' },
      field(t('Numéro {n}', { n }), h('input', { type: 'tel', value: p ? fmtPhone(p.number) : '' })),
      field(t('Qui (mère, fils…)'), h('input', { type: 'text', value: p ? p.label : '', dir: 'auto' })),
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', checked: p ? p.sms : true }), t('reçoit les SMS')),
      p && p.opted_out_at ? h('span', { class: 'badge no' }, t('STOP le {date}', { date: fmtDay(p.opted_out_at) })) : null));
  };
  (c.phones || []).slice(1).forEach(addNumber);
  const err = errorBox();
  /* an animateur reads the contact: the API refuses their changes */
  const readOnly = !isStaff();
  const form = h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    if (readOnly) return;
    const others = [...household.children].map((row) => row.querySelectorAll('input'))
      .filter((i) => i[0].value.trim()).map((i) => ({ number: i[0].value, label: i[1].value, sms: i[2].checked }));
    const body = { first_name: first.value, last_name: last.value, language: language.value, notes: notes.value,
      group_ids: checked(boxes).map(Number), opted_out: optedOut.checked };
    if (consentAt.value !== (c.consent_at || '').slice(0, 10)) body.consent_at = consentAt.value;
    if (consentSource.value !== (c.consent_source || '')) body.consent_source = consentSource.value;
    if (others.length || (c.phones || []).length > 1) body.phones = [{ number: phone.value, label: '', sms: true }, ...others];
    else body.phone = phone.value;
    try {
      const r = await api(id ? 'PATCH' : 'POST', id ? '/contacts/' + id : '/contacts', body);
      const warnings = (r.warnings || []).map((w) => (w.number ? fmtPhone(w.number) + ' : ' : '') + serverText(w));
      toast([t('Contact enregistré.'), ...warnings].join(' '), warnings.length ? 10000 : 4000);
      location.hash = '#/contacts';
    } catch (e) { showError(err, e); }
  } }, readOnly ? h('p', { class: 'warn', role: 'note' }, t('Seul un référent ou un administrateur peut modifier ce contact.')) : null,
  field(t('Prénom'), first), field(t('Nom'), last), field(t('Téléphone'), phone, readOnly ? null : t('06 12 34 56 78, +33 6 …')),
  mainOut ? h('p', { class: 'badge no' }, t('Ce numéro a demandé STOP le {date} : il ne reçoit plus de SMS.', { date: fmtDay(mainOut) })) : null,
  mainNoSms ? h('p', { class: 'badge problem', id: 'phone-no-sms' }, t(/^\+338/.test(mainNoSms)
    ? 'numéro spécial : ne reçoit pas de SMS' : 'fixe : ne reçoit pas de SMS')) : null,
  h('fieldset', {}, h('legend', {}, t('Autres numéros du foyer')), household,
    readOnly ? null : h('button', { type: 'button', class: 'secondary', onclick: () => addNumber(null) }, t('Ajouter un numéro'))),
  field(t('Langue'), language), h('fieldset', {}, h('legend', {}, t('Groupes')), boxes),
  h('fieldset', {}, h('legend', {}, t('Consentement')), field(t('Date du consentement'), consentAt),
    field(t('Recueilli comment'), consentSource)),
  h('div', {}, h('label', { class: 'inline' }, optedOut, t('Ne plus recevoir de SMS (STOP)')),
    h('div', { class: 'muted' }, t('La personne ne reçoit plus aucun SMS de campagne. Décochez seulement si elle le redemande.'))),
  field(t('Notes'), notes), err,
  h('div', { class: 'actions' }, readOnly ? null : h('button', { type: 'submit' }, t('Enregistrer')),
    id && isStaff() ? h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!confirm(t('Effacer ce contact et ses messages (RGPD) ?'))) return;
      await api('DELETE', '/contacts/' + id);
      toast(t('Contact effacé.'));
      location.hash = '#/contacts';
    } }, t('Supprimer')) : null,
    c.phone ? h('a', { class: 'button secondary', href: 'tel:' + c.phone }, t('Appeler')) : null));
  if (readOnly) form.querySelectorAll('input, select, textarea').forEach((x) => { x.disabled = true; });
  page(id ? (c.first_name + ' ' + c.last_name).trim() : t('Ajouter un contact'), form,
    id && isStaff() ? contactHistory(await api('GET', '/contacts/' + id + '/history')) : null);
  first.focus();
}

Object.assign(EN, {
  'Historique': 'History', 'Les plus récents d\u2019abord.': 'Most recent first.', 'SMS envoyé': 'SMS sent',
  'Réponse « {body} »': 'Reply “{body}”', 'comprise : {what}': 'understood: {what}', 'pas comprise : à lire': 'not understood: to read',
  'pas encore traitée': 'not processed yet', 'Appel reçu': 'Call received', 'invitation envoyée': 'invitation sent',
  'a répondu {answer}': 'answered {answer}', 'présence notée': 'was there', 'absence notée': 'was not there',
  'Aucun message ni réponse.': 'No message nor reply.',
});

/* What a contact was sent and answered, and their ateliers, the most recent first (GET /contacts/{id}/history). */
function contactHistory(hist) {
  const when = (at) => h('span', { class: 'muted' }, fmtDate(at) + ' · ');
  /* the person's own words inside the sentence, in their own direction */
  const quoted = (sentence, body) => sentence.split('{body}').flatMap((part, i) => i ? [h('span', { dir: 'auto' }, body || ''), part] : [part]);
  const understood = (i) => !i ? t('pas encore traitée') : i === 'other' ? t('pas comprise : à lire') : t('comprise : {what}', { what: label('intent', i) });
  const item = (x) => x.kind === 'message'
    ? h('li', {}, when(x.at), h('strong', {}, t('SMS envoyé')), x.campaign_name ? [' (', h('a', { href: '#/campagnes/' + x.campaign_id, dir: 'auto' }, x.campaign_name), ')'] : null,
      ' : ', h('span', { dir: 'auto' }, x.body || '—'), ' — ', label('message', x.status))
    : x.kind === 'call' ? h('li', {}, when(x.at), h('strong', {}, t('Appel reçu')))
      : h('li', {}, when(x.at), quoted(t('Réponse « {body} »'), x.body), ' — ', understood(x.intent));
  const session = (s) => h('li', {}, h('a', { href: '#/ateliers/' + s.event_id + '?seance=' + s.occurrence, dir: 'auto' }, s.title),
    ' — ' + fmtDate(s.starts_at) + ' — ' + [s.invited_at ? t('invitation envoyée') : null,
      s.answer ? t('a répondu {answer}', { answer: label('answer', s.answer) }) : null,
      s.present === true ? t('présence notée') : s.present === false ? t('absence notée') : null].filter(Boolean).join(' · '));
  return h('section', { class: 'card', id: 'history' }, h('h2', {}, t('Historique')), h('p', { class: 'muted' }, t('Les plus récents d\u2019abord.')),
    hist.items.length ? h('ul', { class: 'history' }, hist.items.map(item)) : h('p', { class: 'muted' }, t('Aucun message ni réponse.')),
    h('h3', {}, t('Ateliers')),
    hist.sessions.length ? h('ul', { class: 'history' }, hist.sessions.map(session)) : h('p', { class: 'muted' }, t('Aucun atelier.')));
}

const IMPORT_ROLES = [['', '—'], ['first_name', 'Prénom'], ['last_name', 'Nom'], ['phone', 'Téléphone'],
  ['groups', 'Groupes'], ['language', 'Langue'], ['consent', 'Consentement'], ['notes', 'Notes'], ['ignore', 'Ne pas importer']];
const IMPORT_HOW = { recognised: 'reconnue', chosen: 'choisie', remembered: 'choisie la dernière fois' };

function pageImport() {
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
  const columns = h('div', {});
  const out = h('div', {});
  const err = errorBox();
  let data = null;
  let chosen = {};	/* column number -> role the person chose ('ignore' included) */
  const query = () => {
    const q = new URLSearchParams();
    const ignore = [];
    for (const [col, role] of Object.entries(chosen)) {
      if (role === 'ignore' || role === '') ignore.push(col); else q.set(role, col);
    }
    if (ignore.length) q.set('ignore', ignore.join(','));
    return q;
  };
  const url = (path, extra) => {
    const q = query();
    for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
    const s = q.toString();
    return path + (s ? '?' + s : '');
  };
  const report = (r, dry) => fill(out, importCounts(r, dry), importWarnings(r, dry), importRows(r, dry),
    r.errors.length ? h('table', { 'aria-label': t('Lignes refusées') }, h('thead', {}, h('tr', {}, h('th', {}, t('Ligne')), h('th', {}, t('Raison')))),
      h('tbody', {}, r.errors.map((e) => h('tr', {}, h('td', {}, String(e.line)), h('td', {}, serverText({ message: e.reason })))))) : null,
    dry ? h('div', { class: 'actions' }, h('button', { type: 'button', onclick: async () => {
      try { report(await api('POST', url('/contacts/import'), data, true), false); } catch (e) { showError(err, e); }
    } }, t('Importer les lignes acceptées'))) : null);
  /* one row per column of the file: its header and what it holds, to change when wrong */
  const showColumns = (r) => fill(columns,
    h('table', { 'aria-label': t('Colonnes du fichier') },
      h('thead', {}, h('tr', {}, h('th', {}, t('Colonne')), h('th', {}, t('En-tête du fichier')), h('th', {}, t('Contient')))),
      h('tbody', {}, r.columns.map((c) => {
        const sel = h('select', { 'aria-label': t('Contenu de la colonne {n}', { n: c.column }), onchange: () => {
          for (const [col, role] of Object.entries(chosen)) if (role === sel.value && sel.value !== 'ignore' && sel.value !== '') delete chosen[col];
          chosen[c.column] = sel.value;
          check();
        } }, IMPORT_ROLES.map(([v, label]) => h('option', { value: v }, t(label))));
        sel.value = c.role || '';
        return h('tr', {}, h('td', {}, String(c.column)), h('td', { dir: 'auto' }, c.header),
          h('td', {}, sel, c.how && c.how !== 'chosen' ? h('span', { class: 'muted' }, ' ' + t(IMPORT_HOW[c.how])) : null));
      }))),
    r.missing.length ? h('p', { class: 'warn', role: 'alert' }, r.missing.includes('phone')
      ? t('Aucune colonne de téléphone reconnue : choisissez ci-dessus la colonne qui contient les numéros.')
      : t('Aucune colonne de nom reconnue : choisissez ci-dessus la colonne du prénom ou du nom.')) : null);
  const check = async () => {
    err.textContent = '';
    fill(out);
    try {
      const cols = await api('POST', url('/contacts/import/columns'), data, true);
      showColumns(cols);
      if (!cols.missing.length) report(await api('POST', url('/contacts/import', { dry_run: '1' }), data, true), true);
    } catch (e) { showError(err, e); }
  };
  /* another file: nothing of the last one stays (its columns, preview, button) */
  file.addEventListener('change', () => { data = null; chosen = {}; err.textContent = ''; fill(columns); fill(out); });
  page(t('Importer un fichier CSV'), h('div', { class: 'card' },
    h('p', {}, t('Un fichier enregistré par Excel ou LibreOffice (CSV, « ; » ou « , »), avec une ligne d\u2019en-tête : Prénom, Nom, Téléphone, Groupes, Langue…')),
    field(t('Fichier'), file), err, h('div', { class: 'actions' }, h('button', { type: 'button', onclick: async () => {
      if (!file.files.length) { err.textContent = t('Choisissez un fichier.'); return; }
      data = await file.files[0].arrayBuffer();
      chosen = {};
      await check();
    } }, t('Vérifier le fichier'))), columns, out));
}

Object.assign(EN, {
  'Aperçu :': 'Preview:', 'Importé :': 'Imported:', 'Ce que fera l\u2019import': 'What the import will do',
  'Ce qu\u2019a fait l\u2019import': 'What the import did',
  '{n} inchangé': '{n} unchanged', '{n} inchangés': '{n} unchanged', 'À lire avant d\u2019importer': 'To read before importing', 'À lire': 'To read',
  'Ligne {line} : {message}': 'Line {line}: {message}',
  'La colonne « {name} » ne sera pas importée.': 'The column “{name}” will not be imported.',
  'La colonne « {name} » n\u2019a pas été importée.': 'The column “{name}” was not imported.',
  'numéro fixe ou spécial, enregistré, mais il ne recevra pas de SMS': 'landline or special number, saved, but it will get no SMS',
  'ce numéro a demandé à ne plus recevoir de SMS (STOP) : le contact est enregistré comme ne voulant plus de SMS':
    'this number asked for no more SMS (STOP): the contact is saved as wanting no SMS',
  'Contacts qui seront créés': 'Contacts that will be created', 'Contacts créés': 'Contacts created',
  'Déjà là, sans changement : {names}.': 'Already there, unchanged: {names}.',
  'Mis à jour : {names}.': 'Updated: {names}.', 'Seront mis à jour : {names}.': 'Will be updated: {names}.',
});
/* The counts of an import (or its preview), one a line. */
function importCounts(r, dry) {
  return h('div', { class: r.errors.length ? 'warn' : 'ok' }, h('p', {}, t(dry ? 'Aperçu :' : 'Importé :')), ' ',
    h('ul', { 'aria-label': t(dry ? 'Ce que fera l\u2019import' : 'Ce qu\u2019a fait l\u2019import') },
      h('li', {}, tn(r.created, '{n} créé', '{n} créés')), h('li', {}, t('{n} mis à jour', { n: r.updated })),
      h('li', {}, tn(r.unchanged || 0, '{n} inchangé', '{n} inchangés')),
      h('li', {}, tn(r.errors.length, '{n} ligne refusée', '{n} lignes refusées'))));
}
/* What the server warns of (a landline, a STOP, a column left out), in words. */
function importWarnings(r, dry) {
  const lines = (r.warnings || []).map((w) => t('Ligne {line} : {message}', { line: w.line, message: t(w.message) }))
    .concat((r.ignored_columns || []).map((name) => t(dry ? 'La colonne « {name} » ne sera pas importée.'
      : 'La colonne « {name} » n\u2019a pas été importée.', { name })));
  if (!lines.length) return null;
  return h('section', { class: 'warn', 'aria-label': t(dry ? 'À lire avant d\u2019importer' : 'À lire') },
    h('ul', {}, lines.map((l) => h('li', { dir: 'auto' }, l))));
}
/* The contacts the file creates, and the names of those it updates or leaves as they are. */
function importRows(r, dry) {
  const rows = r.rows || [];
  const name = (x) => ((x.first_name || '') + ' ' + (x.last_name || '')).trim();
  const names = (action) => rows.filter((x) => x.action === action).map(name).join(', ');
  const created = rows.filter((x) => x.action === 'created');
  return [created.length ? h('div', { class: 'table-wrap' }, h('table', { 'aria-label': t(dry ? 'Contacts qui seront créés' : 'Contacts créés') },
    h('caption', {}, t(dry ? 'Contacts qui seront créés' : 'Contacts créés')),
    h('thead', {}, h('tr', {}, h('th', {}, t('Ligne')), h('th', {}, t('Prénom')), h('th', {}, t('Nom')), h('th', {}, t('Téléphone')))),
    h('tbody', {}, created.map((x) => h('tr', {}, h('td', {}, String(x.line)), h('td', { dir: 'auto' }, x.first_name || ''),
      h('td', { dir: 'auto' }, x.last_name || ''), h('td', {}, fmtPhone(x.phone))))))) : null,
  names('updated') ? h('p', { dir: 'auto' }, t(dry ? 'Seront mis à jour : {names}.' : 'Mis à jour : {names}.', { names: names('updated') })) : null,
  names('unchanged') ? h('p', { class: 'muted', dir: 'auto' }, t('Déjà là, sans changement : {names}.', { names: names('unchanged') })) : null];
}

async function pageGroups() {
  const groups = await api('GET', '/groups');
  const name = h('input', { type: 'text', name: 'name', dir: 'auto' });
  const err = errorBox();
  page(t('Groupes'),
    isStaff() ? h('form', { class: 'card toolbar', onsubmit: async (ev) => {
      ev.preventDefault();
      try { await api('POST', '/groups', { name: name.value }); route(); } catch (e) { showError(err, e); }
    } }, field(t('Nouveau groupe'), name), h('button', { type: 'submit' }, t('Créer')), err) : null,
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Nom', null, 'name')), h('th', {}, t('Contacts')), h('th', {}, ''))),
      h('tbody', {}, groups.map((g) => h('tr', {}, h('td', {}, h('a', { href: '#/contacts?group_id=' + g.id, dir: 'auto' }, g.name)),
        h('td', {}, String(g.contact_ids.length)),
        h('td', {}, isStaff() ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
          if (confirm(t('Supprimer le groupe « {name} » ? Ses contacts restent.', { name: g.name }))) { await api('DELETE', '/groups/' + g.id); route(); }
        } }, t('Supprimer')) : null))))));
}

/* ---- ateliers ---------------------------------------------------- */

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
/* The RRULE of a preset for a first session on date d. */
function presetRule(preset, d, count) {
  const day = DAYS[d.getDay()], nth = Math.floor((d.getDate() - 1) / 7) + 1;
  const c = count ? ';COUNT=' + count : '';
  return { none: '', weekly: 'FREQ=WEEKLY;BYDAY=' + day + c, biweekly: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=' + day + c,
    monthly: 'FREQ=MONTHLY;BYDAY=' + nth + day + c }[preset];
}
/* An RRULE in words: "chaque jeudi, 10 séances", "le 2e vendredi du mois". */
function describeRule(rule) {
  if (!rule) return t('une séance');
  const p = Object.fromEntries(rule.split(';').map((x) => x.split('=')));
  const m = (p.BYDAY || '').match(/^(-?\d)?([A-Z]{2})$/);
  const day = m ? dayName(DAYS.indexOf(m[2])) : null;
  let text = rule;
  if (p.FREQ === 'DAILY') text = t('chaque jour');
  else if (p.FREQ === 'WEEKLY' && day) text = t(p.INTERVAL === '2' ? 'un {day} sur deux' : 'chaque {day}', { day });
  else if (p.FREQ === 'MONTHLY' && day && m[1]) text = t('le {nth} {day} du mois', { nth: ordinal(Number(m[1])), day });
  return text + (p.COUNT ? t(', {n} séances', { n: p.COUNT }) : '');
}

/* The local date of d as YYYY-MM-DD (toISOString() would give the UTC one). */
const localDay = (d) => d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');

/* An ISO time to the value of a datetime-local field, in the browser's zone. */
const isoToLocal = (iso) => {
  const d = new Date(iso);
  return localDay(d) + 'T' + String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
};
/* The preset of a rule made by presetRule(), and its COUNT. */
const rulePreset = (rule) => !rule ? 'none' : /FREQ=MONTHLY/.test(rule) ? 'monthly' : /INTERVAL=2/.test(rule) ? 'biweekly' : 'weekly';
const ruleCount = (rule) => ((rule || '').match(/COUNT=(\d+)/) || [])[1] || '';

/* "2026-12-03T14:00" (datetime-local) to ISO with the browser's offset. */
function localToIso(v) {
  const d = new Date(v);
  const off = -d.getTimezoneOffset(), sign = off >= 0 ? '+' : '-', a = Math.abs(off);
  return v + ':00' + sign + String(Math.floor(a / 60)).padStart(2, '0') + ':' + String(a % 60).padStart(2, '0');
}

async function pageEvents(params) {
  const all = await api('GET', '/events?cancelled=1');
  const events = all.filter((e) => !e.cancelled_at), cancelled = all.filter((e) => e.cancelled_at);
  const weekStart = params.get('semaine') ? new Date(params.get('semaine') + 'T00:00') : new Date();
  if (Number.isNaN(weekStart.getTime())) weekStart.setTime(Date.now());
  weekStart.setHours(0, 0, 0, 0);
  weekStart.setDate(weekStart.getDate() - ((weekStart.getDay() + 6) % 7));
  const dayAfter = (n) => new Date(weekStart.getFullYear(), weekStart.getMonth(), weekStart.getDate() + n);
  const weekEnd = dayAfter(7);
  const days = [...Array(7)].map((_, i) => dayAfter(i));
  const sessions = (await Promise.all(events.map((e) => api('GET', '/events/' + e.id + '/occurrences?from=' +
    localDay(weekStart) + '&to=' + localDay(weekEnd))
    .then((list) => list.map((o) => ({ e, o })))))).flat();
  const shift = (n) => '#/ateliers?semaine=' + localDay(dayAfter(n));
  page(t('Ateliers'),
    h('div', { class: 'actions' }, h('a', { class: 'button', href: '#/ateliers/nouveau' }, t('Nouvel atelier'))),
    exportForm('/api/v1/reports/sessions.csv'),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Atelier')), h('th', {}, t('Lieu')),
      h('th', {}, t('Prochaine séance')), h('th', {}, t('Récurrence')))),
    h('tbody', {}, events.map((e) => h('tr', {}, h('td', {}, h('a', { href: '#/ateliers/' + e.id, dir: 'auto' }, e.title)),
      h('td', { dir: 'auto' }, e.place), h('td', {}, e.next_occurrence ? fmtDate(e.next_occurrence.starts_at) : '—'),
      h('td', {}, describeRule(e.rrule))))))),
    h('h2', {}, t('Semaine du {date}', { date: weekStart.toLocaleDateString(locale()) })),
    h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: shift(-7) }, t('← précédente')),
      h('a', { class: 'button secondary', href: shift(7) }, t('suivante →'))),
    h('div', { class: 'week' }, days.map((d) => h('div', { class: 'day' },
      h('h3', {}, d.toLocaleDateString(locale(), { weekday: 'long', day: 'numeric', month: 'short' })),
      sessions.filter(({ o }) => new Date(o.starts_at).toDateString() === d.toDateString())
        .map(({ e, o }) => h('a', { class: 'chip', href: '#/ateliers/' + e.id + '?seance=' + o.occurrence },
          new Date(o.starts_at).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' }) + ' ', h('span', { dir: 'auto' }, e.title),
          o.cancelled ? t(' (annulée)') : ''))))),
    /* a cancelled atelier can be brought back from its page */
    cancelled.length ? h('details', { id: 'cancelled-events' }, h('summary', {}, tn(cancelled.length, '{n} atelier annulé', '{n} ateliers annulés')),
      h('ul', {}, cancelled.map((e) => h('li', {}, h('a', { href: '#/ateliers/' + e.id, dir: 'auto' }, e.title),
        ' · ' + t('annulé le {date}', { date: fmtDay(e.cancelled_at) }))))) : null);
}

/* The page of a cancelled atelier: when, and the way back. */
function pageEventCancelled(e) {
  const err = errorBox();
  page(e.title, h('p', { class: 'warn', role: 'status' }, t('Cet atelier a été annulé le {date} : ses séances n\u2019ont plus lieu.',
    { date: fmtDay(e.cancelled_at) })),
  h('p', {}, t('Le rétablir remet ses séances à venir. Ses campagnes restent annulées : invitez de nouveau si besoin.')),
  err, h('div', { class: 'actions' }, h('button', { type: 'button', onclick: async () => {
    try {
      await api('POST', '/events/' + e.id + '/restore');
      toast(t('Atelier rétabli.'));
      route();
    } catch (x) { showError(err, x); }
  } }, t('Rétablir l\u2019atelier')), h('a', { class: 'button secondary', href: '#/ateliers' }, t('Tous les ateliers'))));
}

Object.assign(EN, {
  'Animé par': 'Run by', 'Qui anime l\u2019atelier le voit, avec ses invités.': 'Whoever runs the workshop sees it, with its invitees.',
});

/* « Animé par »: who runs the atelier (GET /staff), for référents and admins. */
function ownerSelect(staff, ownerId) {
  return h('select', { name: 'owner_id' }, staff.map((u) => h('option', { value: u.id, selected: u.id === ownerId }, u.login)));
}

Object.assign(EN, {
  'Du': 'From', 'Au': 'To', 'Présences à exporter': 'Attendance to export',
  'Une ligne par séance, puis les totaux des séances passées et à venir. Le fichier s\u2019ouvre avec Excel ou LibreOffice.':
    'One line per session, then the totals of the past and coming sessions. The file opens with Excel or LibreOffice.',
});
/*
 * The attendance export (path: a report.csv of the API) for the days
 * chosen, "Au" included: by default the last twelve months and the next
 * three.  The file is named by the server (Content-Disposition).
 */
function exportForm(path) {
  const day = (n) => { const d = new Date(); d.setDate(d.getDate() + n); return localDay(d); };
  const from = h('input', { type: 'date', name: 'export_from', value: day(-365) });
  const to = h('input', { type: 'date', name: 'export_to', value: day(92) });
  const link = h('a', { class: 'button secondary', download: true }, t('Présences (CSV)'));
  const update = () => {
    const q = new URLSearchParams();
    if (from.value) q.set('from', from.value);
    if (to.value) {
      const end = new Date(to.value + 'T00:00');
      end.setDate(end.getDate() + 1);
      q.set('to', localDay(end));
    }
    link.href = path + (q.toString() ? '?' + q : '');
  };
  [from, to].forEach((x) => x.addEventListener('input', update));
  update();
  return h('section', { class: 'toolbar', 'aria-label': t('Présences à exporter') }, field(t('Du'), from), field(t('Au'), to), link,
    h('p', { class: 'muted' }, t('Une ligne par séance, puis les totaux des séances passées et à venir. Le fichier s\u2019ouvre avec Excel ou LibreOffice.')));
}

/* A new atelier, or atelier id changed (its date, place, rule, places, invited groups). */
async function pageEventNew(id) {
  const [groups, cur, staff] = await Promise.all([api('GET', '/groups'), id ? api('GET', '/events/' + id) : Promise.resolve(null),
    isStaff() ? api('GET', '/staff') : Promise.resolve(null)]);
  const title = h('input', { type: 'text', name: 'title', value: cur ? cur.title : '', dir: 'auto' });
  const place = h('input', { type: 'text', name: 'place', value: cur ? cur.place || '' : '', dir: 'auto' });
  const owner = staff ? ownerSelect(staff, cur ? cur.owner_id : session.user.id) : null;
  const start = h('input', { type: 'datetime-local', name: 'starts_at', value: cur ? isoToLocal(cur.starts_at) : '' });
  const minutes = h('input', { type: 'number', name: 'duration', min: 15, step: 15,
    value: cur && cur.ends_at ? Math.round((Date.parse(cur.ends_at) - Date.parse(cur.starts_at)) / 60000) : 120 });
  const capacity = h('input', { type: 'number', name: 'capacity', min: 1, value: cur && cur.capacity ? cur.capacity : '' });
  const preset = h('select', { name: 'rrule' }, [['none', 'Une seule fois'], ['weekly', 'Chaque semaine, même jour'],
    ['biweekly', 'Toutes les deux semaines'], ['monthly', 'Chaque mois, même rang (ex. 2e vendredi)']]
    .map(([v, l]) => h('option', { value: v }, t(l))));
  const count = h('input', { type: 'number', name: 'count', min: 1, max: 100, placeholder: t('sans fin'), value: cur ? ruleCount(cur.rrule) : '' });
  if (cur) preset.value = rulePreset(cur.rrule);
  const boxes = groups.map((g) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: g.id,
    checked: !!cur && cur.group_ids.includes(g.id) }), h('span', { dir: 'auto' }, g.name)));
  const err = errorBox();
  const explain = h('p', { class: 'muted', 'aria-live': 'polite' });
  const past = h('p', { class: 'warn', role: 'status' });
  const update = () => {
    /* a first session in the past is allowed (to record attendance), but said */
    past.textContent = start.value && new Date(start.value).getTime() < Date.now() && (!cur || isoToLocal(cur.starts_at) !== start.value)
      ? t('Attention : cette date est passée. Enregistrez seulement pour noter une séance qui a déjà eu lieu.') : '';
    if (!start.value) { explain.textContent = ''; return; }
    const d = new Date(start.value), nth = Math.floor((d.getDate() - 1) / 7) + 1, day = dayName(d.getDay());
    explain.textContent = t({ none: 'Une séance.', weekly: 'Chaque {day}.', biweekly: 'Un {day} sur deux.',
      monthly: 'Le {nth} {day} du mois.' }[preset.value], { day, nth: ordinal(nth) }) +
      (count.value && preset.value !== 'none' ? t(' {n} séances.', { n: count.value }) : '');
  };
  [start, preset, count].forEach((x) => x.addEventListener('input', update));
  page(cur ? t('Modifier l\u2019atelier') : t('Nouvel atelier'), h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    if (!start.value) { err.textContent = t('Indiquez la date et l\u2019heure de la première séance.'); start.focus(); return; }
    const s = localToIso(start.value);
    const end = new Date(new Date(start.value).getTime() + Number(minutes.value || 60) * 60000);
    const endLocal = end.getFullYear() + '-' + String(end.getMonth() + 1).padStart(2, '0') + '-' + String(end.getDate()).padStart(2, '0') +
      'T' + String(end.getHours()).padStart(2, '0') + ':' + String(end.getMinutes()).padStart(2, '0');
    const body = { title: title.value, place: place.value, starts_at: s, ends_at: localToIso(endLocal),
      rrule: presetRule(preset.value, new Date(start.value), count.value) || null,
      capacity: capacity.value ? Number(capacity.value) : null, group_ids: checked(boxes).map(Number) };
    if (owner) body.owner_id = Number(owner.value);
    try {
      const e = await api(cur ? 'PATCH' : 'POST', cur ? '/events/' + cur.id : '/events', body);
      if (cur) toast(t('Atelier modifié.'));
      location.hash = '#/ateliers/' + e.id;
    } catch (e) {
      showError(err, e);
      /* a first date the rule does not describe: offer the rule's first (docs/api.md) */
      if (e.field === 'starts_at' && e.suggestion) {
        const s = new Date(e.suggestion);
        err.append(' ', h('button', { type: 'button', class: 'secondary', onclick: () => {
          start.value = localDay(s) + 'T' + String(s.getHours()).padStart(2, '0') + ':' + String(s.getMinutes()).padStart(2, '0');
          update(); err.textContent = ''; start.focus();
        } }, t('Prendre le {date}', { date: s.toLocaleDateString(locale(), { weekday: 'long', day: 'numeric', month: 'long' }) })));
      }
    }
  } }, field(t('Titre'), title), field(t('Lieu'), place), field(t('Première séance'), start), past,
  field(t('Durée (minutes)'), minutes), field(t('Récurrence'), preset), field(t('Nombre de séances'), count), explain,
  field(t('Capacité'), capacity), owner ? field(t('Animé par'), owner, t('Qui anime l\u2019atelier le voit, avec ses invités.')) : null,
  h('fieldset', {}, h('legend', {}, t('Invités (groupes)')), boxes), err,
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Enregistrer')),
    cur ? h('a', { class: 'button secondary', href: '#/ateliers/' + cur.id }, t('Retour sans changer')) : null,
    cur ? h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!confirm(t('Annuler tout l\u2019atelier « {title} » ? Ses séances et les rappels en attente sont annulés ; les présences restent.', { title: cur.title }))) return;
      try { await api('DELETE', '/events/' + cur.id); toast(t('Atelier annulé.')); location.hash = '#/ateliers'; } catch (e) { showError(err, e); }
    } }, t('Annuler l\u2019atelier')) : null)));
  update();
  title.focus();
}

async function pageEvent(id, params) {
  const [e, groups] = await Promise.all([api('GET', '/events/' + id), api('GET', '/groups')]);
  if (e.cancelled_at) return pageEventCancelled(e);
  const key = params.get('seance') || (e.next_occurrence ? String(e.next_occurrence.occurrence) : '');
  /* the last three months too, and the session asked for however old, so that past attendance can be marked */
  let since = new Date(Date.now() - 92 * 86400000);
  const m = /^(\d{4})(\d\d)(\d\d)/.exec(key);
  if (m && new Date(+m[1], +m[2] - 1, +m[3]) < since) since = new Date(+m[1], +m[2] - 1, +m[3]);
  const occ = await api('GET', '/events/' + id + '/occurrences?from=' + localDay(since) +
    '&to=' + localDay(new Date(Date.now() + 92 * 86400000)));
  const r = await api('GET', '/events/' + id + '/rsvps' + (key ? '?occurrence=' + key : ''));
  const k = r.session.occurrence;
  const past = Date.parse(r.session.starts_at) <= Date.now();
  const choose = h('select', { name: 'occurrence', onchange: (ev) => { location.hash = '#/ateliers/' + id + '?seance=' + ev.target.value; } },
    occ.map((o) => h('option', { value: o.occurrence, selected: o.occurrence === k }, fmtDate(o.starts_at) + (o.cancelled ? t(' (annulée)') : ''))));
  const c = r.counts;
  const set = async (cid, body) => {
    try { await api('PUT', '/events/' + id + '/rsvps/' + cid + '?occurrence=' + k, body); route(); } catch (err) { toast(serverText(err)); }
  };
  page(e.title,
    h('p', {}, e.place ? [h('span', { dir: 'auto' }, e.place), ' · '] : '', describeRule(e.rrule),
      e.capacity ? ' · ' + tn(e.capacity, '{n} place', '{n} places') : '', ' ',
      h('a', { href: '#/ateliers/' + id + '/modifier' }, t('Modifier l\u2019atelier'))),
    h('div', { class: 'toolbar' }, field(t('Séance'), choose),
      /* a session that has begun is for attendance: nothing to send or cancel any more */
      past ? null : h('button', { type: 'button', class: 'secondary', onclick: async () => {
        if (!confirm(t(r.session.cancelled ? 'Rétablir cette séance ?' : 'Annuler cette séance ? Les rappels en attente sont annulés, ' +
          'et un SMS prévient les personnes déjà invitées à cette séance ou qui ont dit OUI.'))) return;
        const s = await api('PATCH', '/events/' + id + '/occurrences/' + k, { cancelled: !r.session.cancelled });
        if (s.cancelled) toast(s.notices ? tn(s.notices, 'Séance annulée : {n} personne prévenue par SMS.', 'Séance annulée : {n} personnes prévenues par SMS.')
          : t('Séance annulée. Personne n\u2019avait été invité à cette séance : aucun SMS envoyé.'));
        route();
      } }, t(r.session.cancelled ? 'Rétablir la séance' : 'Annuler la séance')),
      h('a', { class: 'button secondary', href: '#/appels/' + id + '?seance=' + k }, t('Personnes à appeler')),
      past ? null : h('a', { class: 'button', href: '#/campagnes/nouvelle?atelier=' + id + '&seance=' + k }, t('Inviter par SMS'))),
    moveSessionForm(id, r.session), exportForm('/api/v1/events/' + id + '/report.csv'),
    h('p', { 'aria-live': 'polite', id: 'counts' }, t('Invités {n}', { n: c.invited }) + ' · ',
      h('span', { class: 'badge yes' }, t('Oui {n}', { n: c.yes })), ' ', h('span', { class: 'badge no' }, t('Non {n}', { n: c.no })),
      ' · ' + t('Sans réponse {n}', { n: c.none }) + ' · ' + t('SMS remis {n}', { n: c.delivered }) + ' · ' +
      t('Présents {n}', { n: c.present }),
      c.capacity ? [' · ', h('span', { class: 'badge wait' }, t('En attente {n}', { n: c.waiting })),
        ' · ' + t('Places restantes {n}', { n: c.places_left })] : null),
    chaseSection(id, k, r),
    inviteesForm(e, groups),
    h('div', { class: 'table-wrap' }, h('table', { class: 'rsvps' }, h('thead', {}, h('tr', {}, h('th', {}, t('Nom', null, 'name')), h('th', {}, t('Téléphone')),
      h('th', {}, t('Réponse')), h('th', {}, t('SMS')), h('th', {}, t('Présent')))),
    h('tbody', {}, r.rsvps.map((p) => h('tr', {}, h('td', { class: 'name' }, h('span', { dir: 'auto' }, (p.first_name + ' ' + p.last_name).trim()),
      p.mark ? [' ', markBadge(p.mark)] : null),
      h('td', { class: 'phone' }, p.phone ? fmtPhone(p.phone) : '—'),
      h('td', {}, h('select', { 'aria-label': t('Réponse de {name}', { name: p.first_name }), onchange: (ev) => set(p.contact_id, { answer: ev.target.value }) },
        ['none', 'yes', 'no'].map((v) => h('option', { value: v, selected: p.answer === v }, label('answer', v)))),
        p.via && p.answer !== 'none' ? h('span', { class: 'muted' }, ' ' + label('via', p.via)) : null,
        p.waiting ? [' ', h('span', { class: 'badge wait' }, p.offered_until
          ? t('place proposée jusqu\u2019au {at}', { at: fmtDate(p.offered_until) }) : t('en liste d\u2019attente'))] : null),
      h('td', {}, smsState(p)),
      h('td', { class: 'present' }, h('input', { type: 'checkbox', 'aria-label': t('Présent : {name}', { name: p.first_name }), checked: p.present === true,
        onchange: (ev) => set(p.contact_id, { present: ev.target.checked }) }))))))));
}

Object.assign(EN, {
  'a demandé STOP': 'sent STOP', 'fixe seulement': 'landline only', 'aucun numéro': 'no number',
  'à vérifier': 'to check', 'a changé d\u2019avis': 'changed their mind',
  'Une réponse arrivée après, pas comprise comme OUI ou NON : lisez-la dans Réponses.':
    'A later reply, not understood as YES or NO: read it in Replies.',
  'La personne a donné l\u2019autre réponse avant celle-ci.': 'The person gave the other answer before this one.',
});
/* What became of the SMS about the session, or why there is none (STOP, a landline). */
function smsState(p) {
  if (p.opted_out) return h('span', { class: 'badge no' }, t('a demandé STOP'));
  if (p.message_status) return label('message', p.message_status);
  if (p.mobile === false) return h('span', { class: 'badge problem' }, t(p.phone ? 'fixe seulement' : 'aucun numéro'));
  return '—';
}
/* The mark of an answer to look at again: "check" (a later reply not understood) or "changed". */
const markBadge = (mark) => h('span', { class: 'badge problem', title: t(mark === 'check'
  ? 'Une réponse arrivée après, pas comprise comme OUI ou NON : lisez-la dans Réponses.'
  : 'La personne a donné l\u2019autre réponse avant celle-ci.') }, t(mark === 'check' ? 'à vérifier' : 'a changé d\u2019avis'));

/*
 * Those of session k who have not answered, and "Relancer": a preview of
 * the reminder each one gets and its cost, then the sending; a second
 * chase says when the last one went and is sent only when confirmed.
 */
function chaseSection(id, k, r) {
  const silent = r.rsvps.filter((p) => p.answer === 'none' && !p.waiting);
  const name = (p) => (p.first_name + ' ' + p.last_name).trim();
  const out = h('div', { id: 'chase', 'aria-live': 'polite' });
  const path = '/events/' + id + '/chase?occurrence=' + k;
  const preview = async () => {
    let pv;
    try { pv = await api('GET', path); } catch (err) { fill(out, h('p', { class: 'error', role: 'alert' }, serverText(err))); return; }
    const send = async () => {
      try {
        const res = await api('POST', path, pv.last ? { confirm: true } : {});
        toast(t('Relance envoyée : {n} SMS.', { n: res.sent }));
        route();
      } catch (err) { fill(out, h('p', { class: 'error', role: 'alert' }, serverText(err))); }
    };
    fill(out,
      pv.last ? h('p', { class: 'warn' }, t('Une relance est déjà partie le {at} ({by}, {n} SMS). Relancer encore ?',
        { at: fmtDate(pv.last.at), by: pv.last.by, n: pv.last.sent })) : null,
      h('p', {}, tn(pv.sms, '{n} personne relancée · {parts} SMS au total', '{n} personnes relancées · {parts} SMS au total',
        { parts: pv.parts })),
      pv.recipients.length ? h('ul', { class: 'chase' }, pv.recipients.map((x) => h('li', {}, h('strong', { dir: 'auto' }, name(x)),
        ' · ' + fmtPhone(x.phone) + ' · ' + t('{n} SMS', { n: x.parts }) + ' · ' + label('language', x.language),
        h('div', { class: 'muted', lang: x.language, dir: 'auto' }, x.text)))) : null,
      pv.left_out.length ? h('p', { class: 'muted' }, t('Pas relancés : {names}', {
        names: pv.left_out.map((x) => name(x) + ' (' + label('reason', x.reason) + ')').join(', ') })) : null,
      h('div', { class: 'actions' },
        pv.sms ? h('button', { type: 'button', onclick: send }, pv.last ? t('Relancer encore ({n} SMS)', { n: pv.parts })
          : t('Envoyer la relance ({n} SMS)', { n: pv.parts })) : h('p', {}, t('Aucune personne à relancer par SMS.')),
        h('button', { type: 'button', class: 'secondary', onclick: () => fill(out) }, t('Annuler'))));
  };
  return h('section', { class: 'card', id: 'unanswered' }, h('h2', {}, t('Sans réponse')),
    silent.length ? h('ul', {}, silent.map((p) => h('li', {}, h('span', { dir: 'auto' }, name(p)), p.phone ? ' · ' + fmtPhone(p.phone) : ''))) :
      h('p', { class: 'muted' }, t('Tout le monde a répondu.')),
    silent.length && !r.session.cancelled ? h('button', { type: 'button', class: 'secondary', onclick: preview }, t('Relancer')) : null,
    out);
}

/* One session moved to another day or time (the others keep theirs). */
function moveSessionForm(id, s) {
  const when = h('input', { type: 'datetime-local', name: 'move_to', value: isoToLocal(s.starts_at) });
  const err = errorBox();
  return h('details', { class: 'card' }, h('summary', {}, t('Déplacer cette séance')),
    h('form', { onsubmit: async (ev) => {
      ev.preventDefault();
      if (!when.value) { err.textContent = t('Indiquez la nouvelle date et l\u2019heure.'); return; }
      try {
        const o = await api('PATCH', '/events/' + id + '/occurrences/' + s.occurrence, { starts_at: localToIso(when.value) });
        toast(t('Séance déplacée au {date}.', { date: fmtWhen(o.starts_at) }));
        const to = '#/ateliers/' + id + '?seance=' + o.occurrence;
        if (location.hash === to) route(); else location.hash = to;
      } catch (e) { showError(err, e); }
    } }, field(t('Nouvelle date et heure'), when), err,
    h('p', { class: 'muted' }, t('Les rappels pas encore partis suivent la séance ; ceux qui ont déjà reçu l\u2019invitation ne sont pas prévenus automatiquement.')),
    h('button', { type: 'submit', class: 'secondary' }, t('Déplacer la séance'))));
}

/* The atelier's invited groups, changed in place. */
function inviteesForm(e, groups) {
  const boxes = groups.map((g) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: g.id,
    checked: e.group_ids.includes(g.id) }), h('span', { dir: 'auto' }, g.name)));
  const err = errorBox();
  return h('details', { class: 'card' }, h('summary', {}, t('Invités : {groups}', { groups:
    groups.filter((g) => e.group_ids.includes(g.id)).map((g) => g.name).join(', ') || t('aucun groupe') })),
  h('form', { onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api('PATCH', '/events/' + e.id, { group_ids: checked(boxes).map(Number) });
      toast(t('Invités enregistrés.'));
      route();
    } catch (x) { showError(err, x); }
  } }, h('fieldset', {}, h('legend', {}, t('Groupes invités')), boxes), err,
  h('button', { type: 'submit' }, t('Enregistrer les invités'))));
}

/* ---- campaigns: the composer ------------------------------------- */

Object.assign(EN, {
  '{n} créé': '{n} created', '{n} créés': '{n} created', '{n} mis à jour': '{n} updated',
  '{n} ligne refusée': '{n} line refused', '{n} lignes refusées': '{n} lines refused',
  '{n} personne relancée · {parts} SMS au total': '{n} person reminded · {parts} SMS in all',
  '{n} personnes relancées · {parts} SMS au total': '{n} people reminded · {parts} SMS in all',
  '{n} contact': '{n} contact', '{n} contacts': '{n} contacts',
  '{n} messages en échec : voyez la page Messages pour les renvoyer.': '{n} messages failed: see the Messages page to resend them.',
  '{n} messages incertains (coupure pendant l\u2019envoi) : vérifiez avec la personne avant de renvoyer.':
    '{n} uncertain messages (power cut while sending): check with the person before resending.',
  '{n} réponses à traiter': '{n} replies to handle', '{n} messages en attente — {why}.': '{n} messages waiting — {why}.',
  'Les signes typographiques (\u2019 « » – …) sont toujours remplacés par {plain} : ils ne coûtent rien.':
    'Typographic signs (\u2019 « » – …) are always replaced by {plain}: they cost nothing.',
  '{n} message en échec : voyez la page Messages pour le renvoyer.': '{n} message failed: see the Messages page to resend it.',
  '{n} message incertain (coupure pendant l\u2019envoi) : vérifiez avec la personne avant de le renvoyer.':
    '{n} uncertain message (power cut while sending): check with the person before resending it.',
  '{n} réponse à traiter': '{n} reply to handle', '{n} message en attente — {why}.': '{n} message waiting — {why}.',
  '{n} place': '{n} place',
  'Nom|name': 'Name', '{n} destinataire': '{n} recipient', '{n} destinataires': '{n} recipients',
  ', {n} a demandé STOP': ', {n} asked for STOP',
  ' · {bad} oblige à envoyer en Unicode (70 caractères par SMS)': ' · {bad} forces sending in Unicode (70 characters per SMS)',
  '{date} : {said}': '{date}: {said}', 'jeudi 3 décembre': 'Thursday 3 December',
  '{date} donne le jour et la date, par exemple « {said} ».': '{date} gives the day and the date, for example “{said}”.',
  '{date} dit déjà le jour : « {day} {date} » donnerait « {day} {said} ». Écrivez seulement {date}.':
    '{date} already says the day: “{day} {date}” would give “{day} {said}”. Write {date} alone.',
  '« {open} » n\u2019est pas fermé : écrivez {closed}.': '“{open}” is not closed: write {closed}.',
  '{name} n\u2019est pas une variable connue : choisissez-en une avec les boutons.': '{name} is not a known variable: choose one with the buttons.',
});

/* Parts joined by « · », the empty ones left out (no separator left hanging). */
const dotted = (...parts) => parts.filter((x) => x !== '' && x !== null && x !== undefined).join(' · ');

/* t() of the singular when n is one (0 too in French), of the plural otherwise; {n} is n. */
const tn = (n, one, many, vars) => t((n === 1 || (n === 0 && lang === 'fr')) ? one : many, Object.assign({ n }, vars));

/* The whole character the person sees around code point ch of text (an emoji with its skin tone, a family). */
function graphemeOf(text, ch) {
  if (typeof Intl.Segmenter !== 'function') return ch;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if (segment.includes(ch)) return segment;
  }
  return ch;
}

/* The counter's sentence: characters, SMS, room left, and what forces Unicode. */
function countText(c) {
  const costly = c.encoding !== 'ucs2' ? '' : c.bad && /\p{L}/u.test(c.bad)
    ? t(' · le caractère « {bad} » oblige l\u2019encodage coûteux (70 caractères par SMS)', c)
    : t(' · {bad} oblige à envoyer en Unicode (70 caractères par SMS)', c);
  /* in Unicode an emoji takes the room of 2 characters: said, so that the count adds up to the SMS */
  const wide = c.encoding === 'ucs2' && c.wides ? tn(c.wides, ' ({ch} compte pour 2)', ' (+{n} : chaque émoji compte pour 2)', { ch: c.wide }) : '';
  return t('{chars} caractères{wide} · {parts} SMS · reste {left} dans le dernier SMS', Object.assign({}, c, { wide })) + costly;
}

/* What {date} becomes for atelier e (its next session), or an example. */
function dateSaid(e) {
  const at = e && (e.next_occurrence ? e.next_occurrence.starts_at : e.starts_at);
  return at ? fmtDaySaid(at) : t('jeudi 3 décembre');
}
const fmtDaySaid = (at) => new Date(at).toLocaleDateString(locale(), { weekday: 'long', day: 'numeric', month: 'long' });

const WEEKDAY_BEFORE_DATE = /(?:^|[^\p{L}])(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+\{date\}/iu;

/* What is wrong in a text as typed: a weekday before {date}, a { left open, an unknown variable. */
function textHints(text, said) {
  const out = new Set();
  const day = text.match(WEEKDAY_BEFORE_DATE);
  if (day) out.add(t('{date} dit déjà le jour : « {day} {date} » donnerait « {day} {said} ». Écrivez seulement {date}.', { day: day[1], said }));
  for (const m of text.matchAll(/\{([A-Za-z_]*)(?![A-Za-z_}])/g)) {
    out.add(t('« {open} » n\u2019est pas fermé : écrivez {closed}.', { open: '{' + m[1], closed: '{' + (m[1] || 'prenom') + '}' }));
  }
  for (const m of text.matchAll(/\{([^{}\s]*)\}/g)) {
    if (!VARIABLES.includes(m[1])) out.add(t('{name} n\u2019est pas une variable connue : choisissez-en une avec les boutons.', { name: m[0] }));
  }
  return [...out];
}

/*
 * What the server sends and what it costs, mirrored from daemon/translit.c
 * and daemon/sms.c so that the live counter agrees with the preview.
 */
/* GSM 03.38: basic table (ESC excluded) and extension table (2 septets). */
const GSM7 = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXT = '\f^{}\\[~]|€';
const gsm7Septets = (ch) => (GSM7.includes(ch) ? 1 : GSM7_EXT.includes(ch) ? 2 : 0);
/* Signs always replaced (translit_signs[]; U+2000..U+200A are spaces too). */
const SIGNS = { '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u00b4': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u00ab': '"', '\u00bb': '"', '\u2033': '"', '\u2026': '...',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u2022': '-',
  '\u00a0': ' ', '\u202f': ' ', '\u205f': ' ', '\u3000': ' ', '\u200b': '', '\u200c': '', '\u200d': '',
  '\u2060': '', '\ufeff': '', '\u00ad': '' };
/* Base letters of U+00C0..U+00FF (translit_latin1[]); '' keeps the letter. */
const LATIN1 = ['A', 'A', 'A', 'A', 'A', 'A', 'AE', 'C', 'E', 'E', 'E', 'E', 'I', 'I', 'I', 'I',
  'D', 'N', 'O', 'O', 'O', 'O', 'O', '', 'O', 'U', 'U', 'U', 'U', 'Y', 'TH', 'ss',
  'a', 'a', 'a', 'a', 'a', 'a', 'ae', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
  'd', 'n', 'o', 'o', 'o', 'o', 'o', '', 'o', 'u', 'u', 'u', 'u', 'y', 'th', 'y'];
function signOf(ch) {
  const cp = ch.codePointAt(0);
  if (cp >= 0x2000 && cp <= 0x200a) return ' ';
  return Object.prototype.hasOwnProperty.call(SIGNS, ch) ? SIGNS[ch] : null;
}
function letterOf(ch) {
  const cp = ch.codePointAt(0);
  if (gsm7Septets(ch)) return null;
  if (cp >= 0xc0 && cp <= 0xff && LATIN1[cp - 0xc0]) return LATIN1[cp - 0xc0];
  return { 0x152: 'OE', 0x153: 'oe', 0x178: 'Y' }[cp] || null;
}
/* translit_gsm7(): typographic signs always, accented letters when accents. */
function gsmFriendly(text, accents) {
  let out = '';
  for (const ch of text) {
    let to = signOf(ch);
    if (to === null && accents) to = letterOf(ch);
    out += to === null ? ch : to;
  }
  return out;
}
/*
 * sms_analyze(): encoding, parts (a part never splits an escape or a surrogate pair), room left;
 * wides is how many characters take two units in Unicode (U+10000 and up: emojis), wide the first.
 */
function smsCount(text) {
  const g = { total: 0, parts: 1, used: 0 }, u = { total: 0, parts: 1, used: 0 };
  const add = (c, w, multi) => {
    c.total += w;
    if (c.used + w > multi) { c.parts++; c.used = 0; }
    c.used += w;
  };
  let bad = null, chars = 0, wide = null, wides = 0;
  for (const ch of text) {
    chars++;
    if (ch.codePointAt(0) > 0xffff) { wides++; wide = wide || ch; }
    const septets = gsm7Septets(ch);
    if (septets === 0 && bad === null) bad = ch;
    if (bad === null) add(g, septets, 153);
    add(u, ch.codePointAt(0) > 0xffff ? 2 : 1, 67);
  }
  const gsm = bad === null, c = gsm ? g : u, single = gsm ? 160 : 70, multi = gsm ? 153 : 67;
  const parts = c.total <= single ? 1 : c.parts;
  return { encoding: gsm ? 'gsm7' : 'ucs2', parts, left: parts === 1 ? single - c.total : multi - c.used, chars, bad, wide, wides };
}

const VARIABLES = ['prenom', 'nom', 'atelier', 'date', 'heure', 'lieu', 'centre', 'tel_centre', 'adresse'];
const OFFSETS = [['-21d@10:00', '3 semaines avant, à 10h'], ['-7d@10:00', '1 semaine avant, à 10h'],
  ['-2d@10:00', '2 jours avant, à 10h'], ['-1d@18:00', 'la veille à 18h'], ['0d@09:00', 'le jour même à 9h']];

/*
 * The composer: a new campaign, or draft id changed.  A draft the
 * composer made is changed, never made again: a "Programmer" that fails
 * leaves one draft to correct, not one more each time.
 */
async function pageCampaignNew(params, id) {
  const [events, groups, contacts, cur] = await Promise.all([api('GET', '/events'), api('GET', '/groups'), api('GET', '/contacts'),
    id ? api('GET', '/campaigns/' + id) : Promise.resolve(null)]);
  let draftId = cur ? cur.id : null;
  const eventId = cur ? String(cur.audience.event_id || '') : params.get('atelier');
  const name = h('input', { type: 'text', name: 'name', value: cur ? cur.name : '', dir: 'auto' });
  const event = h('select', { name: 'event_id' }, h('option', { value: '' }, t('Aucun')),
    events.map((e) => h('option', { value: e.id, selected: String(e.id) === eventId, dir: 'auto' }, e.title)));
  const body = h('textarea', { name: 'body', rows: 5, dir: 'auto' }, cur ? cur.body : '');
  /* the counter follows each key; its live twin is said once typing pauses (composerSettle) */
  const counter = h('div', { class: 'counter', id: 'counter' });
  const counterLive = h('div', { class: 'sr-only', 'aria-live': 'polite', id: 'counter-live' });
  const hints = h('div', { id: 'text-hints' });
  const dateHint = h('p', { class: 'muted hint', id: 'date-hint' });
  let seq = 0, pause = null;
  const translit = h('input', { type: 'checkbox', name: 'transliterate', checked: !!cur && cur.transliterate });
  const askReply = h('input', { type: 'checkbox', name: 'ask_reply', checked: cur ? cur.ask_reply : true });
  const gboxes = groups.map((g) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: g.id,
    checked: !!cur && (cur.audience.group_ids || []).includes(g.id) }), h('span', { dir: 'auto' }, g.name)));
  const when = h('select', { name: 'when' }, [['now', 'Maintenant (dans les heures d\u2019envoi)'], ['at', 'À une date et une heure'],
    ['weekly', 'Chaque semaine, à partir de la date et l\u2019heure'],
    ['monthly', 'Chaque mois, même rang (ex. 1er lundi), à partir de la date'],
    ['before', 'Rappels avant chaque séance de l\u2019atelier']].map(([v, l]) => h('option', { value: v }, t(l))));
  const sc = (cur && cur.schedule) || {};
  const at = h('input', { type: 'datetime-local', name: 'at', value: sc.at ? isoToLocal(sc.at) : sc.dtstart ? isoToLocal(sc.dtstart) : '' });
  if (cur) when.value = sc.before_event ? 'before' : sc.rrule ? (/MONTHLY/.test(sc.rrule) ? 'monthly' : 'weekly') : 'at';
  const oboxes = OFFSETS.map(([v, l]) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', value: v,
    checked: (sc.before_event || []).includes(v) }), t(l)));
  const inv = await invitationParts(cur, oboxes);
  /* the session it is about, for a message sent once: « Inviter par SMS » from a session brings it (?seance=) */
  const session = h('select', { name: 'occurrence' });
  const sessionBox = field(t('Séance'), session, t('{date}, {heure} et les réponses OUI / NON parlent de cette séance.'));
  let sessions = [], sessionWanted = cur ? String(cur.occurrence || '') : params.get('seance') || '';
  async function loadSessions() {
    sessions = event.value ? (await api('GET', '/events/' + event.value + '/occurrences'))
      .filter((o) => !o.cancelled && Date.parse(o.starts_at) > Date.now()) : [];
    fill(session, sessions.map((o, i) => h('option', { value: o.occurrence, selected: String(o.occurrence) === sessionWanted },
      fmtDate(o.starts_at) + (i === 0 ? t(' (la prochaine)') : ''))));
    sessionWanted = session.value;
  }
  const oneSend = () => !!event.value && ['now', 'at'].includes(when.value) && sessions.length > 0;
  /* a date to give only when the campaign is not sent now nor before each session */
  const atBox = field(t('Date et heure'), at);
  const previewFor = h('select', { name: 'contact_id' }, h('option', { value: '' }, t('les premiers destinataires')),
    contacts.map((c) => h('option', { value: c.id, dir: 'auto' }, (c.first_name + ' ' + c.last_name).trim())));
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
    const c = smsCount(gsmFriendly(body.value, translit.checked));
    const accentsHelp = c.encoding === 'ucs2' && !translit.checked && smsCount(gsmFriendly(body.value, true)).encoding === 'gsm7';
    c.bad = c.bad && graphemeOf(body.value, c.bad);
    c.wide = c.wide && graphemeOf(body.value, c.wide);
    showCount(c);
    counter.append(...(accentsHelp ? [h('button', { type: 'button', class: 'secondary', onclick: () => { translit.checked = true; count(); doPreview(); } },
      t('Utiliser la version sans accents'))] : []));
    const chosen = oneSend() && sessions.find((o) => String(o.occurrence) === session.value);
    const said = chosen ? fmtDaySaid(chosen.starts_at) : dateSaid(events.find((e) => String(e.id) === event.value));
    dateHint.textContent = event.value ? t('{date} : {said}', { said }) : t('{date} donne le jour et la date, par exemple « {said} ».', { said });
    fill(hints, textHints(body.value, said).map((x) => h('p', { class: 'warn' }, x)));
    clearTimeout(pause);
    const mine = ++seq;
    pause = setTimeout(() => composerSettle(mine, c), 700);
  }
  /* the counter's text (and its data, for the tests) */
  function showCount(c) {
    counter.className = 'counter' + (c.encoding === 'ucs2' ? ' ucs2' : '');
    counter.dataset.encoding = c.encoding;
    counter.dataset.parts = c.parts;
    counter.dataset.chars = c.chars;
    fill(counter, h('span', {}, countText(c)));
  }
  /*
   * Once typing pauses: the server's count for the first recipient when
   * there is one (it knows what {atelier} or {centre} become: daemon/sms.c
   * is the truth), then the live region says it, once.
   */
  async function composerSettle(mine, local) {
    let c = local;
    if (event.value || checked(gboxes).length) {
      try {
        const p = await api('POST', '/campaigns/preview', Object.assign(campaign(), { samples: 1 }));
        const x = p.samples[0];
        if (mine !== seq) return;
        if (x) {
          c = { chars: x.chars, parts: x.parts, left: x.chars_left, encoding: x.encoding, bad: local.bad, wide: local.wide, wides: local.wides };
          const button = counter.querySelector('button');
          showCount(c);
          if (button) counter.append(button);
        }
      } catch (e) { /* the local count stays; saving says what is wrong */ }
    }
    if (mine === seq) counterLive.textContent = countText(c);
  }
  body.addEventListener('input', count);
  event.addEventListener('change', count);
  const campaign = () => {
    const c = { name: name.value || t('Campagne'), body: body.value, ask_reply: askReply.checked, transliterate: translit.checked,
      audience: { group_ids: checked(gboxes).map(Number), event_id: event.value ? Number(event.value) : null } };
    if (when.value === 'now') c.schedule = { at: new Date().toISOString() };
    if (when.value === 'at' && at.value) c.schedule = { at: localToIso(at.value) };
    if ((when.value === 'weekly' || when.value === 'monthly') && at.value)
      c.schedule = { rrule: presetRule(when.value, new Date(at.value), ''), dtstart: localToIso(at.value) };
    if (when.value === 'before' && checked(oboxes).length) c.schedule = { before_event: checked(oboxes) };
    if (askReply.checked) c.ack_body = 'Merci, c\'est noté ! {centre}';
    c.reply_for = event.value ? inv.scope() : 'session';
    c.occurrence = oneSend() && session.value ? Number(session.value) : null;
    return c;
  };
  async function doPreview() {
    try {
      const p = await api('POST', '/campaigns/preview', Object.assign(campaign(), previewFor.value ? { contact_id: Number(previewFor.value) } : {}));
      fill(preview, h('p', {}, tn(p.recipients, '{n} destinataire', '{n} destinataires') +
        (p.numbers > p.recipients ? t(' ({n} numéros : des proches reçoivent aussi)', { n: p.numbers }) : '') +
        (p.left_out.opted_out ? tn(p.left_out.opted_out, ', {n} a demandé STOP', ', {n} ont demandé STOP') : '') +
        (p.left_out.no_mobile ? t(', {n} sans portable', { n: p.left_out.no_mobile }) : '') + t(' · coût : ') +
        (p.cost.sms_total === null ? t('{n} SMS par envoi', { n: p.cost.sms_per_occurrence }) : t('{n} SMS au total', { n: p.cost.sms_total }))),
      p.transliterated ? h('p', { class: 'warn' }, t('Sans accents, vous économiseriez {n} SMS par envoi.', { n: p.transliterated.saving_per_occurrence })) : null,
      ...p.samples.map((s) => h('div', { class: 'card sample', 'data-encoding': s.encoding, 'data-parts': s.parts, 'data-chars': s.chars },
        h('strong', {}, h('span', { dir: 'auto' }, s.name), ' (' + label('language', s.language) + ')'), h('p', { dir: 'auto', lang: s.language }, s.text),
        h('p', { class: 'muted' }, s.parts + ' SMS · ' + label('encoding', s.encoding)))));
      err.textContent = '';
    } catch (e) { showError(err, e); }
  }
  async function save(schedule) {
    try {
      const c = await api(draftId ? 'PATCH' : 'POST', draftId ? '/campaigns/' + draftId : '/campaigns', campaign());
      draftId = c.id;
      /* its reminders are scheduled with it (docs/api.md) */
      if (when.value !== 'before' && event.value) await inv.save(c);
      if (schedule) await api('POST', '/campaigns/' + c.id + '/schedule');
      toast(t(schedule ? 'Campagne programmée.' : 'Brouillon enregistré.'));
      location.hash = '#/campagnes/' + c.id;
    } catch (e) {
      showError(err, e);
      if (draftId) err.append(' ', t('Le brouillon est gardé : corrigez puis programmez à nouveau.'));
    }
  }
  page(cur ? t('Modifier le brouillon') : t('Nouvelle campagne'), h('form', { class: 'card', onsubmit: (ev) => { ev.preventDefault(); save(true); } },
    field(t('Nom', null, 'name'), name), field(t('Atelier'), event, t('Ses invités reçoivent la campagne.')),
    isStaff() ? h('fieldset', {}, h('legend', {}, t('Groupes destinataires')), gboxes) : null,
    field(t('Texte'), body), h('div', { class: 'actions', role: 'group', 'aria-label': t('Variables') },
      VARIABLES.map((v) => h('button', { type: 'button', class: 'secondary', onclick: () => insert(v) }, '{' + v + '}'))),
    dateHint, counter, counterLive, hints,
    h('label', { class: 'inline' }, translit, t('Remplacer les accents (ê → e, ç → c…) pour payer moins de SMS')),
    h('p', { class: 'muted' }, ...t('Les signes typographiques (\u2019 « » – …) sont toujours remplacés par {plain} : ils ne coûtent rien.')
      .split('{plain}').flatMap((x, i) => (i ? [h('code', {}, '\' " - ...'), x] : [x]))),
    h('label', { class: 'inline' }, askReply, t('Demander une réponse OUI / NON')),
    inv.scopeBox, field(t('Envoi'), when), sessionBox, atBox, h('fieldset', {}, inv.legend, oboxes), inv.bodyBox,
    h('h2', {}, t('Aperçu')), field(t('Pour'), previewFor), h('button', { type: 'button', class: 'secondary', onclick: doPreview }, t('Aperçu')),
    preview, err,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => save(false) }, t('Enregistrer le brouillon')),
      h('button', { type: 'submit' }, t('Programmer')))));
  translit.addEventListener('change', () => { count(); if (preview.firstChild) doPreview(); });
  const invitationView = () => {
    inv.show(!!event.value, when.value !== 'before');
    sessionBox.hidden = !oneSend();
    atBox.hidden = ['now', 'before'].includes(when.value);
  };
  [event, when].forEach((x) => x.addEventListener('change', invitationView));
  event.addEventListener('change', async () => { sessionWanted = ''; await loadSessions(); invitationView(); count(); });
  session.addEventListener('change', () => { sessionWanted = session.value; count(); });
  await loadSessions();
  invitationView();
  count();
  name.focus();
}

/* ---- an invitation's reminders and the reach of its answer (issue 23) ---- */

Object.assign(EN, {
  'Rappels de l\u2019invitation': 'Reminders of the invitation', 'Message des rappels': 'Reminder message',
  'Ils partent avant chaque séance de l\u2019atelier, aux invités qui n\u2019ont dit ni STOP ni NON à cette séance.':
    'They go before each session of the workshop, to the invitees who sent neither STOP nor NO for that session.',
  'Rappels : {name}': 'Reminders: {name}', 'La réponse vaut pour': 'The answer holds for',
  'la prochaine séance': 'the next session', 'toutes les séances du cycle': 'every session of the cycle',
  ' (la prochaine)': ' (the next one)',
  '{date}, {heure} et les réponses OUI / NON parlent de cette séance.': '{date}, {heure} and the YES / NO answers are about this session.',
});

/*
 * The parts of the composer for an invitation to an atelier: which
 * sessions its OUI / NON is for, and its reminders, a campaign of their
 * own tied to it (invitation_id) that the same form writes.  oboxes are
 * the offsets' checkboxes: an invitation's reminders, or the campaign's
 * own schedule when it is itself "Rappels avant chaque séance".
 */
async function invitationParts(cur, oboxes) {
  let reminders = null;
  if (cur && cur.audience.event_id) {
    reminders = (await api('GET', '/campaigns?event_id=' + cur.audience.event_id)).find((x) => x.invitation_id === cur.id) || null;
    if (reminders && reminders.schedule && !(cur.schedule || {}).before_event)
      for (const b of oboxes) b.firstChild.checked = (reminders.schedule.before_event || []).includes(b.firstChild.value);
  }
  const legend = h('legend', {}, t('Rappels'));
  const body = h('textarea', { name: 'reminder_body', rows: 3, dir: 'auto' },
    /* an SMS body: French whatever the panel's language, as the invitation's */
    reminders ? reminders.body : 'Rappel : {atelier} {date} à {heure}, {lieu}. {centre}');
  const bodyBox = field(t('Message des rappels'), body, t('Ils partent avant chaque séance de l\u2019atelier, aux invités qui n\u2019ont dit ni STOP ni NON à cette séance.'));
  const radios = [['session', 'la prochaine séance'], ['cycle', 'toutes les séances du cycle']].map(([v, l]) =>
    h('label', { class: 'inline' }, h('input', { type: 'radio', name: 'reply_for', value: v,
      checked: (cur ? cur.reply_for || 'session' : 'session') === v }), t(l)));
  const scopeBox = h('fieldset', {}, h('legend', {}, t('La réponse vaut pour')), radios);
  return {
    legend, bodyBox, scopeBox,
    scope: () => radios.find((r) => r.firstChild.checked).firstChild.value,
    show(withEvent, invitation) {
      legend.textContent = withEvent && invitation ? t('Rappels de l\u2019invitation') : t('Rappels');
      bodyBox.hidden = !(withEvent && invitation);
      scopeBox.hidden = !withEvent;
    },
    /* writes the reminders of invitation c while they are a draft (none checked: deleted) */
    async save(c) {
      const offsets = checked(oboxes);
      if (reminders && reminders.status !== 'draft') return;
      if (!offsets.length) {
        if (reminders) await api('DELETE', '/campaigns/' + reminders.id);
        reminders = null;
        return;
      }
      const r = { name: t('Rappels : {name}', { name: c.name }), body: body.value, invitation_id: c.id,
        audience: { event_id: c.audience.event_id }, schedule: { before_event: offsets }, transliterate: c.transliterate };
      reminders = await api(reminders ? 'PATCH' : 'POST', reminders ? '/campaigns/' + reminders.id : '/campaigns', r);
    },
  };
}

async function pageCampaigns() {
  const list = await api('GET', '/campaigns');
  page(t('Campagnes'), h('div', { class: 'actions' }, h('a', { class: 'button', href: '#/campagnes/nouvelle' }, t('Nouvelle campagne'))),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Nom', null, 'name')), h('th', {}, t('Statut')), h('th', {}, t('Envoi')))),
      h('tbody', {}, list.map((c) => h('tr', {}, h('td', {}, h('a', { href: '#/campagnes/' + c.id, dir: 'auto' }, c.name)),
        h('td', {}, label('campaign', c.status)), h('td', {}, c.schedule && c.schedule.at ? fmtDate(c.schedule.at) : '')))))));
}

async function pageCampaign(id) {
  const [c, msgs, names] = await Promise.all([api('GET', '/campaigns/' + id), api('GET', '/messages?campaign_id=' + id), contactNames()]);
  const invitation = c.invitation_id ? await api('GET', '/campaigns/' + c.invitation_id).catch(() => null) : null;
  const err = errorBox();
  /* a draft that cannot be scheduled as it is says how to get out */
  const schedule = async () => {
    try { await api('POST', '/campaigns/' + id + '/schedule'); toast(t('Campagne programmée.')); route(); } catch (e) {
      showError(err, e);
      if (e.code === 'in_the_past' || (e.code === 'missing_field' && e.field === 'schedule')) {
        err.append(' ', h('button', { type: 'button', onclick: async () => {
          try {
            await api('PATCH', '/campaigns/' + id, { schedule: { at: new Date().toISOString() } });
            await api('POST', '/campaigns/' + id + '/schedule');
            toast(t('Campagne programmée.'));
            route();
          } catch (e2) { showError(err, e2); }
        } }, t('Envoyer maintenant')), ' ', h('a', { class: 'button secondary', href: '#/campagnes/' + id + '/modifier' }, t('Choisir une autre date')));
      }
    }
  };
  const waiting = (msgs.find((m) => m.waiting) || {}).waiting;
  page(c.name, h('p', {}, dotted(t('Statut : {status}', { status: campaignStatus(c) }),
    Object.entries(c.messages).map(([k, v]) => label('message', k) + ' ' + v).join(', '))),
    waitLine(waiting, c.messages.queued || 0),
    invitation ? h('p', {}, t('Ces rappels vont avec l\u2019invitation '), h('a', { href: '#/campagnes/' + invitation.id, dir: 'auto' }, invitation.name), '.') : null,
    campaignSends(c, waiting), campaignTexts(c), campaignRecipients(c, invitation),
    err,
    h('div', { class: 'actions' },
      c.status === 'draft' ? h('button', { type: 'button', onclick: schedule }, t('Programmer')) : null,
      c.status === 'draft' ? h('a', { class: 'button secondary', href: '#/campagnes/' + id + '/modifier' }, t('Modifier')) : null,
      /* a mistake seen after « Programmer »: a draft again while nothing has left */
      c.status === 'scheduled' ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
        if (!confirm(t('Modifier la campagne ? Elle redevient un brouillon, ses rappels aussi : programmez-la de nouveau une fois corrigée.'))) return;
        try { await api('POST', '/campaigns/' + id + '/unschedule'); location.hash = '#/campagnes/' + id + '/modifier'; } catch (e) { showError(err, e); }
      } }, t('Modifier')) : null,
      c.status !== 'draft' ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try { location.hash = '#/campagnes/' + (await api('POST', '/campaigns', campaignCopy(c))).id + '/modifier'; } catch (e) { showError(err, e); }
      } }, t('Dupliquer')) : null,
      ['draft', 'scheduled', 'running', 'done'].includes(c.status) ? h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (confirm(t('Annuler la campagne ? Les messages pas encore partis ne partiront pas.'))) { await api('POST', '/campaigns/' + id + '/cancel'); route(); }
      } }, t('Annuler')) : null),
    messageTable(msgs, names));
}

Object.assign(EN, {
  'Envois': 'Sends', 'invitation': 'invitation', 'envoi': 'sending', 'prochain envoi : {when}': 'next sending: {when}',
  'parti {when}': 'sent {when}', 'rien de prévu': 'nothing planned', 'pas encore programmée': 'not scheduled yet',
  'en cours d\u2019envoi': 'sending', 'en attente d\u2019envoi': 'waiting to be sent', 'en attente : {why}': 'waiting: {why}',
  'Modifier la campagne ? Elle redevient un brouillon, ses rappels aussi : programmez-la de nouveau une fois corrigée.':
    'Change the campaign? It becomes a draft again, its reminders too: schedule it again once corrected.',
  'Dupliquer': 'Duplicate', '{name} (copie)': '{name} (copy)',
  'Textes envoyés': 'Texts sent', 'Textes à envoyer': 'Texts to send', '{language} · {n} personne': '{language} · {n} person',
  '{language} · {n} personnes': '{language} · {n} people', 'Rappels · {language} · {n} personne': 'Reminders · {language} · {n} person',
  'Rappels · {language} · {n} personnes': 'Reminders · {language} · {n} people',
  'Destinataires': 'Recipients', ' (un proche)': ' (a relative)',
  'Ces rappels vont avec l\u2019invitation ': 'These reminders go with the invitation ',
  'Réponses à l\u2019invitation : ': 'Answers to the invitation: ',
  'Personne ne reçoit cette campagne pour l\u2019instant.': 'Nobody receives this campaign for now.',
});
const offsetLabel = (v) => t((OFFSETS.find(([o]) => o === v) || [v, v])[1]);

/* A new draft with c's texts, people and answers; when to send it is chosen again (a cycle's reminders are kept). */
function campaignCopy(c) {
  const copy = { name: t('{name} (copie)', { name: c.name }), body: c.body, audience: c.audience, ask_reply: c.ask_reply,
    transliterate: c.transliterate, reply_for: c.reply_for };
  const bodies = Object.fromEntries(Object.entries(c.bodies || {}).filter(([, v]) => v));
  if (Object.keys(bodies).length) copy.bodies = bodies;
  if (c.ack_body) copy.ack_body = c.ack_body;
  if (c.cancel_body) copy.cancel_body = c.cancel_body;
  if (c.schedule && c.schedule.before_event) copy.schedule = c.schedule;
  return copy;
}

/*
 * c's status as a person reads it: a campaign whose messages are all
 * queued (a day or hours without sending) is not "terminée" yet.
 */
function campaignStatus(c) {
  const m = c.messages || {};
  if (!['running', 'done'].includes(c.status) || !((m.queued || 0) + (m.sending || 0))) return label('campaign', c.status);
  const gone = Object.entries(m).some(([k, v]) => v > 0 && !['queued', 'sending', 'cancelled'].includes(k));
  return t(gone ? 'en cours d\u2019envoi' : 'en attente d\u2019envoi');
}

/*
 * When each send of campaign c goes: its own, and its reminders' (the
 * API's "sends"); waiting: why c's queued messages wait, if they do.
 */
function campaignSends(c, waiting) {
  const queued = (c.messages || {}).queued || 0;
  const idle = (s) => s.campaign_id === c.id && queued
    ? (waiting ? t('en attente : {why}', { why: waitText(waiting, queued) }) : t('en attente d\u2019envoi')) : t('rien de prévu');
  return h('section', { class: 'card', id: 'sends' }, h('h2', {}, t('Envois')), h('ul', {}, (c.sends || []).map((s) =>
    h('li', {}, h('strong', {}, s.offset ? offsetLabel(s.offset) : t(s.kind === 'invitation' ? 'invitation' : 'envoi')),
      s.campaign_id !== c.id ? [' · ', h('a', { href: '#/campagnes/' + s.campaign_id, dir: 'auto' }, s.name)] : null, ' · ',
      h('span', {}, s.status === 'draft' ? t('pas encore programmée')
        : s.next_at ? t('prochain envoi : {when}', { when: fmtWhen(s.next_at) })
          : s.last_sent_at ? t('parti {when}', { when: fmtWhen(s.last_sent_at) }) : idle(s))))));
}

/* The text each language gets (as sent, or as it will be), Arabic right to left. */
function campaignTexts(c) {
  return h('section', { class: 'card', id: 'texts' }, h('h2', {}, t(c.status === 'draft' ? 'Textes à envoyer' : 'Textes envoyés')), (c.texts || []).map((x) =>
    h('div', { class: 'sample' }, h('strong', {}, x.campaign_id === c.id
      ? tn(x.recipients, '{language} · {n} personne', '{language} · {n} personnes', { language: label('language', x.language) })
      : tn(x.recipients, 'Rappels · {language} · {n} personne', 'Rappels · {language} · {n} personnes', { language: label('language', x.language) })),
    h('p', { dir: 'auto', lang: x.language }, x.text))));
}

/* Who receives c, their number as people write it, and their answer; the OUI / NON counts. */
function campaignRecipients(c, invitation) {
  /* an invitation's reminders show the answers to the invitation, which are the ones that count */
  const from = invitation && invitation.answers ? invitation : c;
  const a = from.answers || { yes: 0, no: 0, none: 0 };
  const answerOf = new Map((from.recipients || []).map((r) => [r.contact_id + ' ' + r.number, r.answer]));
  return h('section', { class: 'card', id: 'recipients' }, h('h2', {}, t('Destinataires')),
    c.ask_reply || c.audience.event_id ? h('p', { id: 'answers', 'aria-live': 'polite' },
      from !== c ? t('Réponses à l\u2019invitation : ') : null,
      h('span', { class: 'badge yes' }, t('Oui {n}', { n: a.yes })), ' ', h('span', { class: 'badge no' }, t('Non {n}', { n: a.no })),
      ' · ' + t('Sans réponse {n}', { n: a.none })) : null,
    (c.recipients || []).length ? h('div', { class: 'table-wrap' }, h('table', { class: 'stack' }, h('thead', {}, h('tr', {}, h('th', {}, t('Nom', null, 'name')),
      h('th', {}, t('Téléphone')), h('th', {}, t('Langue')), h('th', {}, t('Réponse')))),
    h('tbody', {}, c.recipients.map((r) => h('tr', {},
      h('td', {}, h('a', { href: '#/contacts/' + r.contact_id, dir: 'auto' }, (r.first_name + ' ' + r.last_name).trim()),
        r.household ? t(' (un proche)') : null),
      h('td', { class: 'phone' }, fmtPhone(r.number)), h('td', { 'data-label': cellLabel('Langue') }, label('language', r.language)),
      h('td', { 'data-label': cellLabel('Réponse') }, label('answer', answerOf.get(r.contact_id + ' ' + r.number) || r.answer))))))) :
      h('p', { class: 'muted' }, t('Personne ne reçoit cette campagne pour l\u2019instant.')));
}

/* A time as people say it: « lundi 7 décembre à 8 h 30 », "Monday 7 December at 8:30". */
function fmtWhen(iso) {
  const d = new Date(iso);
  const day = d.toLocaleDateString(locale(), { weekday: 'long', day: 'numeric', month: 'long' });
  const hh = d.getHours(), mm = String(d.getMinutes()).padStart(2, '0');
  return lang === 'en' ? day + ' at ' + hh + ':' + mm : day + ' à ' + hh + ' h' + (mm === '00' ? '' : ' ' + mm);
}

/* Why n queued messages (one when n is left out) wait and until when (the API's "waiting"). */
function waitText(w, n) {
  if (!w) return '';
  const when = w.until ? fmtWhen(w.until) : '';
  const say = (one, many, vars) => tn(n || 1, one, many, vars);
  switch (w.reason) {
    case 'day': return say('{day} n\u2019est pas un jour d\u2019envoi : partira {when}', '{day} n\u2019est pas un jour d\u2019envoi : partiront {when}',
      { day: new Date().toLocaleDateString(locale(), { weekday: 'long' }), when });
    case 'hours': return say('hors des heures d\u2019envoi : partira {when}', 'hors des heures d\u2019envoi : partiront {when}', { when });
    case 'scheduled': return say('programmé : partira {when}', 'programmés : partiront {when}', { when });
    case 'modem': return say('aucun modem prêt : partira dès qu\u2019un modem le sera', 'aucun modem prêt : partiront dès qu\u2019un modem le sera');
    default: return say('part dans un instant', 'partent dans un instant');
  }
}

/* The line that says why messages wait, with the way to change the hours for an admin. */
function waitLine(w, n) {
  if (!w || !n) return null;
  return h('p', { class: 'waiting', role: 'note' }, tn(n, '{n} message en attente — {why}.', '{n} messages en attente — {why}.', { why: waitText(w, n) }),
    isAdmin() && ['day', 'hours'].includes(w.reason) ? [' ', h('a', { href: '#/parametres' }, t('Changer les heures d\u2019envoi'))] : null);
}

/* ---- replies, messages, users, settings -------------------------- */

/* Contact id -> "Prénom Nom", for the lists that show numbers. */
async function contactNames() {
  return new Map((await api('GET', '/contacts')).map((c) => [c.id, (c.first_name + ' ' + c.last_name).trim()]));
}

/* The messages, each with its person's name beside the number (names: contactNames()). */
function messageTable(msgs, names) {
  return h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('À')), h('th', {}, t('Texte')),
    h('th', {}, t('Statut')), h('th', {}, t('Envoyé')), h('th', {}, ''))),
  h('tbody', {}, msgs.map((m) => h('tr', {}, h('td', {}, names && names.get(m.contact_id)
    ? [h('span', { dir: 'auto' }, names.get(m.contact_id)), ' ', h('span', { class: 'muted phone' }, fmtPhone(m.to))] : h('span', { class: 'phone' }, fmtPhone(m.to))),
  h('td', { dir: 'auto' }, m.body || '—'),
    h('td', {}, label('message', m.status) + (m.error ? ' (' + m.error + ')' : ''),
      m.waiting ? h('div', { class: 'muted' }, waitText(m.waiting)) : null), h('td', {}, fmtDate(m.sent_at)),
    h('td', {}, ['failed', 'uncertain'].includes(m.status) && isStaff() ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
      if (m.status === 'uncertain' && !confirm(t('Ce message a peut-être déjà été reçu. Le renvoyer quand même ?'))) return;
      await api('POST', '/messages/' + m.id + '/resend');
      route();
    } }, t('Renvoyer')) : null))))));
}

/* The demo's simulated modem: a person makes one family answer (families.h). */
function simulateReplyForm() {
  const from = h('input', { type: 'tel', name: 'sim_from', placeholder: '06 39 98 00 01' });
  const body = h('input', { type: 'text', name: 'sim_body', placeholder: 'OUI', dir: 'auto' });
  const err = errorBox();
  return h('details', { class: 'card', id: 'simulate' }, h('summary', {}, t('Simuler une réponse')),
    h('p', { class: 'muted' }, t('Le modem est simulé : écrivez ce qu\u2019une famille répondrait. Le SMS arrive comme un vrai dans quelques secondes.')),
    h('form', { onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        await api('POST', '/simulator/replies', { from: from.value, body: body.value });
        toast(t('Réponse simulée envoyée : elle arrive dans quelques secondes.'));
        body.value = '';
      } catch (e) { showError(err, e); }
    } }, field(t('Numéro de la famille'), from), field(t('Sa réponse'), body), err,
    h('button', { type: 'submit' }, t('Envoyer la réponse simulée'))));
}

async function pageReplies(params) {
  const [inbox, status] = await Promise.all([api('GET', '/inbox'), api('GET', '/status')]);
  const simulated = status.modems.some((m) => m.device === 'simulator');
  const cid = params.get('contact'), num = params.get('numero');
  let thread = null, cur = null;
  if (cid || num) {
    cur = inbox.threads.find((th) => (cid ? String(th.contact_id) === cid : !th.contact_id && th.number === num));
    const out = cur && cur.opted_out_at;
    const msgs = await api('GET', '/inbox/thread?' + (cid ? 'contact_id=' + cid : 'number=' + encodeURIComponent(num)));
    const text = h('textarea', { name: 'reply', rows: 3, dir: 'auto' });
    const err = errorBox();
    const marks = threadMarks(msgs);
    const who = cur && cur.first_name ? (cur.first_name + ' ' + (cur.last_name || '')).trim() : null;
    thread = h('section', { class: 'card conversation', 'aria-label': t('Conversation') },
      h('a', { href: '#/reponses', class: 'back' }, t('← Toutes les conversations')),
      h('h2', {}, cid ? h('a', { href: '#/contacts/' + cid, dir: 'auto' }, who || t('Fiche du contact')) : fmtPhone(num),
        cid && cur ? h('span', { class: 'muted' }, ' ' + fmtPhone(cur.number)) : null),
      !cid && isStaff() ? h('p', {}, h('a', { class: 'button secondary', href: '#/contacts/nouveau?numero=' + encodeURIComponent(num) },
        t('Créer le contact avec ce numéro'))) : null,
      h('ul', { class: 'thread' }, msgs.map((m) => h('li', { class: m.direction + (m.kind === 'call' ? ' call' : '') },
        m.kind === 'call' ? h('div', {}, h('span', { 'aria-hidden': 'true' }, '📞 '), h('strong', {}, t('a appelé')), ' ',
          h('span', { class: 'muted' }, t('(rappel a raccroché : rappelez la personne)')))
          : h('div', { dir: 'auto' }, m.body || '—'),
        h('div', { class: 'muted' }, fmtDate(m.at) + (m.intent && m.kind !== 'call' ? ' · ' + label('intent', m.intent) : '') +
          (m.status ? ' · ' + label('message', m.status) : ''), m.direction === 'in' && marks.has(m.id) ? [' ', markBadge(marks.get(m.id))] : null),
        m.direction === 'in' && m.handled === false ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
          await api('PATCH', '/replies/' + m.id, { handled: true });
          route();
        } }, t('Marquer traité')) : null))),
      isStaff() ? h('form', { onsubmit: async (ev) => {
        ev.preventDefault();
        try {
          await api('POST', '/messages', cid ? { contact_id: Number(cid), body: text.value } : { to: num, body: text.value });
          toast(t('Réponse envoyée.'));
          route();
        } catch (e) { showError(err, e); }
      } }, out ? h('p', { class: 'badge no', role: 'note' }, t('STOP depuis le {date} : aucun SMS ne peut être envoyé à ce numéro. Il en recevra de nouveau s\u2019il envoie START.',
        { date: fmtDay(out) })) : null,
      field(t('Répondre'), text), err, h('button', { type: 'submit', disabled: !!out }, t('Envoyer'))) : null);
  }
  /* numbers that are no contact's and sent STOP: kept by number (a new contact with one is opted out) */
  const strangers = inbox.threads.filter((th) => !th.contact_id && th.opted_out_at);
  const stopped = strangers.length ? h('section', { 'aria-labelledby': 'stop-numbers' },
    h('h2', { id: 'stop-numbers' }, t('Numéros sans fiche qui ont demandé STOP')),
    h('p', { class: 'muted' }, t('Ils ne reçoivent plus aucun SMS. Une fiche créée avec l\u2019un de ces numéros sera marquée STOP.')),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Numéro')), h('th', {}, t('Depuis le')))),
      h('tbody', {}, strangers.map((th) => h('tr', {},
        h('td', {}, h('a', { href: '#/reponses?numero=' + encodeURIComponent(th.number) }, th.number)),
        h('td', {}, fmtDay(th.opted_out_at)))))))) : null;
  page(t('Réponses'), h('p', {}, tn(inbox.unhandled, '{n} réponse à traiter', '{n} réponses à traiter')),
    h('div', { class: 'inbox' + (thread ? ' open' : '') }, thread,
    h('div', { class: 'table-wrap threads' }, h('table', { 'aria-label': t('Conversations') }, h('thead', {}, h('tr', {}, h('th', {}, t('Personne')), h('th', {}, t('Dernier message')),
      h('th', {}, t('À traiter')))),
    h('tbody', {}, inbox.threads.map((th) => h('tr', { 'aria-current': th === cur ? 'true' : null },
      h('td', {}, h('a', { href: '#/reponses?' + (th.contact_id ? 'contact=' + th.contact_id : 'numero=' + encodeURIComponent(th.number)), dir: 'auto' },
        th.first_name ? (th.first_name + ' ' + (th.last_name || '')).trim() : fmtPhone(th.number)),
        th.first_name ? [' ', h('span', { class: 'muted' }, fmtPhone(th.number))] : null,
        th.opted_out_at ? [' ', h('span', { class: 'badge no' }, t('STOP depuis le {date}', { date: fmtDay(th.opted_out_at) }))] : null),
      h('td', {}, th.last_kind === 'call' ? '📞 ' + t('a appelé') : [h('span', { dir: 'auto' }, th.last_body || ''),
        th.last_intent ? ' (' + label('intent', th.last_intent) + ')' : ''], ' · ' + fmtDate(th.last_at)),
      h('td', {}, th.unhandled ? h('span', { class: 'badge problem' }, String(th.unhandled)) : '0'))))))), stopped,
    simulated && isStaff() ? simulateReplyForm() : null);
  /* on a phone the conversation is above the list: show it from its top */
  if (thread && matchMedia('(max-width: 640px)').matches) thread.scrollIntoView({ block: 'start' });
}

Object.assign(EN, {
  '← Toutes les conversations': '← All conversations', 'Créer le contact avec ce numéro': 'Create the contact with this number', 'Fiche du contact': 'Contact card', 'Conversations': 'Conversations',
});
/*
 * The replies of a conversation that change an answer about a session
 * (by id): "changed" for a yes after a no or a no after a yes, "check"
 * for a reply not understood, still to read, after a yes or a no.
 */
function threadMarks(msgs) {
  const last = new Map(), marks = new Map();
  for (const m of msgs) {
    if (m.direction !== 'in' || !m.event_id) continue;
    const key = m.event_id + '/' + m.occurrence, before = last.get(key);
    if (m.intent === 'yes' || m.intent === 'no') {
      if (before && before !== m.intent) marks.set(m.id, 'changed');
      last.set(key, m.intent);
    } else if (m.intent === 'other' && before && m.handled === false) {
      marks.set(m.id, 'check');
    }
  }
  return marks;
}

/* A French number as people write it (06 12 34 56 78); others as they are. */
const fmtPhone = (e164) => /^\+33\d{9}$/.test(e164) ? ('0' + e164.slice(3)).replace(/(\d\d)(?=\d)/g, '$1 ') : e164;

/* A number to dial: as people write it, a tel: link, and what it is. */
const dialLink = (n) => h('li', {}, h('a', { href: 'tel:' + n.number }, fmtPhone(n.number)),
  n.label ? ' ' + n.label : '', ' ', h('span', { class: 'muted' }, n.sms ? t('portable') : t('fixe')));

/* One session's people to phone, with the box to say what they answered. */
function callsSession(s) {
  const where = '#/ateliers/' + s.event_id + '?seance=' + s.session.occurrence;
  return h('section', { class: 'card calls', 'aria-label': s.title + ' ' + fmtDate(s.session.starts_at) },
    h('h2', {}, h('a', { href: where, dir: 'auto' }, s.title), ' — ', fmtDate(s.session.starts_at), s.place ? [' — ', h('span', { dir: 'auto' }, s.place)] : ''),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Nom', null, 'name')), h('th', {}, t('Numéros')),
      h('th', {}, t('Pourquoi')), h('th', {}, t('SMS envoyé')), h('th', {}, t('Appelé(e)')))),
    h('tbody', {}, s.people.map((p) => {
      const name = (p.first_name + ' ' + p.last_name).trim();
      const outcome = h('select', { 'aria-label': t('Réponse au téléphone de {name}', { name }) },
        ['', 'yes', 'no', 'no_answer', 'wrong_number'].map((v) => h('option', { value: v }, v ? label('call', v) : '—')));
      const note = h('input', { type: 'text', 'aria-label': t('Note sur l\u2019appel de {name}', { name }), maxlength: 200, dir: 'auto',
        placeholder: t('Note (facultatif)') });
      const err = errorBox();
      return h('tr', {}, h('td', {}, h('a', { href: '#/contacts/' + p.contact_id, dir: 'auto' }, name)),
        h('td', {}, p.numbers.length ? h('ul', { class: 'plain' }, p.numbers.map(dialLink)) : t('aucun numéro')),
        h('td', {}, p.reasons.map((r) => (r === 'called' && p.called_at ? t('a appelé le {date}', { date: fmtDate(p.called_at) })
          : label('reason', r))).join(', ')),
        h('td', {}, p.message ? [h('div', { dir: 'auto' }, p.message.body || '—'), h('div', { class: 'muted' },
          label('message', p.message.status) + ' · ' + fmtDate(p.message.at))] : t('rien d\u2019envoyé')),
        h('td', {}, p.call ? h('div', { class: 'muted' }, t('Appelé(e) le {date} : {outcome}', { date: fmtDate(p.call.at),
          outcome: label('call', p.call.outcome) }) + (p.call.note ? ' — ' + p.call.note : '')) : null,
        h('span', { class: 'print-only' }, '☐ ' + t('Oui') + '  ☐ ' + t('Non') + '  ☐ ' + t('ne répond pas')),
        h('form', { class: 'no-print', onsubmit: async (ev) => {
          ev.preventDefault();
          if (!outcome.value) { err.textContent = t('Choisissez ce que la personne a répondu.'); return; }
          try {
            await api('POST', '/events/' + s.event_id + '/calls?occurrence=' + s.session.occurrence,
              { contact_id: p.contact_id, outcome: outcome.value, note: note.value });
            toast(t('Appel enregistré.'));
            route();
          } catch (e) { showError(err, e); }
        } }, outcome, note, err, h('button', { type: 'submit', class: 'secondary' }, t('Enregistrer l\u2019appel')))));
    })))));
}

/* People to phone: for one session (#/appels/ID?seance=K) or the coming week (#/appels). */
/* Who phoned the SMS number and is on no session's list: to call back, then marked so. */
function callersSection(callers) {
  if (!callers.length) return null;
  return h('section', { class: 'card calls', 'aria-labelledby': 'callers' },
    h('h2', { id: 'callers' }, t('Ont appelé le numéro des SMS')),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Nom', null, 'name')), h('th', {}, t('Numéros')),
      h('th', {}, t('Pourquoi')), h('th', {}, t('Appelé(e)')))),
    h('tbody', {}, callers.map((c) => {
      const name = c.contact_id ? ((c.first_name || '') + ' ' + (c.last_name || '')).trim() : fmtPhone(c.number);
      const where = '#/reponses?' + (c.contact_id ? 'contact=' + c.contact_id : 'numero=' + encodeURIComponent(c.number));
      return h('tr', {}, h('td', {}, h('a', { href: where, dir: 'auto' }, c.contact_id ? name : t('Sans fiche'))),
        h('td', {}, h('ul', { class: 'plain' }, c.numbers.map(dialLink))),
        h('td', {}, t('a appelé le {date}', { date: fmtDate(c.called_at) })),
        h('td', {}, h('span', { class: 'print-only' }, '☐ ' + t('rappelé(e)')),
          h('button', { type: 'button', class: 'secondary no-print', 'aria-label': t('{name} rappelé(e)', { name }), onclick: async () => {
            for (const r of c.reply_ids) await api('PATCH', '/replies/' + r, { handled: true });
            toast(t('Appel enregistré.'));
            route();
          } }, t('Rappelé(e)'))));
    })))));
}

async function pageCalls(id, params) {
  const k = params.get('seance');
  const week = id ? null : await api('GET', '/calls?days=7');
  const sessions = id ? [await api('GET', '/events/' + id + '/calls' + (k ? '?occurrence=' + k : ''))] : week.sessions;
  const callers = week ? callersSection(week.callers || []) : null;
  const some = sessions.filter((s) => s.people.length);
  page(t('Personnes à appeler'),
    h('p', {}, t(id ? 'Pour cette séance : les invités sans portable, ceux dont le SMS n\u2019est pas parti ou pas arrivé, ceux qui n\u2019ont pas répondu la veille, et ceux qui ont appelé le numéro des SMS.'
      : 'Les 7 prochains jours : les invités sans portable, ceux dont le SMS n\u2019est pas parti ou pas arrivé, ceux qui n\u2019ont pas répondu la veille, et ceux qui ont appelé le numéro des SMS.')),
    h('div', { class: 'toolbar no-print' }, h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, t('Imprimer'))),
    ...(some.length ? some.map(callsSession) : callers ? [] : [h('p', { class: 'ok' }, t('Aucune personne à appeler.'))]), callers);
}

async function pageMessages(params) {
  const status = h('select', { name: 'status', onchange: (ev) => { location.hash = '#/messages?statut=' + ev.target.value; } },
    ['', 'queued', 'sending', 'sent', 'delivered', 'failed', 'uncertain', 'cancelled'].map((s) =>
      h('option', { value: s, selected: s === (params.get('statut') || '') }, s ? label('message', s) : t('Tous'))));
  const [msgs, names] = await Promise.all([api('GET', '/messages?limit=300' + (params.get('statut') ? '&status=' + params.get('statut') : '')),
    contactNames()]);
  page(t('Messages'), h('div', { class: 'toolbar' }, field(t('Statut'), status)), messageTable(msgs, names));
}

async function pageUsers() {
  const users = await api('GET', '/users');
  const login = h('input', { type: 'text', name: 'login' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password' });
  const role = h('select', { name: 'role' }, ['referent', 'animateur', 'admin'].map((r) => h('option', { value: r }, label('role', r))));
  const err = errorBox();
  page(t('Utilisateurs'), h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    try { await api('POST', '/users', { login: login.value, password: password.value, role: role.value }); route(); } catch (e) { showError(err, e); }
  } }, field(t('Identifiant'), login), field(t('Mot de passe'), password, t('10 caractères au moins')), field(t('Rôle'), role), err,
  h('button', { type: 'submit' }, t('Créer le compte'))),
  h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Identifiant')), h('th', {}, t('Rôle')),
    h('th', {}, t('Nouveau mot de passe')), h('th', {}, ''))),
    h('tbody', {}, users.map((u) => h('tr', {}, h('td', {}, u.login),
      h('td', {}, userRole(u), u.disabled ? t(' (désactivé)') : null), h('td', {}, userPassword(u)),
      h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try { await api('PATCH', '/users/' + u.id, { disabled: !u.disabled }); route(); } catch (e) { toast(serverText(e)); }
      } }, t(u.disabled ? 'Réactiver' : 'Désactiver'))))))));
}

Object.assign(EN, {
  'Nouveau mot de passe': 'New password', 'Rôle de {login}': 'Role of {login}',
  'Rôle changé : {login} est {role}.': 'Role changed: {login} is {role}.',
  'Nouveau mot de passe pour {login}': 'New password for {login}', 'Remettre': 'Reset',
  'Remettre le mot de passe de {login}': 'Reset the password of {login}',
  'Mot de passe remis : {login} doit se connecter avec le nouveau.': 'Password reset: {login} must sign in with the new one.',
  'Mon mot de passe': 'My password', 'Mot de passe actuel': 'Current password',
  'Changer mon mot de passe': 'Change my password',
  'Mot de passe changé. Vos autres sessions sont fermées.': 'Password changed. Your other sessions are closed.',
  'Vos autres sessions (autre poste, autre navigateur) et vos jetons d\u2019accès seront fermés.':
    'Your other sessions (other computer, other browser) and your access tokens will be closed.',
});

/* A user's role, changed at once (the last admin stays one: the server says so). */
function userRole(u) {
  const sel = h('select', { 'aria-label': t('Rôle de {login}', { login: u.login }), onchange: async () => {
    try {
      await api('PATCH', '/users/' + u.id, { role: sel.value });
      toast(t('Rôle changé : {login} est {role}.', { login: u.login, role: label('role', sel.value) }));
    } catch (e) { sel.value = u.role; toast(serverText(e)); }
  } }, ['referent', 'animateur', 'admin'].map((r) => h('option', { value: r, selected: r === u.role }, label('role', r))));
  return sel;
}

/* A new password an admin gives a user: their sessions and tokens end (auth.c). */
function userPassword(u) {
  const pw = h('input', { type: 'password', autocomplete: 'new-password', minlength: 10,
    'aria-label': t('Nouveau mot de passe pour {login}', { login: u.login }) });
  return h('form', { class: 'inline-form', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api('PATCH', '/users/' + u.id, { password: pw.value });
      pw.value = '';
      toast(t('Mot de passe remis : {login} doit se connecter avec le nouveau.', { login: u.login }), 8000);
    } catch (e) { toast(serverText(e), 8000); }
  } }, pw, h('button', { type: 'submit', class: 'secondary', 'aria-label': t('Remettre le mot de passe de {login}', { login: u.login }) },
    t('Remettre')));
}

/* Anyone changes their own password, giving the current one; their other sessions end. */
function myPasswordSection() {
  const current = h('input', { type: 'password', name: 'current_password', autocomplete: 'current-password', required: true });
  const pw = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: 10, required: true });
  const err = errorBox();
  return h('form', { class: 'card', 'aria-labelledby': 'my-password', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api('POST', '/session/password', { current_password: current.value, password: pw.value });
      current.value = pw.value = '';
      err.textContent = '';
      toast(t('Mot de passe changé. Vos autres sessions sont fermées.'), 8000);
    } catch (e) { showError(err, e); }
  } }, h('h2', { id: 'my-password' }, t('Mon mot de passe')), field(t('Mot de passe actuel'), current),
  field(t('Nouveau mot de passe'), pw, t('10 caractères au moins')),
  h('p', { class: 'muted' }, t('Vos autres sessions (autre poste, autre navigateur) et vos jetons d\u2019accès seront fermés.')), err,
  h('button', { type: 'submit' }, t('Changer mon mot de passe')));
}

Object.assign(EN, {
  'Les heures d\u2019envoi sont à l\u2019envers : de {from} à {until}, aucun SMS ne partirait. Mettez l\u2019heure de début avant l\u2019heure de fin, par exemple de {until} à {from}.':
    'The sending hours are the wrong way round: from {from} to {until}, no SMS would go. Put the start before the end, for example from {until} to {from}.',
});

/* The form an admin changes the centre and the sending with (PATCH /settings). */
function settingsForm(cur) {
  const ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const DAY_INDEX = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
  const [start, end] = cur.hours.split('-');
  const name = h('input', { type: 'text', name: 'centre_name', value: cur.centre_name, required: true, maxlength: 120, dir: 'auto' });
  const phone = h('input', { name: 'centre_phone', type: 'tel', value: cur.centre_phone, required: true });
  const address = h('input', { type: 'text', name: 'centre_address', value: cur.centre_address || '', maxlength: 200, dir: 'auto' });
  const smsNumber = h('input', { name: 'centre_sms_number', type: 'tel', value: cur.centre_sms_number || '' });
  const from = h('input', { name: 'hours', type: 'time', value: start, required: true });
  const until = h('input', { name: 'hours_end', type: 'time', value: end === '24:00' ? '23:59' : end, required: true });
  const days = ORDER.map((d) => h('input', { type: 'checkbox', name: 'days', value: d, checked: cur.days.includes(d) }));
  const perMinute = h('input', { name: 'max_per_minute', type: 'number', min: 1, max: 60000, value: cur.max_per_minute, required: true });
  const perDay = h('input', { name: 'max_per_day', type: 'number', min: 1, max: 100000, value: cur.max_per_day, required: true });
  const replyDays = h('input', { name: 'reply_days', type: 'number', min: 1, max: 90, value: cur.reply_days, required: true });
  const err = errorBox();
  return h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    if (from.value && until.value && from.value >= until.value) {
      err.className = 'error';
      err.textContent = t('Les heures d\u2019envoi sont à l\u2019envers : de {from} à {until}, aucun SMS ne partirait. Mettez l\u2019heure de début avant l\u2019heure de fin, par exemple de {until} à {from}.',
        { from: from.value, until: until.value });
      from.setAttribute('aria-invalid', 'true');
      from.focus();
      return;
    }
    from.removeAttribute('aria-invalid');
    const body = { centre_name: name.value, centre_phone: phone.value,
      centre_address: address.value.trim() ? address.value : null,
      /* a time field cannot say 24:00: 23:59 is the end of the day, as the configuration writes it */
      centre_sms_number: smsNumber.value.trim() || null, hours: from.value + '-' + (until.value === '23:59' ? '24:00' : until.value),
      days: days.filter((c) => c.checked).map((c) => c.value), max_per_minute: Number(perMinute.value),
      max_per_day: Number(perDay.value), reply_days: Number(replyDays.value) };
    try { await api('PATCH', '/settings', body); toast(t('Réglages enregistrés.')); route(); } catch (e) { showError(err, e); }
  } }, h('h2', {}, t('Centre et envoi')),
    field(t('Nom du centre (il signe chaque SMS)'), name), field(t('Téléphone du centre'), phone),
    field(t('Adresse du centre (dite à qui demande « c\u2019est qui ? »)'), address),
    field(t('Numéro SMS du centre (carte SIM du modem)'), smsNumber,
      t('Il est imprimé sur la carte que les familles gardent. Un portable : 06 ou 07.')),
    h('fieldset', {}, h('legend', {}, t('Heures d\u2019envoi')), field(t('De'), from), field(t('À'), until)),
    h('fieldset', {}, h('legend', {}, t('Jours d\u2019envoi')),
      ...days.map((c, i) => h('label', { class: 'inline' }, c, ' ', dayName(DAY_INDEX[ORDER[i]])))),
    field(t('SMS par minute et par modem'), perMinute), field(t('SMS par jour et par modem'), perDay),
    field(t('Réponses OUI/NON attendues (hors atelier), en jours'), replyDays),
    err, h('button', { type: 'submit' }, t('Enregistrer les réglages')),
    h('p', { class: 'muted' }, t('Ces réglages remplacent ceux du fichier {file}. Les modems, le réseau et les sauvegardes se règlent dans ce fichier.', { file: cur.file })));
}

/*
 * The texts rappel sends by itself, per language: what each is for, a box
 * per language (Arabic right to left), the default brought back by
 * emptying a box.
 */
const TEXT_PURPOSE = {
  stop: 'Réponse à STOP', start: 'Réponse à START', help: 'Réponse à AIDE',
  who: 'Réponse à « c\u2019est qui ? »', ack: 'Merci après un OUI ou un NON', cancel: 'Séance annulée',
  call: 'Réponse à un appel (le numéro des SMS ne prend pas d\u2019appels)',
  waiting: 'Séance complète : sur la liste d\u2019attente', offer: 'Une place s\u2019est libérée',
  placed: 'La place libérée est prise', chase: 'Relance de ceux qui n\u2019ont pas répondu',
};
function textsSection(all) {
  const err = errorBox();
  const boxes = all.texts.map((x) => ({ x, box: h('textarea', { rows: 2, lang: x.language, dir: x.language === 'ar' ? 'rtl' : 'ltr',
    'aria-label': t('{what} en {language}', { what: t(TEXT_PURPOSE[x.name]), language: label('language', x.language) }),
    placeholder: x.default }, x.body) }));
  return h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    const texts = boxes.filter(({ x, box }) => box.value !== x.body)
      .map(({ x, box }) => ({ name: x.name, language: x.language, body: box.value.trim() ? box.value : null }));
    if (!texts.length) { toast(t('Aucun texte changé.')); return; }
    try { await api('PATCH', '/texts', { texts }); toast(t('Textes enregistrés.')); route(); } catch (e) { showError(err, e); }
  } }, h('h2', {}, t('Textes envoyés par rappel')),
  h('p', { class: 'muted' }, t('rappel envoie ces SMS tout seul, dans la langue de la personne. Variables : {centre}, {tel_centre}, {adresse} ; pour ceux qui parlent d\u2019une séance aussi {prenom}, {atelier}, {date}, {heure}, {lieu} ; pour la place libérée, {delai} (le temps pour répondre). Videz une case pour revenir au texte d\u2019origine.')),
  ...Object.keys(TEXT_PURPOSE).map((name) => h('fieldset', {}, h('legend', {}, t(TEXT_PURPOSE[name])),
    ...boxes.filter(({ x }) => x.name === name).map(({ x, box }) => h('div', { class: 'text-lang' },
      h('span', {}, label('language', x.language), x.changed ? [' ', h('span', { class: 'badge' }, t('modifié'))] : null), box)))),
  err, h('button', { type: 'submit' }, t('Enregistrer les textes')));
}

/*
 * API tokens (for scripts): listed with label, dates and owner; made with a
 * label and a validity, the secret shown once; revoked one by one.
 */
function tokensSection(tokens) {
  /* "what", not "label": label() names the states */
  const what = h('input', { type: 'text', name: 'token_label', maxlength: '80', required: true, autocomplete: 'off', dir: 'auto' });
  const days = h('input', { type: 'number', name: 'token_days', min: '1', max: '3650', value: '365' });
  const err = errorBox();
  const shown = h('div', { id: 'new-token', 'aria-live': 'polite' });
  const dateOrDash = (x) => (x ? fmtDate(x) : '—');
  return h('section', { class: 'card', 'aria-labelledby': 'tokens' }, h('h2', { id: 'tokens' }, t('Jetons d\u2019accès (API)')),
    h('p', { class: 'muted' }, t('Un jeton permet à un script ou à un autre logiciel d\u2019utiliser rappel en votre nom. Révoquez celui qui ne sert plus.')),
    tokens.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Nom du jeton')),
      isAdmin() ? h('th', {}, t('Utilisateur')) : null, h('th', {}, t('Créé le')), h('th', {}, t('Dernier usage')),
      h('th', {}, t('Expire le')), h('th', {}, ''))),
    h('tbody', {}, tokens.map((tk) => h('tr', {}, h('td', { dir: 'auto' }, tk.label), isAdmin() ? h('td', {}, tk.login) : null,
      h('td', {}, dateOrDash(tk.created_at)), h('td', {}, dateOrDash(tk.last_used_at)), h('td', {}, dateOrDash(tk.expires_at)),
      h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': t('Révoquer le jeton « {label} »', { label: tk.label }),
        onclick: async () => {
          if (!confirm(t('Révoquer le jeton « {label} » ? Les scripts qui l\u2019utilisent ne pourront plus se connecter.', { label: tk.label }))) return;
          try { await api('DELETE', '/tokens/' + tk.id); toast(t('Jeton révoqué.')); route(); } catch (e) { toast(serverText(e)); }
        } }, t('Révoquer')))))))) : h('p', { class: 'muted' }, t('Aucun jeton.')),
    h('form', { onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const r = await api('POST', '/tokens', { label: what.value, days: days.value ? Number(days.value) : null });
        shown.replaceChildren(h('p', { class: 'badge problem', role: 'alert' },
          t('Copiez ce jeton maintenant : il ne sera plus jamais affiché.')), h('p', {}, h('code', { id: 'token-value' }, r.token)),
          h('button', { type: 'button', class: 'secondary', onclick: () => route() }, t('C\u2019est copié')));
        what.value = '';
        err.textContent = '';
      } catch (e) { showError(err, e); }
    } }, h('h3', {}, t('Nouveau jeton')), field(t('À quoi il sert'), what), field(t('Valable (jours)'), days), err,
    h('button', { type: 'submit' }, t('Créer le jeton'))), shown);
}

async function pageSettings() {
  const [status, settings, tokens, texts, calendars] = await Promise.all([api('GET', '/status'),
    isAdmin() ? api('GET', '/settings') : Promise.resolve(null), api('GET', '/tokens'),
    isAdmin() ? api('GET', '/texts') : Promise.resolve(null), api('GET', '/calendars')]);
  const to = h('input', { type: 'tel', name: 'to' });
  const err = errorBox();
  const DAY_INDEX = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
  const row = (k, v) => h('tr', {}, h('th', { scope: 'row' }, t(k)), h('td', {}, v));
  page(t('Paramètres'), settings ? settingsForm(settings) : h('section', { class: 'card' }, h('h2', {}, t('Centre et envoi')),
    h('table', {}, h('tbody', {}, row('Nom du centre', status.centre.name), row('Téléphone du centre', status.centre.phone),
      row('Numéro SMS du centre', status.centre.sms_number || '—'),
      row('Fuseau horaire', status.centre.timezone), row('Heures d\u2019envoi', status.sending.hours),
      row('Jours d\u2019envoi', status.sending.days.map((d) => dayName(DAY_INDEX[d])).join(', ')),
      row('SMS par minute et par modem', String(status.sending.max_per_minute)),
      row('SMS par jour et par modem', String(status.sending.max_per_day)),
      row('Réponses OUI/NON attendues (hors atelier)', t('{n} jours', { n: status.sending.reply_days }))))),
  h('section', { class: 'card' }, h('h2', {}, t('Modems')),
    ...status.modems.map((m) => h('p', {}, modemLine(m) + ' — ' + m.device))),
  settings ? null : h('p', { class: 'muted' }, t('Seul un administrateur peut changer ces réglages.')),
  texts ? textsSection(texts) : null,
  isStaff() ? h('form', { class: 'card', onsubmit: async (ev) => {
    ev.preventDefault();
    try { await api('POST', '/messages', { to: to.value, body: 'Test de rappel : ce SMS est bien arrivé.' }); toast(t('SMS de test en file.')); } catch (e) { showError(err, e); }
  } }, h('h2', {}, t('SMS de test')), field(t('Téléphone'), to), err, h('button', { type: 'submit' }, t('Envoyer un SMS de test'))) : null,
  calendarsSection(calendars),
  myPasswordSection(),
  tokensSection(tokens),
  h('p', { class: 'muted' }, t('Version {v}', { v: status.version })));
}

/* ---- the card of the centre's number, calendars ------------------- */

/* The dashboard's offer of the card, once the centre's SMS number is set. */
function cardOffer(status) {
  const ready = status.centre && status.centre.sms_number;
  if (!ready && !isAdmin()) return null;
  return h('section', { class: 'card', id: 'card-offer' }, h('h2', {}, t('Carte du centre')),
    ready ? [h('p', {}, t('Imprimez la carte que les familles gardent pour reconnaître nos SMS.')),
      h('a', { class: 'button', href: '#/carte' }, t('Imprimer la carte du numéro'))]
      : h('p', {}, h('a', { href: '#/parametres' },
        t('Indiquez le numéro SMS du centre dans les Paramètres pour imprimer la carte que les familles gardent.'))));
}

/* One card (or the poster): the centre, its SMS number, the QR code of its vCard, its phone. */
function idCard(card, qr, cls) {
  return h('div', { class: cls },
    h('p', { class: 'card-name', dir: 'auto' }, card.name),
    h('p', { class: 'card-says' }, t('Nos SMS viennent de ce numéro\u00a0:')),
    h('p', { class: 'card-number' }, card.sms_number),
    h('img', { class: 'card-qr', src: qr, alt: t('Code QR : ajouter {name} à vos contacts', { name: card.name }) }),
    h('p', {}, t('Scannez ce code avec l\u2019appareil photo pour enregistrer le numéro dans vos contacts.')),
    h('p', { class: 'card-phone' }, t('Pour nous appeler\u00a0: {phone}', { phone: card.phone })),
    h('p', { class: 'card-warn' }, t('Nous ne demandons jamais de code, de mot de passe ni d\u2019argent par SMS.')));
}

/* #/carte (a sheet of 8 cards to cut) and #/carte/affiche (an A4 poster), printed with app.css's print rules. */
async function pageCard(poster) {
  const card = await api('GET', '/card');
  if (!card.ready) {
    page(t('Carte du numéro du centre'), cardOffer({ centre: {} }) ||
      h('p', {}, t('Indiquez le numéro SMS du centre dans les Paramètres pour imprimer la carte que les familles gardent.')));
    return;
  }
  /* the image once, as data: the 8 cards and the print use the same */
  const r = await fetch('/api/v1/card/qr.svg', { credentials: 'same-origin' });
  if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
  const qr = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(await r.text());
  page(t('Carte du numéro du centre'),
    h('div', { class: 'no-print' },
      h('nav', { class: 'actions', 'aria-label': t('Format') },
        h('a', { class: 'button secondary', href: '#/carte', 'aria-current': poster ? null : 'page' }, t('Planche de 8 cartes')),
        h('a', { class: 'button secondary', href: '#/carte/affiche', 'aria-current': poster ? 'page' : null }, t('Affiche A4')),
        h('button', { type: 'button', onclick: () => window.print() }, t('Imprimer'))),
      poster ? null : h('p', { class: 'muted' }, t('Découpez les cartes en suivant les pointillés. Imprimez sur du papier A4, à 100 % (sans ajuster à la page).'))),
    poster ? h('div', { class: 'sheet' }, idCard(card, qr, 'poster'))
      : h('div', { class: 'sheet cards' }, Array.from({ length: 8 }, () => idCard(card, qr, 'idcard'))));
  $('#main > h1').classList.add('no-print');	/* the paper is the card alone */
}

/* Copies text to the clipboard (a plain http:// page has no navigator.clipboard: the field is selected and copied). */
async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    input.select();
    document.execCommand('copy');
  }
  toast(t('Lien copié.'));
}

/*
 * The calendars' secret links (GET /calendars): every atelier (staff) and
 * each atelier one may see, each with Copier; an admin renews a link.
 */
function calendarsSection(cal) {
  const rows = (cal.all ? [[t('Tous les ateliers'), cal.all]] : []).concat(cal.ateliers.map((a) => [a.title, a]));
  const row = ([name, link]) => {
    const url = h('input', { type: 'text', readonly: true, value: location.origin + link.path,
      'aria-label': t('Lien du calendrier : {name}', { name }), class: 'link' });
    return h('tr', {}, h('th', { scope: 'row', dir: 'auto' }, name), h('td', {}, url),
      h('td', { class: 'actions-cell' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': t('Copier le lien : {name}', { name }),
          onclick: () => copyText(url.value, url) }, t('Copier')),
        isAdmin() ? h('button', { type: 'button', class: 'secondary', 'aria-label': t('Renouveler le lien : {name}', { name }),
          onclick: async () => {
            if (!confirm(t('Renouveler le lien de « {name} » ? L\u2019ancien lien ne marchera plus : donnez le nouveau à ceux qui l\u2019utilisent.', { name }))) return;
            try {
              await api('POST', '/calendars/renew', { event_id: link.event_id });
              toast(t('Nouveau lien créé : l\u2019ancien ne marche plus.'));
              route();
            } catch (e) { toast(serverText(e)); }
          } }, t('Renouveler le lien')) : null));
  };
  return h('section', { class: 'card', 'aria-labelledby': 'calendars' }, h('h2', { id: 'calendars' }, t('Calendriers des ateliers')),
    h('p', { class: 'muted' }, t('Abonnez votre agenda (Thunderbird, Outlook, téléphone) à ces liens pour y voir les séances, annulations comprises. Qui a le lien voit les ateliers : ne le donnez qu\u2019à l\u2019équipe.')),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('Atelier')),
      h('th', {}, t('Lien')), h('th', {}, ''))), h('tbody', {}, rows.map(row))))
      : h('p', { class: 'muted' }, t('Aucun atelier.')));
}

/* ---- router ------------------------------------------------------ */

const ROUTES = [
  [/^#\/tableau$/, pageDashboard], [/^#\/contacts$/, pageContacts], [/^#\/contacts\/nouveau$/, (p) => pageContact(null, p)],
  [/^#\/contacts\/import$/, pageImport], [/^#\/contacts\/(\d+)$/, (p, m) => pageContact(m[1])],
  [/^#\/groupes$/, pageGroups], [/^#\/ateliers$/, pageEvents], [/^#\/ateliers\/nouveau$/, () => pageEventNew(null)],
  [/^#\/ateliers\/(\d+)\/modifier$/, (p, m) => pageEventNew(m[1])],
  [/^#\/ateliers\/(\d+)$/, (p, m) => pageEvent(m[1], p)], [/^#\/campagnes$/, pageCampaigns],
  [/^#\/campagnes\/nouvelle$/, (p) => pageCampaignNew(p, null)],
  [/^#\/campagnes\/(\d+)\/modifier$/, (p, m) => pageCampaignNew(p, m[1])], [/^#\/campagnes\/(\d+)$/, (p, m) => pageCampaign(m[1])],
  [/^#\/reponses$/, pageReplies], [/^#\/appels$/, (p) => pageCalls(null, p)],
  [/^#\/appels\/(\d+)$/, (p, m) => pageCalls(m[1], p)], [/^#\/messages$/, pageMessages], [/^#\/utilisateurs$/, pageUsers],
  [/^#\/parametres$/, pageSettings], [/^#\/carte$/, () => pageCard(false)], [/^#\/carte\/affiche$/, () => pageCard(true)],
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
    document.body.dataset.ready = '#/connexion';
    return;
  }
  for (const [re, fn] of ROUTES) {
    const m = path.match(re);
    if (m) {
      try { await fn(params, m); } catch (e) {
        if (e.status !== 401) page(t('Erreur'), h('p', { class: 'error', role: 'alert' }, serverText(e)));
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
