"""X12 as a person reads it: segments grouped into the implementation guide's loops, named, codes described.

The outline is built from the raw segments, not from the domain mapping, so that it shows every segment of a
file exactly as sent — also the ones medbill does not model — and works for any transaction the codec knows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from medbill.formats.x12.errors import X12StructureError
from medbill.formats.x12.syntax import Segment, decode, split_interchanges

Describe = Callable[[str], str | None]


@dataclass(slots=True)
class OutlineSegment:
    position: int  # 1-based within the interchange
    id: str
    name: str
    elements: list[tuple[str, str, str | None]]  # (reference like "NM101", value, description of a coded value)


@dataclass(slots=True)
class OutlineLoop:
    id: str  # "2300", "ISA", "ST"
    name: str
    segments: list[OutlineSegment] = field(default_factory=list)
    children: list[OutlineLoop] = field(default_factory=list)


SEGMENT_NAMES = {
    "ISA": "Interchange header",
    "IEA": "Interchange trailer",
    "GS": "Functional group header",
    "GE": "Functional group trailer",
    "ST": "Transaction set header",
    "SE": "Transaction set trailer",
    "BHT": "Beginning of hierarchical transaction",
    "BPR": "Financial information",
    "TRN": "Trace number",
    "HL": "Hierarchical level",
    "NM1": "Name",
    "N1": "Party name",
    "N3": "Address",
    "N4": "City, state, ZIP",
    "REF": "Reference",
    "PER": "Contact",
    "DTP": "Date or period",
    "DTM": "Date",
    "DMG": "Demographics",
    "SBR": "Subscriber information",
    "PAT": "Patient information",
    "PRV": "Provider information",
    "CLM": "Claim",
    "HI": "Health care codes",
    "LX": "Line number",
    "SV1": "Professional service",
    "SV2": "Institutional service",
    "CLP": "Claim payment",
    "CAS": "Adjustment",
    "SVC": "Service payment",
    "AMT": "Amount",
    "QTY": "Quantity",
    "LQ": "Remark code",
    "PLB": "Provider adjustment",
    "MIA": "Inpatient adjudication",
    "MOA": "Outpatient adjudication",
    "NTE": "Note",
    "PWK": "Attachment",
    "CL1": "Institutional claim code",
    "OI": "Other insurance",
    "SVD": "Line adjudication",
    "LIN": "Drug identification",
    "CTP": "Drug quantity",
    "K3": "File information",
    "CR1": "Ambulance transport",
    "CRC": "Condition indicator",
    "TA1": "Interchange ack",
    "AK1": "Group response header",
    "AK2": "Transaction set response header",
    "IK3": "Segment error",
    "IK4": "Element error",
    "IK5": "Transaction set response trailer",
    "AK9": "Group response trailer",
    "CTX": "Context",
    "STC": "Status",
    "EQ": "Eligibility inquiry",
    "EB": "Eligibility or benefit",
    "AAA": "Request validation",
    "MSG": "Message",
    "INS": "Insured benefit",
    "III": "Additional inquiry",
    "LS": "Loop header",
    "LE": "Loop trailer",
    "TS3": "Provider summary",
    "TS2": "Provider supplemental summary",
    "CUR": "Currency",
    "RDM": "Remittance delivery method",
    "SVC_": "Service",
    "PS1": "Purchased service",
}

NM1_ENTITIES = {
    "85": "Billing provider",
    "87": "Pay-to provider",
    "IL": "Insured or subscriber",
    "QC": "Patient",
    "PR": "Payer",
    "41": "Submitter",
    "40": "Receiver",
    "DN": "Referring provider",
    "82": "Rendering provider",
    "77": "Service facility",
    "DQ": "Supervising provider",
    "71": "Attending provider",
    "72": "Operating physician",
    "ZZ": "Other operating physician",
    "PE": "Payee",
    "74": "Corrected insured",
    "TT": "Crossover carrier",
    "1P": "Provider",
    "FA": "Facility",
    "2B": "Third-party administrator",
    "36": "Employer",
    "P3": "Primary care provider",
    "03": "Dependent",
    "GP": "Gateway provider",
    "PW": "Pickup address",
    "45": "Drop-off location",
}

# The deepest HL tree of the 5010 guides (276/277: source, receiver, provider, subscriber, dependent) is five
# levels; a chain deeper than this is hostile, and each level costs the outline a scan of the open loops.
MAX_HL_DEPTH = 16

# HL03 level code → (loop id, name) per transaction family
HL_LEVELS = {
    "837": {"20": ("2000A", "Billing provider"), "22": ("2000B", "Subscriber"), "23": ("2000C", "Patient")},
    "27x": {
        "20": ("2000A", "Information source"),
        "21": ("2000B", "Information receiver"),
        "19": ("2000C", "Service provider"),
        "22": ("2000C", "Subscriber"),
        "23": ("2000D", "Dependent"),
        "PT": ("2000D", "Patient"),
    },
}

# NM101 → loop id, by the level the NM1 appears in
NM1_LOOPS = {
    "837": {
        "41": "1000A",
        "40": "1000B",
        "85": "2010AA",
        "87": "2010AB",
        "PE": "2010AC",
        "IL": "2010BA",
        "PR": "2010BB",
        "QC": "2010CA",
        "DN": "2310A",
        "P3": "2310A",
        "82": "2310B",
        "77": "2310C",
        "DQ": "2310D",
        "71": "2310A",
        "72": "2310B",
        "ZZ": "2310C",
    },
}

CLP_STATUS = {
    "1": "Processed as primary",
    "2": "Processed as secondary",
    "3": "Processed as tertiary",
    "4": "Denied",
    "19": "Processed as primary, forwarded to additional payer(s)",
    "20": "Processed as secondary, forwarded",
    "21": "Processed as tertiary, forwarded",
    "22": "Reversal of previous payment",
    "23": "Not our claim, forwarded",
    "25": "Predetermination only",
}
RELATIONSHIPS = {
    "18": "Self",
    "01": "Spouse",
    "19": "Child",
    "20": "Employee",
    "21": "Unknown",
    "39": "Organ donor",
    "40": "Cadaver donor",
    "53": "Life partner",
    "G8": "Other relationship",
}
PAYER_RESPONSIBILITY = {
    "P": "Primary",
    "S": "Secondary",
    "T": "Tertiary",
    "A": "Payer responsibility four",
    "U": "Unknown",
}
ACK_CODES = {
    "A": "Accepted",
    "E": "Accepted with errors",
    "R": "Rejected",
    "M": "Rejected, message authentication",
    "P": "Partially accepted",
    "W": "Rejected, assurance failed validity tests",
    "X": "Rejected, content could not be analysed",
}


def _transaction_family(st01: str) -> str:
    return {"837": "837", "835": "835", "270": "27x", "271": "27x", "276": "27x", "277": "27x", "999": "999"}.get(
        st01, st01
    )


def _first_component(describe: Describe) -> Describe:
    return lambda value: describe(value.split(":", 1)[0].split(">", 1)[0])


def code_set_describers() -> dict[str, Describe]:
    """Descriptions from medbill's reference code sets: adjustment groups and reasons, remarks, POS, claim status."""
    from medbill.codesets import reference

    def text(table: reference.RefTable) -> Describe:
        def describe(code: str) -> str | None:
            found = table.get(code.strip())
            return found.description if found else None

        return describe

    groups, carc, rarc, pos = (
        text(reference.adjustment_groups()),
        text(reference.carc()),
        text(reference.rarc()),
        text(reference.place_of_service()),
    )
    describers: dict[str, Describe] = {
        "LQ02": rarc,
        "CLM05": _first_component(pos),
        "SV105": pos,
        "STC01": _first_component(text(reference.claim_status_categories())),
    }
    for first in range(1, 19, 3):  # CAS01 group, then up to six reason/amount/quantity triples
        describers["CAS01"] = groups
        describers[f"CAS{first + 1:02d}"] = carc
    for ref in ("MOA03", "MOA04", "MOA05", "MOA06", "MOA07"):
        describers[ref] = rarc
    return describers


class Outliner:
    """Turns one file into loops; ``describers`` map an element reference (e.g. "CAS02") to a code describer."""

    def __init__(self, describers: dict[str, Describe] | None = None) -> None:
        self.describers: dict[str, Describe] = {
            "NM101": NM1_ENTITIES.get,
            "N101": NM1_ENTITIES.get,
            "CLP02": CLP_STATUS.get,
            "SBR01": PAYER_RESPONSIBILITY.get,
            "SBR02": RELATIONSHIPS.get,
            "PAT01": RELATIONSHIPS.get,
            "AK501": ACK_CODES.get,
            "IK501": ACK_CODES.get,
            "AK901": ACK_CODES.get,
            "TA104": ACK_CODES.get,
        }
        self.describers.update(describers or {})

    def outline(self, data: bytes | str) -> list[OutlineLoop]:
        interchanges = []
        for _delims, segments in split_interchanges(decode(data)):
            interchanges.append(self._interchange(segments))
        return interchanges

    def _segment(self, position: int, seg: Segment) -> OutlineSegment:
        sid = seg[0].strip()
        elements = []
        for i, value in enumerate(seg[1:], 1):
            if value == "":
                continue
            ref = f"{sid}{i:02d}"
            describe = self.describers.get(ref)
            head = value.split(":", 1)[0] if sid in {"SVC", "SV1", "SV2"} else value
            elements.append((ref, value, describe(head) if describe else None))
        return OutlineSegment(position=position, id=sid, name=SEGMENT_NAMES.get(sid, sid), elements=elements)

    def _interchange(self, segments: list[Segment]) -> OutlineLoop:
        root = OutlineLoop(id="ISA", name="Interchange")
        group: OutlineLoop | None = None
        stack: list[OutlineLoop] = []
        family = ""
        hl_loops: dict[str, OutlineLoop] = {}
        for position, seg in enumerate(segments, 1):
            sid = seg[0].strip()
            item = self._segment(position, seg)
            if sid in {"ISA", "IEA"}:
                root.segments.append(item)
                continue
            if sid == "GS":
                group = OutlineLoop(id="GS", name="Functional group")
                root.children.append(group)
                group.segments.append(item)
                continue
            if sid == "GE" and group is not None:
                group.segments.append(item)
                continue
            if sid == "ST":
                family = _transaction_family(seg[1] if len(seg) > 1 else "")
                st = OutlineLoop(id="ST", name=f"Transaction set {seg[1] if len(seg) > 1 else ''}".strip())
                (group or root).children.append(st)
                stack = [st]
                hl_loops = {}
                st.segments.append(item)
                continue
            if not stack:
                root.segments.append(item)
                continue
            if sid == "SE":
                stack[0].segments.append(item)
                stack = []
                continue
            self._place(stack, item, seg, family, hl_loops)
        return root

    def _open(self, stack: list[OutlineLoop], depth: int, loop: OutlineLoop) -> None:
        """Open ``loop`` at nesting ``depth`` (1 = directly under the transaction set)."""
        del stack[depth:]
        stack[-1].children.append(loop)
        stack.append(loop)

    def _place(
        self,
        stack: list[OutlineLoop],
        item: OutlineSegment,
        seg: Segment,
        family: str,
        hl_loops: dict[str, OutlineLoop],
    ) -> None:
        sid = item.id
        code = seg[1] if len(seg) > 1 else ""
        if sid == "HL":
            level = seg[3] if len(seg) > 3 else ""
            loop_id, name = HL_LEVELS.get(family, {}).get(level, ("2000", f"Level {level}"))
            loop = OutlineLoop(id=loop_id, name=name)
            parent = hl_loops.get(seg[2] if len(seg) > 2 else "")
            if parent is not None:
                # by identity: loops compare equal by content, and comparing deep trees is slow
                depth = next((k + 1 for k, open_loop in enumerate(stack) if open_loop is parent), 1)
                if depth > MAX_HL_DEPTH:
                    raise X12StructureError(
                        f"HL {code} nests {depth} levels deep",
                        code="x12_hl_too_deep",
                        segment_position=item.position,
                        segment_id="HL",
                        element_position=2,
                        expected=f"at most {MAX_HL_DEPTH} HL levels (the guides use five)",
                    )
                del stack[depth:]
                parent.children.append(loop)
                stack.append(loop)
            else:
                self._open(stack, 1, loop)
            hl_loops[seg[1] if len(seg) > 1 else ""] = loop
            loop.segments.append(item)
            return
        opener = self._opener(family, sid, code, stack)
        if opener is not None:
            depth, loop = opener
            self._open(stack, min(depth, len(stack)), loop)
        stack[-1].segments.append(item)

    def _opener(self, family: str, sid: str, code: str, stack: list[OutlineLoop]) -> tuple[int, OutlineLoop] | None:
        """Whether this segment starts a loop, and how deep (counted from the innermost HL or the set)."""
        in_hl = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].id.startswith("2000")), 0)
        if family == "837":
            if sid == "CLM":
                return in_hl + 1, OutlineLoop(id="2300", name="Claim")
            if sid == "LX":
                claim = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].id == "2300"), in_hl)
                return claim + 1, OutlineLoop(id="2400", name="Service line")
            if sid == "SBR" and any(lp.id == "2300" for lp in stack):
                claim = next(i for i in range(len(stack) - 1, 0, -1) if stack[i].id == "2300")
                return claim + 1, OutlineLoop(id="2320", name="Other subscriber")
            if sid == "SVD":
                line = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].id == "2400"), in_hl)
                return line + 1, OutlineLoop(id="2430", name="Line adjudication")
            if sid == "NM1":
                loop_id = NM1_LOOPS["837"].get(code, "NM1")
                name = NM1_ENTITIES.get(code, f"Entity {code}")
                inner = stack[-1].id
                if inner.startswith("24") or inner.startswith("242"):
                    line = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].id == "2400"), in_hl)
                    return line + 1, OutlineLoop(id="2420", name=name)
                if inner in {"2320", "2330"}:
                    other = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].id == "2320"), in_hl)
                    return other + 1, OutlineLoop(id="2330", name=name)
                if loop_id in {"1000A", "1000B"}:
                    return 1, OutlineLoop(id=loop_id, name=name)
                if any(lp.id == "2300" for lp in stack):
                    claim = next(i for i in range(len(stack) - 1, 0, -1) if stack[i].id == "2300")
                    return claim + 1, OutlineLoop(id="2310", name=name)
                return in_hl + 1, OutlineLoop(id=loop_id, name=name)
        if family == "835":
            if sid == "N1":
                loop_id = {"PR": "1000A", "PE": "1000B"}.get(code, "1000")
                return 1, OutlineLoop(id=loop_id, name=NM1_ENTITIES.get(code, "Party"))
            if sid == "LX":
                return 1, OutlineLoop(id="2000", name="Header number")
            if sid == "CLP":
                return 2, OutlineLoop(id="2100", name="Claim payment")
            if sid == "SVC":
                return 3, OutlineLoop(id="2110", name="Service payment")
            if sid == "PLB":
                return 1, OutlineLoop(id="PLB", name="Provider adjustments")
        if family == "27x":
            if sid == "NM1":
                return in_hl + 1, OutlineLoop(
                    id=f"{stack[in_hl].id[:4].replace('2000', '2100')}", name=NM1_ENTITIES.get(code, f"Entity {code}")
                )
            if sid in {"EB", "EQ"}:
                return in_hl + 2, OutlineLoop(id="2110", name="Eligibility or benefit" if sid == "EB" else "Inquiry")
            if sid == "TRN" and in_hl:
                return in_hl + 1, OutlineLoop(id="2200", name="Claim status tracking")
        if family == "999":
            if sid == "AK2":
                return 1, OutlineLoop(id="2000", name="Transaction set response")
            if sid == "IK3":
                return 2, OutlineLoop(id="2100", name="Segment error")
        return None
