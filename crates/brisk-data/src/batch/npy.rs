//! `.npy` arrays, mapped into memory and cut into batches of rows; every element becomes `f64`.

use std::fs::File;

use memmap2::{Mmap, MmapOptions};

use super::column::{BatchColumn, NumericColumn};
use crate::error::{DataError, Result};
use crate::input::Input;
use crate::npy::Header;

/// The rows of a mapped `.npy` array.
pub(super) struct NpyRows {
    header: Header,
    map: Option<Mmap>,
    batch_rows: usize,
    next_row: usize,
}

impl NpyRows {
    pub(super) fn open(input: &Input, batch_rows: usize) -> Result<NpyRows> {
        let name = input.name();
        let mut file: File = input.reader()?;
        let header = Header::read(&mut file, name)?;
        let file_len = file
            .metadata()
            .map_err(|e| DataError::io(input.disk_path(), &e))?
            .len();
        if file_len < header.data_offset + header.data_len() {
            return Err(header.truncated(name, file_len.saturating_sub(header.data_offset)));
        }
        let map = if header.count > 0 {
            // SAFETY: the map is read-only; brisk does not write the file while it is mapped.
            Some(
                unsafe { MmapOptions::new().map(&file) }
                    .map_err(|e| DataError::io(input.disk_path(), &e))?,
            )
        } else {
            None
        };
        Ok(NpyRows {
            header,
            map,
            batch_rows,
            next_row: 0,
        })
    }

    pub(super) fn cols(&self) -> usize {
        self.header.cols
    }

    pub(super) fn bytes_hint(&self) -> u64 {
        self.header.data_offset
            + self.header.data_len() * self.next_row as u64 / self.header.rows.max(1) as u64
    }

    pub(super) fn next_rows(&mut self) -> Option<Vec<BatchColumn>> {
        let (start, end) = (
            self.next_row,
            (self.next_row + self.batch_rows).min(self.header.rows),
        );
        if start >= end {
            return None;
        }
        self.next_row = end;
        let data = &self.map.as_ref()?[self.header.data_offset as usize..];
        let columns = (0..self.header.cols)
            .map(|j| {
                let values = (start..end)
                    .map(|i| self.header.element(data, i, j))
                    .collect();
                BatchColumn::Numeric(NumericColumn::new(values))
            })
            .collect();
        Some(columns)
    }
}
