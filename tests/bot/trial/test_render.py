"""The console shows Slack's text as Slack would: a `<!date^…>` token in each reader's own timezone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.trial.fakeslack import Call, FakeSlack
from bot.trial.render import slack_date
from bot.trial.screen import Screen

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # a Monday
START = datetime(2026, 12, 8, 9, 30, tzinfo=UTC)  # 15:00 in Kolkata, 09:30 in London
TOKEN = f"<!date^{int(START.timestamp())}^{{date_short_pretty}} at {{time}}|Tue 08 Dec, 09:30 (UTC)>"


def test_slack_date_fills_the_template_in_the_zone_given() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")
    now = NOW.astimezone(kolkata)
    assert slack_date(START.astimezone(kolkata), "{date_short_pretty} at {time}", now) == "tomorrow at 15:00"
    assert (
        slack_date(START.astimezone(kolkata), "{date_long} · {date_num}", now)
        == "Tuesday, December 8th, 2026 · 2026-12-08"
    )
    assert slack_date(START.astimezone(kolkata), "{ago}", now) == "in 21 hours"


def test_a_dm_reads_in_its_owners_zone_and_a_group_dm_in_the_readers() -> None:
    with FakeSlack() as fake:
        fake.add_user("UPRIYA", "Priya", tz="Asia/Kolkata")
        fake.add_user("UYOU", "You", tz="Europe/London")
        screen = Screen(fake, lambda user: fake.users[user].name, color=False, now=lambda: NOW)
        dm = Call("chat.postMessage", {"channel": "UPRIYA", "text": f"Meet {TOKEN}"}, None, {"channel": "DPRIYA"})
        assert "Meet tomorrow at 15:00" in (screen.describe(dm, "UYOU") or "")
        group = Call("chat.postMessage", {"channel": "G1", "text": f"Meet {TOKEN}"}, None, {"channel": "G1"})
        fake.calls.append(Call("conversations.open", {"users": "UPRIYA,UYOU"}, None, {"channel": {"id": "G1"}}))
        assert "Meet tomorrow at 09:30" in (screen.describe(group, "UYOU") or "")
        assert "Meet tomorrow at 15:00" in (screen.describe(group, "UPRIYA") or "")
        assert screen.place("G1", "1.1").open_to("UPRIYA") and not screen.place("G1", "1.1").open_to("UMARCO")
        assert screen.place("C0LEARNING", "1.1").open_to("UMARCO")  # a channel's buttons are anyone's
