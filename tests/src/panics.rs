//! Panics of the server under test. A panic on one of the server's tasks (a handler, a streamed
//! body, a background job) does not reach the test's thread: the runtime or the connection catches
//! it, and the client may still get a 200 with a cut body. The hook records every panic of the
//! process; `TestApp` fails its test when one was recorded.

use std::sync::{Mutex, Once};

static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
static WATCH: Once = Once::new();

/// Records every later panic of the process (the default report is printed as before).
pub fn watch() {
    WATCH.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current().name().unwrap_or("?").to_owned();
            if let Ok(mut seen) = SEEN.lock() {
                seen.push(format!("{thread}: {info}"));
            }
            default(info);
        }));
    });
}

/// The panics recorded so far, taken.
pub fn take() -> Vec<String> {
    SEEN.lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default()
}

/// Fails when anything in the process panicked since the last check.
pub fn assert_none() {
    let seen = take();
    assert!(
        seen.is_empty(),
        "the server panicked while serving: {seen:#?}"
    );
}
