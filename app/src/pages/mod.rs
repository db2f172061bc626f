//! One module per page.

mod home;
mod not_found;
pub mod respond;
pub mod work;

pub use home::{HomePage, HydrationMark};
pub use not_found::{Elsewhere, NotFound};
