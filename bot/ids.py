"""Every slash command, action id, callback id and event name the app listens to, once."""

import re

LEARN = "/learn"
TEACH = "/teach"
COMMANDS = (LEARN, TEACH)

USER_CHANGE = "user_change"
APP_HOME_OPENED = "app_home_opened"
REACTION_ADDED = "reaction_added"
REACTION_REMOVED = "reaction_removed"
APP_UNINSTALLED = "app_uninstalled"
TOKENS_REVOKED = "tokens_revoked"
MESSAGE = "message"  # subscribed as `message.im`: a direct message in the app's Messages tab
APP_MENTION = "app_mention"  # @peerlearn in a channel it is in
EVENTS = (
    USER_CHANGE,
    APP_HOME_OPENED,
    REACTION_ADDED,
    REACTION_REMOVED,
    APP_UNINSTALLED,
    TOKENS_REVOKED,
    MESSAGE,
    APP_MENTION,
)

# Asking from anywhere: a message, a mention, a shortcut (handlers/messages.py, handlers/shortcuts.py).
LEARN_IT = "anywhere_learn_it"  # on the answer to a message that named a topic but not whether to learn or teach it
TEACH_IT = "anywhere_teach_it"
FIND_COLLEAGUE = "find_colleague"  # message shortcut: "Find a colleague who knows this"
LEARN_OR_TEACH = "learn_or_teach"  # global shortcut: "Learn or teach something"
SHORTCUTS = (FIND_COLLEAGUE, LEARN_OR_TEACH)
ANYWHERE_MODAL = "learn_or_teach_modal"  # both shortcuts' modal

ASK = "ask_expert"
LEARN_PICK = "learn_pick_topic"  # "did you mean…?" or a related topic, after /learn (numbered)
TEACH_PICK = "teach_pick_topic"  # "did you mean…?" after /teach (numbered)
OFFER_HELP = "offer_help"
ACCEPT = "match_accept"
DECLINE = "match_decline"
PROPOSE = "match_propose_time"
PROPOSE_MODAL = "propose_time"  # the meeting-time modal: free times, another time, or just chat
CONFIRM_TIME = "confirm_time"  # the other person's yes to one of the offered times (numbered)
RESCHEDULE = "session_reschedule"
CANCEL_SESSION = "session_cancel"
CANCEL_MODAL = "session_cancel_modal"
CALENDAR_LINK = "session_calendar_link"  # a link button: Slack still reports the click

HOME_ADD_TOPICS = "home_add_topics"
HOME_ADD_MODAL = "home_add_topics_modal"
HOME_REMOVE_TOPIC = "home_remove_topic"
HOME_PAUSE = "home_pause"
HOME_OPT_OUT = "home_opt_out"
HOME_DELETE_DATA = "home_delete_data"

HOME_EDIT_HOURS = "home_edit_hours"  # open the working hours modal
HOURS_MODAL = "working_hours_modal"
HOME_DEFAULT_HOURS = "home_default_hours"  # back to Mon–Fri 09:00–17:00

HOME_EDIT_SETTINGS = "home_edit_settings"
SETTINGS_MODAL = "workspace_settings_modal"

HOME_KUDOS_DM = "home_kudos_dm"
GIVE_KUDOS = "give_kudos"  # on a session follow-up: the learner thanks the host
MARK_DONE = "mark_need_done"  # on a session follow-up: the learner's need is met

SLOT_HOST = "slot_host"  # on a slot invitation: open the slot modal
SLOT_NOT_NOW = "slot_not_now"
SLOT_MODAL = "slot_modal"
SLOT_JOIN = "slot_join"
SLOT_LEAVE = "slot_leave"


# Slack refuses a block in which two elements share an action_id (`invalid_blocks`), so buttons of one kind side
# by side (the offered times, the "did you mean…?" topics) are numbered, and their listener matches every number.


def numbered(action_id: str, index: int) -> str:
    """The action_id of the `index`th button of one kind in a block: `confirm_time.2`."""
    return f"{action_id}.{index}"


def any_numbered(action_id: str) -> re.Pattern[str]:
    """What a listener of numbered buttons matches: `action_id.N`, or `action_id` alone (a click that names only
    the kind of button, as the tests' driver sends, routes the same)."""
    return re.compile(rf"^{re.escape(action_id)}(\.\d+)?$")


def kind(action_id: str) -> str:
    """The kind of a numbered button: `confirm_time.2` → `confirm_time`; any other id as it is."""
    stem, dot, number = action_id.rpartition(".")
    return stem if dot and number.isdigit() else action_id


class Field:
    """The block ids of our modals' inputs: views name their blocks with these, bot/forms.py reads them, and an
    error shown beside a field is keyed by them (Slack's `response_action: errors`)."""

    WHEN = "when"  # the meeting-time modal: a free time, another time, or just chat
    DURATION = "duration"
    DATE = "date"
    TIME = "time"
    REASON = "reason"  # the cancel modal
    CAPACITY = "capacity"  # the slot modal
    TOPICS = "topics"  # App Home's "Add topics"
    LEVEL = "level"
    NOTE = "note"
    CHOICE = "choice"  # the shortcuts' modal: learn or teach
    TOPIC = "topic"
    DAYS = "days"  # working hours
    START = "start"
    END = "end"
    LEARNING_CHANNEL = "learning_channel"  # workspace settings
    DIGEST_WEEKDAY = "digest_weekday"
    DIGEST_TIME = "digest_time"
    TIMEZONE = "timezone"
    KUDOS_EMOJI = "kudos_emoji"
    KUDOS_DAILY_LIMIT = "kudos_daily_limit"
    KUDOS_PAIR_WEEKLY_LIMIT = "kudos_pair_weekly_limit"
    DIGEST_SCOPE = "digest_scope"
    WORKSPACE_CHANNEL = "workspace_channel"
    WORKSPACE_TIMEZONE = "workspace_timezone"
    DASHBOARD_ADMINS = "dashboard_admins"  # who may open the insights dashboard


INPUT = "value"  # the action id of the one element in each of those blocks
