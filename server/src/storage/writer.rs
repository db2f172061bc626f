//! Group commit for the respondent side: page saves and final submits from concurrent requests
//! wait in a queue and are written in one transaction per batch, each request answered only after
//! its batch commits. With one sync per batch instead of one per page, many respondents at once
//! cost little more than one.

use tokio::sync::{mpsc, oneshot};

use super::{DraftWrite, Storage, Written};
use crate::error::ServerError;

/// Most writes in one transaction.
const MAX_BATCH: usize = 256;

type Reply = oneshot::Sender<Result<Written, String>>;

/// A handle to the writer task; cheap to clone.
#[derive(Clone, Debug)]
pub struct DraftWriter {
    queue: mpsc::Sender<(DraftWrite, Reply)>,
}

impl DraftWriter {
    /// Starts the writer task on the current runtime, with a connection of its own where that
    /// helps (`Storage::for_writer`).
    pub fn spawn(storage: Storage) -> DraftWriter {
        let storage = storage.for_writer();
        let (queue, mut incoming) = mpsc::channel::<(DraftWrite, Reply)>(4 * MAX_BATCH);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            while let Some(first) = incoming.recv().await {
                batch.push(first);
                while batch.len() < MAX_BATCH {
                    match incoming.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let (ops, replies): (Vec<DraftWrite>, Vec<Reply>) = batch.drain(..).unzip();
                match storage.write_drafts(&ops).await {
                    Ok(results) => {
                        for (reply, result) in replies.into_iter().zip(results) {
                            let _ = reply.send(Ok(result));
                        }
                    }
                    // One bad write must not fail its neighbours: retry each on its own.
                    Err(_) if ops.len() > 1 => {
                        for (op, reply) in ops.iter().zip(replies) {
                            let result = storage.write_drafts(std::slice::from_ref(op)).await;
                            let _ = reply.send(result.map(|r| r[0]).map_err(|e| e.to_string()));
                        }
                    }
                    Err(e) => {
                        for reply in replies {
                            let _ = reply.send(Err(e.to_string()));
                        }
                    }
                }
            }
        });
        DraftWriter { queue }
    }

    /// Writes and waits until the write is committed (or found stale: `Written`).
    pub async fn write(&self, op: DraftWrite) -> Result<Written, ServerError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || ServerError::Write("the draft writer has stopped".into());
        self.queue.send((op, reply)).await.map_err(|_| stopped())?;
        answer
            .await
            .map_err(|_| stopped())?
            .map_err(ServerError::Write)
    }
}
