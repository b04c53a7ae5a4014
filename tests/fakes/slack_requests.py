"""Drive the real Bolt app as Slack does: signed commands, events and interactions through app.dispatch."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltRequest

from bot.slack.background import Background
from bot.slack.payloads import (
    block_actions,
    command_body,
    event_body,
    interaction_body,
    sign,
    view_submission,
    with_org,
)
from tests.fakes.slack_api import FakeSlack


@dataclass
class Reply:
    status: int
    body: str

    @property
    def json(self) -> dict[str, Any]:
        return dict(json.loads(self.body)) if self.body else {}

    @property
    def text(self) -> str:
        """Every piece of text in the reply (fallback and blocks), for assertions on what a person reads."""
        payload = self.json
        parts = [str(payload.get("text", ""))]
        parts += [json.dumps(block, ensure_ascii=False) for block in payload.get("blocks", [])]
        return "\n".join(parts)


@dataclass
class SlackDriver:
    """Sends what Slack would send; waits for work done after the ack so assertions see it; checks the ack."""

    app: App
    fake: FakeSlack
    secret: str
    background: Background
    team: str = ""  # the workspace the requests come from (default: the fake's)
    enterprise: str = ""  # the org of an org-wide install the workspace belongs to (Enterprise Grid)
    _events: int = 0

    @property
    def team_id(self) -> str:
        return self.team or self.fake.team_id

    def send(
        self, body: str, *, retry: int | None = None, secret: str | None = None, timestamp: int | None = None
    ) -> Reply:
        signed = sign(secret or self.secret, body, retry=retry, timestamp=timestamp)
        response = self.app.dispatch(BoltRequest(body=signed.body, headers=signed.headers))
        self.background.wait_idle()
        # What the app answers goes to Slack too (a command's reply, a modal's update or errors): the fake checks it
        # as Slack would, and a violation fails the test like any refused call.
        self.fake.check_ack(response.body or "")
        return Reply(response.status, response.body or "")

    def command(self, command: str, text: str = "", *, user: str = "UALICE", **kwargs: Any) -> Reply:
        body = command_body(
            command,
            text,
            team_id=self.team_id,
            user_id=user,
            response_url=self.fake.response_url(),
            enterprise_id=self.enterprise or None,
        )
        return self.send(body, **kwargs)

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None) -> Reply:
        if event_id is None:
            self._events += 1
            event_id = f"Ev{self.team_id}{self._events:06d}"
        body = event_body(event, team_id=self.team_id, event_id=event_id, enterprise_id=self.enterprise or None)
        return self.send(body, retry=retry)

    def interaction(self, payload: dict[str, Any]) -> Reply:
        """Any interactivity payload; the workspace (and its org) are filled in when missing."""
        payload.setdefault("team", {"id": self.team_id})
        payload.setdefault("api_app_id", "APEERLRN")
        return self.send(interaction_body(with_org(payload, self.enterprise or None)))

    def click(self, user: str, action_id: str, value: str, *, channel: str = "D0DM", ts: str = "1.0") -> Reply:
        """A button press in a message (a DM, or an ephemeral reply), as a block_actions payload."""
        self._events += 1
        payload = block_actions(
            team_id=self.team_id,
            user_id=user,
            action_id=action_id,
            value=value,
            channel=channel,
            ts=ts,
            response_url=self.fake.response_url(),
            trigger_id=f"trigger.{self._events}",
        )
        return self.interaction(payload)

    def submit(self, user: str, callback_id: str, private_metadata: str, values: dict[str, Any]) -> Reply:
        """A modal submitted, as a view_submission payload."""
        payload = view_submission(
            team_id=self.team_id,
            user_id=user,
            callback_id=callback_id,
            private_metadata=private_metadata,
            values=values,
        )
        return self.interaction(payload)
