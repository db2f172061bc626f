//! The rest of the demo's yearly cycle, so that a new user sees it in five minutes: anti-risk
//! programmes written from last year's published profiles in every state — a draft, one waiting
//! for agreement, one returned with the curator's comment on a measure, one agreed with a stage
//! report and an overdue measure, one carried out whose targets this year's campaign measures —
//! and the campaign's stage dates. Written through the storage functions the programme pages use,
//! as the demo's accounts; only when last year's campaign has no programme yet.

use std::sync::Arc;

use app::access::{Role, Scope, Viewer};
use app::programmes::MeasureStatus;
use surveys::calendar::Day;
use surveys::programme::{default_target, suggestions};
use surveys::Methodology;

use super::demo::PREVIOUS_CAMPAIGN_CODE;
use crate::clock;
use crate::error::ServerError;
use crate::scope::Gate;
use crate::storage::{MeasureFields, MeasureMark, NewEvent, RiskChoice, Storage};

/// How far a demo programme has come.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Draft,
    Submitted,
    Returned,
    /// Agreed; the first stage report filed, one measure past its deadline.
    Agreed,
    /// Agreed and carried out: every measure done, both stage reports filed.
    Done,
}

/// (school, how far, who agrees it: the curator for its schools, else the admin).
const PROGRAMMES: [(&str, Stage, &str); 5] = [
    ("demo-01", Stage::Agreed, "curator"),
    ("demo-02", Stage::Draft, "admin"),
    ("demo-03", Stage::Submitted, "admin"),
    ("demo-04", Stage::Returned, "curator"),
    ("demo-05", Stage::Done, "admin"),
];

fn event<'a>(
    at: i64,
    user_id: i64,
    action: &'a str,
    subject: &'a str,
    comment: &'a str,
) -> NewEvent<'a> {
    NewEvent {
        user_id,
        at,
        action,
        subject,
        comment,
    }
}

async fn user(storage: &Storage, login: &str) -> Result<i64, ServerError> {
    storage
        .user_by_login(login)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| ServerError::Inconsistent(format!("the demo account {login} is missing")))
}

/// Writes the demo's programmes unless last year's campaign has some.
pub async fn ensure_demo_cycle(
    storage: &Storage,
    methodology: &Methodology,
    today: Day,
) -> Result<(), ServerError> {
    let Some(campaign) = storage.campaign_by_code(PREVIOUS_CAMPAIGN_CODE).await? else {
        return Ok(());
    };
    if !storage.campaign_programmes(campaign.id).await?.is_empty() {
        return Ok(());
    }
    let admin = user(storage, "admin").await?;
    let viewer = Viewer {
        user_id: admin,
        login: "admin".into(),
        name: String::new(),
        role: Role::Admin,
        scope: Scope::All,
        csrf: String::new(),
    };
    let gate = Gate::new(storage.clone(), Arc::new(methodology.clone()), clock::today);
    let Some(in_scope) = gate.campaign(&viewer, campaign.id, None).await? else {
        return Ok(());
    };
    let Some(scored) = gate.score(&viewer, &in_scope).await? else {
        return Ok(());
    };
    let first = today.plus_days(-30);
    storage
        .add_stage(campaign.id, "Этап 1: промежуточный отчёт", first)
        .await?;
    storage
        .add_stage(campaign.id, "Этап 2: итоги года", today.plus_days(10))
        .await?;
    let stages = storage.stages(campaign.id).await?;
    let school_user = user(storage, "school").await?;
    let curator = user(storage, "curator").await?;
    let now = clock::now();
    for (code, stage, agreer) in PROGRAMMES {
        let Some((school, profile)) = in_scope
            .schools
            .iter()
            .zip(&scored.profiles)
            .find(|(s, _)| s.code == code)
        else {
            continue;
        };
        // The school writes its own programme; the curator writes for the others it curates.
        let writer = if code == "demo-01" {
            school_user
        } else if agreer == "curator" {
            curator
        } else {
            admin
        };
        let agreer = user(storage, agreer).await?;
        let Some(risk) = suggestions(methodology, profile).into_iter().find(|s| {
            methodology
                .measures
                .measures
                .iter()
                .any(|m| m.factor == s.factor)
        }) else {
            continue;
        };
        let factor = risk.factor.0.as_str();
        let choice = RiskChoice {
            campaign_id: campaign.id,
            school_id: school.school_id,
            factor,
            reasoning: "По профилю фактор на высоком уровне; педагогический совет подтвердил: это видно и по журналу, и по беседам с родителями.",
            max: i64::from(methodology.rules.max_chosen_risks),
            today,
        };
        storage
            .choose_risk(
                choice,
                event(now, writer, "risk_chosen", &format!("risk:{factor}"), ""),
            )
            .await?;
        let Some(programme) = storage.programme(campaign.id, school.school_id).await? else {
            continue;
        };
        let id = programme.id;
        storage
            .set_risk_plan(
                id,
                factor,
                "Снизить риск до уровня ниже к следующему анкетированию.",
                "1. Разобрать результаты с педагогами.\n2. Провести мероприятия из каталога.\n3. Проверить изменения в следующей кампании.",
                event(now, writer, "plan", &format!("risk:{factor}"), ""),
            )
            .await?;
        let catalogue: Vec<(usize, &surveys::catalogue::Measure)> = methodology
            .measures
            .measures
            .iter()
            .enumerate()
            .filter(|(_, m)| m.factor == risk.factor)
            .take(2)
            .collect();
        let mut measures = Vec::new();
        for (n, (index, m)) in catalogue.iter().enumerate() {
            // The first measure was due three weeks ago, the second is due in two months.
            let (starts, due) = if n == 0 { (-120, -20) } else { (-60, 60) };
            let fields = MeasureFields {
                action: m.action.get("ru").to_owned(),
                responsible_role: m.responsible.get("ru").to_owned(),
                responsible_name: if n == 0 {
                    "Е. В. Орлова".into()
                } else {
                    String::new()
                },
                starts_on: Some(today.plus_days(starts)),
                due_on: (stage != Stage::Draft || n == 0).then(|| today.plus_days(due)),
                expected_result: m.expected_result.get("ru").to_owned(),
                status: MeasureStatus::Planned.key().into(),
                status_reason: String::new(),
                evidence: String::new(),
                catalogue: i64::try_from(*index).ok(),
            };
            let added = storage
                .add_measure(
                    id,
                    factor,
                    &fields,
                    event(now, writer, "measure_added", &format!("risk:{factor}"), ""),
                )
                .await?;
            measures.extend(added);
        }
        for key in risk.weakest.iter().take(2) {
            let Some(indicator) = methodology.indicator(key) else {
                continue;
            };
            let Some(target) = default_target(methodology, indicator, &risk.level) else {
                continue;
            };
            let baseline = profile.indicator(key).and_then(|r| r.value);
            storage
                .set_target(
                    id,
                    factor,
                    key,
                    baseline,
                    target,
                    event(now, writer, "target_set", &format!("risk:{factor}"), ""),
                )
                .await?;
        }
        if stage == Stage::Draft {
            continue;
        }
        storage
            .move_programme(
                id,
                &[app::programmes::ProgrammeStatus::Draft],
                app::programmes::ProgrammeStatus::Submitted,
                false,
                event(now, writer, "submitted", "", ""),
            )
            .await?;
        match stage {
            Stage::Returned => {
                if let Some(first) = measures.first() {
                    storage
                        .programme_comment(
                            id,
                            event(now, agreer, "comment", &format!("measure:{first}"), "Срок слишком короткий: перенесите на конец четверти и назовите ответственного."),
                        )
                        .await?;
                }
                storage
                    .move_programme(
                        id,
                        &[app::programmes::ProgrammeStatus::Submitted],
                        app::programmes::ProgrammeStatus::Returned,
                        false,
                        event(
                            now,
                            agreer,
                            "returned",
                            "",
                            "Уточните сроки и ответственных, затем отправьте снова.",
                        ),
                    )
                    .await?;
            }
            Stage::Agreed | Stage::Done => {
                storage
                    .move_programme(
                        id,
                        &[app::programmes::ProgrammeStatus::Submitted],
                        app::programmes::ProgrammeStatus::Agreed,
                        false,
                        event(now, agreer, "agreed", "", ""),
                    )
                    .await?;
                let done = stage == Stage::Done;
                let marks: Vec<MeasureMark> = measures
                    .iter()
                    .enumerate()
                    .map(|(n, m)| MeasureMark {
                        measure_id: *m,
                        action: String::new(),
                        status: if done {
                            MeasureStatus::Done
                        } else if n == 0 {
                            MeasureStatus::InProgress
                        } else {
                            MeasureStatus::Planned
                        }
                        .key()
                        .into(),
                        status_reason: String::new(),
                        evidence: if done || n == 0 {
                            "Протокол педсовета, фотоотчёт на сайте школы".into()
                        } else {
                            String::new()
                        },
                    })
                    .collect();
                let filed = if done { stages.len() } else { 1 };
                for s in stages.iter().take(filed) {
                    storage
                        .file_stage_report(
                            id,
                            s.id,
                            if done {
                                "Мероприятия проведены полностью; ученики и родители активнее участвуют, подробнее — в приложенных протоколах."
                            } else {
                                "Первое мероприятие идёт с опозданием: не хватило часов в расписании. Второе начнём по плану."
                            },
                            &marks,
                            event(now, writer, "stage_report", &format!("stage:{}", s.id), ""),
                        )
                        .await?;
                }
                storage
                    .programme_comment(
                        id,
                        event(now, agreer, "comment", &format!("stage:{}", stages[0].id), "Анализ честный; перенесите отставшее мероприятие и укажите новый срок."),
                    )
                    .await?;
            }
            _ => {}
        }
    }
    Ok(())
}
