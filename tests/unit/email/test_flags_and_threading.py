"""Auto-replies and bounces are flagged; threads join by their root, and never across two customers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.email.flags import detect
from services.email.mime import ParsedMail, parse_mime
from services.email.parse import mailgun_mail, postmark_mail, sendgrid_mail, to_inbound
from shared.schema import Flags, InboundMessage
from shared.settings import Settings
from switchboard.bootstrap import build_app

PERSON = b"From: Ann <ann@example.org>\r\nSubject: Where is my order?\r\nMessage-ID: <a1@example.org>\r\n"


def mail(headers: bytes, body: bytes = b"Hello", *, envelope: str | None = "ann@example.org") -> InboundMessage:
    return to_inbound(
        parse_mime(headers + b"\r\n" + body), message_id="id", provider="smtp", received_at=datetime.now(UTC),
        recipient="Help@Example.com", attachments=(), fallback_id="sha256:f", envelope_sender=envelope,
    )  # fmt: skip


def test_a_person_s_mail_is_not_flagged() -> None:
    assert mail(PERSON).flags == Flags()


@pytest.mark.parametrize(
    "header",
    [
        b"Auto-Submitted: auto-replied\r\n",
        b"Auto-Submitted: auto-generated\r\n",
        b"Precedence: bulk\r\n",
        b"Precedence: list\r\n",
        b"X-Autoreply: yes\r\n",
        b"X-Autorespond: Out of office\r\n",
        b"List-Id: <news.example.org>\r\n",
        b"Subject: Automatic reply: Where is my order?\r\n",
        b"Subject: Abwesenheitsnotiz\r\n",
        b"Subject: Autosvar: ordre\r\n",
    ],
)
def test_auto_replies_and_list_mail_are_flagged(header: bytes) -> None:
    flagged = mail(header + PERSON)
    assert flagged.flags == Flags(auto_reply=True)
    assert flagged.metadata["flag_reason"]


def test_auto_submitted_no_is_a_person() -> None:
    assert mail(b"Auto-Submitted: no\r\n" + PERSON).flags == Flags()


def test_delivery_status_report_is_a_bounce() -> None:
    dsn = (
        b"From: MAILER-DAEMON@mx.example.net\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; x@y\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n"
    )
    flags, reason = detect(parse_mime(dsn), envelope_sender="")
    assert flags == Flags(bounce=True)
    assert reason == "delivery-status-report"


def test_null_reverse_path_bounce_without_report_is_flagged() -> None:
    flagged = mail(b"From: postmaster@example.net\r\nSubject: Mail delivery failed\r\n", envelope="")
    assert flagged.flags.bounce


def test_reply_joins_its_thread_root_and_sender() -> None:
    first = mail(PERSON)
    reply = mail(
        b"From: ann@EXAMPLE.org\r\nSubject: Re: Where\r\nMessage-ID: <a3@example.org>\r\n"
        b"In-Reply-To: <agent2@example.com>\r\nReferences: <a1@example.org> <agent2@example.com>\r\n"
    )
    assert reply.conversation_key == first.conversation_key
    assert reply.external_id == "a3@example.org"
    assert first.recipient == "help@example.com"
    assert first.sender.address == "ann@example.org"


def test_same_subject_from_two_customers_is_two_conversations() -> None:
    ann = mail(b"From: ann@example.org\r\nSubject: Refund\r\nMessage-ID: <1@a>\r\n")
    bob = mail(b"From: bob@example.org\r\nSubject: Refund\r\nMessage-ID: <2@b>\r\n")
    assert ann.conversation_key != bob.conversation_key


def test_forged_references_do_not_join_another_customer_s_thread() -> None:
    ann = mail(PERSON)
    mallory = mail(b"From: mallory@example.net\r\nReferences: <a1@example.org>\r\nMessage-ID: <m@x>\r\n")
    assert mallory.conversation_key != ann.conversation_key


def test_text_is_the_new_part_and_raw_text_the_whole() -> None:
    body = b"Yes please.\r\n\r\nOn Mon, 3 Dec 2026, Shop <help@example.com> wrote:\r\n> Shall we refund?\r\n"
    message = mail(PERSON, body)
    assert message.text == "Yes please."
    assert "Shall we refund?" in (message.raw_text or "")


def test_mail_without_message_id_uses_the_fallback_for_dedupe_and_thread() -> None:
    message = mail(b"From: ann@example.org\r\n")
    assert message.external_id == "sha256:f"
    assert message.metadata["thread_root"] == "sha256:f"


def test_unparsable_sender_still_gives_a_message() -> None:
    assert mail(b"From: <<<>>>\r\n", envelope=None).sender.kind == "other"


def test_provider_formats_read_headers_bodies_and_attachments() -> None:
    mg = mailgun_mail(
        {"from": "Ann <ann@example.org>", "subject": "Hi", "body-plain": "Hello",
         "message-headers": '[["Message-Id", "<mg@x>"], ["Auto-Submitted", "auto-replied"]]'}, [],
    )  # fmt: skip
    assert (mg.header("message-id"), mg.text, detect(mg)[0].auto_reply) == ("<mg@x>", "Hello", True)
    sg = sendgrid_mail({"headers": "Message-ID: <sg@x>\nFrom: a@b.org\n", "html": "<p>Hi</p>"}, [])
    assert (sg.header("message-id"), sg.text, sg.from_html) == ("<sg@x>", "Hi", True)
    headers = [{"Name": "Message-ID", "Value": "<pm@x>"}]
    files = [{"Name": "a.txt", "Content": "aGk=", "ContentType": "text/plain"}]
    pm = postmark_mail({"From": "a@b.org", "TextBody": "Hej", "Headers": headers, "Attachments": files})
    assert (pm.header("message-id"), pm.text, pm.attachments[0].data) == ("<pm@x>", "Hej", b"hi")
    assert postmark_mail({"Attachments": [{"Content": "!!not base64"}, 3], "Headers": "x"}).attachments[0].data == b""


def test_email_adapter_public_api_is_exact() -> None:
    import services.email

    assert sorted(services.email.__all__) == ["bound_port", "router", "smtp_listener"]
    assert all(hasattr(services.email, name) for name in services.email.__all__)


_fields = st.dictionaries(
    st.sampled_from(["from", "subject", "body-plain", "body-html", "message-headers", "body-mime", "headers",
                     "text", "html", "email", "to", "sender"]),
    st.text(max_size=300),
    max_size=8,
)  # fmt: skip
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def _normalized(mail: ParsedMail) -> InboundMessage:
    return to_inbound(
        mail, message_id="id", provider="p", received_at=datetime.now(UTC), recipient=None, attachments=(),
        fallback_id="sha256:f",
    )  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(_fields)
def test_any_mailgun_or_sendgrid_form_gives_a_message(fields: dict[str, str]) -> None:
    _normalized(mailgun_mail(fields, []))
    _normalized(sendgrid_mail(fields, []))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["From", "Subject", "TextBody", "HtmlBody", "Headers", "Attachments",
                                        "RawEmail", "MessageID"]), _json, max_size=8))  # fmt: skip
def test_any_postmark_json_gives_a_message(payload: dict[str, object]) -> None:
    _normalized(postmark_mail(payload))


def test_the_mail_webhooks_are_in_the_openapi_contract(tmp_path: Path) -> None:
    app = build_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"), with_router=False)
    paths = app.openapi()["paths"]
    for path in ("mailgun", "mailgun/mime", "sendgrid", "postmark"):
        assert set(paths[f"/v1/webhooks/{path}"]) == {"post"}
