//! Per-class moments of `p` features, for the one-way ANOVA F of scikit-learn's `f_classif`.

use foldhash::fast::RandomState;
use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::text_key::TextKey;
use crate::error::{KernelError, Result};
use crate::stats::Moments;

/// The [`Moments`] of each of `p` features within each class of a label column, the classes
/// named by their label text and numbered by the accumulator in order of first appearance.
///
/// A block of rows is added as class ids (from [`class_id`](Self::class_id)) and feature
/// columns: the rows are grouped by class (a counting sort), and each class's run of each
/// feature becomes a [`Moments::from_slice`] that is merged in (Chan/Pébay). Two states merge class
/// by class *by label*, so workers that met the classes in different orders combine correctly.
/// [`f_classif_from`](crate::feature_selection::f_classif_from) finishes the F scores.
///
/// ```
/// use brisk_kernels::accumulate::ClassMoments;
/// let mut left = ClassMoments::new(1);
/// let (a, b) = (left.class_id(b"setosa"), left.class_id(b"virginica"));
/// left.add_block(&[a, b, a], &[&[1.0, 5.0, 3.0]])?;
/// let mut right = ClassMoments::new(1);
/// let b = right.class_id(b"virginica"); // id 0 here, 1 on the left
/// right.add_block(&[b], &[&[7.0]])?;
/// left.merge(&right)?;
/// assert_eq!(left.classes(), 2);
/// let virginica = left.moments(1).unwrap();
/// assert_eq!((virginica[0].count(), virginica[0].mean()), (2, Some(6.0)));
/// # Ok::<(), brisk_kernels::KernelError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ClassMomentsState")]
pub struct ClassMoments {
    features: usize,
    /// Each class's label, by id.
    labels: Vec<TextKey>,
    /// The rows added to each class.
    rows: Vec<u64>,
    /// Class-major: feature `j` of class `c` at `c·p + j`.
    moments: Vec<Moments>,
    #[serde(skip)]
    index: HashMap<TextKey, u32, RandomState>,
}

impl ClassMoments {
    /// The empty state of `features` features.
    pub fn new(features: usize) -> Self {
        ClassMoments {
            features,
            labels: Vec::new(),
            rows: Vec::new(),
            moments: Vec::new(),
            index: HashMap::default(),
        }
    }

    /// The number of features `p`.
    pub fn features(&self) -> usize {
        self.features
    }

    /// The id of the class labelled `label`, a new class (with no rows yet) if it is unknown.
    /// Ids are `0, 1, 2, …` in order of first appearance.
    pub fn class_id(&mut self, label: &[u8]) -> u32 {
        if let Some(&id) = self.index.get(label) {
            return id;
        }
        // More than 2³² distinct labels would not fit in memory first.
        let id = self.labels.len() as u32;
        self.labels.push(TextKey::from(label));
        self.index.insert(TextKey::from(label), id);
        self.rows.push(0);
        self.moments
            .extend(std::iter::repeat_n(Moments::new(), self.features));
        id
    }

    /// Adds a block of rows: `ids[r]` is row `r`'s class id, `features[j][r]` its feature `j`
    /// (the block given column by column). NaN values are skipped by [`Moments`] and make
    /// [`f_classif_from`](crate::feature_selection::f_classif_from) refuse the state: give
    /// complete rows.
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] when there are not `p` feature columns of `ids.len()` values;
    /// [`KernelError::InvalidParameter`] for an id that [`class_id`](Self::class_id) did not give.
    pub fn add_block(&mut self, ids: &[u32], features: &[&[f64]]) -> Result<()> {
        self.check_block(ids, features)?;
        let classes = self.labels.len();
        // Counting sort: the rows of class c are order[starts[c]..starts[c + 1]].
        let mut starts = vec![0usize; classes + 1];
        for &id in ids {
            starts[id as usize + 1] += 1;
        }
        for c in 0..classes {
            starts[c + 1] += starts[c];
        }
        let mut next = starts.clone();
        let mut order = vec![0usize; ids.len()];
        for (row, &id) in ids.iter().enumerate() {
            order[next[id as usize]] = row;
            next[id as usize] += 1;
        }
        let present: Vec<usize> = (0..classes)
            .filter(|&c| starts[c + 1] > starts[c])
            .collect();
        let mut grouped = vec![0.0; ids.len()];
        for (j, column) in features.iter().enumerate() {
            for (g, &row) in grouped.iter_mut().zip(&order) {
                *g = column[row];
            }
            for &c in &present {
                let run = Moments::from_slice(&grouped[starts[c]..starts[c + 1]]);
                self.moments[c * self.features + j].merge(&run);
            }
        }
        for &c in &present {
            self.rows[c] += (starts[c + 1] - starts[c]) as u64;
        }
        Ok(())
    }

    /// Adds the rows of `other`, class by class, matching the classes by label.
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] when the states have different numbers of features.
    pub fn merge(&mut self, other: &ClassMoments) -> Result<()> {
        if other.features != self.features {
            return Err(KernelError::ShapeMismatch(format!(
                "class moments of {} features, the other state has {}",
                self.features, other.features
            )));
        }
        let p = self.features;
        for (c, label) in other.labels.iter().enumerate() {
            let id = self.class_id(label.as_bytes()) as usize;
            self.rows[id] += other.rows[c];
            for (mine, theirs) in self.moments[id * p..(id + 1) * p]
                .iter_mut()
                .zip(&other.moments[c * p..(c + 1) * p])
            {
                mine.merge(theirs);
            }
        }
        Ok(())
    }

    /// The number of classes known (a class may have no rows yet).
    pub fn classes(&self) -> usize {
        self.labels.len()
    }

    /// The labels, by class id.
    pub fn labels(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.labels.iter().map(TextKey::as_bytes)
    }

    /// The rows added to class `id` (0 for an unknown id).
    pub fn rows(&self, id: u32) -> u64 {
        self.rows.get(id as usize).copied().unwrap_or(0)
    }

    /// The moments of the `p` features within class `id`.
    pub fn moments(&self, id: u32) -> Option<&[Moments]> {
        let id = id as usize;
        (id < self.labels.len())
            .then(|| &self.moments[id * self.features..(id + 1) * self.features])
    }

    /// The heap memory held, in bytes: the labels, the index over them, and `p` moments per
    /// class.
    pub fn heap_bytes(&self) -> usize {
        let label_bytes: usize = self.labels.iter().map(TextKey::heap_bytes).sum();
        2 * label_bytes
            + self.labels.capacity() * size_of::<TextKey>()
            + self.index.allocation_size()
            + self.rows.capacity() * size_of::<u64>()
            + self.moments.capacity() * size_of::<Moments>()
    }

    fn check_block(&self, ids: &[u32], features: &[&[f64]]) -> Result<()> {
        if features.len() != self.features {
            return Err(KernelError::ShapeMismatch(format!(
                "class moments of {} features, the block has {} columns",
                self.features,
                features.len()
            )));
        }
        if let Some((j, column)) = features
            .iter()
            .enumerate()
            .find(|(_, c)| c.len() != ids.len())
        {
            return Err(KernelError::ShapeMismatch(format!(
                "the block has {} class ids but feature {j} has {} values",
                ids.len(),
                column.len()
            )));
        }
        match ids.iter().find(|&&id| id as usize >= self.labels.len()) {
            Some(id) => Err(crate::error::invalid(
                "ids",
                format!(
                    "class id {id} was not given by class_id ({} classes are known)",
                    self.labels.len()
                ),
            )),
            None => Ok(()),
        }
    }
}

/// The serialized form of [`ClassMoments`], checked before use.
#[derive(Deserialize)]
struct ClassMomentsState {
    features: usize,
    labels: Vec<TextKey>,
    rows: Vec<u64>,
    moments: Vec<Moments>,
}

impl TryFrom<ClassMomentsState> for ClassMoments {
    type Error = String;

    fn try_from(state: ClassMomentsState) -> std::result::Result<Self, String> {
        let classes = state.labels.len();
        if state.rows.len() != classes || state.moments.len() != classes * state.features {
            return Err(format!(
                "{classes} classes of {} features need {classes} row counts and {} moments",
                state.features,
                classes * state.features
            ));
        }
        let mut index = HashMap::with_capacity_and_hasher(classes, RandomState::default());
        for (id, label) in state.labels.iter().enumerate() {
            if index.insert(label.clone(), id as u32).is_some() {
                return Err(format!(
                    "the label {:?} appears twice",
                    String::from_utf8_lossy(label.as_bytes())
                ));
            }
        }
        Ok(ClassMoments {
            features: state.features,
            labels: state.labels,
            rows: state.rows,
            moments: state.moments,
            index,
        })
    }
}

#[cfg(test)]
mod tests;
