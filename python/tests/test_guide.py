"""The Python guide (docs/guide/python.md) runs as written and its two versions agree.

The guide solves each exercise with NumPy or pandas and with brisk, and checks that the two agree
(its blocks hold the ``assert``s). This test extracts its ```python blocks and runs the blocks of
each ``##`` section in order, in one namespace per section, in a temporary directory holding
small files of the names the guide reads (the guide means them big; any file of that shape will
do). Sizes that are big on purpose (chunk sizes, the benchmark's array) are made small here by
the replacements in ``SMALL``, each of which must still match the guide.
"""

from __future__ import annotations

import importlib.util
import re
import warnings
from pathlib import Path
from typing import Dict, List, NamedTuple

import numpy as np
import pandas as pd
import pytest

import brisk

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "python.md"

#: Per section (by the start of its heading): a big size of the guide and the small one run here.
SMALL: Dict[str, List[tuple[str, str]]] = {
    "C.5": [
        ("chunksize=100_000", "chunksize=300"),
        ("chunk_size=100_000", "chunk_size=300"),
        ("chunksize=1_000_000", "chunksize=700"),
    ],
    "C.4": [("(10_000, 100)", "(400, 12)")],
}

#: Modules a block may import that the test environment need not have: such a block is skipped
#: (the blocks after it must not depend on it).
OPTIONAL = {"matplotlib"}


class Block(NamedTuple):
    line: int  # the guide's line of the block's first code line (1-based)
    code: str


class Section(NamedTuple):
    heading: str
    blocks: List[Block]


def guide_sections() -> List[Section]:
    """The ``##`` sections of the guide that hold ```python blocks, in order."""
    sections: List[Section] = []
    heading, fence, start, code = "", None, 0, []
    for number, line in enumerate(GUIDE.read_text(encoding="utf-8").splitlines(), start=1):
        if fence is None:
            if line.startswith("## "):
                heading = line[3:].strip()
            elif line.startswith("```"):
                fence, start, code = line[3:].strip(), number + 1, []
        elif line.startswith("```"):
            if fence == "python":
                if not sections or sections[-1].heading != heading:
                    sections.append(Section(heading, []))
                sections[-1].blocks.append(Block(start, "\n".join(code) + "\n"))
            fence = None
        else:
            code.append(line)
    assert fence is None, "a code block of the guide is not closed"
    return sections


SECTIONS = guide_sections()


def write_files(folder: Path) -> None:
    """Small versions of the files the guide reads, with what each exercise cleans or merges:
    missing values, duplicates, mixed case, outliers, keys without a match."""
    rng = np.random.default_rng(14)

    n = 2_000
    huge = pd.DataFrame({
        "category": rng.choice(["north", "south", "east", "west", "centre"], n),
        "value": rng.normal(100.0, 15.0, n).round(3),
        "units": rng.integers(0, 50, n),
        "score": rng.standard_normal(n),
    })
    huge.loc[rng.choice(n, 40, replace=False), "score"] = np.nan
    huge.to_csv(folder / "huge_file.csv", index=False)

    n = 300
    data = pd.DataFrame({
        "age": rng.normal(40, 10, n).round(1),
        "income": rng.normal(5e4, 1e4, n).round(0),
        "city": rng.choice(["Paris", "LYON", "nice"], n),
        "segment": rng.choice(["A", "b"], n),
    })
    data.loc[rng.choice(n, 15, replace=False), "age"] = np.nan
    data.loc[rng.choice(n, 10, replace=False), "city"] = None
    data.loc[[5, 17], "income"] = [5e5, -4e5]
    pd.concat([data, data.iloc[:10]]).to_csv(folder / "data.csv", index=False)

    n = 200
    pd.DataFrame({
        "department": rng.choice(["eng", "ops", "sales", "legal"], n),
        "salary": rng.integers(30, 150, n) * 1_000.0,
        "years": rng.integers(1, 20, n).astype(float),
    }).to_csv(folder / "employees.csv", index=False)

    pd.DataFrame({"user_id": rng.permutation(60) + 1, "name": [f"user{i}" for i in range(60)]}) \
        .to_csv(folder / "users.csv", index=False)
    pd.DataFrame({"user_id": rng.integers(1, 80, 500), "kind": rng.choice(["view", "buy"], 500)}) \
        .to_csv(folder / "events.csv", index=False)

    n = 500
    label = rng.choice(["a", "b", "c"], n)
    pipeline = pd.DataFrame({
        "x1": rng.standard_normal(n) + (label == "a"),
        "x2": rng.standard_normal(n) * 3,
        "x3": rng.uniform(0, 10, n),
        "group": rng.choice(["Red", "green", "BLUE"], n),
        "label": label,
    })
    pipeline.loc[rng.choice(n, 20, replace=False), "x2"] = np.nan
    pipeline.to_csv(folder / "pipeline.csv", index=False)


def small(section: Section) -> List[Block]:
    """The section's blocks with its big sizes replaced by small ones."""
    replacements = [r for key, rs in SMALL.items() if section.heading.startswith(key) for r in rs]
    text = "".join(b.code for b in section.blocks)
    for big, _ in replacements:
        assert big in text, f"{section.heading}: the guide no longer says {big!r}; update SMALL"
    blocks = []
    for block in section.blocks:
        code = block.code
        for big, little in replacements:
            code = code.replace(big, little)
        blocks.append(Block(block.line, code))
    return blocks


def missing_optional(code: str) -> List[str]:
    """The optional modules ``code`` imports that are not installed."""
    imported = re.findall(r"^\s*(?:import|from)\s+(\w+)", code, flags=re.MULTILINE)
    return [m for m in imported if m in OPTIONAL and importlib.util.find_spec(m) is None]


def printed(code: str) -> List[str]:
    """What the guide says a ``print(...)  # TEXT`` line prints: TEXT, up to a closing ``...``."""
    said = re.findall(r"^\s*print\(.*\)\s+# (.+)$", code, flags=re.MULTILINE)
    return [text.strip().removesuffix("...").strip() for text in said]


#: Per section: files its blocks write, and how each begins.
WRITTEN = {"C.3": [("importance.svg", "<svg")], "E.3": [("report.html", "<!DOCTYPE html>")]}


def test_the_guide_has_its_sections() -> None:
    headings = [s.heading for s in SECTIONS]
    for key in ["Conventions", "C.1", "C.5", "C.2", "B.4", "B.6", "B.3", "Notebook §5", "C.6",
                "C.4", "A.9", "C.3", "E.3", *SMALL, *WRITTEN]:
        assert any(h.startswith(key) for h in headings), f"no section {key} with Python code"


@pytest.mark.parametrize("section", SECTIONS, ids=[s.heading.split(" ")[0] for s in SECTIONS])
def test_guide_section_runs(
    section: Section,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The section's blocks run in order, in one namespace, and print what the guide says."""
    write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    brisk.profile_report(reset=True)
    namespace: Dict[str, object] = {"__name__": "__guide__"}
    for block in small(section):
        absent = missing_optional(block.code)
        if absent:
            warnings.warn(f"{GUIDE.name}:{block.line}: block not run, {absent} not installed")
            continue
        # Padded so that a traceback gives the guide's own line numbers.
        source = "\n" * (block.line - 1) + block.code
        exec(compile(source, str(GUIDE), "exec"), namespace)
        out = capsys.readouterr().out
        for text in printed(block.code):
            assert text in out, f"{GUIDE.name}:{block.line}: printed {out!r}, not {text!r}"
    brisk.profile_report(reset=True)
    for name, beginning in next((w for k, w in WRITTEN.items() if section.heading.startswith(k)), []):
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(beginning)
