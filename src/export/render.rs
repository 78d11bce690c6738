//! SVG, PNG and PDF through the real Graphviz `dot` program.
//!
//! We run `dot` ourselves rather than through graphviz-rust's `exec`: that
//! helper writes the DOT to a temporary file and, on success, drops whatever
//! `dot` printed on stderr — so Graphviz's warnings would be lost and its
//! errors would name a `/tmp/.tmpXXXX` file nobody has heard of. Here the DOT
//! goes through a pipe, warnings come back to the caller, and `<stdin>` in
//! messages is replaced by the name of the graph the diagram came from.

use super::escape;
use std::io::{self, Read, Write};
use std::process::{Command, Stdio};
use thiserror::Error;

/// The Graphviz program we run.
pub const PROGRAM: &str = "dot";

/// How to get Graphviz, for the error when it is missing.
pub const INSTALL_HINT: &str =
    "install Graphviz: `apt-get install graphviz` (Debian/Ubuntu) or `brew install graphviz` (macOS); \
     `--format dot` works without it";

/// The formats Graphviz renders for us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Image {
    Svg,
    Png,
    Pdf,
}

impl Image {
    fn flag(self) -> &'static str {
        match self {
            Image::Svg => "-Tsvg",
            Image::Png => "-Tpng",
            Image::Pdf => "-Tpdf",
        }
    }
}

#[derive(Debug, Error)]
pub enum RenderError {
    #[error("cannot run Graphviz: the `{PROGRAM}` program was not found on PATH")]
    Missing,
    #[error("cannot run Graphviz `{PROGRAM}`")]
    Spawn(#[source] io::Error),
    #[error("cannot write the rendered diagram")]
    Write(#[source] io::Error),
    #[error("Graphviz `{PROGRAM}` failed on the diagram of {source_name}:\n{stderr}")]
    Failed { source_name: String, stderr: String },
}

/// What `dot` produced, with the warnings it printed.
#[derive(Debug)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// Graphviz's own messages, one per line, `<stdin>` replaced by the source name.
    pub warnings: Vec<String>,
}

/// Render DOT text with `dot`. `source_name` (the graph file) replaces
/// `<stdin>` in Graphviz's messages.
pub fn render(dot: &str, image: Image, source_name: &str) -> Result<Rendered, RenderError> {
    render_with(dot, image, source_name, &[])
}

/// [`render`] with more Graphviz arguments (another layout engine with
/// `-K`, graph attributes with `-G`).
pub fn render_with(
    dot: &str,
    image: Image,
    source_name: &str,
    args: &[&str],
) -> Result<Rendered, RenderError> {
    let mut child = Command::new(PROGRAM)
        .arg(image.flag())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                RenderError::Missing
            } else {
                RenderError::Spawn(e)
            }
        })?;
    // Feed stdin from another thread: `dot` may fill its stdout pipe before
    // it has read all of a large graph, and we must be reading by then.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = dot.as_bytes().to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).map(|_| text)
    });
    let mut bytes = Vec::new();
    child.stdout.take().expect("stdout is piped").read_to_end(&mut bytes).map_err(RenderError::Spawn)?;
    let status = child.wait().map_err(RenderError::Spawn)?;
    let fed = feeder.join().expect("the stdin thread does not panic");
    let stderr = errors.join().expect("the stderr thread does not panic").unwrap_or_default();
    let stderr = stderr.replace("<stdin>", source_name);
    if !status.success() {
        return Err(RenderError::Failed {
            source_name: source_name.to_string(),
            stderr: stderr.trim().to_string(),
        });
    }
    fed.map_err(RenderError::Spawn)?;
    if image == Image::Svg {
        bytes = fix_svg(bytes);
    }
    let warnings = stderr.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect();
    Ok(Rendered { bytes, warnings })
}

/// Render DOT text and write the image to `out`; returns Graphviz's warnings.
pub fn write(
    dot: &str,
    image: Image,
    source_name: &str,
    out: &mut dyn Write,
) -> Result<Vec<String>, RenderError> {
    let rendered = render(dot, image, source_name)?;
    out.write_all(&rendered.bytes).map_err(RenderError::Write)?;
    Ok(rendered.warnings)
}

/// Make Graphviz's SVG valid XML: it writes `&` in link targets raw.
pub fn fix_svg(svg: Vec<u8>) -> Vec<u8> {
    match String::from_utf8(svg) {
        Ok(text) => escape::bare_ampersands(&text).into_bytes(),
        Err(e) => e.into_bytes(),
    }
}
