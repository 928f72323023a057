<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
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
    <message>
        <source>{n} waiting for your approval (New requests)</source>
        <translation>{n} en attente de votre accord (Nouvelles demandes)</translation>
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
        <source>What customers pay per mode, on your public page and in every slot without its own prices. A package length left at “default” is the platform's.</source>
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
    <message>
        <source>{n} booked</source>
        <translation>{n} réservé(s)</translation>
    </message>
</context>
</TS>
