#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| godown_fuzz::tx_body(data));
