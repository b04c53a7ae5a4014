"""The `peerlearn` command as a new user meets it: exit codes, one-line errors, and what it leaves behind.

Most checks call `main(argv)` in this process, as a fresh process would run it (the test's own environment,
working folder, standard input, clock and logging). A few start the interpreter, marked `slow`: that the entry
point starts, that an exit code reaches the shell, and that Ctrl-C ends the console cleanly."""

import csv
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from store.db import make_engine
from store.migrate import alembic_config, upgrade
from tests.bot.ops.conftest import Peerlearn
from tests.conftest import POSTGRES_ENV


def process(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as a real process, in the test's clean environment and folder."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )


# -- the real entry point: it starts, its exit codes reach the shell, Ctrl-C ends it --------------------------


@pytest.mark.slow
def test_run_without_credentials_explains_both_modes_and_exits_2() -> None:
    result = process("run")
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN" in result.stderr and "SLACK_SIGNING_SECRET" in result.stderr
    assert "peerlearn console" in result.stderr


@pytest.mark.slow
def test_unreachable_database_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-x")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    result = process("run")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "peerlearn: cannot reach the database at postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


@pytest.mark.slow
def test_console_trial_answers_help_and_learn() -> None:
    result = process("console", stdin="help\n/learn kubernetes\n/as priya\n/home\nquit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "peerlearn console" in out and "Try:" in out  # the banner says what to try
    assert "/learn TOPIC" in out  # help
    assert "Colleagues who can teach you Kubernetes" in out and "@Priya" in out
    assert "You are now @Priya" in out
    assert "App Home" in out and "Kubernetes (expert)" in out
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_console_trial_writes_log_lines_to_a_file_not_the_terminal(tmp_path: Path) -> None:
    result = process("run", "--trial-if-unconfigured", stdin="/learn helm\n1\n")
    assert result.returncode == 0, result.stderr
    assert "Colleagues who can teach you Helm" in result.stdout
    assert "peerlearn.requests" not in result.stdout + result.stderr
    assert " INFO " not in result.stdout + result.stderr
    logged = (tmp_path / "peerlearn-trial.log").read_text(encoding="utf-8")
    assert "INFO peerlearn.requests" in logged and "command /learn" in logged


@pytest.mark.slow
def test_ctrl_c_ends_the_console_without_a_traceback() -> None:
    console = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert console.stdin is not None and console.stdout is not None
        console.stdin.write("help\n")
        console.stdin.flush()
        # Once its answer to `help` is out, the console is in its loop, answering or waiting for the next line.
        for line in console.stdout:
            if "help  ·  quit" in line:
                break
        console.send_signal(signal.SIGINT)
        _, err = console.communicate(timeout=30)
    finally:
        console.kill()
    assert console.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


# -- in this process ------------------------------------------------------------------------------------------


def test_a_bad_setting_is_one_line_naming_the_variable(peerlearn: Peerlearn) -> None:
    result = peerlearn("run", env={"PEERLEARN_KUDOS_DAILY_LIMIT": "lots"})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "PEERLEARN_KUDOS_DAILY_LIMIT" in result.stderr


def test_unreachable_slack_is_one_clear_line(peerlearn: Peerlearn) -> None:
    env = {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-x", "SLACK_API_URL": "http://127.0.0.1:1/api/"}
    result = peerlearn("run", env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("peerlearn: cannot reach Slack at http://127.0.0.1:1/api/")
    assert "Traceback" not in result.stderr


def test_db_upgrade_creates_the_schema(peerlearn: Peerlearn, tmp_path: Path) -> None:
    result = peerlearn("db", "upgrade", env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "x.db").exists()


def test_run_falls_back_to_the_console_when_unconfigured(peerlearn: Peerlearn) -> None:
    result = peerlearn("run", "--trial-if-unconfigured", stdin="help\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No Slack credentials configured: starting the console trial")


@pytest.mark.skipif(not os.environ.get(POSTGRES_ENV), reason=f"{POSTGRES_ENV} is not set")
def test_console_runs_on_postgresql_too(peerlearn: Peerlearn, postgres_url: str) -> None:
    result = peerlearn("console", "--database", postgres_url, stdin="/learn helm\n")
    assert result.returncode == 0, result.stderr
    assert "@Priya" in result.stdout


def test_console_walks_the_whole_ask_accept_intro_flow(peerlearn: Peerlearn) -> None:
    script = "/learn helm\n1\n/as you\n/as priya\n2\njust_chat\n"
    result = peerlearn("console", stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[ 1: Ask ]" in out
    assert "✉ to @Priya:" in out
    assert "[ 2: Accept ]" in out
    assert "┌ Pick a time" in out
    assert "✉ to group DM @Priya, @You:" in out
    assert "No fixed time" in out


def test_console_refuses_someone_elses_button(peerlearn: Peerlearn) -> None:
    result = peerlearn("console", stdin="/learn helm\n1\n2\n")
    assert "Button [2] is in @Priya's DM. Type `/as priya` first." in result.stdout


def test_export_writes_the_skills_matrix_and_open_needs(peerlearn: Peerlearn, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/trial.db"
    script = "/teach go level: expert\n/learn rust\n/as marco\n/teach go\nquit\n"
    assert peerlearn("console", "--database", db, stdin=script).returncode == 0
    out = tmp_path / "skills.csv"
    result = peerlearn("export", "--out", str(out), env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    teaches = {(r["name"], r["topic"], r["level"]) for r in rows if r["kind"] == "teaches"}
    wants = {(r["name"], r["topic"]) for r in rows if r["kind"] == "wants"}
    assert ("You", "Go", "expert") in teaches
    assert ("Priya", "Kubernetes", "expert") in teaches
    assert ("Marco", "Go", "") in teaches  # no level given
    assert ("You", "Rust") in wants
    assert all(r["kudos_received"] == "0" for r in rows)
    assert "wrote" in result.stderr


def test_export_asks_for_a_team_when_there_are_several(peerlearn: Peerlearn, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/empty.db"
    assert peerlearn("db", "upgrade", env={"DATABASE_URL": db}).returncode == 0
    result = peerlearn("export", env={"DATABASE_URL": db})
    assert result.returncode == 2
    assert "--team" in result.stderr


def test_console_kudos_by_reaction(peerlearn: Peerlearn) -> None:
    script = "/as priya\n/say thanks for the helm tips everyone\n/as you\n:react mortar_board m1\n:react tada m1\n"
    result = peerlearn("console", stdin=script)
    assert result.returncode == 0, result.stderr
    assert "(m1)" in result.stdout
    assert "✉ to @Priya:" in result.stdout
    assert "You got kudos!" in result.stdout
    assert result.stdout.count("You got kudos!") == 1  # :tada: is not a kudos emoji


def test_digest_dry_run_prints_the_digest(peerlearn: Peerlearn, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/trial.db"
    assert peerlearn("console", "--database", db, stdin="/learn elixir\n").returncode == 0
    result = peerlearn("digest", "--dry-run", env={"DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    assert "PEERLEARN WEEKLY" in result.stdout
    assert "• Elixir — 1 waiting" in result.stdout
    assert "@You" not in result.stdout  # needs are private: counts, never names


def test_digest_posts_once_a_week_and_force_posts_again(peerlearn: Peerlearn, tmp_path: Path, fake_slack) -> None:
    db = f"sqlite:///{tmp_path}/trial.db"
    assert peerlearn("console", "--database", db, stdin="/learn elixir\n").returncode == 0
    env = {"DATABASE_URL": db, "SLACK_BOT_TOKEN": "xoxb-cli", "SLACK_API_URL": fake_slack.api_url}

    no_channel = peerlearn("digest", env=env)
    assert no_channel.returncode == 2 and "no learning channel" in no_channel.stderr

    env["PEERLEARN_LEARNING_CHANNEL"] = "CLEARN"
    first = peerlearn("digest", env=env)
    assert first.returncode == 0, first.stderr
    assert "posted this week's digest" in first.stdout
    again = peerlearn("digest", env=env)
    assert again.returncode == 0 and "was posted already" in again.stdout
    forced = peerlearn("digest", "--force", env=env)
    assert forced.returncode == 0 and "posted this week's digest" in forced.stdout
    posts = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "CLEARN"]
    assert len(posts) == 2
    assert "Elixir" in str(posts[0].args["blocks"])


def test_digest_without_a_token_says_how_to_post_or_print(peerlearn: Peerlearn, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/trial.db"
    assert peerlearn("console", "--database", db, stdin="/learn elixir\n").returncode == 0
    result = peerlearn("digest", env={"DATABASE_URL": db})
    assert result.returncode == 2 and "SLACK_BOT_TOKEN" in result.stderr and "--dry-run" in result.stderr


def test_console_digest_shows_what_the_channel_would_get(peerlearn: Peerlearn, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/trial.db"
    result = peerlearn("console", "--database", db, stdin="/learn elixir\n/digest\n")
    assert result.returncode == 0, result.stderr
    posted = result.stdout.split("> /digest", 1)[1]
    assert "✉ to #learning:" in posted and "PEERLEARN WEEKLY" in posted and "• Elixir — 1 waiting" in posted


def test_doctor_reports_what_is_wrong_with_a_fix_for_each(peerlearn: Peerlearn, tmp_path: Path, fake_slack) -> None:
    db = f"sqlite:///{tmp_path}/doctor.db"
    env = {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-doctor", "SLACK_API_URL": fake_slack.api_url}
    env["DATABASE_URL"] = db
    fresh = peerlearn("doctor", env=env)
    assert fresh.returncode == 1
    assert "✗ database: sqlite:///" in fresh.stdout and "fix: run: peerlearn db upgrade" in fresh.stdout
    assert not (tmp_path / "doctor.db").exists()  # doctor changes nothing, creates nothing

    assert peerlearn("db", "upgrade", env=env).returncode == 0
    healthy = peerlearn("doctor", env=env)
    assert healthy.returncode == 0, healthy.stdout
    assert "✓ SLACK_BOT_TOKEN: valid, bot @peerlearn in Demo (T0PEERLRN)" in healthy.stdout
    assert "✓ scopes: everything manifest.yml asks for" in healthy.stdout
    assert healthy.stdout.rstrip().endswith("all good")

    fake_slack.scopes.remove("reactions:read")
    missing = peerlearn("doctor", env=env)
    assert missing.returncode == 1 and "✗ scopes: missing reactions:read" in missing.stdout
    assert "fix: update the app from manifest.yml" in missing.stdout

    fake_slack.revoked.add("xoxb-doctor")
    revoked = peerlearn("doctor", env=env)
    assert "✗ SLACK_BOT_TOKEN: Slack refused the token (token_revoked)" in revoked.stdout
    assert "xoxb-doctor" not in revoked.stdout + revoked.stderr


def test_doctor_checks_the_app_token_and_oauth_needs_http(peerlearn: Peerlearn, tmp_path: Path, fake_slack) -> None:
    env = {
        "SLACK_APP_TOKEN": "xapp-1-doctor",
        "SLACK_CLIENT_ID": "1.2",
        "SLACK_CLIENT_SECRET": "x",
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/doctor.db",
    }
    result = peerlearn("doctor", env=env)
    assert result.returncode == 1
    assert "✗ OAuth install: needs HTTP mode" in result.stdout
    assert "✗ SLACK_APP_TOKEN: Slack refused it (not_allowed_token_type)" in result.stdout


def test_oauth_with_socket_mode_is_refused_with_the_fix(peerlearn: Peerlearn) -> None:
    env = {"SLACK_APP_TOKEN": "xapp-1-x", "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "x"}
    result = peerlearn("run", env=env)
    assert result.returncode == 2
    assert "needs HTTP mode" in result.stderr and "unset SLACK_APP_TOKEN" in result.stderr


# -- configuration traps: one line naming the variable and what to do, exit 2 ---------------------------------


def test_a_bot_token_without_a_way_in_is_not_the_console_trial(peerlearn: Peerlearn, tmp_path: Path) -> None:
    result = peerlearn("run", "--trial-if-unconfigured", env={"SLACK_BOT_TOKEN": "xoxb-1"}, stdin="help\n")
    assert result.returncode == 2
    assert result.stdout == ""  # no console trial
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("peerlearn: SLACK_BOT_TOKEN is set, but")
    assert "SLACK_APP_TOKEN" in result.stderr and "SLACK_SIGNING_SECRET" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [("run",), ("doctor",)])
def test_a_token_pasted_from_the_readme_placeholder_is_one_line(peerlearn: Peerlearn, command: tuple[str, ...]) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-…", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "http://127.0.0.1:1/api/"}
    result = peerlearn(*command, env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("peerlearn: invalid setting SLACK_BOT_TOKEN: contains '…'")
    assert "README's placeholder" in result.stderr


def test_an_app_token_without_a_bot_token_says_it_is_missing(peerlearn: Peerlearn, tmp_path: Path) -> None:
    result = peerlearn("run", env={"SLACK_APP_TOKEN": "xapp-1-x"})
    assert result.returncode == 2
    assert result.stderr.startswith("peerlearn: SLACK_BOT_TOKEN is missing: Socket Mode needs it")
    assert "refused" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert list(tmp_path.iterdir()) == []  # refused before touching the database


# -- read-only commands create nothing and migrate nothing ----------------------------------------------------


def test_doctor_on_a_database_that_does_not_exist_creates_nothing(peerlearn: Peerlearn, tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/elsewhere.db"}
    for args in (("doctor",), ("doctor", "--database", "sqlite:///missing.db")):
        result = peerlearn(*args, env=env)
        assert result.returncode == 1
        assert "missing.db" in result.stdout if "--database" in args else "elsewhere.db" in result.stdout
        assert "does not exist yet" in result.stdout and "schema at nothing" not in result.stdout
        assert "fix: run: peerlearn db upgrade (or start the bot once" in result.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [("export",), ("digest", "--dry-run"), ("digest",)])
def test_export_and_digest_say_there_is_nothing_there_and_create_nothing(
    peerlearn: Peerlearn, tmp_path: Path, command: tuple[str, ...]
) -> None:
    for args in (command, (*command, "--database", "sqlite:///missing.db")):
        result = peerlearn(*args)
        assert result.returncode == 2
        assert result.stderr.startswith("peerlearn: there is nothing at sqlite:///")
        assert result.stderr.strip().count("\n") == 0
    assert list(tmp_path.iterdir()) == []


def test_export_points_at_the_console_trials_data(peerlearn: Peerlearn, tmp_path: Path) -> None:
    assert peerlearn("console", stdin="/learn elixir\n").returncode == 0
    result = peerlearn("export")
    assert result.returncode == 2 and "--database sqlite:///peerlearn-trial.db" in result.stderr
    assert not (tmp_path / "peerlearn.db").exists()
    exported = peerlearn("export", "--database", "sqlite:///peerlearn-trial.db")
    assert exported.returncode == 0, exported.stderr
    assert "wants,UYOU,You,Elixir" in exported.stdout


def _oldest_schema(path: Path) -> str:
    """A database left at the first migration, as an older peerlearn would have left it."""
    engine = make_engine(f"sqlite:///{path}")
    first = list(ScriptDirectory.from_config(alembic_config(engine)).walk_revisions())[-1].revision
    upgrade(engine, first)
    engine.dispose()
    return first


@pytest.mark.parametrize("command", [("export",), ("digest", "--dry-run")])
def test_reading_commands_refuse_an_old_schema_instead_of_migrating_it(
    peerlearn: Peerlearn, tmp_path: Path, command: tuple[str, ...]
) -> None:
    (tmp_path / "empty.db").touch()  # what `doctor` used to leave behind
    empty = peerlearn(*command, "--database", "sqlite:///empty.db")
    assert empty.returncode == 2 and "has no peerlearn tables yet" in empty.stderr
    with sqlite3.connect(tmp_path / "empty.db") as connection:
        assert connection.execute("SELECT name FROM sqlite_master").fetchall() == []  # nothing migrated

    first = _oldest_schema(tmp_path / "old.db")
    old = peerlearn(*command, "--database", "sqlite:///old.db")
    assert old.returncode == 2
    assert f"has schema {first}, older than" in old.stderr and "peerlearn db upgrade" in old.stderr
    with sqlite3.connect(tmp_path / "old.db") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(first,)]


def test_database_option_overrides_database_url(peerlearn: Peerlearn, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/trial.db"
    assert peerlearn("console", "--database", db, stdin="/learn elixir\n").returncode == 0
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/nothing.db"}
    digest = peerlearn("digest", "--dry-run", "--database", db, env=env)
    assert digest.returncode == 0, digest.stderr
    assert "• Elixir — 1 waiting" in digest.stdout
    doctor = peerlearn("doctor", "--database", db, env=env)
    assert "✓ database: sqlite:///" in doctor.stdout and "trial.db, schema up to date" in doctor.stdout
    assert not (tmp_path / "nothing.db").exists()
    bad = peerlearn("export", "--database", "trial.db")
    assert bad.returncode == 2 and bad.stderr.startswith(
        "peerlearn: invalid setting --database: expected a database URL"
    )


# -- the console trial keeps its terminal clean -----------------------------------------------------------------


def test_the_console_verbose_shows_log_lines(peerlearn: Peerlearn, tmp_path: Path) -> None:
    result = peerlearn("console", "--verbose", "--database", "sqlite:///t.db", stdin="/learn helm\n")
    assert result.returncode == 0, result.stderr
    assert "INFO peerlearn.requests" in result.stderr
    assert not (tmp_path / "t.log").exists()
    quiet = peerlearn("console", "--database", "sqlite:///t.db", stdin="/learn helm\n")
    assert "INFO" not in quiet.stderr and (tmp_path / "t.log").exists()  # beside its database


# -- the export names learners, unless --anonymous ----------------------------------------------------------


def test_export_help_says_it_is_for_admins_and_names_learners(peerlearn: Peerlearn) -> None:
    result = peerlearn("export", "--help")
    text = " ".join(result.stdout.split())
    assert "For workspace admins: the CSV names people." in text
    assert "every open need with the learner's user id and name" in text
    assert "--anonymous leave learners out: open needs become one row per topic" in text


def test_export_anonymous_leaves_learners_out(peerlearn: Peerlearn, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/trial.db"
    script = "/learn rust\n/as bo\n/learn rust\n/teach go\nquit\n"
    assert peerlearn("console", "--database", db, stdin=script).returncode == 0
    result = peerlearn("export", "--anonymous", "--database", db)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    wants = [r for r in rows if r["kind"] == "wants"]
    assert {r["topic"]: r["learners"] for r in wants}["Rust"] == "4"  # You, Bo, and the seeded Marco and Aiko
    assert all(r["user_id"] == r["name"] == "" for r in wants)
    assert "UYOU" not in result.stdout and "UBO" in result.stdout  # Bo teaches Go: teachers stay named
