"""The demo setup: five queues, a handful of agents, the default ruleset. Idempotent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from router.rules import default_ruleset
from shared.db.models import Agent, AgentCapacity, Queue, Ruleset, RulesetActivation
from shared.ids import new_id

QUEUES = {
    "general": "Everything without a better home, and low-confidence triage",
    "billing": "Invoices, charges, payment methods",
    "returns": "Refunds, returns and cancellations",
    "tech": "Technical support",
    "escalations": "Angry customers, breached SLAs, supervisor attention",
}

# Every language the classifier detects has a speaker who can take each queue's work by the default
# ruleset (the skills its rules require), so a message reaches someone who reads it whenever that
# speaker is free; the home queues and higher skill levels still differ, as in a real small team.
_ALL_QUEUES = ["general", "billing", "returns", "tech", "escalations"]
AGENTS: list[dict[str, object]] = [
    {
        "name": "Mette Hansen",
        "languages": ["da", "nb", "sv", "en"],
        "skills": {"refunds": 4, "billing": 3, "technical": 2, "complaints": 3},
        "queues": _ALL_QUEUES,
    },
    {
        "name": "Ola Nordmann",
        "languages": ["nb", "da", "sv", "en"],
        "skills": {"refunds": 3, "technical": 2, "billing": 1, "complaints": 3},
        "queues": _ALL_QUEUES,
    },
    {
        "name": "Wei Chen",
        "languages": ["zh", "en"],
        "skills": {"technical": 5, "billing": 2, "refunds": 2, "complaints": 3},
        "queues": _ALL_QUEUES,
    },
    {
        "name": "Maria Santos",
        "languages": ["tl", "en", "es"],
        "skills": {"billing": 4, "refunds": 2, "technical": 2, "complaints": 3},
        "queues": _ALL_QUEUES,
    },
    {
        "name": "Ayşe Yılmaz",
        "languages": ["tr", "de", "en"],
        "skills": {"complaints": 4, "refunds": 3, "billing": 2, "technical": 2},
        "queues": _ALL_QUEUES,
    },
    {
        "name": "Sam Taylor",
        "languages": ["en", "fr"],
        "skills": {"complaints": 5, "technical": 3, "billing": 3, "refunds": 2},
        "queues": _ALL_QUEUES,
    },
]
CAPACITY = {"email": 5, "sms": 3, "chat": 2, "fax": 5}


async def seed_demo(sessions: async_sessionmaker[AsyncSession], now: datetime) -> bool:
    """Create the demo setup unless there are queues already; returns whether it seeded."""
    async with sessions() as session:
        if await session.scalar(select(func.count()).select_from(Queue)):
            return False
        session.add_all(Queue(name=name, description=desc, created_at=now) for name, desc in QUEUES.items())
        for spec in AGENTS:
            agent = Agent(
                id=new_id(), presence="available", presence_changed_at=now, idle_since=now, updated_at=now, **spec
            )
            session.add(agent)
            session.add_all(
                AgentCapacity(agent_id=agent.id, channel=ch, capacity=c, load=0) for ch, c in CAPACITY.items()
            )
        await publish_initial_ruleset(session, now)
        await session.commit()
    return True


async def publish_initial_ruleset(session: AsyncSession, now: datetime) -> None:
    """Publish the default ruleset as version 1 when no ruleset exists yet."""
    if await session.scalar(select(func.count()).select_from(Ruleset)):
        return
    document = default_ruleset().model_dump(mode="json")
    session.add(
        Ruleset(
            version=1,
            document=document,
            status="published",
            note="default",
            created_by="system",
            created_at=now,
            updated_at=now,
        )
    )
    await session.flush()
    session.add(RulesetActivation(version=1, action="publish", actor="system", at=now))
