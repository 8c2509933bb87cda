"""The package's public API stays exactly what it says."""

from __future__ import annotations

import router.rules


def test_public_api_is_exact() -> None:
    assert len(set(router.rules.__all__)) == len(router.rules.__all__)
    assert set(router.rules.__all__) == {
        "DEFAULT_QUEUES",
        "FIELDS",
        "Action",
        "CompiledRuleset",
        "RuleDecision",
        "RuleError",
        "RuleOutcome",
        "RuleSpec",
        "RulesetDocument",
        "RulesetInvalid",
        "compile_ruleset",
        "default_ruleset",
        "facts_from",
        "parse_ruleset_text",
        "validate_ruleset",
    }
    assert all(hasattr(router.rules, name) for name in router.rules.__all__)


def test_fields_describe_every_fact_facts_from_builds() -> None:
    facts = router.rules.facts_from()
    assert {name for name in router.rules.FIELDS if "." not in name} == set(facts)
    assert router.rules.FIELDS["customer.tier"] == "string"
