"""Configuration: read once from the environment, in one place.

Every setting is declared once in ``SETTINGS`` (name, default, help) so that the CLI help, the README
and validation share one source.  Values come from the environment; nothing else changes them.

>>> load_settings({"EXPERTBRIDGE_DATABASE_URL": "sqlite:///tmp/x.db"}).database_url
'sqlite:///tmp/x.db'
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SettingSpec:
    """One configurable value: its environment variable, default and meaning."""

    env: str
    default: str
    help: str


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "EXPERTBRIDGE_DATABASE_URL",
        "sqlite:///var/expertbridge.db",
        "SQLAlchemy URL of the database: sqlite:///path or postgresql+psycopg://user@host/db",
    ),
    SettingSpec(
        "EXPERTBRIDGE_INDEX_DIR",
        "var/index",
        "folder of the search index (derived from the database; safe to delete, `reindex` rebuilds it)",
    ),
    SettingSpec("EXPERTBRIDGE_HOST", "127.0.0.1", "address the web server listens on"),
    SettingSpec("EXPERTBRIDGE_PORT", "8000", "port the web server listens on"),
    SettingSpec(
        "EXPERTBRIDGE_API_TOKEN",
        "",
        "bearer token that allows writes through /api/v1; empty disables API writes",
    ),
    SettingSpec("EXPERTBRIDGE_DEFAULT_LANGUAGE", "en", "page language when the browser states none"),
    SettingSpec("EXPERTBRIDGE_MAX_UPLOAD_BYTES", "20000000", "largest import file the web app accepts"),
    SettingSpec(
        "EXPERTBRIDGE_SEMANTIC_MODEL",
        "",
        "folder with model.onnx and tokenizer.json of a sentence-embedding model to re-rank search "
        "results; empty (the default) turns semantic re-ranking off",
    ),
    SettingSpec(
        "EXPERTBRIDGE_SEMANTIC_WEIGHT",
        "0.3",
        "share of the final score that comes from semantic similarity (0 to 1)",
    ),
    SettingSpec(
        "EXPERTBRIDGE_SECURE_COOKIES",
        "auto",
        "mark cookies Secure: auto (when the request came over HTTPS), always (behind a TLS proxy), never",
    ),
    SettingSpec(
        "EXPERTBRIDGE_BASE_URL",
        "",
        "public address of the web app for links in e-mails; set it in production (without it, reset "
        "and reminder links use http://HOST:PORT, invitations the address the inviter used)",
    ),
    SettingSpec("EXPERTBRIDGE_SMTP_HOST", "", "SMTP server for e-mails; empty prints e-mails to the log"),
    SettingSpec("EXPERTBRIDGE_SMTP_PORT", "587", "port of the SMTP server"),
    SettingSpec("EXPERTBRIDGE_SMTP_USER", "", "SMTP user name (empty: no authentication)"),
    SettingSpec("EXPERTBRIDGE_SMTP_PASSWORD", "", "SMTP password"),
    SettingSpec("EXPERTBRIDGE_SMTP_FROM", "expertbridge@localhost", "sender address of e-mails"),
    SettingSpec("EXPERTBRIDGE_SMTP_SECURITY", "starttls", "SMTP connection security: starttls, ssl or none"),
    SettingSpec(
        "EXPERTBRIDGE_TRUSTED_PROXIES",
        "",
        "addresses or networks (comma-separated, e.g. 127.0.0.1,10.0.0.0/8) of reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed; empty believes none",
    ),
    SettingSpec(
        "EXPERTBRIDGE_PDF_FONT",
        "",
        "font file (.ttf, .otf or .ttc) with Cyrillic and Chinese characters for PDF agendas; empty looks "
        "for Noto Sans CJK (Debian's fonts-noto-cjk) and WenQuanYi Zen Hei in the usual places",
    ),
)

SUPPORTED_LANGUAGES = ("ru", "zh", "en")


class SettingsError(ValueError):
    """A setting has a value the program cannot use."""


@dataclass(frozen=True)
class Settings:
    """The values the program runs with."""

    database_url: str
    index_dir: Path
    host: str
    port: int
    api_token: str
    default_language: str
    max_upload_bytes: int
    semantic_model: Path | None = None
    semantic_weight: float = 0.3
    secure_cookies: str = "auto"
    base_url: str = ""
    smtp: SmtpSettings | None = None
    trusted_proxies: tuple[str, ...] = ()
    pdf_font: str = ""


@dataclass(frozen=True)
class SmtpSettings:
    """Where e-mails go; without these, e-mails are printed to the log."""

    host: str
    port: int
    user: str
    password: str
    sender: str
    security: str


def _integer(env: Mapping[str, str], spec: SettingSpec) -> int:
    raw = env.get(spec.env, spec.default)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{spec.env}={raw!r} is not a whole number ({spec.help})") from None
    if value <= 0:
        raise SettingsError(f"{spec.env}={raw!r} must be positive ({spec.help})")
    return value


def _share(env: Mapping[str, str], spec: SettingSpec) -> float:
    raw = env.get(spec.env, spec.default)
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{spec.env}={raw!r} is not a number ({spec.help})") from None
    if not 0.0 <= value <= 1.0:
        raise SettingsError(f"{spec.env}={raw!r} must be between 0 and 1 ({spec.help})")
    return value


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from ``env`` (the process environment by default)."""
    source = os.environ if env is None else env
    specs = {spec.env: spec for spec in SETTINGS}

    def text(name: str) -> str:
        return source.get(name, specs[name].default).strip() or specs[name].default

    language = text("EXPERTBRIDGE_DEFAULT_LANGUAGE")
    if language not in SUPPORTED_LANGUAGES:
        raise SettingsError(
            f"EXPERTBRIDGE_DEFAULT_LANGUAGE={language!r}: use one of {', '.join(SUPPORTED_LANGUAGES)}"
        )
    return Settings(
        database_url=text("EXPERTBRIDGE_DATABASE_URL"),
        index_dir=Path(text("EXPERTBRIDGE_INDEX_DIR")),
        host=text("EXPERTBRIDGE_HOST"),
        port=_integer(source, specs["EXPERTBRIDGE_PORT"]),
        api_token=source.get("EXPERTBRIDGE_API_TOKEN", "").strip(),
        default_language=language,
        max_upload_bytes=_integer(source, specs["EXPERTBRIDGE_MAX_UPLOAD_BYTES"]),
        semantic_model=Path(model)
        if (model := source.get("EXPERTBRIDGE_SEMANTIC_MODEL", "").strip())
        else None,
        semantic_weight=_share(source, specs["EXPERTBRIDGE_SEMANTIC_WEIGHT"]),
        secure_cookies=_choice(
            text("EXPERTBRIDGE_SECURE_COOKIES"), "EXPERTBRIDGE_SECURE_COOKIES", COOKIE_MODES
        ),
        base_url=text("EXPERTBRIDGE_BASE_URL").rstrip("/"),
        smtp=_smtp(source, specs, text),
        trusted_proxies=_networks(source.get("EXPERTBRIDGE_TRUSTED_PROXIES", "")),
        pdf_font=source.get("EXPERTBRIDGE_PDF_FONT", "").strip(),
    )


COOKIE_MODES = ("auto", "always", "never")
SMTP_SECURITY = ("starttls", "ssl", "none")


def _networks(raw: str) -> tuple[str, ...]:
    """Addresses and networks, each checked (``127.0.0.1``, ``10.0.0.0/8``, ``::1``)."""
    found = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            found.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise SettingsError(
                f"EXPERTBRIDGE_TRUSTED_PROXIES: {item!r} is not an IP address or network "
                "(write e.g. 127.0.0.1,10.0.0.0/8)"
            ) from None
    return tuple(found)


def _choice(value: str, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SettingsError(f"{name}={value!r}: use one of {', '.join(allowed)}")
    return value


def _smtp(
    source: Mapping[str, str], specs: Mapping[str, SettingSpec], text: Callable[[str], str]
) -> SmtpSettings | None:
    host = text("EXPERTBRIDGE_SMTP_HOST")
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=_integer(source, specs["EXPERTBRIDGE_SMTP_PORT"]),
        user=text("EXPERTBRIDGE_SMTP_USER"),
        password=source.get("EXPERTBRIDGE_SMTP_PASSWORD", ""),
        sender=text("EXPERTBRIDGE_SMTP_FROM"),
        security=_choice(text("EXPERTBRIDGE_SMTP_SECURITY"), "EXPERTBRIDGE_SMTP_SECURITY", SMTP_SECURITY),
    )
