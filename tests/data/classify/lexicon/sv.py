"""Swedish phrase lexicon for the synthetic classifier data set."""

LANG = "sv"
SEP = " "
GREET = ["Hej,", "Hej hej,", "Bästa kundtjänst,", "God morgon,", "Hejsan,", "Hallå,"]
CLOSE = ["Tack på förhand.", "Med vänliga hälsningar", "Vänliga hälsningar", "Mvh", "Tack för hjälpen.", "Hälsningar"]
NAMES = ["Anna Svensson", "Erik Johansson", "Lisa", "Johan Lindberg", "Karin Nilsson"]
SIGN = [
    "Skickat från min iPhone",
    "--\n{name}\nDrottninggatan 12, 111 51 Stockholm\nTel. +46 70 123 45 67",
    "{name}\nMobil: 070-123 45 67",
]
QUOTE_HEAD = [
    "Den mån 3 juni 2024 kl. 10:12 skrev Kundtjänst <support@shop.example>:",
    "-----Ursprungligt meddelande-----\nFrån: Kundtjänst <support@shop.example>\nSkickat: den 14 maj 2024 09:02",
]
QUOTE_BODY = [
    "Tack för att du kontaktade oss. Vi återkommer inom 48 timmar.",
    "Ditt ärendenummer är 88412. Svara på detta mejl om du har fler frågor.",
    "Vi ber om ursäkt för besväret och undersöker saken.",
]
PRODUCTS = ["jacka", "soffa", "kaffebryggare", "löparskor", "lampa", "mixer", "ryggsäck", "cykel"]
ORDER_REF = ["order {n}", "ordernummer {n}", "beställning {n}", "beställningsnr {n}", "#{n}"]
AMOUNT = ["{n} kr", "{n} SEK", "SEK {n}", "{n}:-", "{n},00 kr"]
INTENTS = {
    "order_status": [
        "Var är mitt paket? Jag har fortfarande inte fått det.",
        "När levereras {o}?",
        "Spårningen för {o} har inte uppdaterats på fem dagar.",
        "Jag beställde en {p} förra veckan och har inte hört något sedan dess. Vad är status?",
        "Har min {p} skickats än?",
        "Paketet skulle komma igår men det kom aldrig. Vad händer med {o}?",
        "Det står att paketet är levererat men jag har inte fått något.",
        "när kommer min beställning",
        "Kan ni berätta hur långt {o} har kommit?",
    ],
    "order_change": [
        "Jag behöver ändra leveransadressen för {o}.",
        "Kan jag lägga till en {p} till i {o} innan den skickas?",
        "Kan ni ändra storleken på min {p} från M till L?",
        "Jag vill byta färg på {p} i {o} till svart.",
        "Kan ni leverera {o} nästa fredag istället?",
        "Jag gjorde fel i min beställning, kan jag byta {p} mot en annan modell innan den skickas?",
        "Var snäll och ändra leveransadressen för {o} till Storgatan 5.",
        "kan jag ändra min beställning till expressleverans",
        "Jag vill ta bort en vara från {o}, resten är bra.",
    ],
    "cancellation": [
        "Var vänlig avbryt {o}.",
        "Jag vill säga upp mitt abonnemang.",
        "Jag behöver inte {p} längre, avbeställ ordern innan den skickas.",
        "Hur avslutar jag mitt medlemskap?",
        "Avbeställ min order, jag beställde av misstag.",
        "Jag vill säga upp mitt avtal till slutet av månaden.",
        "Stoppa min prenumeration och förnya den inte.",
        "avbryt order {n}",
        "Jag har ångrat mig, makulera {o} direkt.",
    ],
    "refund_return": [
        "Jag vill returnera {p}, den passar inte.",
        "Hur får jag pengarna tillbaka för {o}?",
        "Jag skickade tillbaka {p} för två veckor sedan och har fortfarande inte fått mina pengar.",
        "Kan jag byta {p} mot en större storlek?",
        "Var vänlig återbetala {a}, varan var trasig.",
        "Jag vill ha en retursedel för {o}.",
        "Min {p} kom trasig, jag vill ha pengarna tillbaka.",
        "var är min återbetalning",
        "Jag har returnerat paketet men återbetalningen på {a} saknas fortfarande.",
    ],
    "billing": [
        "Jag har blivit debiterad två gånger för {o}.",
        "Min faktura visar {a} men jag beställde bara en {p}.",
        "Varför har mitt kort debiterats {a} den här månaden?",
        "Kan ni skicka en kopia av fakturan för {o}?",
        "Betalningen misslyckades men pengarna drogs från mitt konto.",
        "Det står fel organisationsnummer på min faktura.",
        "Jag känner inte igen en dragning på {a} på mitt kontoutdrag.",
        "dubbeldebiterad igen",
        "Var snäll och uppdatera betalningsuppgifterna på min senaste räkning.",
    ],
    "complaint": [
        "Jag är mycket missnöjd med servicen jag har fått.",
        "Er chaufför var otroligt otrevlig mot mig.",
        "Det är tredje gången min leverans är försenad, det är helt oacceptabelt.",
        "Kvaliteten på {p} är usel, jag förväntade mig mycket bättre.",
        "Ingen svarar i telefon och ingen svarar på mina mejl.",
        "Jag vill lämna ett klagomål på hur jag blev bemött i er butik.",
        "Den sämsta kundupplevelsen jag någonsin haft.",
        "usel service, riktigt besviken",
        "Er personal var ohjälpsam och jag väntade en timme i telefonkö.",
    ],
    "technical_support": [
        "Jag kan inte logga in i appen, det står fel 500.",
        "Webbplatsen kraschar när jag försöker betala.",
        "Min {p} startar inte efter den senaste uppdateringen.",
        "Jag har aldrig fått mejlet för att återställa lösenordet.",
        "Appen fryser varje gång jag öppnar mina beställningar.",
        "Bluetooth-anslutningen till min {p} bryts hela tiden.",
        "Kassan på er sida visar bara en vit skärm i min mobil.",
        "appen funkar inte",
        "Jag får ett felmeddelande när jag försöker parkoppla enheten.",
    ],
    "account_update": [
        "Var vänlig uppdatera min e-postadress till den nya nedan.",
        "Jag vill ändra telefonnumret på mitt konto.",
        "Hur raderar jag mitt konto och alla mina uppgifter?",
        "Var snäll och ändra mitt namn på kontot, jag har gift mig.",
        "Kan ni uppdatera min standardadress i min profil?",
        "Avregistrera mig från ert nyhetsbrev.",
        "Jag behöver byta lösenord på mitt kundkonto.",
        "uppdatera mitt telefonnummer tack",
        "Kan ni slå ihop mina två kundkonton till ett?",
    ],
    "product_inquiry": [
        "Har ni {p} i lager i blått?",
        "Vilka mått har {p}?",
        "Är {p} vattentät?",
        "När kommer {p} tillbaka i lager?",
        "Har {p} garanti?",
        "Vilken storlek rekommenderar ni för någon som är 180 cm lång?",
        "Kan {p} användas utomhus?",
        "säljer ni presentkort",
        "Vad kostar den stora {p}?",
    ],
    "other": [
        "Tusen tack för hjälpen igår!",
        "Har ni några lediga jobb på lagret?",
        "Jag ville bara säga att ert team gjorde ett toppenjobb.",
        "Vem är det här? Jag fick ett sms från det här numret.",
        "Vi vill föreslå ett samarbete med ert företag.",
        "God jul till hela gänget!",
        "Har ni öppet på söndag?",
        "tack",
        "Var vänlig vidarebefordra detta till er marknadsavdelning.",
    ],
}
SUBJECTS = {
    "order_status": ["Var är min order?", "Leveransstatus", "Order {o}"],
    "order_change": ["Ändring av order", "Ny leveransadress"],
    "cancellation": ["Avbeställning", "Uppsägning"],
    "refund_return": ["Retur", "Återbetalning"],
    "billing": ["Fråga om faktura", "Dubbel debitering"],
    "complaint": ["Klagomål", "Mycket missnöjd"],
    "technical_support": ["Problem med appen", "Kan inte logga in"],
    "account_update": ["Uppdatera mitt konto", "Ny e-post"],
    "product_inquiry": ["Fråga om produkt", "Lagerstatus"],
    "other": ["Hej", "Tack"],
}
URGENT = [
    "{p} började ryka och fattade eld!",
    "Mitt barn skadade sig, det här är farligt.",
    "Det luktar gas sedan er tekniker var här.",
]
HIGH = [
    "Det är brådskande, jag behöver det idag.",
    "Brådskande, svara så snart som möjligt.",
    "Om detta inte löses kontaktar jag min advokat.",
    "Jag anmäler er till Konsumentverket.",
    "Annars skriver jag om det på Facebook.",
]
LOW = ["Ingen brådska, svara när ni har tid.", "Det är inte bråttom."]
ANGRY = ["Det här är löjligt!", "Jag är rasande.", "Helt oacceptabelt!!"]
# Extra phrasings (written later, generated into messages_more.jsonl; the split is by group as above).
MORE_INTENTS = {
    "order_status": [
        "Mitt paket har fortfarande inte kommit, när kan jag räkna med det?",
        "inget har kommit än",
        "Det beräknade leveransdatumet har passerat och {p} saknas fortfarande.",
    ],
    "order_change": [
        "Jag skrev fel adress, kan ni rätta den?",
        "ändra adress på order {n}",
        "Kan ni leverera till mitt jobb i stället för hem?",
    ],
    "cancellation": [
        "Jag vill inte ha den längre, vänligen makulera ordern.",
        "avbryt tack",
        "Stäng av automatisk förnyelse och avsluta mitt abonnemang.",
    ],
    "refund_return": [
        "Jag gillar inte varan och vill skicka tillbaka den.",
        "fortfarande ingen återbetalning",
        "{p} kom fram skadad, jag vill byta den eller få pengarna tillbaka.",
    ],
    "billing": [
        "Mitt kort drogs två gånger för samma köp.",
        "hittar inte min faktura",
        "Varför har jag betalat ränta på delbetalningen?",
    ],
    "complaint": [
        "Jag är verkligen besviken på hur jag har blivit behandlad.",
        "usel service",
        "Er säljare ljög för mig och jag är rasande.",
    ],
    "technical_support": [
        "Knappen lägg i varukorgen reagerar inte i appen.",
        "hemsidan laddar inte",
        "Jag får inte verifieringskoden via sms.",
    ],
    "account_update": [
        "Jag vill ändra e-postadressen på mitt konto.",
        "radera mitt konto",
        "Mitt födelsedatum i profilen är fel, kan ni rätta det?",
    ],
    "product_inquiry": [
        "Vilka färger finns {p} i?",
        "finns den i lager fortfarande",
        "Säljer ni reservdelar till {p}?",
    ],
    "other": [
        "Kan ni ge mig adressen till er butik?",
        "ok tack",
        "Vi är leverantör och vill gärna samarbeta med er, vem ska jag prata med?",
    ],
}
