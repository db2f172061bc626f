//! The demo region's support work, every object in every state, by the demo's accounts and
//! consistent with their scopes: the school's account (demo-01) asks questions — waiting,
//! overdue, answered, reopened, closed and published to the knowledge base; the curator
//! (demo-01, demo-04) and the municipal coordinator (north: demo-01…03) visit and leave
//! recommendations in each state; the region holds a seminar with its feedback closed and shown,
//! a webinar open for registration, and the north a course with its feedback open; the region's
//! roadmap has five tracks and the north's two. The reminders are swept once, so that the inboxes
//! hold notices.

use std::sync::Arc;

use app::support::{
    ActivityStatus, EventFormat, QuestionStatus, RecommendationStatus, Responsible, VisitMode,
    VisitStatus,
};
use surveys::calendar::Day;
use surveys::{Answers, Methodology, RawAnswers, RawValue};

use crate::clock;
use crate::error::ServerError;
use crate::notify::Notifier;
use crate::scope::Gate;
use crate::storage::{ActivityFields, Change, EventFields, PlacedSchool, Storage, VisitFields};
use crate::support::Support;

const DAY: i64 = 86_400;

/// A demo recommendation: its visit, school, author, text, due in days from today, who is
/// responsible, the state it ends in and the school's answer.
type Rec<'a> = (
    i64,
    &'a PlacedSchool,
    i64,
    &'static str,
    i64,
    Responsible,
    RecommendationStatus,
    &'static str,
);
/// A demo roadmap activity: title, start and due in days from today, target cohort, expected
/// result, status.
type Activity = (
    &'static str,
    i64,
    i64,
    &'static str,
    &'static str,
    ActivityStatus,
);

async fn user(storage: &Storage, login: &str) -> Result<i64, ServerError> {
    storage
        .user_by_login(login)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| ServerError::Inconsistent(format!("the demo account {login} is missing")))
}

fn change<'a>(
    kind: &'a str,
    school: Option<i64>,
    user: i64,
    at: i64,
    action: &'a str,
) -> Change<'a> {
    Change {
        kind,
        owner_id: 0,
        school_id: school,
        user_id: user,
        at,
        action,
        detail: "",
    }
}

/// Fills the demo region's support work once (nothing when a demo school has a question).
pub async fn ensure_demo_support(
    storage: &Storage,
    methodology: &Methodology,
    public_url: &str,
    today: Day,
) -> Result<(), ServerError> {
    let places: Vec<PlacedSchool> = storage
        .schools_with_place()
        .await?
        .into_iter()
        .filter(|p| p.region_code == super::demo::REGION_CODE)
        .collect();
    let Some(first) = places.first() else {
        return Ok(());
    };
    let region = first.region_id;
    let ids: Vec<i64> = places.iter().map(|p| p.id).collect();
    if storage
        .questions()
        .await?
        .iter()
        .any(|q| ids.contains(&q.school_id))
    {
        return Ok(());
    }
    let school = |code: &str| {
        places
            .iter()
            .find(|p| p.code == code)
            .cloned()
            .ok_or_else(|| ServerError::Inconsistent(format!("the demo school {code} is missing")))
    };
    let (s1, s2, s3, s4, s5, s6) = (
        school("demo-01")?,
        school("demo-02")?,
        school("demo-03")?,
        school("demo-04")?,
        school("demo-05")?,
        school("demo-06")?,
    );
    let (admin, regional, north, curator, school_user) = (
        user(storage, "admin").await?,
        user(storage, "region").await?,
        user(storage, "north").await?,
        user(storage, "curator").await?,
        user(storage, "school").await?,
    );
    let now = clock::now();
    let ago = |days: i64| now - days * DAY;
    let on = |days: i64| today.plus_days(days);
    let days = storage.answer_days(region).await?.clamp(0, 60) as u32;

    // Questions of demo-01: every state.
    let asks: [(&str, &str, &str, i64); 5] = [
        ("RF07", "Как вовлечь родителей в жизнь школы?", "Родители почти не приходят на собрания. Какие формы работы с родителями сработали в похожих сельских школах?", 1),
        ("RF03", "Где взять курсы по формирующему оцениванию?", "Нам нужны курсы повышения квалификации по формирующему оцениванию для 6 учителей. Подскажите, где их пройти.", 12),
        ("RF05", "Как организовать наставничество для молодых учителей?", "В этом году пришли двое молодых педагогов. Как оформить наставничество и кого назначить?", 20),
        ("RF02", "Как снизить долю неуспевающих по математике?", "По итогам четверти 18 % учеников 7-х классов имеют «2» по математике. С чего начать?", 30),
        ("", "Сроки отчёта по этапу программы", "Нужно ли прикладывать документы к отчёту по первому этапу, или достаточно описания?", 25),
    ];
    let mut questions = Vec::new();
    for (factor, title, body, age) in asks {
        let asked = today.plus_days(-age);
        let (id, _) = storage
            .ask(
                s1.id,
                (school_user, "school"),
                factor,
                None,
                title,
                body,
                ago(age),
                asked.plus_working_days(days),
            )
            .await?;
        questions.push(id);
    }
    let answer = |i: usize, who: i64, role: &'static str, text: &'static str, age: i64| {
        let storage = storage.clone();
        let q = questions[i];
        let school = s1.id;
        async move {
            let row = storage.question(q).await?.ok_or(ServerError::NotFound)?;
            let c = Change {
                owner_id: q,
                ..change("question", Some(school), who, ago(age), "answered")
            };
            storage
                .add_message(
                    &row,
                    (who, role),
                    text,
                    QuestionStatus::Answered,
                    row.due_on,
                    c,
                )
                .await
        }
    };
    // 0 waits within the target, 1 waits past it; 2 answered; 3 answered, closed and published;
    // 4 answered, then the school wrote again (reopened).
    answer(2, curator, "curator", "Оформите наставничество приказом директора: пара «наставник — молодой педагог», план на год, встречи раз в две недели. Образцы — в методических рекомендациях по целевой модели наставничества.", 18).await?;
    answer(3, north, "municipal", "Начните с диагностики пробелов по результатам ВПР, создайте группы выравнивания и проведите взаимопосещение уроков. Муниципальный методист по математике готов провести семинар.", 27).await?;
    let c = Change {
        owner_id: questions[3],
        ..change("question", Some(s1.id), school_user, ago(26), "closed")
    };
    storage
        .set_question_status(questions[3], QuestionStatus::Closed, c)
        .await?;
    let c = Change {
        owner_id: questions[3],
        ..change("question", Some(s1.id), regional, ago(25), "published")
    };
    storage
        .publish_question(
            questions[3],
            Some((
                "Как снизить долю неуспевающих по математике в основной школе?",
                "Начните с диагностики пробелов по результатам ВПР, создайте группы выравнивания и проведите взаимопосещение уроков; муниципальные методисты проводят семинары по этой теме.",
            )),
            c,
        )
        .await?;
    answer(4, curator, "curator", "Достаточно описания и ссылок на документы школы; сканы можно приложить к мероприятиям программы.", 22).await?;
    let row = storage
        .question(questions[4])
        .await?
        .ok_or(ServerError::NotFound)?;
    let c = Change {
        owner_id: questions[4],
        ..change("question", Some(s1.id), school_user, ago(2), "reopened")
    };
    storage
        .add_message(
            &row,
            (school_user, "school"),
            "А если документ содержит персональные данные учеников — как быть?",
            QuestionStatus::New,
            today.plus_working_days(days),
            c,
        )
        .await?;

    // Visits and recommendations.
    let visit = |s: &PlacedSchool,
                 who: i64,
                 day: Day,
                 mode: VisitMode,
                 status: VisitStatus,
                 purpose: &str,
                 findings: &str| {
        let storage = storage.clone();
        let school = s.id;
        let fields = VisitFields {
            day,
            mode,
            status,
            participants: if status == VisitStatus::Held {
                [1, 2, 9, 1]
            } else {
                [0, 0, 0, 0]
            },
            purpose: purpose.to_owned(),
            findings: findings.to_owned(),
        };
        let action = match status {
            VisitStatus::Held => "visit_held",
            VisitStatus::Planned => "visit_planned",
            VisitStatus::Cancelled => "visit_cancelled",
        };
        // Written on the visit's day when it is past (a held visit is a contact of that day).
        let at = if day < today {
            Day::from_unix_days(0).days_until(day) * DAY + DAY / 2
        } else {
            now - DAY
        };
        async move {
            storage
                .save_visit(
                    None,
                    school,
                    &fields,
                    change("visit", Some(school), who, at, action),
                )
                .await
        }
    };
    let v1 = visit(&s1, curator, on(-20), VisitMode::OnSite, VisitStatus::Held, "Посещение уроков математики и русского языка, встреча с методическим объединением.", "Уроки ведутся преимущественно фронтально; формирующее оценивание почти не используется; методическое объединение работает формально.").await?;
    let v2 = visit(
        &s4,
        curator,
        on(-35),
        VisitMode::Online,
        VisitStatus::Held,
        "Обсуждение антирисковой программы по рискам RF02 и RF07.",
        "Программа согласована; мероприятия по работе с родителями требуют конкретики.",
    )
    .await?;
    visit(
        &s4,
        curator,
        on(6),
        VisitMode::OnSite,
        VisitStatus::Planned,
        "Проверка выполнения рекомендаций, посещение родительского собрания.",
        "",
    )
    .await?;
    let v4 = visit(
        &s2,
        north,
        on(-12),
        VisitMode::OnSite,
        VisitStatus::Held,
        "Анализ результатов ВПР, встреча с администрацией.",
        "Необъективность оценивания по русскому языку в 5-х классах; нет плана выравнивания.",
    )
    .await?;
    visit(
        &s3,
        north,
        on(-3),
        VisitMode::OnSite,
        VisitStatus::Cancelled,
        "Посещение уроков (отменено из-за карантина).",
        "",
    )
    .await?;
    visit(
        &s1,
        curator,
        on(14),
        VisitMode::Online,
        VisitStatus::Planned,
        "Консультация по отчёту за первый этап программы.",
        "",
    )
    .await?;
    let recs: [Rec<'_>; 8] = [
        (v1, &s1, curator, "Провести открытые уроки по формирующему оцениванию для коллег.", 4, Responsible::Deputy, RecommendationStatus::InProgress, "Запланированы на следующую неделю."),
        (v1, &s1, curator, "Обновить план работы с родителями на второе полугодие.", -3, Responsible::Principal, RecommendationStatus::Open, ""),
        (v1, &s1, curator, "Внедрить приёмы формирующего оценивания на уроках математики (не менее двух приёмов на урок).", 30, Responsible::Teachers, RecommendationStatus::Done, "Проведён внутренний семинар, 8 учителей применяют «светофор» и листы самооценки; протокол МО приложен."),
        (v1, &s1, curator, "Составить план работы методического объединения на полугодие с взаимопосещением уроков.", -5, Responsible::Methodist, RecommendationStatus::Accepted, "План утверждён на заседании МО 12 числа."),
        (v2, &s4, curator, "Конкретизировать мероприятия по работе с родителями: сроки, ответственные, ожидаемый результат.", -10, Responsible::Deputy, RecommendationStatus::Open, ""),
        (v2, &s4, curator, "Перенести родительские собрания на вечернее время.", 20, Responsible::Principal, RecommendationStatus::Disagreed, "Вечером не ходит школьный автобус: собрания проводим в субботу днём."),
        (v4, &s2, north, "Провести перекрёстную проверку ВПР по русскому языку с соседней школой.", 5, Responsible::Deputy, RecommendationStatus::InProgress, "Договорились с Лесновской СОШ, проверка запланирована."),
        (v4, &s2, north, "Разработать план выравнивания для учеников 5-х классов с отметкой «2».", 25, Responsible::Teachers, RecommendationStatus::Returned, "План составлен."),
    ];
    for (visit_id, s, who, body, due, responsible, status, answer_text) in recs {
        let v = storage
            .visit(visit_id)
            .await?
            .ok_or(ServerError::NotFound)?;
        let id = storage
            .add_recommendation(
                &v,
                body,
                on(due),
                responsible,
                change("recommendation", Some(s.id), who, ago(20), "recommended"),
            )
            .await?;
        // The school's answer, then the author's decision, as they happen.
        let answered = match status {
            RecommendationStatus::Open => None,
            RecommendationStatus::Accepted | RecommendationStatus::Returned => {
                Some(RecommendationStatus::Done)
            }
            other => Some(other),
        };
        if let Some(a) = answered {
            let c = Change {
                owner_id: id,
                detail: answer_text,
                ..change("recommendation", Some(s.id), school_user, ago(8), a.key())
            };
            storage
                .set_recommendation(id, RecommendationStatus::Open, a, Some(answer_text), c)
                .await?;
            if a != status {
                let c = Change {
                    owner_id: id,
                    ..change("recommendation", Some(s.id), who, ago(6), status.key())
                };
                storage.set_recommendation(id, a, status, None, c).await?;
            }
        }
    }

    // Events.
    let event = |municipality: Option<i64>,
                 title: &str,
                 format: EventFormat,
                 start: i64,
                 cohort: &str,
                 factors: &str,
                 who: i64| {
        let storage = storage.clone();
        let fields = EventFields {
            region_id: region,
            municipality_id: municipality,
            title: title.to_owned(),
            format,
            starts_on: on(start),
            ends_on: on(start + i64::from(format == EventFormat::Course) * 4),
            description: "Практико-ориентированное занятие для команд школ с низкими результатами: разбор кейсов, работа в группах, план действий школы.".to_owned(),
            cohort: cohort.to_owned(),
            factors: factors.to_owned(),
        };
        async move {
            storage
                .create_event(&fields, change("event", None, who, ago(40), "created"))
                .await
        }
    };
    let seminar = event(
        None,
        "Региональный семинар «Формирующее оценивание на уроке»",
        EventFormat::Seminar,
        -25,
        "low_results",
        "RF03",
        regional,
    )
    .await?;
    let webinar = event(
        None,
        "Вебинар «Работа с родителями в сельской школе»",
        EventFormat::Webinar,
        9,
        "",
        "RF07",
        regional,
    )
    .await?;
    let course = event(
        Some(north_municipality(&places)),
        "Курсы «Наставничество в школе»",
        EventFormat::Course,
        -2,
        "",
        "RF05",
        north,
    )
    .await?;
    storage
        .invite(
            seminar,
            &ids,
            change("event", None, regional, ago(35), "invited"),
        )
        .await?;
    storage
        .invite(
            webinar,
            &[s1.id, s4.id, s5.id],
            change("event", None, regional, ago(3), "invited"),
        )
        .await?;
    storage
        .invite(
            course,
            &[s1.id, s2.id, s3.id],
            change("event", None, north, ago(10), "invited"),
        )
        .await?;
    for (s, counts) in [
        (&s1, [1, 1, 3, 0]),
        (&s2, [1, 0, 2, 0]),
        (&s4, [0, 1, 2, 0]),
        (&s6, [1, 0, 1, 1]),
    ] {
        storage
            .register(
                seminar,
                s.id,
                counts,
                change("event", Some(s.id), school_user, ago(30), "registered"),
            )
            .await?;
    }
    storage
        .register(
            webinar,
            s1.id,
            [1, 0, 4, 0],
            change("event", Some(s1.id), school_user, ago(1), "registered"),
        )
        .await?;
    storage
        .register(
            course,
            s1.id,
            [0, 1, 2, 0],
            change("event", Some(s1.id), school_user, ago(8), "registered"),
        )
        .await?;
    storage
        .register(
            course,
            s2.id,
            [0, 0, 2, 0],
            change("event", Some(s2.id), north, ago(8), "registered"),
        )
        .await?;
    storage
        .record_attendance(
            seminar,
            &[
                (s1.id, 5),
                (s2.id, 3),
                (s4.id, 2),
                (s6.id, 2),
                (s3.id, 0),
                (s5.id, 0),
            ],
            change("event", None, regional, ago(24), "attended"),
        )
        .await?;
    // The seminar's feedback: opened, answered through its codes, closed.
    feedback(
        storage,
        methodology,
        seminar,
        regional,
        now,
        &[
            ["4", "4", "3", "4", "4"],
            ["3", "4", "3", "3", "4"],
            ["4", "3", "4", "4", "3"],
            ["2", "3", "3", "2", "4"],
            ["4", "4", "4", "3", "4"],
            ["3", "na", "3", "3", "3"],
            ["4", "4", "3", "4", "4"],
        ],
        true,
    )
    .await?;
    // The course's feedback: open, two answers so far.
    feedback(
        storage,
        methodology,
        course,
        north,
        now,
        &[["4", "4", "4", "3", "4"], ["3", "3", "4", "4", "3"]],
        false,
    )
    .await?;
    let _ = (s5, admin);

    // Roadmaps: the region's with five tracks, the north's with two.
    let year = today.ymd().0;
    let rm = storage.create_roadmap(region, None, year, &format!("Дорожная карта поддержки школ с низкими образовательными результатами на {}/{} учебный год", year, year + 1), change("roadmap", None, regional, ago(90), "created")).await?;
    let plan: [(&str, &[Activity]); 5] = [
        (
            "Диагностика и профилирование рисков",
            &[
                (
                    "Анкетирование руководителей, учителей, обучающихся и родителей по 10 рискам",
                    -80,
                    -50,
                    "low_results",
                    "Риск-профили всех школ списка опубликованы",
                    ActivityStatus::Done,
                ),
                (
                    "Анализ риск-профилей и выбор актуальных рисков школами",
                    -50,
                    -30,
                    "low_results",
                    "Выбранные риски и проекты программ",
                    ActivityStatus::Done,
                ),
            ],
        ),
        (
            "Антирисковые программы и сопровождение",
            &[
                (
                    "Согласование антирисковых программ с кураторами",
                    -30,
                    -10,
                    "low_results",
                    "Согласованные программы (приказы школ)",
                    ActivityStatus::Done,
                ),
                (
                    "Выезды кураторов в школы и адресные рекомендации",
                    -20,
                    60,
                    "low_results",
                    "Листы визитов и рекомендации в системе",
                    ActivityStatus::InProgress,
                ),
                (
                    "Промежуточный отчёт школ по этапу программы",
                    -40,
                    -5,
                    "low_results",
                    "Отчёты по этапу",
                    ActivityStatus::Planned,
                ),
            ],
        ),
        (
            "Повышение квалификации педагогов",
            &[
                (
                    "Курсы по формирующему оцениванию для учителей школ списка",
                    -30,
                    30,
                    "low_results",
                    "Удостоверения о повышении квалификации",
                    ActivityStatus::InProgress,
                ),
                (
                    "Стажировки на базе школ-партнёров с высокими результатами",
                    30,
                    120,
                    "project_500",
                    "Программы стажировок и отчёты",
                    ActivityStatus::Planned,
                ),
            ],
        ),
        (
            "Методическая поддержка и сетевое взаимодействие",
            &[
                (
                    "Региональный семинар «Формирующее оценивание на уроке»",
                    -25,
                    -25,
                    "low_results",
                    "Материалы семинара, итоги отзывов",
                    ActivityStatus::Done,
                ),
                (
                    "Сетевые пары «школа — школа-партнёр»",
                    -60,
                    -15,
                    "project_500",
                    "Соглашения о сотрудничестве",
                    ActivityStatus::Cancelled,
                ),
            ],
        ),
        (
            "Мониторинг результатов и объективность оценивания",
            &[
                (
                    "Перекрёстная проверка ВПР в школах с признаками необъективности",
                    100,
                    130,
                    "low_results",
                    "Протоколы перепроверки",
                    ActivityStatus::Planned,
                ),
                (
                    "Повторное анкетирование и оценка изменений",
                    150,
                    180,
                    "low_results",
                    "Профили изменений по каждой школе",
                    ActivityStatus::Planned,
                ),
            ],
        ),
    ];
    for (title, activities) in plan {
        let track = storage
            .add_track(
                rm,
                title,
                Change {
                    owner_id: rm,
                    ..change("roadmap", None, regional, ago(85), "track_added")
                },
            )
            .await?;
        for (a, start, due, cohort, expected, status) in activities {
            let fields = ActivityFields {
                title: (*a).to_owned(),
                starts_on: on(*start),
                due_on: on(*due),
                responsible: "Региональный координатор (демо)".to_owned(),
                cohort: (*cohort).to_owned(),
                schools: String::new(),
                expected: (*expected).to_owned(),
                status: *status,
            };
            storage
                .save_activity(
                    None,
                    track,
                    &fields,
                    Change {
                        owner_id: rm,
                        ..change("roadmap", None, regional, ago(84), "activity_added")
                    },
                )
                .await?;
        }
    }
    let nm = storage
        .create_roadmap(
            region,
            Some(north_municipality(&places)),
            year,
            &format!("Муниципальный план поддержки школ Северного района на {year} год"),
            change("roadmap", None, north, ago(70), "created"),
        )
        .await?;
    for (title, a, start, due, status) in [
        (
            "Методические объединения",
            "Муниципальное МО учителей математики: разбор заданий ВПР",
            -10,
            20,
            ActivityStatus::InProgress,
        ),
        (
            "Работа с семьями",
            "Единый день родительских собраний в школах района",
            -20,
            -1,
            ActivityStatus::Planned,
        ),
    ] {
        let track = storage
            .add_track(
                nm,
                title,
                Change {
                    owner_id: nm,
                    ..change("roadmap", None, north, ago(65), "track_added")
                },
            )
            .await?;
        let fields = ActivityFields {
            title: a.to_owned(),
            starts_on: on(start),
            due_on: on(due),
            responsible: "Муниципальный координатор (демо)".to_owned(),
            cohort: String::new(),
            schools: format!("{}, {}, {}", s1.code, s2.code, s3.code).to_uppercase(),
            expected: "Протоколы, листы посещения".to_owned(),
            status,
        };
        storage
            .save_activity(
                None,
                track,
                &fields,
                Change {
                    owner_id: nm,
                    ..change("roadmap", None, north, ago(64), "activity_added")
                },
            )
            .await?;
    }

    // The reminders of today, into the inboxes.
    let support = Support::new(
        storage.clone(),
        Gate::new(storage.clone(), Arc::new(methodology.clone()), clock::today),
        Notifier::new(storage.clone(), public_url),
        crate::config::UploadQuota::default(),
        clock::today,
        false,
    );
    crate::support::reminders::sweep(&support, today).await?;
    Ok(())
}

/// The north municipality's id.
fn north_municipality(places: &[PlacedSchool]) -> i64 {
    places
        .iter()
        .find(|p| p.municipality_code == "north")
        .map_or(0, |p| p.municipality_id)
}

/// Opens an event's feedback, answers it through its codes as participants do, and closes it
/// when `close`.
async fn feedback(
    storage: &Storage,
    m: &Methodology,
    event: i64,
    who: i64,
    now: i64,
    answers: &[[&str; 5]],
    close: bool,
) -> Result<(), ServerError> {
    let Some(instrument) = m.feedback.as_ref() else {
        return Ok(());
    };
    let schools = storage.event_schools(event).await?;
    let wanted: Vec<(i64, i64)> = schools
        .iter()
        .map(|s| (s.school_id, s.attended.unwrap_or_else(|| s.registered())))
        .collect();
    let codes = crate::support::events::new_codes(&wanted);
    let c = Change {
        owner_id: event,
        ..change("event", None, who, now - 20 * DAY, "feedback_opened")
    };
    storage.set_feedback(event, true, &codes, c).await?;
    let keys: Vec<&str> = instrument.slots.iter().map(|s| s.key.as_str()).collect();
    for (values, (_, _, hash)) in answers.iter().zip(&codes) {
        let raw: RawAnswers = keys
            .iter()
            .zip(values)
            .map(|(k, v)| ((*k).to_owned(), RawValue::One((*v).to_owned())))
            .collect();
        let parsed = Answers::parse(m, instrument, &raw).map_err(|_| {
            ServerError::Inconsistent("demo feedback does not fit its questionnaire".into())
        })?;
        storage
            .add_feedback(hash, |stored| {
                crate::support::events::add_to_sums(stored, m, instrument, &parsed)
            })
            .await?;
    }
    if close {
        let c = Change {
            owner_id: event,
            ..change("event", None, who, now - 15 * DAY, "feedback_closed")
        };
        storage.set_feedback(event, false, &[], c).await?;
    }
    Ok(())
}
