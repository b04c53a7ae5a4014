"""The fake Slack's answers, method by method: what Slack would say to a successful call."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bot.trial.fakerecords import DND_OFF, Upload

if TYPE_CHECKING:
    from bot.trial.fakeslack import FakeSlack


def answer(fake: FakeSlack, method: str, args: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    """Slack's answer to a successful call of `method`."""
    if method in ("dnd.info", "files.getUploadURLExternal", "files.completeUploadExternal"):
        return _dnd_or_files(fake, method, args)
    if method == "auth.test":
        team = next((t for t, _, _ in fake.installs.values() if fake.token_of(t) == token), fake.team_id)
        if team.startswith("E"):  # an org-wide install's token: it belongs to the org, not to a workspace
            return {
                "url": "https://peerlearn-org.enterprise.slack.com/",
                "team": "Org",
                "user": "peerlearn",
                "team_id": team,
                "enterprise_id": team,
                "is_enterprise_install": True,
                "user_id": fake.bot_user_id,
                "bot_id": fake.bot_id,
            }
        return {
            "url": "https://peerlearn-demo.slack.com/",
            "team": "Demo",
            "user": "peerlearn",
            "team_id": team,
            "user_id": fake.bot_user_id,
            "bot_id": fake.bot_id,
        }
    if method == "openid.connect.token":
        return fake.oidc.token(fake, args, token)
    if method == "apps.connections.open":
        return {"url": fake.socket_url} if fake.socket_url else {"ok": False, "error": "not_allowed_token_type"}
    if method == "oauth.v2.access":
        install = fake.installs.get(str(args.get("code")))
        if install is None:
            return {"ok": False, "error": "invalid_code"}
        team, name, installer = install
        org = team.startswith("E")  # an org admin installing org-wide: no workspace, the whole org
        return {
            "access_token": fake.token_of(team),
            "token_type": "bot",
            "scope": "chat:write,commands",
            "bot_user_id": fake.bot_user_id,
            "app_id": "APEERLRN",
            "team": None if org else {"id": team, "name": name},
            "enterprise": {"id": team, "name": name} if org else None,
            "is_enterprise_install": org,
            "authed_user": {"id": installer},
        }
    if method == "users.info":
        user = fake.users.get(str(args.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"user": user.as_slack(fake.team_id)}
    if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
        ts = fake._new_ts()
        channel = str(args.get("channel", "C0"))
        if channel.startswith("U"):  # posting to a user id lands in the app's DM with them
            channel = "D" + channel[1:]
        _keep(fake, method, channel, str(args.get("ts") or ts), args)
        return {
            "channel": channel,
            "ts": args.get("ts") or ts,
            "message_ts": ts,
            "message": {"text": args.get("text", ""), "ts": ts},
        }
    if method == "conversations.history":
        needed = "groups:history" if str(args.get("channel")) in fake.private else "channels:history"
        if needed not in fake.scopes:
            return {"ok": False, "error": "missing_scope", "needed": needed}
        oldest = float(args.get("oldest") or 0)
        with fake._lock:
            kept = [dict(m) for m in fake.history.get(str(args.get("channel")), []) if float(m["ts"]) >= oldest]
        if str(args.get("include_all_metadata")).lower() not in ("true", "1"):
            for message in kept:
                message.pop("metadata", None)
        return {"messages": kept[::-1][: int(args.get("limit") or 100)], "has_more": False}
    if method == "conversations.open":
        users = sorted(str(args.get("users", "")).split(","))
        return {"channel": {"id": ("G" if len(users) > 1 else "D") + "".join(u[-4:] for u in users).upper()}}
    if method in ("views.open", "views.publish", "views.update", "views.push"):
        return {"view": {"id": f"V{next(fake._ts)}", **as_dict(args.get("view"))}}
    return {}


def _dnd_or_files(fake: FakeSlack, method: str, args: dict[str, Any]) -> dict[str, Any]:
    needed = "dnd:read" if method == "dnd.info" else "files:write"
    if needed not in fake.scopes:
        return {"ok": False, "error": "missing_scope", "needed": needed}
    if method == "dnd.info":
        with fake._lock:
            return dict(fake.dnd.get(str(args.get("user") or ""), DND_OFF))
    if method == "files.getUploadURLExternal":
        file_id = f"F{next(fake._ts):08d}"
        upload = Upload(file_id, str(args.get("filename") or ""), int(args.get("length") or 0))
        with fake._lock:
            fake.files[file_id] = upload
        return {"file_id": file_id, "upload_url": f"{fake.base_url}/upload/v1/{file_id}"}
    if method == "files.completeUploadExternal":
        wanted = json.loads(args["files"]) if isinstance(args.get("files"), str) else list(args.get("files") or [])
        channels = [c for c in [args.get("channel_id"), *str(args.get("channels") or "").split(",")] if c]
        with fake._lock:
            if any(f.get("id") not in fake.files for f in wanted):
                return {"ok": False, "error": "file_not_found"}
            shared = [fake.files[f["id"]] for f in wanted]
            for upload, f in zip(shared, wanted, strict=True):
                upload.title = f.get("title") or upload.filename
                upload.channel_id = channels[0] if channels else None
                upload.initial_comment = args.get("initial_comment")
                upload.thread_ts = args.get("thread_ts")
                fake.uploads.append(upload)
        listed = [{"id": u.file_id, "name": u.filename, "title": u.title, "size": len(u.content)} for u in shared]
        with fake._lock:  # Slack posts the files in each channel, as a message from the app
            for channel in channels:
                message = {"ts": fake._new_ts(), "text": args.get("initial_comment") or "", "files": listed}
                fake.history.setdefault(channel, []).append({**message, "bot_id": fake.bot_id})
        return {"files": listed}
    return {}


def _keep(fake: FakeSlack, method: str, channel: str, ts: str, args: dict[str, Any]) -> None:
    if method == "chat.postEphemeral":
        return
    message = {"ts": ts, "text": args.get("text", ""), "bot_id": fake.bot_id, "blocks": args.get("blocks")}
    if args.get("metadata"):
        message["metadata"] = as_dict(args["metadata"])
    with fake._lock:
        messages = fake.history.setdefault(channel, [])
        if method == "chat.update":
            messages[:] = [message if m["ts"] == ts else m for m in messages]
        else:
            messages.append(message)


def as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            return dict(json.loads(value))
        except ValueError:
            return {}
    return dict(value) if isinstance(value, dict) else {}
