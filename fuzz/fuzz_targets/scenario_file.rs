//! Scenario files (TOML), as the scenario runner reads them.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = toml::from_str::<cognito_scenarios::format::Scenario>(text);
});
