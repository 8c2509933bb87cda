"""Recognize a fax-to-email delivery (pure): which fax service sent it, the sender's fax number, the pages.

A mail is a fax when it comes from a fax service's domain (the defaults below, or ``SWITCHBOARD_FAX_SENDERS``)
and says it carries a received fax (subject, body or ``X-Fax-*`` headers), not a delivery report of a fax we
sent or a voicemail notice from the same service. The number is taken, in this order, from fax headers, the
subject and the body, only where a cue (Caller-ID, CSID, "from", ...) introduces it, so our own receiving
number is never mistaken for the sender's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import phonenumbers

# Sender domains of the common fax-to-email services (subdomains match too), and the provider name we record.
# Sources: each service's help pages on received-fax notifications; j2's brands (eFax, MyFax, MetroFax) mail
# from their own domains with the subject 'eFax message from "<name>" - <n> page(s), Caller-ID: <number>'.
DEFAULT_FAX_SENDERS: Mapping[str, str] = {
    "efax.com": "efax",
    "efaxcorporate.com": "efax",
    "myfax.com": "myfax",
    "metrofax.com": "metrofax",
    "ringcentral.com": "ringcentral",
    "fax.plus": "faxplus",
    "alohi.com": "faxplus",
    "srfax.com": "srfax",
    "faxage.com": "faxage",
    "hellofax.com": "hellofax",
    "interfax.net": "interfax",
    "sfaxme.com": "sfax",
    "scrypt.com": "sfax",
    "documo.com": "documo",
    "humblefax.com": "humblefax",
    "faxburner.com": "faxburner",
    "ifaxapp.com": "ifax",
    "popfax.com": "popfax",
}

# Headers some fax gateways add (HylaFAX/Asterisk-style relays and several services); the first found wins.
NUMBER_HEADERS = (
    "x-fax-caller-id",
    "x-fax-callerid",
    "x-callerid",
    "x-caller-id",
    "x-fax-from",
    "x-fax-sender",
    "x-fax-number",
    "x-fax-csid",
    "x-fax-tsid",
    "x-csid",
    "x-fax-remote-id",
)
PAGES_HEADERS = ("x-fax-pages", "x-fax-page-count", "x-pages")

# "fax" anywhere: brands (MyFax, MetroFax, InterFAX), compounds (Telefax, Faxnachricht) and plain words alike.
_FAX_WORD = re.compile(r"fax|facsimile|faks|传真|傳真", re.I)
# Delivery reports of faxes *we* sent, and the other notices fax/telephony services mail from the same domain.
_NOT_INBOUND = re.compile(
    r"(?<![^\W\d_])(?:sent|delivered|delivery|failed|failure|unsuccessful|undeliverable|confirmation|"
    r"transmission report|voicemail|voice message|missed call|receipt|invoice|password|verify)(?![^\W\d_])",
    re.I,
)
_LATIN_CUES = (
    r"caller[\s_-]*id|callerid|csid|tsid|remote[\s_-]*id|sender|fax number|from|fra|från|von|absender|afsender|"
    r"avsender|de|desde|expéditeur|remitente|gönderen|numara"
)
# A word that introduces the sender's number: 'Caller-ID: ...', 'Fax from (201) 555-0123', 'von +49 ...'.
_CUE = re.compile(rf"(?:(?<![^\W\d_])(?:{_LATIN_CUES})(?![^\W\d_])|来自|来源|发送方|發送者)\s*[:#=]?\s*", re.I)
_NUMBER_WINDOW = 40
_PAGES = re.compile(
    r"(?P<n>\d{1,4})\s*(?:pages?|page\(s\)|pgs?\.?|sider?|seiten?|sidor|páginas?|sayfa|页|頁)(?![^\W\d_])",
    re.I,
)
_PAGES_CUE = re.compile(r"(?:pages?|page\(s\)|sider|seiten|sidor|páginas|sayfa|页数)\s*[:#=]\s*(?P<n>\d{1,4})", re.I)
_IDD_00 = re.compile(r"^(\W{0,2})00(?=[1-9])")
_ADDR = re.compile(r"<([^<>]*)>\s*$")
_MAX_SCAN = 20_000
_MAX_PAGES = 10_000


@dataclass(frozen=True)
class FaxOrigin:
    """A recognized fax-to-email delivery."""

    provider: str
    """The fax service (``efax``, ``ringcentral``, ...; a configured domain not in the defaults names itself)."""
    number: str | None
    """The sender's fax number in E.164, when the subject, body or provider headers give one."""
    pages: int | None = None
    """The page count the service states, when it does (the document's own count is more reliable)."""


def recognize(
    *,
    sender: str,
    subject: str | None,
    headers: Mapping[str, str],
    text: str,
    fax_senders: Sequence[str] | None,
    default_region: str = "US",
) -> FaxOrigin | None:
    """The fax origin of a parsed email, or None when it is not a fax-to-email delivery.

    ``fax_senders`` (``SWITCHBOARD_FAX_SENDERS``) replaces the default domains when given; an entry with an
    ``@`` matches that one address. ``default_region`` reads numbers written without a country code.
    """
    provider = _provider(_address(sender), fax_senders)
    if provider is None:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    subject = (subject or "")[:1000]
    body = text[:_MAX_SCAN]
    if not _says_inbound_fax(subject, body, lowered):
        return None
    return FaxOrigin(
        provider=provider,
        number=_number(subject, body, lowered, default_region),
        pages=_pages(subject, body, lowered),
    )


def sender_domains(fax_senders: Sequence[str] | None) -> Mapping[str, str]:
    """The sender domains (or addresses) that count as fax services, each with its provider name."""
    if fax_senders is None:
        return DEFAULT_FAX_SENDERS
    out: dict[str, str] = {}
    for entry in fax_senders:
        key = entry.strip().lower().lstrip("@").rstrip(".")
        if key:
            domain = key.rpartition("@")[2]
            out[key] = _known_provider(domain) or domain[:64]
    return out


def _known_provider(domain: str) -> str | None:
    for known, name in DEFAULT_FAX_SENDERS.items():
        if domain == known or domain.endswith("." + known):
            return name
    return None


def _address(sender: str) -> str:
    match = _ADDR.search(sender)
    return (match.group(1) if match else sender).strip().lower().rstrip(".")


def _provider(address: str, fax_senders: Sequence[str] | None) -> str | None:
    """The provider whose domain (or exact address) sent the mail."""
    if address.count("@") != 1:
        return None
    domain = address.rpartition("@")[2]
    if not domain:
        return None
    senders = sender_domains(fax_senders)
    if address in senders:
        return senders[address]
    labels = domain.split(".")
    for i in range(len(labels) - 1):
        suffix = ".".join(labels[i:])
        if suffix in senders:
            return senders[suffix]
    return senders.get(domain)


def _says_inbound_fax(subject: str, body: str, headers: Mapping[str, str]) -> bool:
    """A received fax: fax headers, or a subject (or, without one, a body start) about a fax that is no report."""
    if any(name.startswith("x-fax") for name in headers):
        return True
    about = subject if subject.strip() else body[:500]
    return bool(_FAX_WORD.search(about)) and not _NOT_INBOUND.search(about)


def _number(subject: str, body: str, headers: Mapping[str, str], region: str) -> str | None:
    for name in NUMBER_HEADERS:
        if name in headers and (number := _number_at_start(headers[name][:_NUMBER_WINDOW], region)):
            return number
    for place in (subject, body):
        for cue in _CUE.finditer(place):
            window = place[cue.end() : cue.end() + _NUMBER_WINDOW]
            if number := _number_at_start(window, region):
                return number
    return None


def _number_at_start(window: str, region: str) -> str | None:
    """The valid phone number that ``window`` starts with (after a bracket or quote), in E.164, or None."""
    window = _IDD_00.sub(r"\1+", window)
    for match in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.VALID):
        if match.start > 2:
            return None
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def _pages(subject: str, body: str, headers: Mapping[str, str]) -> int | None:
    for name in PAGES_HEADERS:
        value = headers.get(name, "").strip()
        if value.isdigit() and 0 < int(value) <= _MAX_PAGES:
            return int(value)
    for place in (subject, body):
        for pattern in (_PAGES_CUE, _PAGES):
            match = pattern.search(place)
            if match and 0 < int(match.group("n")) <= _MAX_PAGES:
                return int(match.group("n"))
    return None
