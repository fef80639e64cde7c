//! The command line: `keygen` and `verify`.

mod keygen;
mod verify;
