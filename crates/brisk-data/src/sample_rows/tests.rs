use brisk_kernels::accumulate::Reservoir;
use proptest::prelude::*;

use super::*;
use crate::batch::Batches;
use crate::input::{Format, Input};

/// Every batch of a CSV text, `batch_rows` a batch, with the pass's types as of each.
fn batches(text: &str, batch_rows: usize) -> Vec<(Batch, ColumnTypes)> {
    let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
    let mut batches = Batches::open(&input, batch_rows).unwrap();
    let mut all = Vec::new();
    while let Some(batch) = batches.next_batch().unwrap() {
        all.push((batch, batches.types().clone()));
    }
    all
}

/// The rows of a CSV text read in batches of `batch_rows`.
fn sample(text: &str, batch_rows: usize, options: SampleOptions) -> SampledRows {
    let all = batches(text, batch_rows);
    let columns = all.first().map_or(0, |(b, _)| b.columns().len());
    let mut sample = RowSample::new(columns, options);
    for (batch, types) in &all {
        sample.add(batch, types, batch.first_row());
    }
    sample.finish()
}

/// A table of `rows` rows mixing every column type, with nulls, from a seeded generator.
fn table(rows: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state >> 33
    };
    let mut text = String::from("i,x,flag,day,name\n");
    for r in 0..rows {
        let x = match next() % 5 {
            0 => String::new(),
            k => format!("{}", (next() % 1000) as f64 / 8.0 * k as f64),
        };
        let flag = ["True", "False", ""][(next() % 3) as usize];
        let day = match next() % 4 {
            0 => String::new(),
            k => format!("2024-0{k}-1{}", next() % 10),
        };
        let name = ["ada", "bob", "", "<b>&\"x\"</b>"][(next() % 4) as usize];
        text.push_str(&format!("{r},{x},{flag},{day},{name}\n"));
    }
    text
}

fn options(head: usize, sample: usize, matrix_rows: usize, seed: u64) -> SampleOptions {
    SampleOptions {
        head,
        sample,
        matrix_rows,
        seed,
    }
}

#[test]
fn samples_the_rows_the_reservoir_samples() {
    let text = table(3000, 1);
    for seed in [0, 7, 123_456_789] {
        let rows = sample(&text, 256, options(0, 25, 400, seed));
        for (k, got) in [
            (25, rows.sample.iter().map(|r| r.row).collect::<Vec<_>>()),
            (400, rows.matrix.rows.clone()),
        ] {
            let mut reservoir = Reservoir::new(k, 0, seed);
            (0..3000).for_each(|r| reservoir.add(r, &[]).unwrap());
            assert_eq!(got, reservoir.finish().0, "k = {k}, seed {seed}");
        }
        assert_eq!(rows.matrix.total_rows, 3000);
    }
}

#[test]
fn batch_size_changes_nothing() {
    let text = table(1500, 2);
    let want = sample(&text, 100_000, options(12, 30, 200, 5));
    assert_eq!(want.head.len(), 12);
    assert_eq!(want.sample.len(), 30);
    assert_eq!(want.matrix.rows.len(), 200);
    for batch_rows in [1, 7, 64, 999] {
        assert_eq!(sample(&text, batch_rows, options(12, 30, 200, 5)), want);
    }
}

#[test]
fn head_is_the_first_rows_and_cells_are_the_rows_cells() {
    let text = table(50, 3);
    let rows = sample(&text, 4, options(10, 50, 50, 0));
    assert_eq!(
        rows.head.iter().map(|r| r.row).collect::<Vec<_>>(),
        (0..10).collect::<Vec<_>>()
    );
    // With k the table's size, the sample is every row, in file order.
    assert_eq!(rows.sample.len(), 50);
    assert_eq!(&rows.sample[..10], &rows.head[..]);
    for (line, row) in text.lines().skip(1).zip(&rows.sample) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(row.cells[0].as_deref(), Some(fields[0]));
        assert_eq!(
            row.cells[4].as_deref(),
            (!fields[4].is_empty()).then_some(fields[4])
        );
        let nulls: Vec<bool> = row.cells.iter().map(Option::is_none).collect();
        assert_eq!(rows.matrix.nulls[row.row as usize], nulls);
    }
}

#[test]
fn cells_are_written_as_their_column_type_says() {
    let text = "int,float,flag,day,stamp,name\n\
                1,1.0,True,2024-01-02,2024-01-02 10:30:00,ada\n\
                -20,0.1,False,1999-12-31,2024-01-03,\n\
                300,1e-05,,,,x\n\
                4,1.5e16,True,2024-02-29,2024-01-04 00:00:01,NA\n";
    let rows = sample(text, 2, options(4, 0, 0, 0));
    let cell = |r: usize, j: usize| rows.head[r].cells[j].clone();
    let column = |j: usize| (0..4).map(|r| cell(r, j)).collect::<Vec<_>>();
    let some = |v: &[&str]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
    assert_eq!(column(0), some(&["1", "-20", "300", "4"]));
    assert_eq!(column(1), some(&["1.0", "0.1", "1e-05", "1.5e+16"]));
    assert_eq!(column(2)[..2], some(&["True", "False"]));
    assert_eq!(column(2)[2], None);
    assert_eq!(column(3)[1], Some("1999-12-31".into()));
    // A time of day in any row makes the whole column timestamps, rows before it included.
    assert_eq!(column(4)[1], Some("2024-01-03 00:00:00".into()));
    assert_eq!(column(4)[3], Some("2024-01-04 00:00:01".into()));
    assert_eq!(
        column(5),
        [Some("ada".into()), None, Some("x".into()), None]
    );
}

#[test]
fn a_null_in_a_later_batch_makes_an_integer_column_float() {
    // pandas reads an integer column with a null as float64: `1.0`.
    let rows = sample("n,s\n1,a\n2,b\n,c\n4,d\n", 2, options(4, 0, 0, 0));
    let cells: Vec<_> = rows.head.iter().map(|r| r.cells[0].clone()).collect();
    assert_eq!(
        cells,
        [
            Some("1.0".into()),
            Some("2.0".into()),
            None,
            Some("4.0".into())
        ]
    );
}

#[test]
fn hostile_text_is_kept_verbatim() {
    let hostile = [
        "<script>alert(1)</script>",
        "&amp; &lt;",
        "\"quoted, with comma\"",
        "line\nbreak",
        "=cmd|' /C calc'!A0",
        "\u{202e}reversed \t tab",
    ];
    let mut text = String::from("s\n");
    for h in &hostile {
        text.push('"');
        text.push_str(&h.replace('"', "\"\""));
        text.push_str("\"\n");
    }
    let rows = sample(&text, 3, options(10, 0, 0, 0));
    let got: Vec<_> = rows
        .head
        .iter()
        .map(|r| r.cells[0].clone().unwrap())
        .collect();
    assert_eq!(got, hostile);
}

#[test]
fn long_text_is_cut_on_a_character_boundary() {
    let long = "é".repeat(250);
    let exact = "ß".repeat(200);
    let text = format!("s\n{long}\n{exact}\n");
    let rows = sample(&text, 1, options(2, 0, 0, 0));
    assert_eq!(rows.head[0].cells[0], Some(format!("{}…", "é".repeat(200))));
    assert_eq!(rows.head[1].cells[0], Some(exact));
}

#[test]
fn nothing_asked_nothing_kept() {
    let rows = sample(&table(100, 4), 10, options(0, 0, 0, 0));
    assert!(rows.head.is_empty() && rows.sample.is_empty() && rows.matrix.rows.is_empty());
    assert_eq!(rows.matrix.total_rows, 100);
}

#[test]
fn wide_rows_keep_every_null_bit() {
    // 130 columns: the bitmap spans three words.
    let header: Vec<String> = (0..130).map(|j| format!("c{j}")).collect();
    let row: Vec<&str> = (0..130)
        .map(|j| if j % 3 == 0 { "" } else { "1" })
        .collect();
    let text = format!("{}\n{}\n", header.join(","), row.join(","));
    let rows = sample(&text, 1, SampleOptions::default());
    let want: Vec<bool> = (0..130).map(|j| j % 3 == 0).collect();
    assert_eq!(rows.matrix.nulls, [want]);
}

#[test]
fn finished_rows_serialize_and_memory_is_counted() {
    let all = batches(&table(400, 5), 50);
    let mut sample = RowSample::new(5, SampleOptions::default());
    for (batch, types) in &all {
        sample.add(batch, types, batch.first_row());
    }
    assert!(sample.heap_bytes() > 500 * 8);
    assert_eq!(sample.rows(), 400);
    let rows = sample.finish();
    let text = serde_json::to_string(&rows).unwrap();
    assert_eq!(serde_json::from_str::<SampledRows>(&text).unwrap(), rows);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_split_merged_in_any_order_gives_the_same_rows(
        seed in any::<u64>(),
        rows in 0usize..300,
        batch_rows in 1usize..40,
        owners in prop::collection::vec(0usize..4, 300),
        order in any::<u64>(),
    ) {
        let text = table(rows, seed);
        let opts = options(7, 9, 40, seed);
        let want = sample(&text, 1000, opts);
        // Batches dealt to four states, merged in an order drawn from `order`.
        let mut pieces: Vec<RowSample> = (0..4).map(|_| RowSample::new(5, opts)).collect();
        for (b, (batch, types)) in batches(&text, batch_rows).iter().enumerate() {
            pieces[owners[b % owners.len()]].add(batch, types, batch.first_row());
        }
        let mut merged = RowSample::new(5, opts);
        let mut draw = order;
        while !pieces.is_empty() {
            let piece = pieces.swap_remove((draw % pieces.len() as u64) as usize);
            draw = draw.rotate_left(9) ^ 0x5851_f42d;
            merged.merge(&piece);
        }
        prop_assert_eq!(merged.finish(), want);
    }
}
