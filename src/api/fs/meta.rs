//! [`Metadata`], [`FileType`] and directory listings ([`ReadDir`],
//! [`DirEntry`]).

use super::Error;
use crate::platform::bindings::wasi::filesystem::types::{
    Datetime, DescriptorStat, DescriptorType, DirectoryEntryStream,
};
use crate::time::SystemTime;
use alloc::string::String;
use core::marker::PhantomData;

/// What kind of object a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileType {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
    /// Anything else (device, FIFO, socket), or a type the host does not know.
    Other,
}

impl FileType {
    /// Whether this is a regular file.
    pub fn is_file(self) -> bool {
        self == FileType::File
    }

    /// Whether this is a directory.
    pub fn is_dir(self) -> bool {
        self == FileType::Dir
    }

    pub(crate) fn from_wasi(t: DescriptorType) -> FileType {
        match t {
            DescriptorType::RegularFile => FileType::File,
            DescriptorType::Directory => FileType::Dir,
            DescriptorType::SymbolicLink => FileType::Symlink,
            _ => FileType::Other,
        }
    }
}

/// Type, size and times of a file or directory.
///
/// It keeps what the host returned and converts on access, so a program
/// that only asks for the type or the size links no time conversion.
#[derive(Clone, Copy)]
pub struct Metadata(DescriptorStat);

fn time(t: Option<Datetime>) -> Option<SystemTime> {
    t.map(|t| SystemTime::from_unix(t.seconds, t.nanoseconds))
}

impl Metadata {
    pub(crate) fn from_wasi(s: DescriptorStat) -> Metadata {
        Metadata(s)
    }

    /// What kind of object this is.
    pub fn file_type(&self) -> FileType {
        FileType::from_wasi(self.0.type_)
    }

    /// Whether this is a directory.
    pub fn is_dir(&self) -> bool {
        self.file_type().is_dir()
    }

    /// Whether this is a regular file.
    pub fn is_file(&self) -> bool {
        self.file_type().is_file()
    }

    /// Size in bytes (for a symbolic link, the length of its target).
    pub fn len(&self) -> u64 {
        self.0.size
    }

    /// Whether the size is zero.
    pub fn is_empty(&self) -> bool {
        self.0.size == 0
    }

    /// Last modification of the data, if the host keeps it.
    pub fn modified(&self) -> Option<SystemTime> {
        time(self.0.data_modification_timestamp)
    }

    /// Last access to the data, if the host keeps it.
    pub fn accessed(&self) -> Option<SystemTime> {
        time(self.0.data_access_timestamp)
    }

    /// Last change of the file's status (metadata), if the host keeps it.
    pub fn status_changed(&self) -> Option<SystemTime> {
        time(self.0.status_change_timestamp)
    }
}

impl core::fmt::Debug for Metadata {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Metadata")
            .field("file_type", &self.file_type())
            .field("len", &self.len())
            .field("modified", &self.modified())
            .finish_non_exhaustive()
    }
}

/// One entry of a directory listing: its name (not a path) and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    name: String,
    kind: FileType,
}

impl DirEntry {
    /// The entry's name within its directory.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The entry's name, owned.
    pub fn into_name(self) -> String {
        self.name
    }

    /// What kind of object it is.
    pub fn file_type(&self) -> FileType {
        self.kind
    }
}

/// Sorts entries by name, in byte order.
///
/// A heapsort: O(n log n) comparisons, no allocation, and a few hundred
/// bytes of code, where `sort_unstable_by` brings about 4 KB of `core`'s
/// sorting into every program that lists a directory sorted.
pub(crate) fn sort_by_name(v: &mut [DirEntry]) {
    fn sift_down(v: &mut [DirEntry], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v[child].name < v[child + 1].name {
                child += 1;
            }
            if v[root].name >= v[child].name {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for root in (0..n / 2).rev() {
        sift_down(v, root, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// The entries of a directory, from [`Dir::entries`](super::Dir::entries),
/// in the host's order (not sorted; `.` and `..` are not listed). Each item
/// is one host call; an error ends the listing.
pub struct ReadDir<'run> {
    pub(crate) stream: Option<super::held::Held<DirectoryEntryStream>>,
    pub(crate) _run: PhantomData<&'run ()>,
}

impl Iterator for ReadDir<'_> {
    type Item = Result<DirEntry, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = self.stream.as_ref()?;
        let next = crate::platform::sys::receive_owned(|| stream.read_directory_entry());
        match next {
            Ok(Some(e)) => Some(Ok(DirEntry {
                name: e.name,
                kind: FileType::from_wasi(e.type_),
            })),
            Ok(None) => {
                self.stream = None;
                None
            }
            Err(code) => {
                self.stream = None;
                Some(Err(code.into()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{DirEntry, FileType, sort_by_name};
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    fn entries(names: &[&str]) -> Vec<DirEntry> {
        names
            .iter()
            .map(|n| DirEntry {
                name: n.to_string(),
                kind: FileType::File,
            })
            .collect()
    }

    fn names(v: &[DirEntry]) -> Vec<&str> {
        v.iter().map(DirEntry::name).collect()
    }

    #[test]
    fn sort_by_name_orders_bytewise_like_slice_sort() {
        let cases: [&[&str]; 6] = [
            &[],
            &["a"],
            &["b", "a"],
            &["a.txt", "a", "B", "b", "a-b", "é", "Z", "a"],
            &["3", "1", "2", "1", "3", "2", "0"],
            &["sub", "run1.txt", "common.txt", "sub2", "é.txt", "e.txt"],
        ];
        for case in cases {
            let mut v = entries(case);
            sort_by_name(&mut v);
            let mut want: Vec<&str> = case.to_vec();
            want.sort();
            assert_eq!(names(&v), want, "{case:?}");
        }
        // Permutations of 0..300 (each step is coprime with 300) come out in order.
        for step in [7usize, 31, 101, 299] {
            let owned: Vec<String> = (0..300usize)
                .map(|i| alloc::format!("{:03}", (i * step) % 300))
                .collect();
            let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
            let mut v = entries(&refs);
            sort_by_name(&mut v);
            let mut want = refs.clone();
            want.sort();
            assert_eq!(names(&v), want, "step {step}");
        }
    }
}
