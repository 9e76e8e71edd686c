//! Seed files and exported states (`--seed FILE`, `cognito-emulator check`, `import`): parsed,
//! and when they parse, applied to a fresh emulator.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = cognito_emulator::seed::parse(text);
    if let Ok(cognito_emulator::seed::SeedFile::Seed(seed)) =
        cognito_emulator::seed::parse_file(text)
    {
        let (_, handle) = cognito_emulator::EmulatorBuilder::default().into_router();
        let _ = cognito_emulator::seed::apply(&handle, &seed);
    }
});
