<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
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
        <source>Name</source>
        <translation>Nom</translation>
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
        <source>Copy your booking page's address to share it (Ctrl+Shift+C)</source>
        <translation>Copier l’adresse de votre page de réservation pour la partager (Ctrl+Maj+C)</translation>
    </message>
    <message>
        <source>not yet on the server</source>
        <translation>pas encore sur le serveur</translation>
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
</context>
</TS>
