"""The local fake of the Slack Web API used by every end-to-end test.

It lives in `bot.trial.fakeslack` because the console trial runs on it too; this module is the tests' entry point.
"""

from bot.trial.fakeslack import Call, FakeSlack, FakeUser, Fault

__all__ = ["Call", "FakeSlack", "FakeUser", "Fault"]
