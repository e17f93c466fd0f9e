"""brisk.plot_feature_importance: the chart's content, its SVG and PNG, saving, and bad input."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
import zlib

import numpy as np
import pytest

import brisk

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def labels(svg: str) -> list[tuple[float, str]]:
    """The chart's text elements as (y, text), parsed as XML."""
    root = ET.fromstring(svg)
    return [(float(t.get("y", "nan")), (t.text or "").strip()) for t in root.iter(f"{SVG}text")]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking every chunk's CRC and decompressing
    the image data to the size IHDR implies (8-bit RGB)."""
    assert data[:8] == PNG_SIGNATURE
    at, idat, size = 8, b"", None
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 2)
            size = (width, height)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    assert size is not None
    rows = zlib.decompress(idat)
    assert len(rows) == size[1] * (1 + 3 * size[0])
    return size


@pytest.fixture
def scores() -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(7)
    names = [f"feature_{i}" for i in range(25)]
    return names, rng.uniform(0, 100, size=25)


def test_top_n_features_in_order_of_importance(scores):
    names, values = scores
    chart = brisk.plot_feature_importance(names, values, top_n=10, title="Scores")
    order = np.argsort(-values, kind="stable")[:10]
    assert chart.features == [names[i] for i in order]
    np.testing.assert_array_equal(chart.importances, values[order])
    # The SVG is XML; the names on it are the top 10, drawn from the top down in that order.
    text = labels(chart.svg())
    drawn = [(y, t) for y, t in text if t in names]
    assert [t for _, t in sorted(drawn)] == chart.features
    assert any(t == "Scores" for _, t in text)


def test_ties_keep_the_input_order_and_top_n_beyond_the_features_draws_all():
    chart = brisk.plot_feature_importance(["a", "b", "c"], np.array([1.0, 2.0, 1.0]), top_n=50)
    assert chart.features == ["b", "a", "c"]


def test_title_and_names_are_escaped():
    chart = brisk.plot_feature_importance(["x<y", "a&b"], [1, 2], title="<T>")
    text = [t for _, t in labels(chart.svg())]
    assert "x<y" in text and "a&b" in text and "<T>" in text


def test_png_is_a_png_of_the_stated_size(scores):
    names, values = scores
    chart = brisk.plot_feature_importance(names, values, width=900, height=640)
    assert png_size(chart.png()) == (900, 640)


def test_save_picks_the_format_by_extension(tmp_path, scores):
    names, values = scores
    chart = brisk.plot_feature_importance(names, values)
    chart.save(tmp_path / "chart.svg")
    chart.save(tmp_path / "CHART.PNG")
    assert (tmp_path / "chart.svg").read_text().startswith("<svg")
    assert png_size((tmp_path / "CHART.PNG").read_bytes()) == (1000, 600)
    with pytest.raises(brisk.BriskError, match=r"\.svg or \.png"):
        chart.save(tmp_path / "chart.jpg")
    assert not (tmp_path / "chart.jpg").exists()
    # save_path saves at once; only the chart is left in the folder (no temporary file).
    brisk.plot_feature_importance(names, values, save_path=str(tmp_path / "now.png"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CHART.PNG", "chart.svg", "now.png"]


def test_jupyter_repr_is_the_svg(scores):
    chart = brisk.plot_feature_importance(*scores)
    assert isinstance(chart._repr_svg_(), str)
    assert chart._repr_svg_() == chart.svg()
    assert "FeatureImportanceChart" in repr(chart)


@pytest.mark.parametrize(
    "names, values, kwargs, message",
    [
        (["a", "b"], [1.0], {}, "2 feature names but 1 importances"),
        ([], [], {}, "nothing to plot"),
        (["a", "b"], [1.0, np.nan], {}, r"importances\[1\] \(b\) is nan"),
        (["a"], [np.inf], {}, "must be finite"),
        (["a"], [1.0], {"top_n": 0}, "top_n must be"),
        (["a"], [1.0], {"top_n": 2.5}, "top_n must be"),
        (["a"], [[1.0]], {}, "expected a vector"),
        (["a"], ["x"], {}, "expected numbers"),
        (["a"], [1.0], {"width": 10}, "invalid image size 10x600"),
        (["a"], [1.0], {"height": -1}, "height must be"),
    ],
)
def test_bad_input_is_a_brisk_error(names, values, kwargs, message):
    with pytest.raises(brisk.BriskError, match=message):
        brisk.plot_feature_importance(names, values, **kwargs)


def test_a_png_below_its_minimum_size_is_a_brisk_error():
    chart = brisk.plot_feature_importance(["a"], [1.0], width=400, height=300)
    with pytest.raises(brisk.BriskError, match="at least 800x500"):
        chart.png()


def test_save_to_a_missing_folder_is_a_brisk_error(tmp_path):
    chart = brisk.plot_feature_importance(["a"], [1.0])
    with pytest.raises(brisk.BriskError, match="cannot write"):
        chart.save(tmp_path / "missing" / "chart.svg")
