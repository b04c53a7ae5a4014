"""The console trial: a terminal Slack with a fake Web API."""
