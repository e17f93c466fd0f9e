//! Byte sizes on the command line: `256MB`, `2GiB`, `512M`, `1048576`.

use std::str::FromStr;

/// A number of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl FromStr for ByteSize {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let number: f64 = number
            .parse()
            .map_err(|_| format!("{text:?} is not a size such as 256MB or 2GiB"))?;
        let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "k" | "kib" => 1 << 10,
            "m" | "mib" => 1 << 20,
            "g" | "gib" => 1 << 30,
            "t" | "tib" => 1 << 40,
            "kb" => 1_000,
            "mb" => 1_000_000,
            "gb" => 1_000_000_000,
            "tb" => 1_000_000_000_000,
            other => {
                return Err(format!(
                    "unknown unit {other:?}; use K, M, G, KB, MB, GB, KiB, MiB or GiB"
                ))
            }
        };
        Ok(ByteSize((number * scale as f64) as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!("256MB".parse(), Ok(ByteSize(256_000_000)));
        assert_eq!("2GiB".parse(), Ok(ByteSize(2 << 30)));
        assert_eq!("512m".parse(), Ok(ByteSize(512 << 20)));
        assert_eq!("1.5K".parse(), Ok(ByteSize(1536)));
        assert_eq!("100".parse(), Ok(ByteSize(100)));
        assert!("lots".parse::<ByteSize>().is_err());
        assert!("5XB".parse::<ByteSize>().is_err());
    }
}
