"""Every slash command, action id, callback id and event name the app listens to, once."""

LEARN = "/learn"
TEACH = "/teach"
COMMANDS = (LEARN, TEACH)

USER_CHANGE = "user_change"
APP_HOME_OPENED = "app_home_opened"
REACTION_ADDED = "reaction_added"
REACTION_REMOVED = "reaction_removed"
EVENTS = (USER_CHANGE, APP_HOME_OPENED, REACTION_ADDED, REACTION_REMOVED)
