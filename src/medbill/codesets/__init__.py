"""Reference code sets compiled into fast, dated indexes.

Entry points (all load lazily, once per process):

* `store.icd10cm()` → `Icd10cm`: the ICD-10-CM editions (FY2026 April update from the official tabular XML,
  FY2027 = that + the CMS FY2027 addenda, plus any loaded with `store.register_edition`). `is_billable(code,
  date)`, `title`, `check_billable` (raises the precise `medbill.domain.coding` error), `detail` (chapter,
  block, notes, 7th characters), `edition_on(date)`.
* `store.icd10cm_search()` → `CodeSearch.search(text, limit=, on=)`: ranked words or code-prefix search.
* `suggest.suggest(note)`: ICD-10-CM candidates from a clinical note with their evidence, and E/M hints.
* `lookup.describe(code, date)`: any code (ICD-10-CM, HCPCS, CPT) as the JSON of `medbill codes show`.
* `reference`: HCPCS Level II, CPT numbers, modifiers, POS, CARC, RARC, group codes, claim status codes,
  NUCC taxonomy, practitioner MUE. `ncci.ptp()`: NCCI PTP pairs. `cpt`: a practice's licensed CPT file.
* `conventions`: sex, record-type and age conventions of diagnosis codes, and MCE manifestation codes.

Sources of every data file: data/SOURCES.md.
"""
