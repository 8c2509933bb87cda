"""The package's public API stays exactly what it declares."""

from __future__ import annotations

import router.assign as assign


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in vars(assign) if not name.startswith("_")}
    modules = {"errors", "hours", "model", "pool", "queues", "ranked", "segment", "sla", "sticky"}
    assert set(assign.__all__) == public - modules
    assert sorted(assign.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n)) == assign.__all__


def test_domain_errors_belong_to_the_shared_error_tree() -> None:
    from shared.errors import SwitchboardError

    for error in (assign.UnknownStrategy, assign.InvalidBusinessHours, assign.InvalidSlaPolicy):
        assert issubclass(error, SwitchboardError)
