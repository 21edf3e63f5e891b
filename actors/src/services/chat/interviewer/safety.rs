//! Recognises requests the gift finder must refuse: weapons and ammunition, drugs,
//! explosives, poison, harming someone, anything illegal (Polish and English, inflected
//! forms). Everyday things that share a word are let through by their context: a glue gun
//! ("pistolet do kleju"), a massage gun, a water pistol, a bath bomb ("bomba kąpielowa"),
//! seed bombs, fountain-pen ink cartridges ("naboje do pióra"), "zabić czas", "kill time",
//! murder-mystery games. Knives are kitchen and outdoor tools and are never refused on their
//! own ("nóż do chleba"); the intent words catch "a knife to hurt someone". Air rifles
//! ("wiatrówka"), airsoft and paintball are legal recreational equipment for adults and are
//! not refused either. A word the giver names as something the person dislikes ("nie lubi
//! broni") is not a request.

use super::texts::Refusal;
use super::understanding::{Token, clauses};
use crate::vocabulary::Locale;

enum Form {
    /// The folded word is exactly one of these.
    Exact(&'static [&'static str]),
    /// The folded word starts with this.
    Prefix(&'static str),
}

struct Rule {
    form: Form,
    refusal: Refusal,
    /// Prefixes of nearby words (two before, three after) that make the word innocent.
    innocent: &'static [&'static str],
    /// If not empty, a nearby word must start with one of these for the rule to apply.
    requires: &'static [&'static str],
}

const fn rule(form: Form, refusal: Refusal) -> Rule {
    Rule {
        form,
        refusal,
        innocent: &[],
        requires: &[],
    }
}

const fn unless(form: Form, refusal: Refusal, innocent: &'static [&'static str]) -> Rule {
    Rule {
        form,
        refusal,
        innocent,
        requires: &[],
    }
}

const fn with(form: Form, refusal: Refusal, requires: &'static [&'static str]) -> Rule {
    Rule {
        form,
        refusal,
        innocent: &[],
        requires,
    }
}

const TOOL_GUNS: &[&str] = &[
    "klej",
    "glue",
    "masaz",
    "massage",
    "wod",
    "water",
    "natrysk",
    "malar",
    "malow",
    "paint",
    "silikon",
    "silicon",
    "caulk",
    "zabawk",
    "toy",
    "nerf",
    "kulk",
    "asg",
    "airsoft",
    "paintball",
    "pian",
    "foam",
    "gwozdz",
    "nail",
    "zszyw",
    "staple",
    "gorac",
    "heat",
    "hot",
    "powietrz",
    "air",
    "squirt",
    "spray",
    "bubble",
    "banki",
    "lutow",
    "solder",
    "tatuaz",
    "tattoo",
    "smar",
    "grease",
    "laser",
    "termo",
    "thermo",
    "tag",
    "dmuch",
];

static RULES: &[Rule] = &[
    // weapons and ammunition
    unless(
        Form::Exact(&[
            "bron", "broni", "bronia", "bronie", "broniami", "broniach", "broniom",
        ]),
        Refusal::Weapons,
        &["pneumatyczn", "asg", "airsoft", "paintball", "zabawk"],
    ),
    unless(Form::Prefix("pistolet"), Refusal::Weapons, TOOL_GUNS),
    unless(Form::Prefix("rewolwer"), Refusal::Weapons, TOOL_GUNS),
    unless(
        Form::Exact(&[
            "karabin",
            "karabinu",
            "karabiny",
            "karabinem",
            "karabinow",
            "karabinach",
        ]),
        Refusal::Weapons,
        TOOL_GUNS,
    ),
    unless(Form::Prefix("strzelb"), Refusal::Weapons, TOOL_GUNS),
    rule(Form::Prefix("amunicj"), Refusal::Weapons),
    unless(
        Form::Exact(&[
            "naboj", "naboje", "nabojow", "nabojami", "naboju", "nabojach",
        ]),
        Refusal::Weapons,
        &[
            "pior", "atrament", "tusz", "co2", "syfon", "wod", "gaz", "ink", "pen",
        ],
    ),
    rule(Form::Prefix("kalasznikow"), Refusal::Weapons),
    unless(
        Form::Prefix("weapon"),
        Refusal::Weapons,
        &["toy", "nerf", "foam", "zabawk"],
    ),
    rule(Form::Prefix("firearm"), Refusal::Weapons),
    unless(
        Form::Exact(&["gun", "guns", "handgun", "handguns"]),
        Refusal::Weapons,
        TOOL_GUNS,
    ),
    unless(Form::Prefix("shotgun"), Refusal::Weapons, TOOL_GUNS),
    unless(
        Form::Exact(&["pistol", "pistols"]),
        Refusal::Weapons,
        TOOL_GUNS,
    ),
    unless(
        Form::Exact(&["rifle", "rifles"]),
        Refusal::Weapons,
        TOOL_GUNS,
    ),
    unless(Form::Prefix("revolver"), Refusal::Weapons, TOOL_GUNS),
    rule(Form::Exact(&["ammo", "ammunition"]), Refusal::Weapons),
    unless(
        Form::Exact(&["bullets"]),
        Refusal::Weapons,
        &["journal", "point"],
    ),
    // explosives
    unless(
        Form::Exact(&[
            "granat",
            "granaty",
            "granatu",
            "granatem",
            "granatow",
            "granatami",
        ]),
        Refusal::Explosives,
        &[
            "sok", "owoc", "pestk", "nasion", "juice", "fruit", "kolor", "drzew",
        ],
    ),
    rule(Form::Prefix("grenade"), Refusal::Explosives),
    with(
        Form::Prefix("wybuchow"),
        Refusal::Explosives,
        &["materia", "ladun", "substancj", "urzadzen"],
    ),
    rule(Form::Prefix("dynamit"), Refusal::Explosives),
    rule(Form::Prefix("trotyl"), Refusal::Explosives),
    rule(Form::Exact(&["semtex"]), Refusal::Explosives),
    rule(Form::Prefix("explosive"), Refusal::Explosives),
    rule(Form::Prefix("detonator"), Refusal::Explosives),
    unless(
        Form::Exact(&["bomba", "bomby", "bombe", "bomb", "bombami", "bombs"]),
        Refusal::Explosives,
        &[
            "kapiel", "kul", "witamin", "kalor", "nasien", "nasion", "bath", "seed", "glitter",
            "brokat", "smak", "flavo", "zapach",
        ],
    ),
    // drugs
    rule(Form::Prefix("narkoty"), Refusal::Drugs),
    rule(Form::Prefix("narcotic"), Refusal::Drugs),
    rule(Form::Prefix("dopalacz"), Refusal::Drugs),
    rule(Form::Prefix("kokain"), Refusal::Drugs),
    rule(Form::Prefix("cocaine"), Refusal::Drugs),
    rule(
        Form::Exact(&["heroin", "heroina", "heroiny"]),
        Refusal::Drugs,
    ),
    rule(Form::Prefix("amfetamin"), Refusal::Drugs),
    rule(Form::Prefix("metamfetamin"), Refusal::Drugs),
    rule(Form::Prefix("amphetamin"), Refusal::Drugs),
    rule(Form::Prefix("methamphetamin"), Refusal::Drugs),
    rule(
        Form::Exact(&["meth", "mdma", "lsd", "ecstasy", "ekstazy"]),
        Refusal::Drugs,
    ),
    rule(Form::Prefix("mefedron"), Refusal::Drugs),
    rule(Form::Prefix("marihuan"), Refusal::Drugs),
    rule(Form::Prefix("marijuan"), Refusal::Drugs),
    rule(Form::Prefix("halucynogen"), Refusal::Drugs),
    unless(
        Form::Exact(&["drug", "drugs"]),
        Refusal::Drugs,
        &["store", "test"],
    ),
    // poison
    rule(Form::Prefix("trucizn"), Refusal::Poison),
    rule(Form::Prefix("otru"), Refusal::Poison),
    unless(
        Form::Prefix("poison"),
        Refusal::Poison,
        &["dior", "perfum", "fragrance", "ivy"],
    ),
    rule(Form::Prefix("cyjan"), Refusal::Poison),
    rule(Form::Prefix("cyanid"), Refusal::Poison),
    rule(Form::Prefix("arszenik"), Refusal::Poison),
    rule(Form::Prefix("arsenic"), Refusal::Poison),
    // harming someone
    unless(
        Form::Exact(&[
            "zabic", "zabije", "zabijac", "zabij", "zabicia", "zabila", "zabil",
        ]),
        Refusal::Harm,
        &["czas", "nud", "komar", "much"],
    ),
    rule(Form::Prefix("zamordowa"), Refusal::Harm),
    rule(Form::Prefix("skrzywdz"), Refusal::Harm),
    rule(
        Form::Exact(&["zranic", "zrani", "zranienia", "okaleczyc", "otruc"]),
        Refusal::Harm,
    ),
    unless(
        Form::Exact(&["kill", "killing", "kills"]),
        Refusal::Harm,
        &["time", "bill", "boredom", "bugs", "weeds", "mosquit"],
    ),
    unless(
        Form::Prefix("murder"),
        Refusal::Harm,
        &["myster", "party", "game", "book", "novel", "podcast"],
    ),
    with(
        Form::Exact(&["hurt", "harm", "injure", "poison"]),
        Refusal::Harm,
        &[
            "someone", "somebody", "him", "her", "them", "my", "people", "person", "neighbo",
        ],
    ),
    // anything illegal
    rule(Form::Prefix("nielegaln"), Refusal::Illegal),
    rule(Form::Prefix("illegal"), Refusal::Illegal),
    rule(Form::Prefix("kradzion"), Refusal::Illegal),
    rule(
        Form::Exact(&["ukrasc", "ukradne", "ukradnij", "stolen", "steal"]),
        Refusal::Illegal,
    ),
    rule(Form::Prefix("podrobk"), Refusal::Illegal),
    rule(Form::Prefix("counterfeit"), Refusal::Illegal),
    rule(Form::Prefix("przemyc"), Refusal::Illegal),
    rule(Form::Prefix("przemyt"), Refusal::Illegal),
    rule(Form::Prefix("smuggl"), Refusal::Illegal),
];

fn form_matches(form: &Form, word: &str) -> bool {
    match form {
        Form::Exact(words) => words.contains(&word),
        Form::Prefix(prefix) => word.starts_with(prefix),
    }
}

fn near_any(tokens: &[Token], at: usize, prefixes: &[&str]) -> bool {
    let from = at.saturating_sub(2);
    let to = (at + 4).min(tokens.len());
    tokens
        .get(from..to)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .any(|(i, t)| from + i != at && prefixes.iter().any(|p| t.fold.starts_with(p)))
}

/// Why the answer must be refused, if it must.
pub(super) fn check(answer: &str, locale: Locale) -> Option<Refusal> {
    for clause in clauses(answer, locale) {
        let start = clause.dislike_from.unwrap_or(0);
        for (at, token) in clause.tokens.iter().enumerate() {
            if clause.dislike_from.is_some() && at >= start {
                continue;
            }
            for rule in RULES {
                if !form_matches(&rule.form, &token.fold) {
                    continue;
                }
                if near_any(&clause.tokens, at, rule.innocent) {
                    continue;
                }
                if !rule.requires.is_empty() && !near_any(&clause.tokens, at, rule.requires) {
                    continue;
                }
                return Some(rule.refusal);
            }
        }
    }
    None
}
