"""Compose messages_written.jsonl from the hand-written messages in written/<lang>.txt.

Run: python tests/data/classify/compose.py  (deterministic: one seed per message).
Unlike generate.py, nothing here fills slots in template sentences: every message is a whole text a
person wrote in that language (written/<lang>*.txt, one per line under "= <intent>"; "!!" urgent, "!" high,
"~" low; a literal "\\n" inside a line breaks it, for letters laid out over several lines). This script
only puts it into the shape each channel gives it: an email with or without a greeting, closing,
signature block, legal footer and quoted history of an unrelated earlier thread; a hurried SMS (lower
case, no accents, typos); chat split into fragments; a fax with letterhead and OCR errors.
The group of a message is "written<batch>/<intent>/<index>" (batch: the file name after the language,
"" or "_2"), the same for its translations, so the training command's held-back split keeps
every rendering and every translation of a held-back message out of training.
"""

from __future__ import annotations

import json
import random
import unicodedata
import zlib
from pathlib import Path

HERE = Path(__file__).parent
LANGS = ("en", "da", "nb", "sv", "de", "fr", "es", "zh", "tl", "tr")
URGENCY_MARKS = (("!!", "urgent"), ("!", "high"), ("~", "low"))
# A rendering's name and the channel it is labelled with: a fax twice, once badly scanned.
RENDERINGS = (("email", "email"), ("sms", "sms"), ("chat", "chat"), ("fax", "fax"), ("fax_poor", "fax"))

GREETINGS = {
    "en": ["Hi,", "Hello,", "Dear Sir or Madam,", "Hi there,", "Good morning,", "Dear customer service team,", "Hey"],
    "da": ["Hej,", "Hej med jer,", "Kære kundeservice,", "Goddag,", "Hejsa", "Til rette vedkommende,"],
    "nb": ["Hei,", "Hei dere,", "Kjære kundeservice,", "God dag,", "Hallo", "Til den det gjelder,"],
    "sv": ["Hej,", "Hej hej,", "Bästa kundtjänst,", "God dag,", "Hallå", "Till berörd person,"],
    "de": [
        "Hallo,",
        "Guten Tag,",
        "Sehr geehrte Damen und Herren,",
        "Liebes Service-Team,",
        "Moin,",
        "Hallo zusammen,",
    ],
    "fr": ["Bonjour,", "Madame, Monsieur,", "Bonjour à vous,", "Bonsoir,", "Chère équipe,", "Salut,"],
    "es": ["Hola,", "Buenos días,", "Estimados señores:", "Buenas tardes,", "Hola equipo,", "A quien corresponda:"],
    "zh": ["您好，", "你好，", "客服你好：", "尊敬的客服：", "亲，", "在吗？"],
    "tl": ["Hello po,", "Good day po,", "Hi po,", "Magandang araw po,", "Dear Customer Service,", "Hello,"],
    "tr": ["Merhaba,", "İyi günler,", "Sayın yetkili,", "Merhabalar,", "Selam,", "Değerli müşteri hizmetleri,"],
}
CLOSINGS = {
    "en": ["Thanks,", "Kind regards,", "Best,", "Cheers", "Regards,", "Thank you in advance,", "Many thanks"],
    "da": ["Mvh.", "Venlig hilsen", "Med venlig hilsen", "Tak på forhånd", "Hilsen", "Bedste hilsner"],
    "nb": ["Mvh", "Vennlig hilsen", "Med vennlig hilsen", "Takk på forhånd", "Hilsen", "Beste hilsen"],
    "sv": ["Mvh", "Vänliga hälsningar", "Med vänlig hälsning", "Tack på förhand", "Hälsningar", "Allt gott"],
    "de": ["Viele Grüße", "Mit freundlichen Grüßen", "Beste Grüße", "Danke im Voraus", "LG", "Gruß"],
    "fr": ["Cordialement,", "Bien à vous,", "Merci d'avance,", "Bonne journée,", "Salutations distinguées,", "Merci"],
    "es": ["Saludos,", "Un saludo,", "Atentamente,", "Gracias de antemano,", "Muchas gracias", "Un abrazo"],
    "zh": ["谢谢！", "此致", "辛苦了，谢谢", "祝好", "麻烦了", "期待回复"],
    "tl": ["Salamat po,", "Maraming salamat po,", "Regards,", "Salamat,", "God bless po", "Thank you po"],
    "tr": ["Saygılarımla,", "Teşekkürler,", "İyi çalışmalar,", "Kolay gelsin", "Şimdiden teşekkürler", "Sevgiler"],
}
NAMES = {
    "en": ["Sarah", "James O'Connor", "Priya Patel", "Tom", "Emily Clarke", "Mike R."],
    "da": ["Mette", "Lars Nielsen", "Freja Holm", "Kasper", "Birgitte Lund", "Jens P."],
    "nb": ["Kari", "Ola Hansen", "Ingrid Berg", "Magnus", "Sigrid Lie", "Per O."],
    "sv": ["Anna", "Erik Lindqvist", "Maja Berg", "Johan", "Elin Nyström", "Lasse K."],
    "de": ["Anna", "Jürgen Weber", "Katrin Schulz", "Felix", "Sabine Krüger", "M. Becker"],
    "fr": ["Claire", "Julien Moreau", "Camille Durand", "Hugo", "Nathalie Petit", "P. Lefèvre"],
    "es": ["Lucía", "Javier Martín", "Carmen Ruiz", "Pablo", "Marta Gómez", "J. López"],
    "zh": ["王丽", "李明", "张伟", "小陈", "刘洋", "赵女士"],
    "tl": ["Maricel", "Jose Reyes", "Angelica Cruz", "Paolo", "Rowena Santos", "J. Dela Cruz"],
    "tr": ["Elif", "Mehmet Kaya", "Zeynep Demir", "Burak", "Ayşe Çelik", "H. Şahin"],
}
SIGNATURES = {
    "en": [
        "Sent from my iPhone",
        "{name}\nMarketing Manager | Brightline Ltd\nT: +44 20 7946 0321",
        "Get Outlook for Android",
    ],
    "da": ["Sendt fra min iPhone", "{name}\nIndkøber, Nordlys ApS\nTlf. +45 33 12 45 67", "Hent Outlook til Android"],
    "nb": ["Sendt fra min iPhone", "{name}\nDaglig leder, Fjordlys AS\nTlf. +47 22 33 44 55", "Hent Outlook for iOS"],
    "sv": [
        "Skickat från min iPhone",
        "{name}\nInköpare, Skärgård AB\nTel. +46 8 123 456 78",
        "Hämta Outlook för Android",
    ],
    "de": [
        "Von meinem iPhone gesendet",
        "{name}\nEinkauf | Weber GmbH\nTel. +49 30 1234567",
        "Gesendet von Outlook für Android",
    ],
    "fr": [
        "Envoyé de mon iPhone",
        "{name}\nResponsable achats – Atelier Lumière SARL\nTél. +33 1 23 45 67 89",
        "Obtenir Outlook pour Android",
    ],
    "es": [
        "Enviado desde mi iPhone",
        "{name}\nCompras · Luz del Sur S.L.\nTel. +34 912 345 678",
        "Obtener Outlook para Android",
    ],
    "zh": ["发自我的iPhone", "{name}\n采购部 | 星光贸易有限公司\n电话：+86 21 6123 4567", "发自我的华为手机"],
    "tl": [
        "Sent from my iPhone",
        "{name}\nPurchasing | Bituin Trading Inc.\nTel. +63 2 8123 4567",
        "Ipinadala mula sa aking Samsung",
    ],
    "tr": [
        "iPhone'umdan gönderildi",
        "{name}\nSatın Alma | Yıldız Ticaret A.Ş.\nTel. +90 212 123 45 67",
        "Android için Outlook'u edinin",
    ],
}
QUOTED = {
    "en": (
        "On Tue, 4 Jun 2024 at 09:12, Customer Service <support@shop.example> wrote:\n"
        "> Thank you for contacting us. Your invoice is attached.\n"
        "> Kind regards, the Support Team"
    ),
    "da": (
        "Den tir. 4. jun. 2024 kl. 09.12 skrev Kundeservice <support@shop.example>:\n"
        "> Tak for din henvendelse. Din faktura er vedhæftet.\n"
        "> Venlig hilsen Kundeservice"
    ),
    "nb": (
        "tir. 4. jun. 2024 kl. 09:12 skrev Kundeservice <support@shop.example>:\n"
        "> Takk for henvendelsen. Fakturaen ligger vedlagt.\n"
        "> Vennlig hilsen Kundeservice"
    ),
    "sv": (
        "Den tis 4 juni 2024 kl 09:12 skrev Kundtjänst <support@shop.example>:\n"
        "> Tack för ditt meddelande. Din faktura bifogas.\n"
        "> Vänliga hälsningar Kundtjänst"
    ),
    "de": (
        "Am Di., 4. Juni 2024 um 09:12 schrieb Kundenservice <support@shop.example>:\n"
        "> Vielen Dank für Ihre Nachricht. Ihre Rechnung finden Sie im Anhang.\n"
        "> Ihr Service-Team"
    ),
    "fr": (
        "Le mar. 4 juin 2024 à 09:12, Service client <support@shop.example> a écrit :\n"
        "> Merci de nous avoir contactés. Votre facture est jointe.\n"
        "> Le service client"
    ),
    "es": (
        "El mar, 4 jun 2024 a las 09:12, Atención al cliente <support@shop.example> escribió:\n"
        "> Gracias por contactarnos. Adjuntamos su factura.\n"
        "> Atención al cliente"
    ),
    "zh": (
        "在 2024年6月4日 09:12，客服中心 <support@shop.example> 写道：\n"
        "> 感谢您的来信，发票已作为附件发送。\n"
        "> 客服中心"
    ),
    "tl": (
        "On Tue, 4 Jun 2024 at 09:12, Customer Service <support@shop.example> wrote:\n"
        "> Salamat po sa pag-contact sa amin. Naka-attach po ang invoice ninyo.\n"
        "> Customer Service Team"
    ),
    "tr": (
        "4 Haz 2024 Sal, 09:12 tarihinde Müşteri Hizmetleri <support@shop.example> şunu yazdı:\n"
        "> Bizimle iletişime geçtiğiniz için teşekkürler. Faturanız ektedir.\n"
        "> Müşteri Hizmetleri"
    ),
}
FOOTERS = {
    "en": "This e-mail and any attachments are confidential and intended solely for the addressee.",
    "de": "Diese E-Mail enthält vertrauliche Informationen und ist ausschließlich für den Empfänger bestimmt.",
    "fr": "Ce message et ses pièces jointes sont confidentiels et destinés exclusivement à leur destinataire.",
    "es": "Este mensaje y sus anexos son confidenciales y se dirigen exclusivamente a su destinatario.",
    "tr": "Bu e-posta ve ekleri gizlidir ve yalnızca alıcısına yöneliktir.",
}
LETTERHEAD = {
    "en": (
        "{company}\n"
        "12 High Street, Leeds LS1 4HT\n"
        "Tel 0113 496 0000  Fax 0113 496 0001\n"
        "FAX TO: Customer Service    Pages: 1"
    ),
    "da": "{company}\nVestergade 12, 8000 Aarhus\nTlf. 86 12 34 56  Fax 86 12 34 57\nTIL: Kundeservice    Sider: 1",
    "nb": "{company}\nStorgata 12, 0155 Oslo\nTlf. 22 12 34 56  Faks 22 12 34 57\nTIL: Kundeservice    Sider: 1",
    "sv": "{company}\nStorgatan 12, 111 51 Stockholm\nTel. 08-123 456  Fax 08-123 457\nTILL: Kundtjänst    Sidor: 1",
    "de": "{company}\nHauptstraße 12, 10115 Berlin\nTel. 030 123456  Fax 030 123457\nAN: Kundenservice    Seiten: 1",
    "fr": (
        "{company}\n"
        "12 rue de la République, 69002 Lyon\n"
        "Tél. 04 72 12 34 56  Fax 04 72 12 34 57\n"
        "À : Service client    Pages : 1"
    ),
    "es": (
        "{company}\n"
        "Calle Mayor 12, 28013 Madrid\n"
        "Tel. 912 345 678  Fax 912 345 679\n"
        "PARA: Atención al cliente    Páginas: 1"
    ),
    "zh": "{company}\n上海市南京西路12号\n电话 021-61234567  传真 021-61234568\n致：客服部    页数：1",
    "tl": (
        "{company}\n"
        "12 Ayala Ave., Makati City\n"
        "Tel. (02) 8123 4567  Fax (02) 8123 4568\n"
        "TO: Customer Service    Pages: 1"
    ),
    "tr": (
        "{company}\n"
        "Atatürk Cad. No:12, Kadıköy / İstanbul\n"
        "Tel. 0216 123 45 67  Faks 0216 123 45 68\n"
        "KİME: Müşteri Hizmetleri    Sayfa: 1"
    ),
}
COMPANIES = [
    "NORDIC SUPPLY",
    "Brightline Ltd",
    "Weber GmbH",
    "Atelier Lumière",
    "Luz del Sur S.L.",
    "星光贸易",
    "Yıldız A.Ş.",
]
OCR_SWAPS = {
    "o": "0",
    "l": "1",
    "i": "l",
    "e": "c",
    "a": "o",
    "s": "5",
    "m": "rn",
    "n": "ri",
    "g": "q",
    "t": "f",
    "h": "b",
}
KEY_NEIGHBOURS = {"a": "s", "e": "r", "i": "o", "o": "p", "n": "m", "r": "t", "s": "d", "t": "y", "u": "i", "l": "k"}


def read_written(path: Path) -> list[tuple[str, int, str, str]]:
    """(intent, index within the intent, text, urgency) for every hand-written message in one file."""
    out: list[tuple[str, int, str, str]] = []
    intent, index = "", 0
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("= "):
            intent, index = line[2:].strip(), 0
            continue
        urgency = "normal"
        for mark, level in URGENCY_MARKS:
            if line.startswith(mark + " "):
                urgency, line = level, line[len(mark) + 1 :]
                break
        out.append((intent, index, line.replace("\\n", "\n"), urgency))
        index += 1
    return out


def plain(text: str) -> str:
    """As typed without accents (Chinese unaffected)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("ø", "o").replace("æ", "ae"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def typos(rng: random.Random, text: str, rate: float) -> str:
    """Hurried typing: dropped, doubled and neighbouring letters."""
    out: list[str] = []
    for ch in text:
        r = rng.random()
        if r < rate / 3 and ch.isalpha():
            continue
        if r < 2 * rate / 3 and ch.isalpha():
            out.append(ch + ch)
        elif r < rate and ch in KEY_NEIGHBOURS:
            out.append(KEY_NEIGHBOURS[ch])
        else:
            out.append(ch)
    return "".join(out)


def ocr(rng: random.Random, text: str, lang: str, noise: float = 1.0) -> str:
    """Fax OCR errors: look-alike glyphs, dropped characters, split words (``noise`` scales the rates)."""
    out: list[str] = []
    for ch in text:
        r = rng.random() / noise
        if r < 0.02 and ch != "\n":
            continue
        if lang == "zh" and r < 0.05 and "\u4e00" <= ch <= "\u9fff":
            out.append("口")
        elif lang != "zh" and r < 0.08 and ch in OCR_SWAPS:
            out.append(OCR_SWAPS[ch])
        elif r < 0.1 and ch == " ":
            out.append("  ")
        else:
            out.append(ch)
    return "".join(out)


def email(rng: random.Random, lang: str, core: str) -> str:
    """The message as an email: optional greeting, closing, name, signature, footer and quoted thread."""
    name = rng.choice(NAMES[lang])
    parts = [rng.choice(GREETINGS[lang])] if rng.random() < 0.8 else []
    parts.append(core)
    if rng.random() < 0.85:
        parts.append(rng.choice(CLOSINGS[lang]) + "\n" + name)
    if rng.random() < 0.45:
        parts.append(rng.choice(SIGNATURES[lang]).format(name=name))
    if lang in FOOTERS and rng.random() < 0.15:
        parts.append(FOOTERS[lang])
    if rng.random() < 0.35:
        parts.append(QUOTED[lang])
    return "\n\n".join(parts)


def sms(rng: random.Random, lang: str, core: str) -> str:
    """The message as a hurried SMS."""
    text = core.lower() if rng.random() < 0.5 else core
    if rng.random() < 0.4:
        text = plain(text)
    if rng.random() < 0.5:
        text = typos(rng, text, 0.03)
    return text.rstrip(".。") if rng.random() < 0.5 else text


def chat(rng: random.Random, lang: str, core: str) -> str:
    """The message as chat: sometimes a greeting line first, sometimes split into fragments."""
    text = core if rng.random() < 0.6 else typos(rng, core.lower(), 0.02)
    if rng.random() < 0.4 and ("," in text or "，" in text):
        text = text.replace(", ", "\n", 1).replace("，", "\n", 1)
    if rng.random() < 0.35:
        text = rng.choice(GREETINGS[lang]).rstrip(",:，：") + "\n" + text
    return text


def fax(rng: random.Random, lang: str, core: str, noise: float = 1.0) -> str:
    """The message as an OCR'd fax: letterhead, greeting, text, closing and name, with OCR errors."""
    head = LETTERHEAD[lang].format(company=rng.choice(COMPANIES))
    date = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2024"
    body = "\n\n".join(
        [
            head + "\n" + date,
            rng.choice(GREETINGS[lang]),
            core,
            rng.choice(CLOSINGS[lang]) + "\n" + rng.choice(NAMES[lang]),
        ]
    )
    return ocr(rng, body, lang, noise)


def fax_poor(rng: random.Random, lang: str, core: str) -> str:
    """A badly scanned fax: twice the OCR errors."""
    return fax(rng, lang, core, noise=2.0)


def render(lang: str, batch: str, intent: str, index: int, core: str, urgency: str, rendering: str) -> dict[str, str]:
    """One labelled record of the message in one rendering's shape."""
    group = f"written{batch}/{intent}/{index}"
    rng = random.Random(zlib.crc32(f"{lang}/{group}/{rendering}".encode()))
    text = {"email": email, "sms": sms, "chat": chat, "fax": fax, "fax_poor": fax_poor}[rendering](rng, lang, core)
    channel = dict(RENDERINGS)[rendering]
    return {
        "text": text,
        "subject": "",
        "channel": channel,
        "language": lang,
        "intent": intent,
        "urgency": urgency,
        "group": group,
    }


def main() -> None:
    """Write messages_written.jsonl next to this script."""
    records = [
        render(lang, path.stem.removeprefix(lang), intent, index, core, urgency, rendering)
        for lang in LANGS
        for path in sorted((HERE / "written").glob(f"{lang}*.txt"))
        for intent, index, core, urgency in read_written(path)
        for rendering, _ in RENDERINGS
    ]
    with (HERE / "messages_written.jsonl").open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} records to messages_written.jsonl")


if __name__ == "__main__":
    main()
