"""Workspace settings as plain services on a real database: what the form accepts, who may save, the cache."""

from dataclasses import replace
from datetime import time as clock

from sqlalchemy import Engine

from bot.config import Settings, load_settings
from bot.services import workspace
from bot.services.workspace import SettingsCache, SettingsForm
from store.models import Workspace
from tests.bot.services.world import TEAM, World
from tests.fakes.timer import FakeTimer

GOOD = SettingsForm(
    learning_channel="C0LEARN",
    digest_weekday="tue",
    digest_time="10:30",
    timezone=" Europe/Berlin ",
    kudos_emoji=":clap:, mortar_board",
    kudos_daily_limit="7",
    kudos_pair_weekly_limit="3",
)


def env() -> Settings:
    return load_settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s")


def test_a_good_form_has_no_errors_and_each_bad_field_its_own() -> None:
    assert workspace.validate(GOOD) == {}
    bad = replace(
        GOOD,
        timezone="Mars/Olympus",
        kudos_emoji="not an emoji!",
        kudos_daily_limit="0",
        kudos_pair_weekly_limit="51",
        digest_weekday="someday",
        digest_time=None,
    )
    assert set(workspace.validate(bad)) == {
        "timezone",
        "kudos_emoji",
        "kudos_daily_limit",
        "kudos_pair_weekly_limit",
        "digest_weekday",
        "digest_time",
    }
    assert workspace.validate(replace(GOOD, kudos_daily_limit="100", kudos_pair_weekly_limit="50")) == {}
    assert set(workspace.validate(replace(GOOD, workspace_timezone="Nowhere"))) == {"workspace_timezone"}


def test_only_an_admin_saves_and_the_workspace_then_has_its_own_settings(engine: Engine) -> None:
    world = World(engine)
    world.set_member("UBOB")
    world.set_member("UADMIN", is_admin=True)
    save = workspace.save
    assert world.run(lambda r: save(world.scope(r, "UBOB"), form=GOOD)) is False
    assert world.run(lambda r: save(world.scope(r, "UADMIN"), form=replace(GOOD, timezone="Nope"))) is False
    before = world.run(lambda r: workspace.effective(r, env(), TEAM))
    assert before.timezone == env().timezone and before.kudos_daily_limit == env().kudos_daily_limit
    assert world.run(lambda r: save(world.scope(r, "UADMIN"), form=GOOD)) is True
    after = world.run(lambda r: workspace.effective(r, env(), TEAM))
    assert after == workspace.WorkspaceSettings(
        learning_channel="C0LEARN",
        digest_weekday=1,
        digest_time=clock(10, 30),
        timezone="Europe/Berlin",
        kudos_emoji=("clap", "mortar_board"),
        kudos_daily_limit=7,
        kudos_pair_weekly_limit=3,
    )
    with world.db() as db:
        row = db.get_one(Workspace, TEAM)
        assert (row.timezone, row.kudos_emoji, row.digest_time) == ("Europe/Berlin", "clap,mortar_board", "10:30")


def test_the_cache_keeps_settings_until_forgotten_or_stale(engine: Engine) -> None:
    world = World(engine)
    world.set_member("UADMIN", is_admin=True)
    timer = FakeTimer()
    cache = SettingsCache(ttl=0.2, timer=timer)
    first = world.run(lambda r: cache.get(r, env(), TEAM))
    assert first.timezone == env().timezone
    world.run(lambda r: workspace.save(world.scope(r, "UADMIN"), form=GOOD))
    assert world.run(lambda r: cache.get(r, env(), TEAM)) is first  # cached: the save is not seen yet
    cache.forget(TEAM)
    assert world.run(lambda r: cache.get(r, env(), TEAM)).timezone == "Europe/Berlin"
    world.run(lambda r: workspace.save(world.scope(r, "UADMIN"), form=replace(GOOD, timezone="Asia/Tokyo")))
    assert world.run(lambda r: cache.get(r, env(), TEAM)).timezone == "Europe/Berlin"
    timer.advance(0.25)  # past the ttl: another worker's save is seen without a forget
    assert world.run(lambda r: cache.get(r, env(), TEAM)).timezone == "Asia/Tokyo"
