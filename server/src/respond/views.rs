//! What a respondent's pages show, built from the questionnaire and the draft: a section page
//! with its fields, values and problems, and a teacher's diagnostic report with the draft ИОМ.

use std::collections::BTreeMap;

use app::i18n::Lang;
use app::respond::{ReportView, SectionView};
use surveys::{Answers, Methodology, RawAnswers, RawValue};

use super::{Opened, Respondents};
use crate::error::ServerError;
use crate::storage::DraftRow;

pub(super) fn raw_of(draft: Option<&DraftRow>) -> RawAnswers {
    draft
        .and_then(|d| serde_json::from_str(&d.answers).ok())
        .unwrap_or_default()
}

fn problems_of(draft: Option<&DraftRow>) -> BTreeMap<String, String> {
    draft
        .and_then(|d| serde_json::from_str(&d.problems).ok())
        .unwrap_or_default()
}

impl Respondents {
    pub(super) fn section_view(
        &self,
        opened: &Opened<'_>,
        draft: Option<&DraftRow>,
        token: String,
        page: u32,
        lang: Lang,
    ) -> SectionView {
        let l = lang.code();
        let m: &Methodology = &self.methodology;
        let instrument = opened.instrument;
        let pages = instrument.sections.len() as u32;
        let page = page.clamp(1, pages.max(1));
        let index = (page - 1) as usize;
        let section = &instrument.sections[index];
        let raw = raw_of(draft);
        let problems = problems_of(draft);
        let mut ignored = Vec::new();
        let answers = Answers::parse_known(m, instrument, &raw, &mut ignored, |_| false);
        let items = app::respond::item_views(m, instrument, &answers, index, &raw, &problems, lang);
        let values = |key: &str| match raw.get(key) {
            Some(RawValue::One(v)) => vec![v.clone()],
            Some(RawValue::Many(vs)) => vs.clone(),
            None => Vec::new(),
        };
        let context = section
            .items
            .iter()
            .filter_map(|item| item.show_if.as_ref())
            .map(|c| c.item.as_str())
            .filter(|key| {
                instrument
                    .slot(key)
                    .is_some_and(|s| instrument.slots[s].section != index)
            })
            .map(|key| (key.to_owned(), values(key)))
            .collect();
        SectionView {
            code: opened.info.code.clone(),
            draft: token,
            page,
            pages,
            title: section.title.get(l).to_owned(),
            questionnaire: instrument.title.get(l).to_owned(),
            intro: section.intro.as_ref().map(|i| i.get(l).to_owned()),
            items,
            last: page == pages,
            rules: self.rules.url(&instrument.key),
            context,
        }
    }

    pub(super) async fn report(
        &self,
        draft: &DraftRow,
        kind: surveys::deficits::Diagnostic,
        lang: Lang,
    ) -> Result<Option<ReportView>, ServerError> {
        let l = lang.code();
        let m: &Methodology = &self.methodology;
        let Some(stored) = self.storage.response(&draft.submission_key).await? else {
            return Ok(None);
        };
        let Some(instrument) = m.instrument(kind.group()) else {
            return Ok(None);
        };
        let raw = stored.raw()?;
        let mut ignored = Vec::new();
        let answers = Answers::parse_known(m, instrument, &raw, &mut ignored, |_| false);
        let start = stored.submitted_on;
        let Some(result) = surveys::deficits::result(m, kind, &answers, start) else {
            return Ok(None);
        };
        Ok(Some(ReportView {
            principal: kind == surveys::deficits::Diagnostic::Principal,
            areas: crate::views::area_views(m, kind, &result.areas, lang),
            weakest: result
                .weakest
                .iter()
                .map(|w| format!("{} ({:.0} %)", w.label.get(l), w.percent))
                .collect(),
            iom: result
                .iom
                .iter()
                .map(|i| crate::views::iom_view(m, i, lang))
                .collect(),
        }))
    }
}
