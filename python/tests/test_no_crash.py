"""No input from Python crashes the interpreter or escapes as a Rust panic: every public function,
called with every argument replaced by each of a set of awkward values, either returns or raises
``BriskError`` (or ``NotFittedError``/``SingularMatrixError``, which are ``BriskError``s), or the
``TypeError`` Python raises for a wrong number or kind of argument. A Rust panic would surface as
``pyo3_runtime.PanicException``, a ``BaseException`` that this test does not catch as an error."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import brisk

RNG = np.random.default_rng(7)

AWKWARD = [
    None,
    0,
    -1,
    2**70,
    float("nan"),
    float("inf"),
    "",
    "no_such_column",
    "no/such/file.csv",
    [],
    [[]],
    [[1.0, 2.0], [3.0]],
    np.array([]),
    np.empty((0, 3)),
    np.empty((3, 0)),
    np.ones((1, 1)),
    np.full((4, 2), np.nan),
    np.full((4, 2), np.inf),
    np.array([[1e308, -1e308], [1e308, 1e308], [0.0, 1.0]]),
    np.ones((2, 3, 4)),
    np.arange(12.0).reshape(3, 4)[:, ::2],
    np.asfortranarray(RNG.normal(size=(5, 3))),
    np.array([["a", "b"], ["c", "d"]]),
    np.array([[1, None]], dtype=object),
    np.array([[1 + 2j]]),
    np.array([[True, False], [False, True]]),
    np.array(["2020-01-01"], dtype="datetime64[D]"),
    RNG.integers(-3, 3, size=(6, 2)),
    pd.DataFrame(),
    pd.DataFrame({"x": [np.nan, np.nan]}),
    pd.DataFrame({"x": [1.0, 2.0], "t": ["a", None]}),
]

X = RNG.normal(size=(30, 3))
LABELS = np.arange(30) % 3
FRAME = pd.DataFrame({"x": RNG.normal(size=20), "t": RNG.choice(["a", "b"], 20)})

#: Each public function with good arguments; each argument in turn is replaced by the awkward ones.
CALLS = [
    (brisk.compute_statistics, (X,), {}),
    (brisk.covariance, (X,), {"ddof": 1}),
    (brisk.correlation, (X,), {}),
    (brisk.row_normalize, (X,), {}),
    (brisk.softmax, (X,), {"axis": 1, "log": False}),
    (brisk.pairwise_distances, (X, X[:4]), {}),
    (brisk.assign_clusters, (np.abs(X),), {}),
    (brisk.update_centroids, (X, LABELS, 3), {}),
    (brisk.solve, (np.eye(3) * 2.0, np.ones(3)), {}),
    (brisk.f_classif, (X, LABELS), {}),
    (brisk.f_regression, (X, X[:, 0]), {}),
    (lambda *a, **k: brisk.PCA(*a, **k).fit(X), (2,), {}),
    (lambda data, **k: brisk.PCA(2).fit(data), (X,), {}),
    (lambda *a, **k: brisk.KMeans(*a, **k).fit(X), (3,), {"random_state": 0, "max_iter": 5}),
    (lambda data: brisk.KMeans(2, random_state=0, max_iter=5).fit(data), (X,), {}),
    (brisk.describe, (FRAME,), {}),
    (brisk.clean_dataset, (FRAME, ["x"], ["t"]), {"sigma": 3.0}),
    (brisk.groupby, (FRAME, "t", {"x": "mean"}), {}),
    (brisk.join, (FRAME, FRAME, "t"), {"how": "left"}),
    (brisk.plot_feature_importance, (["a", "b"], [1.0, 2.0]), {"top_n": 2}),
    (brisk.report, (FRAME,), {"target": "t", "sample_rows": 50}),
]

ALLOWED = (brisk.BriskError, TypeError)


def variants(args, kwargs):
    """The call with each positional and keyword argument replaced by each awkward value."""
    for i, value in itertools.product(range(len(args)), AWKWARD):
        yield args[:i] + (value,) + args[i + 1 :], kwargs
    for key, value in itertools.product(kwargs, AWKWARD):
        yield args, {**kwargs, key: value}


def describe(args, kwargs):
    """A short description of a call's arguments, for a failure's message."""

    def short(value):
        if isinstance(value, (np.ndarray, pd.DataFrame)):
            return f"<{type(value).__name__} {value.shape} {getattr(value, 'dtype', '')}>"
        return repr(value)[:40]

    return ", ".join([short(a) for a in args] + [f"{k}={short(v)}" for k, v in kwargs.items()])


@pytest.mark.parametrize("function, args, kwargs", CALLS, ids=lambda c: getattr(c, "__name__", None))
def test_awkward_arguments_return_or_raise_brisk_error(function, args, kwargs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    failures = []
    for bad_args, bad_kwargs in variants(args, kwargs):
        try:
            function(*bad_args, **bad_kwargs)
        except ALLOWED:
            pass
        except Exception as error:  # anything else is a bug: name the call that raised it
            failures.append(f"{type(error).__name__}: {error} from {describe(bad_args, bad_kwargs)}")
    assert not failures, "\n".join(failures)
