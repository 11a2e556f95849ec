"""How to reach a practice's clearinghouse: one small frozen dataclass per transport, read from TOML or a mapping.

Secrets never live here: a password, key passphrase or API token is read at connect time from the environment
variable the configuration names (``password_env``, ``key_passphrase_env``, ``token_env``). A configuration that
carries a secret itself is refused.

    [acme]                                   # the connection's name (the archive's mailbox)
    transport = "sftp"
    host = "sftp.acme-clearing.example"
    port = 22
    username = "p12345"
    key_file = "/etc/medbill/acme_ed25519"
    host_key_fingerprint = "SHA256:…"        # as `ssh-keygen -lf` prints it; or known_hosts_file + trust_on_first_use
    outbound_dir = "outbound"
    inbound_dir = "inbound"
    file_name_pattern = "{stem}_{timestamp}_{unique}{suffix}"
"""

from __future__ import annotations

import base64
import binascii
import re
import tomllib
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from medbill.adapters.clearinghouse.base import check_pattern
from medbill.domain.errors import ValidationError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SECRET_KEYS = frozenset({"password", "passphrase", "key_passphrase", "token", "api_key", "secret", "private_key"})
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise ValidationError("is 1 to 60 letters, digits, dots, dashes or underscores", field="name")


def _check_env(value: str | None, field: str) -> None:
    if value is not None and not _ENV.match(value):
        raise ValidationError("names an environment variable (letters, digits, underscores)", field=field)


def _check_positive(value: float, field: str) -> None:
    if not value > 0:
        raise ValidationError("is a number of seconds above zero", field=field)


def _check_glob(value: str) -> None:
    if not value or "/" in value:
        raise ValidationError("is a file name pattern such as * or *.x12", field="inbound_glob")


def normalize_fingerprint(value: str) -> str:
    """``SHA256:<43 base64 characters>`` (the prefix may be left off; trailing ``=`` are dropped)."""
    text = value.strip().removeprefix("SHA256:").rstrip("=")
    try:
        digest = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        digest = b""
    if len(digest) != 32:
        raise ValidationError(
            "is a SHA256 host key fingerprint as ssh-keygen -lf prints it", field="host_key_fingerprint"
        )
    return "SHA256:" + text


@dataclass(frozen=True, slots=True, kw_only=True)
class SftpConfig:
    """A clearinghouse mailbox reached over SFTP."""

    name: str
    host: str
    username: str
    port: int = 22
    key_file: Path | None = None
    key_passphrase_env: str | None = None
    password_env: str | None = None
    host_key_fingerprint: str | None = None
    known_hosts_file: Path | None = None
    trust_on_first_use: bool = False  # accept and record an unknown host key in known_hosts_file, once
    outbound_dir: str = "outbound"
    inbound_dir: str = "inbound"
    file_name_pattern: str = "{name}"
    inbound_glob: str = "*"
    upload_via_temp_name: bool = True  # upload as a dot-file, then rename: the file appears whole or not at all
    delete_after_fetch: bool = False
    connect_timeout_seconds: float = 15.0
    operation_timeout_seconds: float = 60.0
    transport: Literal["sftp"] = "sftp"

    def __post_init__(self) -> None:
        _check_name(self.name)
        if not self.host.strip() or any(ch.isspace() for ch in self.host):
            raise ValidationError("is a host name or address", field="host")
        if not 1 <= self.port <= 65535:
            raise ValidationError("is a port number from 1 to 65535", field="port")
        if not self.username.strip():
            raise ValidationError("is required", field="username")
        if self.key_file is None and self.password_env is None:
            raise ValidationError("set key_file or password_env (or both)", field="key_file")
        _check_env(self.password_env, "password_env")
        _check_env(self.key_passphrase_env, "key_passphrase_env")
        if self.host_key_fingerprint is not None:
            object.__setattr__(self, "host_key_fingerprint", normalize_fingerprint(self.host_key_fingerprint))
        if self.trust_on_first_use and self.known_hosts_file is None:
            raise ValidationError(
                "trusting a first-seen host key needs a known_hosts_file to remember it in", field="known_hosts_file"
            )
        for field in ("outbound_dir", "inbound_dir"):
            if not getattr(self, field).strip():
                raise ValidationError("is a folder on the server", field=field)
        check_pattern(self.file_name_pattern)
        _check_glob(self.inbound_glob)
        _check_positive(self.connect_timeout_seconds, "connect_timeout_seconds")
        _check_positive(self.operation_timeout_seconds, "operation_timeout_seconds")


@dataclass(frozen=True, slots=True, kw_only=True)
class DirectoryConfig:
    """A pair of local folders a clearinghouse's own client software picks up from and drops into."""

    name: str
    outbound_dir: Path
    inbound_dir: Path
    file_name_pattern: str = "{name}"
    inbound_glob: str = "*"
    delete_after_fetch: bool = False
    create_folders: bool = False
    transport: Literal["directory"] = "directory"

    def __post_init__(self) -> None:
        _check_name(self.name)
        check_pattern(self.file_name_pattern)
        _check_glob(self.inbound_glob)


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpConfig:
    """A clearinghouse with an HTTP API: POST a file, GET the list of reports, GET a report (see ``http.py``)."""

    name: str
    base_url: str
    token_env: str | None = None  # bearer token
    submit_path: str = "/submissions"
    reports_path: str = "/reports"
    file_name_pattern: str = "{name}"
    inbound_glob: str = "*"
    delete_after_fetch: bool = False
    timeout_seconds: float = 30.0
    verify_tls: bool = True
    allow_plain_http: bool = False  # http:// to anything but this machine carries PHI in the clear: refused unless set
    transport: Literal["http"] = "http"

    def __post_init__(self) -> None:
        _check_name(self.name)
        url = urlsplit(self.base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValidationError("is an http:// or https:// address", field="base_url")
        if url.username or url.password:
            raise ValidationError("carries no credentials: name an environment variable in token_env", field="base_url")
        if url.query or url.fragment:
            raise ValidationError("has no query or fragment", field="base_url")
        if url.scheme == "http" and url.hostname not in _LOOPBACK and not self.allow_plain_http:
            raise ValidationError("is https:// (plain http is allowed only to this machine)", field="base_url")
        _check_env(self.token_env, "token_env")
        for field in ("submit_path", "reports_path"):
            if not getattr(self, field).startswith("/"):
                raise ValidationError("starts with /", field=field)
        check_pattern(self.file_name_pattern)
        _check_glob(self.inbound_glob)
        _check_positive(self.timeout_seconds, "timeout_seconds")


ClearinghouseConfig = SftpConfig | DirectoryConfig | HttpConfig

_KINDS: dict[str, type[SftpConfig] | type[DirectoryConfig] | type[HttpConfig]] = {
    "sftp": SftpConfig,
    "directory": DirectoryConfig,
    "http": HttpConfig,
}


def parse_config(name: str, values: Mapping[str, Any]) -> ClearinghouseConfig:
    """One connection from plain values (TOML, JSON, a form); refusals name the field."""
    secrets = sorted(_SECRET_KEYS & set(values))
    if secrets:
        raise ValidationError(
            "secrets are not kept in settings: put it in an environment variable and name that variable "
            "in password_env, key_passphrase_env or token_env",
            field=secrets[0],
        )
    transport = values.get("transport")
    kind = _KINDS.get(str(transport))
    if kind is None:
        raise ValidationError(f"is one of {', '.join(_KINDS)}", field="transport")
    hints = get_type_hints(kind)
    known = {f.name: f for f in fields(kind)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValidationError("is not a setting of this transport", field=unknown[0])
    arguments: dict[str, Any] = {"name": name}
    for key, value in values.items():
        if key not in ("name", "transport"):
            arguments[key] = _coerce(hints[key], value, key)
    missing = [f for f, spec in known.items() if f not in arguments and spec.default is MISSING and f != "transport"]
    if missing:
        raise ValidationError("is required", field=missing[0])
    return kind(**arguments)


def load_configs(path: Path) -> dict[str, ClearinghouseConfig]:
    """Every connection in a TOML file whose top-level tables are named connections."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(
            f"could not read the clearinghouse settings ({exc.__class__.__name__})", field=str(path)
        ) from exc
    configs: dict[str, ClearinghouseConfig] = {}
    for name, table in document.items():
        if not isinstance(table, dict):
            raise ValidationError("is a table of settings", field=name)
        try:
            configs[name] = parse_config(name, table)
        except ValidationError as exc:
            raise exc.prefixed(name) from None
    return configs


def _coerce(hint: Any, value: Any, field: str) -> Any:
    args = get_args(hint)
    if get_origin(hint) in (Union, UnionType):
        if value is None and NoneType in args:
            return None
        (hint,) = [a for a in args if a is not NoneType]
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise ValidationError("is true or false", field=field)
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        raise ValidationError("is a whole number", field=field)
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise ValidationError("is a number", field=field)
    if hint is Path:
        if isinstance(value, str | Path) and str(value).strip():
            return Path(value).expanduser()
        raise ValidationError("is a file or folder path", field=field)
    if isinstance(value, str):
        return value
    raise ValidationError("is text", field=field)
