//! The JSON 1.1 request decoder and every operation's input shape and handler, as `POST /`
//! passes a body on. An input is `OperationName\n{body}` (so the corpus is readable); when its
//! first line names no operation, its first byte picks one and the rest is the body.
#![no_main]

use cognito_emulator::Handle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let names: Vec<&str> = Handle::operation_names().collect();
    let named = data.iter().position(|b| *b == b'\n').and_then(|i| {
        let name = std::str::from_utf8(&data[..i]).ok()?;
        names.contains(&name).then(|| (name, &data[i + 1..]))
    });
    let (operation, body) = named.unwrap_or((names[usize::from(pick) % names.len()], rest));
    let _ = cognito_fuzz::fixture().handle.call_raw(operation, body);
});
