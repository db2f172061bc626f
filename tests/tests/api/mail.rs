//! Notifications by mail through a real SMTP server on this machine (Python's aiosmtpd, writing
//! what it receives into a Maildir): a notice is mailed once, with a link on the public address
//! and no answer of anyone's; a digest account gets one mail a day instead; a kind turned off is
//! not mailed; a refusal of the relay is tried again later; two senders never send one mail
//! twice.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use harness::{Backend, TestApp};
use reqwest::multipart::Form;
use reqwest::StatusCode;
use server::mail::MailConfig;

use super::programmes::post;

/// A local SMTP server that keeps every mail as a file; stopped when dropped.
struct Smtp {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Smtp {
    async fn start() -> Smtp {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("a free port")
            .local_addr()
            .expect("addr")
            .port();
        let dir = tempfile::tempdir().expect("maildir");
        let child = Command::new("aiosmtpd")
            .args([
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(dir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd (scripts/prereqs.sh installs python3-aiosmtpd)");
        // Held at once, so that it is stopped however the test ends.
        let smtp = Smtp { child, dir, port };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return smtp;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the SMTP server did not start");
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The mails received so far, as text.
    fn mails(&self) -> Vec<String> {
        let new: PathBuf = self.dir.path().join("mail").join("new");
        read_dir(&new)
    }

    /// Waits until at least `n` mails have come (or a while has passed).
    async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..100 {
            let mails = self.mails();
            if mails.len() >= n {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.mails()
    }
}

fn read_dir(dir: &Path) -> Vec<String> {
    let mut mails: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| std::fs::read(e.path()).ok())
                .map(|b| decode(&String::from_utf8_lossy(&b)))
                .collect()
        })
        .unwrap_or_default();
    mails.sort();
    mails
}

/// A mail with its encoded words and base64 or quoted-printable body decoded enough to search.
fn decode(raw: &str) -> String {
    let mut text = raw.to_owned();
    // The body: lettre sends non-ASCII text as base64 or quoted-printable.
    if let Some((head, body)) = raw
        .split_once("\n\n")
        .or_else(|| raw.split_once("\r\n\r\n"))
    {
        if head
            .to_lowercase()
            .contains("content-transfer-encoding: base64")
        {
            let joined: String = body.split_whitespace().collect();
            if let Some(bytes) = base64(&joined) {
                text.push_str(&String::from_utf8_lossy(&bytes));
            }
        } else if head.to_lowercase().contains("quoted-printable") {
            text.push_str(&quoted_printable(body));
        }
    }
    text
}

fn base64(s: &str) -> Option<Vec<u8>> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = ABC.iter().position(|x| *x == c)? as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn quoted_printable(s: &str) -> String {
    let joined = s.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn notices_are_mailed_once_by_each_accounts_settings(backend: Backend) {
    let smtp = Smtp::start().await;
    let app = TestApp::spawn_configured(backend, |c| {
        c.public_url = Some("https://orientir.example.ru".into())
    })
    .await
    .with_demo()
    .await;
    let config = MailConfig {
        smtp_url: smtp.url(),
        from: "Ориентир <orientir@example.ru>".into(),
        every: Duration::from_millis(200),
        digest_hour: 24,
    };
    let sender = server::mail::spawn(app.storage.clone(), app.support.notifier.clone(), config)
        .expect("mail sender");
    // The curator wants a digest, the north turns off «question asked», the school mails.
    let (curator, c_csrf) = app.sign_in("curator").await;
    let (status, _) = post(
        &curator,
        &app,
        "/work/inbox/settings",
        &[
            ("_csrf", &c_csrf),
            ("email", "curator@example.ru"),
            ("digest", "on"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (north, n_csrf) = app.sign_in("north").await;
    post(
        &north,
        &app,
        "/work/inbox/settings",
        &[
            ("_csrf", &n_csrf),
            ("email", "north@example.ru"),
            ("mute-question_asked", "on"),
        ],
    )
    .await;
    let (school, s_csrf) = app.sign_in("school").await;
    post(
        &school,
        &app,
        "/work/inbox/settings",
        &[("_csrf", &s_csrf), ("email", "school@example.ru")],
    )
    .await;
    // The school asks: nobody is mailed at once (digest, turned off); all have it in the inbox.
    let form = Form::new()
        .text("title", "Тема вопроса")
        .text("body", "Секретный текст вопроса");
    let r = school
        .post(app.url(&format!("/work/support/questions?_csrf={s_csrf}")))
        .multipart(form)
        .send()
        .await
        .expect("ask");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let question: i64 = r.headers()["location"]
        .to_str()
        .expect("loc")
        .rsplit('/')
        .next()
        .and_then(|t| t.parse().ok())
        .expect("id");
    // The curator answers: the school is mailed.
    let form = Form::new().text("body", "Ответ куратора");
    let r = curator
        .post(app.url(&format!(
            "/work/support/questions/{question}/messages?_csrf={c_csrf}"
        )))
        .multipart(form)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mails = smtp.wait_for(1).await;
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let mail = &mails[0];
    assert!(mail.contains("school@example.ru"), "{mail}");
    assert!(
        mail.contains(&format!(
            "https://orientir.example.ru/work/support/questions/{question}"
        )),
        "a link on the public address: {mail}"
    );
    assert!(mail.contains("на вопрос ответили"), "{mail}");
    assert!(
        !mail.contains("Секретный текст") && !mail.contains("Ответ куратора"),
        "no message text in a mail"
    );
    // The daily digest: once per account and day, also when asked again (another instance).
    let queued = server::mail::digests(&app.storage, &app.support.notifier)
        .await
        .expect("digests");
    assert_eq!(queued, 1, "the curator's digest");
    assert_eq!(
        server::mail::digests(&app.storage, &app.support.notifier)
            .await
            .expect("digests"),
        0
    );
    app.support.notifier.queued.notify_waiters();
    let mails = smtp.wait_for(2).await;
    assert_eq!(mails.len(), 2);
    assert!(
        mails
            .iter()
            .any(|m| m.contains("curator@example.ru") && m.contains("Тема вопроса")),
        "{mails:#?}"
    );
    assert!(
        !mails.iter().any(|m| m.contains("north@example.ru")),
        "the north turned it off"
    );
    // Nothing is sent twice: every mail is sent, none waits or is leased.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(smtp.mails().len(), 2);
    let counts = app.storage.mail_counts().await.expect("counts");
    assert_eq!(counts, vec![("sent".to_owned(), 2)]);
    sender.abort();
    app.finish().await;
}

async fn a_refused_mail_waits_and_two_senders_never_share_one(backend: Backend) {
    let app = TestApp::spawn(backend).await.with_demo().await;
    let school = app
        .storage
        .user_by_login("school")
        .await
        .expect("user")
        .expect("school")
        .id;
    let now = server::clock::now();
    for i in 0..40 {
        let mail = server::storage::NewMail {
            key: format!("t:{i}"),
            user_id: school,
            to: "school@example.ru".into(),
            subject: "s".into(),
            body: "b".into(),
        };
        assert!(app.storage.queue_mail(&mail, now).await.expect("queue"));
        assert!(
            !app.storage.queue_mail(&mail, now).await.expect("queue"),
            "a key is queued once"
        );
    }
    // Two senders lease at once: no mail in both.
    let (a, b) = tokio::join!(
        app.storage.lease_mail("a", now, now + 300, 25),
        app.storage.lease_mail("b", now, now + 300, 25)
    );
    let (a, b) = (a.expect("lease a"), b.expect("lease b"));
    assert_eq!(a.len() + b.len(), 40);
    assert!(a.iter().all(|m| !b.iter().any(|n| n.id == m.id)));
    // A relay that is down: the mail waits with a later attempt.
    let nowhere = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let config = MailConfig {
        smtp_url: format!("smtp://127.0.0.1:{nowhere}"),
        from: "orientir@example.ru".into(),
        every: Duration::from_millis(100),
        digest_hour: 24,
    };
    let mail = server::storage::NewMail {
        key: "down".into(),
        user_id: school,
        to: "school@example.ru".into(),
        subject: "s".into(),
        body: "b".into(),
    };
    app.storage.queue_mail(&mail, now).await.expect("queue");
    let sender = server::mail::spawn(app.storage.clone(), app.support.notifier.clone(), config)
        .expect("sender");
    let mut waiting = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let counts = app.storage.mail_counts().await.expect("counts");
        if counts.iter().any(|(s, n)| s == "waiting" && *n == 1)
            && !counts.iter().any(|(s, _)| s == "sent")
        {
            waiting = true;
            break;
        }
    }
    sender.abort();
    assert!(waiting, "the refused mail waits for its next attempt");
    // A lease that ran out while sending is never sent again.
    app.storage
        .lease_mail("c", now + 1000, now + 1001, 1000)
        .await
        .expect("expire");
    let counts = app.storage.mail_counts().await.expect("counts");
    assert!(
        counts.iter().any(|(s, n)| s == "unknown" && *n == 40),
        "{counts:?}"
    );
    app.finish().await;
}

harness::on_both_backends!(
    notices_are_mailed_once_by_each_accounts_settings,
    a_refused_mail_waits_and_two_senders_never_share_one,
);
