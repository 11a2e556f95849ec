"""Coverage and payer rules: coverage on the date of service, timely filing, duplicates, and each payer's own rules."""

from __future__ import annotations

from datetime import timedelta

from medbill.domain.claims import ClaimFrequency
from medbill.domain.scrub import Finding
from medbill.services.scrubbing.registry import RULES
from medbill.services.scrubbing.view import ClaimView

R = RULES


def check_coverage(v: ClaimView, out: list[Finding]) -> None:
    c = v.claim
    periods = v.facts.coverage if v.facts is not None else None
    if periods is not None:
        for line, on in zip(c.lines, v.line_dates, strict=True):
            if on is not None and not any(p.covers(on) for p in periods):
                out.append(
                    R["coverage.inactive"].finding(
                        f"Line {line.number}: the patient's coverage with payer {v.payer_id} is not active on "
                        f"{on.isoformat()}; verify eligibility (270/271) and bill the payer that covered that date, "
                        "or the patient.",
                        line=line.number,
                        field=f"lines[{line.number}].service_date",
                        location=v.where("payer"),
                    )
                )
    today = v.context.today
    days = v.facts.timely_filing_days if v.facts is not None else None
    if days is None:
        days = v.context.timely_filing_days.get(v.payer_id)
    if days is None and v.payer is not None:
        days = v.payer.timely_filing_days
    if today is not None and days is not None and v.first_date is not None:
        deadline = v.first_date + timedelta(days=days)
        if today > deadline:
            out.append(
                R["coverage.timely_filing"].finding(
                    f"The first date of service {v.first_date.isoformat()} is more than {days} days ago: payer "
                    f"{v.payer_id}'s filing limit ended on {deadline.isoformat()}. Send it only with proof of timely "
                    "filing (an earlier acceptance report) or adjust the balance off.",
                    field="service_dates",
                    location=v.where("line_date"),
                )
            )
    sent = v.context.sent
    if sent and c.frequency not in (ClaimFrequency.REPLACEMENT, ClaimFrequency.VOID):
        for n, sig in v.line_signatures():
            other = sent.get(sig)
            if other is not None and other != c.patient_control_number:
                mods = f" with modifiers {', '.join(sig.modifiers)}" if sig.modifiers else ""
                out.append(
                    R["coverage.duplicate"].finding(
                        f"Line {n}: {sig.code}{mods} on {sig.service_date} for the same patient and payer was already "
                        f"billed on claim {other}; remove the line, or send a replacement (frequency 7) of {other} "
                        "if it changes that claim.",
                        line=n,
                        field=f"lines[{n}].procedure",
                        location=v.where("claim_id"),
                    )
                )


def check_payer(v: ClaimView, out: list[Finding]) -> None:
    rules = v.payer
    if rules is None:
        return
    c = v.claim
    payer = f"payer {v.payer_id}" + (f" ({rules.name})" if rules.name else "")
    member = c.subscriber.subscriber.identifier or ""
    if rules.member_id_pattern is not None and member and not rules.member_id_pattern.fullmatch(member.strip()):
        example = f", e.g. {rules.member_id_example}" if rules.member_id_example else ""
        out.append(
            R["payer.member_id_pattern"].finding(
                f"The member ID does not have the shape {payer} issues{example}; copy it from the card (with any "
                "prefix or suffix).",
                field="subscriber.member_id",
                location=v.where("subscriber_id"),
            )
        )
    if rules.max_diagnoses is not None and len(v.diagnoses) > rules.max_diagnoses:
        out.append(
            R["payer.max_diagnoses"].finding(
                f"{payer} accepts {rules.max_diagnoses} diagnoses per claim and this one has {len(v.diagnoses)}; keep "
                "the ones the lines point at.",
                field="diagnoses",
                location=v.where("diagnosis"),
            )
        )
    if (
        rules.rendering_required
        and "82" not in v.providers
        and not all(any(p.role == "82" for p in ln.providers) for ln in c.lines)
    ):
        out.append(
            R["payer.rendering_required"].finding(
                f"{payer} wants the rendering provider on every claim; add the rendering provider's NPI.",
                field="rendering_provider",
                location=v.where("rendering"),
            )
        )
    has_auth = bool(c.prior_authorization) or any(r.qualifier == "G1" for r in c.references)
    for line in c.lines:
        p = line.procedure
        if p is None:
            continue
        n, code = line.number, p.code
        if code in rules.referring_required and not v.line_has_role(line, ("DN", "DK")):
            out.append(
                R["payer.referring_required"].finding(
                    f"Line {n}: {payer} pays {code} only with a referring provider; add the referring provider's "
                    "name and NPI.",
                    line=n,
                    field=f"lines[{n}].referring_provider",
                    location=v.where("referring"),
                )
            )
        for req in rules.modifier_required:
            if code in req.codes and not req.modifiers.intersection(p.modifiers):
                out.append(
                    R["payer.modifier_required"].finding(
                        f"Line {n}: {payer}: {req.why}; add one of {', '.join(sorted(req.modifiers))} to {code}.",
                        line=n,
                        field=f"lines[{n}].modifiers",
                        location=v.where("modifier"),
                    )
                )
        if code in rules.prior_authorization and not has_auth and not any(r.qualifier == "G1" for r in line.references):
            out.append(
                R["payer.prior_authorization"].finding(
                    f"Line {n}: {payer} needs prior authorization for {code}; add the authorization number.",
                    line=n,
                    field="prior_authorization",
                    location=v.where("prior_auth"),
                )
            )
