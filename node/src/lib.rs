//! What the `lineage-node` binary shares as a library: the rendering of runtime values as plain
//! JSON for the `lineage_*` RPC views.

#![warn(missing_docs)]

pub mod json;
