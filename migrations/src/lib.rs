//! Database migrations for the Godown node. The schema arrives with the
//! node's persistence; this crate fixes its place in the workspace.
