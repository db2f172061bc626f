//! Refusals of what a user sent: each problem says where it is (a form field, a row and column of
//! a file, or the input as a whole) and what is wrong, as data. Words in the reader's language
//! are made only at the edge (`Problem::words`), so the same problem reads «Строка 3, столбец
//! school_code: …» in an import, «school_code: …» on the one-school form, and in English for an
//! English reader. The paper CLI reports its rejected rows with the same type.

use app::i18n::Lang;

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// The input as a whole (the sentence says what).
    Whole,
    /// A form field, by its name in the form.
    Field(&'static str),
    /// A field named at run time: a file's column entered through a form.
    Column(String),
    /// A row of a file as the user sees it (the header is row 1), and its column when known.
    Row(u64, Option<String>),
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A campaign without a name.
    CampaignName,
    /// A cell is empty.
    Empty,
    /// A row ends before this column.
    ShortRow,
    /// Not a registry code (Latin letters, digits, `-_.`, up to 40).
    RegistryCode,
    /// Longer than 200 characters.
    TooLong,
    /// A school code met earlier in the same file.
    RepeatedSchoolCode,
    /// A school code that belongs to a school of another municipality.
    SchoolCodeElsewhere(String),
    /// A region the viewer may not write.
    RegionOutOfScope,
    /// The header is not the documented one.
    Columns(String),
    /// A row the CSV reader cannot read.
    NotCsv,
    /// A file without school rows.
    EmptyFile,
    NotUtf8,
    UnreadableXlsx,
    NoSheets,
    /// A workbook beyond the bounds of what it may hold (cells far out, or too much unzipped).
    TooLargeXlsx {
        rows: u32,
        columns: u32,
        megabytes: u64,
    },
    UnreadableSheet,
    /// A file upload that broke off.
    Incomplete,
    NoFile,
    /// Not a campaign code (3–40 lowercase letters, digits, dashes).
    CampaignCode,
    /// Not a date written YYYY-MM-DD.
    Date,
    ClosesBeforeOpens,
    Grades,
    /// Not a whole number from 0 to 10000.
    Count,
    NoSchool,
    SchoolOutOfScope,
    SchoolsOfSeveralRegions,
    /// A code or login someone already has.
    Taken,
    /// A login with other characters than letters, digits and `.-_@`.
    Login,
    /// A name is missing.
    Name,
    /// A password shorter than this.
    ShortPassword(usize),
    WrongPassword,
    /// Too many wrong passwords: try again after this many minutes.
    PasswordsHeld(u64),
    /// Every password check is taken: try again in a moment.
    PasswordsBusy,
    NoRole,
    /// A role without its territory or schools.
    RoleScope,
    LoginTaken,
    /// A group whose raw responses cannot be exported.
    ExportGroup,
    /// A text longer (or shorter) than its field takes.
    Length {
        min: Option<u64>,
        max: Option<u64>,
    },
    /// A value the field does not take.
    Invalid,
    /// Not a number (digits, one `.` or `,`).
    Number,
    /// A date outside the years a campaign can have.
    DateRange,
    /// A school ticked twice.
    RepeatedSchool,
    /// A region, municipality or school that is not in the registry.
    UnknownPlace,
    /// A publication that would add fewer than the minimum of respondents to every group it
    /// could change (the minimum of the smallest group).
    NothingToPublish(u32),
    /// An early publication of a campaign that is published at its close.
    PublishedAtClose,
    /// Results asked for before the campaign's first publication the viewer may read.
    NotPublished,
    /// A programme that already has the most risks a school may choose (or this one).
    TooManyRisks(u32),
    /// A development plan that holds this activity already, or the most it may (this many).
    PlanActivity(u32),
    /// A factor without a score in the profile (or none of the methodology's).
    FactorWithoutData,
    /// A programme submitted or agreed: it changes only when returned.
    ProgrammeLocked,
    /// A step of the agreement the viewer may not take now.
    NotYourStep,
    /// A support step that is not the viewer's, or was taken meanwhile.
    SupportStep,
    /// A feedback code that is wrong, spent, or of a feedback not open.
    FeedbackCode,
    /// A programme without a chosen risk submitted.
    NothingToSubmit,
    /// A decision on a group's surplus where nothing is held.
    NothingHeld,
    /// A code to replace that the school has no live code of.
    NoSuchCode,
    /// A personal code to replace whose questionnaire was sent.
    CodeSent,
    /// A stage report of a programme that is not agreed.
    NotAgreed,
    /// A stage on a date the campaign has a stage on, or one with reports removed.
    StageTaken,
    /// A document of a type not accepted as evidence.
    FileType,
    /// A document larger than this many megabytes.
    FileTooLarge(u64),
    /// A school's documents would take more than its quota of this many MB.
    UploadQuota(u64),
    /// An assessment key or (procedure, subject, grade) the methodology's catalogue lacks.
    UnknownAssessment(String),
    /// A school code or name not in the region's registry.
    UnknownSchool(String),
    /// A search field's text that names none of the viewer's schools.
    NoSuchSchool(String),
    /// A search field's text that fits this many of the viewer's schools.
    SeveralSchools(u32),
    /// Not a percentage from 0 to 100.
    Percent,
    /// Marks (or percentages) that do not add up to the participants.
    MarksSum {
        sum: u32,
        participants: u32,
    },
    /// Students compared with their journal marks are more than the participants.
    ObjectivitySum {
        sum: u32,
        participants: u32,
    },
    /// A school and assessment met earlier in the same file.
    RepeatedResult,
    /// A mean score outside 0 to the assessment's maximum.
    MeanScore(u32),
    /// Not a year from 2000 to 2100.
    Year,
    /// Not one of these values.
    OneOf(String),
    /// A problem worded by the survey engine (an answer of a paper questionnaire).
    Answer(String),
    /// A problem worded where it was found (the paper CLI, in English).
    Other(String),
}

/// One thing wrong with an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: At,
    pub kind: Kind,
}

/// An input refused, with every problem found in it; nothing of it was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub Vec<Problem>);

impl Problem {
    pub fn new(at: At, kind: Kind) -> Problem {
        Problem { at, kind }
    }

    /// The problem as the reader reads it.
    pub fn words(&self, lang: Lang) -> String {
        let reason = self.kind.reason(lang);
        match &self.at {
            At::Whole => reason,
            At::Field(field) => format!("{}: {reason}", field_label(field, lang)),
            At::Column(column) => format!("{column}: {reason}"),
            At::Row(row, None) => match lang {
                Lang::Ru => format!("Строка {row}: {reason}"),
                Lang::En => format!("Row {row}: {reason}"),
            },
            At::Row(row, Some(column)) => match lang {
                Lang::Ru => format!("Строка {row}, столбец {column}: {reason}"),
                Lang::En => format!("Row {row}, column {column}: {reason}"),
            },
        }
    }

    /// The same problem on a one-row form, where a row's column is a field.
    pub fn on_form(self) -> Problem {
        match self.at {
            At::Row(_, Some(column)) => Problem::new(At::Column(column), self.kind),
            _ => self,
        }
    }
}

/// A DTO's `validator` errors as refusals, each naming its field (nested ones, such as a
/// campaign's schools, included), in the order the form shows its fields. A validator's `code`
/// names the `Kind`; a `field` parameter places an error checked on the whole form (or on a list)
/// at the field it is about.
impl From<validator::ValidationErrors> for Refused {
    fn from(errors: validator::ValidationErrors) -> Refused {
        let mut problems = Vec::new();
        collect(&errors, &mut problems);
        let order = |p: &Problem| match &p.at {
            At::Field(f) => FIELDS.iter().position(|(name, ..)| name == f).unwrap_or(0),
            _ => FIELDS.len(),
        };
        problems.sort_by(|a, b| {
            order(a)
                .cmp(&order(b))
                .then_with(|| format!("{:?}", a.at).cmp(&format!("{:?}", b.at)))
        });
        problems.dedup();
        Refused(problems)
    }
}

fn collect(errors: &validator::ValidationErrors, problems: &mut Vec<Problem>) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        match kind {
            ValidationErrorsKind::Field(list) => {
                problems.extend(list.iter().map(|e| problem_of(field, e)));
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, problems),
            ValidationErrorsKind::List(items) => {
                for inner in items.values() {
                    collect(inner, problems);
                }
            }
        }
    }
}

fn problem_of(field: &str, e: &validator::ValidationError) -> Problem {
    let field = e
        .params
        .get("field")
        .and_then(|v| v.as_str())
        .unwrap_or(field);
    let bound = |name: &str| e.params.get(name).and_then(|v| v.as_u64());
    let kind = match e.code.as_ref() {
        "length" => Kind::Length {
            min: bound("min"),
            max: bound("max"),
        },
        "campaign_name" => Kind::CampaignName,
        "campaign_code" => Kind::CampaignCode,
        "date" => Kind::Date,
        "date_range" => Kind::DateRange,
        "closes_before_opens" => Kind::ClosesBeforeOpens,
        "grades" => Kind::Grades,
        "count" => Kind::Count,
        "no_school" => Kind::NoSchool,
        "repeated_school" => Kind::RepeatedSchool,
        "login" => Kind::Login,
        "number" => Kind::Number,
        // Whole sentences: they name what is missing themselves.
        "name" => return Problem::new(At::Whole, Kind::Name),
        "role" => return Problem::new(At::Whole, Kind::NoRole),
        "role_scope" => return Problem::new(At::Whole, Kind::RoleScope),
        "reasoning" => Kind::Empty,
        _ => Kind::Invalid,
    };
    let at = FIELDS.iter().find(|(name, ..)| *name == field).map_or_else(
        || At::Column(field.to_owned()),
        |(name, ..)| At::Field(name),
    );
    Problem::new(at, kind)
}

impl Refused {
    pub fn one(at: At, kind: Kind) -> Refused {
        Refused(vec![Problem::new(at, kind)])
    }

    /// Every problem in words, one per line, at most `max` of them and a line saying how many
    /// more there are.
    pub fn words(&self, lang: Lang, max: usize) -> String {
        let mut lines: Vec<String> = self.0.iter().take(max).map(|p| p.words(lang)).collect();
        let more = self.0.len().saturating_sub(max);
        if more > 0 {
            lines.push(match lang {
                Lang::Ru => format!("…и ещё {more}"),
                Lang::En => format!("…and {more} more"),
            });
        }
        lines.join("\n")
    }
}

/// The coordinators' form fields a problem can be placed at, in the order their forms show
/// them, with their labels (Russian, English).
const FIELDS: &[(&str, &str, &str)] = &[
    ("name", "Название", "Name"),
    ("code", "Код кампании", "Campaign code"),
    ("access_code", "Код доступа", "Access code"),
    ("opens_on", "Начало", "Opens"),
    ("closes_on", "Окончание", "Closes"),
    ("grades", "Классы", "Grades"),
    ("school", "Школы", "Schools"),
    ("teachers", "Учителей (школа)", "Teachers (school)"),
    ("students", "Обучающихся (школа)", "Students (school)"),
    ("parents", "Родителей (школа)", "Parents (school)"),
    ("login", "Логин", "Login"),
    ("display_name", "Имя", "Name"),
    ("password", "Пароль", "Password"),
    ("role", "Роль", "Role"),
    ("region", "Регион", "Region"),
    ("municipality", "Муниципалитет", "Municipality"),
    ("active", "Учётная запись активна", "Account active"),
    ("factor", "Фактор", "Factor"),
    ("reasoning", "Обоснование", "Reasoning"),
    ("goal", "Цель", "Goal"),
    ("tasks", "Задачи", "Tasks"),
    ("action", "Мероприятие", "Measure"),
    (
        "responsible_role",
        "Ответственный (должность)",
        "Responsible (role)",
    ),
    (
        "responsible_name",
        "Ответственный (ФИО)",
        "Responsible (name)",
    ),
    ("starts_on", "Начало", "Start"),
    ("due_on", "Срок", "Deadline"),
    ("expected_result", "Ожидаемый результат", "Expected result"),
    ("status", "Состояние", "Status"),
    ("state", "Состояние", "Status"),
    ("show", "Список", "List"),
    ("status_reason", "Причина", "Reason"),
    ("evidence", "Подтверждение", "Evidence"),
    ("indicator", "Показатель", "Indicator"),
    ("target", "Целевое значение", "Target"),
    ("comment", "Комментарий", "Comment"),
    ("subject", "К чему", "About"),
    ("group", "Группа", "Group"),
    ("decision", "Решение", "Decision"),
    ("title", "Название", "Title"),
    ("analysis", "Анализ", "Analysis"),
    ("file", "Файл", "File"),
    ("stage", "Этап", "Stage"),
    ("agreement", "Кто согласует", "Who agrees"),
    ("body", "Текст", "Text"),
    (
        "measure",
        "Мероприятие программы",
        "Measure of the programme",
    ),
    (
        "kb_question",
        "Вопрос для базы знаний",
        "Question for the knowledge base",
    ),
    (
        "kb_answer",
        "Ответ для базы знаний",
        "Answer for the knowledge base",
    ),
    (
        "days",
        "Срок ответа (рабочих дней)",
        "Target (working days)",
    ),
    ("day", "Дата", "Date"),
    ("mode", "Формат", "Format"),
    ("purpose", "Цель визита", "Purpose"),
    ("findings", "Выводы", "Findings"),
    ("principals", "Директор (человек)", "Principal (people)"),
    ("deputies", "Заместители (человек)", "Deputies (people)"),
    ("others", "Другие (человек)", "Others (people)"),
    ("responsible", "Ответственный", "Responsible"),
    ("answer", "Ответ школы", "The school's answer"),
    ("text", "Текст ответа", "Text of the answer"),
    ("organiser", "Организатор", "Organiser"),
    ("format", "Формат", "Format"),
    ("ends_on", "Окончание", "Ends"),
    ("description", "Описание", "Description"),
    ("cohort", "Категория школ", "Category of schools"),
    ("factors", "Риски", "Risks"),
    ("codes", "Коды школ", "School codes"),
    ("by", "Кого пригласить", "Whom to invite"),
    ("owner", "Чья дорожная карта", "Whose roadmap"),
    ("year", "Год", "Year"),
    ("schools", "Школы (коды)", "Schools (codes)"),
    ("expected", "Ожидаемый результат", "Expected result"),
    ("email", "Адрес электронной почты", "E-mail address"),
    ("attended", "Пришло", "Came"),
    ("step", "Шаг", "Step"),
    ("from", "С даты", "From"),
    ("to", "По дату", "To"),
    ("activity", "Мероприятие из каталога", "Catalogue activity"),
    ("reader", "Кому открыть план", "Whom to show the plan"),
    ("share", "Доступ", "Access"),
    ("signed", "Подпись", "Signature"),
    ("key", "Ключ результата", "Result key"),
];

/// A date of a form (`YYYY-MM-DD`), or the field named.
pub fn form_day(text: &str, field: &'static str) -> Result<surveys::calendar::Day, Refused> {
    text.trim()
        .parse::<surveys::calendar::Day>()
        .map_err(|_| Refused::one(At::Field(field), Kind::Date))
}

/// The label of a form field.
fn field_label(field: &str, lang: Lang) -> &'static str {
    FIELDS
        .iter()
        .find(|(name, ..)| *name == field)
        .map_or(lang.tr("Поле", "Field"), |(_, ru, en)| lang.tr(ru, en))
}

impl Kind {
    /// Why, in the reader's language.
    pub fn reason(&self, lang: Lang) -> String {
        let t = |ru: &str, en: &str| lang.tr(ru, en).to_owned();
        match self {
            Kind::CampaignName => t("укажите название", "enter a name"),
            Kind::NothingToPublish(min) => match lang {
                Lang::Ru => format!(
                    "Публиковать нечего: ни в одной группе со времени прошлой публикации не прибавилось хотя бы {min} ответов. Группа, где прибавилось меньше, остаётся как была опубликована, чтобы по разнице двух публикаций нельзя было узнать ответы нескольких человек."
                ),
                Lang::En => format!(
                    "Nothing to publish: no group has gained at least {min} answers since the last publication. A group that gained fewer stays as it was published, so that the difference of two publications cannot reveal the answers of a few people."
                ),
            },
            Kind::PublishedAtClose => t(
                "Кампания закрыта: её результаты публикуются при закрытии.",
                "The campaign is closed: its results are published at its close.",
            ),
            Kind::NotPublished => t(
                "Результаты кампании ещё не опубликованы: они публикуются при закрытии кампании или раньше — региональным координатором.",
                "The campaign's results are not published yet: they are published at its close or earlier by the regional coordinator.",
            ),
            Kind::TooManyRisks(max) => match lang {
                Lang::Ru => format!("этот риск уже выбран, или выбрано уже {max} — больше нельзя: уберите один, чтобы выбрать другой"),
                Lang::En => format!("this risk is chosen already, or {max} are — no more: drop one to choose another"),
            },
            Kind::PlanActivity(max) => match lang {
                Lang::Ru => format!("это мероприятие уже есть в плане, или в плане уже {max} мероприятий — больше нельзя: удалите ненужное"),
                Lang::En => format!("this activity is in the plan already, or the plan holds {max} — no more: remove one first"),
            },
            Kind::FactorWithoutData => t(
                "у этого фактора в профиле нет данных",
                "this factor has no data in the profile",
            ),
            Kind::SupportStep => t(
                "этот шаг сейчас не ваш или уже сделан — обновите страницу",
                "this step is not yours now, or it was taken meanwhile — reload the page",
            ),
            Kind::FeedbackCode => t(
                "код не подходит: он введён с ошибкой, уже использован, или приём отзывов закрыт",
                "the code does not fit: mistyped, used already, or the feedback is closed",
            ),
            Kind::NotYourStep => t(
                "Этот шаг согласования сейчас не ваш: программу отправляет школа или куратор, согласует тот, кого назначил регион, изменить согласованную можно, открыв её заново.",
                "This step of the agreement is not yours now: the school or its curator submits, whoever the region names agrees, and an agreed programme changes once reopened.",
            ),
            Kind::NothingToSubmit => t(
                "Сначала выберите хотя бы один риск.",
                "Choose at least one risk first.",
            ),
            Kind::ProgrammeLocked => t(
                "Программа отправлена на согласование или согласована: менять её можно, когда её вернут.",
                "The programme is submitted or agreed: it can change once it is returned.",
            ),
            Kind::NotAgreed => t(
                "Отчёт по этапу подают по согласованной программе.",
                "A stage report is filed for an agreed programme.",
            ),
            Kind::StageTaken => t(
                "На эту дату этап уже есть, или по этапу уже поданы отчёты.",
                "There is a stage on that date already, or reports were filed for the stage.",
            ),
            Kind::FileType => t(
                "принимаются PDF, DOCX, XLSX, ODT, ODS, JPEG и PNG",
                "PDF, DOCX, XLSX, ODT, ODS, JPEG and PNG are accepted",
            ),
            Kind::UploadQuota(mb) => match lang {
                Lang::Ru => format!("документы школы заняли бы больше {mb} МБ — её квоты; удалите ненужные или обратитесь к администратору"),
                Lang::En => format!("the school's documents would take more than its quota of {mb} MB; remove some or ask the administrator"),
            },
            Kind::FileTooLarge(mb) => match lang {
                Lang::Ru => format!("файл больше {mb} МБ"),
                Lang::En => format!("the file is larger than {mb} MB"),
            },
            Kind::CodeSent => t(
                "по этому личному коду анкета уже отправлена: код нужен её автору, чтобы открыть отчёт, и больше ничего не открывает",
                "the questionnaire of this personal code was sent: its author needs the code to open the report, and it opens nothing else",
            ),
            Kind::NoSuchCode => t(
                "у школы нет такого действующего кода (возможно, его уже заменили)",
                "the school has no such live code (it may have been replaced already)",
            ),
            Kind::NothingHeld => t(
                "В этой группе нет ответов, ожидающих решения.",
                "This group has no answers awaiting a decision.",
            ),
            Kind::Empty => t("пусто", "empty"),
            Kind::ShortRow => t(
                "нет значения (в строке меньше 6 столбцов)",
                "missing (the row has fewer than 6 columns)",
            ),
            Kind::RegistryCode => t(
                "код: латинские буквы, цифры, - _ . (до 40 знаков)",
                "a code: Latin letters, digits, - _ . (up to 40)",
            ),
            Kind::TooLong => t("не длиннее 200 символов", "at most 200 characters"),
            Kind::RepeatedSchoolCode => t(
                "этот код школы уже встречался выше",
                "this school code appears above already",
            ),
            Kind::SchoolCodeElsewhere(code) => match lang {
                Lang::Ru => format!("код {code} уже занят школой другого муниципалитета"),
                Lang::En => {
                    format!("code {code} belongs to a school of another municipality")
                }
            },
            Kind::RegionOutOfScope => t(
                "регион вне вашей области видимости",
                "a region outside your scope",
            ),
            Kind::Columns(columns) => match lang {
                Lang::Ru => format!("столбцы должны быть {columns}"),
                Lang::En => format!("the columns must be {columns}"),
            },
            Kind::NotCsv => t("не читается как CSV", "not readable as CSV"),
            Kind::EmptyFile => t(
                "Файл пуст: нет ни одной строки со школой",
                "The file is empty: no school rows",
            ),
            Kind::NotUtf8 => t(
                "Файл CSV должен быть в кодировке UTF-8 или Windows-1251",
                "A CSV file must be UTF-8 or Windows-1251",
            ),
            Kind::UnknownAssessment(what) => match lang {
                Lang::Ru => format!("в методике нет такой оценочной процедуры: {what}"),
                Lang::En => format!("the methodology has no such assessment: {what}"),
            },
            Kind::UnknownSchool(what) => match lang {
                Lang::Ru => format!("школы «{what}» нет в реестре региона"),
                Lang::En => format!("«{what}» is not a school of the region's registry"),
            },
            Kind::NoSuchSchool(what) => match lang {
                Lang::Ru => format!("среди ваших школ нет «{what}»: введите код или часть названия"),
                Lang::En => format!("none of your schools is «{what}»: type a code or a part of a name"),
            },
            Kind::SeveralSchools(n) => match lang {
                Lang::Ru => format!("подходят несколько школ ({n}): уточните название или выберите школу из подсказок"),
                Lang::En => format!("{n} schools fit: type more of the name or pick a school from the suggestions"),
            },
            Kind::Percent => t("процент от 0 до 100", "a percentage from 0 to 100"),
            Kind::MarksSum { sum, participants } => match lang {
                Lang::Ru => format!("отметок в сумме {sum}, а участников {participants}"),
                Lang::En => format!("the marks add up to {sum}, but the participants are {participants}"),
            },
            Kind::ObjectivitySum { sum, participants } => match lang {
                Lang::Ru => format!("сравнённых с журналом {sum} — больше, чем участников ({participants})"),
                Lang::En => format!("{sum} compared with the journal: more than the participants ({participants})"),
            },
            Kind::RepeatedResult => t(
                "эта школа и эта процедура уже встречались выше",
                "this school and assessment appear above already",
            ),
            Kind::MeanScore(max) => match lang {
                Lang::Ru => format!("средний балл — число от 0 до {max}"),
                Lang::En => format!("the mean score is a number from 0 to {max}"),
            },
            Kind::Year => t("год — от 2000 до 2100", "a year from 2000 to 2100"),
            Kind::OneOf(values) => match lang {
                Lang::Ru => format!("одно из значений: {values}"),
                Lang::En => format!("one of: {values}"),
            },
            Kind::UnreadableXlsx => t(
                "Не удалось прочитать файл XLSX",
                "Cannot read the XLSX file",
            ),
            Kind::NoSheets => t("В книге нет листов", "The workbook has no sheets"),
            Kind::TooLargeXlsx { rows, columns, megabytes } => match lang {
                Lang::Ru => format!(
                    "Книга слишком велика: не больше {rows} строк и {columns} столбцов, до {megabytes} МБ в распакованном виде"
                ),
                Lang::En => format!(
                    "The workbook is too large: at most {rows} rows and {columns} columns, up to {megabytes} MB unzipped"
                ),
            },
            Kind::UnreadableSheet => t(
                "Не удалось прочитать первый лист",
                "Cannot read the first sheet",
            ),
            Kind::Incomplete => t(
                "Файл не загрузился целиком",
                "The file did not arrive whole",
            ),
            Kind::NoFile => t("Выберите файл CSV или XLSX", "Choose a CSV or XLSX file"),
            Kind::CampaignCode => t(
                "3–40 строчных латинских букв, цифр или дефисов, например vesna-2027",
                "3–40 lowercase Latin letters, digits or dashes, e.g. spring-2027",
            ),
            Kind::Date => t("дата в формате ГГГГ-ММ-ДД", "a date as YYYY-MM-DD"),
            Kind::ClosesBeforeOpens => t("не раньше начала", "not before the opening day"),
            Kind::Grades => t("например 5-11", "e.g. 5-11"),
            Kind::Count => t(
                "целое число от 0 до 10000",
                "a whole number from 0 to 10000",
            ),
            Kind::NoSchool => t("отметьте хотя бы одну школу", "tick at least one school"),
            Kind::SchoolOutOfScope => t(
                "есть школа вне вашей области видимости",
                "a school outside your scope",
            ),
            Kind::SchoolsOfSeveralRegions => t(
                "все школы кампании — из одного региона",
                "all schools of a campaign are of one region",
            ),
            Kind::Taken => t("такой код уже есть", "this code is taken"),
            Kind::Login => t(
                "буквы, цифры и . - _ @, без пробелов",
                "letters, digits and . - _ @, no spaces",
            ),
            Kind::Name => t("Укажите имя", "Enter a name"),
            Kind::ShortPassword(min) => match lang {
                Lang::Ru => format!("Пароль должен быть не короче {min} символов"),
                Lang::En => format!("The password must have at least {min} characters"),
            },
            Kind::WrongPassword => t(
                "Текущий пароль введён неверно",
                "The current password is wrong",
            ),
            Kind::PasswordsHeld(minutes) => match lang {
                Lang::Ru => format!("Слишком много неверных паролей. Попробуйте снова через {minutes} мин."),
                Lang::En => format!("Too many wrong passwords. Try again in {minutes} min."),
            },
            Kind::PasswordsBusy => t(
                "Сервер занят проверкой паролей. Попробуйте через несколько секунд.",
                "The server is busy checking passwords. Try again in a few seconds.",
            ),
            Kind::NoRole => t("Выберите роль", "Choose a role"),
            Kind::RoleScope => t(
                "Для этой роли укажите её территорию или школы",
                "This role needs its territory or schools",
            ),
            Kind::LoginTaken => t("Такой логин уже есть", "This login is taken"),
            Kind::ExportGroup => "principal, teacher, student or parent".to_owned(),
            Kind::Length { min, max } => match (lang, min, max) {
                (Lang::Ru, Some(min), Some(max)) => format!("от {min} до {max} символов"),
                (Lang::En, Some(min), Some(max)) => format!("from {min} to {max} characters"),
                (Lang::Ru, _, Some(max)) => format!("не длиннее {max} символов"),
                (Lang::En, _, Some(max)) => format!("at most {max} characters"),
                (Lang::Ru, Some(min), None) => format!("не короче {min} символов"),
                (Lang::En, Some(min), None) => format!("at least {min} characters"),
                (_, None, None) => t("недопустимая длина", "not an accepted length"),
            },
            Kind::Invalid => t("недопустимое значение", "not an accepted value"),
            Kind::Number => t("число: цифры, дробная часть через , или .", "a number: digits, a fraction after , or ."),
            Kind::DateRange => t(
                "год кампании — от 2000 до 2100",
                "a campaign's year is from 2000 to 2100",
            ),
            Kind::RepeatedSchool => t(
                "одна и та же школа отмечена дважды",
                "the same school is ticked twice",
            ),
            Kind::UnknownPlace => t(
                "такой территории или школы нет в реестре",
                "no such territory or school in the registry",
            ),
            Kind::Answer(text) | Kind::Other(text) => text.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_by_where_it_is() {
        let empty = Problem::new(At::Row(3, Some("region_name".into())), Kind::Empty);
        assert_eq!(
            empty.words(Lang::Ru),
            "Строка 3, столбец region_name: пусто"
        );
        assert_eq!(empty.words(Lang::En), "Row 3, column region_name: empty");
        assert_eq!(empty.on_form().words(Lang::Ru), "region_name: пусто");
        let date = Problem::new(At::Field("closes_on"), Kind::ClosesBeforeOpens);
        assert_eq!(date.words(Lang::Ru), "Окончание: не раньше начала");
    }

    #[test]
    fn a_long_list_is_cut_with_a_count_of_the_rest() {
        let refused = Refused(vec![Problem::new(At::Whole, Kind::NoFile); 3]);
        assert_eq!(
            refused.words(Lang::En, 2),
            "Choose a CSV or XLSX file\nChoose a CSV or XLSX file\n…and 1 more"
        );
    }
}
