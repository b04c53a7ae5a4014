"""Slack plumbing: the Web API client, install, the HTTP server, payloads, pacing and background work."""
