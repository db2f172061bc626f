//! The `orientir` binary as an operator meets it: the listening line, port 0, and one clear
//! error line with a non-zero exit for a bad database URL or a taken port.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn orientir(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orientir"));
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("ORIENTIR_ADDR")
        .env("ORIENTIR_LOG", "warn");
    cmd
}

/// Runs a command that must fail, with a deadline.
fn run_failing(mut cmd: Command) -> Output {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the binary exits within 30 s")
        .expect("output")
}

fn error_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn port_zero_serves_and_prints_the_real_address() {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = orientir(dir.path())
        .env("ORIENTIR_ADDR", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary runs");
    let stdout = child.stdout.take().expect("stdout");
    let mut running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("a line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_owned();
    assert!(!addr.ends_with(":0"), "the real port is printed: {addr}");
    // The default database is a SQLite file under ./data, created with its folder.
    assert!(dir.path().join("data/orientir.db").exists());
    let health = std::net::TcpStream::connect(&addr);
    assert!(health.is_ok(), "nothing listens on {addr}");
    let _ = running.0.kill();
}

#[test]
fn an_unknown_database_scheme_is_one_clear_error_line() {
    let dir = tempfile::tempdir().expect("dir");
    let mut cmd = orientir(dir.path());
    cmd.env("DATABASE_URL", "mysql://root:topsecret@localhost/orientir");
    let output = run_failing(cmd);
    assert!(!output.status.success());
    let lines = error_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("DATABASE_URL") && lines[0].contains("postgres://"),
        "{}",
        lines[0]
    );
    assert!(
        !lines[0].contains("topsecret"),
        "the password leaked: {}",
        lines[0]
    );
}

#[test]
fn an_unreachable_postgres_server_is_one_clear_error_line() {
    let dir = tempfile::tempdir().expect("dir");
    // A port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut cmd = orientir(dir.path());
    cmd.env(
        "DATABASE_URL",
        format!("postgres://orientir:hidden@127.0.0.1:{port}/orientir"),
    )
    .env("ORIENTIR_ADDR", "127.0.0.1:0");
    let output = run_failing(cmd);
    assert!(!output.status.success());
    let lines = error_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("orientir: error: cannot open the database"),
        "{}",
        lines[0]
    );
    assert!(
        !lines[0].contains("hidden"),
        "the password leaked: {}",
        lines[0]
    );
}

#[test]
fn a_taken_port_is_one_clear_error_line() {
    let dir = tempfile::tempdir().expect("dir");
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let mut cmd = orientir(dir.path());
    cmd.env("ORIENTIR_ADDR", &addr);
    let output = run_failing(cmd);
    assert!(!output.status.success());
    let lines = error_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(&format!("cannot listen on {addr}")),
        "{}",
        lines[0]
    );
}

#[test]
fn a_malformed_address_is_one_clear_error_line() {
    let dir = tempfile::tempdir().expect("dir");
    let mut cmd = orientir(dir.path());
    cmd.env("ORIENTIR_ADDR", "localhost-3000");
    let output = run_failing(cmd);
    assert!(!output.status.success());
    let lines = error_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("ORIENTIR_ADDR"), "{}", lines[0]);
}

#[test]
fn create_admin_makes_the_first_account_once() {
    let dir = tempfile::tempdir().expect("dir");
    let first = orientir(dir.path())
        .args(["create-admin", "--login", "chief"])
        .env("ORIENTIR_ADMIN_PASSWORD", "a long enough secret")
        .output()
        .expect("runs");
    assert!(first.status.success(), "{first:?}");
    assert_eq!(
        String::from_utf8_lossy(&first.stdout).trim(),
        "admin account chief created"
    );
    // The password never appears in what the command prints.
    assert!(!String::from_utf8_lossy(&first.stderr).contains("secret"));
    let again = run_failing({
        let mut cmd = orientir(dir.path());
        cmd.args(["create-admin", "--login", "chief"])
            .env("ORIENTIR_ADMIN_PASSWORD", "another long secret");
        cmd
    });
    assert!(!again.status.success());
    assert_eq!(
        error_lines(&again),
        ["orientir: error: This login is taken"]
    );
    let short = run_failing({
        let mut cmd = orientir(dir.path());
        cmd.args(["create-admin", "--login", "deputy"])
            .env("ORIENTIR_ADMIN_PASSWORD", "short");
        cmd
    });
    assert!(error_lines(&short)[0].contains("at least 10 characters"));
}

/// The `Set-Cookie` header of `GET path` on a server at `addr` (plain HTTP/1.1).
fn set_cookie(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    response
        .lines()
        .find(|l| l.to_lowercase().starts_with("set-cookie:"))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn cookies_are_marked_secure_only_when_configured() {
    for (secure, expected) in [("1", true), ("0", false)] {
        let dir = tempfile::tempdir().expect("dir");
        let mut child = orientir(dir.path())
            .env("ORIENTIR_ADDR", "127.0.0.1:0")
            .env("ORIENTIR_SECURE_COOKIES", secure)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("binary runs");
        let stdout = child.stdout.take().expect("stdout");
        let running = Running(child);
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("a line");
        let addr = line
            .trim()
            .trim_start_matches("listening on http://")
            .to_owned();
        let cookie = set_cookie(&addr, "/lang/en?back=/");
        assert!(cookie.contains("orientir_lang=en"), "{cookie}");
        assert_eq!(cookie.contains("; Secure"), expected, "{cookie}");
        drop(running);
    }
}

/// At start the open-file limit goes up to the hard limit, said in the log; under 4,096 a
/// warning says what to change. Run under a soft limit of 1,024 (and a hard one of 2,048), so
/// the raise and the warning both show.
#[test]
fn the_open_file_limit_is_raised_and_a_low_one_is_warned_about() {
    let dir = tempfile::tempdir().expect("dir");
    let binary = env!("CARGO_BIN_EXE_orientir");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -Sn 1024 && ulimit -Hn 2048 && exec {binary}"
        ))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env("ORIENTIR_ADDR", "127.0.0.1:0")
        .env("ORIENTIR_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let mut running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("a line");
    assert!(line.starts_with("listening on"), "{line}");
    let _ = running.0.kill();
    let _ = running.0.wait();
    let log: Vec<String> = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .collect();
    // Without the terminal's colours.
    let log = log.join("\n").replace('\u{1b}', "");
    let plain: String = log
        .split('[')
        .map(|p| p.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';' || c == 'm'))
        .collect();
    assert!(
        plain.contains("open-file limit")
            && plain.contains("open_files=2048")
            && plain.contains("was=1024"),
        "{plain}"
    );
    let log = plain;
    assert!(log.contains("the open-file limit is under 4096"), "{log}");
}

#[test]
fn the_version_says_the_schema_level() {
    let dir = tempfile::tempdir().expect("dir");
    let output = orientir(dir.path())
        .arg("--version")
        .output()
        .expect("binary runs");
    assert!(output.status.success());
    let line = String::from_utf8_lossy(&output.stdout);
    let newest = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/sqlite"))
        .expect("migrations")
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .split('_')
                .next()?
                .parse::<i64>()
                .ok()
        })
        .max()
        .expect("a migration");
    assert_eq!(
        line.trim(),
        format!("orientir {} (schema {newest})", env!("CARGO_PKG_VERSION"))
    );
}
