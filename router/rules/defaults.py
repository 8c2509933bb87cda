"""The demo ruleset that a fresh installation starts with."""

from __future__ import annotations

from router.rules.model import Action, RulesetDocument, RuleSpec

DEFAULT_QUEUES: tuple[str, ...] = ("general", "billing", "returns", "tech", "escalations")
_SCANDINAVIAN = '["da", "nb", "nn", "no", "sv"]'


def _rule(rule_id: str, description: str, when: str, action: Action) -> RuleSpec:
    """Shorthand for one enabled rule."""
    return RuleSpec(id=rule_id, description=description, when=when, action=action)


_RULES: tuple[RuleSpec, ...] = (
    _rule(
        "complaint-escalation",
        "Urgent or angry complaints go straight to escalations",
        'intent == "complaint" && (urgency in ["urgent", "high"] || sentiment == "negative")',
        Action(queue="escalations", priority=1, required_skills={"complaints": 3}, tags=["complaint"]),
    ),
    _rule(
        "vip-urgent",
        "VIP customers with urgent matters jump the queue",
        'customer.tier == "vip" && urgency in ["urgent", "high"]',
        Action(queue="escalations", priority=1, tags=["vip"]),
    ),
    _rule(
        "returns-scandinavian",
        "Refunds and cancellations in Scandinavian languages need a speaker",
        f'intent in ["refund_return", "cancellation"] && language in {_SCANDINAVIAN}',
        Action(
            queue="returns",
            priority=2,
            required_skills={"refunds": 2},
            required_languages=["$language"],
        ),
    ),
    _rule(
        "returns",
        "Refunds, returns and cancellations",
        'intent in ["refund_return", "cancellation"]',
        Action(queue="returns", priority=3, required_skills={"refunds": 2}),
    ),
    _rule(
        "billing-vip",
        "Billing questions from VIP customers",
        'intent == "billing" && customer.tier == "vip"',
        Action(queue="billing", priority=1, required_skills={"billing": 3}),
    ),
    _rule(
        "billing",
        "Billing questions",
        'intent == "billing"',
        Action(queue="billing", priority=3, required_skills={"billing": 1}),
    ),
    _rule(
        "tech",
        "Technical support",
        'intent == "technical_support"',
        Action(queue="tech", priority=2, required_skills={"technical": 2}),
    ),
    _rule(
        "vip",
        "Anything else from VIP customers",
        'customer.tier == "vip"',
        Action(queue="general", priority=1, tags=["vip"]),
    ),
    _rule(
        "scandinavian-general",
        "Other Scandinavian-language messages need a speaker",
        f"language in {_SCANDINAVIAN}",
        Action(queue="general", priority=3, required_languages=["$language"]),
    ),
)


def default_ruleset() -> RulesetDocument:
    """Return the demo ruleset over the queues in DEFAULT_QUEUES, triaging to ``general``."""
    return RulesetDocument(
        defaults=Action(queue="general", priority=3),
        rules=list(_RULES),
        triage_queue="general",
        min_intent_confidence=0.45,
    )
