"""The systemd unit in deploy/ runs `peerlearn run` and stops it the way the server drains (SIGTERM, time enough)."""

import configparser
from pathlib import Path

UNIT = Path(__file__).resolve().parents[1] / "deploy" / "peerlearn.service"


def test_the_unit_runs_peerlearn_and_stops_it_gently() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    unit.read_string(UNIT.read_text())
    service = unit["Service"]
    assert service["ExecStart"].split()[:2] == ["/opt/peerlearn/.venv/bin/peerlearn", "run"]
    assert service["KillSignal"] == "SIGTERM"
    assert int(service["TimeoutStopSec"]) > 10  # longer than the HTTP server's 10 s drain
    assert service["Restart"] == "on-failure" and service["User"] == "peerlearn"
    assert service["EnvironmentFile"] == "/etc/peerlearn/peerlearn.env"  # secrets live outside the unit
    assert unit["Install"]["WantedBy"] == "multi-user.target"
