//! The app's routes: each is served the shell page, the landing page `/` with its content
//! rendered by the server, the others with an empty `<main>` that the app's scripts fill.

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Landing,
    Login,
    GoogleCallback,
    Start,
    Chat,
    Saved,
    History,
    Profiles,
    Account,
    Admin,
}

impl Page {
    pub const ALL: [Page; 10] = [
        Page::Landing,
        Page::Login,
        Page::GoogleCallback,
        Page::Start,
        Page::Chat,
        Page::Saved,
        Page::History,
        Page::Profiles,
        Page::Account,
        Page::Admin,
    ];

    /// The route, in actix's pattern syntax.
    pub fn route(self) -> &'static str {
        match self {
            Page::Landing => "/",
            Page::Login => "/login",
            Page::GoogleCallback => "/auth/google/callback",
            Page::Start => "/start",
            Page::Chat => "/chat/{chat_id}",
            Page::Saved => "/saved",
            Page::History => "/history",
            Page::Profiles => "/profiles",
            Page::Account => "/account",
            Page::Admin => "/admin",
        }
    }

    /// The page's name in the template (the `nav.<name>` key labels it, when there is one).
    pub fn name(self) -> &'static str {
        match self {
            Page::Landing => "home",
            Page::Login => "login",
            Page::GoogleCallback => "callback",
            Page::Start => "start",
            Page::Chat => "chat",
            Page::Saved => "saved",
            Page::History => "history",
            Page::Profiles => "profiles",
            Page::Account => "account",
            Page::Admin => "admin",
        }
    }
}
