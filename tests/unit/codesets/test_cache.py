"""The compiled index: built from a tabular XML and an addenda, cached on disk, rebuilt when a source changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from medbill.codesets import store
from medbill.codesets.store import EditionSpec

TABULAR = """<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2099</version>
  <chapter>
    <name>19</name>
    <desc>Injury (S00-T88)</desc>
    <section id="S50-S59">
      <desc>Injuries to the elbow and forearm (S50-S59)</desc>
      <diag>
        <name>S52</name>
        <desc>Fracture of forearm</desc>
        <excludes1><note>traumatic amputation of forearm (S58.-)</note></excludes1>
        <sevenChrDef>
          <extension char="A">initial encounter for closed fracture</extension>
          <extension char="D">subsequent encounter for closed fracture with routine healing</extension>
        </sevenChrDef>
        <diag>
          <name>S52.9</name>
          <desc>Unspecified fracture of forearm</desc>
          <diag><name>S52.91</name><desc>Unspecified fracture of right forearm</desc></diag>
        </diag>
      </diag>
      <diag>
        <name>S59</name>
        <desc>Other injuries of elbow and forearm</desc>
        <diag><name>S59.9</name><desc>Unspecified injury of forearm</desc></diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
"""


def _specs(tmp_path: Path) -> list[EditionSpec]:
    xml = tmp_path / "tabular.xml"
    xml.write_text(TABULAR)
    addenda = tmp_path / "addenda.txt"
    addenda.write_text("Add:         S5991   Synthetic injury of right forearm\r\nDelete:      S52XX\r\n")
    return [
        EditionSpec(name="T1", effective_from=date(2099, 1, 1), effective_to=date(2099, 6, 30), tabular=xml),
        EditionSpec(
            name="T2", effective_from=date(2099, 7, 1), effective_to=date(2099, 12, 31), addenda=addenda, base="T1"
        ),
    ]


def test_a_small_tabular_compiles_with_expanded_seventh_characters(tmp_path: Path) -> None:
    icd, _, report = store.load(_specs(tmp_path), directory=tmp_path / "cache")
    assert report.source == "compiled"
    assert icd.edition("T1").billable_codes() == ["S5291XA", "S5291XD", "S599"]
    assert icd.edition("T2").billable_codes() == ["S5291XA", "S5291XD", "S5991"]


def test_the_second_load_reads_the_cache(tmp_path: Path) -> None:
    specs = _specs(tmp_path)
    store.load(specs, directory=tmp_path / "cache")
    icd, search, report = store.load(specs, directory=tmp_path / "cache")
    assert report.source == "cache"
    assert search.search("fracture right forearm", on=date(2099, 2, 1))[0].code == "S52.91"
    assert icd.title("S52.91XD", date(2099, 2, 1)) == (
        "Unspecified fracture of right forearm, subsequent encounter for closed fracture with routine healing"
    )


def test_a_changed_source_rebuilds_the_cache_and_drops_the_old_one(tmp_path: Path) -> None:
    specs = _specs(tmp_path)
    _, _, first = store.load(specs, directory=tmp_path / "cache")
    specs[0].tabular.write_text(TABULAR.replace("Unspecified injury of forearm", "Injury of forearm, unspecified"))  # type: ignore[union-attr]
    icd, _, second = store.load(specs, directory=tmp_path / "cache")
    assert (second.source, second.key != first.key) == ("compiled", True)
    assert icd.title("S59.9", date(2099, 2, 1)) == "Injury of forearm, unspecified"
    assert sorted(p.name.split(".")[0] for p in (tmp_path / "cache").glob("icd10cm-*")) == [f"icd10cm-{second.key}"] * 3


def test_a_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    specs = _specs(tmp_path)
    _, _, first = store.load(specs, directory=tmp_path / "cache")
    (tmp_path / "cache" / f"icd10cm-{first.key}.core.marshal").write_bytes(b"not marshal")
    _, _, again = store.load(specs, directory=tmp_path / "cache")
    assert again.source == "compiled"


@pytest.mark.parametrize("name", ["S52", "S52.9"])
def test_headers_of_the_small_tabular_are_not_billable(tmp_path: Path, name: str) -> None:
    icd, _, _ = store.load(_specs(tmp_path), directory=tmp_path / "cache")
    assert icd.is_billable(name, date(2099, 2, 1)) is False
