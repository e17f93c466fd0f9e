"""Seeded generators for the dataset benchmarks `clean` and `join` (`groupby` uses gen_data.py's CSV).

    python gen_frames.py                 # every data set (clean, join)
    python gen_frames.py join --force    # one data set, regenerated even if up to date

clean  data/clean_1m.csv         1,000,000 rows of messy data (about 60 MiB): 990,000
       distinct rows and 10,000 duplicates of earlier rows, each placed after its
       original; 4,000 of the copies are written differently with the same values
       ("12.50" for "12.5", "34.0" for "34", the number quoted or not, another null
       token; the same text). Columns:
         id       integer row identifier (no nulls; a duplicate repeats its original's)
         age      integers 18-90, a few 999 sentinels
         income   lognormal(10.5, 0.6) with 2 decimals, 0.05% of them 100 times too large;
                  1% of the cells quoted ("1234.56")
         score    N(0, 1) with 6 decimals, 0.02% outliers of magnitude 15-60
         temp_c   N(15, 8) with 1 decimal, 0.02% at 999.9 and 0.01% at -273.1
         ratio    U(0, 1) with 4 decimals, 1% of the cells in scientific notation (4.567e-01)
         city     24 cities (Zipf), as written, UPPER or lower case; some non-ASCII
                  ("Zürich", "São Paulo") and one with a comma ("Washington, D.C.")
         status   active/inactive/pending/closed in mixed case
         note     481 short free-text notes, most with commas, some with double
                  quotes, 0.05% with an embedded newline
       About 2% of the cells of every column but id are null (5% of note), written as
       an empty field or one of pandas' default null tokens (NA, null, N/A, NaN, None).
join   data/join_users_1m.csv    1,000,000 users: user_id (distinct integers in random
       order), name ("First Last", 1% "Last, First", quoted), country (2-letter code,
       1% null); 10% of the users have no events, the others a lognormal(0, 1) activity
       weight, so some more have none.
       data/join_events_5m.csv   5,000,000 events: event_id (1..5,000,000), user_id
       (5% of them ids that are not in the users file), timestamp (ISO text, increasing
       over 2024), event_type (6 words).

Every file is written through a ".partial" file and renamed when complete. A sidecar
<first file>.meta.json records the parameters and a hash of this script; a data set is
reused only if that matches and all its files exist, otherwise it is regenerated.
"""

import os

import numpy as np
import polars as pl

from gen_common import DataSets

BLOCK_ROWS = 1_000_000

# pandas' default null tokens used in the clean data ("" most often).
NULL_TOKENS = ["", "NA", "null", "N/A", "NaN", "None"]
NULL_TOKEN_P = [0.6, 0.15, 0.1, 0.05, 0.05, 0.05]

CITIES = [
    "London", "Paris", "New York", "Berlin", "Madrid", "Zürich", "São Paulo", "Kraków", "Tokyo",
    "Washington, D.C.", "Mexico City", "Cairo", "Lagos", "Mumbai", "Sydney", "Toronto", "Rome",
    "Oslo", "Lima", "Seoul", "Köln", "Reykjavík", "Buenos Aires", "Cape Town",
]
STATUSES = ["active", "Active", "ACTIVE", "inactive", "Inactive", "INACTIVE", "pending", "Pending", "closed", "Closed"]
STATUS_P = [0.3, 0.15, 0.05, 0.15, 0.1, 0.05, 0.08, 0.04, 0.05, 0.03]
NOTE_HEADS = [
    "Called", "called", "Emailed", "Left voicemail", "Visited", "Chat", "No contact", "Follow-up",
    "Complaint", "Order", "Delivery", "Payment", "Account", "Support ticket", "Survey", "Callback",
    "Meeting", "Demo", "Trial", "Renewal",
]
NOTE_TAILS = [
    "no answer", "OK", "ok", "asked for a refund, order pending", 'said "call back later"', "escalated",
    "ESCALATED", "resolved", "Resolved, thanks", "wrong number", "left a message, no reply",
    "wants a discount", 'customer said "great service"', "address changed", "card declined, retry",
    "late, again", "needs invoice", "moved to Q3", "not interested", "Interested!", "see ticket #4411",
    "priority: high", "priority: low", "", "",
]
NEWLINE_NOTE = "Multi-line note:\nsecond line, with a comma"

FIRST_NAMES = """Maria Jose Ana Luis Carlos Elena Wei Li Fatima Ahmed Olga Ivan Sara David Emma Noah
Olivia Liam Mia Lucas Sofia Mateo Aisha Omar Yuki Hiro Anna Jan Eva Piotr Chloe Leo Nina Arjun
Priya Kwame Ama Lars Ingrid Diego""".split()
LAST_NAMES = """Garcia Smith Wang Kumar Silva Mueller Rossi Novak Kim Tanaka Nguyen Ivanova Haddad
Okafor Johansson Dubois Santos Lopez Cohen Murphy Jensen Kowalski Popescu Yilmaz Sato Chen Singh
Mensah Andersen Costa Moreau Weber Fischer Romero Perez Taylor Brown Wilson Lee Martin""".split()
# 2-letter codes; "NA" (Namibia) is left out: it is one of pandas' null tokens.
COUNTRIES = """US GB DE FR ES IT NL SE NO PL BR MX AR IN CN JP KR AU CA ZA NG EG KE TR
RU UA PT IE BE CH AT DK FI GR CZ RO HU CL CO PE""".split()
EVENT_TYPES = ["view", "click", "add_to_cart", "purchase", "login", "logout"]
EVENT_TYPE_P = [0.45, 0.25, 0.1, 0.05, 0.1, 0.05]

# name -> parameters; "stream" separates the generators' random streams for one seed.
SPECS = {
    "clean": {"files": {"data": "clean_1m.csv"}, "rows": 1_000_000, "duplicates": 10_000, "reformatted": 0.4,
              "stream": 11, "null_fraction": 0.02, "note_null_fraction": 0.05},
    "join": {"files": {"users": "join_users_1m.csv", "events": "join_events_5m.csv"}, "users": 1_000_000,
             "events": 5_000_000, "stream": 12, "id_base": 100_000, "id_space": 1_250_000,
             "inactive_fraction": 0.1, "unknown_fraction": 0.05, "start": "2024-01-01"},
}


# ------------------------------------------------------------------ helpers


def csv_quote(text):
    """A field as pandas' to_csv (QUOTE_MINIMAL) would write it."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def zipf_p(k, s=1.1):
    w = 1.0 / np.arange(1, k + 1) ** s
    return w / w.sum()


def pick(table, idx):
    """Strings table[idx] as a Polars String series (a gather from a small table)."""
    return pl.Series(table, dtype=pl.String).gather(pl.Series(idx, dtype=pl.UInt32))


def fixed(values, decimals):
    """Text of values already rounded to `decimals` places: shortest round-trip form, e.g. 12.5, 12.0."""
    return pl.Series(np.round(values, decimals)).cast(pl.String)


def write_csv_atomic(path, frames, **kw):
    """Write the frames of an iterable one after the other (header once) to `path`, atomically."""
    tmp = path + ".partial"
    with open(tmp, "wb") as f:
        for i, df in enumerate(frames):
            df.write_csv(f, include_header=(i == 0), **kw)
    os.replace(tmp, path)


# ------------------------------------------------------------------ clean


def gen_clean(rng, spec, path):
    n, d = spec["rows"], spec["duplicates"]
    m = n - d  # distinct rows

    # Values of the distinct rows.
    age = rng.integers(18, 91, m).astype(np.float64)
    age[rng.random(m) < 1e-4] = 999
    income = np.round(rng.lognormal(10.5, 0.6, m), 2)
    big = rng.random(m) < 5e-4
    income[big] = np.round(income[big] * 100, 2)
    score = np.round(rng.standard_normal(m), 6)
    out = rng.random(m) < 2e-4
    score[out] = np.round(rng.choice([-1.0, 1.0], out.sum()) * rng.uniform(15, 60, out.sum()), 6)
    temp = np.round(rng.normal(15.0, 8.0, m), 1)
    u = rng.random(m)
    temp[u < 2e-4] = 999.9
    temp[(u >= 2e-4) & (u < 3e-4)] = -273.1
    ratio_k = rng.integers(0, 10_000, m)  # ratio = k / 10,000

    city = rng.choice(len(CITIES), m, p=zipf_p(len(CITIES)))
    case = rng.choice(3, m, p=[0.7, 0.15, 0.15])  # as written, UPPER, lower
    status = rng.choice(len(STATUSES), m, p=STATUS_P)
    notes = [csv_quote(f"{h}, {t}" if t else h) for h in NOTE_HEADS for t in NOTE_TAILS]
    notes = list(dict.fromkeys(notes)) + [csv_quote(NEWLINE_NOTE)]
    note_p = np.r_[zipf_p(len(notes) - 1, 0.8) * (1 - 5e-4), 5e-4]
    note = rng.choice(len(notes), m, p=note_p)

    numeric = ["age", "income", "score", "temp_c", "ratio"]
    text = ["city", "status", "note"]
    null = {c: rng.random(m) < spec["null_fraction"] for c in numeric + text[:2]}
    null["note"] = rng.random(m) < spec["note_null_fraction"]
    token = rng.choice(len(NULL_TOKENS), (m, len(null)), p=NULL_TOKEN_P)
    quoted = rng.random(m) < 0.01  # income written as "1234.56"
    sci = (rng.random(m) < 0.01) & (ratio_k >= 1000)  # ratio written as 4.567e-01

    # Row order: each duplicate goes somewhere after its original.
    src_dup = rng.choice(m, d, replace=False)
    key = np.r_[np.arange(m, dtype=np.float64), src_dup + 0.5 + rng.random(d) * (m - 1 - src_dup)]
    order = np.argsort(key, kind="stable")
    src = np.r_[np.arange(m), src_dup][order]
    dup = np.r_[np.zeros(m, bool), np.ones(d, bool)][order]
    alt = dup & (rng.random(n) < spec["reformatted"])  # same values, other text
    alt_s = pl.Series(alt)

    def numeric_text(values_text, name, j):
        s = values_text.gather(pl.Series(src, dtype=pl.UInt32))
        # Reformatted copies: a trailing zero after the decimals ("12.5" -> "12.50"), ".0" after an integer.
        s = pl.select(pl.when(alt_s & s.str.contains(r"^-?[0-9]+\.[0-9]+$")).then(s + "0")
                      .when(alt_s & s.str.contains(r"^-?[0-9]+$")).then(s + ".0").otherwise(s)).to_series()
        return with_nulls(s, name, j)

    def with_nulls(s, name, j):
        tok = token[src, j]
        tok = np.where(alt, np.where(tok == 0, 1, 0), tok)  # reformatted copies: another null token
        nulls = pick(NULL_TOKENS, tok)
        return pl.select(pl.when(pl.Series(null[name][src])).then(nulls).otherwise(s)).to_series().alias(name)

    cols = {"id": pl.Series(src + 1, dtype=pl.Int64).cast(pl.String)}
    cols["age"] = numeric_text(pl.Series(age.astype(np.int64)).cast(pl.String), "age", 0)
    inc = numeric_text(fixed(income, 2), "income", 1)
    q = pl.Series(quoted[src] ^ alt)  # reformatted copies toggle the quotes
    quote = q & ~pl.Series(null["income"][src])
    cols["income"] = pl.select(pl.when(quote).then('"' + inc + '"').otherwise(inc)).to_series()
    cols["score"] = numeric_text(fixed(score, 6), "score", 2)
    cols["temp_c"] = numeric_text(fixed(temp, 1), "temp_c", 3)
    ratio_text = fixed(ratio_k / 10_000, 4)
    sci_text = (pl.Series(ratio_k // 1000).cast(pl.String) + "."
                + pl.Series(ratio_k % 1000).cast(pl.String).str.zfill(3) + "e-01")
    ratio_text = pl.select(pl.when(pl.Series(sci)).then(sci_text).otherwise(ratio_text)).to_series()
    cols["ratio"] = numeric_text(ratio_text, "ratio", 4)
    city_table = [csv_quote(v) for c in CITIES for v in (c, c.upper(), c.lower())]
    cols["city"] = with_nulls(pick(city_table, (city * 3 + case)[src]), "city", 5)
    cols["status"] = with_nulls(pick(STATUSES, status[src]), "status", 6)
    cols["note"] = with_nulls(pick(notes, note[src]), "note", 7)
    df = pl.DataFrame(cols)
    # Every field is already CSV text (quoted where needed): write it as is.
    write_csv_atomic(path, [df], quote_style="never")


# ------------------------------------------------------------------ join


def gen_join(rng, spec, users_path, events_path):
    nu, ne = spec["users"], spec["events"]
    perm = rng.permutation(spec["id_space"]).astype(np.int64) + spec["id_base"]
    user_ids, unknown_ids = perm[:nu], perm[nu:]

    first = rng.integers(0, len(FIRST_NAMES), nu)
    last = rng.integers(0, len(LAST_NAMES), nu)
    flipped = rng.random(nu) < 0.01
    names = ([f"{f} {l}" for f in FIRST_NAMES for l in LAST_NAMES]
             + [f"{l}, {f}" for f in FIRST_NAMES for l in LAST_NAMES])
    name_idx = (first * len(LAST_NAMES) + last) + flipped * (len(FIRST_NAMES) * len(LAST_NAMES))
    country = pick(COUNTRIES, rng.choice(len(COUNTRIES), nu, p=zipf_p(len(COUNTRIES), 1.0)))
    country = pl.select(pl.when(pl.Series(rng.random(nu) < 0.01)).then(None).otherwise(country)).to_series()
    users = pl.DataFrame({"user_id": user_ids, "name": pick(names, name_idx), "country": country})
    write_csv_atomic(users_path, [users])  # Polars quotes "Last, First" itself

    weight = rng.lognormal(0.0, 1.0, nu)
    weight[rng.random(nu) < spec["inactive_fraction"]] = 0.0
    unknown = rng.random(ne) < spec["unknown_fraction"]
    ev_user = np.empty(ne, np.int64)
    ev_user[~unknown] = rng.choice(user_ids, (~unknown).sum(), p=weight / weight.sum())
    ev_user[unknown] = rng.choice(unknown_ids, unknown.sum())
    start = int(np.datetime64(spec["start"], "s").astype(np.int64))
    seconds = np.sort(rng.integers(0, 366 * 86_400, ne)) + start
    etype = rng.choice(len(EVENT_TYPES), ne, p=EVENT_TYPE_P)

    def blocks():
        for i in range(0, ne, BLOCK_ROWS):
            j = min(i + BLOCK_ROWS, ne)
            ts = pl.from_epoch(pl.Series(seconds[i:j]), time_unit="s").dt.strftime("%Y-%m-%dT%H:%M:%S")
            yield pl.DataFrame({"event_id": np.arange(i + 1, j + 1, dtype=np.int64), "user_id": ev_user[i:j],
                                "timestamp": ts, "event_type": pick(EVENT_TYPES, etype[i:j])})

    write_csv_atomic(events_path, blocks())


# ------------------------------------------------------------------ driver


def paths(name, data_dir):
    return {k: os.path.join(data_dir, f) for k, f in SPECS[name]["files"].items()}


def complete(name, files):
    return all(os.path.isfile(p) and os.path.getsize(p) > 0 for p in files.values())


def describe(name, files):
    return f"{name} data", ", ".join(os.path.basename(p) for p in files.values())


def generate(name, rng, files):
    if name == "clean":
        gen_clean(rng, SPECS[name], files["data"])
    elif name == "join":
        gen_join(rng, SPECS[name], files["users"], files["events"])
    else:
        raise ValueError(f"unknown data set {name!r}")


DATA_SETS = DataSets(__file__, SPECS, paths, complete, describe, generate)
# ensure(name, seed, data_dir, force=False): generates data set `name` unless it is up to date;
# returns {key: path} (clean: data; join: users, events).
ensure = DATA_SETS.ensure


if __name__ == "__main__":
    DATA_SETS.main(__doc__)
