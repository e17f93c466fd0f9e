//! [`NumericSpill`]: the numeric columns of a pass, written as raw `f64` to a temporary file so
//! that later passes which need only numbers replay them instead of parsing the input again.
//!
//! A pass over a CSV spends most of its time turning text into numbers; the report's second
//! pass and the cleaning's bounds passes read only numeric columns. Eight bytes a cell on disk
//! (never in memory: the file is written and read a batch at a time) buys every later pass the
//! parse. The spill is an optimisation, never a requirement: when the disk refuses it (full, or
//! no temporary directory), it is dropped and the caller reads the input again.
//!
//! Layout, batch after batch: the first row and the row count (`u64` each), then each spilled
//! column's values (`f64`, NaN for a null), all in the machine's byte order: the file lives and
//! dies with the process, and a column goes to and from it as it lies in memory, uncopied.

use std::fs::File;
use std::io::Write;
use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::{self, JoinHandle};

use super::column::{BatchColumn, NumericColumn, TextColumn};
use super::source::{Batch, BatchPass};
use super::types::{ColumnType, ColumnTypes};
use crate::error::{DataError, ErrorKind, Location, Result};

/// The numeric columns of a pass on their way to a temporary file, or the file written.
#[derive(Debug)]
pub struct NumericSpill {
    columns: Vec<usize>,
    /// Written unbuffered: a batch's column is one large write.
    writer: Option<File>,
    bytes: u64,
    rows: u64,
}

impl NumericSpill {
    /// A spill of the columns of `types` that hold numbers (numeric and boolean); `None` when no
    /// temporary file can be made.
    pub fn new(types: &ColumnTypes) -> Option<Self> {
        let columns = (0..types.len())
            .filter(|&j| types.holds_numbers(j))
            .collect();
        let file = tempfile::tempfile().ok()?;
        Some(NumericSpill {
            columns,
            writer: Some(file),
            bytes: 0,
            rows: 0,
        })
    }

    /// Writes a batch's numeric columns. A failed write drops the spill
    /// ([`NumericSpill::is_whole`] turns false); the pass goes on.
    pub fn add(&mut self, batch: &Batch) {
        let Some(writer) = &mut self.writer else {
            return;
        };
        let written = write_batch(writer, batch, &self.columns);
        match written {
            Ok(bytes) => {
                self.bytes += bytes;
                self.rows += batch.rows() as u64;
            }
            Err(_) => self.writer = None,
        }
    }

    /// Whether every batch so far was written.
    pub fn is_whole(&self) -> bool {
        self.writer.is_some()
    }

    /// The rows written.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The file written, for replays; `None` when the spill is not whole.
    pub fn finish(self) -> Option<SpilledColumns> {
        let file = self.writer?;
        Some(SpilledColumns {
            file,
            columns: self.columns,
            bytes: self.bytes,
            rows: self.rows,
        })
    }
}

/// A whole [`NumericSpill`], ready to be replayed (one replay at a time: they share the file's
/// position; a replay is over when it is dropped).
#[derive(Debug)]
pub struct SpilledColumns {
    file: File,
    columns: Vec<usize>,
    bytes: u64,
    rows: u64,
}

impl SpilledColumns {
    /// The rows spilled.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// A pass over the spilled batches with `types` (their numeric columns from the file, the
    /// others all null); `None` when the file cannot be read again.
    pub fn replay(&self, types: &ColumnTypes) -> Option<Replay> {
        self.replay_columns(types, &self.columns)
    }

    /// A pass over the spilled batches that reads only the spilled columns among `wanted`
    /// (indices into `types`) and skips the others' bytes; every other column is all null.
    pub fn replay_columns(&self, types: &ColumnTypes, wanted: &[usize]) -> Option<Replay> {
        let file = self.file.try_clone().ok()?;
        let read = self.columns.iter().map(|j| wanted.contains(j)).collect();
        Some(Replay::start(
            file,
            self.columns.clone(),
            read,
            types.clone(),
            self.bytes,
        ))
    }
}

fn write_batch(writer: &mut File, batch: &Batch, columns: &[usize]) -> std::io::Result<u64> {
    let rows = batch.rows();
    writer.write_all(bytemuck::cast_slice(&[batch.first_row(), rows as u64]))?;
    for &j in columns {
        match batch.column(j) {
            BatchColumn::Numeric(c) => writer.write_all(bytemuck::cast_slice(c.values()))?,
            BatchColumn::Text(_) => {
                writer.write_all(bytemuck::cast_slice(&vec![f64::NAN; rows]))?
            }
        }
    }
    Ok(16 + (rows * 8 * columns.len()) as u64)
}

/// A pass over a [`NumericSpill`]'s batches, read and converted on a thread of its own, one
/// batch ahead of the caller.
#[derive(Debug)]
pub struct Replay {
    batches: Option<Receiver<std::io::Result<(Batch, u64)>>>,
    thread: Option<JoinHandle<()>>,
    types: ColumnTypes,
    read: u64,
    total: u64,
}

impl Replay {
    fn start(
        file: File,
        columns: Vec<usize>,
        read: Vec<bool>,
        types: ColumnTypes,
        total: u64,
    ) -> Self {
        let (sender, batches) = sync_channel(1);
        let mut reader = SpillReader {
            file,
            columns,
            read_column: read,
            types: types.clone(),
            read: 0,
            total,
        };
        let thread = thread::spawn(move || loop {
            let next = reader.next().transpose();
            let Some(next) = next else { break };
            let failed = next.is_err();
            if sender.send(next.map(|b| (b, reader.read))).is_err() || failed {
                break;
            }
        });
        Replay {
            batches: Some(batches),
            thread: Some(thread),
            types,
            read: 0,
            total,
        }
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        // The reader stops at its next send once the channel is closed.
        self.batches = None;
        if let Some(thread) = self.thread.take() {
            drop(thread.join());
        }
    }
}

/// The reading side of a [`Replay`]: each column's bytes are read straight into place at their
/// offset, and a skipped column's are never read.
struct SpillReader {
    file: File,
    columns: Vec<usize>,
    /// Whether each spilled column is read (or its bytes skipped).
    read_column: Vec<bool>,
    types: ColumnTypes,
    read: u64,
    total: u64,
}

impl SpillReader {
    fn next(&mut self) -> std::io::Result<Option<Batch>> {
        if self.read >= self.total {
            return Ok(None);
        }
        let mut head = [0u64; 2];
        read_exact_at(&self.file, bytemuck::cast_slice_mut(&mut head), self.read)?;
        let [first_row, rows] = head;
        let rows = rows as usize;
        let mut numeric: Vec<Option<NumericColumn>> = vec![None; self.types.len()];
        let mut offset = self.read + 16;
        for (&j, &read) in self.columns.iter().zip(&self.read_column) {
            if read {
                numeric[j] = Some(NumericColumn::new(read_values(&self.file, rows, offset)?));
            }
            offset += (rows * 8) as u64;
        }
        self.read += 16 + (rows * 8 * self.columns.len()) as u64;
        let columns = numeric
            .into_iter()
            .enumerate()
            .map(|(j, spilled)| match (spilled, self.types.get(j)) {
                (Some(c), _) => BatchColumn::Numeric(c),
                (None, ColumnType::Numeric | ColumnType::Bool) => {
                    BatchColumn::Numeric(NumericColumn::new(vec![f64::NAN; rows]))
                }
                (None, _) => BatchColumn::Text(TextColumn::nulls(rows)),
            })
            .collect();
        Ok(Some(Batch::from_columns(first_row, columns)))
    }
}

/// Fills `bytes` from `file` at `offset`.
fn read_exact_at(file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = file;
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(bytes)
    }
}

/// `rows` values read from `file` at `offset` into a new column. On Unix, `pread` writes them
/// straight into the column's unwritten capacity: a column is half a megabyte, and zeroing it
/// first cost the replay as much as the read.
fn read_values(file: &File, rows: usize, offset: u64) -> std::io::Result<Vec<f64>> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let mut values = Vec::<f64>::with_capacity(rows);
        let (start, bytes) = (values.as_mut_ptr().cast::<u8>(), rows * 8);
        let mut done = 0;
        while done < bytes {
            let at = i64::try_from(offset + done as u64).map_err(std::io::Error::other)?;
            // SAFETY: `start..start + bytes` is the vector's allocation (capacity `rows`
            // values), and `pread` writes at most `bytes - done` bytes from `start + done`.
            let n =
                unsafe { libc::pread(file.as_raw_fd(), start.add(done).cast(), bytes - done, at) };
            match n {
                0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                n if n < 0 => {
                    let error = std::io::Error::last_os_error();
                    if error.kind() != std::io::ErrorKind::Interrupted {
                        return Err(error);
                    }
                }
                n => done += n as usize,
            }
        }
        // SAFETY: every byte of the first `rows` values was written just above, and any bits
        // are an `f64`.
        unsafe { values.set_len(rows) };
        Ok(values)
    }
    #[cfg(not(unix))]
    {
        let mut values = vec![0.0; rows];
        read_exact_at(file, bytemuck::cast_slice_mut(&mut values), offset)?;
        Ok(values)
    }
}

impl BatchPass for Replay {
    fn next_batch(&mut self) -> Result<Option<Batch>> {
        let Some(batches) = &self.batches else {
            return Ok(None);
        };
        match batches.recv() {
            Ok(Ok((batch, read))) => {
                self.read = read;
                Ok(Some(batch))
            }
            Ok(Err(e)) => {
                self.batches = None;
                Err(DataError::new(
                    ErrorKind::Io,
                    Location::source("the spilled numeric columns"),
                    format!("cannot read back the temporary file: {e}"),
                ))
            }
            Err(_) => {
                self.batches = None;
                Ok(None)
            }
        }
    }

    fn types(&self) -> &ColumnTypes {
        &self.types
    }

    fn progress(&self) -> (u64, Option<u64>) {
        (self.read, Some(self.total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Batches;
    use crate::input::{Format, Input};

    #[test]
    fn a_replay_gives_the_numbers_of_the_pass_and_nulls_for_text() {
        let text = "x,label,y\n1.5,a,NA\nNA,b,2\n3,,4e3\n-0.0,c,5\n";
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        let mut batches = Batches::open(&input, 3).unwrap();
        let mut spill: Option<NumericSpill> = None;
        let mut read = Vec::new();
        while let Some(batch) = batches.next_batch().unwrap() {
            spill
                .get_or_insert_with(|| NumericSpill::new(batches.types()).unwrap())
                .add(&batch);
            read.push(batch);
        }
        let spill = spill.unwrap();
        assert!(spill.is_whole());
        assert_eq!(spill.rows(), 4);
        let spilled = spill.finish().unwrap();
        assert_eq!(spilled.rows(), 4);
        // Twice: each replay starts from the top.
        for _ in 0..2 {
            replay_equals(spilled.replay(batches.types()).unwrap(), &read);
        }
        // Only `y`: `x` comes back all null.
        let mut only = spilled.replay_columns(batches.types(), &[2]).unwrap();
        for batch in &read {
            let again = only.next_batch().unwrap().unwrap();
            let (BatchColumn::Numeric(x), BatchColumn::Numeric(y), BatchColumn::Numeric(want)) =
                (again.column(0), again.column(2), batch.column(2))
            else {
                panic!("numeric")
            };
            assert!(x.values().iter().all(|v| v.is_nan()));
            let bits =
                |c: &NumericColumn| c.values().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(y), bits(want));
        }
        assert!(only.next_batch().unwrap().is_none());
    }

    #[test]
    fn a_spill_cut_short_is_an_error_not_a_panic() {
        let text = "x,y\n1,2\n3,4\n5,6\n";
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        let mut batches = Batches::open(&input, 2).unwrap();
        let mut spill = None;
        while let Some(batch) = batches.next_batch().unwrap() {
            spill
                .get_or_insert_with(|| NumericSpill::new(batches.types()).unwrap())
                .add(&batch);
        }
        let spilled = spill.unwrap().finish().unwrap();
        spilled.file.set_len(spilled.bytes - 4).unwrap();
        let mut replay = spilled.replay(batches.types()).unwrap();
        assert!(replay.next_batch().unwrap().is_some());
        let error = replay.next_batch().unwrap_err();
        assert!(error.to_string().contains("spilled"), "{error}");
    }

    fn replay_equals(mut replay: Replay, read: &[Batch]) {
        for batch in read {
            let again = replay.next_batch().unwrap().unwrap();
            assert_eq!(again.first_row(), batch.first_row());
            assert_eq!(again.rows(), batch.rows());
            for j in [0, 2] {
                let (BatchColumn::Numeric(a), BatchColumn::Numeric(b)) =
                    (again.column(j), batch.column(j))
                else {
                    panic!("numeric")
                };
                let bits =
                    |c: &NumericColumn| c.values().iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(a), bits(b));
            }
            let BatchColumn::Text(label) = again.column(1) else {
                panic!("text")
            };
            assert!(label.iter().all(|v| v.is_none()));
        }
        assert!(replay.next_batch().unwrap().is_none());
        assert_eq!(replay.progress().0, replay.progress().1.unwrap());
    }
}
