"""Paper claim forms as PDF: the CMS-1500 (02/12) and the UB-04, drawn in full or as data for pre-printed forms."""

from medbill.formats.pdf.cms1500_data import (
    Cms1500Data,
    Cms1500Line,
    DateRange,
    FormProvider,
    InsuranceType,
    QualifiedDate,
    ReferringProvider,
    Relationship,
)
from medbill.formats.pdf.cms1500_render import render_cms1500
from medbill.formats.pdf.grid import RenderMode
from medbill.formats.pdf.ub04_data import (
    CodeCode,
    Diagnosis,
    OccurrenceCode,
    OccurrenceSpan,
    Procedure,
    Ub04Data,
    UbLine,
    UbPayer,
    UbPhysician,
    ValueCode,
)
from medbill.formats.pdf.ub04_render import render_ub04

__all__ = [
    "Cms1500Data",
    "Cms1500Line",
    "CodeCode",
    "DateRange",
    "Diagnosis",
    "FormProvider",
    "InsuranceType",
    "OccurrenceCode",
    "OccurrenceSpan",
    "Procedure",
    "QualifiedDate",
    "ReferringProvider",
    "Relationship",
    "RenderMode",
    "Ub04Data",
    "UbLine",
    "UbPayer",
    "UbPhysician",
    "ValueCode",
    "render_cms1500",
    "render_ub04",
]
