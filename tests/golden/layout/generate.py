"""Generate the golden cases for brisk's layout rules (``brisk_kernels::layout``).

Run with the packages pinned in ``../requirements.txt`` (NumPy 2.4.6):

    ../.venv/bin/python generate.py

It writes ``cases.json`` next to this file. The script is deterministic (Python's
``random.Random`` with fixed seeds) and asks NumPy itself for every answer:

broadcast  ``numpy.broadcast_shapes(*shapes)``: ``shape``, or ``error`` and
           ``error_type`` (the exception's text and class).
matmul     ``numpy.matmul(numpy.empty(a), numpy.empty(b)).shape``, or the error.
strides    ``numpy.empty(shape, dtype, order)``: ``strides``, ``itemsize``,
           ``nbytes``, or the error.
dtypes     ``numpy.dtype(name)``: ``dtype`` (its ``.name``), or the error.
index      ``base[expr]`` where ``base`` is ``numpy.empty(base_shape, dtype,
           order)`` or, when ``base_strides`` is present, a view of a larger array
           with that shape and those strides (``itemsize`` bytes per element). The
           expression is evaluated as Python reads it (``numpy.s_[expr]``).
           ``shape`` and ``strides`` of the result; ``view`` is true when the
           result's base is the memory of ``base`` (basic indexing), false for a
           copy; ``scalar`` is true when NumPy returns a scalar, not an array.
           Or ``error``/``error_type``.
"""

import json
import random
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
assert np.__version__ == "2.4.6", np.__version__

DTYPES = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float16", "float32", "float64", "complex64", "complex128",
]


def error(e):
    return {"error_type": type(e).__name__, "error": str(e)}


# ----------------------------------------------------------------------------
# broadcast


def broadcast_case(shapes, note=None):
    case = {"shapes": [list(s) for s in shapes]}
    if note:
        case["note"] = note
    try:
        case["shape"] = list(np.broadcast_shapes(*[tuple(s) for s in shapes]))
    except Exception as e:  # noqa: BLE001 - NumPy's text is the expected value
        case.update(error(e))
    return case


def broadcast_cases():
    cases = [
        # Exercise B.1 (the A @ B row is a matmul; as a broadcast it fails).
        broadcast_case([(3, 4), (4,)], "B.1 A + B"),
        broadcast_case([(2, 3, 4), (3, 1)], "B.1 A * B"),
        broadcast_case([(5, 1), (1, 6)], "B.1 A - B"),
        broadcast_case([(3, 4), (4, 2)], "B.1 A @ B shapes as a broadcast"),
        broadcast_case([(3, 4), (3,)], "B.1 A + B"),
        broadcast_case([(2, 1, 4), (3, 4)], "B.1 A * B"),
        # Notebook section 3.
        broadcast_case([(1000, 50), (50,)], "notebook 3.1 A + b"),
        broadcast_case([(1000, 50), (1000, 1)], "notebook 3.1 A - row_mean"),
        broadcast_case([(1000, 50), (1000,)], "notebook 3.2 A - col"),
        broadcast_case([(200, 1), (1, 200)], "notebook 4.2 sq_dist + sq_dist.T"),
        broadcast_case([(1, 3), (1, 1)], "notebook 5.1 X - X.max(axis=1, keepdims=True)"),
        # Edges.
        broadcast_case([]),
        broadcast_case([()]),
        broadcast_case([(), ()]),
        broadcast_case([(), (3,)]),
        broadcast_case([(0,), (1,)]),
        broadcast_case([(0,), (2,)]),
        broadcast_case([(1, 0), (5, 1)]),
        broadcast_case([(3,), (1,), (4,)]),
        broadcast_case([(1, 3), (2, 1), (3, 3)]),
        broadcast_case([(6, 7), (5, 6, 1), (7,), (5, 1, 7)]),
        broadcast_case([(1,) * 32, (2,) * 32]),
        broadcast_case([(3,), (1,) * 33]),
        broadcast_case([(3,), (2,), (1,) * 33]),
        broadcast_case([(1,) * 33, (1,) * 65]),
        broadcast_case([(1,) * 64]),
        broadcast_case([(2**62, 4)]),
        broadcast_case([(2**40,), (2**40, 1)]),
        broadcast_case([(0, 2**62, 4)]),
        broadcast_case([(2**63,)]),
        broadcast_case([(2**63 - 1,)]),
    ]
    # More than 64 arguments: NumPy works in chunks and numbers arguments per chunk.
    for n, bad in [(41, 40), (64, 63), (65, 64), (66, 65), (70, 66), (130, 127), (130, 128), (200, 199)]:
        shapes = [(2,)] * n
        shapes[bad] = (3,)
        cases.append(broadcast_case(shapes, f"{n} shapes, (3,) at {bad}"))
    shapes = [(1,)] * 100
    shapes[70] = (5, 1)
    shapes[90] = (4,)
    cases.append(broadcast_case(shapes, "100 shapes"))

    rng = random.Random(20240601)
    for i in range(400):
        # Even cases are drawn until they broadcast, odd ones until they do not.
        want_ok = i % 2 == 0
        while True:
            count = rng.randint(2, 4)
            target = [rng.randint(0, 4) for _ in range(rng.randint(0, 5))]
            shapes = []
            for _ in range(count):
                rank = rng.randint(0, len(target))
                shape = [d if rng.random() < 0.6 else 1 for d in target[len(target) - rank:]]
                shapes.append(shape)
            if not want_ok:
                candidates = [(j, k) for j, s in enumerate(shapes) for k in range(len(s))]
                if candidates:
                    j, k = rng.choice(candidates)
                    shapes[j][k] = rng.choice([v for v in range(0, 5) if v != shapes[j][k]])
            case = broadcast_case(shapes)
            if ("shape" in case) == want_ok:
                break
        cases.append(case)
    return cases


# ----------------------------------------------------------------------------
# matmul


def matmul_case(a, b, note=None):
    case = {"a": list(a), "b": list(b)}
    if note:
        case["note"] = note
    try:
        case["shape"] = list(np.matmul(np.zeros(a), np.zeros(b)).shape)
    except Exception as e:  # noqa: BLE001
        case.update(error(e))
    return case


def matmul_cases():
    cases = [
        matmul_case((3, 4), (4, 2), "B.1 A @ B"),
        matmul_case((3, 4), (3, 4), "B.1 shapes of A + B, as a product"),
        matmul_case((200, 10), (10, 200), "notebook 4.2 X @ X.T"),
        matmul_case((2, 4), (4, 5), "notebook 6.1 A @ B"),
        matmul_case((2, 4), (2, 4), "notebook 6.1 A @ A"),
        matmul_case((5, 5), (5,), "notebook 6.2 A @ X"),
        matmul_case((100, 10000), (10000, 100), "notebook 8 Xn.T @ Xn"),
        matmul_case((10000, 100), (10000, 100), "notebook 8 Xn @ Xn"),
        matmul_case((1000, 50), (50,), "A @ b"),
        matmul_case((50,), (1000, 50), "b @ A"),
        matmul_case((4,), (4,)),
        matmul_case((4,), (5,)),
        matmul_case((), (4,)),
        matmul_case((4,), ()),
        matmul_case((), ()),
        matmul_case((4,), (2, 4, 3)),
        matmul_case((2, 3, 4), (4,)),
        matmul_case((2, 3, 4), (4, 5)),
        matmul_case((2, 3, 4), (3, 4, 5)),
        matmul_case((2, 1, 3, 4), (5, 4, 6)),
        matmul_case((2, 3, 3, 4), (5, 4, 6)),
        matmul_case((2, 3, 3, 4), (5, 5, 6)),
        matmul_case((3, 0, 4), (2, 4, 5)),
        matmul_case((0, 3), (3, 0)),
        matmul_case((3, 0), (0, 4)),
        matmul_case((1, 3, 0), (2, 0, 4)),
        matmul_case((1, 2), (1, 2)),
        matmul_case((2, 1), (2, 1)),
    ]
    rng = random.Random(7)
    for _ in range(300):
        ra, rb = rng.randint(0, 5), rng.randint(0, 5)
        a = [rng.randint(0, 4) for _ in range(ra)]
        b = [rng.randint(0, 4) for _ in range(rb)]
        if ra >= 1 and rb >= 1 and rng.random() < 0.6:
            kb = 0 if rb == 1 else rb - 2
            b[kb] = a[-1]
        if ra >= 3 and rb >= 3 and rng.random() < 0.6:
            # Make the stacks broadcast most of the time.
            for i in range(1, min(ra, rb) - 1):
                if rng.random() < 0.7:
                    b[rb - 2 - i] = a[ra - 2 - i] if rng.random() < 0.7 else 1
        cases.append(matmul_case(a, b))
    return cases


# ----------------------------------------------------------------------------
# strides and dtypes


def strides_case(shape, dtype, order, note=None):
    case = {"shape": list(shape), "dtype": dtype, "order": order}
    if note:
        case["note"] = note
    try:
        a = np.empty(shape, dtype=dtype, order=order)
        case.update(strides=list(a.strides), itemsize=a.itemsize, nbytes=a.nbytes)
    except Exception as e:  # noqa: BLE001
        case.update(error(e))
    return case


def strides_cases():
    shapes = [
        (3, 4, 5), (), (0,), (1,), (3, 1), (1, 3), (3, 0), (2, 0, 3), (4, 1, 3),
        (2, 3, 4, 5, 2),
    ]
    cases = [
        strides_case((3, 4, 5), "float32", "C", "B.5 C order"),
        strides_case((3, 4, 5), "float32", "F", "B.5 Fortran order"),
        strides_case((2, 6), "float64", "C", "B.2d a.reshape(2, 6).strides as float64"),
        strides_case((6, 4), "int64", "C", "notebook 7.2 A"),
        strides_case((10, 10), "int64", "C", "notebook 1.1 arr_2d"),
        strides_case((4, 5, 3), "int64", "C", "notebook 1.1 arr_3d"),
        strides_case((1, 0, 1), "float64", "F"),
        strides_case((2, 1, 1, 3), "float32", "F"),
        strides_case((1000,), "int64", "C", "notebook 1.2 arr_int.nbytes"),
        strides_case((1000,), "float64", "C", "notebook 1.2 arr_float.nbytes"),
    ]
    for shape in shapes:
        for dtype in DTYPES:
            for order in "CF":
                cases.append(strides_case(shape, dtype, order))
    cases += [
        strides_case((2**62, 4), "float32", "C"),
        strides_case((0, 2**62, 4), "float32", "F"),
        strides_case((2**61, 4), "bool", "C"),
        strides_case((2**63,), "bool", "C"),
        strides_case((1,) * 64, "int8", "F"),
        strides_case((1,) * 65, "int8", "C"),
    ]
    return cases


def dtype_cases():
    names = DTYPES + [
        "?", "b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8",
        "c8", "c16", "<f8", ">f8", "=f8", "|f8", "|b1", ">u1", "|i4", "<c16", "=c8",
        "int", "float", "complex", "bool_", "int_", "intp", "uintp", "uint", "double",
        "single", "half", "longlong", "ulonglong", "byte", "ubyte", "short", "ushort",
        "intc", "uintc", "long", "ulong", "cdouble", "csingle",
        "b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "e", "f", "d", "F", "D",
        "p", "P", "n", "N",
        # Refused by NumPy.
        "F8", "I4", "i3", "f1", "b2", "Float64", "Int64", "BOOL", "float_", "complex_",
        "cfloat", "int64 ", "bool8", "int0", "uint0", "xyz",
    ]
    cases = []
    for name in names:
        case = {"name": name}
        try:
            d = np.dtype(name)
            case.update(dtype=d.name, itemsize=d.itemsize)
        except Exception as e:  # noqa: BLE001
            case.update(error(e))
        cases.append(case)
    return cases


# ----------------------------------------------------------------------------
# index


def owner(a):
    return a if a.base is None else a.base


def index_result(base, expr):
    idx = eval(f"np.s_[{expr}]", {"np": np})  # noqa: S307 - our own generated text
    try:
        r = base[idx]
    except Exception as e:  # noqa: BLE001
        return error(e)
    if not isinstance(r, np.ndarray):
        return {"shape": [], "strides": [], "view": False, "scalar": True}
    view = r.base is not None and r.base is owner(base)
    if r.size and base.size:
        assert np.shares_memory(r, base) == view, expr
    return {"shape": list(r.shape), "strides": list(r.strides), "view": view, "scalar": False}


def index_case(shape, dtype, order, expr, note=None):
    base = np.empty(shape, dtype=dtype, order=order)
    case = {"base_shape": list(shape), "dtype": dtype, "order": order, "expr": expr}
    if note:
        case["note"] = note
    case.update(index_result(base, expr))
    return case


def strided_case(big, dtype, order, view_expr, expr):
    base = np.empty(big, dtype=dtype, order=order)[eval(f"np.s_[{view_expr}]", {"np": np})]  # noqa: S307
    case = {
        "base_shape": list(base.shape),
        "base_strides": list(base.strides),
        "itemsize": base.itemsize,
        "expr": expr,
        "base": f"numpy.empty({tuple(big)}, {dtype}, order='{order}')[{view_expr}]",
    }
    case.update(index_result(base, expr))
    return case


def rand_int_text(rng, size):
    if rng.random() < 0.8 and size > 0:
        return str(rng.randint(-size, size - 1))
    return str(rng.choice([size, size + 1, -size - 1, -size - 3, 7, -9]))


def rand_slice_text(rng, size):
    def bound():
        r = rng.random()
        if r < 0.4:
            return ""
        if r < 0.85:
            return str(rng.randint(-size - 1, size + 1))
        return str(rng.choice([-100, 100, -7, 9]))

    start, stop = bound(), bound()
    r = rng.random()
    if r < 0.35:
        return f"{start}:{stop}"
    step = rng.choice(["", "1", "2", "3", "-1", "-1", "-2", "-3", "5"])
    if rng.random() < 0.03:
        step = "0"
    return f"{start}:{stop}:{step}"


def rand_list_text(rng, size):
    r = rng.random()
    if r < 0.08:
        return "[]"
    def value():
        if rng.random() < 0.92 and size > 0:
            return str(rng.randint(-size, size - 1))
        return str(rng.choice([size, -size - 1, 5, 9]))
    if r < 0.75:
        return "[" + ", ".join(value() for _ in range(rng.randint(1, 3))) + "]"
    if r < 0.93:
        rows, cols = rng.randint(1, 2), rng.randint(1, 3)
        return "[" + ", ".join("[" + ", ".join(value() for _ in range(cols)) + "]" for _ in range(rows)) + "]"
    return rng.choice(["[[0, 1], [1]]", "[[0], []]", "[0, [1]]", "[1.0]", "[[]]", "[[], []]"])


def rand_expr(rng, shape):
    ndim = len(shape)
    count = rng.randint(min(ndim, 1), ndim) + (1 if rng.random() < 0.3 else 0)
    if rng.random() < 0.06:
        count = ndim + 1
    items = []
    axis = 0
    for _ in range(count):
        size = shape[axis] if axis < ndim else 3
        r = rng.random()
        if r < 0.32:
            items.append(rand_slice_text(rng, size))
            axis += 1
        elif r < 0.50:
            items.append(rand_int_text(rng, size))
            axis += 1
        elif r < 0.60:
            items.append(rng.choice(["None", "None", "np.newaxis"]))
        elif r < 0.68:
            items.append("...")
            axis = max(axis, ndim - (count - len(items)))
        elif r < 0.985:
            items.append(rand_list_text(rng, size))
            axis += 1
        else:
            items.append(rng.choice(["1.0", "2.5"]))
    if not items:
        return "()"
    sep = rng.choice([", ", ",", " , "])
    text = sep.join(items)
    if len(items) == 1 and rng.random() < 0.2:
        text += ","
    return text


def index_cases():
    cases = [
        index_case((3, 4), "int64", "C", "1:, ::2", "B.2a a[1:, ::2]"),
        index_case((4, 4), "int64", "C", "::2, :", "notebook 2.1 A[::2, :]"),
        index_case((6, 4), "int64", "C", ":, ::2", "notebook 7.2 A[:, ::2]"),
        index_case((6, 4), "int64", "C", "...", "notebook 7.2 A"),
        index_case((3, 4), "int64", "C", "[0, 2], :", "A.7 fancy indexing copies"),
        index_case((3, 4), "int64", "C", ":, [1, 1, 0]"),
        index_case((3, 4), "int64", "C", ":, [1, 0]"),
        index_case((3, 4, 5), "float64", "F", ":, [1, 0]"),
        index_case((3, 4, 5), "float64", "F", "[1, 0]"),
        index_case((3, 4, 5), "int64", "C", "1, :, [1, 0]"),
        index_case((3, 4, 5), "int64", "C", ":, 1, [1, 0]"),
        index_case((3, 4, 5), "int64", "C", ":, [0, 1], ..., [0, 1]"),
        index_case((3, 4, 5), "int64", "C", "[0, 1], None, [0, 1]"),
        index_case((3, 4, 5), "int64", "C", ":, [[0, 1], [1, 2]], [0, 4]"),
        index_case((3, 4, 5), "int64", "C", "[0, 1], [[0], [1]]"),
        index_case((3, 4), "int64", "C", "..., None, -1"),
        index_case((3, 4), "int64", "C", "::-1"),
        index_case((3, 4), "int64", "C", "2"),
        index_case((3, 4), "int64", "C", "None"),
        index_case((3, 4), "int64", "C", "1, 2"),
        index_case((3, 4), "int64", "C", "1, 2, ..."),
        index_case((3, 4), "int64", "C", "()"),
        index_case((), "float64", "C", "()"),
        index_case((), "float64", "C", "..."),
        index_case((), "float64", "C", "None"),
        index_case((), "float64", "C", "0"),
        index_case((3, 4), "int64", "C", "5"),
        index_case((3, 4), "int64", "C", "1, 2, 3"),
        index_case((3, 4), "int64", "C", "..., ..."),
        index_case((3, 4), "int64", "C", "::0"),
        index_case((3, 4), "int64", "C", "::0, 9"),
        index_case((3, 4), "int64", "C", "9, ::0"),
        index_case((3, 4), "int64", "C", "1:3:-1"),
        index_case((3, 4), "int64", "C", "3:1:-1"),
        index_case((3, 4), "int64", "C", "-100:100:-3"),
        index_case((3, 4), "int64", "C", "100:-100:-3"),
        index_case((3, 4), "int64", "C", "[0, 9], 7"),
        index_case((3, 4), "int64", "C", "[0, 9], [0, 1, 2]"),
        index_case((3, 4), "int64", "C", "[5], []"),
        index_case((3, 4), "int64", "C", "[[5]], []"),
        index_case((3, 4), "int64", "C", "[], 9"),
        index_case((3, 0), "float64", "C", "[5]"),
        index_case((3,), "float64", "C", "[5, 9]"),
        index_case((3,), "float64", "C", "[]"),
        index_case((3, 4), "int64", "C", "[[0, 1], [2]]"),
        index_case((3, 4), "int64", "C", "[0, [1]]"),
        index_case((3, 4), "int64", "C", "[[[0], [1, 2]]]"),
        index_case((3, 4), "int64", "C", "[[1], []]"),
        index_case((3, 4), "int64", "C", "[[], [1]]"),
        index_case((3, 4), "int64", "C", "[[], []]"),
        index_case((3, 4), "int64", "C", "1.0"),
        index_case((3, 4), "int64", "C", "[1.0, 2]"),
        index_case((3, 4), "int64", "C", "..., ..., 1.0"),
        index_case((3, 4), "int64", "C", "1.0, ..., ..."),
        index_case((3, 4), "int64", "C", "1, 2, 3, [1.0]"),
        index_case((3, 4), "int64", "C", ", ".join(["None"] * 62 + ["[0]"])),
        index_case((3, 4), "int64", "C", ", ".join(["None"] * 63)),
        index_case((3, 4), "int64", "C", ", ".join(["None"] * 63 + ["[[0]]"])),
        index_case((3, 4), "int64", "C", ", ".join(["None"] * 128)),
        index_case((3, 4), "int64", "C", ", ".join(["None"] * 129)),
        index_case((3, 4), "int64", "C", "4611686018427387904"),
        index_case((3, 4), "int64", "C", "-9223372036854775808:9223372036854775807:-9223372036854775808"),
        index_case((0, 4), "float64", "C", "[0]"),
        index_case((0, 4), "float64", "C", "0"),
        index_case((0, 4), "float64", "C", "[]"),
        index_case((0, 4), "float64", "C", "::-1, 1:"),
        index_case((2, 3, 4), "complex128", "F", "..., [0, 2], None"),
    ]
    rng = random.Random(12345)
    for _ in range(420):
        ndim = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])
        shape = tuple(rng.randint(0, 5) if rng.random() < 0.15 else rng.randint(1, 5) for _ in range(ndim))
        dtype = rng.choice(DTYPES)
        order = rng.choice("CF")
        cases.append(index_case(shape, dtype, order, rand_expr(rng, shape)))
    # Indexing views with negative, stepped and zero strides.
    views = [
        ((6, 8), "::2, ::-1"), ((6, 8), "::-1, 1::3"), ((4, 5, 6), "None, ::-1, :, ::2"),
        ((4, 5, 6), "1:, ::-2, 3"), ((5, 6), "::-1"), ((4, 5, 6), ":, None, ::-1"),
        ((7,), "::-3"), ((3, 4, 5), "..., ::-1, None"),
    ]
    for _ in range(120):
        big, view_expr = rng.choice(views)
        dtype = rng.choice(DTYPES)
        order = rng.choice("CF")
        base = np.empty(big, dtype=dtype, order=order)[eval(f"np.s_[{view_expr}]", {"np": np})]  # noqa: S307
        cases.append(strided_case(big, dtype, order, view_expr, rand_expr(rng, base.shape)))
    return cases


def dump(sections):
    lines = ["{"]
    for k, (name, value) in enumerate(sections.items()):
        last = k + 1 == len(sections)
        if isinstance(value, list):
            lines.append(f'"{name}": [')
            for i, case in enumerate(value):
                comma = "," if i + 1 < len(value) else ""
                lines.append(json.dumps(case, ensure_ascii=False, separators=(",", ":")) + comma)
            lines.append("]" + ("" if last else ","))
        else:
            lines.append(f'"{name}": {json.dumps(value)}' + ("" if last else ","))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    sections = {
        "numpy": np.__version__,
        "broadcast": broadcast_cases(),
        "matmul": matmul_cases(),
        "strides": strides_cases(),
        "dtypes": dtype_cases(),
        "index": index_cases(),
    }
    text = dump(sections)
    (HERE / "cases.json").write_text(text, encoding="utf-8")
    for name, value in sections.items():
        if isinstance(value, list):
            failed = sum("error" in c for c in value)
            print(f"{name}: {len(value)} cases, {failed} errors")
    print(f"cases.json: {len(text.encode())} bytes")


if __name__ == "__main__":
    main()
