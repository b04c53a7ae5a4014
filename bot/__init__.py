"""peerlearn: a Slack bot that turns a company's own people into its learning platform."""
