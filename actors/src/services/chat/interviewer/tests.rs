//! Whole interviews driven with scripted answers (clicked suggestions and free text, Polish
//! and English), plus the catalogue, safety, stop, saved-profile, budget and persistence
//! properties.

use super::model::Topic;
use super::*;
use crate::knowledge::{interests, text};
use crate::vocabulary::{PersonalInfo, Possessions};

/// How the script answers a question.
#[derive(Debug, Clone, Copy)]
enum A {
    /// Click the n-th suggestion (sends its full sentence).
    Pick(usize),
    /// Type this.
    Say(&'static str),
}

struct Transcript {
    questions: Vec<Question>,
    answers: Vec<String>,
    end: Turn,
    state: InterviewerState,
}

impl Transcript {
    fn result(&self) -> &InterviewResult {
        match &self.end {
            Turn::Finish(result) => result,
            other => panic!("the interview did not finish: {other:?}"),
        }
    }

    fn texts(&self) -> Vec<String> {
        self.questions.iter().map(|q| q.text.clone()).collect()
    }

    fn asked_about(&self, fragment: &str) -> bool {
        self.questions
            .iter()
            .any(|q| text::fold(&q.text).contains(fragment))
    }
}

fn ctx(locale: Locale, occasion: Occasion) -> InterviewContext<'static> {
    InterviewContext {
        occasion,
        locale,
        saved_profile: None,
        saved_key_themes: &[],
    }
}

/// Runs an interview. Each rule (folded fragment of the question text, answer) is used at
/// most once; unmatched questions get the first suggestion, or "I don't know" as free text.
fn drive(
    settings: InterviewSettings,
    ctx: &InterviewContext<'_>,
    rules: &[(&str, A)],
) -> Transcript {
    let interviewer = EmbeddedInterviewer::new(settings);
    let mut state = InterviewerState::default();
    let mut used = vec![false; rules.len()];
    let mut questions = Vec::new();
    let mut answers = Vec::new();
    let mut turn = interviewer.start(ctx, &mut state);
    for _ in 0..100 {
        let Turn::Ask(question) = &turn else {
            break;
        };
        let folded = text::fold(&question.text);
        let rule = rules
            .iter()
            .enumerate()
            .find(|(i, (fragment, _))| !used[*i] && folded.contains(fragment));
        let choice = match rule {
            Some((i, (_, answer))) => {
                used[i] = true;
                *answer
            }
            None => A::Pick(0),
        };
        let answer = match (choice, &question.answers) {
            (A::Say(text), _) => text.to_owned(),
            (A::Pick(n), PotentialAnswers::Select { answers }) => {
                answers[n].answer_full_sentence.clone()
            }
            (A::Pick(_), PotentialAnswers::LongFreeText) => match ctx.locale {
                Locale::Pl => "Nie wiem".to_owned(),
                Locale::En => "I don't know".to_owned(),
            },
        };
        questions.push(question.clone());
        answers.push(answer.clone());
        // The state survives persistence between answers.
        let json = serde_json::to_string(&state).unwrap();
        state = serde_json::from_str(&json).unwrap();
        turn = interviewer.answer(ctx, &mut state, &answer);
    }
    Transcript {
        questions,
        answers,
        end: turn,
        state,
    }
}

fn folded(items: &[String]) -> Vec<String> {
    items.iter().map(|i| text::fold(i)).collect()
}

fn any_contains(items: &[String], fragment: &str) -> bool {
    folded(items).iter().any(|i| i.contains(fragment))
}

const POLISH_LETTERS: &[char] = &['ą', 'ć', 'ę', 'ł', 'ń', 'ó', 'ś', 'ź', 'ż'];

/// The properties every finished interview has.
fn check_common(t: &Transcript, settings: InterviewSettings) {
    let count = t.questions.len() as u32;
    assert!(
        count <= settings.max_questions,
        "{count} questions: {:#?}",
        t.texts()
    );
    assert!(
        count >= settings.min_questions,
        "{count} questions: {:#?}",
        t.texts()
    );
    let mut texts = t.texts();
    texts.sort();
    texts.dedup();
    assert_eq!(
        texts.len(),
        t.questions.len(),
        "a question repeats: {:#?}",
        t.texts()
    );
    for question in &t.questions {
        assert!(
            !question.text.contains('{'),
            "placeholder left: {}",
            question.text
        );
        if let PotentialAnswers::Select { answers } = &question.answers {
            assert_eq!(answers.len(), 4, "{}", question.text);
            for answer in answers {
                let words = answer.answer_short_form.split_whitespace().count();
                assert!(
                    (1..=3).contains(&words),
                    "label {:?}",
                    answer.answer_short_form
                );
                assert!(!answer.answer_full_sentence.trim().is_empty());
            }
        }
    }
    let mut per_topic: Vec<(Topic, usize)> = Vec::new();
    for asked in &t.state.asked {
        match per_topic
            .iter_mut()
            .find(|(topic, _)| *topic == asked.topic)
        {
            Some((_, n)) => *n += 1,
            None => per_topic.push((asked.topic, 1)),
        }
    }
    for (topic, n) in per_topic {
        if topic.life_area().is_some() {
            assert!(n <= 3, "{n} questions about {topic:?}: {:#?}", t.texts());
        }
    }
    let result = t.result();
    let themes = &result.key_themes;
    assert!(themes.len() <= 20, "{} themes: {themes:?}", themes.len());
    for theme in themes {
        let words = theme.split_whitespace().count();
        assert!((1..=4).contains(&words), "theme {theme:?}");
    }
    let mut unique = folded(themes);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), themes.len(), "duplicate themes: {themes:?}");
    for owned in &result.profile.possessions.what_already_has {
        for theme in themes {
            assert!(
                !profile::conflicts(theme, owned),
                "theme {theme:?} is owned ({owned:?})"
            );
        }
    }
}

fn check_english(t: &Transcript) {
    let mut all: Vec<String> = t.texts();
    for question in &t.questions {
        if let PotentialAnswers::Select { answers } = &question.answers {
            for a in answers {
                all.push(a.answer_full_sentence.clone());
                all.push(a.answer_short_form.clone());
            }
        }
    }
    let result = t.result();
    all.extend(result.key_themes.iter().cloned());
    let p = &result.profile;
    all.extend(p.personal_info_description.relationship.clone());
    all.extend(p.personal_info_description.occasion.clone());
    all.extend(p.personal_info_description.gender.clone());
    all.extend(p.lifestyle_description.clone());
    all.extend(p.preferences_description.clone());
    for text in all {
        assert!(
            !text.contains(POLISH_LETTERS),
            "Polish text in an English session: {text}"
        );
    }
}

fn taxonomy_ready() -> bool {
    interests::all().len() >= 50
}

// -------------------------------------------------------------------- recipients (Polish)

#[test]
fn polish_coffee_loving_runner() {
    let settings = InterviewSettings::default();
    let t = drive(
        settings,
        &ctx(Locale::Pl, Occasion::Birthday),
        &[
            ("dla kogo", A::Pick(0)),
            ("kobieta, czy", A::Pick(0)),
            ("w jakim jest wieku", A::Say("Ma 31 lat")),
            (
                "uprawia jakis sport",
                A::Say("Uwielbia biegać, startuje w półmaratonach, a rano zawsze pije kawę"),
            ),
            ("podchodzi do biegania", A::Pick(0)),
            ("lubi gotowac", A::Say("Nie bardzo, raczej nie gotuje")),
            ("nie lubi albo", A::Say("Nie lubi perfum i słodyczy")),
            (
                "juz ma z rzeczy",
                A::Say("Ma już zegarek Garmin i słuchawki, brakuje jej dobrego młynka do kawy"),
            ),
        ],
    );
    check_common(&t, settings);
    assert!(t.texts()[0].contains("urodzin"), "{}", t.texts()[0]);
    let result = t.result();
    let info = &result.profile.personal_info_description;
    assert_eq!(info.relationship.as_deref(), Some("partnerka"));
    assert_eq!(info.gender.as_deref(), Some("kobieta"));
    assert_eq!(info.age_range.as_deref(), Some("26-35"));
    assert_eq!(info.occasion.as_deref(), Some("urodziny"));
    assert!(
        any_contains(&result.key_themes, "bieg"),
        "{:?}",
        result.key_themes
    );
    assert!(
        any_contains(&result.key_themes, "kaw"),
        "{:?}",
        result.key_themes
    );
    let has = &result.profile.possessions.what_already_has;
    assert!(any_contains(has, "zegarek garmin"), "{has:?}");
    assert!(any_contains(has, "sluchawki"), "{has:?}");
    let missing = &result.profile.possessions.what_is_missing;
    assert!(any_contains(missing, "mlynka do kawy"), "{missing:?}");
    assert_eq!(result.profile.dislikes, ["perfumy", "słodycze"]);
    let lifestyle = result
        .profile
        .lifestyle_description
        .clone()
        .unwrap_or_default();
    assert!(lifestyle.contains("półmaratonach"), "{lifestyle}");
    // The running branch followed the sport answer.
    assert!(t.asked_about("podchodzi do biegania"), "{:#?}", t.texts());
    // Nothing the person owns comes back as a theme.
    assert!(
        !any_contains(&result.key_themes, "zegarek sportowy"),
        "{:?}",
        result.key_themes
    );
}

#[test]
fn polish_teenage_gamer() {
    let settings = InterviewSettings::default();
    let t = drive(
        settings,
        &ctx(Locale::Pl, Occasion::Holiday),
        &[
            ("dla kogo", A::Say("Dla mojego syna, ma 15 lat")),
            ("technologia", A::Pick(0)),
            ("na czym najczesciej gra", A::Pick(1)),
            (
                "uprawia jakis sport",
                A::Say("Nie, sport go nie interesuje"),
            ),
            ("nie lubi albo", A::Say("Nie wiem")),
            (
                "juz ma z rzeczy",
                A::Say("Ma PlayStation 5, słuchawki i dwa pady"),
            ),
        ],
    );
    check_common(&t, settings);
    assert!(t.texts()[0].contains("na święta"), "{}", t.texts()[0]);
    // "syn" tells the gender and "15 lat" the age: neither is asked.
    assert!(!t.asked_about("kobieta"), "{:#?}", t.texts());
    assert!(!t.asked_about("w jakim jest wieku"), "{:#?}", t.texts());
    let result = t.result();
    let info = &result.profile.personal_info_description;
    assert_eq!(info.relationship.as_deref(), Some("syn"));
    assert_eq!(info.gender.as_deref(), Some("mężczyzna"));
    assert_eq!(info.age_range.as_deref(), Some("13-17"));
    assert!(
        any_contains(&result.key_themes, "playstation"),
        "{:?}",
        result.key_themes
    );
    assert!(
        any_contains(&result.key_themes, "gry"),
        "{:?}",
        result.key_themes
    );
    assert!(any_contains(
        &result.profile.possessions.what_already_has,
        "playstation 5"
    ));
    assert!(
        !any_contains(&result.key_themes, "konsola"),
        "{:?}",
        result.key_themes
    );
    // A teenager is not asked about drinks or work.
    assert!(!t.asked_about("najchetniej pije"), "{:#?}", t.texts());
    assert!(
        !t.asked_about("zajmuje sie na co dzien"),
        "{:#?}",
        t.texts()
    );
    assert!(t.state.declined.contains(&Topic::Sport));
}

#[test]
fn polish_grandmother_who_gardens_and_bakes() {
    let settings = InterviewSettings::default();
    let t = drive(
        settings,
        &ctx(Locale::Pl, Occasion::JustBecause),
        &[
            ("dla kogo", A::Say("To moja babcia")),
            ("w jakim jest wieku", A::Pick(3)),
            ("domem albo ogrodem", A::Pick(0)),
            ("co najchetniej uprawia", A::Pick(0)),
            (
                "lubi gotowac",
                A::Say("Piecze najlepsze ciasta i pierniki w całej rodzinie"),
            ),
            ("nie lubi albo", A::Pick(0)),
            (
                "juz ma z rzeczy",
                A::Say("Ma już sekator, konewkę i mnóstwo form do pieczenia"),
            ),
        ],
    );
    check_common(&t, settings);
    assert!(t.texts()[0].contains("bez okazji"), "{}", t.texts()[0]);
    let result = t.result();
    let info = &result.profile.personal_info_description;
    assert_eq!(info.relationship.as_deref(), Some("babcia"));
    assert_eq!(info.gender.as_deref(), Some("kobieta"));
    assert_eq!(info.age_range.as_deref(), Some("66+"));
    assert!(
        any_contains(&result.key_themes, "ogrod"),
        "{:?}",
        result.key_themes
    );
    assert!(
        any_contains(&result.key_themes, "piecz") || any_contains(&result.key_themes, "ciast"),
        "{:?}",
        result.key_themes
    );
    assert!(any_contains(&result.profile.dislikes, "elektroniczne"));
    assert!(any_contains(
        &result.profile.possessions.what_already_has,
        "sekator"
    ));
    assert!(
        !any_contains(&result.key_themes, "sekator"),
        "{:?}",
        result.key_themes
    );
    // Baking came from free text and opened its branch.
    assert!(t.asked_about("co najczesciej piecze"), "{:#?}", t.texts());
}

#[test]
fn polish_dog_owner_who_hikes() {
    if !taxonomy_ready() {
        return;
    }
    let settings = InterviewSettings::default();
    let t = drive(
        settings,
        &ctx(Locale::Pl, Occasion::Birthday),
        &[
            ("dla kogo", A::Pick(2)),
            ("kobieta, mezczyzna", A::Pick(1)),
            ("w jakim jest wieku", A::Pick(2)),
            (
                "uprawia jakis sport",
                A::Say("Nie biega, ale w każdy weekend chodzi po górach ze swoim psem"),
            ),
            ("jak duzy jest pies", A::Pick(2)),
            ("nie lubi albo", A::Say("Nie znosi bibelotów")),
            (
                "juz ma z rzeczy",
                A::Say("Ma plecak, kijki trekkingowe i smycz"),
            ),
        ],
    );
    check_common(&t, settings);
    let result = t.result();
    let info = &result.profile.personal_info_description;
    assert_eq!(info.relationship.as_deref(), Some("przyjaciel"));
    assert_eq!(info.age_range.as_deref(), Some("36-50"));
    assert!(any_contains(&result.key_themes, "psa") || any_contains(&result.key_themes, "pies"));
    assert!(
        any_contains(&result.key_themes, "gor") || any_contains(&result.key_themes, "trek"),
        "{:?}",
        result.key_themes
    );
    assert!(
        !any_contains(&result.key_themes, "kijki"),
        "{:?}",
        result.key_themes
    );
    assert!(any_contains(&result.profile.dislikes, "bibelot"));
    let lifestyle = result
        .profile
        .lifestyle_description
        .clone()
        .unwrap_or_default();
    assert!(lifestyle.contains("górach"), "{lifestyle}");
    // "Nie biega" is not running.
    assert!(
        !t.state.interests.iter().any(|i| i == "running"),
        "{:?}",
        t.state.interests
    );
    assert!(t.asked_about("jak duzy jest pies"), "{:#?}", t.texts());
}

#[test]
fn polish_student_who_reads_fantasy_and_plays_guitar() {
    let settings = InterviewSettings::default();
    let t = drive(
        settings,
        &ctx(Locale::Pl, Occasion::Birthday),
        &[
            ("dla kogo", A::Say("Dla przyjaciółki ze studiów")),
            ("w jakim jest wieku", A::Say("21")),
            ("uprawia jakis sport", A::Pick(3)),
            ("lubi gotowac", A::Say("nie wiem")),
            (
                "z kultury",
                A::Say("Czyta mnóstwo książek i gra na gitarze"),
            ),
            ("jakie ksiazki", A::Pick(0)),
            ("nie lubi albo", A::Pick(3)),
            (
                "juz ma z rzeczy",
                A::Say("Ma czytnik Kindle i gitarę akustyczną"),
            ),
        ],
    );
    check_common(&t, settings);
    let result = t.result();
    let info = &result.profile.personal_info_description;
    assert_eq!(info.relationship.as_deref(), Some("przyjaciółka"));
    assert_eq!(info.gender.as_deref(), Some("kobieta"));
    assert_eq!(info.age_range.as_deref(), Some("18-25"));
    assert!(
        any_contains(&result.key_themes, "fantasy"),
        "{:?}",
        result.key_themes
    );
    assert!(
        result.profile.dislikes.is_empty(),
        "{:?}",
        result.profile.dislikes
    );
    assert!(any_contains(
        &result.profile.possessions.what_already_has,
        "gitare akustyczna"
    ));
    assert!(t.state.declined.contains(&Topic::Sport));
    assert!(t.state.declined.contains(&Topic::Food));
    if taxonomy_ready() {
        assert!(
            t.state.interests.iter().any(|i| i == "instruments"),
            "{:?}",
            t.state.interests
        );
    }
}

// -------------------------------------------------------------------- recipients (English)

#[test]
fn english_coffee_loving_runner() {
    let settings = InterviewSettings::default();
    let t = drive(
        settings,
        &ctx(Locale::En, Occasion::Anniversary),
        &[
            ("who are you looking", A::Say("My husband")),
            ("how old", A::Pick(1)),
            (
                "any sport",
                A::Say("He runs marathons and drinks an espresso every morning"),
            ),
            ("how serious", A::Pick(1)),
            ("dislikes", A::Say("He hates scented candles")),
            (
                "for his hobbies",
                A::Say("He already has a Garmin watch and an espresso machine"),
            ),
        ],
    );
    check_common(&t, settings);
    check_english(&t);
    assert!(t.texts()[0].contains("anniversary"), "{}", t.texts()[0]);
    assert!(!t.asked_about("woman or a man"), "{:#?}", t.texts());
    let result = t.result();
    let info = &result.profile.personal_info_description;
    assert_eq!(info.relationship.as_deref(), Some("husband"));
    assert_eq!(info.gender.as_deref(), Some("male"));
    assert_eq!(info.age_range.as_deref(), Some("26-35"));
    assert_eq!(info.occasion.as_deref(), Some("anniversary"));
    assert!(
        any_contains(&result.key_themes, "run"),
        "{:?}",
        result.key_themes
    );
    assert!(
        any_contains(&result.key_themes, "coffee"),
        "{:?}",
        result.key_themes
    );
    assert!(any_contains(&result.profile.dislikes, "scented candles"));
    assert!(any_contains(
        &result.profile.possessions.what_already_has,
        "garmin watch"
    ));
    assert!(
        t.questions
            .iter()
            .any(|q| q.text.contains(" he ") || q.text.contains(" his "))
    );
}

#[test]
fn english_grandmother_gardener() {
    let settings = InterviewSettings::default();
    let t = drive(
        settings,
        &ctx(Locale::En, Occasion::Holiday),
        &[
            ("who are you looking", A::Say("It's for my grandma")),
            ("how old", A::Say("She's 78")),
            (
                "house or garden",
                A::Say("She spends every morning in her garden with the roses"),
            ),
            ("like cooking", A::Pick(1)),
            ("dislikes", A::Pick(0)),
            ("for her hobbies", A::Say("Nothing really")),
        ],
    );
    check_common(&t, settings);
    check_english(&t);
    let result = t.result();
    let info = &result.profile.personal_info_description;
    assert_eq!(info.relationship.as_deref(), Some("grandmother"));
    assert_eq!(info.gender.as_deref(), Some("female"));
    assert_eq!(info.age_range.as_deref(), Some("66+"));
    assert!(
        any_contains(&result.key_themes, "garden"),
        "{:?}",
        result.key_themes
    );
    assert!(!any_contains(
        &result.profile.possessions.what_already_has,
        "nothing"
    ));
    let preferences = result
        .profile
        .preferences_description
        .clone()
        .unwrap_or_default();
    assert!(preferences.contains("roses"), "{preferences}");
}

// -------------------------------------------------------------------- first question

#[test]
fn the_first_question_names_the_occasion_and_offers_four_relationships() {
    let cases = [
        (Locale::Pl, Occasion::Birthday, "urodzin"),
        (Locale::Pl, Occasion::NameDay, "z okazji imienin"),
        (Locale::Pl, Occasion::Anniversary, "rocznicy"),
        (Locale::Pl, Occasion::Holiday, "święta"),
        (Locale::Pl, Occasion::Valentines, "z okazji Walentynek"),
        (Locale::Pl, Occasion::JustBecause, "bez okazji"),
        (Locale::En, Occasion::Birthday, "birthday"),
        (Locale::En, Occasion::NameDay, "name-day"),
        (Locale::En, Occasion::Anniversary, "anniversary"),
        (Locale::En, Occasion::Holiday, "holiday"),
        (Locale::En, Occasion::Valentines, "Valentine's Day"),
        (Locale::En, Occasion::JustBecause, "just-because"),
    ];
    let interviewer = EmbeddedInterviewer::new(InterviewSettings::default());
    for (locale, occasion, word) in cases {
        let mut state = InterviewerState::default();
        let Turn::Ask(question) = interviewer.start(&ctx(locale, occasion), &mut state) else {
            panic!("no first question");
        };
        assert!(question.text.contains(word), "{}", question.text);
        let PotentialAnswers::Select { answers } = &question.answers else {
            panic!("the first question offers suggestions");
        };
        assert_eq!(answers.len(), 4);
        // Starting again repeats the pending question instead of asking a new one.
        assert_eq!(
            interviewer.start(&ctx(locale, occasion), &mut state),
            Turn::Ask(question.clone())
        );
    }
}

#[test]
fn clicking_family_asks_who_exactly() {
    let settings = InterviewSettings::default();
    let t = drive(
        settings,
        &ctx(Locale::Pl, Occasion::Birthday),
        &[
            ("dla kogo", A::Pick(1)),
            ("kto dokladnie", A::Pick(0)),
            ("mama, czy tata", A::Pick(0)),
        ],
    );
    check_common(&t, settings);
    assert!(
        t.texts()[1].starts_with("Kto dokładnie"),
        "{:#?}",
        t.texts()
    );
    assert!(t.texts()[2].contains("mama, czy tata"), "{:#?}", t.texts());
    let info = &t.result().profile.personal_info_description;
    assert_eq!(info.relationship.as_deref(), Some("mama"));
    assert_eq!(info.gender.as_deref(), Some("kobieta"));
}

#[test]
fn gender_is_not_asked_when_the_relationship_tells_it() {
    for answer in ["To moja mama", "Dla żony", "Mój brat", "dla babci"] {
        let t = drive(
            InterviewSettings::default(),
            &ctx(Locale::Pl, Occasion::Birthday),
            &[("dla kogo", A::Say(answer))],
        );
        assert!(!t.asked_about("kobieta"), "{answer}: {:#?}", t.texts());
        assert!(
            !t.asked_about("kto dokladnie"),
            "{answer}: {:#?}",
            t.texts()
        );
        assert!(
            t.result()
                .profile
                .personal_info_description
                .gender
                .is_some()
        );
    }
}

#[test]
fn a_child_under_13_is_asked_the_exact_age_which_separates_toddlers_from_school_children() {
    for (answer, expected) in [
        (A::Say("Kończy roczek"), "0-2"),
        (A::Say("Ma 8 lat"), "3-12"),
        (A::Pick(0), "0-2"),
        (A::Pick(3), "3-12"),
    ] {
        let t = drive(
            InterviewSettings::default(),
            &ctx(Locale::Pl, Occasion::Birthday),
            &[
                ("dla kogo", A::Say("To moja siostrzenica")),
                ("w jakim jest wieku", A::Pick(0)),
                ("ile dokladnie ma lat", answer),
            ],
        );
        assert!(t.asked_about("ile dokladnie ma lat"), "{:#?}", t.texts());
        let info = &t.result().profile.personal_info_description;
        assert_eq!(info.age_range.as_deref(), Some(expected), "{answer:?}");
    }
    // An age said outright needs no follow-up; one said later refines "under 13".
    let t = drive(
        InterviewSettings::default(),
        &ctx(Locale::Pl, Occasion::Birthday),
        &[("dla kogo", A::Say("Mój syn, ma 7 lat"))],
    );
    assert!(!t.asked_about("ile dokladnie"), "{:#?}", t.texts());
    assert_eq!(
        t.result()
            .profile
            .personal_info_description
            .age_range
            .as_deref(),
        Some("3-12")
    );
}

// -------------------------------------------------------------------- safety

#[test]
fn weapons_drugs_poison_and_harm_are_refused() {
    let polish = [
        "Chcę mu kupić pistolet",
        "Najlepiej broń palną i amunicję",
        "Może jakieś narkotyki?",
        "Gdzie kupić truciznę na teściową",
        "Potrzebuję materiałów wybuchowych",
        "Coś, czym mógłbym go zabić",
        "Kradziony telefon, byle tani",
        "Dopalacze",
        "granat ręczny",
    ];
    for answer in polish {
        assert!(safety::check(answer, Locale::Pl).is_some(), "{answer}");
    }
    let english = [
        "a gun",
        "Where can I buy firearms",
        "some ammo",
        "drugs",
        "cocaine",
        "poison for my neighbour",
        "explosives",
        "something to hurt him",
        "anything illegal",
    ];
    for answer in english {
        assert!(safety::check(answer, Locale::En).is_some(), "{answer}");
    }
}

#[test]
fn everyday_items_that_share_a_word_are_not_refused() {
    let innocent = [
        "pistolet do kleju",
        "Pistoletu do masażu nie ma",
        "nóż do chleba",
        "Przydałby się nóż kuchenny",
        "wiatrówka do strzelania do tarczy",
        "bomba kąpielowa",
        "bombki choinkowe",
        "granatowy sweter",
        "karabińczyk wspinaczkowy",
        "Nie lubi broni ani polowania",
        "Lubi zabić czas krzyżówkami",
        "naboje do pióra wiecznego",
        "bronzer i róż",
        "glue gun",
        "massage gun",
        "water gun for the pool",
        "bath bombs",
        "a murder mystery game",
        "something to kill time on the train",
        "a bullet journal",
    ];
    for answer in innocent {
        assert!(safety::check(answer, Locale::Pl).is_none(), "{answer}");
        assert!(safety::check(answer, Locale::En).is_none(), "{answer}");
    }
}

#[test]
fn an_inappropriate_answer_ends_the_interview_with_a_reason_in_the_session_language() {
    let interviewer = EmbeddedInterviewer::new(InterviewSettings::default());
    let context = ctx(Locale::Pl, Occasion::Birthday);
    let mut state = InterviewerState::default();
    interviewer.start(&context, &mut state);
    interviewer.answer(&context, &mut state, "Dla mojego brata");
    let turn = interviewer.answer(&context, &mut state, "Chciałbym kupić mu pistolet i naboje");
    let Turn::Inappropriate { reason } = turn else {
        panic!("expected a refusal, got {turn:?}");
    };
    assert!(reason.contains("broni"), "{reason}");
    assert!(reason.contains(POLISH_LETTERS), "{reason}");
    // The interview stays over.
    assert!(matches!(
        interviewer.answer(&context, &mut state, "To może książka?"),
        Turn::Inappropriate { .. }
    ));

    let context = ctx(Locale::En, Occasion::Birthday);
    let mut state = InterviewerState::default();
    interviewer.start(&context, &mut state);
    let Turn::Inappropriate { reason } = interviewer.answer(
        &context,
        &mut state,
        "My neighbour, I want some drugs for him",
    ) else {
        panic!("expected a refusal");
    };
    assert!(reason.contains("drugs"), "{reason}");

    // A glue gun is a fine gift.
    let context = ctx(Locale::Pl, Occasion::Birthday);
    let mut state = InterviewerState::default();
    interviewer.start(&context, &mut state);
    interviewer.answer(&context, &mut state, "Dla taty");
    let turn = interviewer.answer(&context, &mut state, "Przydałby mu się pistolet do kleju");
    assert!(matches!(turn, Turn::Ask(_)), "{turn:?}");
}

#[test]
fn clicking_any_suggestion_is_never_refused() {
    for locale in [Locale::Pl, Locale::En] {
        for spec in texts::specs() {
            for option in &spec.opts {
                let full = match locale {
                    Locale::Pl => option.pl,
                    Locale::En => option.en,
                };
                assert!(safety::check(full, locale).is_none(), "{full}");
            }
        }
        for interest in interests::all() {
            for idea in interest.ideas(locale) {
                let choice = texts::idea_choice(idea, locale);
                assert!(safety::check(&choice, locale).is_none(), "{choice}");
            }
        }
    }
}

// -------------------------------------------------------------------- stopping

#[test]
fn the_giver_can_stop_early() {
    for (locale, stop) in [
        (Locale::Pl, "Wystarczy, dziękuję"),
        (Locale::Pl, "koniec"),
        (Locale::En, "That's enough"),
        (Locale::En, "stop"),
    ] {
        let interviewer = EmbeddedInterviewer::new(InterviewSettings::default());
        let context = ctx(locale, Occasion::Birthday);
        let mut state = InterviewerState::default();
        interviewer.start(&context, &mut state);
        let turn = interviewer.answer(&context, &mut state, "Dla siostry");
        assert!(matches!(turn, Turn::Ask(_)));
        let Turn::Finish(result) = interviewer.answer(&context, &mut state, stop) else {
            panic!("{stop:?} should finish the interview");
        };
        assert_eq!(state.asked.len(), 2);
        // Nothing was said about the sister's interests: no theme is made up.
        assert!(result.key_themes.is_empty(), "{:?}", result.key_themes);
    }
}

#[test]
fn words_that_only_look_like_stop_do_not_end_the_interview() {
    for answer in [
        "Na koniec dnia zawsze biega po parku z psem",
        "Stoper do biegania już ma",
    ] {
        assert!(!understanding::is_stop_request(answer), "{answer}");
    }
}

// -------------------------------------------------------------------- saved profile

fn saved_profile() -> RecipientProfile {
    RecipientProfile {
        personal_info_description: PersonalInfo {
            relationship: Some("mama".to_owned()),
            occasion: Some("urodziny".to_owned()),
            age_range: Some("51-65".to_owned()),
            gender: Some("kobieta".to_owned()),
        },
        lifestyle_description: Some("Uprawia ogród i codziennie biega.".to_owned()),
        preferences_description: Some("Pije dużo kawy.".to_owned()),
        recent_life_description: None,
        possessions: Possessions {
            what_already_has: vec!["ekspres do kawy".to_owned()],
            what_is_missing: vec!["rękawice ogrodowe".to_owned()],
        },
        dislikes: vec!["perfumy".to_owned()],
    }
}

#[test]
fn a_saved_profile_skips_what_it_knows_and_is_merged() {
    let saved = saved_profile();
    let saved_themes = vec!["sekator do róż".to_owned(), "ekspres do kawy".to_owned()];
    let context = InterviewContext {
        occasion: Occasion::Birthday,
        locale: Locale::Pl,
        saved_profile: Some(&saved),
        saved_key_themes: &saved_themes,
    };
    let settings = InterviewSettings::default();
    let t = drive(
        settings,
        &context,
        &[("zmienilo", A::Say("Zaczęła uczyć się włoskiego"))],
    );
    check_common(&t, settings);
    assert!(!t.asked_about("dla kogo"), "{:#?}", t.texts());
    assert!(!t.asked_about("kobieta"), "{:#?}", t.texts());
    assert!(!t.asked_about("w jakim jest wieku"), "{:#?}", t.texts());
    assert!(
        t.texts()[0].contains("od ostatniego prezentu"),
        "{}",
        t.texts()[0]
    );
    // Areas the saved profile describes are not asked again.
    assert!(!t.asked_about("uprawia jakis sport"), "{:#?}", t.texts());
    assert!(!t.asked_about("domem albo ogrodem"), "{:#?}", t.texts());
    let result = t.result();
    let info = &result.profile.personal_info_description;
    assert_eq!(info.relationship.as_deref(), Some("mama"));
    assert_eq!(info.age_range.as_deref(), Some("51-65"));
    let lifestyle = result
        .profile
        .lifestyle_description
        .clone()
        .unwrap_or_default();
    assert!(lifestyle.starts_with("Uprawia ogród"), "{lifestyle}");
    let recent = result
        .profile
        .recent_life_description
        .clone()
        .unwrap_or_default();
    assert!(recent.contains("włoskiego"), "{recent}");
    assert!(any_contains(
        &result.profile.possessions.what_already_has,
        "ekspres do kawy"
    ));
    assert!(any_contains(
        &result.profile.possessions.what_is_missing,
        "rekawice ogrodowe"
    ));
    assert!(any_contains(&result.profile.dislikes, "perfumy"));
    assert!(
        any_contains(&result.key_themes, "sekator do roz"),
        "{:?}",
        result.key_themes
    );
    // A saved theme the person owns is dropped.
    assert!(
        !any_contains(&result.key_themes, "ekspres do kawy"),
        "{:?}",
        result.key_themes
    );
}

// -------------------------------------------------------------------- budget

#[test]
fn answering_with_the_first_suggestion_always_finishes_within_the_cap() {
    let settings_list = [
        InterviewSettings::default(),
        InterviewSettings {
            max_questions: 8,
            min_questions: 5,
        },
        InterviewSettings {
            max_questions: 20,
            min_questions: 5,
        },
        InterviewSettings {
            max_questions: 30,
            min_questions: 10,
        },
        InterviewSettings {
            max_questions: 3,
            min_questions: 5,
        },
        InterviewSettings {
            max_questions: 1,
            min_questions: 1,
        },
    ];
    for settings in settings_list {
        for locale in [Locale::Pl, Locale::En] {
            for occasion in Occasion::ALL {
                let t = drive(settings, &ctx(locale, occasion), &[]);
                let count = t.questions.len() as u32;
                assert!(count <= settings.max_questions, "{count} > {settings:?}");
                assert!(count >= settings.min_questions.min(settings.max_questions));
                let result = t.result();
                assert!(result.key_themes.len() <= 20);
                for question in &t.questions {
                    if let PotentialAnswers::Select { answers } = &question.answers {
                        assert_eq!(answers.len(), 4, "{}", question.text);
                    }
                }
                if settings == InterviewSettings::default() {
                    check_common(&t, settings);
                    let areas = planner::areas_explored(&t.state);
                    assert!(areas.len() >= 5, "{areas:?}: {:#?}", t.texts());
                    assert!(t.asked_about("nie lubi") || t.asked_about("dislikes"));
                    if locale == Locale::En {
                        check_english(&t);
                    }
                }
            }
        }
    }
}

/// Runs an interview whose answers come from a deterministic sequence: clicks on any
/// suggestion mixed with free-text answers from a pool.
fn sweep(seed: u64, locale: Locale, settings: InterviewSettings) -> Transcript {
    const POOL_PL: &[&str] = &[
        "Nie wiem",
        "Nie",
        "Biega i gra w tenisa",
        "Uwielbia gotować, ale nie znosi pieczenia",
        "Ma psa i dwa koty",
        "Dla mojej siostry, ma 28 lat",
        "Gra na konsoli, czyta fantastykę",
        "Ma już ekspres, czytnik i rower",
        "Nie lubi perfum",
        "Kocha podróże i fotografię",
        "Raczej nie",
        "Ma 70 lat, jest na emeryturze",
    ];
    const POOL_EN: &[&str] = &[
        "I don't know",
        "No",
        "She runs and plays tennis",
        "Loves cooking but hates baking",
        "Has a dog and two cats",
        "For my sister, she's 28",
        "Plays on the console and reads fantasy",
        "Already has an espresso machine, a Kindle and a bike",
        "Doesn't like perfume",
        "Loves travel and photography",
        "Not really",
        "He is 70 and retired",
    ];
    let pool = match locale {
        Locale::Pl => POOL_PL,
        Locale::En => POOL_EN,
    };
    let interviewer = EmbeddedInterviewer::new(settings);
    let context = ctx(locale, Occasion::ALL[seed as usize % Occasion::ALL.len()]);
    let mut state = InterviewerState::default();
    let mut random = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut questions = Vec::new();
    let mut answers = Vec::new();
    let mut turn = interviewer.start(&context, &mut state);
    while let Turn::Ask(question) = &turn {
        assert!(questions.len() < 100, "runaway interview");
        random = random
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let roll = (random >> 33) as usize;
        let answer = match &question.answers {
            PotentialAnswers::Select { answers } if !roll.is_multiple_of(3) => {
                answers[roll % answers.len()].answer_full_sentence.clone()
            }
            _ => pool[roll % pool.len()].to_owned(),
        };
        questions.push(question.clone());
        answers.push(answer.clone());
        turn = interviewer.answer(&context, &mut state, &answer);
    }
    Transcript {
        questions,
        answers,
        end: turn,
        state,
    }
}

#[test]
fn many_mixed_interviews_keep_every_rule() {
    for settings in [
        InterviewSettings::default(),
        InterviewSettings {
            max_questions: 25,
            min_questions: 8,
        },
    ] {
        for locale in [Locale::Pl, Locale::En] {
            for seed in 0..60 {
                let t = sweep(seed, locale, settings);
                check_common(&t, settings);
                if locale == Locale::En {
                    check_english(&t);
                }
            }
        }
    }
}

#[test]
fn answering_every_question_with_i_dont_know_still_finishes() {
    for (locale, answer) in [(Locale::Pl, "nie wiem"), (Locale::En, "no idea")] {
        let settings = InterviewSettings::default();
        let rules: Vec<(&str, A)> = vec![("", A::Say(answer)); 40];
        let t = drive(settings, &ctx(locale, Occasion::Birthday), &rules);
        check_common(&t, settings);
        assert_eq!(t.questions.len() as u32, settings.max_questions);
        let themes = &t.result().key_themes;
        assert!(themes.is_empty(), "invented themes: {themes:?}");
    }
}

#[test]
fn the_interview_adapts_to_free_text_branches() {
    // Cooking → baking or grilling; a pet → dog or cat.
    let t = drive(
        InterviewSettings {
            max_questions: 20,
            min_questions: 5,
        },
        &ctx(Locale::Pl, Occasion::Birthday),
        &[
            ("dla kogo", A::Say("Dla męża")),
            ("w jakim jest wieku", A::Say("40")),
            ("lubi gotowac", A::Pick(0)),
            ("co najchetniej przygotowuje", A::Pick(1)),
            ("czy ma jakies zwierze", A::Pick(1)),
        ],
    );
    assert!(
        t.asked_about("na czym najczesciej grilluje"),
        "{:#?}",
        t.texts()
    );
    assert!(t.asked_about("co najbardziej lubi kot"), "{:#?}", t.texts());
    let result = t.result();
    assert!(
        any_contains(&result.key_themes, "grill"),
        "{:?}",
        result.key_themes
    );
    assert!(
        any_contains(&result.key_themes, "kot"),
        "{:?}",
        result.key_themes
    );
}

// -------------------------------------------------------------------- persistence

#[test]
fn the_state_round_trips_through_json_and_continues_identically() {
    let interviewer = EmbeddedInterviewer::new(InterviewSettings::default());
    let context = ctx(Locale::Pl, Occasion::Birthday);
    let mut state = InterviewerState::default();
    interviewer.start(&context, &mut state);
    interviewer.answer(&context, &mut state, "Dla żony");
    interviewer.answer(&context, &mut state, "Ma 33 lata");
    interviewer.answer(&context, &mut state, "Biega i chodzi na jogę");
    let json = serde_json::to_string(&state).unwrap();
    let restored: InterviewerState = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, state);
    let mut a = state.clone();
    let mut b = restored;
    assert_eq!(
        interviewer.answer(&context, &mut a, "Startuje w zawodach"),
        interviewer.answer(&context, &mut b, "Startuje w zawodach")
    );
    assert_eq!(a, b);
    // An empty JSON object is a fresh state.
    let fresh: InterviewerState = serde_json::from_str("{}").unwrap();
    assert_eq!(fresh, InterviewerState::default());
}

#[test]
fn interviews_are_deterministic() {
    let rules = [
        ("dla kogo", A::Say("Dla mojej dziewczyny")),
        (
            "uprawia jakis sport",
            A::Say("Gra w tenisa i pije dużo herbaty"),
        ),
    ];
    let a = drive(
        InterviewSettings::default(),
        &ctx(Locale::Pl, Occasion::Birthday),
        &rules,
    );
    let b = drive(
        InterviewSettings::default(),
        &ctx(Locale::Pl, Occasion::Birthday),
        &rules,
    );
    assert_eq!(a.texts(), b.texts());
    assert_eq!(a.answers, b.answers);
    assert_eq!(a.end, b.end);
}

// -------------------------------------------------------------------- understanding

#[test]
fn free_text_lists_are_read_into_items() {
    let (has, missing) = understanding::read_possessions(
        "Ma już zegarek Garmin, dobre słuchawki i ekspres do kawy, ale brakuje jej młynka",
        Locale::Pl,
    );
    assert_eq!(
        has,
        ["zegarek Garmin", "dobre słuchawki", "ekspres do kawy"]
    );
    assert_eq!(missing, ["młynka"]);
    let (has, missing) = understanding::read_possessions(
        "She already has a Kindle and lots of notebooks, but she'd love a fountain pen",
        Locale::En,
    );
    assert_eq!(has, ["Kindle", "notebooks"]);
    assert_eq!(missing, ["fountain pen"]);
    assert_eq!(
        understanding::read_dislikes("Nie lubi perfum i skarpetek", Locale::Pl),
        ["perfum", "skarpetek"]
    );
    assert!(understanding::read_dislikes("Nic takiego", Locale::Pl).is_empty());
}

#[test]
fn relationship_gender_and_age_are_read_from_free_text() {
    use super::model::{AgeBracket, Gender, RelKind};
    let cases = [
        ("Dla mojej mamy", RelKind::Parent, Some(Gender::Female)),
        ("dla teściowej", RelKind::ParentInLaw, Some(Gender::Female)),
        ("Kolega z pracy", RelKind::Colleague, Some(Gender::Male)),
        (
            "my sister-in-law",
            RelKind::SiblingInLaw,
            Some(Gender::Female),
        ),
        ("For my wife", RelKind::Wife, Some(Gender::Female)),
        ("mój wnuk", RelKind::Grandchild, Some(Gender::Male)),
    ];
    for (answer, kind, gender) in cases {
        assert_eq!(
            understanding::parse_relation(answer),
            Some((kind, gender)),
            "{answer}"
        );
    }
    assert_eq!(
        understanding::parse_age("Ma 34 lata", false),
        Some(AgeBracket::A26)
    );
    assert_eq!(
        understanding::parse_age("around 70", true),
        Some(AgeBracket::A66)
    );
    assert_eq!(
        understanding::parse_age("Jest nastolatką", false),
        Some(AgeBracket::Teen)
    );
    assert_eq!(
        understanding::parse_age("biega 3 razy w tygodniu", false),
        None
    );
    let t = drive(
        InterviewSettings::default(),
        &ctx(Locale::Pl, Occasion::Birthday),
        &[("dla kogo", A::Say("Dla mojej sąsiadki"))],
    );
    assert_eq!(
        t.result()
            .profile
            .personal_info_description
            .relationship
            .as_deref(),
        Some("sąsiadki")
    );
    assert!(understanding::is_dont_know("Nie mam pojęcia"));
    assert!(understanding::is_dont_know("I don't know"));
    assert!(understanding::is_negative("Raczej nie"));
    assert!(!understanding::is_negative("Raczej tak, biega"));
}

// -------------------------------------------------------------------- catalogue

#[test]
fn the_catalogue_is_well_formed() {
    let mut texts_pl: Vec<&str> = Vec::new();
    for spec in texts::specs() {
        for option in &spec.opts {
            for short in [option.pl_short, option.en_short] {
                let words = short.split_whitespace().count();
                assert!((1..=3).contains(&words), "{}: {short}", spec.key);
            }
            assert!(
                !option.en.contains(POLISH_LETTERS),
                "{}: {}",
                spec.key,
                option.en
            );
            for fx in option.fx {
                match fx {
                    texts::Fx::Interest(id) => {
                        assert!(texts::interest_words(id).is_some(), "{}: {id}", spec.key)
                    }
                    texts::Fx::Next(key) => assert!(texts::spec(key).is_some(), "{key}"),
                    texts::Fx::Theme(pl, en) => {
                        assert!(pl.split_whitespace().count() <= 4, "{pl}");
                        assert!(en.split_whitespace().count() <= 4, "{en}");
                    }
                    _ => {}
                }
            }
        }
        if let Some(then) = spec.then {
            assert!(texts::spec(then).is_some(), "{then}");
        }
        if !spec.key.ends_with("_m") {
            assert!(!texts_pl.contains(&spec.pl), "repeated text {}", spec.pl);
            texts_pl.push(spec.pl);
        }
    }
    for words in texts::all_interest_words() {
        if let Some(key) = texts::followup_for_interest(words.id) {
            assert!(texts::spec(key).is_some(), "{key}");
        }
    }
}

#[test]
fn every_documented_interest_is_in_the_taxonomy() {
    if !taxonomy_ready() {
        return;
    }
    for words in texts::all_interest_words() {
        assert!(interests::by_id(words.id).is_some(), "{} missing", words.id);
    }
}
