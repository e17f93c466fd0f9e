//! One pass's batches handed to several accumulators at once, each on a thread of its own.
//!
//! The accumulators of a pass are independent and take unequal, varying times over a batch.
//! Joined batch by batch, the quicker ones would wait for the slowest at every batch; here each
//! takes the batches in order from a short queue of its own, so a thread that finishes early
//! goes on to the next batch while another catches up, and both processors stay busy.

use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use brisk_data::batch::Batch;

use crate::error::Result;

/// Batches waiting for each accumulator: enough that one slower on a batch catches up on the
/// next without holding up the others.
const QUEUED: usize = 2;

/// A batch, and the rows the whole pass is expected to hold when known (see
/// [`BatchPass::expected_rows`](brisk_data::batch::BatchPass::expected_rows)).
pub(super) struct Delivery<'b> {
    pub batch: &'b Batch,
    pub expected_rows: Option<usize>,
}

/// An accumulator of a pass: it takes every batch in order.
pub(super) type Consumer<'a> = Box<dyn FnMut(Delivery<'_>) -> Result<()> + Send + 'a>;

/// A consumer that cannot fail: `add` takes each batch.
pub(super) fn infallible<'a>(mut add: impl FnMut(&Batch) + Send + 'a) -> Consumer<'a> {
    Box::new(move |d: Delivery<'_>| {
        add(d.batch);
        Ok(())
    })
}

/// Hands every batch `next` yields to each consumer, the consumers side by side. `next` also
/// tells the rows expected once the batch is counted.
///
/// # Errors
/// The first error of `next` or of a consumer; after one, no further batch is read.
pub(super) fn fan_out(
    mut next: impl FnMut() -> Result<Option<(Batch, Option<usize>)>>,
    consumers: Vec<Consumer<'_>>,
) -> Result<()> {
    std::thread::scope(|scope| {
        let mut senders = Vec::with_capacity(consumers.len());
        let mut threads = Vec::with_capacity(consumers.len());
        for mut consume in consumers {
            let (sender, batches) = sync_channel::<(Arc<Batch>, Option<usize>)>(QUEUED);
            senders.push(sender);
            threads.push(scope.spawn(move || -> Result<()> {
                for (batch, expected_rows) in batches {
                    consume(Delivery {
                        batch: &batch,
                        expected_rows,
                    })?;
                }
                Ok(())
            }));
        }
        let read = loop {
            match next() {
                Ok(Some((batch, expected_rows))) => {
                    let batch = Arc::new(batch);
                    let sent = senders
                        .iter()
                        .all(|s| s.send((Arc::clone(&batch), expected_rows)).is_ok());
                    // A consumer that stopped stopped on an error, which its thread returns.
                    if !sent {
                        break Ok(());
                    }
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        drop(senders);
        let consumed = threads.into_iter().try_for_each(|thread| {
            thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        read.and(consumed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ReportError;
    use brisk_data::batch::{BatchColumn, NumericColumn};

    fn batches(n: usize) -> impl FnMut() -> Result<Option<(Batch, Option<usize>)>> {
        let mut made = 0;
        move || {
            made += 1;
            Ok((made <= n).then(|| {
                let column = BatchColumn::Numeric(NumericColumn::new(vec![made as f64; 3]));
                (
                    Batch::from_columns(3 * made as u64, vec![column]),
                    Some(3 * n),
                )
            }))
        }
    }

    #[test]
    fn every_consumer_takes_every_batch_in_order() {
        let (mut firsts, mut sums) = (Vec::new(), 0.0);
        let consumers: Vec<Consumer<'_>> = vec![
            Box::new(|d: Delivery<'_>| {
                firsts.push(d.batch.first_row());
                Ok(())
            }),
            Box::new(|d: Delivery<'_>| {
                if let BatchColumn::Numeric(c) = d.batch.column(0) {
                    sums += c.values().iter().sum::<f64>();
                }
                assert_eq!(d.expected_rows, Some(300));
                Ok(())
            }),
        ];
        fan_out(batches(100), consumers).unwrap();
        assert_eq!(firsts, (1..=100).map(|i| 3 * i).collect::<Vec<u64>>());
        assert_eq!(sums, 3.0 * 5050.0);
    }

    #[test]
    fn a_consumer_error_stops_the_pass_and_is_returned() {
        let mut seen = 0;
        let consumers: Vec<Consumer<'_>> = vec![
            Box::new(|_| Ok(())),
            Box::new(|d: Delivery<'_>| {
                seen += 1;
                if d.batch.first_row() == 30 {
                    return Err(ReportError::invalid("t.csv", "full disk"));
                }
                Ok(())
            }),
        ];
        let error = fan_out(batches(1000), consumers).unwrap_err();
        assert!(error.to_string().contains("full disk"), "{error}");
        assert_eq!(seen, 10);
        let failing = || Err(ReportError::invalid("t.csv", "bad line"));
        let error = fan_out(failing, vec![Box::new(|_| Ok(()))]).unwrap_err();
        assert!(error.to_string().contains("bad line"), "{error}");
    }
}
