"""The X12 acknowledgement codes in words: TA105 interchange notes, 999 IK304/IK403/IK502/AK905 syntax errors.

These are X12's own (internal) code lists, published with the interchange control structure (TA1) and the 999
implementation guide (005010X231A1); the claim status codes of a 277 come from ``codesets.reference`` instead.
"""

from __future__ import annotations

from medbill.domain.acknowledgements import FunctionalAcknowledgement, InterchangeAcknowledgement, SegmentNote

# TA105 interchange note code
INTERCHANGE_NOTES: dict[str, str] = {
    "000": "No error",
    "001": "The interchange control number in the header and trailer do not match",
    "002": "This standard as noted in the control standards identifier is not supported",
    "003": "This version of the controls is not supported",
    "004": "The segment terminator is invalid",
    "005": "Invalid interchange ID qualifier for sender",
    "006": "Invalid interchange sender ID",
    "007": "Invalid interchange ID qualifier for receiver",
    "008": "Invalid interchange receiver ID",
    "009": "Unknown interchange receiver ID",
    "010": "Invalid authorization information qualifier value",
    "011": "Invalid authorization information value",
    "012": "Invalid security information qualifier value",
    "013": "Invalid security information value",
    "014": "Invalid interchange date value",
    "015": "Invalid interchange time value",
    "016": "Invalid interchange standards identifier value",
    "017": "Invalid interchange version ID value",
    "018": "Invalid interchange control number value",
    "019": "Invalid acknowledgment requested value",
    "020": "Invalid test indicator value",
    "021": "Invalid number of included groups value",
    "022": "Invalid control structure",
    "023": "Improper (premature) end-of-file (transmission)",
    "024": "Invalid interchange content (e.g., invalid GS segment)",
    "025": "Duplicate interchange control number",
    "026": "Invalid data element separator",
    "027": "Invalid component element separator",
}

# IK304 implementation segment syntax error code
SEGMENT_ERRORS: dict[str, str] = {
    "1": "Unrecognized segment ID",
    "2": "Unexpected segment",
    "3": "Required segment missing",
    "4": "Loop occurs over maximum times",
    "5": "Segment exceeds maximum use",
    "6": "Segment not in defined transaction set",
    "7": "Segment not in proper sequence",
    "8": "Segment has data element errors",
    "I4": 'Implementation "not used" segment present',
    "I6": "Implementation dependent segment missing",
    "I7": "Implementation loop occurs under minimum times",
    "I8": "Implementation segment below minimum use",
    "I9": 'Implementation dependent "not used" segment present',
}

# IK403 implementation data element syntax error code
ELEMENT_ERRORS: dict[str, str] = {
    "1": "Required data element missing",
    "2": "Conditional required data element missing",
    "3": "Too many data elements",
    "4": "Data element too short",
    "5": "Data element too long",
    "6": "Invalid character in data element",
    "7": "Invalid code value",
    "8": "Invalid date",
    "9": "Invalid time",
    "10": "Exclusion condition violated",
    "12": "Too many repetitions",
    "13": "Too many components",
    "I6": "Code value not used in implementation",
    "I9": "Implementation dependent data element missing",
    "I10": 'Implementation "not used" data element present',
    "I11": "Implementation too few repetitions",
    "I12": "Implementation pattern match failure",
    "I13": 'Implementation dependent "not used" data element present',
}

# IK502 … IK506 transaction set syntax error code
SET_ERRORS: dict[str, str] = {
    "1": "Transaction set not supported",
    "2": "Transaction set trailer missing",
    "3": "Transaction set control number in header and trailer do not match",
    "4": "Number of included segments does not match actual count",
    "5": "One or more segments in error",
    "6": "Missing or invalid transaction set identifier",
    "7": "Missing or invalid transaction set control number",
    "18": "Transaction set not in functional group",
    "19": "Invalid transaction set implementation convention reference",
    "23": "Transaction set control number not unique within the functional group",
    "I5": "Implementation one or more segments in error",
    "I6": "Implementation convention not supported",
}

# AK905 … AK909 functional group syntax error code
GROUP_ERRORS: dict[str, str] = {
    "1": "Functional group not supported",
    "2": "Functional group version not supported",
    "3": "Functional group trailer missing",
    "4": "Group control number in the functional group header and trailer do not agree",
    "5": "Number of included transaction sets does not match actual count",
    "6": "Group control number violates syntax",
}


def _named(table: dict[str, str], code: str | None) -> str:
    return f"{code} {table[code]}" if code in table else f"{code}"


def interchange_note_words(ack: InterchangeAcknowledgement) -> str:
    """``TA1 R 021: Invalid number of included groups value`` for one TA1."""
    text = INTERCHANGE_NOTES.get(ack.note_code, "unknown note code")
    return f"TA1 {ack.code.value} {ack.note_code}: {text}"


def segment_words(note: SegmentNote) -> str:
    """``segment DTP at 23 (8 Segment has data element errors): element 3 (8 Invalid date)`` for one IK3 and its IK4s."""
    text = f"segment {note.segment_id} at {note.position}"
    if note.loop_id:
        text += f" in loop {note.loop_id}"
    if note.error_code:
        text += f" ({_named(SEGMENT_ERRORS, note.error_code)})"
    elements = [
        f"element {e.position}"
        + (f".{e.component}" if e.component else "")
        + f" ({_named(ELEMENT_ERRORS, e.error_code)})"
        for e in note.elements  # IK404 (the bad value) is left out: it may be PHI, and the position says enough
    ]
    return f"{text}: {', '.join(elements)}" if elements else text


def functional_ack_words(ack: FunctionalAcknowledgement, set_control_numbers: set[str] | None = None) -> str:
    """What a 999 refused, in words: each rejected set's IK502 codes and its IK3/IK4 notes, then the AK905 codes."""
    parts: list[str] = []
    for r in ack.responses:
        if r.code.accepted or (set_control_numbers is not None and r.control_number not in set_control_numbers):
            continue
        why = [_named(SET_ERRORS, c) for c in r.error_codes] + [segment_words(s) for s in r.segments]
        parts.append(f"set {r.control_number}: " + "; ".join(why or ["rejected"]))
    parts += [f"group: {_named(GROUP_ERRORS, c)}" for c in ack.error_codes]
    return f"999 {ack.code.value} " + (" | ".join(parts) if parts else "rejected")
