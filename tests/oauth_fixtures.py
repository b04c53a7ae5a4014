"""OAuth installs for the install and Grid tests: a browser on our WSGI app going through Bolt's install flow."""

import io
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine

from bot.app import build_app
from bot.config import Settings, load_settings
from bot.deps import Deps
from bot.slack.server import PeerlearnWSGI
from store.db import make_sessions
from tests.conftest import SECRET
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def oauth_settings(fake_slack: FakeSlack, database_url: str) -> Settings:
    return load_settings(
        SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET="client-secret",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake_slack.api_url,
        DATABASE_URL=database_url,
    )


@pytest.fixture
def oauth_deps(oauth_settings: Settings, engine: Engine) -> Iterator[Deps]:
    deps = Deps(settings=oauth_settings, engine=engine, db=make_sessions(engine))
    yield deps
    deps.background.wait_idle()
    deps.background.shutdown()


@pytest.fixture
def web(oauth_settings: Settings, oauth_deps: Deps) -> "Web":
    app = build_app(oauth_settings, oauth_deps)
    return Web(PeerlearnWSGI(app, oauth_deps.engine, SECRET), app)


class Web:
    """A browser on our WSGI app, in process."""

    def __init__(self, wsgi: PeerlearnWSGI, app: Any) -> None:
        self.wsgi, self.app = wsgi, app

    def get(self, path: str, query: dict[str, str] | None = None, cookie: str = "") -> tuple[int, dict, str]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": urlencode(query or {}),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "SERVER_NAME": "peerlearn.test",
            "SERVER_PORT": "443",
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(b""),
            "HTTP_COOKIE": cookie,
        }
        answer: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer["status"], answer["headers"] = int(status.split()[0]), headers
            return lambda _chunk: None

        body = b"".join(self.wsgi(environ, start_response)).decode()
        return answer["status"], dict(answer["headers"]), body

    def begin(self) -> tuple[str, str]:
        """Open /slack/install: the state (in Slack's authorize link) and the cookie that goes with it."""
        status, headers, page = self.get("/slack/install")
        assert status == 200 and "slack.com/oauth/v2/authorize" in page
        cookie = SimpleCookie(headers["set-cookie"])
        name = next(iter(cookie))
        return cookie[name].value, f"{name}={cookie[name].value}"

    def install(self, fake: FakeSlack, team: str, name: str) -> tuple[int, str]:
        state, cookie = self.begin()
        code = f"code-{team}"
        fake.installs[code] = (team, name, "UADMIN")
        status, _, page = self.get("/slack/oauth_redirect", {"code": code, "state": state}, cookie)
        return status, page
