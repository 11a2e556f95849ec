"""Clearinghouse connection settings: read from TOML, refused when they carry a secret, built into the right adapter."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from medbill.adapters.clearinghouse.base import apply_pattern
from medbill.adapters.clearinghouse.config import (
    DirectoryConfig,
    HttpConfig,
    SftpConfig,
    load_configs,
    parse_config,
)
from medbill.adapters.clearinghouse.directory import DirectoryClearinghouse
from medbill.adapters.clearinghouse.factory import build_clearinghouse
from medbill.adapters.clearinghouse.http import HttpClearinghouse
from medbill.adapters.clearinghouse.sftp import SftpClearinghouse
from medbill.domain.errors import ValidationError

FINGERPRINT = "SHA256:SYMYZ/kM1M9Ra5EF0RhA2+4Bqi/xLzmakC4sqTtbU3E"


def test_connections_are_read_from_toml_and_built_into_their_adapters(tmp_path: Path) -> None:
    settings = tmp_path / "clearinghouses.toml"
    settings.write_text(
        f"""
[acme-sftp]
transport = "sftp"
host = "sftp.acme-clearing.example"
port = 2222
username = "p12345"
key_file = "{tmp_path / "id_ed25519"}"
key_passphrase_env = "ACME_KEY_PASSPHRASE"
host_key_fingerprint = "{FINGERPRINT.removeprefix("SHA256:")}"
file_name_pattern = "{{stem}}_{{timestamp}}_{{unique}}{{suffix}}"
delete_after_fetch = true

[local]
transport = "directory"
outbound_dir = "{tmp_path / "out"}"
inbound_dir = "{tmp_path / "in"}"

[api]
transport = "http"
base_url = "https://api.clearing.example/v2"
token_env = "API_CLEARING_TOKEN"
"""
    )

    configs = load_configs(settings)

    sftp = configs["acme-sftp"]
    assert isinstance(sftp, SftpConfig)
    assert (sftp.port, sftp.username, sftp.key_file, sftp.delete_after_fetch) == (
        2222,
        "p12345",
        tmp_path / "id_ed25519",
        True,
    )
    assert sftp.host_key_fingerprint == FINGERPRINT  # normalised to the form ssh-keygen -lf prints
    assert (sftp.outbound_dir, sftp.inbound_dir, sftp.trust_on_first_use) == ("outbound", "inbound", False)
    assert isinstance(configs["local"], DirectoryConfig)
    assert isinstance(configs["api"], HttpConfig)
    assert isinstance(build_clearinghouse(configs["acme-sftp"]), SftpClearinghouse)
    assert isinstance(build_clearinghouse(configs["local"]), DirectoryClearinghouse)
    assert isinstance(build_clearinghouse(configs["api"]), HttpClearinghouse)
    assert [build_clearinghouse(c).name for c in configs.values()] == ["acme-sftp", "local", "api"]


@pytest.mark.parametrize("secret", ["password", "token", "passphrase", "private_key"])
def test_a_secret_in_the_settings_is_refused(secret: str) -> None:
    values = {
        "transport": "sftp",
        "host": "h.example",
        "username": "u",
        "password_env": "PW",
        secret: "hunter2-synthetic",
    }

    with pytest.raises(ValidationError) as refused:
        parse_config("acme", values)

    assert refused.value.field == secret
    assert "environment variable" in refused.value.message
    assert "hunter2-synthetic" not in str(refused.value)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"transport": "ftp"}, "transport"),
        ({"transport": "sftp", "host": "h.example", "username": "u"}, "key_file"),
        ({"transport": "sftp", "username": "u", "password_env": "PW"}, "host"),
        ({"transport": "sftp", "host": "h.example", "username": "u", "password_env": "PW", "colour": "x"}, "colour"),
        ({"transport": "sftp", "host": "h.example", "username": "u", "password_env": "PW", "port": 70000}, "port"),
        ({"transport": "sftp", "host": "h", "username": "u", "password_env": "PW", "port": "22x"}, "port"),
        ({"transport": "sftp", "host": "h", "username": "u", "password_env": "MY-PW"}, "password_env"),
        (
            {"transport": "sftp", "host": "h", "username": "u", "password_env": "P", "trust_on_first_use": True},
            "known_hosts_file",
        ),
        (
            {"transport": "sftp", "host": "h", "username": "u", "password_env": "P", "host_key_fingerprint": "abc"},
            "host_key_fingerprint",
        ),
        (
            {"transport": "sftp", "host": "h", "username": "u", "password_env": "P", "file_name_pattern": "claims.x12"},
            "file_name_pattern",
        ),
        (
            {
                "transport": "sftp",
                "host": "h",
                "username": "u",
                "password_env": "P",
                "file_name_pattern": "{payer}.x12",
            },
            "file_name_pattern",
        ),
        ({"transport": "http", "base_url": "http://api.clearing.example"}, "base_url"),
        ({"transport": "http", "base_url": "https://user:pw@api.clearing.example"}, "base_url"),
        ({"transport": "directory", "outbound_dir": "/tmp/out"}, "inbound_dir"),
    ],
)
def test_a_bad_setting_is_refused_by_name(values: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_config("acme", values)

    assert refused.value.field == field


def test_a_bad_connection_in_a_file_is_named_with_its_field(tmp_path: Path) -> None:
    settings = tmp_path / "clearinghouses.toml"
    settings.write_text(
        '[acme]\ntransport = "sftp"\nhost = "h.example"\nusername = "u"\npassword_env = "PW"\nport = 0\n'
    )

    with pytest.raises(ValidationError) as refused:
        load_configs(settings)

    assert refused.value.field == "acme.port"


def test_plain_http_is_allowed_to_this_machine_only_unless_asked() -> None:
    assert parse_config("a", {"transport": "http", "base_url": "http://127.0.0.1:8080/api"}).transport == "http"
    allowed = parse_config("a", {"transport": "http", "base_url": "http://vpn-gw.internal", "allow_plain_http": True})
    assert allowed.transport == "http"


def test_the_naming_pattern_fills_in_the_name_time_and_a_unique_part() -> None:
    at = datetime(2026, 11, 26, 15, 30, 5, tzinfo=UTC)

    name = apply_pattern("P123.{stem}.{timestamp}.{unique}{suffix}", "837P.x12", at)

    prefix, stem, stamp, unique, suffix = name.split(".")
    assert (prefix, stem, stamp, suffix) == ("P123", "837P", "20261126153005", "x12")
    assert len(unique) == 8
    assert apply_pattern("{name}", "batch-1.x12", at) == "batch-1.x12"
