"""Block Kit builders: domain dataclasses in, Slack payloads (built with slack_sdk models) out."""
