"""The admins' insights dashboard (/insights): skill gaps, the flow from ask to session, participation and
teachers, behind Sign in with Slack. report.py computes, charts.py draws, page.py renders, web.py serves."""
