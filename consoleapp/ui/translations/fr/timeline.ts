<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
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
        <source>failed because the platform's services broke</source>
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
</context>
</TS>
