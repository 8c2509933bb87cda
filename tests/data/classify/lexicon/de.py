"""German phrase lexicon for the synthetic classifier data set."""

LANG = "de"
SEP = " "
GREET = ["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Liebes Kundenservice-Team,", "Hi,", "Moin,"]
CLOSE = [
    "Vielen Dank im Voraus.",
    "Mit freundlichen Grüßen",
    "Viele Grüße",
    "MfG",
    "Danke für Ihre Hilfe.",
    "Beste Grüße",
]
NAMES = ["Thomas Müller", "Anna Schmidt", "Jürgen", "Katrin Weber", "Stefan Fischer"]
SIGN = [
    "Von meinem iPhone gesendet",
    "--\n{name}\nHauptstraße 12, 10115 Berlin\nTel.: +49 30 1234567",
    "{name}\nMobil: 0171 2345678",
]
QUOTE_HEAD = [
    "Am Mo., 3. Juni 2024 um 10:12 Uhr schrieb Kundenservice <support@shop.example>:",
    "-----Ursprüngliche Nachricht-----\nVon: Kundenservice <support@shop.example>\nGesendet: Dienstag, 14. Mai 2024 09:02",  # noqa: E501
]
QUOTE_BODY = [
    "Vielen Dank für Ihre Nachricht. Wir melden uns innerhalb von 48 Stunden.",
    "Ihre Vorgangsnummer lautet 88412. Antworten Sie einfach auf diese E-Mail, wenn Sie weitere Fragen haben.",
    "Wir entschuldigen uns für die Unannehmlichkeiten und prüfen den Fall.",
]
PRODUCTS = ["Jacke", "Sofa", "Kaffeemaschine", "Laufschuhe", "Lampe", "Mixer", "Rucksack", "Fahrrad"]
ORDER_REF = ["Bestellung {n}", "Bestellnummer {n}", "Bestellung Nr. {n}", "Auftrag {n}", "#{n}"]
AMOUNT = ["{n} €", "{n},50 €", "EUR {n}", "€{n}", "{n} Euro"]
INTENTS = {
    "order_status": [
        "Wo ist mein Paket? Ich habe es immer noch nicht bekommen.",
        "Wann wird {o} geliefert?",
        "Die Sendungsverfolgung für {o} hat sich seit fünf Tagen nicht bewegt.",
        "Ich habe letzte Woche eine {p} bestellt und seitdem nichts gehört. Wie ist der Stand?",
        "Wurde meine {p} schon verschickt?",
        "Das Paket sollte gestern kommen, ist aber nie angekommen. Was ist mit {o}?",
        "Laut Tracking wurde zugestellt, aber ich habe kein Paket erhalten.",
        "wann kommt meine bestellung",
        "Können Sie mir sagen, wo sich {o} gerade befindet?",
    ],
    "order_change": [
        "Ich muss die Lieferadresse für {o} ändern.",
        "Kann ich noch eine {p} zu {o} hinzufügen, bevor sie versendet wird?",
        "Bitte ändern Sie die Größe meiner {p} von M auf L.",
        "Ich möchte die Farbe der {p} in {o} auf Schwarz ändern.",
        "Können Sie {o} stattdessen nächsten Freitag liefern?",
        "Ich habe mich bei der Bestellung vertan, kann ich die {p} gegen ein anderes Modell tauschen, bevor sie rausgeht?",  # noqa: E501
        "Bitte ändern Sie die Lieferanschrift von {o} auf Gartenweg 5.",
        "kann ich meine bestellung auf expressversand umstellen",
        "Ich möchte einen Artikel aus {o} entfernen, der Rest passt.",
    ],
    "cancellation": [
        "Bitte stornieren Sie {o}.",
        "Ich möchte mein Abo kündigen.",
        "Ich brauche die {p} doch nicht, bitte stornieren Sie die Bestellung vor dem Versand.",
        "Wie kann ich meine Mitgliedschaft kündigen?",
        "Bitte meine Bestellung stornieren, ich habe aus Versehen bestellt.",
        "Hiermit kündige ich meinen Vertrag zum Monatsende.",
        "Bitte beenden Sie mein Abonnement und verlängern Sie es nicht.",
        "bestellung {n} stornieren",
        "Ich habe es mir anders überlegt, bitte {o} sofort stornieren.",
    ],
    "refund_return": [
        "Ich möchte die {p} zurückschicken, sie passt nicht.",
        "Wie bekomme ich mein Geld für {o} zurück?",
        "Ich habe die {p} vor zwei Wochen zurückgeschickt und noch immer keine Erstattung erhalten.",
        "Kann ich die {p} gegen eine größere Größe umtauschen?",
        "Bitte erstatten Sie {a}, der Artikel war defekt.",
        "Ich hätte gern ein Retourenetikett für {o}.",
        "Die {p} kam kaputt an, ich will mein Geld zurück.",
        "wo bleibt meine rückerstattung",
        "Ich habe das Paket retourniert, aber die Gutschrift über {a} fehlt noch.",
    ],
    "billing": [
        "Mir wurde {o} doppelt abgebucht.",
        "Meine Rechnung zeigt {a}, aber ich habe nur eine {p} bestellt.",
        "Warum wurden diesen Monat {a} von meiner Karte abgebucht?",
        "Können Sie mir eine Kopie der Rechnung für {o} schicken?",
        "Die Zahlung ist fehlgeschlagen, aber das Geld wurde abgebucht.",
        "Auf meiner Rechnung steht eine falsche USt-IdNr.",
        "Ich erkenne eine Abbuchung über {a} auf meinem Kontoauszug nicht.",
        "schon wieder doppelt abgebucht",
        "Bitte korrigieren Sie die Rechnungsadresse auf meiner letzten Rechnung.",
    ],
    "complaint": [
        "Ich bin sehr unzufrieden mit Ihrem Service.",
        "Ihr Fahrer war extrem unhöflich zu mir.",
        "Das ist schon das dritte Mal, dass meine Lieferung zu spät kommt, das ist inakzeptabel.",
        "Die Qualität der {p} ist miserabel, ich hatte viel mehr erwartet.",
        "Niemand geht ans Telefon und niemand beantwortet meine E-Mails.",
        "Ich möchte mich offiziell über die Behandlung in Ihrer Filiale beschweren.",
        "Das schlechteste Kundenerlebnis, das ich je hatte.",
        "mieser service, echt enttäuscht",
        "Ihre Mitarbeiter waren nicht hilfsbereit und ich hing eine Stunde in der Warteschleife.",
    ],
    "technical_support": [
        "Ich kann mich nicht in der App anmelden, es kommt Fehler 500.",
        "Die Webseite stürzt ab, wenn ich bezahlen will.",
        "Meine {p} lässt sich nach dem letzten Update nicht mehr einschalten.",
        "Ich habe die E-Mail zum Zurücksetzen des Passworts nie bekommen.",
        "Die App friert jedes Mal ein, wenn ich meine Bestellungen öffne.",
        "Die Bluetooth-Verbindung zu meiner {p} bricht ständig ab.",
        "Der Checkout zeigt auf meinem Handy nur eine weiße Seite.",
        "app funktioniert nicht",
        "Ich bekomme eine Fehlermeldung, wenn ich das Gerät koppeln will.",
    ],
    "account_update": [
        "Bitte ändern Sie meine E-Mail-Adresse auf die neue unten.",
        "Ich möchte die Telefonnummer in meinem Kundenkonto ändern.",
        "Wie lösche ich mein Konto und alle meine Daten?",
        "Bitte ändern Sie meinen Namen im Konto, ich habe geheiratet.",
        "Können Sie meine Standardadresse im Profil aktualisieren?",
        "Bitte melden Sie mich vom Newsletter ab.",
        "Ich muss das Passwort für mein Kundenkonto ändern.",
        "bitte meine handynummer aktualisieren",
        "Können Sie meine zwei Kundenkonten zusammenführen?",
    ],
    "product_inquiry": [
        "Haben Sie die {p} in Blau auf Lager?",
        "Welche Maße hat die {p}?",
        "Ist die {p} wasserdicht?",
        "Wann ist die {p} wieder verfügbar?",
        "Gibt es auf die {p} eine Garantie?",
        "Welche Größe empfehlen Sie bei 180 cm Körpergröße?",
        "Kann man die {p} auch draußen benutzen?",
        "verkauft ihr gutscheine",
        "Was kostet die große {p}?",
    ],
    "other": [
        "Vielen Dank für Ihre Hilfe gestern!",
        "Haben Sie offene Stellen im Lager?",
        "Ich wollte nur sagen, dass Ihr Team super Arbeit geleistet hat.",
        "Wer ist da? Ich habe eine SMS von dieser Nummer bekommen.",
        "Wir möchten Ihnen eine Partnerschaft vorschlagen.",
        "Frohe Weihnachten an das ganze Team!",
        "Haben Sie am Sonntag geöffnet?",
        "danke",
        "Bitte leiten Sie das an Ihre Marketingabteilung weiter.",
    ],
}
SUBJECTS = {
    "order_status": ["Wo ist meine Bestellung?", "Lieferstatus", "Bestellung {o}"],
    "order_change": ["Änderung meiner Bestellung", "Neue Lieferadresse"],
    "cancellation": ["Stornierung", "Kündigung"],
    "refund_return": ["Rücksendung", "Rückerstattung"],
    "billing": ["Frage zur Rechnung", "Doppelte Abbuchung"],
    "complaint": ["Beschwerde", "Sehr unzufrieden"],
    "technical_support": ["Problem mit der App", "Login funktioniert nicht"],
    "account_update": ["Konto aktualisieren", "Neue E-Mail"],
    "product_inquiry": ["Frage zu einem Produkt", "Verfügbarkeit"],
    "other": ["Hallo", "Danke"],
}
URGENT = [
    "Die {p} hat angefangen zu qualmen und hat Feuer gefangen!",
    "Mein Kind hat sich verletzt, das ist gefährlich.",
    "Es riecht nach Gas, seit Ihr Techniker hier war.",
]
HIGH = [
    "Es ist dringend, ich brauche es heute.",
    "Dringend, bitte antworten Sie schnellstmöglich.",
    "Wenn das nicht gelöst wird, schalte ich meinen Anwalt ein.",
    "Ich wende mich an die Verbraucherzentrale.",
    "Sonst poste ich das auf Facebook.",
]
LOW = ["Keine Eile, antworten Sie, wenn Sie Zeit haben.", "Es ist nicht dringend."]
ANGRY = ["Das ist eine Frechheit!", "Ich bin stinksauer.", "Absolut inakzeptabel!!"]
