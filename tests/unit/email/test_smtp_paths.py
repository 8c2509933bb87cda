"""The listener's MAIL FROM / RCPT TO path parsing: the fast path reads what aiosmtpd's own parser reads."""

from __future__ import annotations

import string

import pytest
from aiosmtpd.smtp import SMTP
from hypothesis import example, given
from hypothesis import strategies as st

from services.email.smtp import Listener

_ATEXT = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"
_atom = st.text(alphabet=_ATEXT, min_size=1, max_size=8)
_label = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=8)
_plain = st.builds(lambda local, domain: f"{'.'.join(local)}@{'.'.join(domain)}",
                   st.lists(_atom, min_size=1, max_size=3), st.lists(_label, min_size=1, max_size=3))  # fmt: skip
_odd = st.text(alphabet='<>@."\\ ()[]:,;éa1-' + "\t", max_size=30)
"""Quoted local parts, literals, comments, UTF-8, stray brackets: the slow path's business."""


def listener(limit: int = 0) -> Listener:
    session = Listener.__new__(Listener)  # only the parser's state: no loop, no handler
    session.local_part_limit = limit
    return session


_tail = st.sampled_from(["", " SIZE=1234 BODY=8BITMIME", "\tSIZE=1", "  (comment) SIZE=1", "(c)", " \u3000x", "x"])
_paths = st.one_of(st.builds(lambda a, t: f"<{a}>{t}", _plain, _tail), _odd, _plain.map(lambda a: f" <{a}>"),
                   _plain.map(lambda a: f"<{a}"), _plain)  # fmt: skip


@given(_paths, st.sampled_from([0, 4, 64]))
@example("<kunde@example.org>", 0)
@example("<>", 0)
@example('<"john doe"@example.org>', 0)
@example("<a..b@example.org>", 0)
@example("<user@[192.0.2.1]>", 0)
@example("<a@b.c>\r\nRCPT TO:<x@y.z>", 0)
@example("<averyverylonglocalpart@example.org>", 8)
def test_the_fast_path_reads_what_aiosmtpd_reads(arg: str, limit: int) -> None:
    session = listener(limit)
    assert session._getaddr(arg) == SMTP._getaddr(session, arg)


def test_a_plain_path_is_read_without_the_full_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: SMTP, arg: str) -> tuple[str | None, str | None]:
        raise AssertionError(f"the full parser was asked for {arg!r}")

    monkeypatch.setattr(SMTP, "_getaddr", refuse)
    assert listener()._getaddr("<Kunde.Navn+tag@mail.example.org> SIZE=812") == (
        "Kunde.Navn+tag@mail.example.org",
        "SIZE=812",
    )
    assert listener(4)._getaddr("<kunde@example.org>") == (None, None), "the local part limit still applies"
