"""Email replies as MIME: our own Message-ID, In-Reply-To and References that thread in the customer's client
and lead the customer's answer back to the conversation (its first reference stays the thread root)."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

from hypothesis import given
from hypothesis import strategies as st

from router.outbound.mail import FileOut, Thread, build, message_id, reply_subject, thread_headers
from services.email.mime import parse_mime
from services.email.parse import thread_root

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
msg_ids = st.from_regex(r"[a-z0-9.$%+-]{1,30}@[a-z0-9-]{1,20}\.[a-z]{2,6}", fullmatch=True)


def test_a_reply_names_the_customers_message_and_its_thread_root() -> None:
    headers = thread_headers(Thread(message_id="b@example.dk", root="a@example.dk"))
    assert headers == {"In-Reply-To": "<b@example.dk>", "References": "<a@example.dk> <b@example.dk>"}
    assert thread_headers(Thread(message_id="a@example.dk", root="a@example.dk")) == {
        "In-Reply-To": "<a@example.dk>",
        "References": "<a@example.dk>",
    }


def test_content_hashes_standing_in_for_a_missing_message_id_are_not_referenced() -> None:
    assert thread_headers(Thread(message_id="sha256:abc", root="sha256:abc")) == {}
    assert thread_headers(Thread()) == {}


def test_our_message_id_is_fixed_by_the_reply_so_a_resend_is_the_same_mail() -> None:
    assert message_id("0193-ab", "Support@Example.COM") == "<0193-ab@example.com>"


def test_the_subject_is_the_agents_or_re_theirs_once() -> None:
    assert reply_subject(None, "Where is my order?") == "Re: Where is my order?"
    assert reply_subject(None, "RE: Where is my order?") == "RE: Where is my order?"
    assert reply_subject("  New\r\nsubject ", "x") == "New subject"
    assert reply_subject(None, None) == "Re: your message"


@given(parent=msg_ids, root=msg_ids | st.none(), text=st.text(min_size=1, max_size=200))
def test_the_customers_answer_to_a_reply_keeps_the_thread_root(parent: str, root: str | None, text: str) -> None:
    mail = build(reply_id="r1", sender="support@example.com", sender_name="Support", recipient="kirsten@example.dk",
                 subject="Re: x", text=text, thread=Thread(parent, root), now=NOW)  # fmt: skip
    parsed = message_from_bytes(mail.as_bytes(), policy=policy.default)
    assert parsed["Message-ID"] == "<r1@example.com>"
    assert parsed["In-Reply-To"] == f"<{parent}>"
    # The customer's client answers with our References and our Message-ID, as RFC 5322 says it should.
    answer = (
        f"From: kirsten@example.dk\r\nMessage-ID: <answer@example.dk>\r\nIn-Reply-To: {parsed['Message-ID']}\r\n"
        f"References: {parsed['References']} {parsed['Message-ID']}\r\n\r\nThanks\r\n"
    ).encode()
    assert thread_root(parse_mime(answer)) == (root or parent).lower()


def test_attachments_travel_with_their_name_and_type() -> None:
    files = (FileOut("label.pdf", "application/pdf", b"%PDF-1.4"), FileOut("x", "bad\ntype", b"x"))
    mail = build(reply_id="r2", sender="support@example.com", sender_name=None, recipient="k@example.dk",
                 subject="s", text="see attached", thread=Thread(), attachments=files, now=NOW)  # fmt: skip
    parts = [(p.get_filename(), p.get_content_type(), p.get_content()) for p in mail.iter_attachments()]
    assert parts == [("label.pdf", "application/pdf", b"%PDF-1.4"), ("x", "application/octet-stream", b"x")]
