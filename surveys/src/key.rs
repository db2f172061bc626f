//! `Key`: a key written once in the methodology (an indicator's, a factor's code, a level's) and
//! named by every school's scored profile. Shared, not copied: a region's 10,000 profiles hold a
//! pointer to it each instead of a small string each (≈ 130 of them a school).

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(Arc<str>);

/// Written and read as the string it is.
impl Serialize for Key {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        String::deserialize(deserializer).map(Key::from)
    }
}

impl Key {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Key {
    fn from(text: &str) -> Key {
        Key(text.into())
    }
}

impl From<String> for Key {
    fn from(text: String) -> Key {
        Key(text.into())
    }
}

impl From<&Key> for String {
    fn from(key: &Key) -> String {
        key.0.to_string()
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Key {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<Key> for str {
    fn eq(&self, other: &Key) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Key> for &str {
    fn eq(&self, other: &Key) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Key> for String {
    fn eq(&self, other: &Key) -> bool {
        self.as_str() == &*other.0
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::Key;

    #[test]
    fn a_key_is_written_read_and_compared_as_its_string() {
        let key = Key::from("rf01_absence");
        assert_eq!(
            serde_json::to_string(&key).ok().as_deref(),
            Some("\"rf01_absence\"")
        );
        let read: Key = serde_json::from_str("\"rf01_absence\"").expect("a string reads");
        assert_eq!(read, key);
        assert_eq!(key, "rf01_absence");
        assert_eq!("rf01_absence", key);
        assert_eq!(format!("{key} {key:?}"), "rf01_absence \"rf01_absence\"");
        // Shared, not copied: a clone points at the same text.
        let copy = key.clone();
        assert!(std::ptr::eq(key.as_str(), copy.as_str()));
    }
}
