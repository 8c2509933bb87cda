"""French phrase lexicon for the synthetic classifier data set."""

LANG = "fr"
SEP = " "
GREET = ["Bonjour,", "Madame, Monsieur,", "Bonsoir,", "Cher service client,", "Salut,", "Bonjour à vous,"]
CLOSE = [
    "Merci d'avance.",
    "Cordialement,",
    "Bien à vous,",
    "Bonne journée,",
    "Merci de votre aide.",
    "Salutations distinguées,",
]
NAMES = ["Marie Dupont", "Jean Martin", "Sophie", "Pierre Lefèvre", "Camille Bernard"]
SIGN = [
    "Envoyé de mon iPhone",
    "--\n{name}\n12 rue de la Paix, 75002 Paris\nTél. : +33 1 23 45 67 89",
    "{name}\nPortable : 06 12 34 56 78",
]
QUOTE_HEAD = [
    "Le lun. 3 juin 2024 à 10:12, Service client <support@shop.example> a écrit :",
    "-----Message d'origine-----\nDe : Service client <support@shop.example>\nEnvoyé : mardi 14 mai 2024 09:02",
]
QUOTE_BODY = [
    "Merci de nous avoir contactés. Nous revenons vers vous sous 48 heures.",
    "Votre numéro de dossier est 88412. Répondez simplement à cet e-mail si vous avez d'autres questions.",
    "Nous sommes désolés pour la gêne occasionnée et examinons votre demande.",
]
PRODUCTS = ["veste", "canapé", "machine à café", "chaussures de course", "lampe", "mixeur", "sac à dos", "vélo"]
ORDER_REF = ["commande {n}", "commande n° {n}", "numéro de commande {n}", "commande #{n}", "#{n}"]
AMOUNT = ["{n} €", "{n},50 €", "EUR {n}", "{n} euros", "€{n}"]
INTENTS = {
    "order_status": [
        "Où est mon colis ? Je ne l'ai toujours pas reçu.",
        "Quand la {o} sera-t-elle livrée ?",
        "Le suivi de la {o} n'a pas bougé depuis cinq jours.",
        "J'ai commandé une {p} la semaine dernière et je n'ai aucune nouvelle. Où en est-elle ?",
        "Est-ce que ma {p} a déjà été expédiée ?",
        "Le colis devait arriver hier mais il n'est jamais venu. Que se passe-t-il avec la {o} ?",
        "Le suivi indique livré mais je n'ai rien reçu.",
        "quand est-ce que ma commande arrive",
        "Pouvez-vous me dire où en est la livraison de la {o} ?",
    ],
    "order_change": [
        "Je dois modifier l'adresse de livraison de la {o}.",
        "Puis-je ajouter une {p} à la {o} avant l'expédition ?",
        "Merci de changer la taille de ma {p} de M à L.",
        "Je voudrais changer la couleur de la {p} dans la {o} pour du noir.",
        "Pouvez-vous livrer la {o} vendredi prochain plutôt ?",
        "Je me suis trompé dans ma commande, puis-je remplacer la {p} par un autre modèle avant l'envoi ?",
        "Veuillez modifier l'adresse de livraison de la {o} : 5 avenue Victor Hugo.",
        "je peux passer ma commande en livraison express",
        "Je souhaite retirer un article de la {o}, le reste est bon.",
    ],
    "cancellation": [
        "Merci d'annuler la {o}.",
        "Je souhaite résilier mon abonnement.",
        "Je n'ai plus besoin de la {p}, annulez la commande avant l'expédition s'il vous plaît.",
        "Comment résilier mon adhésion ?",
        "Annulez ma commande svp, j'ai commandé par erreur.",
        "Je souhaite mettre fin à mon contrat à la fin du mois.",
        "Arrêtez mon abonnement et ne le renouvelez pas.",
        "annuler commande {n}",
        "J'ai changé d'avis, annulez la {o} immédiatement.",
    ],
    "refund_return": [
        "Je voudrais retourner la {p}, elle ne me va pas.",
        "Comment obtenir un remboursement pour la {o} ?",
        "J'ai renvoyé la {p} il y a deux semaines et je n'ai toujours pas été remboursé.",
        "Puis-je échanger la {p} contre une taille au-dessus ?",
        "Merci de me rembourser {a}, l'article était défectueux.",
        "J'aimerais une étiquette de retour pour la {o}.",
        "La {p} est arrivée cassée, je veux être remboursé.",
        "où est mon remboursement",
        "J'ai retourné le colis mais le remboursement de {a} n'est toujours pas arrivé.",
    ],
    "billing": [
        "J'ai été débité deux fois pour la {o}.",
        "Ma facture indique {a} alors que je n'ai commandé qu'une {p}.",
        "Pourquoi ma carte a-t-elle été débitée de {a} ce mois-ci ?",
        "Pouvez-vous m'envoyer une copie de la facture de la {o} ?",
        "Le paiement a échoué mais l'argent a quitté mon compte.",
        "Le numéro de TVA sur ma facture est faux.",
        "Je ne reconnais pas un prélèvement de {a} sur mon relevé bancaire.",
        "encore prélevé deux fois",
        "Merci de corriger l'adresse de facturation sur ma dernière facture.",
    ],
    "complaint": [
        "Je suis très mécontent du service que j'ai reçu.",
        "Votre livreur a été extrêmement impoli avec moi.",
        "C'est la troisième fois que ma livraison est en retard, c'est inadmissible.",
        "La qualité de la {p} est déplorable, je m'attendais à beaucoup mieux.",
        "Personne ne répond au téléphone ni à mes e-mails.",
        "Je souhaite déposer une réclamation sur la façon dont j'ai été traité en magasin.",
        "La pire expérience client de ma vie.",
        "service nul, vraiment déçu",
        "Votre personnel n'a pas voulu m'aider et j'ai attendu une heure au téléphone.",
    ],
    "technical_support": [
        "Je n'arrive pas à me connecter à l'application, elle affiche erreur 500.",
        "Le site plante quand j'essaie de payer.",
        "Ma {p} ne s'allume plus depuis la dernière mise à jour.",
        "Je n'ai jamais reçu l'e-mail de réinitialisation du mot de passe.",
        "L'application se bloque chaque fois que j'ouvre mes commandes.",
        "La connexion Bluetooth de ma {p} se coupe sans arrêt.",
        "La page de paiement reste blanche sur mon téléphone.",
        "l'appli ne marche pas",
        "J'ai un message d'erreur quand j'essaie d'appairer l'appareil.",
    ],
    "account_update": [
        "Merci de mettre à jour mon adresse e-mail avec la nouvelle ci-dessous.",
        "Je voudrais changer le numéro de téléphone de mon compte.",
        "Comment supprimer mon compte et toutes mes données ?",
        "Merci de modifier mon nom sur le compte, je me suis mariée.",
        "Pouvez-vous mettre à jour mon adresse par défaut dans mon profil ?",
        "Désabonnez-moi de votre newsletter.",
        "Je dois changer le mot de passe de mon compte client.",
        "changer mon numéro de téléphone svp",
        "Pouvez-vous fusionner mes deux comptes clients ?",
    ],
    "product_inquiry": [
        "Avez-vous la {p} en bleu en stock ?",
        "Quelles sont les dimensions de la {p} ?",
        "Est-ce que la {p} est imperméable ?",
        "Quand la {p} sera-t-elle de nouveau disponible ?",
        "La {p} est-elle garantie ?",
        "Quelle taille conseillez-vous pour quelqu'un qui mesure 1m80 ?",
        "Peut-on utiliser la {p} à l'extérieur ?",
        "vous vendez des cartes cadeaux",
        "Quel est le prix de la grande {p} ?",
    ],
    "other": [
        "Merci beaucoup pour votre aide hier !",
        "Avez-vous des postes à pourvoir dans votre entrepôt ?",
        "Je voulais juste dire que votre équipe a fait un super travail.",
        "Qui est-ce ? J'ai reçu un SMS de ce numéro.",
        "Nous aimerions vous proposer un partenariat.",
        "Joyeuses fêtes à toute l'équipe !",
        "Êtes-vous ouverts le dimanche ?",
        "merci",
        "Merci de transmettre ceci à votre service marketing.",
    ],
}
SUBJECTS = {
    "order_status": ["Où est ma commande ?", "Suivi de livraison", "Commande {o}"],
    "order_change": ["Modification de commande", "Nouvelle adresse de livraison"],
    "cancellation": ["Annulation", "Résiliation"],
    "refund_return": ["Retour", "Remboursement"],
    "billing": ["Question sur ma facture", "Double prélèvement"],
    "complaint": ["Réclamation", "Très mécontent"],
    "technical_support": ["Problème avec l'application", "Connexion impossible"],
    "account_update": ["Mise à jour de mon compte", "Nouvel e-mail"],
    "product_inquiry": ["Question sur un produit", "Disponibilité"],
    "other": ["Bonjour", "Merci"],
}
URGENT = [
    "La {p} s'est mise à fumer et a pris feu !",
    "Mon enfant s'est blessé, c'est dangereux.",
    "Ça sent le gaz depuis le passage de votre technicien.",
]
HIGH = [
    "C'est urgent, j'en ai besoin aujourd'hui.",
    "Urgent, merci de répondre au plus vite.",
    "Si ce n'est pas réglé, je contacte mon avocat.",
    "Je vais saisir la DGCCRF.",
    "Sinon je publie tout sur Facebook.",
]
LOW = ["Rien de pressé, répondez quand vous aurez le temps.", "Ce n'est pas urgent."]
ANGRY = ["C'est scandaleux !", "Je suis furieux.", "Totalement inadmissible !!"]
