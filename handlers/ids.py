"""Every slash command, action id, callback id and event name the app listens to, once."""

LEARN = "/learn"
TEACH = "/teach"
COMMANDS = (LEARN, TEACH)

USER_CHANGE = "user_change"
APP_HOME_OPENED = "app_home_opened"
REACTION_ADDED = "reaction_added"
REACTION_REMOVED = "reaction_removed"
EVENTS = (USER_CHANGE, APP_HOME_OPENED, REACTION_ADDED, REACTION_REMOVED)

ASK = "ask_expert"
OFFER_HELP = "offer_help"
ACCEPT = "match_accept"
DECLINE = "match_decline"
PROPOSE = "match_propose_time"
PROPOSE_MODAL = "propose_time"
