<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
    <message>
        <source>New requests</source>
        <translation>Nouvelles demandes</translation>
    </message>
    <message>
        <source>No request is waiting. Instant requests arrive while you have an open slot: add a "Now" slot under Availability &amp; offers to receive them.</source>
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
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Answer within / time</source>
        <translation>Répondre sous / horaire</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Sujet</translation>
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
        <source>Decline "{topic}" from {customer}? Their held credits go back to them.</source>
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
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>Offre</translation>
    </message>
    <message>
        <source>Credits held from the customer's wallet for this request.</source>
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
        <source>The customer's time zone: {zone}</source>
        <translation>Fuseau horaire du client : {zone}</translation>
    </message>
    <message>
        <source>Their time now</source>
        <translation>Son heure actuelle</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Prix</translation>
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
        <source>Not yet on the server</source>
        <translation>Pas encore sur le serveur</translation>
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
        <source>Customer {id}</source>
        <translation>Client {id}</translation>
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
        <source>{customer}'s request could not be accepted: {reason}</source>
        <translation>La demande de {customer} n’a pas pu être acceptée : {reason}</translation>
    </message>
</context>
</TS>
