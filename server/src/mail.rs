//! The mail sender: while serving, it leases waiting mails from the queue in the database, sends
//! them through SMTP (`ORIENTIR_SMTP_URL`, from `ORIENTIR_MAIL_FROM`), and records how each
//! ended — sent; refused for now, tried again later with a growing wait; refused for good. Two
//! instances on one database never lease the same mail, and a mail whose sender stopped in the
//! middle of sending is not sent again (its notice stays in the inbox). Once a day, from the
//! digest hour on, it also queues each account's digest of what waited for it.

use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::{AsyncSmtpTransport, PoolConfig};
use lettre::{AsyncTransport, Message, Tokio1Executor};

use app::i18n::Lang;
use app::support::NoticeKind;

use crate::clock;
use crate::error::ServerError;
use crate::notify::Notifier;
use crate::storage::{MailRow, NewMail, Sent, Storage};

pub use crate::config::MailConfig;

/// Mails leased at once.
const BATCH: i64 = 500;
/// How long a lease holds: a batch must be sent within it.
const LEASE: i64 = 300;
/// Attempts before a mail is given up.
const ATTEMPTS: i64 = 8;

/// The wait before the next attempt after `attempts` refusals: one minute, doubling, at most
/// six hours.
pub fn backoff(attempts: i64) -> i64 {
    (60_i64 << attempts.clamp(0, 9)).min(6 * 3600)
}

/// Starts the sender; it ends with the process.
pub fn spawn(
    storage: Storage,
    notifier: Notifier,
    config: MailConfig,
) -> Result<tokio::task::JoinHandle<()>, ServerError> {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.smtp_url)
        .map_err(|e| ServerError::Config(format!("ORIENTIR_SMTP_URL: {e}")))?
        .timeout(Some(Duration::from_secs(30)))
        .pool_config(PoolConfig::new().max_size(AT_ONCE as u32))
        .build();
    let from: Mailbox = config
        .from
        .parse()
        .map_err(|e| ServerError::Config(format!("ORIENTIR_MAIL_FROM: {e}")))?;
    let sender = format!("{}-{}", std::process::id(), crate::secrets::random_hex(4));
    Ok(tokio::spawn(async move {
        loop {
            let hour = (clock::now().rem_euclid(86_400) / 3600) as u32;
            if hour >= config.digest_hour {
                if let Err(e) = digests(&storage, &notifier).await {
                    tracing::warn!(error = %e, "could not queue digests");
                }
            }
            match send_batch(&storage, &transport, &from, &sender).await {
                Ok(n) if n as i64 == BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not read the mail queue"),
            }
            tokio::select! {
                () = notifier.queued.notified() => {}
                () = tokio::time::sleep(config.every) => {}
            }
        }
    }))
}

/// Mails sent at once, each on a connection of the transport's pool. An SMTP exchange is a few
/// short round trips, each of which may wait out a delayed acknowledgement (≈ 40 ms) on a
/// connection: many at once keep the relay busy (8 at once sent 142 mails/s to a local relay).
const AT_ONCE: usize = 32;

/// Leases and sends one batch, several mails at once, and records how they ended in one
/// transaction; how many were leased.
async fn send_batch(
    storage: &Storage,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    sender: &str,
) -> Result<usize, ServerError> {
    let now = clock::now();
    let mails = storage.lease_mail(sender, now, now + LEASE, BATCH).await?;
    let leased = mails.len();
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let mut sending = tokio::task::JoinSet::new();
    for mail in mails {
        let (transport, from, gate) = (transport.clone(), from.clone(), gate.clone());
        sending.spawn(async move {
            let _turn = gate.acquire_owned().await;
            let sent = send_one(&transport, &from, &mail).await;
            (mail.id, sent)
        });
    }
    let mut done = Vec::with_capacity(leased);
    while let Some(outcome) = sending.join_next().await {
        // A task that panicked leaves its mail leased: it turns `unknown`, never sent twice.
        if let Ok((id, sent)) = outcome {
            if let Sent::Failed(e) | Sent::Retry(_, e) = &sent {
                // The address is personal data: only the mail's number goes to the log.
                tracing::warn!(mail = id, error = %e, "a mail was not sent");
            }
            done.push((id, sent));
        }
    }
    storage.mails_done(sender, &done, clock::now()).await?;
    Ok(leased)
}

async fn send_one(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    mail: &MailRow,
) -> Sent {
    let to: Mailbox = match mail.to_addr.parse() {
        Ok(to) => to,
        Err(e) => return Sent::Failed(format!("address: {e}")),
    };
    let message = match Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
    {
        Ok(m) => m,
        Err(e) => return Sent::Failed(format!("message: {e}")),
    };
    match transport.send(message).await {
        Ok(_) => Sent::Sent,
        Err(e) if e.is_permanent() => Sent::Failed(e.to_string()),
        Err(e) if mail.attempts + 1 >= ATTEMPTS => Sent::Failed(e.to_string()),
        Err(e) => Sent::Retry(clock::now() + backoff(mail.attempts), e.to_string()),
    }
}

/// Queues the day's digest of every account that chose one and has notices waiting.
pub async fn digests(storage: &Storage, notifier: &Notifier) -> Result<usize, ServerError> {
    let today = clock::today().to_string();
    let mut queued = 0;
    for (user, notices) in storage.digests_due(&today).await? {
        let Some(to) = user.email.clone() else {
            continue;
        };
        if notices.is_empty() {
            continue;
        }
        let mut body = format!(
            "Сводка уведомлений Ориентира за {today} ({} шт.)\nOrientir's notifications of {today} ({})\n\n",
            notices.len(),
            notices.len()
        );
        for n in &notices {
            let kind = NoticeKind::parse(&n.kind);
            body.push_str(&format!(
                "• {}: {}\n  {}\n",
                kind.map_or("—", |k| k.label(Lang::Ru)),
                n.subject,
                notifier.link(&n.link)
            ));
        }
        let mail = NewMail {
            key: format!("digest:{}:{today}", user.id),
            user_id: user.id,
            to,
            subject: format!("Ориентир: сводка уведомлений за {today}"),
            body,
        };
        let ids: Vec<i64> = notices.iter().map(|n| n.id).collect();
        if storage
            .queue_digest(&mail, &today, &ids, clock::now())
            .await?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn the_wait_doubles_up_to_six_hours() {
        assert_eq!(backoff(0), 60);
        assert_eq!(backoff(1), 120);
        assert_eq!(backoff(3), 480);
        assert_eq!(backoff(20), 6 * 3600);
    }
}
