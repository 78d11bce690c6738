//! KGX stub.
use super::Selection;
use crate::index::Index;
use std::path::Path;
pub fn write_dir(_index: &Index, _selection: &Selection, _dir: &Path) -> std::io::Result<()> {
    Ok(())
}
