<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
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
        <source>Give your evaluation in Session history: with the customer's answer, it decides the payment.</source>
        <translation>Donnez votre évaluation dans l’Historique des séances : avec la réponse du client, elle décide du paiement.</translation>
    </message>
    <message>
        <source>Evaluate in Session history</source>
        <translation>Évaluer dans l’Historique des séances</translation>
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
        <source>{n} file(s) are still waiting to be uploaded. If you close this window they are not sent; the customer sees their names but cannot download them.</source>
        <translation>{n} fichier(s) attendent encore d’être envoyés. Si vous fermez cette fenêtre, ils ne seront pas envoyés ; le client verra leur nom sans pouvoir les télécharger.</translation>
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
        <source>not yet on the server</source>
        <translation>pas encore sur le serveur</translation>
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
        <source>Cancel</source>
        <translation>Annuler</translation>
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
        <source>Your own link into the meeting's video room, in your browser</source>
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
</context>
</TS>
