<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
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
</context>
</TS>
