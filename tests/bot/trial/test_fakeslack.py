"""The fake Slack answers dnd.info and the three steps of files_upload_v2 as Slack does, through the real client."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.error import HTTPError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.calendar.availability import dnd_intervals
from bot.slack.install import BOT_SCOPES
from tests.fakes.slack_api import FakeSlack

SCOPES = [*BOT_SCOPES, "dnd:read", "files:write"]
# An install from before these scopes were asked for.
WITHOUT = [scope for scope in BOT_SCOPES if scope not in ("dnd:read", "files:write")]
ICS = "BEGIN:VCALENDAR\r\nSUMMARY:Kubernetes with Zoë\r\nEND:VCALENDAR\r\n".encode()


def _client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.api_url)


def test_files_upload_v2_lands_in_the_fake_and_can_be_read_back() -> None:
    with FakeSlack(scopes=SCOPES) as fake:
        response = _client(fake).files_upload_v2(
            content=ICS, filename="session.ics", title="Kubernetes session", channel="G0DUO", initial_comment="📅"
        )

        upload = fake.uploaded("session.ics")
        assert upload.content == ICS  # bytes as sent, non-ASCII intact
        assert (upload.title, upload.channel_id, upload.initial_comment) == ("Kubernetes session", "G0DUO", "📅")
        assert response["file"]["id"] == upload.file_id
        assert [c.method for c in fake.calls] == [
            "files.getUploadURLExternal",
            "upload_url",
            "files.completeUploadExternal",
        ]
        assert fake.history["G0DUO"][-1]["files"][0]["name"] == "session.ics"  # shared in the channel


def test_uploads_need_the_files_write_scope() -> None:
    with FakeSlack(scopes=WITHOUT) as fake, pytest.raises(SlackApiError) as refused:
        _client(fake).files_upload_v2(content=ICS, filename="session.ics", channel="G0DUO")
    assert refused.value.response["error"] == "missing_scope"
    assert fake.uploads == []


def test_a_failing_upload_url_fails_the_upload() -> None:
    with FakeSlack(scopes=SCOPES) as fake:
        fake.fail("upload_url", status=500)
        with pytest.raises(HTTPError):  # slack_sdk lets urllib's error through: callers must catch it too
            _client(fake).files_upload_v2(content=ICS, filename="session.ics", channel="G0DUO")
        assert fake.uploads == []


def test_dnd_info_answers_what_the_test_set_and_off_for_everyone_else() -> None:
    start, end = datetime(2025, 3, 3, 21, tzinfo=UTC), datetime(2025, 3, 4, 7, tzinfo=UTC)
    with FakeSlack(scopes=SCOPES) as fake:
        fake.set_dnd("U0LENA", start.timestamp(), end.timestamp())
        client = _client(fake)
        lena = client.dnd_info(user="U0LENA").data
        priya = client.dnd_info(user="U0PRIYA").data

    assert isinstance(lena, dict)
    assert isinstance(priya, dict)
    assert lena["dnd_enabled"] is True
    assert priya["dnd_enabled"] is False
    assert dnd_intervals(lena, tz="UTC", now=start, days=1)[0] == (start, end)
    assert dnd_intervals(priya, tz="UTC", now=start) == []


def test_dnd_info_needs_the_dnd_read_scope() -> None:
    with FakeSlack(scopes=WITHOUT) as fake, pytest.raises(SlackApiError) as refused:
        _client(fake).dnd_info(user="U0LENA")
    assert refused.value.response["needed"] == "dnd:read"
