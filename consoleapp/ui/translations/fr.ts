<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name></name>
    <message>
        <source>Own prices: {list}.</source>
        <translation>Prix propres : {list}.</translation>
    </message>
    <message>
        <source>Slots: {slots} · open: {open} · bookings: {booked}</source>
        <translation>Créneaux : {slots} · ouverts : {open} · réservations : {booked}</translation>
    </message>
    <message>
        <source>Availability &amp; offers</source>
        <translation>Disponibilités et offres</translation>
    </message>
    <message>
        <source>No slots this week. Drag on the calendar to open one, or press “Now”.</source>
        <translation>Aucun créneau cette semaine. Faites glisser sur le calendrier pour en ouvrir un, ou appuyez sur « Maintenant ».</translation>
    </message>
    <message>
        <source>Prices: your usual offers.</source>
        <translation>Prix : vos offres habituelles.</translation>
    </message>
    <message>
        <source>No slots: customers cannot book you this week.</source>
        <translation>Aucun créneau : les clients ne peuvent pas vous réserver cette semaine.</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Semaine</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Prix</translation>
    </message>
    <message>
        <source>Group events</source>
        <translation>Événements de groupe</translation>
    </message>
    <message>
        <source>When customers can book you, and at what price.</source>
        <translation>Quand les clients peuvent vous réserver, et à quel prix.</translation>
    </message>
    <message>
        <source>Previous week (Alt+Left)</source>
        <translation>Semaine précédente (Alt+Gauche)</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Cette semaine</translation>
    </message>
    <message>
        <source>Back to this week (Alt+Home)</source>
        <translation>Revenir à cette semaine (Alt+Début)</translation>
    </message>
    <message>
        <source>Next week (Alt+Right)</source>
        <translation>Semaine suivante (Alt+Droite)</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Maintenant</translation>
    </message>
    <message>
        <source>Add slot…</source>
        <translation>Ajouter un créneau…</translation>
    </message>
    <message>
        <source>Add a slot by day and time (Ctrl+N)</source>
        <translation>Ajouter un créneau par jour et heure (Ctrl+N)</translation>
    </message>
    <message>
        <source>Delete slot</source>
        <translation>Supprimer le créneau</translation>
    </message>
    <message>
        <source>Delete the selected slot (Delete)</source>
        <translation>Supprimer le créneau sélectionné (Suppr)</translation>
    </message>
    <message>
        <source>not yet on the server</source>
        <translation>pas encore sur le serveur</translation>
    </message>
    <message>
        <source>Drag on empty space to add a slot; drag a slot to move it, its lower edge to change its end. Times snap to 15 minutes.</source>
        <translation>Faites glisser sur un espace libre pour ajouter un créneau ; faites glisser un créneau pour le déplacer, son bord inférieur pour changer sa fin. Les heures s’alignent sur 15 minutes.</translation>
    </message>
    <message>
        <source>{first} – {last}</source>
        <translation>{first} – {last}</translation>
    </message>
    <message>
        <source>Times in {zone}, your time zone (Profile &amp; payout)</source>
        <translation>Heures en {zone}, votre fuseau horaire (Profil et versements)</translation>
    </message>
    <message>
        <source>Now ({hours} h)</source>
        <translation>Maintenant ({hours} h)</translation>
    </message>
    <message>
        <source>Open a slot from now for {hours} hours (Ctrl+Shift+N)</source>
        <translation>Ouvrir un créneau dès maintenant pour {hours} heures (Ctrl+Maj+N)</translation>
    </message>
    <message>
        <source>Selected slot</source>
        <translation>Créneau sélectionné</translation>
    </message>
    <message>
        <source>Slot added: {start} – {end}.</source>
        <translation>Créneau ajouté : {start} – {end}.</translation>
    </message>
    <message>
        <source>Slot moved to {start} – {end}.</source>
        <translation>Créneau déplacé à {start} – {end}.</translation>
    </message>
    <message>
        <source>Slot deleted.</source>
        <translation>Créneau supprimé.</translation>
    </message>
    <message>
        <source>You are available from now for {hours} hours.</source>
        <translation>Vous êtes disponible dès maintenant pour {hours} heures.</translation>
    </message>
    <message>
        <source>Group event “{title}” created.</source>
        <translation>Événement de groupe « {title} » créé.</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting for your approval (New requests)</source>
        <translation>
            <numerusform>%n en attente de votre accord (Nouvelles demandes)</numerusform>
            <numerusform>%n en attente de votre accord (Nouvelles demandes)</numerusform>
        </translation>
    </message>
    <message>
        <source>open slot</source>
        <translation>créneau ouvert</translation>
    </message>
    <message>
        <source>agreed booking</source>
        <translation>réservation confirmée</translation>
    </message>
    <message>
        <source>booking awaiting approval</source>
        <translation>réservation en attente d’accord</translation>
    </message>
    <message>
        <source>No slot selected</source>
        <translation>Aucun créneau sélectionné</translation>
    </message>
    <message>
        <source>Click a slot to see its bookings and prices.</source>
        <translation>Cliquez sur un créneau pour voir ses réservations et ses prix.</translation>
    </message>
    <message>
        <source>Bookings:</source>
        <translation>Réservations :</translation>
    </message>
    <message>
        <source>No bookings yet: you can move or delete this slot.</source>
        <translation>Aucune réservation pour l’instant : vous pouvez déplacer ou supprimer ce créneau.</translation>
    </message>
    <message>
        <source>Delete the slot {start} – {end}?</source>
        <translation>Supprimer le créneau {start} – {end} ?</translation>
    </message>
    <message>
        <source>{mode} {price}/min</source>
        <translation>{mode} {price}/min</translation>
    </message>
    <message>
        <source>{mode} {price} for {minutes} min</source>
        <translation>{mode} {price} pour {minutes} min</translation>
    </message>
    <message>
        <source>{rate}/min · {package} per package</source>
        <translation>{rate}/min · {package} par forfait</translation>
    </message>
    <message>
        <source>Platform minimum prices: {list}. 0 turns a product off.</source>
        <translation>Prix minimums de la plateforme : {list}. 0 désactive un produit.</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Vidéo</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Messagerie</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <source> cr</source>
        <translation> cr</translation>
    </message>
    <message>
        <source>off</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <source>{mode}: {rate} per minute, {package} per package</source>
        <translation>{mode} : {rate} par minute, {package} par forfait</translation>
    </message>
    <message>
        <source>Add a slot</source>
        <translation>Ajouter un créneau</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Jour</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>À</translation>
    </message>
    <message>
        <source>An end at or before the start means the next day. Times are in {zone}.</source>
        <translation>Une fin égale ou antérieure au début signifie le lendemain. Heures en {zone}.</translation>
    </message>
    <message>
        <source>Own prices in this slot</source>
        <translation>Prix propres à ce créneau</translation>
    </message>
    <message>
        <source>Customers booking this slot see these prices instead of your usual offers.</source>
        <translation>Les clients qui réservent ce créneau voient ces prix au lieu de vos offres habituelles.</translation>
    </message>
    <message>
        <source>New group event</source>
        <translation>Nouvel événement de groupe</translation>
    </message>
    <message>
        <source>e.g. Tax return workshop</source>
        <translation>p. ex. Atelier déclaration d’impôts</translation>
    </message>
    <message>
        <source>free</source>
        <translation>gratuit</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Price per participant</source>
        <translation>Prix par participant</translation>
    </message>
    <message>
        <source>At least</source>
        <translation>Au moins</translation>
    </message>
    <message>
        <source>At most</source>
        <translation>Au plus</translation>
    </message>
    <message>
        <source>Each registration holds the price. If you are present less than {minutes} min, every hold is voided; otherwise all are charged. At most {cap} participants; paid events cost at least {floor}.</source>
        <translation>Chaque inscription bloque le prix. Si vous êtes présent moins de {minutes} min, tous les blocages sont annulés ; sinon tous sont débités. Au plus {cap} participants ; un événement payant coûte au moins {floor}.</translation>
    </message>
    <message>
        <source>Per minute</source>
        <translation>À la minute</translation>
    </message>
    <message>
        <source>Short package</source>
        <translation>Forfait court</translation>
    </message>
    <message>
        <source>Long package</source>
        <translation>Forfait long</translation>
    </message>
    <message>
        <source>Add slot</source>
        <translation>Ajouter le créneau</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Create event</source>
        <translation>Créer l’événement</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Durée</translation>
    </message>
    <message>
        <source>Platform minimum</source>
        <translation>Minimum de la plateforme</translation>
    </message>
    <message>
        <source>Save offers</source>
        <translation>Enregistrer les offres</translation>
    </message>
    <message>
        <source>Save the prices of every mode you changed (Ctrl+S)</source>
        <translation>Enregistrer les prix de chaque mode modifié (Ctrl+S)</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>Annuler les modifications</translation>
    </message>
    <message>
        <source>Show the saved prices again</source>
        <translation>Réafficher les prix enregistrés</translation>
    </message>
    <message>
        <source>Offers saved: {modes}.</source>
        <translation>Offres enregistrées : {modes}.</translation>
    </message>
    <message>
        <source>No group events coming. Create one with “New group event…”: customers register until it starts.</source>
        <translation>Aucun événement de groupe à venir. Créez-en un avec « Nouvel événement de groupe… » : les clients s’inscrivent jusqu’à son début.</translation>
    </message>
    <message>
        <source>New group event…</source>
        <translation>Nouvel événement de groupe…</translation>
    </message>
    <message>
        <source>A workshop or class at a fixed price per participant (Ctrl+G)</source>
        <translation>Un atelier ou un cours à prix fixe par participant (Ctrl+G)</translation>
    </message>
    <message>
        <source>Your usual prices</source>
        <translation>Vos prix habituels</translation>
    </message>
    <message>
        <source>What customers pay per mode, on your public page and in every slot without its own prices. A package length left at “default” is the platform&apos;s.</source>
        <translation>Ce que les clients paient par mode, sur votre page publique et dans chaque créneau sans prix propres. Une durée de forfait laissée à « par défaut » est celle de la plateforme.</translation>
    </message>
    <message>
        <source>No price was changed.</source>
        <translation>Aucun prix n’a été modifié.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Prix</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>Inscrits</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>0 turns this product off</source>
        <translation>0 désactive ce produit</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>default</source>
        <translation>par défaut</translation>
    </message>
    <message>
        <source>{n} of {max} (at least {min})</source>
        <translation>{n} sur {max} (au moins {min})</translation>
    </message>
    <message>
        <source>open</source>
        <translation>ouvert</translation>
    </message>
    <message>
        <source> cr/min</source>
        <translation> cr/min</translation>
    </message>
    <message>
        <source>{time} {customer}: {topic} (awaiting your approval)</source>
        <translation>{time} {customer} : {topic} (en attente de votre accord)</translation>
    </message>
    <message>
        <source>{time} {customer}: {topic} (agreed)</source>
        <translation>{time} {customer} : {topic} (confirmée)</translation>
    </message>
    <message>
        <source>Slot {start} – {end}</source>
        <translation>Créneau {start} – {end}</translation>
    </message>
    <message>
        <source>Not yet on the server</source>
        <translation>Pas encore sur le serveur</translation>
    </message>
    <message>
        <source>No bookings yet</source>
        <translation>Aucune réservation pour l’instant</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>own prices</source>
        <translation>prix propres</translation>
    </message>
    <message numerus="yes">
        <source>%n booked</source>
        <translation>
            <numerusform>%n réservé</numerusform>
            <numerusform>%n réservés</numerusform>
        </translation>
    </message>
    <message>
        <source>Calendar feed</source>
        <translation>Flux d’agenda</translation>
    </message>
    <message>
        <source>Subscribe to this link in Google, Apple or Outlook calendar: your sessions and group events appear there and follow every change. Keep it to yourself.</source>
        <translation>Abonnez-vous à ce lien dans l’agenda Google, Apple ou Outlook : vos séances et vos événements de groupe y apparaissent et suivent chaque changement. Gardez-le pour vous.</translation>
    </message>
    <message>
        <source>Copy calendar link</source>
        <translation>Copier le lien d’agenda</translation>
    </message>
    <message>
        <source>Copy the webcal:// link to paste it into your calendar</source>
        <translation>Copier le lien webcal:// pour le coller dans votre agenda</translation>
    </message>
    <message>
        <source>Make a new link</source>
        <translation>Créer un nouveau lien</translation>
    </message>
    <message>
        <source>The old link stops working at once; subscribe again with the new one</source>
        <translation>L’ancien lien cesse aussitôt de fonctionner ; abonnez-vous de nouveau avec le nouveau</translation>
    </message>
    <message>
        <source>The calendar link needs a connection to the server; it appears here once you are online.</source>
        <translation>Le lien d’agenda demande une connexion au serveur ; il apparaît ici dès que vous êtes en ligne.</translation>
    </message>
    <message>
        <source>Calendar link copied: paste it where your calendar adds a calendar from a URL.</source>
        <translation>Lien d’agenda copié : collez-le là où votre agenda ajoute un agenda depuis une URL.</translation>
    </message>
    <message>
        <source>New calendar link made; the old one no longer works. Subscribe again with this one.</source>
        <translation>Nouveau lien d’agenda créé ; l’ancien ne fonctionne plus. Abonnez-vous de nouveau avec celui-ci.</translation>
    </message>
    <message>
        <source>{amount} cr</source>
        <translation>{amount} cr</translation>
    </message>
    <message>
        <source>{h} h {m:02d} min</source>
        <translation>{h} h {m:02d} min</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} s</translation>
    </message>
    <message>
        <source>Session history</source>
        <translation>Historique des séances</translation>
    </message>
    <message>
        <source>Your local copy of the data is damaged ({error}). Close Expert Console and start it again: it checks the copy and offers to download your data again, keeping what you have not sent yet.</source>
        <translation>La copie locale de vos données est endommagée ({error}). Fermez Expert Console et relancez-le : il vérifie la copie et propose de télécharger à nouveau vos données, en gardant ce que vous n’avez pas encore envoyé.</translation>
    </message>
    <message>
        <source>This computer&apos;s disk did not take the change ({error}): it was not made. Free some space and do it again; everything saved before is kept.</source>
        <translation>Le disque de cet ordinateur n’a pas pris la modification ({error}) : elle n’a pas été faite. Libérez de la place et recommencez ; tout ce qui était enregistré avant est conservé.</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check its address and your connection; your work is kept and sent when it is back.</source>
        <translation>Le serveur est injoignable. Vérifiez son adresse et votre connexion ; votre travail est conservé et sera envoyé à son retour.</translation>
    </message>
    <message>
        <source>The server took too long to answer. Try again in a moment.</source>
        <translation>Le serveur a mis trop de temps à répondre. Réessayez dans un instant.</translation>
    </message>
    <message>
        <source>The connection to the server failed: {error}</source>
        <translation>La connexion au serveur a échoué : {error}</translation>
    </message>
    <message>
        <source>A file could not be used: {error}</source>
        <translation>Un fichier n’a pas pu être utilisé : {error}</translation>
    </message>
    <message>
        <source>Something went wrong ({kind}). The details are in the log; nothing you did was lost.</source>
        <translation>Un problème est survenu ({kind}). Les détails sont dans le journal ; rien de ce que vous avez fait n’est perdu.</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>En attente d’envoi</translation>
    </message>
    <message>
        <source>Your answer is kept on this computer until the server has it</source>
        <translation>Votre réponse est gardée sur cet ordinateur jusqu’à ce que le serveur l’ait reçue</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Séance</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Ouverte</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Échéance</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Issue</translation>
    </message>
    <message>
        <source>The customer&apos;s reason</source>
        <translation>Le motif du client</translation>
    </message>
    <message>
        <source>Your summary for the operator</source>
        <translation>Votre résumé pour l’opérateur</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Rembourser</translation>
    </message>
    <message>
        <source>At most what the customer claimed</source>
        <translation>Au plus ce que le client a demandé</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>Rembourser…</translation>
    </message>
    <message>
        <source>Refund this amount to the customer ({key})</source>
        <translation>Rembourser ce montant au client ({key})</translation>
    </message>
    <message>
        <source>Dispute</source>
        <translation>Contester</translation>
    </message>
    <message>
        <source>What happened in the session, in a few sentences (required)</source>
        <translation>Ce qui s’est passé pendant la séance, en quelques phrases (obligatoire)</translation>
    </message>
    <message>
        <source>Dispute…</source>
        <translation>Contester…</translation>
    </message>
    <message>
        <source>Send the claim to the operator with your summary ({key})</source>
        <translation>Envoyer la réclamation à l’opérateur avec votre résumé ({key})</translation>
    </message>
    <message>
        <source>{customer} claims {amount}</source>
        <translation>{customer} réclame {amount}</translation>
    </message>
    <message>
        <source>of {amount} claimed</source>
        <translation>sur {amount} réclamés</translation>
    </message>
    <message>
        <source>{countdown}, by {when}</source>
        <translation>{countdown}, avant le {when}</translation>
    </message>
    <message>
        <source>Give back all or part of what was claimed; it is taken from your earnings.</source>
        <translation>Rendez tout ou partie de ce qui est réclamé ; c’est pris sur vos revenus.</translation>
    </message>
    <message>
        <source>cr</source>
        <translation>cr</translation>
    </message>
    <message>
        <source>If you think the claim is unfounded, say what happened. An operator decides, with your summary and the session&apos;s record (attendance, chat, evaluations).</source>
        <translation>Si la réclamation vous semble infondée, dites ce qui s’est passé. Un opérateur tranche, avec votre résumé et le dossier de la séance (présences, messages, évaluations).</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>answer within {left}</source>
        <translation>répondre d’ici {left}</translation>
    </message>
    <message>
        <source>{topic}, {when}</source>
        <translation>{topic}, {when}</translation>
    </message>
    <message>
        <source>Group event “{title}”</source>
        <translation>Événement de groupe « {title} »</translation>
    </message>
    <message>
        <source>Group event</source>
        <translation>Événement de groupe</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>dépassée</translation>
    </message>
    <message>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} h {minutes:02d} min</translation>
    </message>
    <message>
        <source>deadline passed: the operator decides</source>
        <translation>échéance dépassée : l’opérateur tranche</translation>
    </message>
    <message>
        <source>Refunded {refunded} of {amount}</source>
        <translation>{refunded} remboursés sur {amount}</translation>
    </message>
    <message>
        <source>Dispute accepted: nothing refunded</source>
        <translation>Contestation acceptée : rien n’est remboursé</translation>
    </message>
    <message>
        <source>Dispute rejected: {amount} refunded from your earnings</source>
        <translation>Contestation rejetée : {amount} remboursés sur vos revenus</translation>
    </message>
    <message>
        <source>Waiting for the operator&apos;s decision</source>
        <translation>En attente de la décision de l’opérateur</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouverte</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) {hours} h</source>
        <translation>
            <numerusform>%n jour {hours} h</numerusform>
            <numerusform>%n jours {hours} h</numerusform>
        </translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Remboursée</translation>
    </message>
    <message>
        <source>With the operator</source>
        <translation>Chez l’opérateur</translation>
    </message>
    <message>
        <source>Dispute accepted</source>
        <translation>Contestation acceptée</translation>
    </message>
    <message>
        <source>Dispute rejected</source>
        <translation>Contestation rejetée</translation>
    </message>
    <message>
        <source>Disputes</source>
        <translation>Litiges</translation>
    </message>
    <message>
        <source>Select a claim to read it and answer it.</source>
        <translation>Choisissez une réclamation pour la lire et y répondre.</translation>
    </message>
    <message>
        <source>Open ({count})</source>
        <translation>Ouvertes ({count})</translation>
    </message>
    <message>
        <source>With the operator ({count})</source>
        <translation>Chez l’opérateur ({count})</translation>
    </message>
    <message>
        <source>Decided ({count})</source>
        <translation>Tranchées ({count})</translation>
    </message>
    <message>
        <source>Refund of {amount} to {customer} recorded; it reaches the server with the next sync.</source>
        <translation>Remboursement de {amount} à {customer} enregistré ; il parvient au serveur à la prochaine synchronisation.</translation>
    </message>
    <message>
        <source>Write a summary of what happened before disputing: the operator decides on it. Nothing was sent.</source>
        <translation>Écrivez un résumé de ce qui s’est passé avant de contester : l’opérateur décide sur cette base. Rien n’a été envoyé.</translation>
    </message>
    <message>
        <source>Dispute sent to the operator with your summary.</source>
        <translation>Contestation envoyée à l’opérateur avec votre résumé.</translation>
    </message>
    <message>
        <source>Customers&apos; refund claims. Refund all or part, or dispute with a summary for the operator; a claim left unanswered past its deadline goes to the operator.</source>
        <translation>Les demandes de remboursement de vos clients. Remboursez tout ou partie, ou contestez avec un résumé pour l’opérateur ; une réclamation sans réponse à l’échéance part chez l’opérateur.</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>Réclamé</translation>
    </message>
    <message>
        <source>Answer within</source>
        <translation>Répondre d’ici</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Raison</translation>
    </message>
    <message>
        <source>Your summary</source>
        <translation>Votre résumé</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>Tranchée</translation>
    </message>
    <message>
        <source>Refund the claim?</source>
        <translation>Rembourser la réclamation ?</translation>
    </message>
    <message>
        <source>Refund {amount} of the {claimed} {customer} claimed? The credits go back to the customer and are taken from your earnings.</source>
        <translation>Rembourser {amount} sur les {claimed} réclamés par {customer} ? Les crédits retournent au client et sont pris sur vos revenus.</translation>
    </message>
    <message>
        <source>Refund {amount}</source>
        <translation>Rembourser {amount}</translation>
    </message>
    <message>
        <source>Dispute the claim?</source>
        <translation>Contester la réclamation ?</translation>
    </message>
    <message>
        <source>Send the claim of {customer} to the operator with your summary? If the operator rejects the dispute, the customer is refunded {amount} from your earnings.</source>
        <translation>Envoyer la réclamation de {customer} à l’opérateur avec votre résumé ? Si l’opérateur rejette la contestation, le client est remboursé de {amount} sur vos revenus.</translation>
    </message>
    <message>
        <source>Send the dispute</source>
        <translation>Envoyer la contestation</translation>
    </message>
    <message>
        <source>No open claims. When a customer asks for a refund, the claim shows here with the time you have to answer it.</source>
        <translation>Aucune réclamation ouverte. Quand un client demande un remboursement, la réclamation s’affiche ici avec le temps qu’il vous reste pour répondre.</translation>
    </message>
    <message>
        <source>No claims with the operator. Claims you dispute wait here for the operator&apos;s decision.</source>
        <translation>Aucune réclamation chez l’opérateur. Les réclamations que vous contestez attendent ici sa décision.</translation>
    </message>
    <message>
        <source>No decided claims yet. Refunded claims and the operator&apos;s decisions are kept here.</source>
        <translation>Aucune réclamation tranchée pour l’instant. Les remboursements et les décisions de l’opérateur sont gardés ici.</translation>
    </message>
    <message>
        <source>Answer by {when}</source>
        <translation>Répondre avant le {when}</translation>
    </message>
    <message>
        <source>Claim on “{session}”</source>
        <translation>Réclamation sur « {session} »</translation>
    </message>
    <message>
        <source>Payout of {day}</source>
        <translation>Versement du {day}</translation>
    </message>
    <message>
        <source>Blocking of credits for services</source>
        <translation>Blocage de crédits pour prestations</translation>
    </message>
    <message>
        <source>Deduction of credits for services</source>
        <translation>Débit de crédits pour prestations</translation>
    </message>
    <message>
        <source>Payment of credits for services</source>
        <translation>Paiement de crédits pour prestations</translation>
    </message>
    <message>
        <source>Platform commission</source>
        <translation>Commission de la plateforme</translation>
    </message>
    <message>
        <source>Unblocking of credits</source>
        <translation>Déblocage de crédits</translation>
    </message>
    <message>
        <source>Bonus credits for verbal evaluation</source>
        <translation>Crédits bonus pour avis écrit</translation>
    </message>
    <message>
        <source>Credits granted</source>
        <translation>Crédits accordés</translation>
    </message>
    <message>
        <source>Refund of credits for services</source>
        <translation>Remboursement de crédits pour prestations</translation>
    </message>
    <message>
        <source>Commission returned with a refund</source>
        <translation>Commission rendue avec un remboursement</translation>
    </message>
    <message>
        <source>Platform payment for broken services</source>
        <translation>Paiement de la plateforme pour services défaillants</translation>
    </message>
    <message>
        <source>Payout to bank account</source>
        <translation>Versement sur le compte bancaire</translation>
    </message>
    <message>
        <source>legal name</source>
        <translation>nom légal</translation>
    </message>
    <message>
        <source>billing address</source>
        <translation>adresse de facturation</translation>
    </message>
    <message>
        <source>tax id</source>
        <translation>numéro fiscal</translation>
    </message>
    <message>
        <source>bank account</source>
        <translation>compte bancaire</translation>
    </message>
    <message>
        <source>Earnings</source>
        <translation>Revenus</translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation>Transactions</translation>
    </message>
    <message>
        <source>Payouts</source>
        <translation>Versements</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mois</translation>
    </message>
    <message>
        <source>The month the figures, the highlighted bar and the transactions show ({prev} / {next})</source>
        <translation>Le mois que montrent les chiffres, la barre en surbrillance et les transactions ({prev} / {next})</translation>
    </message>
    <message>
        <source>Export month CSV…</source>
        <translation>Exporter le mois en CSV…</translation>
    </message>
    <message>
        <source>Save the transactions of the selected month as a CSV file ({key})</source>
        <translation>Enregistrer les transactions du mois choisi dans un fichier CSV ({key})</translation>
    </message>
    <message>
        <source>The month before ({key})</source>
        <translation>Le mois précédent ({key})</translation>
    </message>
    <message>
        <source>The month after ({key})</source>
        <translation>Le mois suivant ({key})</translation>
    </message>
    <message>
        <source>Net earnings, last 12 months</source>
        <translation>Revenus nets, 12 derniers mois</translation>
    </message>
    <message>
        <source>Click a bar to see that month.</source>
        <translation>Cliquez sur une barre pour voir ce mois.</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Solde</translation>
    </message>
    <message>
        <source>Complete payout profile</source>
        <translation>Compléter le profil de versement</translation>
    </message>
    <message>
        <source>Open Profile &amp; payout to fill in what a payout needs</source>
        <translation>Ouvrir Profil et versement pour remplir ce qu’un versement demande</translation>
    </message>
    <message>
        <source>Search the transactions (description, reference)</source>
        <translation>Rechercher dans les transactions (libellé, référence)</translation>
    </message>
    <message>
        <source>Only the selected month</source>
        <translation>Seulement le mois choisi</translation>
    </message>
    <message>
        <source>Statement CSV…</source>
        <translation>Relevé CSV…</translation>
    </message>
    <message>
        <source>Save the selected payout&apos;s statement as CSV ({key})</source>
        <translation>Enregistrer le relevé du versement choisi en CSV ({key})</translation>
    </message>
    <message>
        <source>Statement PDF…</source>
        <translation>Relevé PDF…</translation>
    </message>
    <message>
        <source>Save the selected payout&apos;s statement as PDF ({key})</source>
        <translation>Enregistrer le relevé du versement choisi en PDF ({key})</translation>
    </message>
    <message>
        <source>No payouts yet. Payouts are made on days {days} of each month when your balance reaches {threshold} and your payout profile is complete.</source>
        <translation>Aucun versement pour l’instant. Les versements ont lieu les jours {days} de chaque mois quand votre solde atteint {threshold} et que votre profil de versement est complet.</translation>
    </message>
    <message>
        <source>Only {month}</source>
        <translation>Seulement {month}</translation>
    </message>
    <message>
        <source>Next payout day: {day}</source>
        <translation>Prochain jour de versement : {day}</translation>
    </message>
    <message>
        <source>Payouts are made on days {days} of each month for a balance of at least {threshold} with a complete payout profile.</source>
        <translation>Les versements ont lieu les jours {days} de chaque mois pour un solde d’au moins {threshold} avec un profil de versement complet.</translation>
    </message>
    <message>
        <source>Saved {count} transactions of {month} to {path}.</source>
        <translation>{count} transactions de {month} enregistrées dans {path}.</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Statement saved to {path}.</source>
        <translation>Relevé enregistré dans {path}.</translation>
    </message>
    <message>
        <source>What your sessions earned month by month, every movement of your earnings, and when they are paid out.</source>
        <translation>Ce que vos séances ont rapporté mois par mois, chaque mouvement de vos revenus, et quand ils vous sont versés.</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Séances</translation>
    </message>
    <message>
        <source>Sessions and events settled in the month</source>
        <translation>Séances et événements réglés dans le mois</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Heures</translation>
    </message>
    <message>
        <source>Hours of the sessions settled in the month</source>
        <translation>Heures des séances réglées dans le mois</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>Brut</translation>
    </message>
    <message>
        <source>What customers were charged</source>
        <translation>Ce qui a été facturé aux clients</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Commission</translation>
    </message>
    <message>
        <source>The platform&apos;s commission</source>
        <translation>La commission de la plateforme</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>Remboursements</translation>
    </message>
    <message>
        <source>Credits refunded to customers after claims</source>
        <translation>Crédits remboursés aux clients après réclamation</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Réclamations</translation>
    </message>
    <message>
        <source>Refund claims opened in the month</source>
        <translation>Demandes de remboursement ouvertes dans le mois</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>Net</translation>
    </message>
    <message>
        <source>What you earned: gross less commission and refunds</source>
        <translation>Ce que vous avez gagné : le brut moins la commission et les remboursements</translation>
    </message>
    <message>
        <source>{amount} (held)</source>
        <translation>{amount} (bloqué)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation>Solde après</translation>
    </message>
    <message>
        <source>Payouts ({count})</source>
        <translation>Versements ({count})</translation>
    </message>
    <message>
        <source>No movements yet. When a session is settled, its payment shows here, with every refund, bonus and payout after it.</source>
        <translation>Aucun mouvement pour l’instant. Quand une séance est réglée, son paiement s’affiche ici, avec chaque remboursement, bonus et versement qui suit.</translation>
    </message>
    <message>
        <source>No movements in {month}. Pick another month above, or untick “Only {month}” to see them all.</source>
        <translation>Aucun mouvement en {month}. Choisissez un autre mois plus haut, ou décochez « Seulement {month} » pour tout voir.</translation>
    </message>
    <message>
        <source>{available} available, {blocked} held</source>
        <translation>{available} disponibles, {blocked} bloqués</translation>
    </message>
    <message>
        <source>Will be paid</source>
        <translation>Sera versé</translation>
    </message>
    <message>
        <source>Your balance of {amount} goes to your bank account that day.</source>
        <translation>Votre solde de {amount} part ce jour-là sur votre compte bancaire.</translation>
    </message>
    <message>
        <source>No payout that day</source>
        <translation>Pas de versement ce jour-là</translation>
    </message>
    <message>
        <source>There are no transactions in {month} to export.</source>
        <translation>Il n’y a aucune transaction en {month} à exporter.</translation>
    </message>
    <message>
        <source>Export the transactions of {month}</source>
        <translation>Exporter les transactions de {month}</translation>
    </message>
    <message>
        <source>Select a payout first.</source>
        <translation>Choisissez d’abord un versement.</translation>
    </message>
    <message>
        <source>Save the statement of {day}</source>
        <translation>Enregistrer le relevé du {day}</translation>
    </message>
    <message>
        <source>Payout day</source>
        <translation>Jour de versement</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Effectué</translation>
    </message>
    <message>
        <source>Movements</source>
        <translation>Mouvements</translation>
    </message>
    <message>
        <source>{month}: {net} net from {sessions} sessions</source>
        <translation>{month} : {net} nets pour {sessions} séances</translation>
    </message>
    <message>
        <source>Your payout profile is missing: {fields}.</source>
        <translation>Il manque à votre profil de versement : {fields}.</translation>
    </message>
    <message>
        <source>Payouts start once your balance reaches {threshold}.</source>
        <translation>Les versements commencent quand votre solde atteint {threshold}.</translation>
    </message>
    <message>
        <source>Reference: {ref}</source>
        <translation>Référence : {ref}</translation>
    </message>
    <message>
        <source>Held credits: not in your balance until settled</source>
        <translation>Crédits bloqués : hors de votre solde jusqu’au règlement</translation>
    </message>
    <message>
        <source>Promo code discount</source>
        <translation>Remise du code promo</translation>
    </message>
    <message>
        <source>Promo code discount returned</source>
        <translation>Remise du code promo rendue</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Répondu</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>À faire</translation>
    </message>
    <message>
        <source>{outcome}, {amount} refunded</source>
        <translation>{outcome}, {amount} remboursés</translation>
    </message>
    <message>
        <source>Search by customer or topic (Ctrl+F)</source>
        <translation>Rechercher par client ou sujet (Ctrl+F)</translation>
    </message>
    <message>
        <source>Show only sessions in one state</source>
        <translation>N’afficher que les séances dans un état</translation>
    </message>
    <message>
        <source>All sessions</source>
        <translation>Toutes les séances</translation>
    </message>
    <message>
        <source>Waiting for your evaluation</source>
        <translation>En attente de votre évaluation</translation>
    </message>
    <message>
        <source>Every past session, newest first. Select one to see its timeline, chat, files and payment, and to give your evaluation.</source>
        <translation>Toutes les séances passées, les plus récentes d’abord. Sélectionnez-en une pour voir son historique, sa discussion, ses fichiers et son paiement, et pour donner votre évaluation.</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Sujet</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>Évaluation</translation>
    </message>
    <message>
        <source>Charged</source>
        <translation>Facturé</translation>
    </message>
    <message>
        <source>No past sessions yet. Sessions appear here once they are over, cancelled or declined; accepted requests wait in Upcoming sessions.</source>
        <translation>Aucune séance passée pour l’instant. Les séances apparaissent ici une fois terminées, annulées ou refusées ; les demandes acceptées attendent dans Séances à venir.</translation>
    </message>
    <message>
        <source>{shown} of {total}</source>
        <translation>{shown} sur {total}</translation>
    </message>
    <message>
        <source>{total} sessions</source>
        <translation>{total} séances</translation>
    </message>
    <message>
        <source>No session matches this search. Clear the search box or choose “All sessions”.</source>
        <translation>Aucune séance ne correspond à cette recherche. Videz la zone de recherche ou choisissez « Toutes les séances ».</translation>
    </message>
    <message>
        <source>Your evaluation</source>
        <translation>Votre évaluation</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>remboursée</translation>
    </message>
    <message>
        <source>disputed, with the operator</source>
        <translation>contestée, chez l’opérateur</translation>
    </message>
    <message>
        <source>dispute accepted</source>
        <translation>contestation acceptée</translation>
    </message>
    <message>
        <source>dispute rejected</source>
        <translation>contestation rejetée</translation>
    </message>
    <message>
        <source>{customer} · {when} · {mode} · {kind}</source>
        <translation>{customer} · {when} · {mode} · {kind}</translation>
    </message>
    <message>
        <source>How did this session go?</source>
        <translation>Comment s’est passée cette séance ?</translation>
    </message>
    <message>
        <source>Your answer and the customer&apos;s decide whether you are paid. It cannot be changed once sent.</source>
        <translation>Votre réponse et celle du client décident si vous êtes payé. Elle ne peut plus être modifiée une fois envoyée.</translation>
    </message>
    <message>
        <source>The payment of this session is already decided; your answer is kept on its record.</source>
        <translation>Le paiement de cette séance est déjà décidé ; votre réponse est conservée dans son dossier.</translation>
    </message>
    <message>
        <source>Send evaluation</source>
        <translation>Envoyer l’évaluation</translation>
    </message>
    <message>
        <source>Send your answer (Ctrl+Return)</source>
        <translation>Envoyer votre réponse (Ctrl+Entrée)</translation>
    </message>
    <message>
        <source>Your evaluation was recorded: {answer}.</source>
        <translation>Votre évaluation est enregistrée : {answer}.</translation>
    </message>
    <message>
        <source>Not answered yet</source>
        <translation>Pas encore de réponse</translation>
    </message>
    <message>
        <source>Customer&apos;s evaluation</source>
        <translation>Évaluation du client</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Paiement</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Enregistrement</translation>
    </message>
    <message>
        <source>Timeline ({n})</source>
        <translation>Historique ({n})</translation>
    </message>
    <message>
        <source>Chat ({n})</source>
        <translation>Discussion ({n})</translation>
    </message>
    <message>
        <source>Files ({n})</source>
        <translation>Fichiers ({n})</translation>
    </message>
    <message>
        <source>Select a session on the left to see its timeline, chat, files, evaluations and payment.</source>
        <translation>Sélectionnez une séance à gauche pour voir son historique, sa discussion, ses fichiers, ses évaluations et son paiement.</translation>
    </message>
    <message>
        <source>(no topic)</source>
        <translation>(sans sujet)</translation>
    </message>
    <message>
        <source>No recording</source>
        <translation>Aucun enregistrement</translation>
    </message>
    <message>
        <source>automatically</source>
        <translation>automatiquement</translation>
    </message>
    <message>
        <source>on the answers</source>
        <translation>sur les réponses</translation>
    </message>
    <message>
        <source>Settlement</source>
        <translation>Règlement</translation>
    </message>
    <message>
        <source>{outcome} ({how}, {when})</source>
        <translation>{outcome} ({how}, {when})</translation>
    </message>
    <message>
        <source>Charged to the customer</source>
        <translation>Facturé au client</translation>
    </message>
    <message>
        <source>Your share</source>
        <translation>Votre part</translation>
    </message>
    <message>
        <source>Returned to the customer</source>
        <translation>Rendu au client</translation>
    </message>
    <message>
        <source>Not settled yet</source>
        <translation>Pas encore réglé</translation>
    </message>
    <message>
        <source>{amount} claimed on {when}: {reason} — {status}, {refunded} refunded</source>
        <translation>{amount} réclamés le {when} : {reason} — {status}, {refunded} remboursés</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Événement</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Par</translation>
    </message>
    <message>
        <source>No chat messages in this session.</source>
        <translation>Aucun message dans cette séance.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Added by</source>
        <translation>Ajouté par</translation>
    </message>
    <message>
        <source>Code snippet</source>
        <translation>Extrait de code</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>SHA-256 {digest}</source>
        <translation>SHA-256 {digest}</translation>
    </message>
    <message>
        <source>Without your answer, the session is evaluated automatically on {when}.</source>
        <translation>Sans votre réponse, la séance est évaluée automatiquement le {when}.</translation>
    </message>
    <message>
        <source>Paid by the platform</source>
        <translation>Payé par la plateforme</translation>
    </message>
    <message>
        <source>No files or snippets in this session.</source>
        <translation>Aucun fichier ni extrait dans cette séance.</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>envoi…</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>En attente d’approbation</translation>
    </message>
    <message>
        <source>Agreed</source>
        <translation>Convenu</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Refusé</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Expiré</translation>
    </message>
    <message>
        <source>Held</source>
        <translation>Tenu</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>Réglé</translation>
    </message>
    <message>
        <source>Under review</source>
        <translation>En examen</translation>
    </message>
    <message>
        <source>Instant request</source>
        <translation>Demande immédiate</translation>
    </message>
    <message>
        <source>Scheduled request</source>
        <translation>Demande planifiée</translation>
    </message>
    <message>
        <source>Booked slot</source>
        <translation>Créneau réservé</translation>
    </message>
    <message>
        <source>Your suggestion</source>
        <translation>Votre proposition</translation>
    </message>
    <message>
        <source>Held (blocked)</source>
        <translation>Retenu (bloqué)</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Rendu</translation>
    </message>
    <message>
        <source>Reimbursed cancellation</source>
        <translation>Annulation dédommagée</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Payé</translation>
    </message>
    <message>
        <source>Partially refunded</source>
        <translation>Partiellement remboursé</translation>
    </message>
    <message>
        <source>Paid to you</source>
        <translation>Payé à vous</translation>
    </message>
    <message>
        <source>Platform&apos;s fault</source>
        <translation>Faute de la plateforme</translation>
    </message>
    <message>
        <source>Operator review</source>
        <translation>Examen par l’opérateur</translation>
    </message>
    <message>
        <source>Split by the operator</source>
        <translation>Partagé par l’opérateur</translation>
    </message>
    <message>
        <source>It went smoothly</source>
        <translation>Tout s’est bien passé</translation>
    </message>
    <message>
        <source>It failed because of me</source>
        <translation>Échec de mon fait</translation>
    </message>
    <message>
        <source>It failed because of the customer</source>
        <translation>Échec du fait du client</translation>
    </message>
    <message>
        <source>It failed because the platform&apos;s services broke</source>
        <translation>Échec dû à une panne des services de la plateforme</translation>
    </message>
    <message>
        <source>It failed because of the customer (their own answer)</source>
        <translation>Échec du fait du client (selon sa propre réponse)</translation>
    </message>
    <message>
        <source>It failed because of you</source>
        <translation>Échec de votre fait</translation>
    </message>
    <message>
        <source>Customer {id}</source>
        <translation>Client {id}</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <source>Live session</source>
        <translation>Séance en direct</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ignorer</translation>
    </message>
    <message>
        <source>Before the session</source>
        <translation>Avant la séance</translation>
    </message>
    <message>
        <source>“Join” records on the timeline that you are here. “Start session” starts the countdown for both of you.</source>
        <translation>« Rejoindre » inscrit votre présence dans l’historique. « Démarrer la séance » lance le compte à rebours pour vous deux.</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Rejoindre</translation>
    </message>
    <message>
        <source>Record that you are here (Ctrl+J)</source>
        <translation>Inscrire votre présence (Ctrl+J)</translation>
    </message>
    <message>
        <source>Start session</source>
        <translation>Démarrer la séance</translation>
    </message>
    <message>
        <source>Start the countdown (Ctrl+Return)</source>
        <translation>Lancer le compte à rebours (Ctrl+Entrée)</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Temps restant</translation>
    </message>
    <message>
        <source>+{minutes} min</source>
        <translation>+{minutes} min</translation>
    </message>
    <message>
        <source>Give the customer {minutes} extra minutes, free; once per session (Ctrl+G)</source>
        <translation>Offrir {minutes} minutes de plus au client, gratuitement ; une fois par séance (Ctrl+G)</translation>
    </message>
    <message>
        <source>End session</source>
        <translation>Terminer la séance</translation>
    </message>
    <message>
        <source>End the session for both of you (Ctrl+Shift+E)</source>
        <translation>Terminer la séance pour vous deux (Ctrl+Maj+E)</translation>
    </message>
    <message>
        <source>Session ended</source>
        <translation>Séance terminée</translation>
    </message>
    <message>
        <source>Give your evaluation in Session history: with the customer&apos;s answer, it decides the payment.</source>
        <translation>Donnez votre évaluation dans l’Historique des séances : avec la réponse du client, elle décide du paiement.</translation>
    </message>
    <message>
        <source>Evaluate in Session history</source>
        <translation>Évaluer dans l’Historique des séances</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) are still waiting to be uploaded. If you close this window they are not sent; the customer sees their names but cannot download them.</source>
        <translation>
            <numerusform>%n fichier attend encore d’être envoyé. Si vous fermez cette fenêtre, il ne sera pas envoyé ; le client verra son nom sans pouvoir le télécharger.</numerusform>
            <numerusform>%n fichiers attendent encore d’être envoyés. Si vous fermez cette fenêtre, ils ne seront pas envoyés ; le client verra leur nom sans pouvoir les télécharger.</numerusform>
        </translation>
    </message>
    <message>
        <source>Live session — {topic}</source>
        <translation>Séance en direct — {topic}</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} à {end}</translation>
    </message>
    <message>
        <source>no time agreed yet</source>
        <translation>pas encore d’heure convenue</translation>
    </message>
    <message>
        <source>{customer} · {mode} · {kind} · {times}</source>
        <translation>{customer} · {mode} · {kind} · {times}</translation>
    </message>
    <message>
        <source>Connected for {time}</source>
        <translation>Connecté depuis {time}</translation>
    </message>
    <message>
        <source>Connected time</source>
        <translation>Temps connecté</translation>
    </message>
    <message>
        <source>Billed minutes</source>
        <translation>Minutes facturées</translation>
    </message>
    <message>
        <source>Joining</source>
        <translation>Rejoindre la séance</translation>
    </message>
    <message>
        <source>Starting the session</source>
        <translation>Le démarrage de la séance</translation>
    </message>
    <message>
        <source>The extra minutes</source>
        <translation>Les minutes offertes</translation>
    </message>
    <message>
        <source>{minutes} extra minutes given to the customer.</source>
        <translation>{minutes} minutes offertes au client.</translation>
    </message>
    <message>
        <source>Ending the session</source>
        <translation>La fin de la séance</translation>
    </message>
    <message>
        <source>The session is ending; the bill appears once the server confirms it.</source>
        <translation>La séance se termine ; la facture apparaît dès que le serveur le confirme.</translation>
    </message>
    <message>
        <source>Your message</source>
        <translation>Votre message</translation>
    </message>
    <message>
        <source>Attach a file</source>
        <translation>Joindre un fichier</translation>
    </message>
    <message>
        <source>“{name}” is shared; its upload starts once the server has it.</source>
        <translation>« {name} » est partagé ; son envoi commence dès que le serveur l’a enregistré.</translation>
    </message>
    <message>
        <source>Files are waiting</source>
        <translation>Des fichiers attendent</translation>
    </message>
    <message>
        <source>Close anyway</source>
        <translation>Fermer quand même</translation>
    </message>
    <message>
        <source>Keep the window open</source>
        <translation>Garder la fenêtre ouverte</translation>
    </message>
    <message>
        <source>This meeting is not in your data (yet). It appears after the next sync.</source>
        <translation>Ce rendez-vous n’est pas (encore) dans vos données. Il apparaîtra après la prochaine synchronisation.</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <source>What you do is kept and sent when the connection is back.</source>
        <translation>Ce que vous faites est conservé et envoyé au retour de la connexion.</translation>
    </message>
    <message>
        <source>You joined at {time}.</source>
        <translation>Vous avez rejoint à {time}.</translation>
    </message>
    <message>
        <source>You have not joined yet.</source>
        <translation>Vous n’avez pas encore rejoint.</translation>
    </message>
    <message>
        <source>The customer joined at {time}.</source>
        <translation>Le client a rejoint à {time}.</translation>
    </message>
    <message>
        <source>The customer has not joined yet.</source>
        <translation>Le client n’a pas encore rejoint.</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Pas commencée</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Terminée</translation>
    </message>
    <message>
        <source>Already given in this session</source>
        <translation>Déjà offertes dans cette séance</translation>
    </message>
    <message>
        <source>The bill appears once the server has confirmed the end of the session.</source>
        <translation>La facture apparaît dès que le serveur a confirmé la fin de la séance.</translation>
    </message>
    <message>
        <source>Settled. The customer may still claim a refund for a while; you will be told.</source>
        <translation>Réglée. Le client peut encore demander un remboursement pendant un temps ; vous serez prévenu.</translation>
    </message>
    <message>
        <source>The payment is settled after the evaluations.</source>
        <translation>Le paiement est réglé après les évaluations.</translation>
    </message>
    <message>
        <source>Your attendance is recorded.</source>
        <translation>Votre présence est enregistrée.</translation>
    </message>
    <message>
        <source>The snippet is empty; nothing was shared.</source>
        <translation>L’extrait est vide ; rien n’a été partagé.</translation>
    </message>
    <message>
        <source>Ending: waiting for the server</source>
        <translation>Fin en cours : en attente du serveur</translation>
    </message>
    <message>
        <source>{seconds} seconds left: time to wrap up</source>
        <translation>Plus que {seconds} secondes : il est temps de conclure</translation>
    </message>
    <message>
        <source>Time is up: the session is ending</source>
        <translation>Le temps est écoulé : la séance se termine</translation>
    </message>
    <message>
        <source>End the session?</source>
        <translation>Terminer la séance ?</translation>
    </message>
    <message>
        <source>The countdown stops for both of you and the session is billed.</source>
        <translation>Le compte à rebours s’arrête pour vous deux et la séance est facturée.</translation>
    </message>
    <message>
        <source>Keep going</source>
        <translation>Continuer</translation>
    </message>
    <message>
        <source>{what} was refused by the server: {reason}</source>
        <translation>{what} a été refusé par le serveur : {reason}</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Paused: the connection dropped; the count resumes on reconnect</source>
        <translation>En pause : la connexion est tombée ; le décompte reprend à la reconnexion</translation>
    </message>
    <message>
        <source>{name} · {what} · {size} · {by}</source>
        <translation>{name} · {what} · {size} · {by}</translation>
    </message>
    <message>
        <source>Write to the customer and press Enter</source>
        <translation>Écrivez au client et appuyez sur Entrée</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Send the message (Enter)</source>
        <translation>Envoyer le message (Entrée)</translation>
    </message>
    <message>
        <source>Files and snippets</source>
        <translation>Fichiers et extraits</translation>
    </message>
    <message>
        <source>Attach file…</source>
        <translation>Joindre un fichier…</translation>
    </message>
    <message>
        <source>Share a file with the customer (Ctrl+O)</source>
        <translation>Partager un fichier avec le client (Ctrl+O)</translation>
    </message>
    <message>
        <source>Code snippet…</source>
        <translation>Extrait de code…</translation>
    </message>
    <message>
        <source>Share a piece of code with the customer (Ctrl+K)</source>
        <translation>Partager un morceau de code avec le client (Ctrl+K)</translation>
    </message>
    <message>
        <source>snippet</source>
        <translation>extrait</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>upload waiting for the server</source>
        <translation>envoi en attente du serveur</translation>
    </message>
    <message>
        <source>uploading…</source>
        <translation>envoi en cours…</translation>
    </message>
    <message>
        <source>uploaded</source>
        <translation>envoyé</translation>
    </message>
    <message>
        <source>Share a code snippet</source>
        <translation>Partager un extrait de code</translation>
    </message>
    <message>
        <source>Paste or type the code here</source>
        <translation>Collez ou tapez le code ici</translation>
    </message>
    <message>
        <source>Attach snippet</source>
        <translation>Joindre l’extrait</translation>
    </message>
    <message>
        <source>Nothing shared yet.</source>
        <translation>Rien de partagé pour l’instant.</translation>
    </message>
    <message>
        <source>No messages yet. What you write here is kept with the session.</source>
        <translation>Aucun message pour l’instant. Ce que vous écrivez ici est conservé avec la séance.</translation>
    </message>
    <message>
        <source>“{name}” was not added to the session: {reason}</source>
        <translation>« {name} » n’a pas été ajouté à la séance : {reason}</translation>
    </message>
    <message>
        <source>“{name}” was uploaded.</source>
        <translation>« {name} » a été envoyé.</translation>
    </message>
    <message>
        <source>“{name}” could not be uploaded: {reason}</source>
        <translation>« {name} » n’a pas pu être envoyé : {reason}</translation>
    </message>
    <message>
        <source>Open the video room</source>
        <translation>Ouvrir la salle vidéo</translation>
    </message>
    <message>
        <source>Your own link into the meeting&apos;s video room, in your browser</source>
        <translation>Votre propre lien vers la salle vidéo de la réunion, dans votre navigateur</translation>
    </message>
    <message>
        <source>The video room opens in your browser.</source>
        <translation>La salle vidéo s’ouvre dans votre navigateur.</translation>
    </message>
    <message>
        <source>No browser could be opened; your link is {url}</source>
        <translation>Aucun navigateur n’a pu être ouvert ; votre lien est {url}</translation>
    </message>
    <message>
        <source>Profile &amp; payout</source>
        <translation>Profil et versements</translation>
    </message>
    <message>
        <source>e.g. Tax law for freelancers</source>
        <translation>p. ex. Droit fiscal des indépendants</translation>
    </message>
    <message>
        <source>Your calendar, requests and earnings months use this zone; type a city to find it</source>
        <translation>Votre calendrier, vos demandes et vos mois de revenus utilisent ce fuseau ; tapez une ville pour le trouver</translation>
    </message>
    <message>
        <source>your-name</source>
        <translation>votre-nom</translation>
    </message>
    <message>
        <source>Lowercase letters, digits and dashes</source>
        <translation>Lettres minuscules, chiffres et tirets</translation>
    </message>
    <message>
        <source>Specialty</source>
        <translation>Spécialité</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Fuseau horaire</translation>
    </message>
    <message>
        <source>Public link</source>
        <translation>Lien public</translation>
    </message>
    <message>
        <source>Photo URL</source>
        <translation>URL de la photo</translation>
    </message>
    <message>
        <source>Your booking page</source>
        <translation>Votre page de réservation</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Copier le lien</translation>
    </message>
    <message>
        <source>Copy your booking page&apos;s address to share it (Ctrl+Shift+C)</source>
        <translation>Copier l’adresse de votre page de réservation pour la partager (Ctrl+Maj+C)</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>Enregistrer le profil</translation>
    </message>
    <message>
        <source>Save the public profile (Ctrl+S)</source>
        <translation>Enregistrer le profil public (Ctrl+S)</translation>
    </message>
    <message>
        <source>IBAN, e.g. FR76 3000 6000 0112 3456 7890 189</source>
        <translation>IBAN, p. ex. FR76 3000 6000 0112 3456 7890 189</translation>
    </message>
    <message>
        <source>Legal name</source>
        <translation>Nom légal</translation>
    </message>
    <message>
        <source>Billing address</source>
        <translation>Adresse de facturation</translation>
    </message>
    <message>
        <source>Tax id</source>
        <translation>Numéro fiscal</translation>
    </message>
    <message>
        <source>Bank account</source>
        <translation>Compte bancaire</translation>
    </message>
    <message>
        <source>Save payout details</source>
        <translation>Enregistrer les coordonnées de versement</translation>
    </message>
    <message>
        <source>Save the payout details (Ctrl+S)</source>
        <translation>Enregistrer les coordonnées de versement (Ctrl+S)</translation>
    </message>
    <message>
        <source>Next payout</source>
        <translation>Prochain versement</translation>
    </message>
    <message>
        <source>Balance {balance}; a payout needs at least {threshold}.</source>
        <translation>Solde {balance} ; un versement demande au moins {threshold}.</translation>
    </message>
    <message>
        <source>Profile saved.</source>
        <translation>Profil enregistré.</translation>
    </message>
    <message>
        <source>Link copied: {url}</source>
        <translation>Lien copié : {url}</translation>
    </message>
    <message>
        <source>What customers see of you, and where your earnings go.</source>
        <translation>Ce que les clients voient de vous, et où vont vos revenus.</translation>
    </message>
    <message>
        <source>Public profile</source>
        <translation>Profil public</translation>
    </message>
    <message>
        <source>Shown on your booking page and to the customers you meet.</source>
        <translation>Affiché sur votre page de réservation et aux clients que vous rencontrez.</translation>
    </message>
    <message>
        <source>Payout details</source>
        <translation>Coordonnées de versement</translation>
    </message>
    <message>
        <source>Payouts go only to a complete payout profile. Only the platform sees these.</source>
        <translation>Les versements ne vont qu’à un profil de versement complet. Seule la plateforme voit ces informations.</translation>
    </message>
    <message>
        <source>Choose a public link and save: your booking page appears at {base}/e/&lt;link&gt;.</source>
        <translation>Choisissez un lien public et enregistrez : votre page de réservation apparaît à {base}/e/&lt;lien&gt;.</translation>
    </message>
    <message>
        <source>Incomplete: no payout</source>
        <translation>Incomplet : aucun versement</translation>
    </message>
    <message>
        <source>Complete: payouts can be made</source>
        <translation>Complet : les versements peuvent être faits</translation>
    </message>
    <message>
        <source>Will be paid on that day</source>
        <translation>Sera versé ce jour-là</translation>
    </message>
    <message>
        <source>Payout details saved; still missing: {fields}.</source>
        <translation>Coordonnées de versement enregistrées ; il manque encore : {fields}.</translation>
    </message>
    <message>
        <source>Payout details saved: payouts can be made.</source>
        <translation>Coordonnées de versement enregistrées : les versements peuvent être faits.</translation>
    </message>
    <message>
        <source>Not paid until the payout details are complete</source>
        <translation>Aucun versement tant que les coordonnées sont incomplètes</translation>
    </message>
    <message>
        <source>Not paid: the balance is under the minimum</source>
        <translation>Aucun versement : le solde est sous le minimum</translation>
    </message>
    <message>
        <source>Still missing for a payout:</source>
        <translation>Il manque encore pour un versement :</translation>
    </message>
    <message>
        <source>e.g. https://zoom.us/j/123456789</source>
        <translation>p. ex. https://zoom.us/j/123456789</translation>
    </message>
    <message>
        <source>Your own Zoom, Meet or Teams room: customers join your video sessions there when the platform uses personal rooms</source>
        <translation>Votre propre salle Zoom, Meet ou Teams : les clients y rejoignent vos séances vidéo quand la plateforme utilise les salles personnelles</translation>
    </message>
    <message>
        <source>Your meeting room link</source>
        <translation>Lien de votre salle de réunion</translation>
    </message>
    <message>
        <source>You have not set a meeting room link yet: customers cannot join your video sessions until you do.</source>
        <translation>Vous n’avez pas encore indiqué le lien de votre salle de réunion : les clients ne peuvent pas rejoindre vos séances vidéo tant que ce n’est pas fait.</translation>
    </message>
    <message>
        <source>optional, e.g. AGRIFRPP</source>
        <translation>facultatif, p. ex. AGRIFRPP</translation>
    </message>
    <message>
        <source>BIC</source>
        <translation>BIC</translation>
    </message>
    <message>
        <source>New requests</source>
        <translation>Nouvelles demandes</translation>
    </message>
    <message>
        <source>No request is waiting. Instant requests arrive while you have an open slot: add a &quot;Now&quot; slot under Availability &amp; offers to receive them.</source>
        <translation>Aucune demande en attente. Les demandes immédiates arrivent pendant un créneau ouvert : ajoutez un créneau « Maintenant » dans Disponibilités et offres pour en recevoir.</translation>
    </message>
    <message>
        <source>{left} left</source>
        <translation>{left} restantes</translation>
    </message>
    <message>
        <source>{time} (+{n} more)</source>
        <translation>{time} (+{n} autres)</translation>
    </message>
    <message>
        <source>{customer}&apos;s request could not be accepted: {reason}</source>
        <translation>La demande de {customer} n’a pas pu être acceptée : {reason}</translation>
    </message>
    <message>
        <source>Proposed {time} to {customer}.</source>
        <translation>{time} proposé à {customer}.</translation>
    </message>
    <message>
        <source>Your proposed time was withdrawn.</source>
        <translation>Votre proposition d’horaire a été retirée.</translation>
    </message>
    <message>
        <source>Answer instant requests before their countdown ends; pick a time for scheduled ones. A accepts or approves the selected request, D declines it.</source>
        <translation>Répondez aux demandes immédiates avant la fin du compte à rebours ; choisissez un horaire pour les demandes planifiées. A accepte ou approuve la demande sélectionnée, D la refuse.</translation>
    </message>
    <message>
        <source>Answer within / time</source>
        <translation>Répondre sous / horaire</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>Accepted: your session with {customer} starts now.</source>
        <translation>Acceptée : votre séance avec {customer} commence maintenant.</translation>
    </message>
    <message>
        <source>Agreed with {customer} for {time}.</source>
        <translation>Convenu avec {customer} pour {time}.</translation>
    </message>
    <message>
        <source>New time rejected; the agreed time stays.</source>
        <translation>Nouvel horaire refusé ; l’horaire convenu est maintenu.</translation>
    </message>
    <message>
        <source>Request from {customer} declined.</source>
        <translation>Demande de {customer} refusée.</translation>
    </message>
    <message>
        <source>Choose one of the proposed times first.</source>
        <translation>Choisissez d’abord l’un des horaires proposés.</translation>
    </message>
    <message>
        <source>Reject the new time</source>
        <translation>Refuser le nouvel horaire</translation>
    </message>
    <message>
        <source>{customer} keeps the time already agreed. Tell them why the new one does not suit you.</source>
        <translation>{customer} garde l’horaire déjà convenu. Expliquez-lui pourquoi le nouveau ne vous convient pas.</translation>
    </message>
    <message>
        <source>Decline the request</source>
        <translation>Refuser la demande</translation>
    </message>
    <message>
        <source>Decline &quot;{topic}&quot; from {customer}? Their held credits go back to them.</source>
        <translation>Refuser « {topic} » de {customer} ? Ses crédits bloqués lui sont rendus.</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Refuser</translation>
    </message>
    <message>
        <source>Your reason, shown to the customer</source>
        <translation>Votre motif, montré au client</translation>
    </message>
    <message>
        <source>Select a request on the left to answer it.</source>
        <translation>Sélectionnez une demande à gauche pour y répondre.</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>Offre</translation>
    </message>
    <message>
        <source>Credits held from the customer&apos;s wallet for this request.</source>
        <translation>Crédits bloqués sur le portefeuille du client pour cette demande.</translation>
    </message>
    <message>
        <source>Asked</source>
        <translation>Demandée</translation>
    </message>
    <message>
        <source>Proposed times (your time zone first)</source>
        <translation>Horaires proposés (votre fuseau d’abord)</translation>
    </message>
    <message>
        <source>{action} (A)</source>
        <translation>{action} (A)</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>Refuser…</translation>
    </message>
    <message>
        <source>Decline…</source>
        <translation>Refuser…</translation>
    </message>
    <message>
        <source>{action} with a reason (D)</source>
        <translation>{action} avec un motif (D)</translation>
    </message>
    <message>
        <source>None of these? Propose another time</source>
        <translation>Aucun ne convient ? Proposez un autre horaire</translation>
    </message>
    <message>
        <source>Propose</source>
        <translation>Proposer</translation>
    </message>
    <message>
        <source>Send this time to the customer, who approves or rejects it.</source>
        <translation>Envoyer cet horaire au client, qui l’approuve ou le refuse.</translation>
    </message>
    <message>
        <source>Instant</source>
        <translation>Immédiate</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Planifiée</translation>
    </message>
    <message>
        <source>Booking</source>
        <translation>Réservation</translation>
    </message>
    <message>
        <source>New time asked</source>
        <translation>Nouvel horaire demandé</translation>
    </message>
    <message>
        <source>Your answer is saved here and is sent when the server is reached.</source>
        <translation>Votre réponse est enregistrée ici et sera envoyée dès que le serveur sera joignable.</translation>
    </message>
    <message>
        <source>Left to answer</source>
        <translation>Pour répondre</translation>
    </message>
    <message>
        <source>{time} in {city}</source>
        <translation>{time} à {city}</translation>
    </message>
    <message>
        <source>The customer&apos;s time zone: {zone}</source>
        <translation>Fuseau horaire du client : {zone}</translation>
    </message>
    <message>
        <source>Their time now</source>
        <translation>Son heure actuelle</translation>
    </message>
    <message>
        <source>Now agreed for: {time}</source>
        <translation>Actuellement convenu : {time}</translation>
    </message>
    <message>
        <source>{customer} asks to move it to</source>
        <translation>{customer} demande de le déplacer à</translation>
    </message>
    <message>
        <source>Booked time</source>
        <translation>Horaire réservé</translation>
    </message>
    <message>
        <source>Accept and start</source>
        <translation>Accepter et commencer</translation>
    </message>
    <message>
        <source>Pick this time</source>
        <translation>Choisir cet horaire</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approuver</translation>
    </message>
    <message>
        <source>Approve the new time</source>
        <translation>Approuver le nouvel horaire</translation>
    </message>
    <message>
        <source>You proposed {time}; waiting for {customer}.</source>
        <translation>Vous avez proposé {time} ; en attente de {customer}.</translation>
    </message>
    <message>
        <source>Withdraw my proposal</source>
        <translation>Retirer ma proposition</translation>
    </message>
    <message>
        <source>Short package ({minutes} min)</source>
        <translation>Forfait court ({minutes} min)</translation>
    </message>
    <message>
        <source>{time} for {name} ({city})</source>
        <translation>{time} pour {name} ({city})</translation>
    </message>
    <message>
        <source>{day}, {time}</source>
        <translation>{day}, {time}</translation>
    </message>
    <message>
        <source>{start} – {end}</source>
        <translation>{start} – {end}</translation>
    </message>
    <message>
        <source>Per minute ({rate} cr/min, up to {minutes} min)</source>
        <translation>À la minute ({rate} cr/min, jusqu’à {minutes} min)</translation>
    </message>
    <message>
        <source>Long package ({minutes} min)</source>
        <translation>Forfait long ({minutes} min)</translation>
    </message>
    <message>
        <source>• {topic} with {customer}, {when}</source>
        <translation>• {topic} avec {customer}, {when}</translation>
    </message>
    <message>
        <source>Overlapping meeting</source>
        <translation>Rendez-vous qui se chevauchent</translation>
    </message>
    <message>
        <source>This time overlaps with:
{meetings}

Confirm it anyway?</source>
        <translation>Cet horaire chevauche :
{meetings}

Le confirmer quand même ?</translation>
    </message>
    <message>
        <source>Confirm anyway</source>
        <translation>Confirmer quand même</translation>
    </message>
    <message>
        <source>Go back</source>
        <translation>Revenir</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Not available at that time</source>
        <translation>Indisponible à cet horaire</translation>
    </message>
    <message>
        <source>Outside my expertise</source>
        <translation>Hors de mon domaine</translation>
    </message>
    <message>
        <source>Needs more detail</source>
        <translation>Demande trop peu détaillée</translation>
    </message>
    <message>
        <source>Budget too low</source>
        <translation>Budget trop bas</translation>
    </message>
    <message>
        <source>Personal reasons</source>
        <translation>Raisons personnelles</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <source>Account opened</source>
        <translation>Compte ouvert</translation>
    </message>
    <message>
        <source>Account closed</source>
        <translation>Compte fermé</translation>
    </message>
    <message>
        <source>Profile updated</source>
        <translation>Profil mis à jour</translation>
    </message>
    <message>
        <source>Payout profile updated</source>
        <translation>Coordonnées de versement mises à jour</translation>
    </message>
    <message>
        <source>Offers changed</source>
        <translation>Offres modifiées</translation>
    </message>
    <message>
        <source>Availability slot added</source>
        <translation>Créneau de disponibilité ajouté</translation>
    </message>
    <message>
        <source>Availability slot moved</source>
        <translation>Créneau de disponibilité déplacé</translation>
    </message>
    <message>
        <source>Availability slot removed</source>
        <translation>Créneau de disponibilité supprimé</translation>
    </message>
    <message>
        <source>Instant request sent by user</source>
        <translation>Demande immédiate envoyée par le client</translation>
    </message>
    <message>
        <source>Meeting requested by user</source>
        <translation>Rendez-vous demandé par le client</translation>
    </message>
    <message>
        <source>Slot booked by user</source>
        <translation>Créneau réservé par le client</translation>
    </message>
    <message>
        <source>Meeting suggested by expert</source>
        <translation>Rendez-vous proposé par l’expert</translation>
    </message>
    <message>
        <source>Credits blocked</source>
        <translation>Crédits bloqués</translation>
    </message>
    <message>
        <source>Approved by user</source>
        <translation>Approuvé par le client</translation>
    </message>
    <message>
        <source>Approved by expert</source>
        <translation>Approuvé par l’expert</translation>
    </message>
    <message>
        <source>Request expired unanswered</source>
        <translation>Demande expirée sans réponse</translation>
    </message>
    <message>
        <source>Payment returned to the user</source>
        <translation>Paiement rendu au client</translation>
    </message>
    <message>
        <source>Appointment reimbursed to expert</source>
        <translation>Rendez-vous remboursé à l’expert</translation>
    </message>
    <message>
        <source>Alternative date proposed by expert</source>
        <translation>Autre date proposée par l’expert</translation>
    </message>
    <message>
        <source>Alternative date selected by user</source>
        <translation>Autre date choisie par le client</translation>
    </message>
    <message>
        <source>User cancelled alternate appointment</source>
        <translation>Le client a annulé l’autre date</translation>
    </message>
    <message>
        <source>Expert cancelled alternate appointment</source>
        <translation>L’expert a annulé l’autre date</translation>
    </message>
    <message>
        <source>Video meeting created</source>
        <translation>Visioconférence créée</translation>
    </message>
    <message>
        <source>Video meeting moved, links regenerated</source>
        <translation>Visioconférence déplacée, liens régénérés</translation>
    </message>
    <message>
        <source>Video meeting cancelled</source>
        <translation>Visioconférence annulée</translation>
    </message>
    <message>
        <source>Expert attended</source>
        <translation>L’expert était présent</translation>
    </message>
    <message>
        <source>User attended</source>
        <translation>Le client était présent</translation>
    </message>
    <message>
        <source>Session started</source>
        <translation>Séance commencée</translation>
    </message>
    <message>
        <source>Connection lost, count paused</source>
        <translation>Connexion perdue, décompte en pause</translation>
    </message>
    <message>
        <source>Reconnected, count resumed</source>
        <translation>Reconnecté, décompte repris</translation>
    </message>
    <message>
        <source>Both warned: session ends soon</source>
        <translation>Les deux avertis : la séance se termine bientôt</translation>
    </message>
    <message>
        <source>Expert gifted extra minutes</source>
        <translation>L’expert a offert des minutes</translation>
    </message>
    <message>
        <source>Chat message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Attachment added</source>
        <translation>Pièce jointe ajoutée</translation>
    </message>
    <message>
        <source>Recording available</source>
        <translation>Enregistrement disponible</translation>
    </message>
    <message>
        <source>Meeting held</source>
        <translation>Rendez-vous tenu</translation>
    </message>
    <message>
        <source>Credits moved</source>
        <translation>Mouvement de crédits</translation>
    </message>
    <message>
        <source>Payment to expert</source>
        <translation>Paiement à l’expert</translation>
    </message>
    <message>
        <source>Payment returned to the user, platform paid the expert</source>
        <translation>Paiement rendu au client, la plateforme a payé l’expert</translation>
    </message>
    <message>
        <source>Operator split the payment</source>
        <translation>L’opérateur a partagé le paiement</translation>
    </message>
    <message>
        <source>Sent to operator review</source>
        <translation>Envoyé à l’examen de l’opérateur</translation>
    </message>
    <message>
        <source>Rated by user</source>
        <translation>Noté par le client</translation>
    </message>
    <message>
        <source>Text review saved</source>
        <translation>Avis écrit enregistré</translation>
    </message>
    <message>
        <source>Event created</source>
        <translation>Événement créé</translation>
    </message>
    <message>
        <source>Registration</source>
        <translation>Inscription</translation>
    </message>
    <message>
        <source>Registration cancelled</source>
        <translation>Inscription annulée</translation>
    </message>
    <message>
        <source>Event cancelled</source>
        <translation>Événement annulé</translation>
    </message>
    <message>
        <source>Expert joined the event</source>
        <translation>L’expert a rejoint l’événement</translation>
    </message>
    <message>
        <source>User joined the event</source>
        <translation>L’utilisateur a rejoint l’événement</translation>
    </message>
    <message>
        <source>Expert left the event</source>
        <translation>L’expert a quitté l’événement</translation>
    </message>
    <message>
        <source>Event settled</source>
        <translation>Événement réglé</translation>
    </message>
    <message>
        <source>Refund claim opened</source>
        <translation>Réclamation de remboursement ouverte</translation>
    </message>
    <message>
        <source>Refund paid to the user</source>
        <translation>Remboursement versé au client</translation>
    </message>
    <message>
        <source>Claim disputed by expert</source>
        <translation>Réclamation contestée par l’expert</translation>
    </message>
    <message>
        <source>Claim unanswered, sent to operator review</source>
        <translation>Réclamation sans réponse, envoyée à l’examen de l’opérateur</translation>
    </message>
    <message>
        <source>Expert flagged for the operator</source>
        <translation>Expert signalé à l’opérateur</translation>
    </message>
    <message>
        <source>Claim window closed</source>
        <translation>Délai de réclamation clos</translation>
    </message>
    <message>
        <source>Payout sent</source>
        <translation>Versement envoyé</translation>
    </message>
    <message>
        <source>Payout withheld</source>
        <translation>Versement retenu</translation>
    </message>
    <message>
        <source>Payout run completed</source>
        <translation>Campagne de versements terminée</translation>
    </message>
    <message>
        <source>Reminder sent</source>
        <translation>Rappel envoyé</translation>
    </message>
    <message>
        <source>went smoothly</source>
        <translation>s’est bien passé</translation>
    </message>
    <message>
        <source>failed because of me</source>
        <translation>a échoué par ma faute</translation>
    </message>
    <message>
        <source>failed because of the other party</source>
        <translation>a échoué à cause de l’autre partie</translation>
    </message>
    <message>
        <source>failed because the platform&apos;s services broke</source>
        <translation>a échoué à cause d’une panne de la plateforme</translation>
    </message>
    <message>
        <source>not available at that time</source>
        <translation>pas disponible à ce moment-là</translation>
    </message>
    <message>
        <source>outside my expertise</source>
        <translation>hors de mon domaine</translation>
    </message>
    <message>
        <source>needs more detail</source>
        <translation>il faut plus de détails</translation>
    </message>
    <message>
        <source>budget too low</source>
        <translation>budget trop bas</translation>
    </message>
    <message>
        <source>personal reasons</source>
        <translation>raisons personnelles</translation>
    </message>
    <message>
        <source>other</source>
        <translation>autre</translation>
    </message>
    <message>
        <source>Rejected by {who} ({reason})</source>
        <translation>Refusé par {who} ({reason})</translation>
    </message>
    <message>
        <source>Cancelled by {who}</source>
        <translation>Annulé par {who}</translation>
    </message>
    <message>
        <source>Approval of replacement date by {who}</source>
        <translation>Nouvelle date approuvée par {who}</translation>
    </message>
    <message>
        <source>Rejected alternate date by {who}</source>
        <translation>Autre date refusée par {who}</translation>
    </message>
    <message>
        <source>Meeting progress recorded by {who}: {answer}</source>
        <translation>Déroulement enregistré par {who} : {answer}</translation>
    </message>
    <message>
        <source>user</source>
        <translation>le client</translation>
    </message>
    <message>
        <source>expert</source>
        <translation>l’expert</translation>
    </message>
    <message>
        <source>the platform</source>
        <translation>la plateforme</translation>
    </message>
    <message>
        <source>Promo code created</source>
        <translation>Code promo créé</translation>
    </message>
    <message>
        <source>Promo code ended</source>
        <translation>Code promo terminé</translation>
    </message>
    <message>
        <source>Promo code applied</source>
        <translation>Code promo appliqué</translation>
    </message>
    <message>
        <source>Promo code given back</source>
        <translation>Utilisation du code promo rendue</translation>
    </message>
    <message>
        <source>Upcoming sessions</source>
        <translation>Séances à venir</translation>
    </message>
    <message>
        <source>{time} {city}</source>
        <translation>{time} {city}</translation>
    </message>
    <message>
        <source>Group: {count}/{max}</source>
        <translation>Groupe : {count}/{max}</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Groupe</translation>
    </message>
    <message>
        <source>Nothing is planned yet. Agreed meetings and your open group events appear here; answer waiting requests under New requests, or add free slots under Availability &amp; offers.</source>
        <translation>Rien de prévu pour l’instant. Les rendez-vous convenus et vos événements de groupe ouverts apparaissent ici ; répondez aux demandes dans Nouvelles demandes, ou ajoutez des créneaux libres dans Disponibilités et offres.</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>Demain</translation>
    </message>
    <message>
        <source>Proposed {time} to {customer}; the agreed time stays until they approve.</source>
        <translation>{time} proposé à {customer} ; l’horaire convenu reste valable jusqu’à son approbation.</translation>
    </message>
    <message>
        <source>Moved to {time}.</source>
        <translation>Déplacé à {time}.</translation>
    </message>
    <message>
        <source>Your agreed meetings and group events, in your time zone. J joins the selected session when it opens, C cancels it.</source>
        <translation>Vos rendez-vous convenus et événements de groupe, dans votre fuseau horaire. J rejoint la séance sélectionnée dès son ouverture, C l’annule.</translation>
    </message>
    <message>
        <source>Your time</source>
        <translation>Votre heure</translation>
    </message>
    <message>
        <source>Their time</source>
        <translation>Son heure</translation>
    </message>
    <message>
        <source>With</source>
        <translation>Avec</translation>
    </message>
    <message>
        <source>The session opens {minutes} min before its start.</source>
        <translation>La séance ouvre {minutes} min avant son début.</translation>
    </message>
    <message>
        <source>Meeting cancelled; {customer} gets the credits back.</source>
        <translation>Rendez-vous annulé ; {customer} récupère ses crédits.</translation>
    </message>
    <message>
        <source>Event cancelled; every participant gets the credits back.</source>
        <translation>Événement annulé ; chaque participant récupère ses crédits.</translation>
    </message>
    <message>
        <source>Cancel the meeting</source>
        <translation>Annuler le rendez-vous</translation>
    </message>
    <message>
        <source>Cancel &quot;{topic}&quot; with {customer} on {time}? {customer} gets all {amount} back and is told at once. Tell them why:</source>
        <translation>Annuler « {topic} » avec {customer} le {time} ? {customer} récupère les {amount} et en est informé aussitôt. Expliquez pourquoi :</translation>
    </message>
    <message>
        <source>Cancel the event</source>
        <translation>Annuler l’événement</translation>
    </message>
    <message>
        <source>Cancel &quot;{title}&quot; on {time}? Every participant gets their credits back. Tell them why:</source>
        <translation>Annuler « {title} » le {time} ? Chaque participant récupère ses crédits. Expliquez pourquoi :</translation>
    </message>
    <message>
        <source>Your reason, shown to the participants</source>
        <translation>Votre motif, montré aux participants</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Select a session on the left to see its details and timeline.</source>
        <translation>Sélectionnez une séance à gauche pour voir ses détails et son historique.</translation>
    </message>
    <message>
        <source>Cancel the meeting…</source>
        <translation>Annuler le rendez-vous…</translation>
    </message>
    <message>
        <source>Cancel; {customer} gets every credit back (C)</source>
        <translation>Annuler ; {customer} récupère tous ses crédits (C)</translation>
    </message>
    <message>
        <source>{customer} asks to move it to {time}.</source>
        <translation>{customer} demande de le déplacer à {time}.</translation>
    </message>
    <message>
        <source>Propose another time</source>
        <translation>Proposer un autre horaire</translation>
    </message>
    <message>
        <source>The customer approves or rejects it; the agreed time stays until then.</source>
        <translation>Le client l’approuve ou le refuse ; l’horaire convenu reste valable d’ici là.</translation>
    </message>
    <message>
        <source>{count} registered (min {min}, max {max})</source>
        <translation>{count} inscrits (min {min}, max {max})</translation>
    </message>
    <message>
        <source>Registrations</source>
        <translation>Inscriptions</translation>
    </message>
    <message>
        <source>Cancel the event…</source>
        <translation>Annuler l’événement…</translation>
    </message>
    <message>
        <source>Cancel; every participant gets their credits back (C)</source>
        <translation>Annuler ; chaque participant récupère ses crédits (C)</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>Your change is saved here and is sent when the server is reached.</source>
        <translation>Votre modification est enregistrée ici et sera envoyée dès que le serveur sera joignable.</translation>
    </message>
    <message>
        <source>{price} per participant</source>
        <translation>{price} par participant</translation>
    </message>
    <message>
        <source>Open now, until {time}.</source>
        <translation>Ouverte, jusqu’à {time}.</translation>
    </message>
    <message>
        <source>Open the live session (J)</source>
        <translation>Ouvrir la séance en direct (J)</translation>
    </message>
    <message>
        <source>Below the minimum</source>
        <translation>Sous le minimum</translation>
    </message>
    <message>
        <source>Opens {minutes} min before the start (in {wait}).</source>
        <translation>Ouvre {minutes} min avant le début (dans {wait}).</translation>
    </message>
    <message>
        <source>Opens {minutes} min before the start (J)</source>
        <translation>Ouvre {minutes} min avant le début (J)</translation>
    </message>
    <message>
        <source>This session has ended.</source>
        <translation>Cette séance est terminée.</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>Complet</translation>
    </message>
    <message>
        <source>The copy of your data on this computer cannot be opened. Nothing is lost: the server has it all, and the changes you had not sent yet are carried over when they can be read.</source>
        <translation>La copie de vos données sur cet ordinateur ne peut pas être ouverte. Rien n’est perdu : le serveur a tout, et les modifications que vous n’aviez pas encore envoyées sont reprises quand elles peuvent être lues.</translation>
    </message>
    <message>
        <source>Details: {reason}</source>
        <translation>Détails : {reason}</translation>
    </message>
    <message>
        <source>Setting the old copy aside…</source>
        <translation>Mise de côté de l’ancienne copie…</translation>
    </message>
    <message numerus="yes">
        <source>The old copy is kept as {path}. Your data is being downloaded again, and %n change(s) you had not sent yet will be sent.</source>
        <translation>
            <numerusform>L’ancienne copie est conservée sous {path}. Vos données sont à nouveau téléchargées, et %n modification que vous n’aviez pas encore envoyée le sera.</numerusform>
            <numerusform>L’ancienne copie est conservée sous {path}. Vos données sont à nouveau téléchargées, et %n modifications que vous n’aviez pas encore envoyées le seront.</numerusform>
        </translation>
    </message>
    <message>
        <source>The old copy is kept as {path}. Your data is being downloaded again; the changes not yet sent could not be read from it.</source>
        <translation>L’ancienne copie est conservée sous {path}. Vos données sont à nouveau téléchargées ; les modifications pas encore envoyées n’ont pas pu y être lues.</translation>
    </message>
    <message>
        <source>You are logged out.</source>
        <translation>Vous êtes déconnecté.</translation>
    </message>
    <message>
        <source>Not applied</source>
        <translation>Non appliqué</translation>
    </message>
    <message>
        <source>Everything you did was applied. Nothing to look at here.</source>
        <translation>Tout ce que vous avez fait a été appliqué. Rien à voir ici.</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Send the change again, as a new change</source>
        <translation>Renvoyer la modification, comme une nouvelle modification</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Changes the server did not apply</source>
        <translation>Modifications que le serveur n’a pas appliquées</translation>
    </message>
    <message>
        <source>Each was refused for the reason shown; nothing else was affected. Fix the cause and retry, or dismiss it.</source>
        <translation>Chacune a été refusée pour la raison indiquée ; rien d’autre n’a été touché. Corrigez la cause et réessayez, ou ignorez-la.</translation>
    </message>
    <message>
        <source>Sent again.</source>
        <translation>Renvoyé.</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Refusé le</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Modification</translation>
    </message>
    <message>
        <source>Log in to Expert Console</source>
        <translation>Connexion à Expert Console</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Switch account</source>
        <translation>Changer de compte</translation>
    </message>
    <message>
        <source>Add another account…</source>
        <translation>Ajouter un autre compte…</translation>
    </message>
    <message>
        <source>Switch</source>
        <translation>Changer</translation>
    </message>
    <message>
        <source>Welcome back</source>
        <translation>Bon retour</translation>
    </message>
    <message>
        <source>Log in with the account your platform gave you.</source>
        <translation>Connectez-vous avec le compte fourni par votre plateforme.</translation>
    </message>
    <message>
        <source>Your accounts on this computer.</source>
        <translation>Vos comptes sur cet ordinateur.</translation>
    </message>
    <message>
        <source>(current)</source>
        <translation>(actuel)</translation>
    </message>
    <message>
        <source>Expert Console</source>
        <translation>Expert Console</translation>
    </message>
    <message>
        <source>Opening your data…</source>
        <translation>Ouverture de vos données…</translation>
    </message>
    <message>
        <source>Set this copy aside and download my data again</source>
        <translation>Mettre cette copie de côté et télécharger à nouveau mes données</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Compte</translation>
    </message>
    <message>
        <source>Switch account…</source>
        <translation>Changer de compte…</translation>
    </message>
    <message>
        <source>Work offline</source>
        <translation>Travailler hors ligne</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Not applied…</source>
        <translation>Non appliqués…</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Réglages</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Desktop notifications</source>
        <translation>Notifications de bureau</translation>
    </message>
    <message>
        <source>The language changes the next time the console starts.</source>
        <translation>La langue change au prochain démarrage de la console.</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n modification en attente d’envoi</numerusform>
            <numerusform>%n modifications en attente d’envoi</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not applied</source>
        <translation>
            <numerusform>%n non appliquée</numerusform>
            <numerusform>%n non appliquées</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} (Ctrl+{n})</source>
        <translation>{name} (Ctrl+{n})</translation>
    </message>
    <message>
        <source>syncing…</source>
        <translation>synchronisation…</translation>
    </message>
    <message>
        <source>last sync {time}</source>
        <translation>dernière synchro {time}</translation>
    </message>
    <message>
        <source>New request</source>
        <translation>Nouvelle demande</translation>
    </message>
    <message>
        <source>Meeting cancelled</source>
        <translation>Rendez-vous annulé</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>Réclamation</translation>
    </message>
    <message>
        <source>Reminder</source>
        <translation>Rappel</translation>
    </message>
    <message>
        <source>Your session starts soon</source>
        <translation>Votre séance commence bientôt</translation>
    </message>
    <message>
        <source>New time proposed</source>
        <translation>Nouvel horaire proposé</translation>
    </message>
    <message>
        <source>Session ending</source>
        <translation>Fin de la séance</translation>
    </message>
    <message>
        <source>Notification</source>
        <translation>Notification</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Accepter</translation>
    </message>
    <message>
        <source>View</source>
        <translation>Voir</translation>
    </message>
    <message>
        <source>Forgot password?</source>
        <translation>Mot de passe oublié ?</translation>
    </message>
    <message>
        <source>Create an account</source>
        <translation>Créer un compte</translation>
    </message>
    <message>
        <source>at least 8 characters</source>
        <translation>au moins 8 caractères</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Votre nom</translation>
    </message>
    <message>
        <source>Create the account</source>
        <translation>Créer le compte</translation>
    </message>
    <message>
        <source>Back to log in</source>
        <translation>Retour à la connexion</translation>
    </message>
    <message>
        <source>Email me a code</source>
        <translation>M’envoyer un code</translation>
    </message>
    <message>
        <source>Code from the email</source>
        <translation>Code reçu par e-mail</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Nouveau mot de passe</translation>
    </message>
    <message>
        <source>Change the password</source>
        <translation>Changer le mot de passe</translation>
    </message>
    <message>
        <source>An expert&apos;s account on this server.</source>
        <translation>Un compte d’expert sur ce serveur.</translation>
    </message>
    <message>
        <source>Choose a new password</source>
        <translation>Choisir un nouveau mot de passe</translation>
    </message>
    <message>
        <source>We send a one-time code to your email; enter it here with a new password.</source>
        <translation>Nous envoyons un code à usage unique à votre adresse e-mail ; saisissez-le ici avec un nouveau mot de passe.</translation>
    </message>
    <message>
        <source>If {email} has an account, a code is on its way. Enter it below with a new password.</source>
        <translation>Si {email} a un compte, un code est en route. Saisissez-le ci-dessous avec un nouveau mot de passe.</translation>
    </message>
    <message>
        <source>Your password is changed. Log in with the new one.</source>
        <translation>Votre mot de passe est changé. Connectez-vous avec le nouveau.</translation>
    </message>
</context>
</TS>
