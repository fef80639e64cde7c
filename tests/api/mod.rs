//! The HTTP API end to end, against a real node on a real port.

mod schema;
