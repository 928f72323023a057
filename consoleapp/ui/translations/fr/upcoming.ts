<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
    <message>
        <source>Upcoming sessions</source>
        <translation>Séances à venir</translation>
    </message>
    <message>
        <source>{start} – {end}</source>
        <translation>{start} – {end}</translation>
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
        <source>New time rejected; the agreed time stays.</source>
        <translation>Nouvel horaire refusé ; l’horaire convenu est maintenu.</translation>
    </message>
    <message>
        <source>Your proposed time was withdrawn.</source>
        <translation>Votre proposition d’horaire a été retirée.</translation>
    </message>
    <message>
        <source>Your agreed meetings and group events, in your time zone. J joins the selected session when it opens, C cancels it.</source>
        <translation>Vos rendez-vous convenus et événements de groupe, dans votre fuseau horaire. J rejoint la séance sélectionnée dès son ouverture, C l’annule.</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Jour</translation>
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
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Prix</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Sujet</translation>
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
        <source>Reject the new time</source>
        <translation>Refuser le nouvel horaire</translation>
    </message>
    <message>
        <source>{customer} keeps the time already agreed. Tell them why the new one does not suit you.</source>
        <translation>{customer} garde l’horaire déjà convenu. Expliquez-lui pourquoi le nouveau ne vous convient pas.</translation>
    </message>
    <message>
        <source>Cancel the meeting</source>
        <translation>Annuler le rendez-vous</translation>
    </message>
    <message>
        <source>Cancel "{topic}" with {customer} on {time}? {customer} gets all {amount} back and is told at once. Tell them why:</source>
        <translation>Annuler « {topic} » avec {customer} le {time} ? {customer} récupère les {amount} et en est informé aussitôt. Expliquez pourquoi :</translation>
    </message>
    <message>
        <source>Cancel the event</source>
        <translation>Annuler l’événement</translation>
    </message>
    <message>
        <source>Cancel "{title}" on {time}? Every participant gets their credits back. Tell them why:</source>
        <translation>Annuler « {title} » le {time} ? Chaque participant récupère ses crédits. Expliquez pourquoi :</translation>
    </message>
    <message>
        <source>Your reason, shown to the customer</source>
        <translation>Votre motif, montré au client</translation>
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
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>Offre</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Rejoindre</translation>
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
        <source>You proposed {time}; waiting for {customer}.</source>
        <translation>Vous avez proposé {time} ; en attente de {customer}.</translation>
    </message>
    <message>
        <source>Propose another time</source>
        <translation>Proposer un autre horaire</translation>
    </message>
    <message>
        <source>Propose</source>
        <translation>Proposer</translation>
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
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plateforme</translation>
    </message>
    <message>
        <source>Not yet on the server</source>
        <translation>Pas encore sur le serveur</translation>
    </message>
    <message>
        <source>Your change is saved here and is sent when the server is reached.</source>
        <translation>Votre modification est enregistrée ici et sera envoyée dès que le serveur sera joignable.</translation>
    </message>
    <message>
        <source>Approve the new time</source>
        <translation>Approuver le nouvel horaire</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>Refuser…</translation>
    </message>
    <message>
        <source>Withdraw my proposal</source>
        <translation>Retirer ma proposition</translation>
    </message>
    <message>
        <source>Group event</source>
        <translation>Événement de groupe</translation>
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
        <source>By</source>
        <translation>Par</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Événement</translation>
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
</context>
</TS>
