"""Who AgentPool.select offers work to, and why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from router.assign import AgentPool, AgentState, UnknownStrategy
from tests.unit.assign.assign_factories import NOW, agent, item


def pool_of(*agents: AgentState) -> AgentPool:
    pool = AgentPool()
    for a in agents:
        pool.upsert(a)
    return pool


def test_offline_agent_is_never_offered_work() -> None:
    pool = pool_of(agent("ann", presence="offline"), agent("bob", presence="away"), agent("cat", presence="busy"))
    selection = pool.select(item(), strategy="least_loaded", now=NOW)
    assert selection.agent_id is None
    assert selection.reason.startswith("no available agent")


def test_agent_coming_online_is_offered_work_and_leaving_stops_it() -> None:
    pool = pool_of(agent("ann", presence="offline"))
    pool.set_presence("ann", "available", NOW)
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id == "ann"
    state = pool.get("ann")
    assert state is not None
    assert state.idle_since == NOW
    pool.set_presence("ann", "away", NOW)
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id is None


def test_full_agent_is_skipped_until_load_drops() -> None:
    pool = pool_of(agent("ann", capacity={"chat": 1}), agent("bob", capacity={"chat": 1}, load={"chat": 1}))
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id == "ann"
    pool.adjust_load("ann", "chat", +1, NOW)
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id is None
    pool.adjust_load("bob", "chat", -1, NOW)
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id == "bob"


def test_capacity_is_per_channel() -> None:
    pool = pool_of(agent("ann", capacity={"chat": 1, "email": 5}, load={"chat": 1}))
    assert pool.select(item(channel="chat"), strategy="least_loaded", now=NOW).agent_id is None
    assert pool.select(item(channel="email"), strategy="least_loaded", now=NOW).agent_id == "ann"
    assert pool.select(item(channel="sms"), strategy="least_loaded", now=NOW).agent_id is None


def test_rejected_offer_goes_to_next_agent() -> None:
    pool = pool_of(agent("ann"), agent("bob"))
    first = pool.select(item(), strategy="least_loaded", now=NOW)
    second = pool.select(item(excluded=(first.agent_id or "",)), strategy="least_loaded", now=NOW)
    assert {first.agent_id, second.agent_id} == {"ann", "bob"}
    assert any(n.agent_id == first.agent_id and n.outcome == "skipped" for n in second.candidates)


def test_when_everyone_declined_the_work_waits_with_a_reason() -> None:
    pool = pool_of(agent("ann"))
    selection = pool.select(item(excluded=("ann",)), strategy="least_loaded", now=NOW)
    assert selection.agent_id is None
    assert "declined" in selection.reason


def test_agent_only_gets_work_from_queues_it_serves() -> None:
    pool = pool_of(agent("ann", queues=("billing",)), agent("bob", queues=("returns",)))
    assert pool.select(item(queue="returns"), strategy="least_loaded", now=NOW).agent_id == "bob"
    assert pool.select(item(queue="sales"), strategy="least_loaded", now=NOW).agent_id is None


def test_agent_without_queues_serves_every_queue() -> None:
    pool = pool_of(agent("ann"))
    assert pool.select(item(queue="anything"), strategy="least_loaded", now=NOW).agent_id == "ann"


def test_required_language_and_skill_must_both_be_met() -> None:
    pool = pool_of(
        agent("ann", languages=("en",), skills={"refunds": 5}),
        agent("bob", languages=("da", "en"), skills={"refunds": 2}),
        agent("cat", languages=("da",), skills={"refunds": 3}),
    )
    selection = pool.select(item(languages=("da",), skills={"refunds": 3}), strategy="least_loaded", now=NOW)
    assert selection.agent_id == "cat"


def test_speaker_of_the_message_language_goes_first_when_no_rule_requires_it() -> None:
    pool = pool_of(agent("ann", languages=("da", "en")), agent("wei", languages=("zh", "en"), load={"chat": 1}))
    selection = pool.select(item(language="zh"), strategy="least_loaded", now=NOW)
    assert selection.agent_id == "wei"
    assert selection.reason == "best fitting agent by least_loaded, speaks zh"


def test_language_is_relaxed_with_the_reason_when_no_speaker_is_free() -> None:
    pool = pool_of(agent("ann", languages=("da", "en")), agent("wei", languages=("zh", "en"), presence="busy"))
    selection = pool.select(item(language="zh"), strategy="least_loaded", now=NOW)
    assert selection.agent_id == "ann"
    assert "language zh relaxed: no available agent in queue support" in selection.reason


def test_language_is_relaxed_when_no_speaker_serves_the_queue_or_has_the_skill() -> None:
    pool = pool_of(
        agent("ann", languages=("en",), skills={"refunds": 3}, queues=("returns",)),
        agent("wei", languages=("zh", "en"), skills={"refunds": 1}, queues=("returns",)),
    )
    selection = pool.select(
        item(language="zh", queue="returns", skills={"refunds": 2}), strategy="round_robin", now=NOW
    )
    assert selection.agent_id == "ann"
    assert selection.reason.endswith(
        "language zh relaxed: no agent in queue returns with free chat capacity and language zh and skill refunds>=2"
    )


def test_speaking_the_language_outranks_a_better_skill_fit() -> None:
    pool = pool_of(
        agent("ann", languages=("en",), skills={"billing": 5}), agent("ayse", languages=("tr",), skills={"billing": 1})
    )
    assert pool.select(item(language="tr", skills={"billing": 1}), strategy="least_loaded", now=NOW).agent_id == "ayse"


def test_required_language_is_never_relaxed() -> None:
    pool = pool_of(agent("ann", languages=("en",)), agent("ola", languages=("nb",), presence="away"))
    selection = pool.select(item(languages=("nb",)), strategy="least_loaded", now=NOW)
    assert selection.agent_id is None
    assert "relaxed" not in selection.reason


def test_undetermined_language_prefers_nobody() -> None:
    pool = pool_of(agent("bob", languages=("zh",)), agent("ann", languages=("en",)))
    selection = pool.select(item(language="und"), strategy="least_loaded", now=NOW)
    assert (selection.agent_id, selection.reason) == ("ann", "best fitting agent by least_loaded")


def test_nobody_fitting_explains_what_was_needed() -> None:
    pool = pool_of(agent("ann", languages=("en",), skills={"refunds": 1}))
    selection = pool.select(item(languages=("da",), skills={"refunds": 3}), strategy="least_loaded", now=NOW)
    assert selection.agent_id is None
    assert selection.reason == "no agent in queue support with free chat capacity and language da and skill refunds>=3"


def test_best_skill_fit_wins_before_strategy() -> None:
    pool = pool_of(
        agent("ann", skills={"refunds": 3}),
        agent("bob", skills={"refunds": 5}, load={"chat": 1}),
    )
    assert pool.select(item(skills={"refunds": 2}), strategy="least_loaded", now=NOW).agent_id == "bob"


def test_least_loaded_prefers_the_lowest_load_ratio() -> None:
    pool = pool_of(
        agent("ann", capacity={"chat": 2}, load={"chat": 1}),
        agent("bob", capacity={"chat": 4}, load={"chat": 1}),
    )
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id == "bob"


def test_longest_idle_prefers_the_agent_free_the_longest() -> None:
    pool = pool_of(
        agent("ann", idle_since=NOW - timedelta(minutes=5)),
        agent("bob", idle_since=NOW - timedelta(minutes=30)),
        agent("cat", idle_since=NOW - timedelta(hours=2), load={"email": 1}),
    )
    assert pool.select(item(), strategy="longest_idle", now=NOW).agent_id == "bob"


def test_round_robin_takes_turns() -> None:
    pool = pool_of(agent("ann"), agent("bob"), agent("cat"))
    picked = []
    for n in range(6):
        now = NOW + timedelta(seconds=n)
        agent_id = pool.select(item(channel="email"), strategy="round_robin", now=now).agent_id
        assert agent_id is not None
        pool.adjust_load(agent_id, "email", +1, now)
        picked.append(agent_id)
    assert picked == ["ann", "bob", "cat", "ann", "bob", "cat"]


def test_ties_are_broken_by_agent_id() -> None:
    pool = pool_of(agent("zed"), agent("amy"), agent("kim"))
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id == "amy"


def test_preferred_agent_gets_the_work_when_it_fits() -> None:
    pool = pool_of(agent("ann"), agent("bob", load={"chat": 1}))
    selection = pool.select(item(preferred="bob"), strategy="least_loaded", now=NOW)
    assert selection.agent_id == "bob"
    assert selection.candidates[0].outcome == "chosen"


def test_preferred_agent_who_cannot_take_it_is_skipped_with_the_reason() -> None:
    pool = pool_of(agent("ann"), agent("bob", presence="away"))
    selection = pool.select(item(preferred="bob"), strategy="least_loaded", now=NOW)
    assert selection.agent_id == "ann"
    assert selection.candidates[0].agent_id == "bob"
    assert selection.candidates[0].reason == "preferred agent is away"


def test_trace_is_bounded_and_names_the_chosen_agent() -> None:
    agents = [agent(f"a{n:02d}") for n in range(30)]
    pool = pool_of(*agents)
    excluded = tuple(f"a{n:02d}" for n in range(20))
    selection = pool.select(item(excluded=excluded), strategy="least_loaded", now=NOW)
    assert selection.agent_id == "a20"
    assert len(selection.candidates) <= 10
    assert [n.agent_id for n in selection.candidates if n.outcome == "chosen"] == ["a20"]


def test_changed_skills_move_the_agent_between_indexes() -> None:
    pool = pool_of(agent("ann", skills={"refunds": 1}))
    wanted = item(skills={"refunds": 3})
    assert pool.select(wanted, strategy="least_loaded", now=NOW).agent_id is None
    pool.upsert(agent("ann", skills={"refunds": 4}))
    assert pool.select(wanted, strategy="least_loaded", now=NOW).agent_id == "ann"
    pool.remove("ann")
    assert pool.select(wanted, strategy="least_loaded", now=NOW).agent_id is None
    assert "ann" not in pool
    assert len(pool) == 0


def test_taking_work_stamps_last_assigned_and_finishing_it_restarts_idle() -> None:
    pool = pool_of(agent("ann"))
    later = NOW + timedelta(minutes=3)
    pool.adjust_load("ann", "chat", +1, NOW)
    pool.adjust_load("ann", "chat", -1, later)
    state = pool.get("ann")
    assert state is not None
    assert (state.last_assigned_at, state.idle_since, state.load["chat"]) == (NOW, later, 0)


def test_unknown_agents_are_ignored_by_updates() -> None:
    pool = AgentPool()
    pool.adjust_load("ghost", "chat", 1, NOW)
    pool.set_presence("ghost", "available", NOW)
    pool.remove("ghost")
    assert pool.get("ghost") is None


def test_unknown_strategy_is_a_domain_error() -> None:
    with pytest.raises(UnknownStrategy):
        AgentPool().select(item(), strategy="random", now=NOW)  # type: ignore[arg-type]


def test_views_evicted_from_a_small_cache_are_rebuilt_correctly() -> None:
    pool = AgentPool(max_segments=1)
    pool.upsert(agent("ann", skills={"refunds": 3, "billing": 3}))
    for _ in range(3):
        assert pool.select(item(skills={"refunds": 2}), strategy="least_loaded", now=NOW).agent_id == "ann"
        assert pool.select(item(skills={"billing": 2}), strategy="least_loaded", now=NOW).agent_id == "ann"
        pool.adjust_load("ann", "chat", +1, NOW)
        pool.adjust_load("ann", "chat", -1, NOW)


def test_finishing_one_chat_frees_capacity_while_other_work_stays_open() -> None:
    pool = pool_of(agent("ann", capacity={"chat": 1, "email": 2}, load={"email": 1}), agent("bob", load={"chat": 1}))
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id == "ann"
    pool.adjust_load("ann", "chat", +1, NOW)
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id == "bob"
    pool.adjust_load("bob", "chat", +1, NOW)
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id is None
    pool.adjust_load("ann", "chat", -1, NOW)
    assert pool.select(item(), strategy="least_loaded", now=NOW).agent_id == "ann"


def test_a_database_refresh_that_frees_capacity_makes_the_agent_eligible_again() -> None:
    pool = pool_of(agent("ann", capacity={"chat": 1}))
    pool.adjust_load("ann", "chat", +1, NOW)
    assert pool.select(item(), strategy="round_robin", now=NOW).agent_id is None
    pool.upsert(agent("ann", capacity={"chat": 1}, load={"chat": 0}))
    assert pool.select(item(), strategy="round_robin", now=NOW).agent_id == "ann"
