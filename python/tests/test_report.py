"""brisk.report: the page and its figures against pandas and scikit-learn, the command line's
--json, the Jupyter repr, saving, profiling, and bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_selection import f_classif

import brisk

PENGUINS = Path(__file__).resolve().parents[2] / "crates" / "brisk-data" / "data" / "penguins.csv"
SECTIONS = [
    "alerts",
    "overview",
    "columns",
    "statistics",
    "missing",
    "correlation",
    "importance",
    "projection",
    "sample",
    "cleaning",
    "profile",
]
RTOL = 1e-12


@pytest.fixture(scope="module")
def penguins_report() -> brisk.Report:
    return brisk.report()


@pytest.fixture(scope="module")
def penguins() -> pd.DataFrame:
    return pd.read_csv(PENGUINS)


def test_the_page_has_every_section(penguins_report):
    assert penguins_report.sections == SECTIONS
    html = penguins_report.html
    assert html.startswith("<!DOCTYPE html>")
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    # Nothing is fetched from the network.
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_the_figures_are_pandas(penguins_report, penguins):
    figures = penguins_report.to_dict()
    assert figures["rows_in"] == len(penguins)
    assert [c["name"] for c in figures["columns"]] == list(penguins.columns)
    for column in figures["columns"]:
        values = penguins[column["name"]]
        assert column["count"] == values.count()
        assert column["null_count"] == values.isna().sum()
        if column["type"] == "numeric":
            expected = {
                "mean": values.mean(),
                "std": values.std(),
                "min": values.min(),
                "q25": values.quantile(0.25),
                "median": values.median(),
                "q75": values.quantile(0.75),
                "max": values.max(),
                "skewness": values.skew(),
                "kurtosis": values.kurt(),
            }
            for key, value in expected.items():
                np.testing.assert_allclose(column[key], value, rtol=1e-9, err_msg=key)
        else:
            counts = values.value_counts()
            assert (column["unique"], column["top"], column["freq"]) == (
                values.nunique(),
                counts.index[0],
                counts.iloc[0],
            )


def test_the_analyses_are_pandas_and_scikit_learn(penguins_report, penguins):
    figures = penguins_report.to_dict()
    numeric = figures["correlation"]["columns"]
    complete = penguins[numeric].dropna()
    assert figures["correlation"]["rows"] == len(complete)
    np.testing.assert_allclose(figures["correlation"]["matrix"], complete.corr().values, rtol=1e-9)
    importance = figures["importance"]
    assert importance["target"] == "species" and importance["method"] == "f_classif"
    rows = penguins[numeric + ["species"]].dropna()
    # Centred first: F does not change, and scikit-learn's sums of squares then lose nothing to
    # cancellation (year: mean 2008, variance 0.67).
    x = rows[numeric].values
    f, p = f_classif(x - x.mean(axis=0), rows["species"].values)
    by_name = {f["feature"]: f for f in importance["features"]}
    for name, score, p_value in zip(numeric, f, p):
        np.testing.assert_allclose(by_name[name]["score"], score, rtol=1e-9)
        np.testing.assert_allclose(by_name[name]["p_value"], p_value, rtol=1e-9)
    assert sum(figures["kmeans"]["sizes"]) == figures["kmeans"]["rows"]


def cli() -> str | None:
    """The `brisk` binary, when it is built and on PATH (or named by BRISK_BIN)."""
    return os.environ.get("BRISK_BIN") or shutil.which("brisk")


@pytest.mark.skipif(cli() is None, reason="the brisk command line is not built")
def test_the_figures_are_the_command_line_json(penguins_report, tmp_path):
    out = tmp_path / "figures.json"
    subprocess.run(
        [cli(), "report", "-o", str(tmp_path / "r.html"), "--json", str(out), "--quiet"],
        check=True,
        capture_output=True,
    )
    assert penguins_report.to_dict() == json.loads(out.read_text())


def test_a_csv_path(tmp_path):
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "x": rng.normal(10, 2, 400),
            "y": rng.uniform(0, 1, 400),
            "z": rng.integers(0, 50, 400).astype(float),
            "label": rng.choice(["p", "q", "r"], 400),
        }
    )
    frame.loc[::37, "y"] = np.nan
    path = tmp_path / "table.csv"
    frame.to_csv(path, index=False)
    for data in (path, str(path)):
        figures = brisk.report(
            data, target="label", top=np.int64(2), clusters=3, seed=5
        ).to_dict()
        assert figures["rows_in"] == 400
        y = figures["columns"][1]
        assert (y["name"], y["null_count"]) == ("y", frame["y"].isna().sum())
        np.testing.assert_allclose(y["mean"], frame["y"].mean(), rtol=RTOL)
        assert figures["kmeans"]["k"] == 3 and figures["kmeans"]["seed"] == 5
        assert figures["importance"]["target"] == "label"
    # Without a target there is no importance.
    assert brisk.report(path).to_dict()["importance"] is None


def test_a_dataframe_gives_the_figures_of_its_file(penguins):
    """pandas, polars and pyarrow tables cross through the Arrow C stream: the figures equal those of
    the CSV they were read from (the page names the source differently)."""
    import polars as pl
    import pyarrow as pa

    from_file = brisk.report(PENGUINS, target="species").to_dict()
    for table in (penguins, pl.from_pandas(penguins), pa.Table.from_pandas(penguins)):
        figures = brisk.report(table, target="species").to_dict()
        assert figures["rows_in"] == from_file["rows_in"]
        assert [c["name"] for c in figures["columns"]] == [c["name"] for c in from_file["columns"]]
        for got, want in zip(figures["columns"], from_file["columns"]):
            if "mean" in want:
                np.testing.assert_allclose(got["mean"], want["mean"], rtol=RTOL)
        scores = [[f["score"] for f in r["importance"]["features"]] for r in (figures, from_file)]
        np.testing.assert_allclose(scores[0], scores[1], rtol=RTOL)


def test_options_reach_the_report(tmp_path):
    figures = brisk.report(clean=True, sigma=2.0, alerts={"missing_share": 0.01}).to_dict()
    assert figures["analysis_rows"] == "cleaned"
    assert figures["alert_thresholds"]["missing_share"] == 0.01
    assert figures["cleaning"]["bounds"]["bill_length_mm"] is not None


def test_save_writes_the_page_or_the_figures(penguins_report, tmp_path):
    penguins_report.save(tmp_path / "report.html")
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == penguins_report.html
    penguins_report.save(tmp_path / "report.json")
    assert json.loads((tmp_path / "report.json").read_text()) == penguins_report.to_dict()
    with pytest.raises(brisk.BriskError, match=r"\.html or \.json"):
        penguins_report.save(tmp_path / "report.pdf")


def test_reprs(penguins_report):
    fragment = penguins_report._repr_html_()
    assert isinstance(fragment, str)
    assert fragment.startswith("<style>") and '<div class="brisk-report">' in fragment
    assert "<body" not in fragment and "<html" not in fragment
    assert '<section id="profile">' in fragment
    assert isinstance(repr(penguins_report), str) and "profile" in repr(penguins_report)


def test_the_stage_profile_has_the_run_and_profiling_is_left_off(penguins_report):
    brisk.profile_report(reset=True)
    html = brisk.report().html
    profile = html[html.index('<section id="profile">') :]
    for stage in ("pass 1", "fit", "pass 2", "visualise"):
        assert f"<td>{stage}</td>" in profile, stage
    assert "speeds the whole run by" in profile
    # Nothing is left in the record after the call.
    assert brisk.profile_report().empty


def test_inside_a_profile_block_the_report_stages_nest():
    brisk.profile_report(reset=True)
    with brisk.profile_block("my pipeline"):
        brisk.report()
    table = brisk.profile_report(reset=True)
    assert table.loc[0, "name"] == "my pipeline"
    inside = table[table["parent"] == "my pipeline"]["name"].tolist()
    assert {"pass 1", "fit", "pass 2", "visualise", "render"} <= set(inside)


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (("no/such/file.csv",), {}, "no/such/file.csv: no such file"),
        ((None, "nope"), {}, 'the column "nope", which is not in the input'),
        ((42,), {}, "expected a path, a pandas or polars DataFrame or a pyarrow Table"),
        ((), {"sigma": -1.0}, "sigma must be a finite number ≥ 0, not -1"),
        ((), {"sigma": float("nan")}, "sigma must be"),
        ((), {"top": 0}, "top must be at least 1"),
        ((), {"sample_rows": 0}, "sample_rows must be at least 1"),
        ((), {"clusters": 0}, "clusters must be at least 1"),
        ((), {"seed": -1}, "seed must be"),
        ((), {"seed": 2**32}, "seed must be"),
        ((), {"top": 1.5}, "top must be an integer"),
        ((), {"memory_limit": 0}, "memory_limit must be"),
        ((), {"method": "anova"}, 'method must be "auto"'),
        ((), {"alerts": {"missing_share": 2}}, r'alerts\["missing_share"\] must be'),
        ((), {"alerts": {"cardinality_min": 1.5}}, "cardinality_min"),
        ((), {"alerts": {"colour": 1}}, 'no threshold "colour"'),
    ],
)
def test_errors_are_brisk_errors(args, kwargs, message):
    with pytest.raises(brisk.BriskError, match=message):
        brisk.report(*args, **kwargs)


def test_a_bad_csv_names_the_file_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n3,4,5\n")
    with pytest.raises(brisk.BriskError, match=r"bad\.csv:3: column 3"):
        brisk.report(path)


def test_a_fresh_interpreter_writes_the_page(tmp_path):
    subprocess.run(
        [sys.executable, "-c", "import brisk; brisk.report().save('r.html')"],
        cwd=tmp_path,
        check=True,
    )
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
