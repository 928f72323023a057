<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
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
        <source>Dismiss</source>
        <translation>Ignorer</translation>
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
        <source>Reason</source>
        <translation>Raison</translation>
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
        <source>Cancel</source>
        <translation>Annuler</translation>
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
    <message>
        <source>{name} (Ctrl+{n})</source>
        <translation>{name} (Ctrl+{n})</translation>
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
        <source>syncing…</source>
        <translation>synchronisation…</translation>
    </message>
    <message>
        <source>{n} change(s) waiting to be sent</source>
        <translation>{n} modification(s) en attente d’envoi</translation>
    </message>
    <message>
        <source>last sync {time}</source>
        <translation>dernière synchro {time}</translation>
    </message>
    <message>
        <source>{n} not applied</source>
        <translation>{n} non appliquée(s)</translation>
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
        <source>Session ending</source>
        <translation>Fin de la séance</translation>
    </message>
    <message>
        <source>New time proposed</source>
        <translation>Nouvel horaire proposé</translation>
    </message>
    <message>
        <source>Notification</source>
        <translation>Notification</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Refuser</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Accepter</translation>
    </message>
    <message>
        <source>View</source>
        <translation>Voir</translation>
    </message>
</context>
</TS>
