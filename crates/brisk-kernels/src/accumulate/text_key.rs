//! A byte string that serializes as UTF-8 text: the keys of [`TextCounts`](super::TextCounts) and
//! the labels of [`ClassMoments`](super::ClassMoments).

use std::borrow::Borrow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The bytes of a text value; hashes and compares as `[u8]`, so maps keyed by it are searched
/// with a plain `&[u8]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TextKey(Box<[u8]>);

impl TextKey {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.0.len()
    }
}

impl From<&[u8]> for TextKey {
    fn from(bytes: &[u8]) -> Self {
        TextKey(bytes.into())
    }
}

impl Borrow<[u8]> for TextKey {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

/// As a string; a value that is not UTF-8 cannot be written and fails the serialization.
impl Serialize for TextKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => serializer.serialize_str(text),
            Err(e) => Err(serde::ser::Error::custom(format!(
                "a text value is not UTF-8 ({e}); only UTF-8 values can be serialized"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for TextKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| TextKey(s.into_bytes().into_boxed_slice()))
    }
}
