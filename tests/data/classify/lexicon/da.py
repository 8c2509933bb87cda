"""Danish phrase lexicon for the synthetic classifier data set."""

LANG = "da"
SEP = " "
GREET = ["Hej,", "Hej med jer,", "Kære kundeservice,", "Goddag,", "Hejsa,", "Hej kundeservice,"]
CLOSE = ["På forhånd tak.", "Med venlig hilsen", "Venlig hilsen", "Mvh", "Tak for hjælpen.", "Hilsen"]
NAMES = ["Mette Jensen", "Lars Nielsen", "Søren", "Anne Sørensen", "Jesper Hansen"]
SIGN = [
    "Sendt fra min iPhone",
    "--\n{name}\nVestergade 12, 8000 Aarhus\nTlf. +45 21 43 65 87",
    "{name}\nTlf: 20 30 40 50",
]
QUOTE_HEAD = [
    "Den man. 3. jun. 2024 kl. 10.12 skrev Kundeservice <support@shop.example>:",
    "-----Oprindelig meddelelse-----\nFra: Kundeservice <support@shop.example>\nSendt: 14. maj 2024 09:02",
]
QUOTE_BODY = [
    "Tak for din henvendelse. Vi vender tilbage inden for 48 timer.",
    "Dit sagsnummer er 88412. Svar blot på denne mail, hvis du har flere spørgsmål.",
    "Vi beklager ulejligheden og undersøger sagen.",
]
PRODUCTS = ["jakke", "sofa", "kaffemaskine", "løbesko", "lampe", "blender", "rygsæk", "cykel"]
ORDER_REF = ["ordre {n}", "ordre nr. {n}", "ordrenummer {n}", "bestilling {n}", "#{n}"]
AMOUNT = ["{n} kr", "{n} kr.", "DKK {n}", "{n},00 kr", "{n} DKK"]
INTENTS = {
    "order_status": [
        "Hvor er min pakke? Jeg har stadig ikke fået den.",
        "Hvornår bliver {o} leveret?",
        "Sporingen på {o} har ikke ændret sig i fem dage.",
        "Jeg bestilte en {p} i sidste uge og har ikke hørt noget siden. Hvad er status?",
        "Er min {p} blevet sendt endnu?",
        "Pakken skulle være kommet i går, men den er ikke kommet. Hvad sker der med {o}?",
        "Der står at pakken er leveret, men jeg har ikke modtaget noget.",
        "hvornår kommer min ordre",
        "Kan I fortælle mig, hvor langt {o} er nået?",
    ],
    "order_change": [
        "Jeg skal have ændret leveringsadressen på {o}.",
        "Kan jeg tilføje en {p} mere til {o}, før den bliver sendt?",
        "Vil I ændre størrelsen på min {p} fra M til L?",
        "Jeg vil gerne skifte farven på {p} i {o} til sort.",
        "Kan I levere {o} næste fredag i stedet?",
        "Jeg har lavet en fejl i min bestilling, kan jeg bytte {p} til en anden model inden afsendelse?",
        "Ret venligst leveringsadressen på {o} til Nørregade 5.",
        "kan jeg ændre min ordre til ekspreslevering",
        "Jeg vil gerne fjerne en vare fra {o}, resten er fint.",
    ],
    "cancellation": [
        "Annuller venligst {o}.",
        "Jeg vil gerne opsige mit abonnement.",
        "Jeg har ikke brug for {p} alligevel, annuller bestillingen før den sendes.",
        "Hvordan melder jeg mig ud af medlemskabet?",
        "Annuller min ordre, jeg har bestilt ved en fejl.",
        "Jeg ønsker at opsige min aftale til udgangen af måneden.",
        "Stop mit abonnement og forny det ikke.",
        "annuller ordre {n}",
        "Jeg har fortrudt, annuller {o} med det samme.",
    ],
    "refund_return": [
        "Jeg vil gerne returnere {p}, den passer ikke.",
        "Hvordan får jeg pengene tilbage for {o}?",
        "Jeg sendte {p} retur for to uger siden og har stadig ikke fået mine penge.",
        "Kan jeg bytte {p} til en større størrelse?",
        "Refunder venligst {a}, varen var defekt.",
        "Jeg vil gerne have en returlabel til {o}.",
        "Min {p} kom i stykker frem, jeg vil have pengene retur.",
        "hvor bliver min refusion af",
        "Jeg har returneret pakken, men tilbagebetalingen på {a} mangler stadig.",
    ],
    "billing": [
        "Jeg er blevet trukket to gange for {o}.",
        "Min faktura viser {a}, men jeg bestilte kun én {p}.",
        "Hvorfor er der trukket {a} på mit kort denne måned?",
        "Kan I sende mig en kopi af fakturaen for {o}?",
        "Betalingen fejlede, men pengene er trukket fra min konto.",
        "Der står et forkert CVR-nummer på min faktura.",
        "Jeg kan ikke genkende en betaling på {a} på mit kontoudtog.",
        "dobbelt trukket igen",
        "Ret venligst betalingsoplysningerne på min sidste regning.",
    ],
    "complaint": [
        "Jeg er meget utilfreds med den service, jeg har fået.",
        "Jeres chauffør var utrolig uhøflig over for mig.",
        "Det er tredje gang min levering er forsinket, det er helt uacceptabelt.",
        "Kvaliteten af {p} er elendig, jeg havde forventet meget mere.",
        "Ingen tager telefonen og ingen svarer på mine mails.",
        "Jeg vil klage over den måde, jeg blev behandlet på i jeres butik.",
        "Den dårligste kundeoplevelse jeg nogensinde har haft.",
        "elendig service, virkelig skuffet",
        "Jeres personale var uhjælpsomme, og jeg ventede en time i telefonkø.",
    ],
    "technical_support": [
        "Jeg kan ikke logge ind i appen, den siger fejl 500.",
        "Hjemmesiden går ned, når jeg prøver at betale.",
        "Min {p} vil ikke tænde efter den seneste opdatering.",
        "Jeg har aldrig modtaget mailen til nulstilling af adgangskode.",
        "Appen fryser hver gang jeg åbner mine ordrer.",
        "Bluetooth-forbindelsen til min {p} falder hele tiden ud.",
        "Kassen på jeres side viser bare en hvid skærm på min telefon.",
        "appen virker ikke",
        "Jeg får en fejlmeddelelse, når jeg prøver at parre enheden.",
    ],
    "account_update": [
        "Opdater venligst min e-mailadresse til den nye herunder.",
        "Jeg vil gerne ændre telefonnummeret på min konto.",
        "Hvordan sletter jeg min konto og alle mine data?",
        "Ret venligst mit navn på kontoen, jeg er blevet gift.",
        "Kan I opdatere min standardadresse i min profil?",
        "Afmeld mig venligst jeres nyhedsbrev.",
        "Jeg skal have skiftet adgangskoden til min kundekonto.",
        "opdater mit telefonnummer tak",
        "Vil I slå mine to kundekonti sammen til én?",
    ],
    "product_inquiry": [
        "Har I {p} på lager i blå?",
        "Hvad er målene på {p}?",
        "Er {p} vandtæt?",
        "Hvornår kommer {p} på lager igen?",
        "Er der garanti på {p}?",
        "Hvilken størrelse vil I anbefale til en på 180 cm?",
        "Kan {p} bruges udendørs?",
        "sælger I gavekort",
        "Hvad koster den store {p}?",
    ],
    "other": [
        "Tusind tak for hjælpen i går!",
        "Har I nogen ledige stillinger på lageret?",
        "Jeg ville bare sige, at jeres team gjorde det rigtig godt.",
        "Hvem er det? Jeg fik en sms fra dette nummer.",
        "Vi vil gerne foreslå et samarbejde med jeres virksomhed.",
        "Glædelig jul til hele holdet!",
        "Har I åbent på søndag?",
        "tak",
        "Send venligst dette videre til jeres marketingafdeling.",
    ],
}
SUBJECTS = {
    "order_status": ["Hvor er min ordre?", "Leveringsstatus", "Ordre {o}"],
    "order_change": ["Ændring af ordre", "Ny leveringsadresse"],
    "cancellation": ["Annullering", "Opsigelse"],
    "refund_return": ["Returnering", "Refusion"],
    "billing": ["Spørgsmål til faktura", "Dobbelt betaling"],
    "complaint": ["Klage", "Meget utilfreds"],
    "technical_support": ["Problem med appen", "Kan ikke logge ind"],
    "account_update": ["Opdater min konto", "Ny e-mail"],
    "product_inquiry": ["Spørgsmål om produkt", "Lagerstatus"],
    "other": ["Hej", "Tak"],
}
URGENT = [
    "{p} begyndte at ryge og gik i brand!",
    "Mit barn kom til skade, det er farligt.",
    "Det lugter af gas, efter jeres montør var her.",
]
HIGH = [
    "Det haster, jeg skal bruge det i dag.",
    "Det haster, svar hurtigst muligt.",
    "Hvis det ikke bliver løst, kontakter jeg min advokat.",
    "Jeg klager til Forbrugerombudsmanden.",
    "Ellers skriver jeg om det på Facebook.",
]
LOW = ["Det haster ikke, svar når I har tid.", "Ingen hast."]
ANGRY = ["Det er latterligt!", "Jeg er rasende.", "Fuldstændig uacceptabelt!!"]
# Extra phrasings (written later, generated into messages_more.jsonl; the split is by group as above).
MORE_INTENTS = {
    "order_status": [
        "Min pakke er stadig ikke kommet, hvornår kan jeg forvente den?",
        "intet modtaget endnu",
        "Den forventede leveringsdato er overskredet, og {p} mangler stadig.",
    ],
    "order_change": [
        "Jeg har skrevet adressen forkert, kan I rette den?",
        "ændre adresse på ordre {n}",
        "Kan I levere til mit arbejde i stedet for hjem til mig?",
    ],
    "cancellation": [
        "Jeg vil ikke have den alligevel, annuller venligst ordren.",
        "annuller tak",
        "Slå automatisk fornyelse fra og afslut mit abonnement.",
    ],
    "refund_return": [
        "Jeg kan ikke lide varen og vil sende den retur.",
        "stadig ingen refusion",
        "{p} kom beskadiget frem, jeg vil gerne have den byttet eller pengene retur.",
    ],
    "billing": [
        "Mit kort er blevet trukket to gange for det samme køb.",
        "kan ikke finde min faktura",
        "Hvorfor har jeg betalt renter på afdragsbetalingen?",
    ],
    "complaint": [
        "Jeg er virkelig skuffet over den behandling, jeg har fået.",
        "elendig service",
        "Jeres sælger løj for mig, og jeg er rasende.",
    ],
    "technical_support": [
        "Knappen læg i kurv reagerer ikke i appen.",
        "hjemmesiden loader ikke",
        "Jeg modtager ikke bekræftelseskoden på sms.",
    ],
    "account_update": [
        "Jeg vil gerne ændre e-mailadressen på min konto.",
        "slet min konto",
        "Min fødselsdato i profilen er forkert, kan I rette den?",
    ],
    "product_inquiry": [
        "Hvilke farver findes {p} i?",
        "er den stadig på lager",
        "Sælger I reservedele til {p}?",
    ],
    "other": [
        "Kan I give mig adressen på jeres butik?",
        "ok tak",
        "Vi er leverandør og vil gerne samarbejde med jer, hvem skal jeg tale med?",
    ],
}
