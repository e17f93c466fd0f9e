"""Generate the golden fixtures for brisk's dataset commands: clean, groupby, join.

Run from anywhere (paths are resolved relative to this file), with the
packages pinned in requirements.txt (Python 3.11):

    python generate.py

It writes small, deliberately messy CSV inputs into ``inputs/`` and, for
every case, ``expected/<case>.json`` plus ``expected/<case>.csv``.  The
script is deterministic: the numbers come from ``numpy.random.default_rng``
with fixed seeds, the messy rows are written out by hand below.  It checks
its own assumptions (the duplicates, the mode tie, the outliers, the types
pandas gives each column, the join orders) and stops with an AssertionError
if one does not hold.

pyarrow matters even though no Parquet file is written: with it installed,
pandas 3 stores text columns as pyarrow strings, and ``Series.str.lower()``
then follows pyarrow (no Greek final sigma, "İ" -> "i"), not Python's
``str.lower()``.  The inputs avoid the characters where the two differ.

Conventions
-----------
Each case file ``expected/<case>.json`` holds

    command     "clean", "groupby" or "join"
    args        the brisk arguments that must reproduce the pandas result,
                without --format or -o; an argument starting with
                "inputs/" or "../inputs/" is a path relative to this
                directory (penguins is "../inputs/penguins.csv")
    csv         the name of the expected CSV in expected/: the result frame
                written by ``frame.to_csv(index=False, lineterminator="\\n")``
    dtypes      {column: "int" | "float" | "text"}, pandas' dtype of every
                column of that frame (int64, float64, str)

and, by command,

    clean       "report": the report brisk writes with --report, exactly
                the contract's keys (see clean() below); "source" is the
                input as given in args
    groupby     "records": the result as a list of objects, one per group,
                in output order; ints are JSON ints, floats JSON floats
                (3.0, never 3), NaN is null

Floats are Python's shortest round-trip repr, as pandas writes them.

Inputs (inputs/)
----------------
people.csv      36 rows: name, dept, city, age, salary, years, ratio, badge,
                empty, note.  Exact duplicate lines; rows equal to an
                earlier one only by parsed value ("52000" / "52000.0" /
                "5.2e4", "4" / "4.0", a quoted "31", a different null
                token); a row differing only by the case of dept (kept:
                duplicates are dropped before lowercasing); dept spelled
                "Eng", "ENG", "eng"; nulls written as "", NA, NaN, null, N/A
                and a quoted "NA"; quoted fields with commas, "" quotes and
                newlines; "Ärger", "ÉCOLE", "Zoë", "Øre"; age: integers
                without nulls (int64) with one outlier (99); salary: floats
                with nulls and a 1e6 outlier; years: integers with nulls
                (float64); ratio: includes "1e-05"; badge: text that looks
                numeric ("007"); empty: every value null (float64, numeric);
                city: a mode tie between "Bergen" and "Oslo" after step 1
orders.csv      30 rows: order_id, region, store, level, units, price,
                "unit cost".  region: "North"/"north"/"NORTH", "Östra" (all
                its prices null), nulls; store: nulls; level: numeric key
                written "1", "1.0", "2", "2.0", "10", NA; units: int64,
                includes 0; price: float with nulls; unit cost: equals price
                in the one row where units is 0 (0/0 -> NaN)
employees.csv   department, salary, years (exercise B.4): salary and years
                have one null each, years is never 0
users.csv       user_id, name (exercise B.6); CRLF line ends; user 2 appears
                twice, user 4 has no events, one user_id is null
events.csv      event_id, user_id, timestamp, event_type; user_id written
                "3" and "3.0", unknown user 9, two null user_ids
customers.csv   customer_id, name, city; customer 7 twice, a null key
purchases.csv   purchase_id, customer_id, amount (int), city (clashes with
                customers.city); customer 7 twice (many-to-many), customer 1
                three times (one-to-many), a null key, an unknown key
payments.csv    payment_id, cust (the key, another name), method
cities.csv      city, country, population; "Oslo" and "oslo" (text keys
                match exactly), "Zürich"
accounts.csv    account, user_id (int64: no nulls), plan
edge.csv        2,500 rows: near, count, label.  near: 1e9 + k ulps (k an
                integer, normal with sd 12), 2% nulls; count: int64; label:
                four words.  The seed is the first from 0 up for which the
                outlier rule with pandas' mean and std (NumPy's pairwise
                sums) removes other rows than with the correctly rounded
                ones: rows lie within an ulp of a bound

Cases
-----
clean (the contract's five steps, literally, in clean() below):
    clean_people            clean inputs/people.csv
    clean_people_sigma2     clean inputs/people.csv --sigma 2
    clean_people_subset     clean inputs/people.csv --numeric salary,years
                            --categorical dept,city
    clean_penguins          clean ../inputs/penguins.csv
    clean_edge              clean inputs/edge.csv: the bounds must be pandas'
                            to the last bit
groupby (df.groupby(keys, dropna=False, sort=True), one Series per
aggregate, then sort_values(kind="stable", na_position="last") for --sort):
    groupby_region_all      one text key, every function; null key group,
                            a one-row group (std NaN), a group whose prices
                            are all null (sum 0.0, mean NaN)
    groupby_region_store    two text keys, nulls in both
    groupby_level           numeric key: "1" and "1.0" are one group
    groupby_region_sorted   --sort n --desc: ties keep key order
    groupby_sort_nan        --sort avg: NaN sorts last
    groupby_b4              exercise B.4, the method chain
                            df.assign(salary_per_year=df.salary/df.years)
                              .groupby('department')['salary_per_year']
                              .mean().sort_values(ascending=False)
    groupby_with_expr       --with "margin = (price - `unit cost`) * 2.5 / units"
    groupby_penguins        penguins by species,island
join:
    join_b6_count           exercise B.6, --count n_events:
                            counts = right.groupby(key).size();
                            left.merge(counts.rename(NAME), left_on=key,
                            right_index=True, how="left"), fillna(0), int64
    join_left, join_inner   customers x purchases on customer_id
    join_right_on           customers x payments, --right-on cust
    join_text_key           customers x cities on city
    join_int_key            accounts x events on user_id, inner: the int64
                            key of the left file against a float64 one
Relational joins are left.merge(right.dropna(subset=[right_key]), ...,
suffixes=("", "_right")): pandas matches a null key with a null key, brisk
never does, so null right keys are dropped first.  Every join result is also
checked against a nested loop over the rows (left order, then right order).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs"
EXPECTED = HERE / "expected"
PENGUINS_REL = "../inputs/penguins.csv"

NULL_TOKENS = ["", "NA", "NaN", "null", "N/A"]


# ---------------------------------------------------------------- writing


class Q(str):
    """A field written in quotes even when it does not need them."""


def csv_field(value):
    if value is None:
        raise ValueError("write nulls as tokens")
    text = str(value)
    if isinstance(value, Q) or any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_input(name, header, rows, line_end="\n"):
    lines = [",".join(csv_field(h) for h in header)]
    for row in rows:
        assert len(row) == len(header), row
        lines.append(",".join(csv_field(v) for v in row))
    (INPUTS / name).write_bytes((line_end.join(lines) + line_end).encode("utf-8"))
    return f"inputs/{name}"


def kind(dtype):
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    assert pd.api.types.is_string_dtype(dtype), dtype
    return "text"


def plain(value):
    """A cell as JSON: numpy scalars to Python, NaN and missing to None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)):
        value = float(value)
        assert not np.isinf(value), "no infinity in the JSON fixtures"
        return None if np.isnan(value) else value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"{type(value)}: {value!r}")


def records(frame):
    kinds = {c: kind(frame[c].dtype) for c in frame.columns}
    out = []
    for row in frame.itertuples(index=False, name=None):
        rec = {}
        for col, value in zip(frame.columns, row):
            value = plain(value)
            if value is not None:
                want = {"int": int, "float": float, "text": str}[kinds[col]]
                assert type(value) is want, (col, value)
            rec[col] = value
        out.append(rec)
    return out


def _format(value):
    if isinstance(value, list) and value and all(isinstance(v, (list, dict)) for v in value):
        rows = ",\n    ".join(json.dumps(v, ensure_ascii=False, allow_nan=False) for v in value)
        return "[\n    " + rows + "\n  ]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_case(name, command, args, frame, **extra):
    csv_name = f"{name}.csv"
    frame.to_csv(EXPECTED / csv_name, index=False, lineterminator="\n")
    # The CSV reads back as the same frame (same dtypes, same values).
    back = pd.read_csv(EXPECTED / csv_name)
    if len(frame):
        pd.testing.assert_frame_equal(back, frame.reset_index(drop=True), check_dtype=True)
    obj = {
        "command": command,
        "args": args,
        "csv": csv_name,
        "dtypes": {c: kind(frame[c].dtype) for c in frame.columns},
        **extra,
    }
    body = ",\n".join(f"  {json.dumps(k)}: {_format(v)}" for k, v in obj.items())
    text = "{\n" + body + "\n}\n"
    assert json.loads(text) == obj
    (EXPECTED / f"{name}.json").write_text(text, encoding="utf-8")


def read(rel):
    """The input as pandas reads it (read_csv defaults)."""
    return pd.read_csv(HERE / rel)


# ----------------------------------------------------------------- inputs


def nulls():
    """Cycles through pandas' null tokens."""
    while True:
        yield from NULL_TOKENS


def make_people():
    rng = np.random.default_rng(20240611)
    null = nulls()
    first = ["Ada", "Bjørn", "Chen", "Dara", "Emil", "Fatima", "Gus", "Hana", "Ivo",
             "Jun", "Kai", "Lena", "Mo", "Nils", "Olga", "Pia", "Quinn", "Rui",
             "Sven", "Tove", "Uma", "Vera", "Wim", "Xia", "Yara"]
    depts = ["Eng", "ENG", "eng", "Sales", "sales", "HR", "Eng", "Ops", "Eng", "Sales"]
    cities = ["Oslo", "Bergen", "Oslo", "Bergen", "Tromsø", "Oslo", "Bergen", "Oslo",
              "Bergen", "Oslo", "Bergen", "Trondheim", "Stavanger"]
    rows = []
    for i, name in enumerate(first):
        age = int(rng.integers(23, 62))
        salary = round(float(rng.normal(56000, 7000)), 2)
        years = int(rng.integers(0, 25))
        ratio = round(float(rng.uniform(0.05, 0.95)), 2)
        salary_text = f"{salary:.2f}" if i % 3 else f"{salary}"
        rows.append([
            name,
            depts[i % len(depts)] if i % 7 != 3 else next(null),
            cities[i % len(cities)] if i % 6 != 5 else next(null),
            str(age),
            salary_text if i % 8 != 6 else next(null),
            str(years) if i % 5 != 4 else next(null),
            f"{ratio}",
            f"B{i:02d}" if i % 4 else f"{i:03d}",
            next(null),
            "ok" if i % 2 else next(null),
        ])
    # Messy rows, written by hand.
    rows += [
        ["Smith, Ann", "Eng", "Bergen", "41", "52000", "4", "0.5", "007", "NA",
         'said "hi", left'],
        ['Bob "the builder"', "ENG", "NA", "38", "61000.5", "NaN", "0.25", "B77", "",
         "line one\nline two"],
        ["Ärger", "eng", "", "29", "", "2", "1e-05", "B78", "null", "Ümlaut, too"],
        ["ÉCOLE", "N/A", "Oslo", "99", "58000", "30", "0.75", "B79", "N/A", Q("NA")],
        ["Zoë", "Sales", "Bergen", "33", "1000000", "7", "0.4", "B80", "NaN", "outlier"],
        ["Øre", "sales", "Oslo", "45", "5.2e4", "12", "0.98", "B81", "", "x"],
    ]
    # Duplicates: an exact copy of a line, and copies equal only by parsed value.
    rows.append(list(rows[25]))                          # exact copy of "Smith, Ann"
    spelled = list(rows[25])
    spelled[3], spelled[4], spelled[5], spelled[6], spelled[8] = Q("41"), "52000.0", "4.0", "0.50", "N/A"
    rows.append(spelled)                                  # same values, other spelling
    rows.append(list(rows[3]))                            # exact copy of a row with nulls
    respelled = list(rows[30])
    respelled[4] = "52000"                                # "5.2e4" -> "52000"
    rows.append(respelled)
    case_only = list(rows[27])
    case_only[1] = "ENG"                                  # differs only by case: kept
    rows.append(case_only)
    header = ["name", "dept", "city", "age", "salary", "years", "ratio", "badge",
              "empty", "note"]
    return write_input("people.csv", header, rows)


def correctly_rounded_rule(values, sigma=3.0):
    """The outlier rule with the mean and std computed exactly and rounded once."""
    from fractions import Fraction
    exact = [Fraction(float(x)) for x in values]
    n = len(exact)
    mean = sum(exact) / n
    m2 = sum((x - mean) ** 2 for x in exact)
    mean_f, std_f = float(mean), float(m2 / (n - 1)) ** 0.5
    return (values - mean_f).abs() > sigma * std_f


def make_edge():
    ulp = float(np.spacing(1e9))
    for seed in range(100):
        rng = np.random.default_rng(seed)
        n = 2500
        k = np.round(rng.normal(0, 12, n)).astype(int)
        near = [repr(1e9 + int(i) * ulp) for i in k]
        for i in rng.choice(n, n // 50, replace=False):
            near[i] = ""
        count = [str(int(c)) for c in rng.integers(0, 10_000, n)]
        label = [["alpha", "beta", "gamma", "delta"][int(i)] for i in rng.integers(0, 4, n)]
        rows = [list(r) for r in zip(near, count, label)]
        rel = write_input("edge.csv", ["near", "count", "label"], rows)
        df = read(rel).drop_duplicates()
        filled = df["near"].fillna(df["near"].median())
        pandas_rule = (filled - filled.mean()).abs() > 3.0 * filled.std()
        if (pandas_rule != correctly_rounded_rule(filled)).any():
            return rel
    raise AssertionError("no seed puts a row within rounding of a bound")


def make_orders():
    rng = np.random.default_rng(7)
    regions = ["North", "South", "north", "West", "South", "North", None, "West",
               "NORTH", "South", "Östra", "North", "West", None, "South", "Östra",
               "North", "West", "South", "North", "West", "South", None, "North",
               "South", "West", "North", "South", "West", "North"]
    stores = ["S1", "S2", "S1", None, "S3", "S2", "S1", "S3", "S2", None, "S1", "S3",
              "S1", "S2", "S2", "S3", None, "S1", "S1", "S2", "S3", "S3", "S1", "S1",
              "S2", "S2", "S3", "S1", None, "S2"]
    levels = ["1", "1.0", "2", "2.0", "10", "NA", "1", "2", "10.0", "1.0", "2", "1",
              "NA", "10", "2", "1", "1.0", "2", "10", "1", "2", "", "1", "2.0", "10",
              "1", "2", "1.0", "2", "10"]
    null = nulls()
    rows = []
    for i in range(30):
        units = int(rng.integers(1, 9))
        cost = round(float(rng.uniform(2, 15)), 2)
        price = round(cost * float(rng.uniform(1.1, 2.2)), 2)
        price_text = f"{price}"
        if regions[i] == "Östra" or i in (5, 19):
            price_text = next(null)
        if i == 12:
            units, price_text = 0, f"{cost}"             # (price - cost) / 0 = 0/0: NaN
        if i == 21:
            units, price_text = 0, next(null)            # null operand: null
        rows.append([
            str(i + 1),
            regions[i] if regions[i] is not None else next(null),
            stores[i] if stores[i] is not None else next(null),
            levels[i],
            str(units),
            price_text,
            f"{cost}",
        ])
    header = ["order_id", "region", "store", "level", "units", "price", "unit cost"]
    return write_input("orders.csv", header, rows)


def make_employees():
    rng = np.random.default_rng(4)
    depts = ["Engineering", "Sales", "Marketing", "HR", "Support"]
    base = {"Engineering": 95000, "Sales": 70000, "Marketing": 68000, "HR": 60000,
            "Support": 52000}
    rows = []
    for i in range(22):
        d = depts[(i * 3) % 5]
        salary = int(round(base[d] * float(rng.uniform(0.8, 1.3)), -2))
        years = int(rng.integers(1, 16))
        rows.append([d, str(salary), str(years)])
    rows[6][1] = "NA"
    rows[13][2] = ""
    return write_input("employees.csv", ["department", "salary", "years"], rows)


def make_join_inputs():
    paths = {}
    paths["users"] = write_input("users.csv", ["user_id", "name"], [
        ["1", "Ada"], ["2", "Bo"], ["3", "Chen, Li"], ["4", "Dana"], ["NA", "Ghost"],
        ["5", "Émile"], ["2", "Bea"], ["6", "Farid"],
    ], line_end="\r\n")
    events = [
        ["101", "1", "2024-03-01T09:00:00", "login"],
        ["102", "3", "2024-03-01T09:05:10", "view"],
        ["103", "1", "2024-03-01T10:12:00", "click"],
        ["104", "9", "2024-03-02T08:00:00", "login"],
        ["105", "", "2024-03-02T08:30:00", "login"],
        ["106", "3.0", "2024-03-02T11:00:00", "purchase"],
        ["107", "2", "2024-03-03T12:00:00", "view"],
        ["108", "1", "2024-03-03T12:30:00", "logout"],
        ["109", "NA", "2024-03-04T07:45:00", "view"],
        ["110", "5", "2024-03-04T18:00:00", "click, then view"],
        ["111", "3", "2024-03-05T09:00:00", "login"],
    ]
    paths["events"] = write_input("events.csv",
                                  ["event_id", "user_id", "timestamp", "event_type"], events)
    paths["customers"] = write_input("customers.csv", ["customer_id", "name", "city"], [
        ["1", "Ada", "Oslo"], ["7", "Bo", "Bergen"], ["3", "Chen", "oslo"],
        ["null", "Nobody", "Oslo"], ["7", "Bea", "Zürich"], ["4", "Dana", "Malmö"],
        ["2", "Eli", "NA"],
    ])
    paths["purchases"] = write_input(
        "purchases.csv", ["purchase_id", "customer_id", "amount", "city"], [
            ["p1", "1", "120", "Oslo"], ["p2", "7", "35", "Bergen"], ["p3", "1", "80", "Oslo"],
            ["p4", "", "999", "Nowhere"], ["p5", "7", "42", "Bergen, Norway"],
            ["p6", "9", "10", "Oslo"], ["p7", "1", "15", ""], ["p8", "3.0", "60", "Oslo"],
            ["p9", "2", "5", "Sandnes"],
        ])
    paths["accounts"] = write_input("accounts.csv", ["account", "user_id", "plan"], [
        ["a1", "3", "pro"], ["a2", "1", "free"], ["a3", "8", "free"], ["a4", "9", "pro"],
        ["a5", "3", "team"],
    ])
    paths["payments"] = write_input("payments.csv", ["payment_id", "cust", "method"], [
        ["1001", "7", "card"], ["1002", "3", "cash"], ["1003", "NA", "card"],
        ["1004", "1", "invoice"], ["1005", "7", "cash"], ["1006", "8", "card"],
    ])
    paths["cities"] = write_input("cities.csv", ["city", "country", "population"], [
        ["Oslo", "Norway", "709037"], ["oslo", "lowercase", "1"], ["Bergen", "Norway", "291940"],
        ["Zürich", "Switzerland", "421878"], ["NA", "nowhere", "0"],
    ])
    return paths


# ------------------------------------------------------------------ clean


def clean(rel, numeric=None, categorical=None, sigma=3.0, on_edge=False):
    """The contract's five steps, one pandas call each (``on_edge``: values may sit within
    rounding of a bound, as edge.csv's do)."""
    df = read(rel)
    all_numeric = list(df.select_dtypes("number").columns)
    all_text = list(df.select_dtypes(include=["object", "str"]).columns)
    assert set(all_numeric) | set(all_text) == set(df.columns)
    numeric = all_numeric if numeric is None else numeric
    categorical = all_text if categorical is None else categorical
    rows_in = len(df)

    # 1. drop duplicate rows (NaN equals NaN), keep the first
    df = df.drop_duplicates()
    duplicates_removed = rows_in - len(df)

    # 2. numeric nulls -> the column's median
    numeric_filled, fill_values = {}, {}
    for c in numeric:
        median = df[c].median()
        before = int(df[c].isna().sum())
        df[c] = df[c].fillna(median)
        numeric_filled[c] = before - int(df[c].isna().sum())
        fill_values[c] = plain(median)

    # 3. categorical nulls -> the mode (smallest on ties); no values: left alone
    categorical_filled = {}
    for c in categorical:
        mode = df[c].mode()
        if len(mode) == 0:
            categorical_filled[c], fill_values[c] = 0, None
            continue
        assert list(mode) == sorted(mode)
        before = int(df[c].isna().sum())
        df[c] = df[c].fillna(mode.iloc[0])
        categorical_filled[c] = before - int(df[c].isna().sum())
        fill_values[c] = plain(mode.iloc[0])

    # 4. lowercase
    values_lowercased = 0
    for c in categorical:
        lowered = df[c].str.lower()
        values_lowercased += int((lowered != df[c]).fillna(False).sum())
        df[c] = lowered

    # 5. outliers: |x - mean| > sigma * std (ddof 1), statistics taken before dropping
    drop = pd.Series(False, index=df.index)
    bounds = {}
    for c in numeric:
        mean, std = df[c].mean(), df[c].std()
        drop |= (df[c] - mean).abs() > sigma * std
        lo, hi = mean - sigma * std, mean + sigma * std
        bounds[c] = None if np.isnan(lo) or np.isnan(hi) else [float(lo), float(hi)]
        # No value sits so close to a bound that rounding could move it across.
        if bounds[c] is not None and std > 0 and not on_edge:
            z = ((df[c] - mean).abs() / std).dropna()
            assert (abs(z - sigma) > 1e-6).all(), (c, sigma)
    outlier_rows_removed = int(drop.sum())
    df = df[~drop]

    report = {
        "source": rel,
        "rows_in": rows_in,
        "duplicates_removed": duplicates_removed,
        "numeric_filled": numeric_filled,
        "categorical_filled": categorical_filled,
        "fill_values": fill_values,
        "values_lowercased": values_lowercased,
        "outlier_rows_removed": outlier_rows_removed,
        "bounds": bounds,
        "rows_out": len(df),
        "sigma": float(sigma),
        "numeric_columns": numeric,
        "categorical_columns": categorical,
    }
    return df.reset_index(drop=True), report


def clean_case(name, rel, flags, **kwargs):
    frame, report = clean(rel, **kwargs)
    write_case(name, "clean", ["clean", rel, *flags], frame, report=report)
    return frame, report


def clean_cases(people):
    # What the people file must exercise.
    raw = read(people)
    assert str(raw["age"].dtype) == "int64"
    assert str(raw["years"].dtype) == "float64" and raw["years"].isna().any()
    assert raw["empty"].isna().all() and str(raw["empty"].dtype) == "float64"
    assert kind(raw["badge"].dtype) == "text" and "007" in set(raw["badge"])
    assert {"Eng", "ENG", "eng"} <= set(raw["dept"].dropna())
    deduped = raw.drop_duplicates()
    assert len(raw) - len(deduped) == 4
    spelled = pd.read_csv(HERE / people, dtype=str, keep_default_na=False)
    assert len(spelled) - len(spelled.drop_duplicates()) == 2, "two duplicates only by value"
    city_mode = deduped["city"].mode()
    assert list(city_mode) == ["Bergen", "Oslo"], "a mode tie, the smallest wins"

    _, default = clean_case("clean_people", people, [])
    assert default["outlier_rows_removed"] == 2, default      # age 99, salary 1e6
    assert default["fill_values"]["city"] == "Bergen"
    assert default["fill_values"]["empty"] is None and default["bounds"]["empty"] is None
    _, two = clean_case("clean_people_sigma2", people, ["--sigma", "2"], sigma=2.0)
    assert two["outlier_rows_removed"] > default["outlier_rows_removed"], two
    clean_case("clean_people_subset", people,
               ["--numeric", "salary,years", "--categorical", "dept,city"],
               numeric=["salary", "years"], categorical=["dept", "city"])
    edge = make_edge()
    clean_case("clean_edge", edge, [], on_edge=True)
    _, pen = clean_case("clean_penguins", PENGUINS_REL, [])
    assert pen["numeric_filled"]["body_mass_g"] == 2 and pen["categorical_filled"]["sex"] == 11


# ---------------------------------------------------------------- groupby


def aggregate(df, by, aggs):
    """aggs: (func, column or None, output name); one pandas call per aggregate."""
    g = df.groupby(by, dropna=False, sort=True)
    parts = []
    for func, col, name in aggs:
        if func == "count" and col is None:
            s = g.size()
        elif func == "count":
            s = g[col].count()
        else:
            s = getattr(g[col], func)()
        parts.append(s.rename(name))
    for s in parts[1:]:
        assert s.index.equals(parts[0].index)
    return pd.concat(parts, axis=1).reset_index()


def sort_output(frame, key, desc):
    out = frame.sort_values(key, ascending=not desc, kind="stable", na_position="last")
    # The same order by hand: NaN last, ties in key order.
    values = list(frame[key])
    finite = [i for i, v in enumerate(values) if not pd.isna(v)]
    finite.sort(key=lambda i: -values[i] if desc else values[i])
    order = finite + [i for i, v in enumerate(values) if pd.isna(v)]
    assert list(out.index) == order
    return out.reset_index(drop=True)


def agg_text(aggs):
    parts = []
    for func, col, name in aggs:
        default = f"{func}({col or ''})"
        parts.append(default if name == default else f"{default} as {name}")
    return ", ".join(parts)


def groupby_case(name, rel, by, aggs, withs=(), sort=None, desc=False, df=None):
    df = read(rel) if df is None else df
    for target, expr_text, fn in withs:
        df = df.assign(**{target: fn(df)})
    frame = aggregate(df, by, aggs)
    if sort is not None:
        frame = sort_output(frame, sort, desc)
    args = ["groupby", rel, "--by", ",".join(by), "--agg", agg_text(aggs)]
    for target, expr_text, _ in withs:
        args += ["--with", f"{target} = {expr_text}"]
    if sort is not None:
        args += ["--sort", sort] + (["--desc"] if desc else [])
    write_case(name, "groupby", args, frame, records=records(frame))
    return frame


def groupby_cases(orders, employees):
    raw = read(orders)
    assert set(raw["level"].dropna()) == {1.0, 2.0, 10.0}
    assert kind(raw["units"].dtype) == "int" and kind(raw["price"].dtype) == "float"

    every = [("count", None, "count()"), ("count", "price", "count(price)"),
             ("sum", "units", "sum(units)"), ("sum", "price", "sum(price)"),
             ("mean", "price", "mean(price)"), ("min", "units", "min(units)"),
             ("max", "units", "max(units)"), ("min", "price", "min(price)"),
             ("max", "price", "max(price)"), ("std", "price", "std(price)"),
             ("var", "price", "var(price)"), ("median", "price", "median(price)"),
             ("nunique", "store", "nunique(store)"), ("nunique", "units", "nunique(units)")]
    f = groupby_case("groupby_region_all", orders, ["region"], every)
    assert f["region"].isna().iloc[-1], "the null key group comes last"
    ostra = f[f["region"] == "Östra"].iloc[0]
    assert ostra["sum(price)"] == 0.0 and np.isnan(ostra["mean(price)"])
    assert np.isnan(f[f["region"] == "NORTH"].iloc[0]["std(price)"])
    assert [kind(f[c].dtype) for c in f.columns[1:]] == [
        "int", "int", "int", "float", "float", "int", "int", "float", "float", "float",
        "float", "float", "int", "int"]

    f = groupby_case("groupby_region_store", orders, ["region", "store"],
                     [("count", None, "n"), ("sum", "units", "sum(units)"),
                      ("mean", "price", "mean(price)")])
    assert f["store"].isna().any() and f["region"].isna().any()

    f = groupby_case("groupby_level", orders, ["level"],
                     [("count", None, "count()"), ("sum", "units", "sum(units)"),
                      ("mean", "price", "mean(price)")])
    assert list(f["level"].iloc[:3]) == [1.0, 2.0, 10.0] and f["level"].isna().iloc[3]

    f = groupby_case("groupby_region_sorted", orders, ["region"],
                     [("count", None, "n"), ("mean", "price", "mean(price)")],
                     sort="n", desc=True)
    assert f["n"].duplicated().any(), "ties in the sort column"

    f = groupby_case("groupby_sort_nan", orders, ["region"],
                     [("mean", "price", "avg"), ("count", None, "count()")], sort="avg")
    assert np.isnan(f["avg"].iloc[-1])

    # Exercise B.4, literally.
    df = read(employees)
    chain = (df.assign(salary_per_year=df.salary / df.years)
               .groupby("department")["salary_per_year"].mean()
               .sort_values(ascending=False))
    assert not chain.duplicated().any(), "no ties: quicksort order is then unique"
    f = groupby_case("groupby_b4", employees, ["department"],
                     [("mean", "salary_per_year", "mean_salary_per_year")],
                     withs=[("salary_per_year", "salary / years",
                             lambda d: d.salary / d.years)],
                     sort="mean_salary_per_year", desc=True)
    assert list(f["department"]) == list(chain.index)
    assert np.array_equal(f["mean_salary_per_year"].to_numpy(), chain.to_numpy())

    margin = ("margin", "(price - `unit cost`) * 2.5 / units",
              lambda d: (d["price"] - d["unit cost"]) * 2.5 / d["units"])
    values = margin[2](raw)
    assert not np.isinf(values).any()
    assert np.isnan(values[raw["units"] == 0]).all() and (raw["units"] == 0).sum() == 2
    groupby_case("groupby_with_expr", orders, ["region"],
                 [("count", None, "count()"), ("count", "margin", "count(margin)"),
                  ("sum", "margin", "sum(margin)"), ("mean", "margin", "mean(margin)"),
                  ("max", "margin", "max(margin)")],
                 withs=[margin])

    f = groupby_case("groupby_penguins", PENGUINS_REL, ["species", "island"],
                     [("count", None, "count()"), ("count", "sex", "count(sex)"),
                      ("mean", "body_mass_g", "mean(body_mass_g)"),
                      ("std", "bill_length_mm", "std(bill_length_mm)"),
                      ("median", "bill_depth_mm", "median(bill_depth_mm)"),
                      ("min", "flipper_length_mm", "min(flipper_length_mm)"),
                      ("max", "year", "max(year)"), ("sum", "year", "sum(year)"),
                      ("nunique", "sex", "nunique(sex)")])
    assert len(f) == 5


# ------------------------------------------------------------------- join


def nested_loop(left, right, lkey, rkey, how):
    """Left rows in order, each with its matches in right's order; nulls never match."""
    rows = []
    for i, lv in enumerate(left[lkey]):
        matches = [j for j, rv in enumerate(right[rkey])
                   if not pd.isna(lv) and not pd.isna(rv) and lv == rv]
        if matches:
            rows += [(i, j) for j in matches]
        elif how == "left":
            rows.append((i, None))
    return rows


def relational(name, left_rel, right_rel, key, right_key, how):
    left, right = read(left_rel), read(right_rel)
    rkey = right_key or key
    kept = right.dropna(subset=[rkey])
    if right_key is None:
        out = left.merge(kept, on=key, how=how, suffixes=("", "_right"))
    else:
        out = left.merge(kept, left_on=key, right_on=rkey, how=how, suffixes=("", "_right"))
    # Check pandas' order and values against the nested loop.
    pairs = nested_loop(left, right, key, rkey, how)
    assert len(out) == len(pairs)
    for r, (i, j) in enumerate(pairs):
        for c in left.columns:
            assert out[c].iloc[r] == left[c].iloc[i] or (
                pd.isna(out[c].iloc[r]) and pd.isna(left[c].iloc[i])), (name, r, c)
        for c in right.columns:
            if right_key is None and c == key:
                continue
            oc = f"{c}_right" if c in left.columns and c != key else c
            want = None if j is None else right[c].iloc[j]
            got = out[oc].iloc[r]
            assert (pd.isna(got) and (want is None or pd.isna(want))) or got == want, (name, r, c)
    args = ["join", left_rel, right_rel, "--on", key]
    if right_key is not None:
        args += ["--right-on", right_key]
    args += ["--how", how]
    write_case(name, "join", args, out)
    return out


def join_cases(p):
    # Exercise B.6, the contract's pandas lines.
    users, events = read(p["users"]), read(p["events"])
    assert (events["user_id"] == 3.0).sum() == 3 and events["user_id"].isna().sum() == 2
    counts = events.groupby("user_id").size()
    out = users.merge(counts.rename("n_events"), left_on="user_id", right_index=True, how="left")
    out["n_events"] = out["n_events"].fillna(0).astype("int64")
    out = out.reset_index(drop=True)
    pairs = nested_loop(users, events, "user_id", "user_id", "inner")
    assert list(out["n_events"]) == [sum(1 for i, _ in pairs if i == r) for r in range(len(users))]
    assert list(out["n_events"]) == [3, 1, 3, 0, 0, 1, 1, 0]
    write_case("join_b6_count", "join",
               ["join", p["users"], p["events"], "--on", "user_id", "--count", "n_events"], out)

    left = relational("join_left", p["customers"], p["purchases"], "customer_id", None, "left")
    assert "city_right" in left.columns and kind(left["amount"].dtype) == "float"
    inner = relational("join_inner", p["customers"], p["purchases"], "customer_id", None, "inner")
    assert kind(inner["amount"].dtype) == "int"
    assert (inner["customer_id"] == 7).sum() == 4, "many-to-many: 2 x 2"
    assert (inner["customer_id"] == 1).sum() == 3, "one-to-many"
    on = relational("join_right_on", p["customers"], p["payments"], "customer_id", "cust", "left")
    assert "cust" in on.columns
    text = relational("join_text_key", p["customers"], p["cities"], "city", None, "left")
    assert kind(text["population"].dtype) == "float"
    ints = relational("join_int_key", p["accounts"], p["events"], "user_id", None, "inner")
    assert kind(ints["user_id"].dtype) == "int", "the key keeps the left column's type"
    assert list(ints["user_id"]) == [3, 3, 3, 1, 1, 1, 9, 3, 3, 3]


def main():
    INPUTS.mkdir(exist_ok=True)
    EXPECTED.mkdir(exist_ok=True)
    for old in list(INPUTS.glob("*")) + list(EXPECTED.glob("*")):
        old.unlink()
    people = make_people()
    orders = make_orders()
    employees = make_employees()
    join_paths = make_join_inputs()
    clean_cases(people)
    groupby_cases(orders, employees)
    join_cases(join_paths)
    for path in sorted(EXPECTED.glob("*.json")):
        print(path.name)


if __name__ == "__main__":
    main()
