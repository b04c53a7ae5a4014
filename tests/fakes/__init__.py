"""Test doubles of what is outside peerlearn: Slack's Web API, and Slack's way of signing requests."""
