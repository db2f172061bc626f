//! A school's anti-risk programme as its page shows it: per chosen risk the reasoning, goal and
//! tasks, the measures (with «просрочено» computed from the deadline), the targets with their
//! baselines from the published profile, the catalogue measures and indicators to pick from; the
//! warnings (a measure without a deadline or a responsible, a risk without a target) and the
//! history of every change.

use app::access::Viewer;
use app::i18n::Lang;
use app::programmes::MeasureStatus;
use app::reports::{
    CatalogueMeasure, FileView, HistoryEntry, IndicatorChoice, MeasureView, ProgrammeView,
    RiskPlanView, StageReportView, StageView, TargetView,
};

use super::effect::results_view;
use super::results::later;
use super::stages::comments_on_stages;
use super::writes;
use crate::clock;
use crate::error::ServerError;
use crate::scope::campaign_item;
use crate::scope::Gate;
use crate::storage::Storage;
use crate::views::{form_value, level_of, show_value, stage_items};

/// The words of a history entry's action.
fn action_words(action: &str, lang: Lang) -> &'static str {
    match action {
        "risk_chosen" => lang.tr("выбран риск", "risk chosen"),
        "risk_dropped" => lang.tr("риск убран", "risk dropped"),
        "plan" => lang.tr("цель и задачи", "goal and tasks"),
        "measure_added" => lang.tr("добавлено мероприятие", "measure added"),
        "measure_changed" => lang.tr("изменено мероприятие", "measure changed"),
        "measure_removed" => lang.tr("удалено мероприятие", "measure removed"),
        "target_set" => lang.tr("задан целевой показатель", "target set"),
        "target_removed" => lang.tr("удалён целевой показатель", "target removed"),
        "submitted" => lang.tr("отправлена на согласование", "submitted"),
        "comment" => lang.tr("комментарий", "comment"),
        "returned" => lang.tr("возвращена на доработку", "returned"),
        "agreed_by_curator" => lang.tr("согласована куратором", "agreed by the curator"),
        "agreed" => lang.tr("согласована", "agreed"),
        "reopened" => lang.tr("открыта для изменений", "reopened"),
        "stage_report" => lang.tr("отчёт по этапу", "stage report"),
        "file_added" => lang.tr("приложен документ", "document attached"),
        "file_removed" => lang.tr("удалён документ", "document removed"),
        _ => lang.tr("изменение", "change"),
    }
}

/// The programme of a school of a campaign, if the viewer may see the school.
#[allow(clippy::too_many_arguments)]
pub async fn programme(
    gate: &Gate,
    storage: &Storage,
    results: &crate::yardstick::Yardstick,
    viewer: &Viewer,
    campaign: i64,
    school: i64,
    lang: Lang,
    today: surveys::calendar::Day,
) -> Result<Option<ProgrammeView>, ServerError> {
    let Some((in_scope, count)) = gate.school(viewer, campaign, school).await? else {
        return Ok(None);
    };
    let Some(s) = in_scope.schools.first() else {
        return Ok(None);
    };
    let m = gate.methodology();
    let l = lang.code();
    let scored = gate.score(viewer, &in_scope).await?;
    let mut view = ProgrammeView {
        campaign: campaign_item(
            &in_scope.campaign,
            count,
            scored.as_ref().map(|s| &s.publication),
        ),
        school_id: school,
        school: s.name.clone(),
        municipality: s.municipality.clone(),
        status: None,
        can_edit: false,
        risks: Vec::new(),
        warnings: Vec::new(),
        history: Vec::new(),
        steps: Vec::new(),
        comments: Vec::new(),
        stages: Vec::new(),
        can_report: false,
        can_comment_stages: false,
        can_attach: false,
        results: None,
        agreement: Vec::new(),
        result_targets: Vec::new(),
        result_choices: Vec::new(),
    };
    let (Some(scored), Some(programme)) = (scored, storage.programme(campaign, school).await?)
    else {
        return Ok(Some(view));
    };
    let Some(profile) = scored.profiles.first() else {
        return Ok(Some(view));
    };
    let writer = writes(viewer, &in_scope, school);
    view.can_edit = programme.status.editable() && writer;
    view.can_report = programme.status == app::programmes::ProgrammeStatus::Agreed && writer;
    view.can_attach = writer;
    view.can_comment_stages = comments_on_stages(viewer);
    let files = storage.programme_files(programme.id).await?;
    let plans = storage.risk_plans(programme.id).await?;
    let chosen = storage.chosen_risks(programme.id).await?;
    let measures = storage.programme_measures(programme.id).await?;
    let targets = storage.programme_targets(programme.id).await?;
    let events = storage.programme_events(programme.id).await?;
    // Comments of those who agree (and the comment of a return), by what they are about.
    let comments_on = |subject: &str| -> Vec<String> {
        events
            .iter()
            .filter(|e| matches!(e.action.as_str(), "comment" | "returned") && e.subject == subject)
            .map(|e| format!("{}: {}", e.user_name, e.comment))
            .collect()
    };
    let region = s.region_id;
    let agreement = storage.region_agreement(region).await?;
    view.steps =
        crate::programmes::workflow::steps(viewer, &in_scope, school, &agreement, &programme)
            .into_iter()
            .map(|step| format!("{step:?}").to_lowercase())
            .collect();
    view.comments = comments_on("");
    let factor_name = |code: &str| m.factor_name(code, l).to_owned();
    let indicator_name = |key: &str| m.indicator_name(key, l).to_owned();
    for risk in &chosen {
        let (goal, tasks) = plans
            .iter()
            .find(|(f, ..)| *f == risk.factor)
            .map(|(_, g, t)| (g.clone(), t.clone()))
            .unwrap_or_default();
        let level = profile.factor(&risk.factor).and_then(|f| f.level.clone());
        let measure_views: Vec<MeasureView> = measures
            .iter()
            .filter(|x| x.factor == risk.factor)
            .map(|x| {
                let responsible = [x.responsible_role.as_str(), x.responsible_name.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" — ");
                MeasureView {
                    id: x.id,
                    action: x.action.clone(),
                    responsible,
                    responsible_role: x.responsible_role.clone(),
                    responsible_name: x.responsible_name.clone(),
                    starts_on: x.starts_on.map(|d| d.to_string()),
                    due_on: x.due_on.map(|d| d.to_string()),
                    expected_result: x.expected_result.clone(),
                    status: MeasureStatus::of(&x.status).label(lang).to_owned(),
                    status_reason: x.status_reason.clone(),
                    evidence: x.evidence.clone(),
                    overdue: x.overdue(today),
                    from_catalogue: x.catalogue.is_some(),
                    comments: comments_on(&format!("measure:{}", x.id)),
                    status_key: x.status.clone(),
                    files: files
                        .iter()
                        .filter(|f| f.measure_id == x.id)
                        .map(|f| FileView {
                            id: f.id,
                            name: f.name.clone(),
                            size: crate::uploads::size_words(f.size, lang),
                        })
                        .collect(),
                }
            })
            .collect();
        for x in measures.iter().filter(|x| x.factor == risk.factor) {
            if x.due_on.is_none()
                || (x.responsible_role.is_empty() && x.responsible_name.is_empty())
            {
                view.warnings.push(match lang {
                    Lang::Ru => format!(
                        "{}: у мероприятия «{}» нет срока или ответственного.",
                        risk.factor, x.action
                    ),
                    Lang::En => format!(
                        "{}: the measure «{}» has no deadline or no one responsible.",
                        risk.factor, x.action
                    ),
                });
            }
        }
        let target_views: Vec<TargetView> = targets
            .iter()
            .filter(|t| t.factor == risk.factor)
            .map(|t| TargetView {
                id: t.id,
                name: indicator_name(&t.indicator),
                baseline: t.baseline.map(|b| show_value(m, &t.indicator, b)),
                target: show_value(m, &t.indicator, t.target),
                comments: comments_on(&format!("target:{}", t.id)),
                indicator: t.indicator.clone(),
            })
            .collect();
        if target_views.is_empty() {
            view.warnings.push(match lang {
                Lang::Ru => format!("{}: не задан ни один целевой показатель.", risk.factor),
                Lang::En => format!("{}: no target is set.", risk.factor),
            });
        }
        let catalogue = m
            .measures
            .measures
            .iter()
            .enumerate()
            .filter(|(_, x)| x.factor.0 == risk.factor)
            .map(|(n, x)| CatalogueMeasure {
                index: n as i64,
                action: x.action.get(l).to_owned(),
                responsible: x.responsible.get(l).to_owned(),
                expected_result: x.expected_result.get(l).to_owned(),
            })
            .collect();
        let indicators = m
            .indicators
            .iter()
            .filter(|i| i.factor.0 == risk.factor)
            .map(|i| {
                let baseline = profile.indicator(&i.key).and_then(|r| r.value);
                IndicatorChoice {
                    key: i.key.to_string(),
                    name: i.name.get(l).to_owned(),
                    baseline: baseline.map(|b| show_value(m, &i.key, b)),
                    default_target: level
                        .as_deref()
                        .and_then(|level| surveys::programme::default_target(m, i, level))
                        .map(|t| form_value(m, &i.key, t)),
                }
            })
            .collect();
        view.risks.push(RiskPlanView {
            factor: risk.factor.clone(),
            name: factor_name(&risk.factor),
            level: level_of(m, level.as_deref(), lang),
            reasoning: risk.reasoning.clone(),
            goal,
            tasks,
            measures: measure_views,
            targets: target_views,
            catalogue,
            indicators,
        });
    }
    let stages = storage.stages(campaign).await?;
    let reports = storage.stage_reports(programme.id).await?;
    for (stage, item) in stages.iter().zip(stage_items(&stages)) {
        let report = match reports.iter().find(|r| r.stage_id == stage.id) {
            Some(r) => Some(StageReportView {
                analysis: r.analysis.clone(),
                who: r.user_name.clone(),
                when: clock::moment(r.filed_at),
                marks: storage
                    .stage_report_marks(r.id)
                    .await?
                    .into_iter()
                    .map(|m| {
                        let status = MeasureStatus::of(&m.status).label(lang).to_owned();
                        (m.action, status, m.status_reason, m.evidence)
                    })
                    .collect(),
            }),
            None => None,
        };
        view.stages.push(StageView {
            state: stage.state(report.is_some(), today).to_owned(),
            report,
            comments: comments_on(&format!("stage:{}", stage.id)),
            stage: item,
        });
    }
    if !chosen.is_empty() {
        if let Some(later) = later(gate, viewer, &in_scope.campaign).await? {
            view.results = Some(results_view(
                m, &later, &s.code, profile, &chosen, &targets, lang,
            ));
        }
    }
    let entry = |e: &crate::storage::ProgrammeEvent| HistoryEntry {
        who: e.user_name.clone(),
        when: clock::moment(e.at),
        what: format!(
            "{}{}",
            action_words(&e.action, lang),
            e.subject
                .split_once(':')
                .map(|(_, s)| format!(" ({s})"))
                .unwrap_or_default()
        ),
        comment: e.comment.clone(),
    };
    view.agreement = events
        .iter()
        .filter(|e| {
            matches!(
                e.action.as_str(),
                "submitted" | "agreed_by_curator" | "agreed"
            )
        })
        .map(entry)
        .collect();
    view.history = events.iter().map(entry).collect();
    let region = results.region(s.region_id).await?;
    let targets = storage.result_targets(programme.id).await?;
    view.result_targets = super::effect::result_targets_view(m, &region, &s.code, &targets, lang);
    view.result_choices = super::effect::result_choices(m, &region, &s.code, lang);
    view.status = Some(programme.status);
    Ok(Some(view))
}
