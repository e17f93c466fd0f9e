//! HTML for the report: escaping and a small document builder with inline CSS. Nothing in a
//! page refers to anything outside it: no script, no style sheet, no font, no image file.

mod escape;
mod page;

pub use escape::escape;
pub use page::{embeddable, Page, Table};
