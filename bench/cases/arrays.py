"""Array kernels on .npy files: `brisk cov` versus NumPy, `brisk kmeans` and `brisk pca` versus scikit-learn.

Three cases, registered separately (cov, kmeans, pca) and together as the group "arrays".
"""

import os
import tempfile

import numpy as np

import gen_arrays
from harness import Case, brisk_row, ok, print_table, run_brisk, run_peer, skip_line, target_line, timing_note

GROUP = "arrays"

COV_TARGET = 1.0  # brisk wall <= COV_TARGET x NumPy's
COV_RTOL = 1e-10

KMEANS_K = 16
KMEANS_MAX_ITER = 50
KMEANS_TARGET = 0.5  # brisk wall <= KMEANS_TARGET x scikit-learn's
KMEANS_RTOL = 1e-9

PCA_K = 10
PCA_TARGET = 1.0  # brisk wall <= PCA_TARGET x scikit-learn's
PCA_RTOL = 1e-9
PCA_COMPONENT_ATOL = 1e-6

NOTE = timing_note(peers="in-process seconds including np.load")


# ---------------------------------------------------------------- shared helpers


def show_data(path, what):
    shape, dtype, _, _ = gen_arrays.npy_header(path)
    dims = " x ".join(f"{s:,}" for s in shape)
    print(f"\ndata: {os.path.relpath(path)} ({os.path.getsize(path) / 2**20:,.0f} MiB, {dims} {dtype}; {what})")


def load_npy(path):
    """(array, None) or (None, why)."""
    try:
        return np.load(path), None
    except (OSError, ValueError) as e:
        return None, f"cannot read {os.path.basename(path)}: {e}"


def run_brisk_npy(ctx, command, path, out_name, args, key, parse_json=True):
    """The brisk row of a command that writes a .npy file: `brisk COMMAND PATH *args(OUT)` timed, OUT a
    temporary file named out_name; then OUT read into result[key], or why not into result[key + "_error"]."""
    def run_once():
        with tempfile.TemporaryDirectory(prefix="brisk-bench-") as tmp:
            out = os.path.join(tmp, out_name)
            run = run_brisk("brisk", [ctx.brisk, command, path, *args(out)], path, ctx.repeat, parse_json=parse_json)
            if run.ok:
                run.result[key], run.result[key + "_error"] = load_npy(out)
            return run

    return brisk_row(ctx, command, run_once)


def report(title, runs, brisk_key, peer_key, target, peer_label):
    brisk, peer = runs.get(brisk_key), runs.get(peer_key)
    print_table(title, list(runs.values()), brisk.wall if ok(brisk) else None)
    print(NOTE)
    target_line(brisk, peer, target, peer_label)
    if ok(peer) and peer.result.get("stats", {}).get("threads"):
        print(f"{peer_label} native thread pools: {', '.join(peer.result['stats']['threads'])}")


def as_array(value):
    """JSON value -> float array (null -> nan), or None if absent or not numeric."""
    if value is None:
        return None
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def errors(got, ref):
    """(max elementwise relative error, its index, max abs error / max |ref|); the denominator is
    max(|ref|, 1e-300). A nan or inf where the reference is finite counts as an infinite error."""
    got, ref = np.asarray(got, np.float64), np.asarray(ref, np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(got - ref)
    same = (got == ref) | (np.isnan(got) & np.isnan(ref))
    diff = np.where(same, 0.0, np.where(np.isnan(diff), np.inf, diff))
    rel = diff / np.maximum(np.abs(ref), 1e-300)
    idx = np.unravel_index(int(np.argmax(rel)), rel.shape) if rel.size else ()
    scale = np.max(np.abs(ref)) if ref.size else 0.0
    normwise = float(np.max(diff) / scale) if ref.size and scale > 0 else (0.0 if not diff.any() else np.inf)
    return (float(rel[idx]) if rel.size else 0.0), tuple(int(i) for i in idx), normwise


def compare(checks, what, got, ref, rtol, peer_label):
    """One PASS/FAIL line: `got` (brisk) equals `ref` (peer) to rtol, elementwise relative."""
    if got is None:
        checks.check(False, f"{what}: missing from brisk's output")
        return
    got, ref = np.asarray(got, np.float64), np.asarray(ref, np.float64)
    if got.shape != ref.shape:
        checks.check(False, f"{what}: brisk's shape {got.shape} != {peer_label}'s {ref.shape}")
        return
    rel, idx, normwise = errors(got, ref)
    where = f" at {idx if len(idx) > 1 else idx[0]}" if idx and rel > 0 else ""
    checks.check(rel <= rtol, f"{what} == {peer_label} to {rtol:g} relative (elementwise): max rel diff {rel:.1e}{where};"
                 f" max abs diff / max |{peer_label}| {normwise:.1e}")


def two_pass_mean(x):
    mean = x.mean(axis=0)
    return mean + (x - mean).mean(axis=0)


# ---------------------------------------------------------------- cov


def run_cov(ctx, checks):
    path = gen_arrays.ensure("cov", ctx.seed, ctx.data_dir)["data"]
    show_data(path, "correlated columns, means in [-10, 100]")
    runs = {}
    if "brisk" in ctx.tools:
        runs["brisk"] = run_brisk_npy(ctx, "cov", path, "cov.npy", lambda out: ["-o", out, "--quiet"], "cov",
                                      parse_json=False)
    if "numpy" in ctx.tools:
        runs["numpy"] = run_peer("NumPy np.cov", "numpy_cov", path, ctx.repeat)
    report(f"cov: {os.path.basename(path)}", runs, "brisk", "numpy", COV_TARGET, "NumPy")

    print("\n== cov: correctness ==")
    brisk, peer = runs.get("brisk"), runs.get("numpy")
    have_brisk, have_peer = ok(brisk), ok(peer)
    if have_brisk and brisk.result["cov"] is None:
        checks.check(False, f"brisk cov -o OUT.npy: {brisk.result['cov_error']}")
        have_brisk = False
    elif not have_brisk:
        skip_line(checks, brisk, "brisk checks: brisk cov")
    elif not have_peer:
        skip_line(checks, peer, "brisk versus NumPy: NumPy")
    if not (have_brisk or have_peer):
        return
    ref = reference_cov(path)
    if have_brisk:
        got = brisk.result["cov"]
        if have_peer:
            compare(checks, "covariance matrix", got, peer.result["stats"]["cov"], COV_RTOL, "NumPy")
        if got.ndim == 2 and got.shape[0] == got.shape[1]:
            checks.line("INFO", f"brisk's matrix is {'exactly' if np.array_equal(got, got.T) else 'not exactly'} symmetric;"
                        f" dtype {got.dtype}, shape {got.shape}")
    # Context: how far each side is from a blocked two-pass computation.
    for name, m in (("brisk", brisk.result.get("cov") if have_brisk else None),
                    ("NumPy", np.asarray(peer.result["stats"]["cov"]) if have_peer else None)):
        if m is not None and m.shape == ref.shape:
            rel, _, normwise = errors(m, ref)
            checks.line("INFO", f"{name} vs blocked two-pass reference (sums carried in long double):"
                        f" max rel diff {rel:.1e}, max abs diff / max |cov| {normwise:.1e}")


def reference_cov(path, block_rows=50_000):
    """Sample covariance (ddof 1) by two passes over row blocks: the column sums and the blocks'
    Gram matrices (BLAS, float64) are added up in long double, and the Gram is re-centred on
    the exact mean (the mean of the residuals of the rounded mean)."""
    x = np.load(path, mmap_mode="r")
    n, d = x.shape
    s = np.zeros(d, np.longdouble)
    for i in range(0, n, block_rows):
        s += x[i:i + block_rows].sum(axis=0, dtype=np.longdouble)
    mean = (s / n).astype(np.float64)
    r = np.zeros(d, np.longdouble)
    g = np.zeros((d, d), np.longdouble)
    for i in range(0, n, block_rows):
        c = x[i:i + block_rows] - mean
        r += c.sum(axis=0, dtype=np.longdouble)
        g += c.T @ c
    t = r / n
    g -= n * np.outer(t, t)
    return (g / (n - 1)).astype(np.float64)


# ---------------------------------------------------------------- kmeans


def run_kmeans(ctx, checks):
    files = gen_arrays.ensure("kmeans", ctx.seed, ctx.data_dir)
    path, init = files["data"], files["init"]
    show_data(path, f"{KMEANS_K} overlapping Gaussian clusters; init {os.path.relpath(init)}")
    runs = {}
    if "brisk" in ctx.tools:
        runs["brisk"] = run_brisk_npy(
            ctx, "kmeans", path, "labels.npy",
            lambda out: ["-k", str(KMEANS_K), "--init", init, "--n-init", "1", "--max-iter", str(KMEANS_MAX_ITER),
                         "--tol", "0", "-o", out, "--format", "json", "--quiet"], "labels")
    if "sklearn" in ctx.tools:
        runs["sklearn"] = run_peer("scikit-learn KMeans (lloyd)", "sklearn_kmeans", path, ctx.repeat,
                                   (init, str(KMEANS_K), str(KMEANS_MAX_ITER)))
    report(f"kmeans: {os.path.basename(path)}, k={KMEANS_K}, max_iter={KMEANS_MAX_ITER}, tol=0",
           runs, "brisk", "sklearn", KMEANS_TARGET, "scikit-learn")

    print("\n== kmeans: correctness ==")
    brisk, peer = runs.get("brisk"), runs.get("sklearn")
    have_brisk, have_peer = ok(brisk), ok(peer)
    if have_peer:
        p = peer.result["stats"]
        stop = "reached max_iter" if p["n_iter"] >= KMEANS_MAX_ITER else "converged (no label changed)"
        checks.line("INFO", f"scikit-learn: {p['n_iter']} iterations ({stop}), inertia {p['inertia']!r}")
    if not have_brisk:
        skip_line(checks, brisk, "brisk checks: brisk kmeans")
        return
    if not have_peer:
        skip_line(checks, peer, "brisk versus scikit-learn: scikit-learn")
        return
    out, p = brisk.result, peer.result["stats"]
    n = len(p["labels"])
    plabels = np.asarray(p["labels"], np.int64)
    labels = out.get("labels")
    if labels is None:
        checks.check(False, f"brisk kmeans -o LABELS.npy: {out.get('labels_error')}")
    else:
        checks.check(labels.dtype == np.int64 and labels.shape == (n,),
                     f"labels file is int64 with one label per row: {labels.dtype}, shape {labels.shape}")
        if labels.shape == (n,):
            differ = np.flatnonzero(labels != plabels)
            checks.check(differ.size == 0, f"labels == scikit-learn's: {differ.size:,} of {n:,} differ")
            if differ.size:
                label_margins(checks, path, differ, labels, plabels, as_array(out.get("centroids")),
                              np.asarray(p["centroids"]))
    checks.check(out.get("n_iter") == p["n_iter"], f"n_iter: brisk {out.get('n_iter')!r} vs scikit-learn {p['n_iter']}")
    compare(checks, "centroids", as_array(out.get("centroids")), p["centroids"], KMEANS_RTOL, "scikit-learn")
    compare(checks, "inertia", as_array(out.get("inertia")), p["inertia"], KMEANS_RTOL, "scikit-learn")
    sizes = out.get("sizes")
    checks.check(sizes == p["sizes"], f"sizes == scikit-learn's cluster counts exactly"
                 + ("" if sizes == p["sizes"] else f": brisk {sizes} vs {p['sizes']}"))
    if labels is not None and labels.shape == (n,) and sizes is not None and labels.min() >= 0:
        own = np.bincount(labels, minlength=KMEANS_K).tolist()
        checks.line("INFO", f"brisk's sizes {'equal' if own == sizes else 'differ from'} the counts of its own labels")


def label_margins(checks, path, differ, labels, plabels, centroids, pcentroids):
    """For points labelled differently: how close each is to a tie between the two centroids."""
    x = np.load(path, mmap_mode="r")[differ]
    for name, c in (("scikit-learn", pcentroids), ("brisk", centroids)):
        if c is None or c.ndim != 2 or c.shape[0] <= max(labels.max(), plabels.max()):
            continue
        d_b = ((x - c[labels[differ]]) ** 2).sum(axis=1)
        d_p = ((x - c[plabels[differ]]) ** 2).sum(axis=1)
        margin = np.abs(d_b - d_p) / np.maximum(d_b, d_p)
        checks.line("INFO", f"  points labelled differently: |d(x, c_brisk) - d(x, c_sklearn)| / d with {name}'s"
                    f" centroids: max {margin.max():.1e}, median {np.median(margin):.1e} (near 0 = a rounding tie)")


# ---------------------------------------------------------------- pca


def run_pca(ctx, checks):
    path = gen_arrays.ensure("pca", ctx.seed, ctx.data_dir)["data"]
    show_data(path, "correlated, principal variances 100 * 0.7225^i")
    runs = {}
    if "brisk" in ctx.tools:
        cmd = [ctx.brisk, "pca", path, "-k", str(PCA_K), "--format", "json", "--quiet"]
        runs["brisk"] = brisk_row(ctx, "pca", lambda: run_brisk("brisk", cmd, path, ctx.repeat))
    if "sklearn" in ctx.tools:
        runs["sklearn"] = run_peer("scikit-learn PCA", "sklearn_pca", path, ctx.repeat, (str(PCA_K),))
    report(f"pca: {os.path.basename(path)}, {PCA_K} components", runs, "brisk", "sklearn", PCA_TARGET, "scikit-learn")

    print("\n== pca: correctness ==")
    brisk, peer = runs.get("brisk"), runs.get("sklearn")
    have_brisk, have_peer = ok(brisk), ok(peer)
    if have_peer:
        checks.line("INFO", f"scikit-learn's svd_solver='auto' chose {peer.result['stats']['solver']!r}")
    if not have_brisk:
        skip_line(checks, brisk, "brisk checks: brisk pca")
    elif not have_peer:
        skip_line(checks, peer, "brisk versus scikit-learn: scikit-learn")
    if have_brisk and have_peer:
        out, p = brisk.result, peer.result["stats"]
        for key in ("explained_variance", "explained_variance_ratio", "mean"):
            compare(checks, key, as_array(out.get(key)), p[key], PCA_RTOL, "scikit-learn")
        check_components(checks, as_array(out.get("components")), np.asarray(p["components"]))
    if not (have_brisk or have_peer):
        return
    # Context: both sides against an eigendecomposition of the centred covariance.
    ref_var, ref_comp = reference_pca(path, PCA_K)
    for name, run in (("brisk", brisk if have_brisk else None), ("scikit-learn", peer if have_peer else None)):
        if run is None:
            continue
        res = run.result if name == "brisk" else run.result["stats"]
        var, comp = as_array(res.get("explained_variance")), as_array(res.get("components"))
        if var is None or comp is None or var.shape != ref_var.shape or comp.shape != ref_comp.shape:
            continue
        rel, _, _ = errors(var, ref_var)
        dev = np.minimum(np.abs(comp - ref_comp).max(axis=1), np.abs(comp + ref_comp).max(axis=1)).max()
        checks.line("INFO", f"{name} vs eigh of the two-pass centred covariance: explained_variance max rel diff"
                    f" {rel:.1e}, components max diff (up to sign) {dev:.1e}")


def check_components(checks, comp, pcomp):
    if comp is None:
        checks.check(False, "components: missing from brisk's output")
        return
    if comp.shape != pcomp.shape:
        checks.check(False, f"components: brisk's shape {comp.shape} != scikit-learn's {pcomp.shape}")
        return
    same = np.abs(comp - pcomp).max(axis=1)
    flipped = np.abs(comp + pcomp).max(axis=1)
    dev = np.minimum(same, flipped)
    worst = int(np.argmax(dev))
    checks.check(bool(dev.max() <= PCA_COMPONENT_ATOL),
                 f"components == scikit-learn's up to sign per row, to {PCA_COMPONENT_ATOL:g}:"
                 f" max abs diff {dev.max():.1e} (component {worst})")
    opposite = [i for i in range(len(dev)) if flipped[i] < same[i]]
    checks.line("INFO", "component signs agree with scikit-learn's (svd_flip: largest |entry| positive)" if not opposite
                else f"component signs differ from scikit-learn's in rows {opposite}")
    rows = np.arange(comp.shape[0])
    lead = comp[rows, np.argmax(np.abs(comp), axis=1)]
    bad = [int(i) for i in np.flatnonzero(lead < 0)]
    checks.line("INFO", "brisk: the largest |entry| of every component is positive" if not bad
                else f"brisk: the largest |entry| is negative in components {bad}")


def reference_pca(path, k):
    """Top-k (variances, components) from numpy.linalg.eigh of the centred covariance, signs as svd_flip."""
    x = np.load(path)
    xc = x - two_pass_mean(x)
    del x
    w, v = np.linalg.eigh(xc.T @ xc / (xc.shape[0] - 1))
    w, v = w[::-1][:k], v[:, ::-1][:, :k].T.copy()
    v *= np.sign(v[np.arange(k), np.argmax(np.abs(v), axis=1)])[:, None]
    return w, v


COV = Case("cov", run_cov)
KMEANS = Case("kmeans", run_kmeans)
PCA = Case("pca", run_pca)
CASES = (COV, KMEANS, PCA)
