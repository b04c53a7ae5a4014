"""The weekly digest message: the last 7 days up to when it is built (well under Slack's 50 blocks)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock

from bot.services.digest import Digest
from bot.views.common import context, escape, section

MEDALS = (":first_place_medal:", ":second_place_medal:", ":third_place_medal:", ":sparkles:", ":sparkles:")


def digest_message(digest: Digest, emoji: str = "mortar_board", insights_url: str | None = None) -> dict[str, Any]:
    """The digest as a chat.postMessage payload; with `insights_url`, a line pointing admins to the dashboard."""
    blocks: list[Block] = [HeaderBlock(text=f"peerlearn weekly · week {digest.iso_week}")]
    if digest.wanted_untaught:
        lines = [f"• *{escape(topic)}* — {n} waiting" for topic, n in digest.wanted_untaught]
        blocks += [section(":raising_hand: *Wanted, and nobody teaches it yet*\n" + "\n".join(lines))]
    if digest.new_experts:
        lines = [f"• *{escape(topic)}* — {n} new" for topic, n in digest.new_experts]
        blocks += [section(":seedling: *New teachers in the last 7 days*\n" + "\n".join(lines))]
    zone = ZoneInfo(digest.tz)
    plural = "s" if digest.sessions_held != 1 else ""
    sessions = f":handshake: *{digest.sessions_held}* session{plural} held in the last 7 days"
    if digest.upcoming:
        coming = [f"• {start.astimezone(zone):%a %H:%M} · *{escape(topic)}*" for topic, start in digest.upcoming]
        sessions += "\n*Coming up*\n" + "\n".join(coming)
    blocks += [section(sessions)]
    if digest.leaderboard:
        lines = [f"{MEDALS[i]} <@{user}> · {n} kudos" for i, (user, n) in enumerate(digest.leaderboard)]
        blocks += [DividerBlock(), section(f":{emoji}: *Most thanked in the last 7 days*\n" + "\n".join(lines))]
    if digest.shout_outs:
        names = ", ".join(f"<@{user}> ({escape(topic)})" for user, topic in digest.shout_outs)
        blocks += [
            section(
                f":clap: *Shout-outs* to everyone who taught in the last 7 days: {names}. "
                "Thank you for sharing what you know!"
            )
        ]
    blocks += [
        DividerBlock(),
        section("*Know one of the wanted topics?* Type `/teach TOPIC`. *Curious?* Type `/learn TOPIC`."),
        context(f"Times in {digest.tz}. Needs are private: only topics and counts appear here."),
    ]
    if insights_url:  # the dashboard itself lets in admins only
        blocks.append(
            context(f"Admins: skill gaps, the flow and participation are on <{insights_url}|the insights dashboard>.")
        )
    text = f"peerlearn weekly: {len(digest.wanted_untaught)} wanted topics, {digest.sessions_held} sessions"
    return {"text": text, "blocks": [block.to_dict() for block in blocks]}


PROBLEMS = {
    "not_in_channel": "peerlearn is not a member of <#{channel}>. Open the channel and type `/invite @peerlearn`.",
    "is_archived": "<#{channel}> is archived. Choose another learning channel in the settings below.",
    "channel_not_found": "The learning channel ({channel}) no longer exists. Choose another one in the settings below.",
    "restricted_action": "Posting in <#{channel}> is restricted. Let peerlearn post there, or pick another channel.",
}


def channel_problem(error: str, channel: str) -> str:
    """Why the last digest was not posted, and what fixes it (for admins: App Home and DM)."""
    fix = PROBLEMS.get(error, "Slack answered `{error}`.").format(channel=channel, error=error)
    return f":warning: *The weekly digest could not be posted.* {fix} It will be tried again next week."


def problem_dm(error: str, channel: str) -> dict[str, Any]:
    text = channel_problem(error, channel).replace("in the settings below", "in peerlearn's App Home settings")
    return {"text": "The weekly digest could not be posted.", "blocks": [section(text).to_dict()]}
