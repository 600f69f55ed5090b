"""Configuration from the environment (names as in shared/cli-contract.md).

A missing or malformed value stops the program with one line naming the
variable; command-line flags override the environment.

A plain pydantic model reading os.environ, not pydantic-settings: that package
imports asyncio and its cloud secret sources at start, a tenth of a second of
every `driftbot ask`, for nothing these few string variables need.
"""
from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.errors import ConfigError  # noqa: F401  (re-exported: bot.config.ConfigError)


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    slack_bot_token: str | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="DRIFTBOT_SLACK_API_URL")
    slack_timeout: float = Field(10.0, gt=0, le=120, validation_alias="DRIFTBOT_SLACK_TIMEOUT")
    http_timeout: float = Field(10.0, gt=0, le=120, validation_alias="DRIFTBOT_HTTP_TIMEOUT")
    broadcast_channel: str | None = Field(None, validation_alias="DRIFTBOT_BROADCAST_CHANNEL")
    support_channel: str | None = Field(None, validation_alias="DRIFTBOT_SUPPORT_CHANNEL")
    admins_raw: str = Field("", validation_alias=AliasChoices("DRIFTBOT_ADMINS"))
    database_url: str = Field("sqlite:///driftbot.db", validation_alias="DRIFTBOT_DATABASE_URL")
    timezone: str | None = Field(None, validation_alias="DRIFTBOT_TIMEZONE")
    content_dir: Path | None = Field(None, validation_alias="DRIFTBOT_CONTENT_DIR")
    # Overrides routine.yaml's retention.report_days (bot.retention).
    report_retention_days: int | None = Field(None, gt=0, le=36500, validation_alias="DRIFTBOT_REPORT_RETENTION_DAYS")
    log_level: str = Field("WARNING", validation_alias="DRIFTBOT_LOG_LEVEL")
    log_format: str = Field("text", validation_alias="DRIFTBOT_LOG_FORMAT")
    # Teams (`driftbot serve --teams`). The CONNECTIONS__ variables are the Agents SDK's own names
    # (it reads them itself); they are here so that a missing one is named at start.
    teams_client_id: str | None = Field(None, validation_alias="CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID")
    teams_client_secret: str | None = Field(None, validation_alias="CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET")
    teams_tenant_id: str | None = Field(None, validation_alias="CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID")
    teams_anonymous: bool = Field(False, validation_alias="CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED")
    teams_channel: str | None = Field(None, validation_alias="DRIFTBOT_TEAMS_CHANNEL")
    teams_service_url: str | None = Field(None, validation_alias="DRIFTBOT_TEAMS_SERVICE_URL")
    teams_admins_raw: str = Field("", validation_alias="DRIFTBOT_TEAMS_ADMINS")

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value or None

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("must be an SQLAlchemy URL such as sqlite:///driftbot.db or postgresql+psycopg://user@host/db")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value or None

    @field_validator("content_dir")
    @classmethod
    def _content_dir(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"no such folder: {value}")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in ("text", "json"):
            raise ValueError("must be text or json")
        return value.lower()

    @field_validator("teams_service_url")
    @classmethod
    def _service_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://smba.trafficmanager.net/emea/")
        return value or None

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.admins_raw.split(",") if a.strip())

    @property
    def teams_admins(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.teams_admins_raw.split(",") if a.strip())


_ENV_NAMES = {name: (f.validation_alias if isinstance(f.validation_alias, str) else f.validation_alias.choices[0])
              for name, f in Settings.model_fields.items()}


def _environment() -> dict[str, str]:
    """The variables Settings reads, by name. Names match whatever their case
    ("driftbot_log_level" too), as they did with pydantic-settings."""
    env = {name.upper(): value for name, value in os.environ.items()}
    return {name: env[name] for name in _ENV_NAMES.values() if name in env}


def load_settings(**overrides) -> Settings:
    """Read the environment; flags given as overrides win over it."""
    try:
        settings = Settings.model_validate(_environment())
        if overrides := {k: v for k, v in overrides.items() if v is not None}:
            settings = Settings.model_validate({**settings.model_dump(), **overrides})
        return settings
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "?"
        name = _ENV_NAMES.get(field, field)
        raise ConfigError(f"configuration error: {name}: {err['msg']}") from None


def require(settings: Settings, *fields: str) -> None:
    """Stop with a clear line when a variable a command needs is unset."""
    for field in fields:
        if not getattr(settings, field):
            raise ConfigError(f"configuration error: {_ENV_NAMES[field]} is required for this command")
