//! A school's printable code sheet for a campaign: every group code and personal code with its
//! link, a QR code and a short hint on whom to give it to; and replacing a code that got out
//! (it stops working at once, on every instance, and a new one takes its place on the sheet).

use app::access::Viewer;
use app::i18n::Lang;
use app::reports::{CodeEntry, CodeSheet};
use surveys::Group;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form};
use validator::Validate;

use super::campaign_item;
use crate::access_code;
use crate::error::ServerError;
use crate::groups;
use crate::problem::Refused;
use crate::reply::{refusal_back, see_other_with};
use crate::scope::Gate;

/// The order of a sheet: group codes as respondents meet them, then personal ones.
const ORDER: [Group; Group::COUNT] = [
    Group::Student,
    Group::Parent,
    Group::Teacher,
    Group::Principal,
    Group::PrincipalManagement,
    Group::TeacherDeficits,
];

/// A link as an inline SVG QR code (empty if the link cannot be encoded). The page puts it in
/// as markup (`inner_html`): it holds only the code's modules as shapes, never the link's text.
fn qr_svg(link: &str) -> String {
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(132, 132)
                .build();
            // Inline in the page: without the XML declaration.
            match svg.find("<svg") {
                Some(at) => svg[at..].to_owned(),
                None => svg,
            }
        }
        Err(_) => String::new(),
    }
}

/// The sheet of a school in the viewer's scope, with links under `base`.
pub async fn sheet(
    gate: &Gate,
    viewer: &Viewer,
    campaign: i64,
    school: i64,
    base: &str,
    lang: Lang,
) -> Result<Option<CodeSheet>, ServerError> {
    let Some((in_scope, count)) = gate.school(viewer, campaign, school).await? else {
        return Ok(None);
    };
    let Some(s) = in_scope.schools.first() else {
        return Ok(None);
    };
    let mut codes = gate.access_codes(&in_scope, school).await?;
    codes.sort_by_key(|a| {
        let position = ORDER.iter().position(|g| *g == a.group);
        (position, a.code.clone())
    });
    let entries = codes
        .into_iter()
        .map(|a| {
            let link = format!("{base}/s/{}", a.code);
            CodeEntry {
                group: a.group.key().to_owned(),
                label: groups::label(a.group, lang).into(),
                hint: groups::sheet_hint(a.group, lang).into(),
                qr: qr_svg(&link),
                code: a.code,
                link,
                personal: a.personal,
            }
        })
        .collect();
    Ok(Some(CodeSheet {
        campaign: campaign_item(&in_scope.campaign, count, None),
        school_id: school,
        school: s.name.clone(),
        municipality: s.municipality.clone(),
        entries,
    }))
}

/// The code to replace.
#[derive(serde::Deserialize, Validate)]
pub struct ReplaceForm {
    #[validate(length(min = 1, max = 20))]
    access_code: String,
}

/// `POST /work/campaigns/{id}/schools/{school}/codes/replace`: revokes a code of a school in
/// the viewer's scope and issues a new one for the same group; back to the sheet.
pub async fn replace(
    State(gate): State<Gate>,
    Extension(viewer): Extension<Viewer>,
    Path((campaign, school)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(form): Form<ReplaceForm>,
) -> Result<Response, ServerError> {
    let sheet = format!("/work/campaigns/{campaign}/schools/{school}/codes");
    let replaced = async {
        form.validate().map_err(Refused::from)?;
        let Some(in_scope) = gate.school_alone(&viewer, campaign, school).await? else {
            return Err(ServerError::NotFound);
        };
        let new = access_code::generate(&mut rand::rngs::OsRng);
        gate.replace_code(&in_scope, school, &form.access_code, &new)
            .await?;
        Ok(see_other_with(&sheet, "replaced", &new))
    }
    .await;
    refusal_back(&sheet, &headers, 1, replaced)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_qr_code_holds_shapes_and_none_of_its_links_text() {
        let svg = super::qr_svg("https://x.example/s/<b id=mk>x</b>?\"&'");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(
            !svg.contains("<b") && !svg.contains("mk") && !svg.contains("x.example"),
            "{svg}"
        );
        let tags: std::collections::BTreeSet<&str> = svg
            .split('<')
            .skip(1)
            .filter_map(|t| t.split([' ', '>', '/']).next())
            .filter(|t| !t.is_empty())
            .collect();
        assert!(
            tags.iter().all(|t| ["svg", "rect", "path"].contains(t)),
            "{tags:?}"
        );
    }
}
