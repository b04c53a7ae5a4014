"""`peerlearn ARGS` in this process, for the command line's tests."""

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from bot.ops.cli import main

# The libraries `configure_logs` quiets: put back after each command, as each process sets them anew.
QUIETED = ("alembic", "apscheduler", "waitress.queue")


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


Peerlearn = Callable[..., Ran]


@pytest.fixture
def peerlearn(capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Peerlearn:
    """`peerlearn ARGS` run in this process; `env` adds to the test's clean environment, `stdin` is what is typed."""

    def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> Ran:
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        quieted = {name: logging.getLogger(name).level for name in QUIETED}
        with monkeypatch.context() as patch:
            for name, value in {"NO_COLOR": "1", **(env or {})}.items():
                patch.setenv(name, value)
            patch.setattr("sys.stdin", io.StringIO(stdin))
            capfd.readouterr()
            try:
                code = main(list(args))
            except SystemExit as exit:  # argparse: --help, or a usage error
                code = exit.code if isinstance(exit.code, int) else 1
            finally:
                # The command configured logging for a whole process: give the test runner its handlers back.
                for handler in root.handlers:
                    if handler not in handlers:
                        handler.close()
                root.handlers[:], root.level = handlers, level
                for name, was in quieted.items():
                    logging.getLogger(name).setLevel(was)
        out, err = capfd.readouterr()
        return Ran(code, out, err)

    return run
