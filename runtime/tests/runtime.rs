//! The runtime's integration tests, against the real runtime (no mocks), in one test binary so the
//! runtime is linked once: each module is one area.

mod common;

mod capacity;
mod coalitions;
mod economy;
mod foundation;
mod governance;
mod indices;
mod models;
mod upgrade;
