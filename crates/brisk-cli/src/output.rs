//! Where results go: stdout in the chosen format (no `-o`, or `-o -`), a file written atomically
//! whose extension picks the format, or a device or pipe (`-o /dev/null`) written directly in the
//! chosen format.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::cli::{Common, OutputFormat};

/// The resolved destination of a command's result.
#[derive(Debug)]
pub struct Destination {
    /// The file to replace, or stdout when `None`.
    pub path: Option<PathBuf>,
    /// The format to write.
    pub format: OutputFormat,
    /// `path` is a device or a pipe, written directly: it cannot be replaced.
    streamed: bool,
}

impl Destination {
    /// Resolves `-o`/`--format`, refusing an extension that is not one of `allowed` and an output
    /// that is one of `inputs`.
    pub fn resolve(
        common: &Common,
        inputs: &[&Path],
        allowed: &[OutputFormat],
    ) -> Result<Destination> {
        Destination::resolve_path(
            "-o",
            common.output.as_deref(),
            common.format,
            inputs,
            allowed,
        )
    }

    /// Resolves the output path given to `flag` as [`Destination::resolve`] does `-o`: stdout
    /// (no path, or `-`) and a device or pipe take `format`; a file's extension must be one of
    /// `allowed`'s, and the file none of `inputs`.
    pub fn resolve_path(
        flag: &str,
        output: Option<&Path>,
        format: OutputFormat,
        inputs: &[&Path],
        allowed: &[OutputFormat],
    ) -> Result<Destination> {
        let stdout = Destination::stdout(format);
        let Some(path) = output else {
            return Ok(stdout);
        };
        if path == Path::new("-") {
            return Ok(stdout);
        }
        let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if special {
            // A device or a pipe has no extension to read: the format is the one given.
            return Ok(Destination {
                path: Some(path.to_owned()),
                format,
                streamed: true,
            });
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let format = allowed
            .iter()
            .copied()
            .find(|f| Some(f.extension()) == ext.as_deref());
        let Some(format) = format else {
            let names: Vec<String> = allowed
                .iter()
                .map(|f| format!(".{}", f.extension()))
                .collect();
            let listed = match names.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            };
            bail!(
                "{}: cannot pick an output format from this extension; use {listed}",
                path.display()
            );
        };
        for input in inputs {
            if same_file(path, input) {
                bail!(
                    "{}: refusing to write over an input; choose another {flag} path",
                    path.display()
                );
            }
        }
        Ok(Destination {
            path: Some(path.to_owned()),
            format,
            streamed: false,
        })
    }

    /// Standard output in `format`.
    pub fn stdout(format: OutputFormat) -> Destination {
        Destination {
            path: None,
            format,
            streamed: false,
        }
    }

    /// Writes the result: to stdout, to a device or pipe in place, or to a temporary file beside
    /// the target that replaces it only once `render` has succeeded.
    pub fn write(&self, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        let Some(path) = &self.path else {
            let _stdout = render_into(io::stdout().lock(), render)?;
            return Ok(());
        };
        let cannot_write = || format!("{}: cannot write", path.display());
        if self.streamed {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("{}: cannot open the output", path.display()))?;
            render_into(file, render).with_context(cannot_write)?;
            return Ok(());
        }
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !folder.is_dir() {
            bail!(
                "{}: the folder {} does not exist; create it first",
                path.display(),
                folder.display()
            );
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".brisk-");
        // The file ends up as an ordinary output: readable by others as the umask allows, not
        // the owner-only mode of a temporary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(folder)
            .with_context(|| format!("{}: cannot create the output file", path.display()))?;
        let temp = render_into(temp, render).with_context(cannot_write)?;
        temp.as_file().sync_all().ok();
        temp.persist(path)
            .with_context(|| format!("{}: cannot replace the output file", path.display()))?;
        Ok(())
    }
}

/// Runs `render` on `sink` through a buffer and flushes it; the sink back.
fn render_into<W: Write>(
    sink: W,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<W> {
    let mut out = BufWriter::new(sink);
    render(&mut out)?;
    out.into_inner().map_err(io::IntoInnerError::into_error)
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (
        File::open(a).and_then(|f| f.metadata()),
        std::fs::metadata(b),
    ) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        a.canonicalize().ok() == b.canonicalize().ok()
    }
}
