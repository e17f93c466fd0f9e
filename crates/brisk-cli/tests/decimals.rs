//! Decimal columns of Parquet and Arrow inputs are read as float64, with a note on stderr naming
//! each of them once.

mod common;

use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;
use polars_arrow::array::{Array, PrimitiveArray};
use polars_arrow::datatypes::{ArrowDataType, ArrowSchema, Field};
use polars_arrow::io::ipc::write::{Compression, FileWriter, StreamWriter, WriteOptions};
use polars_arrow::record_batch::RecordBatchT;

use common::{json_without_source, succeeds, OutputText};

/// The table every file holds, as CSV: a decimal(10,2) `price` and an integer `n`.
const CSV: &str = "price,n\n12.34,1\n,2\n-0.50,3\n99999999.99,4\n";

fn prices() -> [Option<i128>; 4] {
    [Some(1234), None, Some(-50), Some(9_999_999_999)]
}

/// The table as an Arrow IPC file (lz4) and an Arrow stream.
fn as_arrow() -> (Vec<u8>, Vec<u8>) {
    let price = PrimitiveArray::<i128>::from(prices()).to(ArrowDataType::Decimal(10, 2));
    let n = PrimitiveArray::<i64>::from_vec(vec![1, 2, 3, 4]);
    let arrays: Vec<Box<dyn Array>> = vec![price.boxed(), n.boxed()];
    let schema: ArrowSchema = ["price", "n"]
        .iter()
        .zip(&arrays)
        .map(|(name, array)| Field::new((*name).into(), array.dtype().clone(), true))
        .collect();
    let schema = Arc::new(schema);
    let record = RecordBatchT::new(4, Arc::clone(&schema), arrays);
    let lz4 = WriteOptions {
        compression: Some(Compression::LZ4),
    };
    let mut file = FileWriter::try_new(Vec::new(), Arc::clone(&schema), None, lz4).unwrap();
    file.write(&record, None).unwrap();
    file.finish().unwrap();
    let mut stream = StreamWriter::new(Vec::new(), WriteOptions::default());
    stream.start(&schema, None).unwrap();
    stream.write(&record, None).unwrap();
    stream.finish().unwrap();
    (file.into_inner(), stream.into_inner())
}

/// The table as polars writes it to Parquet.
fn write_parquet(path: &Path) {
    let values = [Some(12.34), None, Some(-0.5), Some(99_999_999.99)];
    let price = Series::new("price".into(), values)
        .cast(&DataType::Decimal(10, 2))
        .unwrap();
    let n = Series::new("n".into(), [1i64, 2, 3, 4]);
    let mut frame = DataFrame::new(4, vec![price.into(), n.into()]).unwrap();
    let file = std::fs::File::create(path).unwrap();
    ParquetWriter::new(file).finish(&mut frame).unwrap();
}

#[test]
fn decimal_columns_are_numbers_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("t.csv");
    std::fs::write(&csv, CSV).unwrap();
    let expected = json_without_source(&["stats", csv.to_str().unwrap(), "--format", "json"]);
    let (file, stream) = as_arrow();
    let feather = dir.path().join("t.feather");
    std::fs::write(&feather, file).unwrap();
    let arrows = dir.path().join("t.arrows");
    std::fs::write(&arrows, stream).unwrap();
    let parquet = dir.path().join("t.parquet");
    write_parquet(&parquet);
    for path in [&feather, &arrows, &parquet] {
        let shown = path.to_str().unwrap();
        let args = ["stats", shown, "--format", "json"];
        assert_eq!(json_without_source(&args), expected, "{shown}");
        let note = format!(
            "brisk: {shown}: column \"price\" is decimal(10,2); read as float64, which keeps 15 \
             to 17 significant digits\n"
        );
        assert_eq!(succeeds(&args).stderr_text(), note, "{shown}");
        // A command of two passes says it once; a column left out is not named.
        let report = dir.path().join("r.html");
        let run = succeeds(&["report", shown, "-o", report.to_str().unwrap()]);
        assert_eq!(run.stderr_text().matches("decimal(10,2)").count(), 1);
        let run = succeeds(&["stats", shown, "--columns", "n"]);
        assert_eq!(run.stderr_text(), "", "{shown}");
    }
}
