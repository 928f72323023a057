<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
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
        <source>Session history</source>
        <translation>Historique des séances</translation>
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
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
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
        <source>Outcome</source>
        <translation>Issue</translation>
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
        <source>Not yet on the server</source>
        <translation>Pas encore sur le serveur</translation>
    </message>
    <message>
        <source>open</source>
        <translation>ouvert</translation>
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
        <source>Your answer and the customer's decide whether you are paid. It cannot be changed once sent.</source>
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
        <source>Customer's evaluation</source>
        <translation>Évaluation du client</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Prix</translation>
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
        <source>Platform commission</source>
        <translation>Commission de la plateforme</translation>
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
        <source>Claims</source>
        <translation>Réclamations</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
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
        <source>Refunded</source>
        <translation>Remboursée</translation>
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
        <source>Platform's fault</source>
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
        <source>It failed because the platform's services broke</source>
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
</context>
</TS>
