<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>consoleapp</name>
    <message>
        <source>Waiting to be sent</source>
        <translation>En attente d’envoi</translation>
    </message>
    <message>
        <source>Your answer is kept on this computer until the server has it</source>
        <translation>Votre réponse est gardée sur cet ordinateur jusqu’à ce que le serveur l’ait reçue</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Séance</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Ouverte</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Échéance</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Issue</translation>
    </message>
    <message>
        <source>The customer's reason</source>
        <translation>Le motif du client</translation>
    </message>
    <message>
        <source>Your summary for the operator</source>
        <translation>Votre résumé pour l’opérateur</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Rembourser</translation>
    </message>
    <message>
        <source>At most what the customer claimed</source>
        <translation>Au plus ce que le client a demandé</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>Rembourser…</translation>
    </message>
    <message>
        <source>Refund this amount to the customer ({key})</source>
        <translation>Rembourser ce montant au client ({key})</translation>
    </message>
    <message>
        <source>Dispute</source>
        <translation>Contester</translation>
    </message>
    <message>
        <source>What happened in the session, in a few sentences (required)</source>
        <translation>Ce qui s’est passé pendant la séance, en quelques phrases (obligatoire)</translation>
    </message>
    <message>
        <source>Dispute…</source>
        <translation>Contester…</translation>
    </message>
    <message>
        <source>Send the claim to the operator with your summary ({key})</source>
        <translation>Envoyer la réclamation à l’opérateur avec votre résumé ({key})</translation>
    </message>
    <message>
        <source>{customer} claims {amount}</source>
        <translation>{customer} réclame {amount}</translation>
    </message>
    <message>
        <source>of {amount} claimed</source>
        <translation>sur {amount} réclamés</translation>
    </message>
    <message>
        <source>{countdown}, by {when}</source>
        <translation>{countdown}, avant le {when}</translation>
    </message>
    <message>
        <source>Give back all or part of what was claimed; it is taken from your earnings.</source>
        <translation>Rendez tout ou partie de ce qui est réclamé ; c’est pris sur vos revenus.</translation>
    </message>
    <message>
        <source>cr</source>
        <translation>cr</translation>
    </message>
    <message>
        <source>If you think the claim is unfounded, say what happened. An operator decides, with your summary and the session's record (attendance, chat, evaluations).</source>
        <translation>Si la réclamation vous semble infondée, dites ce qui s’est passé. Un opérateur tranche, avec votre résumé et le dossier de la séance (présences, messages, évaluations).</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>answer within {left}</source>
        <translation>répondre d’ici {left}</translation>
    </message>
    <message>
        <source>{topic}, {when}</source>
        <translation>{topic}, {when}</translation>
    </message>
    <message>
        <source>Group event “{title}”</source>
        <translation>Événement de groupe « {title} »</translation>
    </message>
    <message>
        <source>Group event</source>
        <translation>Événement de groupe</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>dépassée</translation>
    </message>
    <message>
        <source>{days} days {hours} h</source>
        <translation>{days} jours {hours} h</translation>
    </message>
    <message>
        <source>1 day {hours} h</source>
        <translation>1 jour {hours} h</translation>
    </message>
    <message>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} h {minutes:02d} min</translation>
    </message>
    <message>
        <source>deadline passed: the operator decides</source>
        <translation>échéance dépassée : l’opérateur tranche</translation>
    </message>
    <message>
        <source>Refunded {refunded} of {amount}</source>
        <translation>{refunded} remboursés sur {amount}</translation>
    </message>
    <message>
        <source>Dispute accepted: nothing refunded</source>
        <translation>Contestation acceptée : rien n’est remboursé</translation>
    </message>
    <message>
        <source>Dispute rejected: {amount} refunded from your earnings</source>
        <translation>Contestation rejetée : {amount} remboursés sur vos revenus</translation>
    </message>
    <message>
        <source>Waiting for the operator's decision</source>
        <translation>En attente de la décision de l’opérateur</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouverte</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Remboursée</translation>
    </message>
    <message>
        <source>With the operator</source>
        <translation>Chez l’opérateur</translation>
    </message>
    <message>
        <source>Dispute accepted</source>
        <translation>Contestation acceptée</translation>
    </message>
    <message>
        <source>Dispute rejected</source>
        <translation>Contestation rejetée</translation>
    </message>
    <message>
        <source>Disputes</source>
        <translation>Litiges</translation>
    </message>
    <message>
        <source>Select a claim to read it and answer it.</source>
        <translation>Choisissez une réclamation pour la lire et y répondre.</translation>
    </message>
    <message>
        <source>Open ({count})</source>
        <translation>Ouvertes ({count})</translation>
    </message>
    <message>
        <source>With the operator ({count})</source>
        <translation>Chez l’opérateur ({count})</translation>
    </message>
    <message>
        <source>Decided ({count})</source>
        <translation>Tranchées ({count})</translation>
    </message>
    <message>
        <source>Refund of {amount} to {customer} recorded; it reaches the server with the next sync.</source>
        <translation>Remboursement de {amount} à {customer} enregistré ; il parvient au serveur à la prochaine synchronisation.</translation>
    </message>
    <message>
        <source>Write a summary of what happened before disputing: the operator decides on it. Nothing was sent.</source>
        <translation>Écrivez un résumé de ce qui s’est passé avant de contester : l’opérateur décide sur cette base. Rien n’a été envoyé.</translation>
    </message>
    <message>
        <source>Dispute sent to the operator with your summary.</source>
        <translation>Contestation envoyée à l’opérateur avec votre résumé.</translation>
    </message>
    <message>
        <source>Customers' refund claims. Refund all or part, or dispute with a summary for the operator; a claim left unanswered past its deadline goes to the operator.</source>
        <translation>Les demandes de remboursement de vos clients. Remboursez tout ou partie, ou contestez avec un résumé pour l’opérateur ; une réclamation sans réponse à l’échéance part chez l’opérateur.</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Claimed</source>
        <translation>Réclamé</translation>
    </message>
    <message>
        <source>Answer within</source>
        <translation>Répondre d’ici</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Your summary</source>
        <translation>Votre résumé</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>Tranchée</translation>
    </message>
    <message>
        <source>Refund the claim?</source>
        <translation>Rembourser la réclamation ?</translation>
    </message>
    <message>
        <source>Refund {amount} of the {claimed} {customer} claimed? The credits go back to the customer and are taken from your earnings.</source>
        <translation>Rembourser {amount} sur les {claimed} réclamés par {customer} ? Les crédits retournent au client et sont pris sur vos revenus.</translation>
    </message>
    <message>
        <source>Refund {amount}</source>
        <translation>Rembourser {amount}</translation>
    </message>
    <message>
        <source>Dispute the claim?</source>
        <translation>Contester la réclamation ?</translation>
    </message>
    <message>
        <source>Send the claim of {customer} to the operator with your summary? If the operator rejects the dispute, the customer is refunded {amount} from your earnings.</source>
        <translation>Envoyer la réclamation de {customer} à l’opérateur avec votre résumé ? Si l’opérateur rejette la contestation, le client est remboursé de {amount} sur vos revenus.</translation>
    </message>
    <message>
        <source>Send the dispute</source>
        <translation>Envoyer la contestation</translation>
    </message>
    <message>
        <source>No open claims. When a customer asks for a refund, the claim shows here with the time you have to answer it.</source>
        <translation>Aucune réclamation ouverte. Quand un client demande un remboursement, la réclamation s’affiche ici avec le temps qu’il vous reste pour répondre.</translation>
    </message>
    <message>
        <source>No claims with the operator. Claims you dispute wait here for the operator's decision.</source>
        <translation>Aucune réclamation chez l’opérateur. Les réclamations que vous contestez attendent ici sa décision.</translation>
    </message>
    <message>
        <source>No decided claims yet. Refunded claims and the operator's decisions are kept here.</source>
        <translation>Aucune réclamation tranchée pour l’instant. Les remboursements et les décisions de l’opérateur sont gardés ici.</translation>
    </message>
    <message>
        <source>Answer by {when}</source>
        <translation>Répondre avant le {when}</translation>
    </message>
</context>
</TS>
