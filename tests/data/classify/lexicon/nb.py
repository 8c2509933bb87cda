"""Norwegian (bokmål) phrase lexicon for the synthetic classifier data set."""

LANG = "nb"
SEP = " "
GREET = ["Hei,", "Hei dere,", "Kjære kundeservice,", "God dag,", "Heisann,", "Hallo,"]
CLOSE = ["Takk på forhånd.", "Med vennlig hilsen", "Vennlig hilsen", "Mvh", "Takk for hjelpen.", "Hilsen"]
NAMES = ["Kari Nordmann", "Ola Hansen", "Ingrid", "Per Johansen", "Silje Berg"]
SIGN = ["Sendt fra min iPhone", "--\n{name}\nStorgata 12, 0155 Oslo\nTlf. +47 912 34 567", "{name}\nMobil: 412 34 567"]
QUOTE_HEAD = [
    "Man. 3. jun. 2024 kl. 10:12 skrev Kundeservice <support@shop.example>:",
    "-----Opprinnelig melding-----\nFra: Kundeservice <support@shop.example>\nSendt: 14. mai 2024 09:02",
]
QUOTE_BODY = [
    "Takk for din henvendelse. Vi svarer deg innen 48 timer.",
    "Saksnummeret ditt er 88412. Svar på denne e-posten hvis du har flere spørsmål.",
    "Vi beklager ulempen og ser på saken.",
]
PRODUCTS = ["jakke", "sofa", "kaffemaskin", "joggesko", "lampe", "blender", "ryggsekk", "sykkel"]
ORDER_REF = ["ordre {n}", "ordrenr. {n}", "ordrenummer {n}", "bestilling {n}", "#{n}"]
AMOUNT = ["{n} kr", "{n},- kr", "NOK {n}", "kr {n},-", "{n} NOK"]
INTENTS = {
    "order_status": [
        "Hvor er pakken min? Jeg har fortsatt ikke fått den.",
        "Når blir {o} levert?",
        "Sporingen på {o} har ikke endret seg på fem dager.",
        "Jeg bestilte en {p} forrige uke og har ikke hørt noe siden. Hva er status?",
        "Er {p} sendt ennå?",
        "Pakken skulle komme i går, men den kom aldri. Hva skjer med {o}?",
        "Det står at pakken er levert, men jeg har ikke fått noe.",
        "når kommer bestillingen min",
        "Kan dere si meg hvor langt {o} har kommet?",
    ],
    "order_change": [
        "Jeg må endre leveringsadressen på {o}.",
        "Kan jeg legge til en {p} til i {o} før den sendes?",
        "Kan dere endre størrelsen på {p} fra M til L?",
        "Jeg vil gjerne bytte fargen på {p} i {o} til svart.",
        "Kan dere levere {o} neste fredag i stedet?",
        "Jeg gjorde en feil i bestillingen, kan jeg bytte {p} til en annen modell før den sendes?",
        "Vennligst endre leveringsadressen på {o} til Kirkeveien 5.",
        "kan jeg endre bestillingen til ekspresslevering",
        "Jeg vil fjerne en vare fra {o}, resten er greit.",
    ],
    "cancellation": [
        "Vennligst kanseller {o}.",
        "Jeg vil si opp abonnementet mitt.",
        "Jeg trenger ikke {p} likevel, kanseller bestillingen før den sendes.",
        "Hvordan melder jeg meg ut av medlemskapet?",
        "Avbestill ordren min, jeg bestilte ved en feil.",
        "Jeg ønsker å si opp avtalen fra slutten av måneden.",
        "Stopp abonnementet mitt og ikke forny det.",
        "kanseller ordre {n}",
        "Jeg har ombestemt meg, avbestill {o} med en gang.",
    ],
    "refund_return": [
        "Jeg vil returnere {p}, den passer ikke.",
        "Hvordan får jeg pengene tilbake for {o}?",
        "Jeg sendte {p} i retur for to uker siden og har fortsatt ikke fått pengene.",
        "Kan jeg bytte {p} til en større størrelse?",
        "Vennligst refunder {a}, varen var defekt.",
        "Jeg vil gjerne ha en returlapp til {o}.",
        "{p} kom ødelagt, jeg vil ha pengene tilbake.",
        "hvor blir refusjonen min av",
        "Jeg har returnert pakken, men tilbakebetalingen på {a} mangler fortsatt.",
    ],
    "billing": [
        "Jeg har blitt trukket to ganger for {o}.",
        "Fakturaen min viser {a}, men jeg bestilte bare én {p}.",
        "Hvorfor er det trukket {a} fra kortet mitt denne måneden?",
        "Kan dere sende meg en kopi av fakturaen for {o}?",
        "Betalingen feilet, men pengene er trukket fra kontoen min.",
        "Det står feil organisasjonsnummer på fakturaen min.",
        "Jeg kjenner ikke igjen en belastning på {a} på kontoutskriften.",
        "dobbelt trukket igjen",
        "Vennligst rett betalingsopplysningene på den siste regningen min.",
    ],
    "complaint": [
        "Jeg er svært misfornøyd med servicen jeg har fått.",
        "Sjåføren deres var utrolig frekk mot meg.",
        "Dette er tredje gang leveringen er forsinket, det er helt uakseptabelt.",
        "Kvaliteten på {p} er elendig, jeg forventet mye bedre.",
        "Ingen tar telefonen og ingen svarer på e-postene mine.",
        "Jeg vil klage på måten jeg ble behandlet på i butikken deres.",
        "Den dårligste kundeopplevelsen jeg noen gang har hatt.",
        "elendig service, veldig skuffet",
        "Personalet var lite hjelpsomme, og jeg ventet en time i telefonkø.",
    ],
    "technical_support": [
        "Jeg får ikke logget inn i appen, den sier feil 500.",
        "Nettsiden krasjer når jeg prøver å betale.",
        "{p} vil ikke slå seg på etter siste oppdatering.",
        "Jeg har aldri fått e-posten for å tilbakestille passordet.",
        "Appen fryser hver gang jeg åpner bestillingene mine.",
        "Bluetooth-tilkoblingen til {p} faller ut hele tiden.",
        "Kassen på nettsiden viser bare en hvit skjerm på telefonen min.",
        "appen virker ikke",
        "Jeg får en feilmelding når jeg prøver å koble til enheten.",
    ],
    "account_update": [
        "Vennligst oppdater e-postadressen min til den nye nedenfor.",
        "Jeg vil endre telefonnummeret på kontoen min.",
        "Hvordan sletter jeg kontoen min og alle dataene mine?",
        "Vennligst endre navnet mitt på kontoen, jeg har giftet meg.",
        "Kan dere oppdatere standardadressen i profilen min?",
        "Meld meg av nyhetsbrevet deres.",
        "Jeg må bytte passord på kundekontoen min.",
        "oppdater telefonnummeret mitt takk",
        "Kan dere slå sammen mine to kundekontoer til én?",
    ],
    "product_inquiry": [
        "Har dere {p} på lager i blått?",
        "Hva er målene på {p}?",
        "Er {p} vanntett?",
        "Når kommer {p} på lager igjen?",
        "Er det garanti på {p}?",
        "Hvilken størrelse anbefaler dere for en som er 180 cm?",
        "Kan {p} brukes utendørs?",
        "selger dere gavekort",
        "Hva koster den store {p}?",
    ],
    "other": [
        "Tusen takk for hjelpen i går!",
        "Har dere noen ledige stillinger på lageret?",
        "Jeg ville bare si at teamet deres gjorde en kjempejobb.",
        "Hvem er dette? Jeg fikk en melding fra dette nummeret.",
        "Vi vil gjerne foreslå et samarbeid med bedriften deres.",
        "God jul til hele gjengen!",
        "Har dere åpent på søndag?",
        "takk",
        "Vennligst send dette videre til markedsavdelingen.",
    ],
}
SUBJECTS = {
    "order_status": ["Hvor er ordren min?", "Leveringsstatus", "Ordre {o}"],
    "order_change": ["Endring av ordre", "Ny leveringsadresse"],
    "cancellation": ["Kansellering", "Oppsigelse"],
    "refund_return": ["Retur", "Refusjon"],
    "billing": ["Spørsmål om faktura", "Dobbel betaling"],
    "complaint": ["Klage", "Svært misfornøyd"],
    "technical_support": ["Problem med appen", "Får ikke logget inn"],
    "account_update": ["Oppdater kontoen min", "Ny e-post"],
    "product_inquiry": ["Spørsmål om produkt", "Lagerstatus"],
    "other": ["Hei", "Takk"],
}
URGENT = [
    "{p} begynte å ryke og tok fyr!",
    "Barnet mitt ble skadet, dette er farlig.",
    "Det lukter gass etter at montøren deres var her.",
]
HIGH = [
    "Det haster, jeg trenger det i dag.",
    "Haster, svar så fort som mulig.",
    "Hvis dette ikke blir løst, kontakter jeg advokaten min.",
    "Jeg klager til Forbrukerrådet.",
    "Ellers legger jeg det ut på Facebook.",
]
LOW = ["Det haster ikke, svar når dere har tid.", "Ingen hast."]
ANGRY = ["Dette er latterlig!", "Jeg er rasende.", "Fullstendig uakseptabelt!!"]
# Extra phrasings (written later, generated into messages_more.jsonl; the split is by group as above).
MORE_INTENTS = {
    "order_status": [
        "Pakken min har fortsatt ikke kommet, når kan jeg regne med den?",
        "ingenting mottatt ennå",
        "Forventet leveringsdato har passert, og {p} mangler fortsatt.",
    ],
    "order_change": [
        "Jeg skrev feil adresse, kan dere rette den?",
        "endre adresse på ordre {n}",
        "Kan dere levere på jobben min i stedet for hjemme?",
    ],
    "cancellation": [
        "Jeg vil ikke ha den likevel, vennligst kanseller ordren.",
        "kanseller takk",
        "Skru av automatisk fornyelse og avslutt abonnementet mitt.",
    ],
    "refund_return": [
        "Jeg liker ikke varen og vil sende den tilbake.",
        "fortsatt ingen refusjon",
        "{p} kom skadet frem, jeg vil ha den byttet eller pengene tilbake.",
    ],
    "billing": [
        "Kortet mitt ble belastet to ganger for det samme kjøpet.",
        "finner ikke fakturaen min",
        "Hvorfor har jeg betalt renter på delbetalingen?",
    ],
    "complaint": [
        "Jeg er veldig skuffet over behandlingen jeg har fått.",
        "elendig service",
        "Selgeren deres løy til meg, og jeg er rasende.",
    ],
    "technical_support": [
        "Knappen legg i handlekurv reagerer ikke i appen.",
        "nettsiden laster ikke",
        "Jeg får ikke bekreftelseskoden på sms.",
    ],
    "account_update": [
        "Jeg vil endre e-postadressen på kontoen min.",
        "slett kontoen min",
        "Fødselsdatoen i profilen min er feil, kan dere rette den?",
    ],
    "product_inquiry": [
        "Hvilke farger finnes {p} i?",
        "er den fortsatt på lager",
        "Selger dere reservedeler til {p}?",
    ],
    "other": [
        "Kan dere gi meg adressen til butikken deres?",
        "ok takk",
        "Vi er leverandør og vil gjerne samarbeide med dere, hvem bør jeg snakke med?",
    ],
}
