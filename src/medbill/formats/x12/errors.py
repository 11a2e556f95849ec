"""The X12 codec's errors: each says where (interchange, transaction set, segment, element) and what was expected."""

from __future__ import annotations

from medbill.domain.errors import FormatError


class X12Error(FormatError):
    """Base of the codec's errors; carries the location of the fault in the file."""

    code = "x12_error"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        interchange: str | None = None,
        transaction: str | None = None,
        segment_position: int | None = None,
        segment_id: str | None = None,
        element_position: int | None = None,
        expected: str | None = None,
    ) -> None:
        self.reason = message
        self.interchange = interchange
        self.transaction = transaction
        self.segment_position = segment_position
        self.segment_id = segment_id
        self.element_position = element_position
        self.expected = expected
        super().__init__(self._compose(), field=field, code=code)

    def _compose(self) -> str:
        where = self.location()
        text = self.reason
        if self.expected:
            text = f"{text}; expected {self.expected}"
        return f"{where}: {text}" if where else text

    def location(self) -> str:
        """Where the fault is, e.g. ``interchange 000000905, transaction set 0001, segment 12 (CLP), element 3``."""
        parts: list[str] = []
        if self.interchange is not None:
            parts.append(f"interchange {self.interchange}")
        if self.transaction is not None:
            parts.append(f"transaction set {self.transaction}")
        if self.segment_position is not None:
            seg = f"segment {self.segment_position}"
            if self.segment_id:
                seg += f" ({self.segment_id})"
            parts.append(seg)
        elif self.segment_id:
            parts.append(f"segment {self.segment_id}")
        if self.element_position is not None:
            parts.append(f"element {self.element_position}")
        return ", ".join(parts)

    def located(
        self,
        *,
        interchange: str | None = None,
        transaction: str | None = None,
        segment_position: int | None = None,
        segment_id: str | None = None,
    ) -> X12Error:
        """The same error with the location filled in where it was not known when raised."""
        return type(self)(
            self.reason,
            code=self.code,
            field=self.field,
            interchange=self.interchange if self.interchange is not None else interchange,
            transaction=self.transaction if self.transaction is not None else transaction,
            segment_position=self.segment_position if self.segment_position is not None else segment_position,
            segment_id=self.segment_id if self.segment_id is not None else segment_id,
            element_position=self.element_position,
            expected=self.expected,
        )

    def prefixed(self, prefix: str) -> X12Error:
        field = f"{prefix}.{self.field}" if self.field else prefix
        err = self.located()
        err.field = field
        return err

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "code": self.code,
            "message": self.reason,
            "interchange": self.interchange,
            "transaction": self.transaction,
            "segment_position": self.segment_position,
            "segment_id": self.segment_id,
            "element_position": self.element_position,
            "expected": self.expected,
        }


class X12SyntaxError(X12Error):
    """The characters do not form X12: no ISA, bad delimiters, a bad number, date or amount in an element."""

    code = "x12_syntax_error"


class X12EnvelopeError(X12Error):
    """ISA/GS/ST … SE/GE/IEA do not match: control numbers, counts, missing trailers, unsupported version."""

    code = "x12_envelope_error"


class X12StructureError(X12Error):
    """The segments are X12 but not the transaction the guide describes: unknown, missing or misplaced segments."""

    code = "x12_structure_error"
