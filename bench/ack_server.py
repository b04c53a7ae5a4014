"""An ack-only Bolt app under a chosen server: the baseline every HTTP benchmark compares against.

python -m bench.ack_server {bolt-dev|waitress|gunicorn} SECRET API_URL [inline]
Prints `listening on http://127.0.0.1:PORT` once ready. Bolt's default runs the listener on its thread pool and
waits for the ack in 10 ms sleeps (slack_bolt/listener/thread_runner.py), so each request waits ~10 ms whatever the
CPU; `inline` runs it on the request's thread (`process_before_response=True`), as peerlearn's app does.
"""

from __future__ import annotations

import logging
import socket
import sys

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

THREADS = 8


def ack_only_app(secret: str, api_url: str, *, inline: bool = False) -> App:
    app = App(
        signing_secret=secret,
        client=WebClient(token="xoxb-bench", base_url=api_url),
        process_before_response=inline,
    )

    @app.command("/learn")
    def ack_only(ack: Ack) -> None:
        ack()

    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a line per queued request under load
    server, secret, api_url = sys.argv[1:4]
    app = ack_only_app(secret, api_url, inline=sys.argv[4:5] == ["inline"])
    port = free_port()
    if server == "bolt-dev":
        print(f"listening on http://127.0.0.1:{port}", flush=True)
        app.start(port=port, path="/slack/events", http_server_logger_enabled=False)
    elif server == "waitress":
        from waitress import create_server  # type: ignore[attr-defined]

        httpd = create_server(SlackRequestHandler(app), host="127.0.0.1", port=port, threads=THREADS)
        print(f"listening on http://127.0.0.1:{port}", flush=True)
        httpd.run()
    elif server == "gunicorn":
        from gunicorn.app.base import BaseApplication

        class Gunicorn(BaseApplication):
            def load_config(self) -> None:
                for key, value in {
                    "bind": f"127.0.0.1:{port}",
                    "workers": 1,
                    "threads": THREADS,
                    "worker_class": "gthread",
                    "loglevel": "warning",
                }.items():
                    self.cfg.set(key, value)

            def load(self) -> SlackRequestHandler:
                return SlackRequestHandler(app)

        print(f"listening on http://127.0.0.1:{port}", flush=True)
        Gunicorn().run()
    else:
        raise SystemExit(f"unknown server {server!r}")


if __name__ == "__main__":
    main()
