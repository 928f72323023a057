<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
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
</context>
</TS>
