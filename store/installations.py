"""The tables of slack_sdk's SQLAlchemy installation and OAuth-state stores, declared with slack_sdk's own
builders so Alembic creates and checks them next to ours (the stores themselves live in bot/slack/install.py)."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData

INSTALLATIONS = SQLAlchemyInstallationStore.default_installations_table_name
BOTS = SQLAlchemyInstallationStore.default_bots_table_name
STATES = SQLAlchemyOAuthStateStore.default_table_name

INSTALL_METADATA = MetaData()
SQLAlchemyInstallationStore.build_installations_table(INSTALL_METADATA, INSTALLATIONS)
SQLAlchemyInstallationStore.build_bots_table(INSTALL_METADATA, BOTS)
SQLAlchemyOAuthStateStore.build_oauth_states_table(INSTALL_METADATA, STATES)
