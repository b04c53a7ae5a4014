"""The weekly digest: due at the workspace's weekday and time, posted once per ISO week."""

from __future__ import annotations

import enum
import logging
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.insights.mount import dashboard_url
from bot.jobs import JobContext
from bot.services import digest, workspace
from bot.services.workspace import DigestTarget, WorkspaceSettings
from bot.slack import outbox
from bot.telemetry import metrics
from bot.views.digest import digest_message, problem_dm

logger = logging.getLogger(__name__)

# A digest more than this late (the service was down) waits for next week rather than arriving mid-week.
CATCH_UP = timedelta(hours=12)
EVENT_TYPE = "peerlearn_digest"
# Slack's answers that no retry will fix this week: the admin has to act.
CHANNEL_PROBLEMS = {"not_in_channel", "is_archived", "channel_not_found", "restricted_action"}


class Posted(enum.StrEnum):
    POSTED = "posted"
    RECOVERED = "recovered"  # a crashed attempt had posted it: recorded, not posted again
    NOT_DUE = "not_due"  # not its hour, or the workspace came after this week's: its first digest is next week
    NOTHING = "nothing"  # nothing to report this week: not posted
    TAKEN = "taken"  # posted already, or another process is on it
    NO_CHANNEL = "no_channel"
    REFUSED = "refused"  # Slack said no for good (CHANNEL_PROBLEMS); the admin was told
    FAILED = "failed"  # Slack unreachable after retries; tried again when the claim's lease runs out


def run(ctx: JobContext, now: datetime) -> int:
    """Post every digest that is due (one per tenant, or per workspace of an org that chose so)."""
    with ctx.deps.tx() as repos:
        targets = workspace.digest_targets(repos, ctx.deps.settings)
    posted = 0
    for target in targets:
        try:
            posted += post_if_due(ctx, target, now) is Posted.POSTED
        except Exception:  # one workspace's trouble must not stop the others' digests
            logger.exception("digest for %s failed", target.key)
    return posted


def post_if_due(ctx: JobContext, target: DigestTarget, now: datetime) -> Posted:
    effective = ctx.deps.workspace(target.key)
    _, _, due = digest.scheduled(now, effective.digest_weekday, effective.digest_time, effective.timezone)
    if not due <= now < due + CATCH_UP:
        return Posted.NOT_DUE
    with ctx.deps.tx() as repos:
        if digest.installed_after(repos, target.key, due):
            return Posted.NOT_DUE
    return post(ctx, target, now, effective)


def post(
    ctx: JobContext,
    target: DigestTarget,
    now: datetime,
    effective: WorkspaceSettings,
    *,
    force: bool = False,
    on_demand: bool = False,
) -> Posted:
    """Claim this week's digest in the database, post it, record it; a digest with nothing to report is recorded,
    not posted. `force` posts again even if it was posted; `on_demand` posts a week the scheduler found empty."""
    key, team_id = target.key, target.tenant
    channel = effective.learning_channel
    if not channel:
        return Posted.NO_CHANNEL
    year, week, _ = digest.scheduled(now, effective.digest_weekday, effective.digest_time, effective.timezone)
    with ctx.tx(team_id, now) as scope:
        claim = digest.claim(scope, key=key, year=year, week=week, force=force, on_demand=on_demand)
    if claim is None:
        return Posted.TAKEN
    if claim.retry and not force:
        try:
            found = _posted_before(ctx.slack(team_id), channel, year, week, claim.since)
        except (SlackClientError, OSError) as exc:  # connection trouble the client's own retries did not overcome
            logger.warning("digest for %s not posted (%s); retrying later", team_id, type(exc).__name__)
            return Posted.FAILED
        if found is not None:
            _record(ctx, team_id, claim.run_id, channel, found, now)
            return Posted.RECOVERED
    with ctx.tx(team_id, now) as scope:
        built = digest.build(scope, tz=effective.timezone)
        if built.nothing_to_report:
            digest.record_nothing(scope, run_id=claim.run_id)
    if built.nothing_to_report:
        metrics.DIGESTS.labels("nothing").inc()
        logger.info("digest for %s: nothing to report this week, not posted", key)
        return Posted.NOTHING
    payload = digest_message(built, effective.kudos_emoji[0], dashboard_url(ctx.deps.settings))
    sent = outbox.post(ctx.slack(team_id), team_id, channel, metadata=_metadata(year, week), **payload)
    if not sent:
        if sent.error in CHANNEL_PROBLEMS:
            _refused(ctx, team_id, claim.run_id, channel, sent.error, now)
            return Posted.REFUSED
        ctx.trouble(team_id, sent)  # retried when the claim's lease runs out
        return Posted.FAILED
    _record(ctx, team_id, claim.run_id, sent.channel or channel, sent.ts, now)
    metrics.DIGESTS.labels("posted").inc()
    return Posted.POSTED


def _metadata(year: int, week: int) -> dict[str, Any]:
    # Marks the message as this week's digest, so a process that crashed after posting is not repeated.
    return {"event_type": EVENT_TYPE, "event_payload": {"iso_year": year, "iso_week": week}}


def _posted_before(client: Any, channel: str, year: int, week: int, since: datetime) -> str | None:
    """The ts of this week's digest if an earlier attempt posted it before dying; None when it did not."""
    try:
        history = client.conversations_history(
            channel=channel, oldest=f"{since.timestamp() - 60:.6f}", include_all_metadata=True, limit=200
        )
    except SlackApiError as exc:
        # Without channels:history (or groups:history for a private channel) we cannot look: post, accepting a
        # possible repeat over a missing digest. peerlearn doctor names a missing scope.
        logger.warning("cannot read %s to check for an earlier digest (%s)", channel, exc.response.get("error"))
        return None
    for message in history.get("messages", []):
        meta = message.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        if meta.get("event_type") == EVENT_TYPE and (payload.get("iso_year"), payload.get("iso_week")) == (year, week):
            return str(message["ts"])
    return None


def _record(ctx: JobContext, team_id: str, run_id: int, channel: str, ts: str, now: datetime) -> None:
    with ctx.tx(team_id, now) as scope:
        digest.record_posted(scope, run_id=run_id, channel=channel, ts=ts)


def _refused(ctx: JobContext, team_id: str, run_id: int, channel: str, error: str, now: datetime) -> None:
    """Record why, for App Home; DM the admins unless last week failed the same way (they were told then)."""
    with ctx.tx(team_id, now) as scope:
        admins = digest.record_refused(scope, run_id=run_id, channel=channel, error=error)
    metrics.DIGESTS.labels("refused").inc()
    logger.warning("digest for %s refused by Slack: %s in %s", team_id, error, channel)
    for admin in admins:
        ctx.dm(team_id, admin, problem_dm(error, channel))
