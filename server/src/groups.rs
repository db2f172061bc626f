//! What Orientir says about each respondent group, in one table: its name in reports, whom its
//! questionnaire is for, what is stored of an answer and who sees it, and the hint printed
//! beside its code on a school's code sheet.

use app::i18n::Lang;
use surveys::Group;

/// A text in Russian and English.
type Pair = (&'static str, &'static str);

struct GroupText {
    group: Group,
    label: Pair,
    audience: Pair,
    stored: Pair,
    sheet_hint: Pair,
}

/// Anonymous groups promise the same thing; the diagnostic and the principal's form their own.
const STORED_ANONYMOUS: Pair = (
    "Сохраняются только ответы и дата. Результаты показываются обобщённо и только если ответили не меньше {min} человек.",
    "Only answers and the date are stored. Results are shown in summary and only when at least {min} people answered.",
);

const TEXTS: [GroupText; Group::COUNT] = [
    GroupText {
        group: Group::Principal,
        label: ("Руководитель", "Principal"),
        audience: (
            "Для руководителя школы (или его заместителя).",
            "For the principal (or a deputy).",
        ),
        stored: (
            "Сохраняются ответы и дата; их видят куратор и координаторы программы.",
            "Answers and the date are stored; the curator and programme coordinators see them.",
        ),
        sheet_hint: (
            "Личный код руководителя школы.",
            "The principal's personal code.",
        ),
    },
    GroupText {
        group: Group::Teacher,
        label: ("Учителя", "Teachers"),
        audience: (
            "Для всех учителей школы.",
            "For all teachers of the school.",
        ),
        stored: STORED_ANONYMOUS,
        sheet_hint: (
            "Для всех учителей школы; анкета анонимна.",
            "For all teachers of the school; anonymous.",
        ),
    },
    GroupText {
        group: Group::Student,
        label: ("Обучающиеся", "Students"),
        audience: (
            "Для обучающихся 5–11 классов.",
            "For students of grades 5–11.",
        ),
        stored: STORED_ANONYMOUS,
        sheet_hint: (
            "Для всех обучающихся 5–11 классов: раздайте или покажите на уроке.",
            "For all students of grades 5–11: hand out or show in class.",
        ),
    },
    GroupText {
        group: Group::Parent,
        label: ("Родители", "Parents"),
        audience: ("Для родителей обучающихся.", "For students' parents."),
        stored: STORED_ANONYMOUS,
        sheet_hint: (
            "Для родителей: передайте через дневник, чат класса или на собрании.",
            "For parents: pass on through the class chat or at a meeting.",
        ),
    },
    GroupText {
        group: Group::TeacherDeficits,
        label: ("Диагностика учителей", "Teacher diagnostic"),
        audience: (
            "Для учителя: личная диагностика профессиональных умений.",
            "For a teacher: a personal diagnostic of professional skills.",
        ),
        stored: (
            "Сохраняются ответы и дата. Ваш результат видите только вы; школа видит лишь сводку по {min} и более учителям.",
            "Answers and the date are stored. Only you see your result; the school sees only summaries over {min} or more teachers.",
        ),
        sheet_hint: (
            "Личный код одного учителя: результат увидит только он.",
            "One teacher's personal code: only they see the result.",
        ),
    },
    GroupText {
        group: Group::PrincipalManagement,
        label: ("Самодиагностика руководителя", "Principal's self-diagnostic"),
        audience: (
            "Для руководителя школы: личная самодиагностика управленческих компетенций.",
            "For the principal: a personal self-diagnostic of management skills.",
        ),
        stored: (
            "Сохраняются ответы и дата. Ваш результат видите только вы: сводок по этой самодиагностике нет ни у школы, ни у куратора, ни у координаторов.",
            "Answers and the date are stored. Only you see your result: there are no summaries of this self-diagnostic for the school, the curator or coordinators.",
        ),
        sheet_hint: (
            "Личный код руководителя для самодиагностики: результат увидит только он.",
            "The principal's personal code for the self-diagnostic: only they see the result.",
        ),
    },
];

fn text(group: Group) -> &'static GroupText {
    // Every group has its row (a test below checks the table).
    TEXTS.iter().find(|t| t.group == group).unwrap_or(&TEXTS[0])
}

fn pick((ru, en): Pair, lang: Lang) -> &'static str {
    lang.tr(ru, en)
}

/// The group's name in reports and on code sheets.
pub fn label(group: Group, lang: Lang) -> &'static str {
    pick(text(group).label, lang)
}

/// Whom the group's questionnaire is for.
pub fn audience(group: Group, lang: Lang) -> &'static str {
    pick(text(group).audience, lang)
}

/// What is stored of an answer of the group and who sees it, with the methodology's minimum of
/// respondents for the group (`{min}` in the texts).
pub fn stored(group: Group, minimum: u32, lang: Lang) -> String {
    pick(text(group).stored, lang).replace("{min}", &minimum.to_string())
}

/// The hint beside the group's code on a code sheet.
pub fn sheet_hint(group: Group, lang: Lang) -> &'static str {
    pick(text(group).sheet_hint, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_has_its_own_texts() {
        for group in Group::ALL {
            assert_eq!(text(group).group, group);
        }
    }

    #[test]
    fn a_promise_names_the_minimum_the_methodology_sets() {
        let student = stored(Group::Student, 7, Lang::Ru);
        assert!(student.contains("не меньше 7 человек"), "{student}");
        let diagnostic = stored(Group::TeacherDeficits, 3, Lang::En);
        assert!(
            diagnostic.contains("over 3 or more teachers"),
            "{diagnostic}"
        );
        for group in Group::ALL {
            assert!(!stored(group, 5, Lang::Ru).contains('{'));
        }
    }
}
