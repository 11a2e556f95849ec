"""The one tree of medbill's errors, each with a stable snake_case code and a message that says what to fix.

    MedbillError                      code                  meaning
    ├── ValidationError               invalid_input         a field's value is refused (carries `field`)
    │   └── InvalidIdentifier         invalid_identifier    NPI / TIN / ZIP / phone / state shape or check digit
    ├── NotFound                      not_found             the thing named does not exist in this practice
    ├── Conflict                      conflict              it exists already (duplicate account number, username…)
    ├── InvalidTransition             invalid_transition    a state machine refused a move from its current state
    ├── AuthenticationFailed          authentication_failed bad credentials, expired or revoked token
    ├── PermissionDenied              permission_denied     the role lacks the permission the service needs
    ├── CodeSetError                  code_set_error        a code is unknown, malformed, not billable or not valid then
    ├── FormatError                   format_error          a file (X12, CSV…) could not be read; says where
    └── ClearinghouseError            clearinghouse_error   a transport failed (unreachable, refused, dropped)
        └── HostKeyRejected           host_key_rejected     the server's host key is not the configured one

Every error has `code` (stable, for machines), `message` (for people) and `field` (the input that was
refused, dotted for nested input such as ``lines[2].modifiers``), so a door can show it next to the field.
Messages never contain PHI: they name fields and reasons, not patients' values.
"""

from __future__ import annotations


class MedbillError(Exception):
    """Base of every error medbill raises on purpose."""

    code: str = "medbill_error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def prefixed(self, prefix: str) -> MedbillError:
        """The same error with its field placed under ``prefix`` (``lines[1]`` + ``units``)."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return type(self)(self.message, field=field, code=self.code)


class ValidationError(MedbillError):
    code = "invalid_input"


class InvalidIdentifier(ValidationError):
    code = "invalid_identifier"


class NotFound(MedbillError):
    code = "not_found"


class Conflict(MedbillError):
    code = "conflict"


class InvalidTransition(MedbillError):
    code = "invalid_transition"


class AuthenticationFailed(MedbillError):
    code = "authentication_failed"


class PermissionDenied(MedbillError):
    code = "permission_denied"


class CodeSetError(MedbillError):
    code = "code_set_error"


class FormatError(MedbillError):
    code = "format_error"


class ClearinghouseError(MedbillError):
    """A transport failed (unreachable, refused, timed out, dropped). The message names the mailbox, host and port,
    never a secret. ``maybe_delivered`` is set when an upload failed so late that the file may have arrived."""

    code = "clearinghouse_error"

    def __init__(self, message: str, *, code: str | None = None, maybe_delivered: bool = False) -> None:
        super().__init__(message, code=code)
        self.maybe_delivered = maybe_delivered


class HostKeyRejected(ClearinghouseError):
    """The server presented a host key that is not the configured one (or none is configured)."""

    code = "host_key_rejected"
