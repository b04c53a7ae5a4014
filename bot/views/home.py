"""The App Home tab."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    CheckboxesElement,
    ConfirmObject,
    ConversationFilter,
    ConversationSelectElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot import ids
from bot.calendar.hours import DAY_NAMES, WorkingHours
from bot.config import WEEKDAYS
from bot.grammar import LEARN_USAGE
from bot.insights.report import Headline
from bot.services.home import HomeData
from bot.services.workspace import ORG_DIGEST, WORKSPACE_DIGESTS, WorkspaceSettings
from bot.views.common import button, clip, context, escape, modal, section
from bot.views.insights_home import dashboard_admins_field, insights_summary
from bot.wire import KudosDmValue, OptOutValue, PauseValue, TopicValue, Verb

MAX_LISTED = 15  # per list, keeping the tab well under Slack's 100 blocks
JUST_WRITE = (
    ":speech_balloon: You can just write to me in the *Messages* tab: “I want to learn kubernetes”, “I can teach "
    "Excel”. In a channel, mention @peerlearn (only you see my answer)."
)


def _colleagues(count: int) -> str:
    return "1 colleague" if count == 1 else f"{count} colleagues"


def home_view(
    data: HomeData,
    admin_settings: WorkspaceSettings | None = None,
    digest_problem: str | None = None,
    emoji: str = "mortar_board",
    insights: Headline | None = None,
    insights_url: str | None = None,
    dashboard_admins: Sequence[str] | None = None,
) -> View:
    """Your topics and needs, upcoming sessions, kudos, the workspace's top topics, and privacy controls;
    for workspace admins, the workspace's settings too; for dashboard admins, the insights."""
    blocks: list[Block] = [HeaderBlock(text="peerlearn"), section("Learn from colleagues, and teach what you know.")]
    blocks.append(context(JUST_WRITE))
    blocks += [
        DividerBlock(),
        section("*What you teach*", button("Add topics", ids.HOME_ADD_TOPICS, Verb("add").value)),
    ]
    for offer in data.topics.offers[:MAX_LISTED]:
        line = f"• *{escape(offer.topic)}*" + (f" ({offer.level.value})" if offer.level else "")
        if offer.note:
            line += f" — {escape(clip(offer.note, 150))}"
        blocks.append(section(line, button("Remove", ids.HOME_REMOVE_TOPIC, TopicValue(clip(offer.topic, 100)).value)))
    if len(data.topics.offers) > MAX_LISTED:
        blocks.append(context(f"…and {len(data.topics.offers) - MAX_LISTED} more: `/teach` lists them all."))
    if not data.topics.offers:
        blocks.append(context("Nothing yet. Add topics here or type `/teach python, sql`."))
    matchable = _matchable(data)
    if matchable is not None:
        blocks.append(matchable)
    blocks += [DividerBlock(), section("*What you want to learn*")]
    if data.needs:
        lines = [f"• *{escape(clip(n.topic, 100))}* — {n.status.value}" for n in data.needs[:MAX_LISTED]]
        if len(data.needs) > MAX_LISTED:
            lines.append(f"…and {len(data.needs) - MAX_LISTED} more: `/learn` lists them all.")
        blocks.append(section("\n".join(lines)))
    else:
        blocks.append(context("Nothing yet. " + LEARN_USAGE))
    if data.upcoming:
        zone = ZoneInfo(data.tz)
        lines = []
        for item in data.upcoming:
            start = item.starts_at.astimezone(zone)
            end = start + timedelta(minutes=item.duration_min or 30)
            role = "you teach" if item.hosting else "you learn"
            lines.append(f"• {start:%a %d %b, %H:%M}–{end:%H:%M} · *{escape(item.topic)}* ({role})")
        blocks += [DividerBlock(), section(f"*Coming up* (your time, {data.tz})\n" + "\n".join(lines))]
    blocks += [DividerBlock(), *_working_hours(data)]
    dm_button = button(
        "Turn off DMs" if data.kudos_dm else "Turn on DMs", ids.HOME_KUDOS_DM, KudosDmValue(not data.kudos_dm).value
    )
    blocks += [
        DividerBlock(),
        section(f":{emoji}: *{data.kudos_month}* kudos this month · *{data.kudos_total}* in total", dm_button),
        context("You get a DM when someone thanks you." if data.kudos_dm else "Kudos DMs are off."),
    ]
    if data.endorsements:
        # Thanks given for a session on a topic: what colleagues say you teach well.
        endorsed = " · ".join(f"*{escape(t)}* by {_colleagues(n)}" for t, n in data.endorsements[:MAX_LISTED])
        blocks.append(section(f":star: Endorsed for {endorsed}"))
    if data.most_taught or data.most_wanted:
        taught = "\n".join(f"• {escape(t)} ({n})" for t, n in data.most_taught) or "—"
        wanted = "\n".join(f"• {escape(t)} ({n})" for t, n in data.most_wanted) or "—"
        blocks += [DividerBlock(), section(f"*Most taught here*\n{taught}"), section(f"*Most wanted here*\n{wanted}")]
    confirm = ConfirmObject(
        title="Delete your data?",
        text="This removes your topics, needs, matches, sessions and kudos from peerlearn. It cannot be undone.",
        confirm="Delete",
        deny="Keep",
        style="danger",
    )
    privacy = ActionsBlock(
        elements=[
            button(
                "Opt back in" if data.opted_out else "Opt out", ids.HOME_OPT_OUT, OptOutValue(not data.opted_out).value
            ),
            button("Delete my data", ids.HOME_DELETE_DATA, Verb("delete").value, danger=True, confirm=confirm),
        ]
    )
    note = "You are opted out: never matched, never named." if data.opted_out else "Needs are private by default."
    blocks += [DividerBlock(), section(f"*Privacy* · {note}"), privacy]
    if admin_settings is not None:
        blocks += [DividerBlock(), _settings_summary(admin_settings)]
        if insights is not None:
            blocks.append(insights_summary(insights, insights_url, dashboard_admins))
        if digest_problem:
            blocks.append(section(digest_problem))
    elif insights is not None and dashboard_admins is not None:
        blocks += [DividerBlock(), insights_summary(insights, insights_url, dashboard_admins)]
    return View(type="home", blocks=blocks)


def _matchable(data: HomeData) -> Block | None:
    """Whether colleagues can be matched with you, and the one switch that changes it (none for someone who
    teaches nothing: there is nothing to pause)."""
    if data.opted_out:
        return section(":no_entry: You are opted out: nobody is matched with you. Opt back in below.")
    if data.topics.paused:
        return section(
            ":double_vertical_bar: Paused: nobody is matched with you.",
            button("Resume", ids.HOME_PAUSE, PauseValue(False).value),
        )
    if not data.topics.offers:
        return None
    return section("You can be matched.", button("Pause", ids.HOME_PAUSE, PauseValue(True).value))


def _working_hours(data: HomeData) -> list[Block]:
    """The days and hours peerlearn proposes sessions in, in the person's timezone; everyone has the default
    until they change it, and someone who changed it can go back in one click."""
    hours = data.hours or WorkingHours.DEFAULT
    default = "" if data.hours else ", the default"
    text = (
        f"*Your working hours:* {hours.label()} ({escape(data.tz)}){default}"
        " — peerlearn proposes session times inside them."
    )
    blocks: list[Block] = [section(text, button("Change", ids.HOME_EDIT_HOURS, Verb("edit").value))]
    if data.hours:
        back = button(
            f"Back to the default ({WorkingHours.DEFAULT.label()})", ids.HOME_DEFAULT_HOURS, Verb("default").value
        )
        blocks.append(ActionsBlock(elements=[back]))
    return blocks


DAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def hours_modal(hours: WorkingHours | None, tz: str) -> View:
    """The working hours form, filled with the ones in force. Block ids are the field names `validate_hours`
    keys its errors by, so each error shows beside its own field."""
    current = hours or WorkingHours.DEFAULT
    days = [Option(value=name, label=label) for name, label in zip(DAY_NAMES, DAY_LABELS, strict=True)]
    blocks: list[Block] = [
        section(
            f"peerlearn proposes session times inside these hours, in your Slack timezone ({escape(tz)}). "
            f"Until you change them they are {WorkingHours.DEFAULT.label()}."
        ),
        InputBlock(
            block_id=ids.Field.DAYS,
            label="Days",
            element=CheckboxesElement(
                action_id=ids.INPUT, options=days, initial_options=[days[day] for day in sorted(current.days)]
            ),
        ),
        InputBlock(
            block_id=ids.Field.START,
            label="Start",
            element=TimePickerElement(action_id=ids.INPUT, initial_time=f"{current.start:%H:%M}"),
        ),
        InputBlock(
            block_id=ids.Field.END,
            label="End",
            element=TimePickerElement(action_id=ids.INPUT, initial_time=f"{current.end:%H:%M}"),
        ),
    ]
    return modal(ids.HOURS_MODAL, "Working hours", "Save", blocks)


def _settings_summary(effective: WorkspaceSettings) -> Block:
    channel = f"<#{effective.learning_channel}>" if effective.learning_channel else "not set"
    emoji = " ".join(f":{name}:" for name in effective.kudos_emoji)
    text = (
        "*Workspace settings* (admins)\n"
        f"Learning channel: {channel} · Digest: {WEEKDAYS[effective.digest_weekday].title()} "
        f"{effective.digest_time:%H:%M} ({effective.timezone})\n"
        f"Kudos: {emoji} · {effective.kudos_daily_limit} a day per person · "
        f"{effective.kudos_pair_weekly_limit} a week to the same colleague"
    )
    return section(text, button("Edit", ids.HOME_EDIT_SETTINGS, Verb("edit").value))


def settings_modal(
    effective: WorkspaceSettings, here: WorkspaceSettings | None = None, dashboard_admins: Sequence[str] | None = None
) -> View:
    """The settings form, filled with what is in force now. `here`: the workspace of an org-wide install the
    admin opened it from; the form then sets the org's settings and this workspace's own digest.
    `dashboard_admins`: who else may open the insights dashboard (the field is left out without them)."""

    def channel_select(initial: str | None) -> ConversationSelectElement:
        return ConversationSelectElement(
            action_id=ids.INPUT,
            default_to_current_conversation=False,
            filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
            initial_conversation=initial,
        )

    def text_input(block_id: str, label: str, value: str, hint: str, optional: bool = False) -> InputBlock:
        element = PlainTextInputElement(action_id=ids.INPUT, initial_value=value, max_length=200)
        return InputBlock(block_id=block_id, label=label, hint=hint, element=element, optional=optional or None)

    days = [Option(value=day, label=day.title()) for day in WEEKDAYS]
    org = here is not None
    blocks: list[Block] = [
        InputBlock(
            block_id=ids.Field.LEARNING_CHANNEL,
            label="Learning channel" + (" (the org's)" if org else ""),
            element=channel_select(effective.learning_channel),
            optional=True,
        ),
        InputBlock(
            block_id=ids.Field.DIGEST_WEEKDAY,
            label="Digest day",
            element=StaticSelectElement(
                action_id=ids.INPUT, options=days, initial_option=days[effective.digest_weekday]
            ),
        ),
        InputBlock(
            block_id=ids.Field.DIGEST_TIME,
            label="Digest time",
            element=TimePickerElement(action_id=ids.INPUT, initial_time=f"{effective.digest_time:%H:%M}"),
        ),
        text_input(
            ids.Field.TIMEZONE,
            "Org timezone" if org else "Workspace timezone",
            effective.timezone,
            "An IANA name, like Europe/Berlin",
        ),
        text_input(ids.Field.KUDOS_EMOJI, "Kudos emoji", ",".join(effective.kudos_emoji), "Names, comma-separated"),
        text_input(
            ids.Field.KUDOS_DAILY_LIMIT, "Kudos per person per day", str(effective.kudos_daily_limit), "1 to 100"
        ),
        text_input(
            ids.Field.KUDOS_PAIR_WEEKLY_LIMIT,
            "Kudos to the same colleague per week",
            str(effective.kudos_pair_weekly_limit),
            "1 to 50",
        ),
    ]
    if here is not None:
        scopes = [
            Option(value=ORG_DIGEST, label="One for the whole org, in the org's learning channel"),
            Option(value=WORKSPACE_DIGESTS, label="One per workspace, in each workspace's own channel"),
        ]
        scope_option = next(o for o in scopes if o.value == effective.digest_scope)
        blocks += [
            InputBlock(
                block_id=ids.Field.DIGEST_SCOPE,
                label="Weekly digest",
                element=RadioButtonsElement(action_id=ids.INPUT, options=scopes, initial_option=scope_option),
            ),
            InputBlock(
                block_id=ids.Field.WORKSPACE_CHANNEL,
                label="This workspace's digest channel",
                hint="Used when each workspace has its own digest",
                element=channel_select(here.learning_channel),
                optional=True,
            ),
            text_input(
                ids.Field.WORKSPACE_TIMEZONE,
                "This workspace's timezone",
                here.timezone if here.timezone != effective.timezone else "",
                "Its digest arrives at the digest time here; empty: the org's timezone",
                optional=True,
            ),
        ]
    if dashboard_admins is not None:
        blocks.append(dashboard_admins_field(dashboard_admins))
    return modal(ids.SETTINGS_MODAL, "Org settings" if org else "Workspace settings", "Save", blocks)


def deleted_view() -> View:
    """What the Home tab shows right after "Delete my data"."""
    text = "Your peerlearn data is deleted. Use `/teach` or `/learn` any time to start again."
    return View(type="home", blocks=[HeaderBlock(text="peerlearn"), section(text)])


def add_topics_modal() -> View:
    """Add topics from the Home tab: the same grammar as /teach, split into fields."""
    levels = [Option(value=level, label=level.title()) for level in ("beginner", "intermediate", "expert")]
    return modal(
        ids.HOME_ADD_MODAL,
        "Add topics",
        "Save",
        [
            InputBlock(
                block_id=ids.Field.TOPICS,
                label=PlainTextObject(text="Topics you can teach"),
                hint=PlainTextObject(text="Separate several with commas: python, sql, public speaking"),
                element=PlainTextInputElement(action_id=ids.INPUT, max_length=1100),
            ),
            InputBlock(
                block_id=ids.Field.LEVEL,
                label=PlainTextObject(text="Level"),
                element=StaticSelectElement(action_id=ids.INPUT, options=levels),
                optional=True,
            ),
            InputBlock(
                block_id=ids.Field.NOTE,
                label=PlainTextObject(text="A note for learners"),
                element=PlainTextInputElement(action_id=ids.INPUT, max_length=300),
                optional=True,
            ),
        ],
    )


ADMINS_ONLY = "Only workspace admins can change these settings."
