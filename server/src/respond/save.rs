//! Saving a page of answers: the draft token from the form or the cookie, «back» without
//! checking, refused answers kept with their problems next to the fields, and on the last page the
//! whole response stored once, durably, before it is acknowledged.

use std::collections::BTreeMap;

use app::i18n::Lang;
use app::respond::{draft_cookie, result_cookie};
use surveys::{Answers, Cut, Methodology};

use super::views::raw_of;
use super::{new_handle, personal_token, Respondents};
use crate::access_code;
use crate::error::ServerError;
use crate::secrets;
use crate::storage::{DraftRow, DraftWrite, ResponseRow, Written};
use crate::tallying::Tallier;

/// A saved page: where the respondent goes next, and the `Set-Cookie` value keeping (or
/// clearing) the draft's token.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveOutcome {
    pub target: String,
    pub set_cookie: Option<String>,
    /// When the target is a question page: where it leads.
    pub next: Option<Next>,
}

/// The question page a saved page leads to: its number, the draft handle the browser now keeps,
/// and the draft as just written (the page is shown from it without reading it back).
#[derive(Debug, Clone, PartialEq)]
pub struct Next {
    pub page: u32,
    pub handle: String,
    pub draft: DraftRow,
}

impl SaveOutcome {
    /// Elsewhere than a question page (the start or thank-you page).
    fn to(target: String, set_cookie: Option<String>) -> SaveOutcome {
        SaveOutcome {
            target,
            set_cookie,
            next: None,
        }
    }
}

/// How many times a page is saved over a draft written elsewhere meanwhile before giving up.
const STALE_TRIES: usize = 3;

/// How long the result key waits in its cookie for the thank-you page.
pub(super) const RESULT_COOKIE_SECONDS: i64 = 900;

impl Respondents {
    /// Stores one page of answers: the draft token comes from the form (`_draft`) or the
    /// cookie, `_go=back` goes back without checking, refused answers are kept with their
    /// problems, and the last page stores the whole response once. When the draft this server
    /// kept was written elsewhere since (another instance), it is read again and the page
    /// saved over what is stored.
    pub async fn save_answers(
        &self,
        code: &str,
        page: u32,
        fields: Vec<(String, String)>,
        cookie_token: Option<String>,
        lang: Lang,
    ) -> Result<SaveOutcome, ServerError> {
        for _ in 0..STALE_TRIES {
            let saved = self
                .try_save(code, page, fields.clone(), cookie_token.clone(), lang)
                .await?;
            if let Some(outcome) = saved {
                return Ok(outcome);
            }
        }
        Err(ServerError::Write(
            "the draft was written elsewhere at every try".into(),
        ))
    }

    /// `save_answers` once: `None` when the draft turned out to be written elsewhere since it
    /// was read (nothing was written, and the draft is no longer kept in memory).
    async fn try_save(
        &self,
        code: &str,
        page: u32,
        fields: Vec<(String, String)>,
        cookie_token: Option<String>,
        lang: Lang,
    ) -> Result<Option<SaveOutcome>, ServerError> {
        let m: &Methodology = &self.methodology;
        let opened = match self.open(code).await? {
            Ok(o) => o,
            Err(_) => return Ok(Some(SaveOutcome::to(format!("/s/{code}"), None))),
        };
        let code = opened.info.code.clone();
        let cookie_name = draft_cookie(&code);
        let form_token = fields
            .iter()
            .find(|(k, _)| k == "_draft")
            .map(|(_, v)| v.clone());
        let go_back = fields.iter().any(|(k, v)| k == "_go" && v == "back");
        // A token from the form that this browser does not hold (the cookie went with the
        // submit, or another site planted it) only recognises a questionnaire already sent: it
        // never continues a draft, so nobody can slip their own draft into someone's browser.
        let foreign = form_token.filter(|t| !t.is_empty() && Some(t) != cookie_token.as_ref());
        if let Some(foreign) = foreign {
            if self
                .draft(&opened, Some(foreign))
                .await?
                .is_some_and(|d| d.submitted)
            {
                return Ok(Some(SaveOutcome::to(format!("/s/{code}/thanks"), None)));
            }
        }
        let seen = self.draft_seen(&opened, cookie_token.clone()).await?;
        let existing = seen.draft;
        if existing.as_ref().is_some_and(|d| d.submitted) {
            return Ok(Some(SaveOutcome::to(format!("/s/{code}/thanks"), None)));
        }
        // A personal questionnaire begun on another device keeps its answers there: this device
        // writes over them only when the respondent asks to start over here.
        let start_over = fields.iter().any(|(k, v)| k == "_start_over" && v == "1");
        if seen.elsewhere && !start_over {
            return Ok(Some(SaveOutcome::to(format!("/s/{code}"), None)));
        }
        let instrument = opened.instrument;
        let pages = instrument.sections.len() as u32;
        let page = page.clamp(1, pages.max(1));
        let section = (page - 1) as usize;

        let before = raw_of(existing.as_ref());
        let mut raw = before.clone();
        surveys::replace_page(instrument, &mut raw, section, fields);
        surveys::cut_values(instrument, &mut raw, Cut::Others);
        let (_, errors) = Answers::parse_page_over(m, instrument, &before, &raw, section);
        surveys::cut_values(instrument, &mut raw, Cut::Texts);

        // The handle this browser keeps: its own when it has a draft, else a new one.
        let handle = match (&existing, cookie_token) {
            (Some(_), Some(handle)) => handle,
            _ => new_handle(),
        };
        let personal = opened.info.personal;
        let token = if personal {
            personal_token(&code)
        } else {
            handle.clone()
        };
        let submission_key = existing
            .as_ref()
            .map_or_else(new_handle, |d| d.submission_key.clone());
        let today = (self.today)();
        let mut draft = DraftRow {
            token: token.clone(),
            code: code.clone(),
            answers: serde_json::to_string(&raw)
                .map_err(|e| ServerError::Inconsistent(e.to_string()))?,
            problems: "{}".into(),
            page: i64::from(page),
            submission_key: submission_key.clone(),
            submitted: false,
            device_hash: personal.then(|| secrets::hash(&handle)),
            result_key_hash: None,
            revision: seen.revision + 1,
        };
        let problems = |errors: &[surveys::FieldError]| -> String {
            let map: BTreeMap<&str, String> = errors
                .iter()
                .map(|e| (e.key.as_str(), e.message(lang.code())))
                .collect();
            serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
        };

        let target = if go_back {
            draft.page = i64::from(page.saturating_sub(1).max(1));
            format!("/s/{code}/p/{}", draft.page)
        } else if !errors.is_empty() {
            draft.problems = problems(&errors);
            format!("/s/{code}/p/{page}#errors")
        } else if page < pages {
            draft.page = i64::from(page + 1);
            format!("/s/{code}/p/{}", page + 1)
        } else {
            // The last page: the whole form must be complete before it is stored as a response.
            match Answers::parse(m, instrument, &raw) {
                Err(all) => {
                    let first = all
                        .iter()
                        .filter_map(|e| instrument.slot(&e.key))
                        .map(|s| instrument.slots[s].section)
                        .min()
                        .unwrap_or(0);
                    let on_page: Vec<_> = all
                        .into_iter()
                        .filter(|e| {
                            instrument
                                .slot(&e.key)
                                .is_some_and(|s| instrument.slots[s].section == first)
                        })
                        .collect();
                    draft.problems = problems(&on_page);
                    draft.page = first as i64 + 1;
                    format!("/s/{code}/p/{}#errors", first + 1)
                }
                Ok(answers) => {
                    let raw = answers.to_raw(m, instrument);
                    let stored = serde_json::to_string(&raw)
                        .map_err(|e| ServerError::Inconsistent(e.to_string()))?;
                    // Tallied from exactly what is stored, without reading it back.
                    let tally =
                        Tallier::new(m).piece_of(opened.group, &raw, 0, opened.info.opens_on);
                    let response = ResponseRow {
                        campaign_id: opened.info.campaign_id,
                        school_id: opened.info.school_id,
                        group: opened.group,
                        instrument_key: instrument.key.clone(),
                        instrument_version: instrument.version,
                        methodology_version: m.version.to_string(),
                        answers: stored,
                        submitted_on: today,
                        submission_key: submission_key.clone(),
                        // No expected count (0 is «not known», as everywhere): no limit.
                        surplus_limit: opened
                            .group
                            .is_anonymous()
                            .then(|| opened.info.expected())
                            .filter(|expected| *expected > 0)
                            .map(|expected| m.rules.surplus_limit(expected)),
                        tally,
                    };
                    // The answers live on in the response only; the draft keeps that it was sent.
                    draft.answers = "{}".into();
                    draft.problems = "{}".into();
                    // A diagnostic's report opens with a key given once, here, and kept only
                    // as a hash: not with the printed code.
                    let diagnostic = surveys::deficits::Diagnostic::of(opened.group);
                    let result_key =
                        diagnostic.map(|d| (d, access_code::generate_key(&mut rand::rngs::OsRng)));
                    draft.result_key_hash = result_key.as_ref().map(|(_, k)| secrets::hash(k));
                    // The scored areas live on under the key for the owner's development plan.
                    let plan = match &result_key {
                        Some((kind, key)) => crate::storage::NewPlan::scored(
                            m,
                            *kind,
                            key,
                            &answers,
                            opened.info.campaign_id,
                            opened.info.school_id,
                            today,
                        )?
                        .map(Box::new),
                        None => None,
                    };
                    // Committed (and on SQLite synced) before the answer is sent.
                    let mut done = draft.clone();
                    let written = self
                        .writer
                        .write(DraftWrite::Submit {
                            draft: Box::new(draft),
                            today,
                            response,
                            plan,
                        })
                        .await?;
                    if written == Written::Stale {
                        self.drafts.forget(&token);
                        return Ok(None);
                    }
                    done.submitted = true;
                    self.drafts.put(done);
                    self.metrics.submitted();
                    let set_cookie = match result_key {
                        // Shown once on the thank-you page, which removes it.
                        Some((_, key)) => self.cookies.set(
                            &result_cookie(&code),
                            &key,
                            RESULT_COOKIE_SECONDS,
                            true,
                        ),
                        // The next person on a shared computer starts afresh.
                        None => self.cookies.clear(&cookie_name),
                    };
                    return Ok(Some(SaveOutcome::to(
                        format!("/s/{code}/thanks"),
                        Some(set_cookie),
                    )));
                }
            }
        };
        let kept = draft.clone();
        let written = self.writer.write(DraftWrite::Save { draft, today }).await?;
        if written == Written::Stale {
            self.drafts.forget(&token);
            return Ok(None);
        }
        self.drafts.put(kept.clone());
        // The draft lives until the campaign closes, and the cookie with it.
        let days = today.days_until(opened.info.closes_on) + 1;
        let set_cookie = self
            .cookies
            .set(&cookie_name, &handle, days.max(1) * 86_400, true);
        Ok(Some(SaveOutcome {
            target,
            set_cookie: Some(set_cookie),
            next: Some(Next {
                page: kept.page as u32,
                handle,
                draft: kept,
            }),
        }))
    }
}
