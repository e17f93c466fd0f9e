//! Parsing the next chunks on a thread of their own while the caller works on the current one.
//!
//! The reader thread fills chunks and sends them over a bounded channel; the caller sends each one
//! back when done, so only a few chunk buffers ever exist. With `threads == 1` the chunks are read
//! in the caller's thread instead.

use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

use super::{Chunk, CsvReader};
use crate::error::Result;

/// Chunks in flight: one being filled, one waiting, one being used.
const IN_FLIGHT: usize = 3;

/// A parsed chunk with the reader's byte count after it.
pub struct Parsed {
    /// The records.
    pub chunk: Chunk,
    /// Bytes consumed from the source once this chunk was read.
    pub bytes_read: u64,
}

/// Chunks of a CSV source, parsed ahead on a reader thread when `threads > 1`.
pub enum Chunks<R: Read + Send + 'static> {
    /// Parsed in the caller's thread.
    Inline(CsvReader<R>, Option<Chunk>),
    /// Parsed ahead on a reader thread.
    Ahead {
        /// Filled chunks, or the error that ended reading.
        filled: Receiver<Result<Parsed>>,
        /// Used chunks going back to be refilled.
        recycle: SyncSender<Chunk>,
        /// The reader thread.
        thread: Option<JoinHandle<()>>,
    },
}

impl<R: Read + Send + 'static> Chunks<R> {
    /// Starts reading; a reader thread is used when `threads > 1`.
    pub fn new(reader: CsvReader<R>, threads: usize) -> Self {
        if threads <= 1 {
            return Chunks::Inline(reader, Some(Chunk::default()));
        }
        let (filled_tx, filled) = sync_channel(IN_FLIGHT);
        let (recycle, recycled) = sync_channel::<Chunk>(IN_FLIGHT);
        for _ in 0..IN_FLIGHT {
            recycle
                .send(Chunk::default())
                .expect("room for the first chunks");
        }
        let thread = thread::spawn(move || read_ahead(reader, &filled_tx, &recycled));
        Chunks::Ahead {
            filled,
            recycle,
            thread: Some(thread),
        }
    }

    /// The next chunk; `None` at the end of the source.
    pub fn next_chunk(&mut self) -> Result<Option<Parsed>> {
        match self {
            Chunks::Inline(reader, spare) => {
                let mut chunk = spare.take().unwrap_or_default();
                if reader.next_chunk(&mut chunk)? {
                    Ok(Some(Parsed {
                        chunk,
                        bytes_read: reader.bytes_read(),
                    }))
                } else {
                    Ok(None)
                }
            }
            Chunks::Ahead { filled, .. } => filled.recv().ok().transpose(),
        }
    }

    /// Returns a chunk for reuse.
    pub fn recycle(&mut self, chunk: Chunk) {
        match self {
            Chunks::Inline(_, spare) => *spare = Some(chunk),
            // The reader may have stopped; then the chunk is simply dropped.
            Chunks::Ahead { recycle, .. } => drop(recycle.try_send(chunk)),
        }
    }
}

impl<R: Read + Send + 'static> Drop for Chunks<R> {
    fn drop(&mut self) {
        if let Chunks::Ahead {
            filled,
            recycle,
            thread,
        } = self
        {
            // Closing both channels stops the reader at its next send or receive.
            let (_, dead_rx) = sync_channel(0);
            drop(std::mem::replace(filled, dead_rx));
            let (dead_tx, _) = sync_channel(0);
            drop(std::mem::replace(recycle, dead_tx));
            if let Some(thread) = thread.take() {
                let _ = thread.join();
            }
        }
    }
}

fn read_ahead<R: Read>(
    mut reader: CsvReader<R>,
    filled: &SyncSender<Result<Parsed>>,
    recycled: &Receiver<Chunk>,
) {
    while let Ok(mut chunk) = recycled.recv() {
        let outcome = match reader.next_chunk(&mut chunk) {
            Ok(true) => Ok(Parsed {
                chunk,
                bytes_read: reader.bytes_read(),
            }),
            Ok(false) => return,
            Err(e) => Err(e),
        };
        let failed = outcome.is_err();
        if filled.send(outcome).is_err() || failed {
            return;
        }
    }
}
