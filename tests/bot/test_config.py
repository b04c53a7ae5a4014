from datetime import time

import pytest

from bot.config import ConfigError, DigestSchedule, NotConfiguredError, load_settings


def test_defaults_match_the_design() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///peerlearn.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.kudos_emoji == ("mortar_board",)
    assert settings.kudos_daily_limit == 5
    assert settings.digest_schedule == DigestSchedule(0, time(9, 0))
    assert settings.timezone == "UTC"
    assert not settings.socket_mode
    assert not settings.http_mode


def test_plain_text_values_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEERLEARN_KUDOS_EMOJI", " tada, :clap: ")
    monkeypatch.setenv("PEERLEARN_DIGEST_SCHEDULE", "Friday 16:30")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    settings = load_settings()
    assert settings.kudos_emoji == ("tada", "clap")
    assert str(settings.digest_schedule) == "fri 16:30"
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"


def test_dotenv_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("SLACK_SIGNING_SECRET=from-dotenv\nPEERLEARN_TIMEZONE=Europe/Berlin\n")
    settings = load_settings()
    assert settings.http_mode
    assert settings.timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PEERLEARN_KUDOS_DAILY_LIMIT", "many"),
        ("PEERLEARN_KUDOS_DAILY_LIMIT", "0"),
        ("PEERLEARN_DIGEST_SCHEDULE", "someday 9"),
        ("PEERLEARN_DIGEST_SCHEDULE", "mon 25:00"),
        ("PEERLEARN_TIMEZONE", "Mars/Olympus"),
        ("PEERLEARN_KUDOS_EMOJI", "not an emoji!"),
        ("SLACK_APP_TOKEN", "xoxb-wrong-kind"),
        ("SLACK_BOT_TOKEN", "xapp-wrong-kind"),
        ("SLACK_API_URL", "slack.com/api"),
        ("PORT", "70000"),
    ],
)
def test_a_malformed_value_names_its_variable(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith(f"invalid setting {variable}: ")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("variable", "value"),
    [("SLACK_BOT_TOKEN", "xoxb-…"), ("SLACK_APP_TOKEN", "xapp-…"), ("SLACK_SIGNING_SECRET", "…")],
)
def test_a_pasted_placeholder_is_refused_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith(f"invalid setting {variable}: contains '…' (U+2026)")
    assert "not in a real token" in message and "README's placeholder" in message
    assert "\n" not in message


def test_a_database_url_must_be_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "peerlearn.db")
    with pytest.raises(ConfigError, match=r"^invalid setting DATABASE_URL: expected a database URL"):
        load_settings()


@pytest.mark.parametrize(
    ("env", "mode"),
    [
        ({"SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1"}, "socket"),
        ({"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1"}, "http"),
        ({"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c"}, "http"),
    ],
)
def test_run_mode_when_the_credentials_add_up(monkeypatch: pytest.MonkeyPatch, env: dict, mode: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert load_settings().run_mode() == mode


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_BOT_TOKEN is set, but Slack needs a way to reach peerlearn"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN is missing: Socket Mode needs it"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is missing: HTTP mode needs it"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET is missing"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c"}, "needs HTTP mode: set SLACK_SIGNING_SECRET"),
        ({"SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "c", "SLACK_APP_TOKEN": "xapp-1"}, "unset SLACK_APP_TOKEN"),
    ],
)
def test_run_mode_names_what_is_missing(monkeypatch: pytest.MonkeyPatch, env: dict, says: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_settings().run_mode()
    assert not isinstance(error.value, NotConfiguredError)  # someone who set a credential wants Slack, not the trial
    assert says in str(error.value) and "\n" not in str(error.value)


def test_no_credentials_at_all_is_not_configured() -> None:
    with pytest.raises(NotConfiguredError):
        load_settings().run_mode()
