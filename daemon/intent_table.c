/*
 * intent_table — see intent_table.h.
 */
#include "intent_table.h"

/* Pieces shared by several patterns. */
#define I_SUBJ "je|j|on|nous"
#define I_NE "ne|n?"
#define I_WANT "veux|veut|veu|voulons|voudrais|souhaite|souhaitons|souhaiterais|desire|" \
	"jveux|jveu|jvx|jvoudrais"
#define I_DET "de|d|des|les|vos|ces|tes|le|a|au|aux"
#define I_SMS "sms|messages|message|msg|mms|textos|texto|rappels|rappel|notifications|alertes|envois"
#define I_BE "serai|serais|sera|serons|suis|serait"
#define I_CAN "peux|peu|pe|peut|pourrai|pourrais|pourai|pourais|pourrait|pourra|pourrons|pouvons"
#define I_COME "viendrai|viendrais|viens|vien|viendra|viendrons|vient|venons|viendront"
#define I_HERE "la|presente|present|presents|presentes|dispo|disponible|disponibles|libre"
#define I_DAY "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
#define I_KIN "fille|fils|enfant|enfants|mari|femme|soeur|frere|mere|pere|maman|papa|" \
	"amie|ami|voisine|bebe|filles|garcons|garcon|famille|petite|petit|copine|cousine"
#define I_AR_WANT "اريد|ابغى|ابغي|بدي|نحب|نبغي|عايز|عاوز|نريد"
#define I_AR_SMS "رسائل|الرسائل|رسايل|الرسايل|رساله|مسجات|الرساله"
#define I_AR_GET "استقبال|تلقي|استلام"

/*
 * The phrases.  Order matters only between phrases of equal length at the
 * same place: the first wins, so rejections come first.
 */
const struct intent_phrase intent_phrases[] = {
	/* negated or idiomatic stops: never a stop */
	{ INTENT_OTHER, "non|ne|n? pas stop|stopper|arret|arreter|arretez" },
	{ INTENT_OTHER, "non stop" },

	/* polite words, greetings, companions */
	{ INTENT_FILLER, "merci|mrc|mci|msi|thanks|thank|thx|thks|ty|please|pls|plz|svp|stp|"
	    "bonjour|bjr|bjour|bonsoir|bsr|salut|slt|coucou|hello|hi|hey|madame|monsieur|"
	    "mme|mr|mlle|mademoiselle|sir|madam|dear|cordialement|regards|desole|desolee|"
	    "dsl|sorry|beaucoup|bcp|infiniment|salam|slm|salem|wesh|wsh|obrigado|obrigada|"
	    "lutfen|tesekkurler|tesekkur|sagol|multumesc|mersi|3afak|3afakom|afak|smahli|"
	    "sme7li|smehli|samhini|jerejef" },
	{ INTENT_FILLER, "kusura bakmayin|bakmayiniz" },
	{ INTENT_FILLER, "va rog" },
	{ INTENT_FILLER, "bien|tres cordialement" },
	{ INTENT_FILLER, "merci encore" },
	{ INTENT_FILLER, "encore merci" },
	{ INTENT_FILLER, "merci bien" },
	{ INTENT_FILLER, "thank you|u" },
	{ INTENT_FILLER, "merci a|pour vous|toi" },
	{ INTENT_FILLER, "je vous remercie" },
	{ INTENT_FILLER, "merci pour le|l|votre|ce message|rappel|info|information|sms" },
	{ INTENT_FILLER, "pour|de le|l|votre|ce message|rappel|invitation|info|information|sms" },
	{ INTENT_FILLER, "rappel|message|sms|msg bien? recu" },
	{ INTENT_FILLER, "pour? cette|ce fois|semaine|jour ci|la?" },
	{ INTENT_FILLER, "s|sil il? vous|te plait|plais" },
	{ INTENT_FILLER, "bonne journee|soiree|semaine|weekend" },
	{ INTENT_FILLER, "bonne fin de journee|semaine" },
	{ INTENT_FILLER, "a demain|bientot|plus|" I_DAY },
	{ INTENT_FILLER, "ce|le " I_DAY },
	{ INTENT_FILLER, "a tout|tt a l heure" },
	{ INTENT_FILLER, "bien a vous" },
	{ INTENT_FILLER, "bien recu|note" },
	{ INTENT_FILLER, "c est? note" },
	{ INTENT_FILLER, "cest note" },
	{ INTENT_FILLER, "a l|au atelier|cours|rdv|centre|reunion" },
	{ INTENT_FILLER, "du centre|atelier" },
	{ INTENT_FILLER, "salam|salem alaykoum|alaykum|aleykoum|alikoum|alaikoum|alikom" },
	{ INTENT_FILLER, "السلام|سلام عليكم?" },
	{ INTENT_FILLER, "شكرا|مشكور|مرحبا|شكر جزيلا?" },
	{ INTENT_FILLER, "avec|et ma|mon|mes|les|la|le? 2|3|4|deux|trois|quatre? " I_KIN },
	{ INTENT_FILLER, "pour? 2|3|4|5|6|deux|trois|quatre|cinq personnes|adultes|enfants" },
	{ INTENT_FILLER, "with my|the|our? son|daughter|kids|children|husband|wife|family|friend" },
	/* a signature: "c'est Rachid", "Mme Benali" ("*" is a name) */
	{ INTENT_SIGN, "c|ce|s est? * *?" },
	{ INTENT_SIGN, "cest * *?" },
	{ INTENT_SIGN, "c|ce|s? est? mme|mr|m|mlle|madame|monsieur|mademoiselle * *?" },
	/* "inchallah" goes with a phrase of coming, not with a bare yes */
	{ INTENT_HEDGE, "inchallah|inshallah|inchalah|inshalah|nchallah|inchaallah|"
	    "inshaallah|inchalla|inshalla|inchaalah|insallah|insaallah" },
	{ INTENT_HEDGE, "in|inch|insh|inn cha|sha|ch allah|alah|allah" },
	{ INTENT_HEDGE, "incha|insha|inch allah|alah" },
	{ INTENT_HEDGE, "ان شاء|شا الله" },
	{ INTENT_HEDGE, "انشاء|انشا الله" },
	{ INTENT_HEDGE, "انشالله|انشاالله" },

	/* yes */
	{ INTENT_YES, "oui|ouai|ouais|wi|ui|wai|ouep|ouaip|yes|yeah|yea|yep|yup|y|ok|okay|okey|"
	    "oki|oke|okai|dac|dak|daccord|dacor|dacodac|entendu|parfait|super|nickel|"
	    "volontiers|confirme|confirmee|present|presente|presents|presentes|biensur|"
	    "cbon|sure|alright|fine|confirmed|absolutely|coming|evidemment|evidement|"
	    "evidemant|certainement|absolument|partant|partante|partants|partantes|"
	    "wakha|ih|iyeh|sim|evet|tamam|da|waaw|:y|1" },
	{ INTENT_YES, "reponse|rep 1|oui" },
	{ INTENT_YES, "sans faute" },
	{ INTENT_YES, "cu placere" },
	{ INTENT_YES, I_SUBJ "|jsuis|chui|chuis suis|serai? chaud|chaude|chauds|partant|"
	    "partante|partants|motive|motivee|motives" },
	{ INTENT_YES, "jsuis|chui|chuis chaud|chaude|partant|partante|motive|motivee" },
	{ INTENT_YES, I_SUBJ " " I_NE " manquerai|manquerais|raterai|louperai|manquerons pas" },
	{ INTENT_COME, "jviens|jvien|jviendrai" },
	{ INTENT_COME, "jvais venir" },
	/* Darija, Kabyle, Turkish, Portuguese, Romanian: coming */
	{ INTENT_COME, "ana|rani? ghadi|ghan|ghadya? nji|naji|jaya|jayin" },
	{ INTENT_COME, "ana|rani jay|jaye" },
	{ INTENT_COME, "ana ji" },
	{ INTENT_COME, "ad asegh|aseɣ|nasegh|naseɣ" },
	{ INTENT_COME, "geliyorum|gelirim|gelecegim|geliyoruz|geliriz|gelecegiz" },
	{ INTENT_COME, "vou|vamos|venho|irei|estarei la?" },
	{ INTENT_COME, "vou sim" },
	{ INTENT_COME, "vin|venim" },
	{ INTENT_COME, "voi|vom veni" },
	{ INTENT_COME, "i|we come" },
	{ INTENT_YES, "d accord" },
	{ INTENT_YES, "bien sur|entendu" },
	{ INTENT_YES, "tres bien" },
	{ INTENT_YES, "ca marche" },
	{ INTENT_YES, "ca me va" },
	{ INTENT_YES, "c est? bon" },
	{ INTENT_YES, "cest bon" },
	{ INTENT_YES, "avec plaisir" },
	{ INTENT_YES, "pas de probleme|probleme|souci|soucis|pb|prob" },
	{ INTENT_YES, "sans probleme|souci|soucis" },
	{ INTENT_YES, "je|j confirme" },
	{ INTENT_YES, "je|j? confirme ma|notre presence|venue" },
	{ INTENT_YES, "je|j veux bien" },
	{ INTENT_YES, "ok|oui|daccord|dac pour moi|nous" },
	{ INTENT_YES, "d accord pour moi|nous" },
	{ INTENT_YES, "c est? bon pour moi|nous" },
	{ INTENT_COME, I_SUBJ " " I_COME },
	{ INTENT_COME, I_SUBJ " vais|va|allons venir" },
	{ INTENT_COME, I_SUBJ " " I_BE " bien? " I_HERE " " I_DAY "?" },
	{ INTENT_COME, "jserai|jserais|jsuis|chui|chuis bien? " I_HERE " " I_DAY "?" },
	/* "j'arrive" alone may be "I am at the door" */
	{ INTENT_LEAN_YES, "jarrive|jarive|jariv" },
	{ INTENT_LEAN_YES, "j arrive|arive|ariv" },
	{ INTENT_LEAN_YES, "tkt|tinquiete|tinquietes" },
	{ INTENT_LEAN_YES, "t inquiete|inquietes" },
	{ INTENT_YES, I_SUBJ " y " I_BE },
	{ INTENT_YES, "on|nous sera|serons 2|3|4|5|6|deux|trois|quatre|cinq" },
	{ INTENT_YES, I_SUBJ " peux|peut|pourrai|pourra|pourrons|pouvons venir?" },
	{ INTENT_YES, "comptez|compte sur moi|nous" },
	{ INTENT_YES, "of course" },
	{ INTENT_YES, "all right" },
	{ INTENT_YES, "i|we ll|will be there" },
	{ INTENT_YES, "ill be there" },
	{ INTENT_YES, "i|we ll|will come" },
	{ INTENT_YES, "ill come" },
	{ INTENT_YES, "i|im|we m|am|re|are? coming" },
	{ INTENT_YES, "see you|u there|then|tomorrow|soon|monday|tuesday|wednesday|thursday|"
	    "friday|saturday|sunday?" },
	{ INTENT_YES, "count me|us in" },
	{ INTENT_YES, "no problem|problems|worries|prob" },
	{ INTENT_YES, "نعم|ايوه|ايوا|اه|ايه|اكيد|تمام|موافق|حاضر|طيب|اوكي" },
	{ INTENT_COME, "ساحضر|جاي|جايه|جايين" },
	{ INTENT_COME, "سوف|راح|رح احضر|اجي|نجي" },

	/* no */
	{ INTENT_NO, "non|no|nan|nope|nah|nop|n|indispo|indisponible|impossible|absent|"
	    "absente|absents|empeche|empechee|malade|unavailable|nao|nu|hayir|deedeet|:n|2|لا" },
	{ INTENT_NO, "reponse|rep 2|non" },
	{ INTENT_NO, "je|j pas|pa venir|viens|vien" },
	{ INTENT_NO, "ce|c|ca? sera|serai|est? pour? la|une prochaine|autre fois" },
	{ INTENT_NO, "sans moi|nous" },
	{ INTENT_NO, "c|ce|ca? est|sera? pas possible|faisable pour? moi|nous?" },
	{ INTENT_NO, "cest pas possible|faisable pour? moi|nous?" },
	{ INTENT_NO, "desole|desolee|dsl|sorry je|j? taf|travaille|bosse" },
	/* excuses: with a no they decline, alone a person reads them */
	{ INTENT_LEAN_NO, I_SUBJ "? taf|travaille|bosse|travail|boss " I_DAY "?" },
	{ INTENT_LEAN_NO, "jtaf|jtravaille|jbosse|jboss " I_DAY "?" },
	{ INTENT_LEAN_NO, I_SUBJ "|jsuis|chui|chuis suis? au|a travail|boulot|taf|bled" },
	{ INTENT_LEAN_NO, I_SUBJ "|jsuis|chui|chuis suis? a|au l|la? hopital|maternite" },
	{ INTENT_LEAN_NO, I_SUBJ "|jsuis|chui|chuis suis? en cours|formation|stage|vacances|"
	    "voyage|deplacement" },
	{ INTENT_LEAN_NO, I_SUBJ "|jsuis|chui|chuis suis? deja? pris|prise|occupe|occupee|"
	    "occupes|pris" },
	{ INTENT_LEAN_NO, "je|j ai|aurai un? rdv|rendezvous" },
	{ INTENT_LEAN_NO, "jai|jaurai un? rdv|rendezvous" },
	{ INTENT_LEAN_NO, "je|j ai|aurai un? rendez vous" },
	{ INTENT_LEAN_NO, "jai|jaurai un? rendez vous" },
	{ INTENT_LEAN_NO, "chez le|la|l? medecin|docteur|dentiste|kine|cardiologue|pediatre|"
	    "ophtalmo|gyneco|hopital|specialiste" },
	{ INTENT_LEAN_NO, "pas|plus interesse|interessee|interesses|interessees" },
	{ INTENT_LEAN_NO, "i|we? work that|this? day|today|tomorrow?" },
	{ INTENT_LEAN_NO, "i|we? m|am|re|are? working that|this? day|today|tomorrow?" },
	{ INTENT_LEAN_NO, "lucrez|trabalho|calisiyorum" },
	/* Darija, Kabyle, Turkish, Portuguese, Romanian: cannot come */
	{ INTENT_NO, "la|ana? ma|mana|mani? nejemch|nqderch|nkderch|neqderch|naqderch|nqdrch|"
	    "nejmch|njich|nejich|najich" },
	{ INTENT_NO, "la|ana? ma nqder|nqdr|nejem|naqder|nji" },
	{ INTENT_NO, "la|ana? manqderch|manejemch|manjich|mangderch|maneqderch" },
	{ INTENT_NO, "la smahli|sme7li|smehli|samhini" },
	{ INTENT_NO, "ma3ndich|ma3andich|ma3ndish|maandich|ma3ndix lwe9t|lweqt|lwaqt|lwakt|"
	    "wa9t|lw9t" },
	{ INTENT_NO, "ur zmiregh|zmirgh|zemregh|zmireɣ ara" },
	{ INTENT_NO, "gelemiyorum|gelemem|gelemeyecegim|gelemiyoruz|gelemeyiz" },
	{ INTENT_NO, "nao posso|podemos|pode|poderei ir|vir?" },
	{ INTENT_NO, "nao vou|vamos poder? ir|vir" },
	{ INTENT_NO, "nu pot|putem|vin|venim veni?" },
	{ INTENT_NO, I_SUBJ " " I_NE " " I_CAN " pas|pa venir|participer|assister|etre?" },
	{ INTENT_NO, I_SUBJ " " I_NE " " I_CAN " pas|pa etre la|presente|present" },
	{ INTENT_NO, "jpeux|jpeu|jpe|jpourrai|jpourais|jpourrais|chpeux pas|pa venir?" },
	{ INTENT_NO, I_SUBJ " " I_NE " " I_COME " pas|pa" },
	{ INTENT_NO, "jviendrai|jviens|jvien pas|pa" },
	{ INTENT_NO, I_SUBJ " " I_NE " " I_BE " pas|pa " I_HERE " " I_DAY "?" },
	{ INTENT_NO, "jserai|jserais|jsuis|chui|chuis pas|pa " I_HERE " " I_DAY "?" },
	{ INTENT_NO, I_SUBJ " " I_BE " absent|absente|absents|empeche|empechee|indispo|"
	    "indisponible|malade|malades" },
	{ INTENT_NO, "jsuis|chui|chuis malade|absent|absente|empeche|empechee" },
	{ INTENT_NO, "pas dispo|disponible|libre|possible|la" },
	{ INTENT_NO, "ne|n pas venir" },
	{ INTENT_NO, "non|nn|no|nan malheureusement|helas" },
	{ INTENT_NO, "malheureusement|helas non|pas" },
	{ INTENT_NO, "je|j n? ai|aurai|aurais pas le temps" },
	{ INTENT_NO, "jai|jaurai pas le temps" },
	{ INTENT_NO, "pas cette fois|semaine" },
	{ INTENT_NO, I_SUBJ " " I_NE " " I_WANT " pas venir" },
	{ INTENT_NO, "j ai|jai un empechement|imprevu|contretemps" },
	{ INTENT_NO, "mon|ma|mes " I_KIN " est|sont malade|malades" },
	{ INTENT_NO, "j|je annule" },
	{ INTENT_NO, "je|j dois annuler" },
	{ INTENT_NO, "jannule" },
	{ INTENT_NO, "i|we? cant|cannot come|attend|make|go? it?" },
	{ INTENT_NO, "i|we? can|could t|not come|attend|make|go|be? it|there?" },
	{ INTENT_NO, "i|we? wont come|be|make? there|it?" },
	{ INTENT_NO, "i|we? won|will t|not come|be|make? there|it?" },
	{ INTENT_NO, "i|im|we? m|am|re|are? not coming|available|free" },
	{ INTENT_NO, "not coming|available|possible" },
	{ INTENT_NO, "لا|ما استطيع|اقدر|نقدر|يمكنني الحضور|المجيء|اجي|نجي?" },
	{ INTENT_NO, "ما|مش|مانيش نقدرش|نقدر|اقدر|هقدر|اقدرش|نجيش|نجي|اجي|هاجي" },
	{ INTENT_NO, "مانقدرش|مقدرش|ماقدرش|منقدرش" },

	/* stop: only a clear request to receive no more messages */
	{ INTENT_STOP, "stop|stopp|arret|arrete|arretez|arreter|stopper|stoppez|desabonner|"
	    "desinscrire|desinscription|desabonnement|unsubscribe|optout|stopsms|"
	    "توقف|اوقف|اوقفوا|توقفوا|ستوب|:s" },
	{ INTENT_STOP, "non|nn|no merci? plus|plu de|d " I_SMS },
	{ INTENT_STOP, "arretez|arreter|arrete|stop|stoppez|cessez|cesser denvoyer|decrire|"
	    "dmenvoyer|dmecrire " I_DET "? " I_SMS "?" },
	{ INTENT_STOP, "vous? pouvez|pourriez|pouvez vous? m|me enlever|retirer|desinscrire|"
	    "supprimer de|des? la|vos|votre|mes? liste|listes|fichier de|des? " I_SMS "?" },
	{ INTENT_STOP, "artik? mesaj|mesajlar|sms gondermeyin|gondermeyiniz|atmayin" },
	{ INTENT_STOP, "nu mai trimiteti|trimite|trimiteti mesaje|sms|mesajul" },
	{ INTENT_STOP, "لا|ما|مش " I_AR_WANT " " I_AR_GET " " I_AR_SMS },
	{ INTENT_STOP, "stop|stopper|stoppez|arret|arreter|arretez|arrete " I_DET "? " I_SMS },
	{ INTENT_STOP, I_SUBJ "? " I_NE " " I_WANT " plus|plu|pas recevoir " I_DET "? "
	    I_SMS "?" },
	{ INTENT_STOP, I_SUBJ "? " I_NE " " I_WANT " plus|plu|pas " I_DET " " I_SMS },
	{ INTENT_STOP, "plus|plu de|d " I_SMS },
	{ INTENT_STOP, "de|d? " I_NE " plus|pas me|m envoyer|contacter|ecrire " I_DET "? " I_SMS "?" },
	{ INTENT_STOP, I_SUBJ "? " I_NE " " I_WANT " plus|pas etre contacte|contactee|contactes|"
	    "contactees|derange|derangee" },
	{ INTENT_STOP, I_NE " m|me envoyez|envoyer|envoie|envoyer|ecrivez plus|pas " I_DET "? "
	    I_SMS "?" },
	{ INTENT_STOP, "arretez|arreter|arrete|stop|stoppez|cessez|cesser de|d m|me? "
	    "envoyer|ecrire|contacter|texter|spammer " I_DET "? " I_SMS "?" },
	{ INTENT_STOP, "je|j? veux|voudrais|souhaite? me desinscrire|desabonner|retirer" },
	{ INTENT_STOP, "desinscrivez|desabonnez|retirez|supprimez|enlevez|effacez moi|nous "
	    "de|des? la|vos|votre? liste|listes|fichier?" },
	{ INTENT_STOP, "supprimez|effacez|retirez|enlevez mon numero|num|tel|telephone "
	    "de|des? la|vos|votre? liste|listes|fichier" },
	{ INTENT_STOP, "supprimez|effacez|retirez|enlevez mon numero|num|tel|telephone" },
	{ INTENT_STOP, "stop texting|messaging|sending|contacting me? messages|texts|sms? anymore|again?" },
	{ INTENT_STOP, "opt out" },
	{ INTENT_STOP, "unsubscribe me" },
	{ INTENT_STOP, "remove me|us from? the|your? list?" },
	{ INTENT_STOP, "no more texts|text|messages|sms" },
	{ INTENT_STOP, "dont text|message|contact|sms|txt me anymore|again?" },
	{ INTENT_STOP, "don|do t|not text|message|contact|sms|txt me anymore|again?" },
	{ INTENT_STOP, "لا|ما|مش " I_AR_WANT " " I_AR_SMS },
	{ INTENT_STOP, "توقف|اوقف|اوقفوا|توقفوا|ايقاف ارسال? " I_AR_SMS },
	{ INTENT_STOP, "الغاء الاشتراك" },

	/* start: opting back in */
	{ INTENT_START, "start|unstop|subscribe|resubscribe|restart|reprendre|recommencer|"
	    "reabonner|reabonnement|reinscription|reinscrire|reactiver" },
	{ INTENT_START, "reprendre|recommencer|reactiver|relancer|remettre les|des|mes "
	    I_SMS },
	{ INTENT_START, I_SUBJ "? " I_WANT "|peux|aimerais|voudrais recevoir a|de? nouveau? "
	    "les|des|vos? " I_SMS "?" },
	{ INTENT_START, I_SUBJ "? " I_WANT "|aimerais a|de nouveau recevoir les|des|vos? "
	    I_SMS "?" },
	{ INTENT_START, I_SUBJ "? " I_WANT "|aimerais recevoir encore|re les|des|vos? " I_SMS "?" },
	{ INTENT_START, "je|j? veux|voudrais|souhaite? me reinscrire|reabonner" },
	{ INTENT_START, I_SUBJ "? " I_WANT "|aimerais recevoir les|des|vos " I_SMS " a|de nouveau" },
	{ INTENT_START, "start again|sms|messages" },
	{ INTENT_START, I_SUBJ "? " I_WANT "|aimerais re|rerecevoir recevoir? les|des|vos? "
	    I_SMS "?" },
	{ INTENT_START, "remettez|reinscrivez|rajoutez|ajoutez|reintegrez moi|nous sur|dans|a? "
	    "la|votre|vos liste|listes" },
	{ INTENT_START, "annuler|annulez|annule le? stop" },
	{ INTENT_START, "i|we want|wanna to? receive|get the|your? messages|texts|sms again" },
	{ INTENT_START, "i|we d|would like to receive|get the|your? messages|texts|sms again" },
	{ INTENT_START, I_AR_WANT " " I_AR_GET "? " I_AR_SMS " من? جديد" },

	/* help */
	{ INTENT_HELP, "aide|help|info|infos|information|informations|renseignement|"
	    "renseignements|مساعده" },
	{ INTENT_QMARK, "?" },
	{ INTENT_HELP, "j ai|jai? besoin d|de aide" },
	{ INTENT_HELP, "aidez|aider moi" },
	{ INTENT_HELP, "plus d|de info|infos|informations|renseignements" },
	{ INTENT_HELP, "more info|information" },
	{ INTENT_HELP, "comment|cmt ca|sa marche|fonctionne ce|le? service|systeme|message?" },
	{ INTENT_HELP, "comment|cmt je|on fais|fait|dois|doit faire? pour? repondre?" },
	{ INTENT_HELP, "comment|cmt faire|repondre" },
	{ INTENT_HELP, "il|y? faut|dois|doit repondre quoi|koi" },
	{ INTENT_HELP, "je|on dois|doit repondre quoi|koi" },
	{ INTENT_HELP, "je|on reponds|repond quoi|koi" },
	{ INTENT_HELP, I_SUBJ " " I_WANT "|peux|aimerais parler a|avec quelqu|qqn|quelquun un? "
	    "du|au? centre?" },
	{ INTENT_HELP, I_SUBJ " " I_WANT "|peux|aimerais parler a|avec une|un personne|"
	    "conseiller|conseillere|animateur|animatrice du|au? centre?" },
	{ INTENT_HELP, "i|we? need help" },
	{ INTENT_HELP, "how does|do this|it work" },
	{ INTENT_HELP, "how do i|we reply|answer" },
	{ INTENT_HELP, "yardim|ajuda|ajutor|3awnouni|3awni|3awnoni|3awnni" },
	{ INTENT_LEAN_HELP, "c|ce|s est? pour quoi|koi" },

	/* who: who writes, what this number is (each may end with its "?") */
	{ INTENT_WHO, "c|ce|s est? qui|ki ??" },
	{ INTENT_WHO, "qui|ki est ce|c ??" },
	{ INTENT_WHO, "t|tes qui|ki toi|vous? ??" },
	{ INTENT_WHO, "t es qui|ki toi|vous? ??" },
	{ INTENT_WHO, "c|ce|s est? qui|ki ce|se|cette numero|num ??" },
	{ INTENT_WHO, "chkoun|chkon|chkun|shkoun|chkoune|chkun nta|nti|ntouma|ntoma? ??" },
	{ INTENT_WHO, "quem e|es|sao|fala ??" },
	{ INTENT_WHO, "quem ??" },
	{ INTENT_WHO, "siz? kimsiniz|kimsin ??" },
	{ INTENT_WHO, "cine sunteti|esti ??" },
	{ INTENT_WHO, "qui|ki etes|etez|es vous|vs|tu ??" },
	{ INTENT_WHO, "vous|vs|tu etes|etez|es qui|ki ??" },
	{ INTENT_WHO, "qui|ki c|ce ??" },
	{ INTENT_WHO, "qui|ki ??" },
	{ INTENT_WHO, "qui|ki est|es? a|la l? appareil ??" },
	{ INTENT_WHO, "qui|ki m|me|nous ecrit|ecrivez|envoie|envoyez|contacte|contactez ??" },
	{ INTENT_WHO, "c|ce|s est? quoi|koi ce|se|cette numero|num|n|message|sms|texto|msg ??" },
	{ INTENT_WHO, "qui|ki|quoi|koi est? ce|se numero|num ??" },
	{ INTENT_WHO, "c|ce est? le|un? numero|num de qui|ki ??" },
	{ INTENT_WHO, "je|j|jne ne|n? connais|connai|conai|connait pas|pa ce|se|votre|vot "
	    "numero|num ??" },
	{ INTENT_WHO, "vous|vs etes|etez? de|d ou|quel|quelle|koi ??" },
	{ INTENT_WHO, "who is|s this|that|it ??" },
	{ INTENT_WHO, "whos|who this|that|dis ??" },
	{ INTENT_WHO, "who are|r you|u ??" },
	{ INTENT_WHO, "who ??" },
	{ INTENT_WHO, "whose|which number is this ??" },
	{ INTENT_WHO, "من|مين انت|انتم|معي|معايا|معانا|هذا|هاذا|حضرتك ??" },
	{ INTENT_WHO, "من|مين ??" },
	{ INTENT_WHO, "شكون|شكون انت|انتما|نتا|هذا ??" },
	{ INTENT_WHO, "شكون|شكون ??" },
};

const size_t intent_nphrases = sizeof(intent_phrases) / sizeof(intent_phrases[0]);
