//! Panics of the decoders brisk builds on (polars-arrow's IPC reader, polars' Parquet reader),
//! caught and turned into errors: a damaged file must be an error naming it, and the reader may
//! index or unwrap what a damaged file gives it. [`catch`] runs a step of a reader and returns
//! the message of its panic; the panic hook says nothing of a panic that [`catch`] will catch
//! (the user sees the error instead), and leaves every other panic to the hook it replaced. Such
//! a panic is one on the thread running the step, or on a thread of polars' pool (named
//! `polars-N`, whose jobs' panics reach the thread that waits on them) while a step runs.
//!
//! A panic is caught only where panics unwind: the release profile builds with
//! `panic = "unwind"` for this.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

/// Steps of [`catch`] running on any thread.
static STEPS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Steps of [`catch`] running on this thread.
    static CATCHING: Cell<usize> = const { Cell::new(0) };
}

/// Runs `step`, a panic becoming `Err` with its message.
pub(crate) fn catch<T>(step: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !will_be_caught() {
                previous(info);
            }
        }));
    });
    CATCHING.with(|c| c.set(c.get() + 1));
    STEPS.fetch_add(1, Ordering::SeqCst);
    let outcome = panic::catch_unwind(AssertUnwindSafe(step));
    STEPS.fetch_sub(1, Ordering::SeqCst);
    CATCHING.with(|c| c.set(c.get() - 1));
    outcome.map_err(|payload| message(payload.as_ref()))
}

/// Whether a panic on this thread will reach a [`catch`].
fn will_be_caught() -> bool {
    if CATCHING.with(Cell::get) > 0 {
        return true;
    }
    let polars_worker = std::thread::current()
        .name()
        .and_then(|name| name.strip_prefix("polars-"))
        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    polars_worker && STEPS.load(Ordering::SeqCst) > 0
}

/// A panic's message (`panic!`'s payload is a `&str` or a `String`).
fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "the reader failed".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_an_error_with_its_message() {
        assert_eq!(catch(|| 7), Ok(7));
        let v: Vec<u8> = Vec::new();
        let index = std::hint::black_box(3);
        let err = catch(|| v[index]).unwrap_err();
        assert!(err.contains("index out of bounds"), "{err}");
        assert_eq!(
            catch(|| panic!("{} {}", "a", 1)),
            Err::<(), _>("a 1".to_owned())
        );
        // Nested steps: the outer one still counts once the inner one is done.
        assert_eq!(
            catch(|| catch(|| panic!("inner")).unwrap_err()),
            Ok("inner".to_owned())
        );
    }
}
