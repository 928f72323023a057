<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
    <message>
        <source>Claim on “{session}”</source>
        <translation>Réclamation sur « {session} »</translation>
    </message>
    <message>
        <source>Payout of {day}</source>
        <translation>Versement du {day}</translation>
    </message>
    <message>
        <source>Blocking of credits for services</source>
        <translation>Blocage de crédits pour prestations</translation>
    </message>
    <message>
        <source>Deduction of credits for services</source>
        <translation>Débit de crédits pour prestations</translation>
    </message>
    <message>
        <source>Payment of credits for services</source>
        <translation>Paiement de crédits pour prestations</translation>
    </message>
    <message>
        <source>Platform commission</source>
        <translation>Commission de la plateforme</translation>
    </message>
    <message>
        <source>Unblocking of credits</source>
        <translation>Déblocage de crédits</translation>
    </message>
    <message>
        <source>Bonus credits for verbal evaluation</source>
        <translation>Crédits bonus pour avis écrit</translation>
    </message>
    <message>
        <source>Credits granted</source>
        <translation>Crédits accordés</translation>
    </message>
    <message>
        <source>Refund of credits for services</source>
        <translation>Remboursement de crédits pour prestations</translation>
    </message>
    <message>
        <source>Commission returned with a refund</source>
        <translation>Commission rendue avec un remboursement</translation>
    </message>
    <message>
        <source>Platform payment for broken services</source>
        <translation>Paiement de la plateforme pour services défaillants</translation>
    </message>
    <message>
        <source>Payout to bank account</source>
        <translation>Versement sur le compte bancaire</translation>
    </message>
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
        <source>Earnings</source>
        <translation>Revenus</translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation>Transactions</translation>
    </message>
    <message>
        <source>Payouts</source>
        <translation>Versements</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mois</translation>
    </message>
    <message>
        <source>The month the figures, the highlighted bar and the transactions show ({prev} / {next})</source>
        <translation>Le mois que montrent les chiffres, la barre en surbrillance et les transactions ({prev} / {next})</translation>
    </message>
    <message>
        <source>Export month CSV…</source>
        <translation>Exporter le mois en CSV…</translation>
    </message>
    <message>
        <source>Save the transactions of the selected month as a CSV file ({key})</source>
        <translation>Enregistrer les transactions du mois choisi dans un fichier CSV ({key})</translation>
    </message>
    <message>
        <source>The month before ({key})</source>
        <translation>Le mois précédent ({key})</translation>
    </message>
    <message>
        <source>The month after ({key})</source>
        <translation>Le mois suivant ({key})</translation>
    </message>
    <message>
        <source>Net earnings, last 12 months</source>
        <translation>Revenus nets, 12 derniers mois</translation>
    </message>
    <message>
        <source>Click a bar to see that month.</source>
        <translation>Cliquez sur une barre pour voir ce mois.</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Solde</translation>
    </message>
    <message>
        <source>Complete payout profile</source>
        <translation>Compléter le profil de versement</translation>
    </message>
    <message>
        <source>Open Profile &amp; payout to fill in what a payout needs</source>
        <translation>Ouvrir Profil et versement pour remplir ce qu’un versement demande</translation>
    </message>
    <message>
        <source>Search the transactions (description, reference)</source>
        <translation>Rechercher dans les transactions (libellé, référence)</translation>
    </message>
    <message>
        <source>Only the selected month</source>
        <translation>Seulement le mois choisi</translation>
    </message>
    <message>
        <source>Statement CSV…</source>
        <translation>Relevé CSV…</translation>
    </message>
    <message>
        <source>Save the selected payout's statement as CSV ({key})</source>
        <translation>Enregistrer le relevé du versement choisi en CSV ({key})</translation>
    </message>
    <message>
        <source>Statement PDF…</source>
        <translation>Relevé PDF…</translation>
    </message>
    <message>
        <source>Save the selected payout's statement as PDF ({key})</source>
        <translation>Enregistrer le relevé du versement choisi en PDF ({key})</translation>
    </message>
    <message>
        <source>No payouts yet. Payouts are made on days {days} of each month when your balance reaches {threshold} and your payout profile is complete.</source>
        <translation>Aucun versement pour l’instant. Les versements ont lieu les jours {days} de chaque mois quand votre solde atteint {threshold} et que votre profil de versement est complet.</translation>
    </message>
    <message>
        <source>Only {month}</source>
        <translation>Seulement {month}</translation>
    </message>
    <message>
        <source>Next payout day: {day}</source>
        <translation>Prochain jour de versement : {day}</translation>
    </message>
    <message>
        <source>Payouts are made on days {days} of each month for a balance of at least {threshold} with a complete payout profile.</source>
        <translation>Les versements ont lieu les jours {days} de chaque mois pour un solde d’au moins {threshold} avec un profil de versement complet.</translation>
    </message>
    <message>
        <source>Saved {count} transactions of {month} to {path}.</source>
        <translation>{count} transactions de {month} enregistrées dans {path}.</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Statement saved to {path}.</source>
        <translation>Relevé enregistré dans {path}.</translation>
    </message>
    <message>
        <source>What your sessions earned month by month, every movement of your earnings, and when they are paid out.</source>
        <translation>Ce que vos séances ont rapporté mois par mois, chaque mouvement de vos revenus, et quand ils vous sont versés.</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Séances</translation>
    </message>
    <message>
        <source>Sessions and events settled in the month</source>
        <translation>Séances et événements réglés dans le mois</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Heures</translation>
    </message>
    <message>
        <source>Hours of the sessions settled in the month</source>
        <translation>Heures des séances réglées dans le mois</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>Brut</translation>
    </message>
    <message>
        <source>What customers were charged</source>
        <translation>Ce qui a été facturé aux clients</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Commission</translation>
    </message>
    <message>
        <source>The platform's commission</source>
        <translation>La commission de la plateforme</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>Remboursements</translation>
    </message>
    <message>
        <source>Credits refunded to customers after claims</source>
        <translation>Crédits remboursés aux clients après réclamation</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Réclamations</translation>
    </message>
    <message>
        <source>Refund claims opened in the month</source>
        <translation>Demandes de remboursement ouvertes dans le mois</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>Net</translation>
    </message>
    <message>
        <source>What you earned: gross less commission and refunds</source>
        <translation>Ce que vous avez gagné : le brut moins la commission et les remboursements</translation>
    </message>
    <message>
        <source>{amount} (held)</source>
        <translation>{amount} (bloqué)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation>Solde après</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Séance</translation>
    </message>
    <message>
        <source>Payouts ({count})</source>
        <translation>Versements ({count})</translation>
    </message>
    <message>
        <source>No movements yet. When a session is settled, its payment shows here, with every refund, bonus and payout after it.</source>
        <translation>Aucun mouvement pour l’instant. Quand une séance est réglée, son paiement s’affiche ici, avec chaque remboursement, bonus et versement qui suit.</translation>
    </message>
    <message>
        <source>No movements in {month}. Pick another month above, or untick “Only {month}” to see them all.</source>
        <translation>Aucun mouvement en {month}. Choisissez un autre mois plus haut, ou décochez « Seulement {month} » pour tout voir.</translation>
    </message>
    <message>
        <source>{available} available, {blocked} held</source>
        <translation>{available} disponibles, {blocked} bloqués</translation>
    </message>
    <message>
        <source>Will be paid</source>
        <translation>Sera versé</translation>
    </message>
    <message>
        <source>Your balance of {amount} goes to your bank account that day.</source>
        <translation>Votre solde de {amount} part ce jour-là sur votre compte bancaire.</translation>
    </message>
    <message>
        <source>No payout that day</source>
        <translation>Pas de versement ce jour-là</translation>
    </message>
    <message>
        <source>There are no transactions in {month} to export.</source>
        <translation>Il n’y a aucune transaction en {month} à exporter.</translation>
    </message>
    <message>
        <source>Export the transactions of {month}</source>
        <translation>Exporter les transactions de {month}</translation>
    </message>
    <message>
        <source>Select a payout first.</source>
        <translation>Choisissez d’abord un versement.</translation>
    </message>
    <message>
        <source>Save the statement of {day}</source>
        <translation>Enregistrer le relevé du {day}</translation>
    </message>
    <message>
        <source>Payout day</source>
        <translation>Jour de versement</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Effectué</translation>
    </message>
    <message>
        <source>Movements</source>
        <translation>Mouvements</translation>
    </message>
    <message>
        <source>{month}: {net} net from {sessions} sessions</source>
        <translation>{month} : {net} nets pour {sessions} séances</translation>
    </message>
    <message>
        <source>Your payout profile is missing: {fields}.</source>
        <translation>Il manque à votre profil de versement : {fields}.</translation>
    </message>
    <message>
        <source>Payouts start once your balance reaches {threshold}.</source>
        <translation>Les versements commencent quand votre solde atteint {threshold}.</translation>
    </message>
    <message>
        <source>Reference: {ref}</source>
        <translation>Référence : {ref}</translation>
    </message>
    <message>
        <source>Held credits: not in your balance until settled</source>
        <translation>Crédits bloqués : hors de votre solde jusqu’au règlement</translation>
    </message>
    <message>
        <source>Promo code discount</source>
        <translation>Remise du code promo</translation>
    </message>
    <message>
        <source>Promo code discount returned</source>
        <translation>Remise du code promo rendue</translation>
    </message>
</context>
</TS>
