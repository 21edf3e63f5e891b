//! Everything the interviewer says, in Polish and English: the fixed questions of every life
//! area with their four suggested answers (and what each answer means), the texts of the
//! generated questions, labels, reasons and fallback themes.
//!
//! Question templates may use pronoun placeholders, filled in by [`render`]:
//! Polish `{jej_gen}` (jej/jego/tej osoby), `{jej_dat}` (jej/mu/tej osobie), `{u_niej}`,
//! `{dla_niej}`; English `{she}`, `{She}`, `{her}` (possessive), `{her_obj}`.

use super::model::{Gender, Topic};
use crate::vocabulary::{Locale, Occasion};

/// What a fixed answer means.
pub(super) enum Fx {
    Interest(&'static str),
    /// A key theme (Polish, English).
    Theme(&'static str, &'static str),
    Has(&'static str, &'static str),
    Missing(&'static str, &'static str),
    Next(&'static str),
    Decline,
    Retired,
}

/// A fixed suggested answer.
pub(super) struct Opt {
    pub(super) pl: &'static str,
    pub(super) pl_short: &'static str,
    pub(super) en: &'static str,
    pub(super) en_short: &'static str,
    /// Words (any language) that reveal this answer in free text.
    pub(super) keys: &'static [&'static str],
    pub(super) fx: &'static [Fx],
}

/// A fixed question: always exactly four answers.
pub(super) struct Spec {
    pub(super) key: &'static str,
    pub(super) topic: Topic,
    pub(super) pl: &'static str,
    pub(super) en: &'static str,
    pub(super) opts: [Opt; 4],
    /// Asked after any informative answer (unless the answer chose its own follow-up).
    pub(super) then: Option<&'static str>,
}

const fn o(
    pl: &'static str,
    pl_short: &'static str,
    en: &'static str,
    en_short: &'static str,
    keys: &'static [&'static str],
    fx: &'static [Fx],
) -> Opt {
    Opt {
        pl,
        pl_short,
        en,
        en_short,
        keys,
        fx,
    }
}

use Fx::{Decline, Has, Interest, Missing, Next, Retired, Theme};

/// The fixed questions. Openers first (one per topic, a few with an age variant), then the
/// follow-ups they branch into.
pub(super) static SPECS: &[Spec] = &[
    // ---------------------------------------------------------------- sport
    Spec {
        key: "sport",
        topic: Topic::Sport,
        pl: "Czy uprawia jakiś sport?",
        en: "Does {she} do any sport?",
        opts: [
            o(
                "Biega kilka razy w tygodniu",
                "Bieganie",
                "Runs a few times a week",
                "Running",
                &["bieg", "run", "jogging"],
                &[Interest("running"), Next("running_level")],
            ),
            o(
                "Regularnie chodzi na siłownię",
                "Siłownia",
                "Goes to the gym regularly",
                "Gym",
                &["silownia", "gym", "trening"],
                &[Interest("fitness"), Next("fitness_where")],
            ),
            o(
                "Jeździ na rowerze",
                "Rower",
                "Rides a bike",
                "Cycling",
                &["rower", "bike", "cycling", "kolarstwo"],
                &[Interest("cycling"), Next("cycling_kind")],
            ),
            o(
                "Raczej nie uprawia sportu",
                "Nie uprawia",
                "Doesn't really do sport",
                "No sport",
                &[],
                &[Decline],
            ),
        ],
        then: None,
    },
    Spec {
        key: "sport_kids",
        topic: Topic::Sport,
        pl: "Jakie zajęcia sportowe lubi najbardziej?",
        en: "What sports does {she} enjoy most?",
        opts: [
            o(
                "Gra w piłkę nożną",
                "Piłka nożna",
                "Plays football",
                "Football",
                &["pilka", "pilke", "football", "soccer"],
                &[Interest("football"), Theme("piłka nożna", "football")],
            ),
            o(
                "Pływa na basenie",
                "Pływanie",
                "Swims at the pool",
                "Swimming",
                &["plywa", "basen", "swim"],
                &[Interest("swimming")],
            ),
            o(
                "Jeździ na rowerze lub hulajnodze",
                "Rower",
                "Rides a bike or a scooter",
                "Bike",
                &["rower", "hulajnog", "bike", "scooter"],
                &[Interest("cycling"), Theme("kask rowerowy", "bike helmet")],
            ),
            o(
                "Tańczy",
                "Taniec",
                "Dances",
                "Dance",
                &["taniec", "tanczy", "dance", "balet", "ballet"],
                &[Theme("strój do tańca", "dancewear")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "running_level",
        topic: Topic::Sport,
        pl: "Jak poważnie podchodzi do biegania?",
        en: "How serious is {she} about running?",
        opts: [
            o(
                "Startuje w zawodach i biega maratony",
                "Zawody",
                "Enters races and runs marathons",
                "Races",
                &["zawod", "maraton", "race", "marathon"],
                &[
                    Theme("kamizelka biegowa", "running vest"),
                    Theme("żele energetyczne", "energy gels"),
                ],
            ),
            o(
                "Biega rekreacyjnie, dla zdrowia",
                "Rekreacyjnie",
                "Runs for fun and fitness",
                "For fun",
                &["rekreacyj", "zdrowi", "fun"],
                &[Theme("pas biegowy", "running belt")],
            ),
            o(
                "Biega po górach i w terenie",
                "Trail",
                "Runs trails in the mountains",
                "Trail running",
                &["trail", "teren", "gor", "mountain"],
                &[
                    Theme("buty trailowe", "trail running shoes"),
                    Theme("czołówka", "head torch"),
                ],
            ),
            o(
                "Dopiero zaczyna biegać",
                "Początkujący",
                "Has just started running",
                "Beginner",
                &["zaczyna", "poczatk", "beginner", "started"],
                &[Theme("koszulka do biegania", "running shirt")],
            ),
        ],
        then: Some("running_gear"),
    },
    Spec {
        key: "running_gear",
        topic: Topic::Sport,
        pl: "Co już ma ze sprzętu do biegania?",
        en: "What running gear does {she} already have?",
        opts: [
            o(
                "Ma już zegarek sportowy",
                "Zegarek",
                "Already has a sports watch",
                "Sports watch",
                &["zegarek", "watch", "garmin"],
                &[Has("zegarek sportowy", "sports watch")],
            ),
            o(
                "Ma tylko buty do biegania",
                "Tylko buty",
                "Only has running shoes",
                "Just shoes",
                &["buty", "shoes"],
                &[
                    Has("buty do biegania", "running shoes"),
                    Missing("zegarek sportowy", "sports watch"),
                ],
            ),
            o(
                "Ma słuchawki do biegania",
                "Słuchawki",
                "Has running headphones",
                "Headphones",
                &["sluchawk", "headphone", "earbud"],
                &[Has("słuchawki sportowe", "sports headphones")],
            ),
            o(
                "Ma praktycznie wszystko",
                "Prawie wszystko",
                "Has pretty much everything",
                "Everything",
                &["wszystko", "everything"],
                &[Theme("skarpety do biegania", "running socks")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "fitness_where",
        topic: Topic::Sport,
        pl: "Jak najczęściej trenuje?",
        en: "How does {she} usually train?",
        opts: [
            o(
                "Dźwiga ciężary na siłowni",
                "Ciężary",
                "Lifts weights at the gym",
                "Weights",
                &["ciezar", "sztang", "weights", "lift"],
                &[
                    Theme("rękawiczki treningowe", "gym gloves"),
                    Theme("torba sportowa", "gym bag"),
                ],
            ),
            o(
                "Ćwiczy w domu",
                "W domu",
                "Works out at home",
                "At home",
                &["dom", "home"],
                &[
                    Theme("hantle regulowane", "adjustable dumbbells"),
                    Theme("mata treningowa", "exercise mat"),
                ],
            ),
            o(
                "Chodzi na crossfit lub zajęcia grupowe",
                "Zajęcia grupowe",
                "Does CrossFit or group classes",
                "Classes",
                &["crossfit", "zajeci", "classes"],
                &[
                    Theme("skakanka treningowa", "speed rope"),
                    Theme("bidon sportowy", "sports bottle"),
                ],
            ),
            o(
                "Ćwiczy jogę lub pilates",
                "Joga",
                "Does yoga or pilates",
                "Yoga",
                &["joga", "jog", "yoga", "pilates"],
                &[Interest("yoga")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "cycling_kind",
        topic: Topic::Sport,
        pl: "Na jakim rowerze jeździ najczęściej?",
        en: "What kind of cycling does {she} do most?",
        opts: [
            o(
                "Jeździ na rowerze szosowym",
                "Szosa",
                "Rides a road bike",
                "Road bike",
                &["szos", "road"],
                &[
                    Theme("akcesoria do roweru szosowego", "road bike accessories"),
                    Theme("licznik rowerowy", "bike computer"),
                ],
            ),
            o(
                "Jeździ na rowerze górskim po szlakach",
                "Rower górski",
                "Rides a mountain bike on trails",
                "Mountain bike",
                &["gorski", "mtb", "mountain"],
                &[
                    Theme("kask rowerowy", "bike helmet"),
                    Theme("ochraniacze rowerowe", "bike protection pads"),
                ],
            ),
            o(
                "Dojeżdża rowerem do pracy",
                "Rower miejski",
                "Commutes by bike",
                "City bike",
                &["miejsk", "dojezdza", "commut", "city"],
                &[
                    Theme("lampki rowerowe", "bike lights"),
                    Theme("zapięcie rowerowe", "bike lock"),
                ],
            ),
            o(
                "Jeździ na długie wyprawy rowerowe",
                "Wyprawy",
                "Goes on long bike tours",
                "Bike touring",
                &["wyprawy", "touring", "tour"],
                &[Theme("sakwy rowerowe", "bike panniers")],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- outdoors
    Spec {
        key: "outdoors",
        topic: Topic::Outdoors,
        pl: "Czy lubi spędzać czas na łonie natury?",
        en: "Does {she} like spending time outdoors?",
        opts: [
            o(
                "Chodzi po górach",
                "Góry",
                "Goes hiking in the mountains",
                "Hiking",
                &["gory", "gor", "szlak", "hik", "trek"],
                &[Interest("hiking"), Next("hiking_style")],
            ),
            o(
                "Jeździ pod namiot i na biwaki",
                "Biwaki",
                "Goes camping",
                "Camping",
                &["namiot", "biwak", "camping", "tent"],
                &[Interest("camping")],
            ),
            o(
                "Łowi ryby",
                "Wędkarstwo",
                "Goes fishing",
                "Fishing",
                &["ryby", "wedk", "fishing", "fish"],
                &[Interest("fishing"), Next("fishing_kind")],
            ),
            o(
                "Woli spędzać czas w domu",
                "Raczej nie",
                "Prefers staying at home",
                "Not really",
                &[],
                &[Decline],
            ),
        ],
        then: None,
    },
    Spec {
        key: "hiking_style",
        topic: Topic::Outdoors,
        pl: "Jakie wędrówki lubi najbardziej?",
        en: "What kind of hikes does {she} enjoy most?",
        opts: [
            o(
                "Chodzi na jednodniowe wędrówki po szlakach",
                "Jednodniowe",
                "Goes on day hikes",
                "Day hikes",
                &["jednodniow", "day"],
                &[
                    Theme("kijki trekkingowe", "trekking poles"),
                    Theme("plecak turystyczny", "hiking daypack"),
                ],
            ),
            o(
                "Wybiera się na kilkudniowe trekkingi",
                "Trekkingi",
                "Goes on multi-day treks",
                "Treks",
                &["kilkudniow", "trekking", "multi"],
                &[
                    Theme("plecak trekkingowy", "trekking backpack"),
                    Theme("lekki śpiwór", "lightweight sleeping bag"),
                ],
            ),
            o(
                "Wspina się i chodzi po via ferratach",
                "Wspinaczka",
                "Climbs and does via ferratas",
                "Climbing",
                &["wspina", "ferrat", "climb"],
                &[Interest("climbing")],
            ),
            o(
                "Chodzi na długie spacery z psem",
                "Spacery z psem",
                "Goes on long walks with the dog",
                "Dog walks",
                &["pies", "psem", "dog"],
                &[Interest("dogs"), Theme("szelki dla psa", "dog harness")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "fishing_kind",
        topic: Topic::Outdoors,
        pl: "Jak najczęściej łowi?",
        en: "How does {she} usually fish?",
        opts: [
            o(
                "Łowi karpie na zasiadkach",
                "Karpiarstwo",
                "Goes on long carp sessions",
                "Carp",
                &["karp", "carp"],
                &[
                    Theme("krzesło karpiowe", "carp chair"),
                    Theme("sygnalizatory brań", "bite alarms"),
                ],
            ),
            o(
                "Łowi na spinning",
                "Spinning",
                "Fishes with spinning lures",
                "Spinning",
                &["spinning", "lure"],
                &[Theme("przynęty spinningowe", "spinning lures")],
            ),
            o(
                "Łowi na spławik",
                "Spławik",
                "Fishes with a float",
                "Float",
                &["splawik", "float"],
                &[Theme("spławiki wędkarskie", "fishing floats")],
            ),
            o(
                "Łowi na muchę",
                "Mucha",
                "Goes fly fishing",
                "Fly fishing",
                &["much", "fly"],
                &[Theme("muchy wędkarskie", "fly fishing flies")],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- home
    Spec {
        key: "home",
        topic: Topic::Home,
        pl: "Czy ma jakąś pasję związaną z domem albo ogrodem?",
        en: "Is {she} into anything around the house or garden?",
        opts: [
            o(
                "Uprawia ogród lub działkę",
                "Ogród",
                "Tends a garden or an allotment",
                "Garden",
                &["ogrod", "dzialk", "garden", "allotment"],
                &[Interest("gardening"), Next("garden_kind")],
            ),
            o(
                "Ma w domu mnóstwo roślin",
                "Rośliny",
                "Has lots of houseplants",
                "Houseplants",
                &["rosliny", "roslin", "houseplant", "plants"],
                &[Interest("houseplants")],
            ),
            o(
                "Lubi majsterkować",
                "Majsterkowanie",
                "Loves DIY and fixing things",
                "DIY",
                &["majsterk", "diy", "narzedzi", "tools"],
                &[Interest("diy_tools"), Next("diy_kind")],
            ),
            o(
                "Lubi urządzać i dekorować wnętrza",
                "Wystrój wnętrz",
                "Loves decorating the home",
                "Home decor",
                &["wnetrz", "dekor", "decor", "wystroj"],
                &[Interest("home_decor")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "garden_kind",
        topic: Topic::Home,
        pl: "Co najchętniej uprawia?",
        en: "What does {she} like growing most?",
        opts: [
            o(
                "Najchętniej uprawia kwiaty, zwłaszcza róże",
                "Kwiaty",
                "Mostly grows flowers, especially roses",
                "Flowers",
                &["kwiat", "roz", "flower", "rose"],
                &[
                    Theme("nasiona kwiatów", "flower seeds"),
                    Theme("sekator do róż", "rose pruner"),
                ],
            ),
            o(
                "Uprawia warzywa i zioła",
                "Warzywa",
                "Grows vegetables and herbs",
                "Vegetables",
                &["warzyw", "ziol", "vegetable", "herb"],
                &[
                    Theme("nasiona warzyw", "vegetable seeds"),
                    Theme("podwyższona grządka", "raised garden bed"),
                ],
            ),
            o(
                "Dba o drzewa owocowe",
                "Sad",
                "Looks after fruit trees",
                "Fruit trees",
                &["drzew", "owoc", "sad", "fruit", "tree"],
                &[Theme("sekator ogrodowy", "garden pruner")],
            ),
            o(
                "Najbardziej dba o trawnik",
                "Trawnik",
                "Mostly looks after the lawn",
                "Lawn",
                &["trawnik", "trawa", "lawn", "grass"],
                &[Theme("nożyce do trawy", "grass shears")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "diy_kind",
        topic: Topic::Home,
        pl: "Przy czym najczęściej majsterkuje?",
        en: "What kind of DIY does {she} do most?",
        opts: [
            o(
                "Obrabia drewno i robi meble",
                "Stolarka",
                "Does woodworking and makes furniture",
                "Woodwork",
                &["drewn", "stolar", "meble", "wood"],
                &[
                    Theme("dłuta do drewna", "wood chisels"),
                    Theme("ściski stolarskie", "woodworking clamps"),
                ],
            ),
            o(
                "Remontuje i naprawia w domu",
                "Remonty",
                "Renovates and fixes things at home",
                "Renovation",
                &["remont", "napraw", "renovat", "fix"],
                &[
                    Theme("wkrętarka akumulatorowa", "cordless drill"),
                    Theme("poziomica laserowa", "laser level"),
                ],
            ),
            o(
                "Naprawia samochody",
                "Motoryzacja",
                "Fixes cars",
                "Cars",
                &["samochod", "auto", "car"],
                &[
                    Interest("cars"),
                    Theme("zestaw kluczy nasadowych", "socket set"),
                ],
            ),
            o(
                "Lutuje i majsterkuje przy elektronice",
                "Elektronika",
                "Tinkers with electronics",
                "Electronics",
                &["elektroni", "lutuj", "electronic", "solder"],
                &[
                    Interest("gadgets"),
                    Theme("stacja lutownicza", "soldering station"),
                ],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- food
    Spec {
        key: "food",
        topic: Topic::Food,
        pl: "Czy lubi gotować?",
        en: "Does {she} like cooking?",
        opts: [
            o(
                "Uwielbia gotować",
                "Gotowanie",
                "Loves cooking",
                "Cooking",
                &["gotuj", "gotowa", "cook"],
                &[Interest("cooking"), Next("cooking_kind")],
            ),
            o(
                "Najbardziej lubi piec ciasta",
                "Pieczenie",
                "Loves baking most",
                "Baking",
                &["piec", "piecz", "ciast", "bak"],
                &[Interest("baking"), Next("baking_kind")],
            ),
            o(
                "Lubi dobrze zjeść, ale rzadko gotuje",
                "Lubi jeść",
                "Loves good food but rarely cooks",
                "Foodie",
                &["zjesc", "jedzeni", "restaurac", "foodie", "eating"],
                &[
                    Theme("voucher do restauracji", "restaurant voucher"),
                    Theme("kosz smakoszy", "gourmet hamper"),
                ],
            ),
            o(
                "Nie przepada za gotowaniem",
                "Nie gotuje",
                "Doesn't enjoy cooking",
                "Doesn't cook",
                &[],
                &[Decline],
            ),
        ],
        then: None,
    },
    Spec {
        key: "cooking_kind",
        topic: Topic::Food,
        pl: "Co najchętniej przygotowuje?",
        en: "What does {she} enjoy making most?",
        opts: [
            o(
                "Piecze ciasta i chleb",
                "Wypieki",
                "Bakes cakes and bread",
                "Baking",
                &["piecz", "ciast", "chleb", "bak", "bread", "cake"],
                &[Interest("baking"), Next("baking_kind")],
            ),
            o(
                "Grilluje i wędzi mięso",
                "Grill",
                "Grills and smokes meat",
                "BBQ",
                &["grill", "wedz", "bbq", "barbecue"],
                &[Interest("grilling"), Next("grill_kind")],
            ),
            o(
                "Gotuje dania kuchni azjatyckiej",
                "Kuchnia azjatycka",
                "Cooks Asian dishes",
                "Asian food",
                &["azjat", "sushi", "asian", "wok"],
                &[
                    Theme("wok", "wok"),
                    Theme("przyprawy azjatyckie", "Asian spices"),
                ],
            ),
            o(
                "Eksperymentuje z kuchniami świata",
                "Kuchnie świata",
                "Experiments with world cuisines",
                "World cuisines",
                &["swiata", "eksperyment", "world", "cuisine"],
                &[
                    Theme("książka kucharska", "cookbook"),
                    Theme("zestaw przypraw", "spice set"),
                ],
            ),
        ],
        then: None,
    },
    Spec {
        key: "baking_kind",
        topic: Topic::Food,
        pl: "Co najczęściej piecze?",
        en: "What does {she} bake most often?",
        opts: [
            o(
                "Piecze ciasta i torty",
                "Ciasta",
                "Bakes cakes and gateaux",
                "Cakes",
                &["ciast", "tort", "cake"],
                &[
                    Theme("formy do ciast", "cake tins"),
                    Theme("akcesoria do dekorowania tortów", "cake decorating set"),
                ],
            ),
            o(
                "Piecze chleb na zakwasie",
                "Chleb",
                "Bakes sourdough bread",
                "Sourdough",
                &["chleb", "zakwas", "bread", "sourdough"],
                &[
                    Theme("koszyk do wyrastania chleba", "bread proofing basket"),
                    Theme("garnek żeliwny", "cast iron pot"),
                ],
            ),
            o(
                "Piecze ciasteczka i pierniki",
                "Ciasteczka",
                "Bakes cookies and gingerbread",
                "Cookies",
                &["ciasteczk", "piernik", "cookie", "gingerbread"],
                &[Theme("foremki do ciastek", "cookie cutters")],
            ),
            o(
                "Robi desery i słodkości",
                "Desery",
                "Makes desserts and sweets",
                "Desserts",
                &["deser", "slodk", "dessert", "sweet"],
                &[Interest("sweets")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "grill_kind",
        topic: Topic::Food,
        pl: "Na czym najczęściej grilluje?",
        en: "What does {she} usually grill on?",
        opts: [
            o(
                "Grilluje na węglu",
                "Węgiel",
                "Grills on charcoal",
                "Charcoal",
                &["wegl", "charcoal"],
                &[
                    Has("grill węglowy", "charcoal grill"),
                    Theme("termometr do mięsa", "meat thermometer"),
                ],
            ),
            o(
                "Ma grill gazowy",
                "Gaz",
                "Has a gas grill",
                "Gas grill",
                &["gaz", "gas"],
                &[
                    Has("grill gazowy", "gas grill"),
                    Theme("akcesoria do grilla", "BBQ tools"),
                ],
            ),
            o(
                "Wędzi mięso i ryby w wędzarni",
                "Wędzarnia",
                "Smokes meat and fish",
                "Smoker",
                &["wedz", "smok"],
                &[Theme("zrębki do wędzenia", "smoking wood chips")],
            ),
            o(
                "Dopiero chce zacząć grillować",
                "Początkujący",
                "Wants to start grilling",
                "Beginner",
                &["zaczac", "poczatk", "start", "beginner"],
                &[
                    Missing("grill", "grill"),
                    Theme("grill węglowy", "charcoal grill"),
                ],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- drinks
    Spec {
        key: "drinks",
        topic: Topic::Drinks,
        pl: "Co najchętniej pije?",
        en: "What does {she} most like to drink?",
        opts: [
            o(
                "Nie wyobraża sobie dnia bez kawy",
                "Kawa",
                "Can't imagine a day without coffee",
                "Coffee",
                &["kaw", "coffee", "espresso"],
                &[Interest("coffee"), Next("coffee_kind")],
            ),
            o(
                "Pije dużo dobrej herbaty",
                "Herbata",
                "Drinks a lot of good tea",
                "Tea",
                &["herbat", "tea", "matcha"],
                &[Interest("tea")],
            ),
            o(
                "Lubi dobre wino",
                "Wino",
                "Enjoys good wine",
                "Wine",
                &["wino", "win", "wine"],
                &[Interest("wine")],
            ),
            o(
                "Lubi piwa kraftowe",
                "Piwo kraftowe",
                "Enjoys craft beer",
                "Craft beer",
                &["piw", "beer", "kraft", "craft"],
                &[Interest("beer")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "coffee_kind",
        topic: Topic::Drinks,
        pl: "Jak najczęściej parzy kawę?",
        en: "How does {she} usually make coffee?",
        opts: [
            o(
                "Ma ekspres ciśnieniowy",
                "Ekspres",
                "Has an espresso machine",
                "Espresso machine",
                &["ekspres", "machine", "espresso"],
                &[
                    Has("ekspres do kawy", "espresso machine"),
                    Theme("kawa speciality", "specialty coffee"),
                ],
            ),
            o(
                "Parzy w dripie lub aeropressie",
                "Drip",
                "Brews with a pour-over or an AeroPress",
                "Pour-over",
                &["drip", "aeropress", "chemex", "pour"],
                &[
                    Theme("ręczny młynek do kawy", "manual coffee grinder"),
                    Theme("waga do kawy", "coffee scale"),
                ],
            ),
            o(
                "Parzy kawę w kawiarce",
                "Kawiarka",
                "Uses a moka pot",
                "Moka pot",
                &["kawiark", "moka"],
                &[
                    Has("kawiarka", "moka pot"),
                    Theme("spieniacz do mleka", "milk frother"),
                ],
            ),
            o(
                "Najchętniej pije kawę na mieście",
                "W kawiarni",
                "Prefers coffee in cafés",
                "Cafés",
                &["kawiarni", "miesci", "cafe"],
                &[
                    Theme("kubek termiczny", "travel mug"),
                    Theme("voucher do kawiarni", "café voucher"),
                ],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- travel
    Spec {
        key: "travel",
        topic: Topic::Travel,
        pl: "Jak lubi podróżować?",
        en: "How does {she} like to travel?",
        opts: [
            o(
                "Zwiedza miasta na weekendowych wypadach",
                "City break",
                "Explores cities on weekend breaks",
                "City breaks",
                &["miast", "city", "weekend", "zwiedza"],
                &[
                    Interest("travel"),
                    Theme("organizer podróżny", "travel organiser"),
                    Next("travel_how"),
                ],
            ),
            o(
                "Podróżuje z plecakiem po świecie",
                "Z plecakiem",
                "Backpacks around the world",
                "Backpacking",
                &["plecak", "backpack", "swiat"],
                &[
                    Interest("travel"),
                    Theme("plecak podróżny", "travel backpack"),
                    Next("travel_how"),
                ],
            ),
            o(
                "Wypoczywa na plaży w ciepłych krajach",
                "Plaża",
                "Relaxes on beaches somewhere warm",
                "Beach",
                &["plaz", "beach", "morze", "sea"],
                &[
                    Interest("travel"),
                    Theme("ręcznik plażowy", "beach towel"),
                    Next("travel_how"),
                ],
            ),
            o(
                "Rzadko podróżuje",
                "Rzadko",
                "Rarely travels",
                "Rarely",
                &[],
                &[Decline],
            ),
        ],
        then: None,
    },
    Spec {
        key: "travel_how",
        topic: Topic::Travel,
        pl: "Czym najczęściej podróżuje?",
        en: "How does {she} usually get around when travelling?",
        opts: [
            o(
                "Lata samolotem z bagażem podręcznym",
                "Samolot",
                "Flies with carry-on luggage",
                "Plane",
                &["samolot", "lata", "plane", "fly", "flies"],
                &[
                    Theme("walizka kabinowa", "cabin suitcase"),
                    Theme("poduszka podróżna", "travel pillow"),
                ],
            ),
            o(
                "Jeździ samochodem",
                "Samochód",
                "Travels by car",
                "Car",
                &["samochod", "auto", "car"],
                &[Theme("organizer samochodowy", "car organiser")],
            ),
            o(
                "Podróżuje kamperem",
                "Kamper",
                "Travels in a camper van",
                "Camper",
                &["kamper", "camper"],
                &[
                    Interest("camping"),
                    Theme("akcesoria kempingowe", "camping accessories"),
                ],
            ),
            o(
                "Jeździ pociągiem",
                "Pociąg",
                "Goes by train",
                "Train",
                &["pociag", "train"],
                &[Theme(
                    "słuchawki z redukcją szumów",
                    "noise-cancelling headphones",
                )],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- culture
    Spec {
        key: "culture",
        topic: Topic::Culture,
        pl: "Co lubi z kultury i rozrywki?",
        en: "What kind of culture and entertainment does {she} enjoy?",
        opts: [
            o(
                "Czyta dużo książek",
                "Książki",
                "Reads a lot of books",
                "Books",
                &["ksiazk", "czyta", "book", "read"],
                &[Interest("reading"), Next("reading_genre")],
            ),
            o(
                "Ciągle słucha muzyki",
                "Muzyka",
                "Listens to music all the time",
                "Music",
                &["muzyk", "music", "slucha"],
                &[Interest("music"), Next("music_kind")],
            ),
            o(
                "Ogląda filmy i seriale",
                "Filmy i seriale",
                "Watches films and series",
                "Films and series",
                &["film", "serial", "kino", "movie", "series"],
                &[Interest("movies")],
            ),
            o(
                "Chodzi do teatru i na koncerty",
                "Teatr i koncerty",
                "Goes to the theatre and concerts",
                "Theatre",
                &["teatr", "koncert", "theatre", "theater", "concert", "opera"],
                &[
                    Interest("theatre"),
                    Theme("bilety do teatru", "theatre tickets"),
                ],
            ),
        ],
        then: None,
    },
    Spec {
        key: "reading_genre",
        topic: Topic::Culture,
        pl: "Jakie książki czyta najchętniej?",
        en: "What books does {she} like best?",
        opts: [
            o(
                "Czyta fantastykę i fantasy",
                "Fantastyka",
                "Reads fantasy and sci-fi",
                "Fantasy",
                &["fantasy", "fantasty", "sci"],
                &[
                    Theme("książki fantasy", "fantasy books"),
                    Theme("ilustrowane wydanie fantasy", "illustrated fantasy edition"),
                ],
            ),
            o(
                "Czyta kryminały i thrillery",
                "Kryminały",
                "Reads crime novels and thrillers",
                "Crime",
                &["krymina", "thriller", "crime"],
                &[Theme("kryminały", "crime novels")],
            ),
            o(
                "Czyta reportaże i biografie",
                "Reportaże",
                "Reads non-fiction and biographies",
                "Non-fiction",
                &["reporta", "biograf", "fiction"],
                &[
                    Theme("reportaże", "non-fiction books"),
                    Theme("biografie", "biographies"),
                ],
            ),
            o(
                "Czyta literaturę piękną",
                "Literatura piękna",
                "Reads literary fiction",
                "Literary fiction",
                &["literatur", "poezj", "literary", "poetry"],
                &[Theme("nowości wydawnicze", "new book releases")],
            ),
        ],
        then: Some("reading_format"),
    },
    Spec {
        key: "reading_format",
        topic: Topic::Culture,
        pl: "Jak najczęściej czyta?",
        en: "How does {she} usually read?",
        opts: [
            o(
                "Czyta na czytniku e-booków",
                "Czytnik",
                "Reads on an e-reader",
                "E-reader",
                &["czytnik", "kindle", "ebook", "reader"],
                &[
                    Has("czytnik e-booków", "e-reader"),
                    Theme("etui na czytnik", "e-reader case"),
                ],
            ),
            o(
                "Czyta tylko papierowe książki",
                "Papier",
                "Only reads paper books",
                "Paper books",
                &["papier", "paper"],
                &[
                    Theme("lampka do czytania", "reading light"),
                    Theme("podpórka do książki", "book stand"),
                ],
            ),
            o(
                "Słucha audiobooków",
                "Audiobooki",
                "Listens to audiobooks",
                "Audiobooks",
                &["audiobook", "audio"],
                &[Theme("abonament na audiobooki", "audiobook subscription")],
            ),
            o(
                "Czyta na telefonie",
                "Telefon",
                "Reads on the phone",
                "Phone",
                &["telefon", "phone", "smartfon"],
                &[
                    Missing("czytnik e-booków", "e-reader"),
                    Theme("czytnik e-booków", "e-reader"),
                ],
            ),
        ],
        then: None,
    },
    Spec {
        key: "music_kind",
        topic: Topic::Culture,
        pl: "Jak najczęściej słucha muzyki?",
        en: "How does {she} usually enjoy music?",
        opts: [
            o(
                "Słucha płyt winylowych",
                "Winyle",
                "Listens to vinyl records",
                "Vinyl",
                &["winyl", "gramofon", "vinyl", "record"],
                &[
                    Has("gramofon", "record player"),
                    Theme("płyty winylowe", "vinyl records"),
                ],
            ),
            o(
                "Słucha na słuchawkach w drodze",
                "Słuchawki",
                "Listens on headphones on the go",
                "Headphones",
                &["sluchawk", "headphone"],
                &[Theme("słuchawki bezprzewodowe", "wireless headphones")],
            ),
            o(
                "Chodzi na koncerty i festiwale",
                "Koncerty",
                "Goes to concerts and festivals",
                "Concerts",
                &["koncert", "festiwal", "concert", "festival"],
                &[Theme("bilety na koncert", "concert tickets")],
            ),
            o(
                "Sam gra na instrumencie",
                "Gra na instrumencie",
                "Plays an instrument",
                "Plays music",
                &["instrument", "gitar", "pianin", "guitar", "piano", "gra"],
                &[Interest("instruments"), Next("instrument_which")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "instrument_which",
        topic: Topic::Culture,
        pl: "Na jakim instrumencie gra?",
        en: "What instrument does {she} play?",
        opts: [
            o(
                "Gra na gitarze",
                "Gitara",
                "Plays the guitar",
                "Guitar",
                &["gitar", "guitar"],
                &[
                    Theme("akcesoria gitarowe", "guitar accessories"),
                    Theme("struny do gitary", "guitar strings"),
                ],
            ),
            o(
                "Gra na pianinie lub keyboardzie",
                "Pianino",
                "Plays the piano or keyboard",
                "Piano",
                &["pianin", "keyboard", "fortepian", "piano"],
                &[
                    Theme("nuty na pianino", "piano sheet music"),
                    Theme("słuchawki studyjne", "studio headphones"),
                ],
            ),
            o(
                "Gra na perkusji",
                "Perkusja",
                "Plays the drums",
                "Drums",
                &["perkusj", "bebn", "drum"],
                &[Theme("pałki perkusyjne", "drumsticks")],
            ),
            o(
                "Gra na ukulele",
                "Ukulele",
                "Plays the ukulele",
                "Ukulele",
                &["ukulele"],
                &[Theme("pokrowiec na ukulele", "ukulele case")],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- tech
    Spec {
        key: "tech",
        topic: Topic::Tech,
        pl: "Czy interesuje się technologią?",
        en: "Is {she} into technology?",
        opts: [
            o(
                "Gra w gry komputerowe lub na konsoli",
                "Gry",
                "Plays computer or console games",
                "Gaming",
                &["gry", "gra", "gier", "konsol", "gaming", "games", "gamer"],
                &[Interest("video_games"), Next("gaming_platform")],
            ),
            o(
                "Uwielbia nowinki i gadżety",
                "Gadżety",
                "Loves new gadgets",
                "Gadgets",
                &["gadzet", "nowink", "gadget"],
                &[Interest("gadgets")],
            ),
            o(
                "Programuje albo pracuje w IT",
                "IT",
                "Codes or works in IT",
                "IT",
                &["program", "informaty", "coding", "developer"],
                &[Interest("programming")],
            ),
            o(
                "Nie przepada za elektroniką",
                "Nie przepada",
                "Isn't into electronics",
                "Not really",
                &[],
                &[Decline],
            ),
        ],
        then: None,
    },
    Spec {
        key: "gaming_platform",
        topic: Topic::Tech,
        pl: "Na czym najczęściej gra?",
        en: "What does {she} play on most?",
        opts: [
            o(
                "Gra na komputerze",
                "PC",
                "Plays on a PC",
                "PC",
                &["komputer", "pc", "laptop"],
                &[
                    Has("komputer do gier", "gaming PC"),
                    Theme("myszka gamingowa", "gaming mouse"),
                    Theme("klawiatura mechaniczna", "mechanical keyboard"),
                ],
            ),
            o(
                "Gra na PlayStation",
                "PlayStation",
                "Plays on PlayStation",
                "PlayStation",
                &["playstation", "ps4", "ps5"],
                &[
                    Has("konsola PlayStation", "PlayStation console"),
                    Theme("gry na PlayStation", "PlayStation games"),
                    Theme("pad do PlayStation", "PlayStation controller"),
                ],
            ),
            o(
                "Gra na Xboksie",
                "Xbox",
                "Plays on Xbox",
                "Xbox",
                &["xbox", "xboks"],
                &[
                    Has("konsola Xbox", "Xbox console"),
                    Theme("gry na Xbox", "Xbox games"),
                    Theme("pad do Xbox", "Xbox controller"),
                ],
            ),
            o(
                "Gra na Nintendo Switch",
                "Switch",
                "Plays on Nintendo Switch",
                "Switch",
                &["nintendo", "switch"],
                &[
                    Has("konsola Nintendo Switch", "Nintendo Switch console"),
                    Theme("gry na Nintendo Switch", "Nintendo Switch games"),
                ],
            ),
        ],
        then: Some("gaming_genre"),
    },
    Spec {
        key: "gaming_genre",
        topic: Topic::Tech,
        pl: "W jakie gry gra najchętniej?",
        en: "What kind of games does {she} like most?",
        opts: [
            o(
                "Gra w strzelanki i gry akcji",
                "Akcja",
                "Plays shooters and action games",
                "Action",
                &["strzelank", "akcj", "shooter", "action", "fps"],
                &[Theme("słuchawki gamingowe", "gaming headset")],
            ),
            o(
                "Gra w RPG i gry przygodowe",
                "RPG",
                "Plays RPGs and adventure games",
                "RPG",
                &["rpg", "przygod", "adventure"],
                &[
                    Theme("gry RPG", "RPG games"),
                    Theme("figurki z gier", "gaming figures"),
                ],
            ),
            o(
                "Gra w gry sportowe i wyścigi",
                "Sportowe",
                "Plays sports and racing games",
                "Sports games",
                &["sportow", "wyscig", "fifa", "racing", "sports"],
                &[Theme("kierownica do gier", "racing wheel")],
            ),
            o(
                "Gra w Minecrafta i gry budowlane",
                "Minecraft",
                "Plays Minecraft and building games",
                "Minecraft",
                &["minecraft", "budowl", "building"],
                &[
                    Theme("gadżety Minecraft", "Minecraft merchandise"),
                    Theme("LEGO Minecraft", "LEGO Minecraft"),
                ],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- work
    Spec {
        key: "work",
        topic: Topic::Work,
        pl: "Czym zajmuje się na co dzień?",
        en: "What does {she} do day to day?",
        opts: [
            o(
                "Pracuje przy biurku lub zdalnie",
                "Biuro",
                "Works at a desk or remotely",
                "Desk job",
                &["biur", "zdaln", "office", "remote", "desk"],
                &[
                    Interest("work_office"),
                    Theme("organizer na biurko", "desk organiser"),
                ],
            ),
            o(
                "Pracuje fizycznie lub w terenie",
                "Praca w terenie",
                "Works physically or on the road",
                "Hands-on job",
                &["fizyczn", "teren", "budow", "physical", "site"],
                &[
                    Theme("termos", "thermos flask"),
                    Theme("latarka czołowa", "head torch"),
                ],
            ),
            o(
                "Studiuje albo się uczy",
                "Nauka",
                "Studies",
                "Studying",
                &["studi", "uczy", "student", "study", "school", "szkol"],
                &[
                    Theme("plecak na laptopa", "laptop backpack"),
                    Theme("planer", "planner"),
                ],
            ),
            o(
                "Jest na emeryturze",
                "Emerytura",
                "Is retired",
                "Retired",
                &["emeryt", "retire", "pension"],
                &[Retired],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- style and beauty
    Spec {
        key: "style",
        topic: Topic::Style,
        pl: "Czy przywiązuje wagę do wyglądu i stylu?",
        en: "Does {she} care about style and looks?",
        opts: [
            o(
                "Lubi modne ubrania i dodatki",
                "Moda",
                "Loves fashionable clothes and accessories",
                "Fashion",
                &["mod", "ubrani", "fashion", "clothes"],
                &[Interest("fashion")],
            ),
            o(
                "Nosi biżuterię",
                "Biżuteria",
                "Wears jewellery",
                "Jewellery",
                &["bizuter", "jewel", "pierscion", "kolczyk", "ring"],
                &[Interest("jewelry")],
            ),
            o(
                "Ceni dobre zegarki",
                "Zegarki",
                "Appreciates good watches",
                "Watches",
                &["zegark", "watch"],
                &[Interest("watches")],
            ),
            o(
                "Dba o pielęgnację i kosmetyki",
                "Kosmetyki",
                "Is into skincare and cosmetics",
                "Cosmetics",
                &["kosmety", "pielegnac", "cosmetic", "skincare", "makijaz"],
                &[Interest("beauty"), Next("beauty_kind")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "beauty_kind",
        topic: Topic::Style,
        pl: "Jakie kosmetyki lubi najbardziej?",
        en: "What kind of cosmetics does {she} like best?",
        opts: [
            o(
                "Najbardziej lubi pielęgnację twarzy",
                "Pielęgnacja twarzy",
                "Loves skincare",
                "Skincare",
                &["twarz", "krem", "skincare", "face"],
                &[Theme("zestaw do pielęgnacji twarzy", "skincare set")],
            ),
            o(
                "Kolekcjonuje perfumy",
                "Perfumy",
                "Collects perfumes",
                "Perfume",
                &["perfum", "zapach", "fragrance"],
                &[Interest("perfume")],
            ),
            o(
                "Lubi nowości do makijażu",
                "Makijaż",
                "Loves make-up",
                "Make-up",
                &["makijaz", "makeup", "make"],
                &[
                    Theme("paleta cieni do powiek", "eyeshadow palette"),
                    Theme("pędzle do makijażu", "make-up brushes"),
                ],
            ),
            o(
                "Woli naturalne kosmetyki",
                "Naturalne",
                "Prefers natural cosmetics",
                "Natural",
                &["naturaln", "natural", "eko", "organic"],
                &[Theme("naturalne kosmetyki", "natural cosmetics")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "beauty_kind_m",
        topic: Topic::Style,
        pl: "Jakie kosmetyki lubi najbardziej?",
        en: "What kind of grooming products does {she} like best?",
        opts: [
            o(
                "Dba o brodę",
                "Broda",
                "Looks after his beard",
                "Beard",
                &["brod", "beard"],
                &[Theme("zestaw do pielęgnacji brody", "beard care kit")],
            ),
            o(
                "Kolekcjonuje perfumy",
                "Perfumy",
                "Collects fragrances",
                "Fragrance",
                &["perfum", "zapach", "fragrance"],
                &[Interest("perfume")],
            ),
            o(
                "Używa dobrych kosmetyków do golenia",
                "Golenie",
                "Uses good shaving products",
                "Shaving",
                &["golen", "brzytw", "shav"],
                &[Theme("zestaw do golenia", "shaving kit")],
            ),
            o(
                "Dba o pielęgnację twarzy",
                "Pielęgnacja twarzy",
                "Takes care of his skin",
                "Skincare",
                &["twarz", "krem", "skincare", "skin"],
                &[Theme("kosmetyki dla mężczyzn", "men's skincare")],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- wellness
    Spec {
        key: "wellness",
        topic: Topic::Wellness,
        pl: "Jak najlepiej odpoczywa?",
        en: "How does {she} like to relax?",
        opts: [
            o(
                "Uwielbia masaże i spa",
                "Spa",
                "Loves massages and spa days",
                "Spa",
                &["masaz", "spa", "massage", "saun"],
                &[Interest("wellness"), Theme("voucher do spa", "spa voucher")],
            ),
            o(
                "Ćwiczy jogę lub medytuje",
                "Joga",
                "Does yoga or meditates",
                "Yoga",
                &["joga", "medyt", "yoga", "meditat"],
                &[Interest("yoga")],
            ),
            o(
                "Odpoczywa przy herbacie i dobrej książce",
                "Herbata i książka",
                "Relaxes with tea and a good book",
                "Tea and books",
                &["herbat", "ksiazk", "tea", "book"],
                &[Interest("tea"), Interest("reading")],
            ),
            o(
                "Najlepiej odpoczywa, gdy się wyśpi",
                "Sen",
                "Recharges with a good night's sleep",
                "Sleep",
                &["sen", "spi", "wysp", "sleep"],
                &[
                    Interest("wellness"),
                    Theme("poduszka ortopedyczna", "ergonomic pillow"),
                    Theme("jedwabna maska do spania", "silk sleep mask"),
                ],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- pets
    Spec {
        key: "pets",
        topic: Topic::Pets,
        pl: "Czy ma jakieś zwierzę?",
        en: "Does {she} have a pet?",
        opts: [
            o(
                "Ma psa",
                "Pies",
                "Has a dog",
                "Dog",
                &[
                    "pies", "psa", "psem", "psy", "psow", "dog", "puppy", "szczeni",
                ],
                &[Interest("dogs"), Next("dog_size")],
            ),
            o(
                "Ma kota",
                "Kot",
                "Has a cat",
                "Cat",
                &["kot", "kota", "koty", "cat", "kitten"],
                &[Interest("cats"), Next("cat_kind")],
            ),
            o(
                "Ma inne zwierzę, np. rybki lub gryzonia",
                "Inne zwierzę",
                "Has another pet, e.g. fish or a rodent",
                "Other pet",
                &[
                    "rybk", "chomik", "swink", "krolik", "papug", "fish", "hamster", "rabbit",
                    "parrot",
                ],
                &[Theme("akcesoria dla zwierząt", "pet accessories")],
            ),
            o(
                "Nie ma zwierząt",
                "Brak",
                "Has no pets",
                "No pets",
                &[],
                &[Decline],
            ),
        ],
        then: None,
    },
    Spec {
        key: "dog_size",
        topic: Topic::Pets,
        pl: "Jak duży jest pies?",
        en: "How big is the dog?",
        opts: [
            o(
                "To mały pies",
                "Mały",
                "It's a small dog",
                "Small",
                &["maly", "mala", "small", "little"],
                &[Theme("legowisko dla małego psa", "small dog bed")],
            ),
            o(
                "To średni pies",
                "Średni",
                "It's a medium-sized dog",
                "Medium",
                &["sredni", "medium"],
                &[Theme("legowisko dla psa", "dog bed")],
            ),
            o(
                "To duży pies",
                "Duży",
                "It's a big dog",
                "Large",
                &["duzy", "duza", "big", "large"],
                &[Theme("legowisko dla dużego psa", "large dog bed")],
            ),
            o(
                "To jeszcze szczeniak",
                "Szczeniak",
                "It's still a puppy",
                "Puppy",
                &["szczeni", "puppy"],
                &[Theme("zabawki dla szczeniaka", "puppy toys")],
            ),
        ],
        then: Some("dog_time"),
    },
    Spec {
        key: "dog_time",
        topic: Topic::Pets,
        pl: "Jak najchętniej spędza czas z psem?",
        en: "How does {she} like spending time with the dog?",
        opts: [
            o(
                "Chodzi z nim na długie spacery i wędrówki",
                "Wędrówki",
                "Goes on long walks and hikes with it",
                "Hikes",
                &["spacer", "wedrow", "gor", "walk", "hike"],
                &[
                    Interest("hiking"),
                    Theme("smycz turystyczna", "hands-free dog lead"),
                    Theme("szelki dla psa", "dog harness"),
                ],
            ),
            o(
                "Trenuje z nim sztuczki i posłuszeństwo",
                "Trening",
                "Trains tricks and obedience with it",
                "Training",
                &["trenuj", "sztuczk", "posluszen", "train", "trick"],
                &[
                    Theme("zabawki interaktywne dla psa", "interactive dog toys"),
                    Theme("saszetka na smakołyki", "treat pouch"),
                ],
            ),
            o(
                "Zabiera go w podróże",
                "Podróże",
                "Takes it on trips",
                "Trips",
                &["podroz", "wyjazd", "trip", "travel"],
                &[Theme("pas bezpieczeństwa dla psa", "dog car harness")],
            ),
            o(
                "Rozpieszcza go zabawkami i smakołykami",
                "Rozpieszcza",
                "Spoils it with toys and treats",
                "Spoiling",
                &["rozpieszcz", "smakolyk", "zabawk", "spoil", "treat", "toy"],
                &[Theme("przysmaki dla psa", "dog treats")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "cat_kind",
        topic: Topic::Pets,
        pl: "Co najbardziej lubi kot?",
        en: "What does the cat love most?",
        opts: [
            o(
                "Uwielbia drapaki i wspinanie się",
                "Drapaki",
                "Loves scratching posts and climbing",
                "Climbing",
                &["drapak", "wspina", "scratch", "climb"],
                &[Theme("drapak dla kota", "cat tree")],
            ),
            o(
                "Bawi się wędkami i piłeczkami",
                "Zabawki",
                "Plays with wands and balls",
                "Toys",
                &["wedk", "pilecz", "zabawk", "toy", "wand", "ball"],
                &[Theme("zabawki dla kota", "cat toys")],
            ),
            o(
                "Lubi wygodne legowiska",
                "Legowiska",
                "Loves cosy beds",
                "Beds",
                &["legowisk", "bed", "spi"],
                &[Theme("legowisko dla kota", "cat bed")],
            ),
            o(
                "Najbardziej lubi smakołyki",
                "Smakołyki",
                "Lives for treats",
                "Treats",
                &["smakolyk", "przysmak", "treat"],
                &[Theme("przysmaki dla kota", "cat treats")],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- hobbies
    Spec {
        key: "hobbies",
        topic: Topic::Hobbies,
        pl: "Czy ma hobby, któremu poświęca dużo czasu?",
        en: "Does {she} have a hobby that takes up a lot of time?",
        opts: [
            o(
                "Gra w gry planszowe",
                "Planszówki",
                "Plays board games",
                "Board games",
                &["plansz", "board"],
                &[Interest("board_games"), Next("boardgame_kind")],
            ),
            o(
                "Fotografuje",
                "Fotografia",
                "Takes photos",
                "Photography",
                &["fotograf", "zdjec", "aparat", "photo", "camera"],
                &[Interest("photography"), Next("photo_kind")],
            ),
            o(
                "Szyje, robi na drutach albo szydełkuje",
                "Rękodzieło",
                "Sews, knits or crochets",
                "Crafts",
                &[
                    "szyj",
                    "drut",
                    "szydel",
                    "rekodziel",
                    "sew",
                    "knit",
                    "crochet",
                ],
                &[Interest("crafts")],
            ),
            o(
                "Składa modele i klocki LEGO",
                "LEGO",
                "Builds models and LEGO",
                "LEGO",
                &["lego", "klock", "model"],
                &[Interest("lego")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "boardgame_kind",
        topic: Topic::Hobbies,
        pl: "Jakie gry planszowe lubi najbardziej?",
        en: "What board games does {she} like best?",
        opts: [
            o(
                "Gra w rozbudowane gry strategiczne",
                "Strategiczne",
                "Plays heavy strategy games",
                "Strategy",
                &["strateg", "strategy"],
                &[Theme("gra strategiczna", "strategy board game")],
            ),
            o(
                "Gra w gry imprezowe ze znajomymi",
                "Imprezowe",
                "Plays party games with friends",
                "Party games",
                &["imprez", "party"],
                &[Theme("gra imprezowa", "party game")],
            ),
            o(
                "Gra w gry kooperacyjne",
                "Kooperacyjne",
                "Plays cooperative games",
                "Co-op",
                &["kooperac", "coop", "cooperative"],
                &[Theme("gra kooperacyjna", "cooperative board game")],
            ),
            o(
                "Gra w RPG przy stole",
                "RPG",
                "Plays tabletop RPGs",
                "Tabletop RPG",
                &["rpg", "dnd", "dungeons"],
                &[Theme("kości do RPG", "RPG dice set")],
            ),
        ],
        then: None,
    },
    Spec {
        key: "photo_kind",
        topic: Topic::Hobbies,
        pl: "Czym najczęściej fotografuje?",
        en: "What does {she} usually shoot with?",
        opts: [
            o(
                "Fotografuje aparatem z wymienną optyką",
                "Aparat",
                "Uses a camera with interchangeable lenses",
                "Camera",
                &["aparat", "lustrzank", "bezlusterk", "camera", "dslr"],
                &[
                    Has("aparat fotograficzny", "camera"),
                    Theme("torba fotograficzna", "camera bag"),
                    Theme("statyw", "tripod"),
                ],
            ),
            o(
                "Fotografuje telefonem",
                "Telefon",
                "Shoots on the phone",
                "Phone",
                &["telefon", "smartfon", "phone"],
                &[
                    Theme("gimbal do telefonu", "phone gimbal"),
                    Theme("obiektywy do telefonu", "phone lens kit"),
                ],
            ),
            o(
                "Robi zdjęcia analogowe",
                "Analog",
                "Shoots on film",
                "Film",
                &["analog", "klisz", "film"],
                &[Theme("klisze fotograficzne", "camera film")],
            ),
            o(
                "Nagrywa filmy dronem",
                "Dron",
                "Flies a drone",
                "Drone",
                &["dron", "drone"],
                &[
                    Has("dron", "drone"),
                    Theme("akumulator do drona", "drone battery"),
                ],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- learning
    Spec {
        key: "learning",
        topic: Topic::Learning,
        pl: "Czy lubi uczyć się nowych rzeczy?",
        en: "Does {she} enjoy learning new things?",
        opts: [
            o(
                "Uczy się języków obcych",
                "Języki",
                "Learns foreign languages",
                "Languages",
                &["jezyk", "language", "angielsk", "hiszpan"],
                &[Interest("languages")],
            ),
            o(
                "Pasjonuje się historią",
                "Historia",
                "Is passionate about history",
                "History",
                &["histor"],
                &[Interest("history")],
            ),
            o(
                "Interesuje się nauką i kosmosem",
                "Nauka",
                "Is into science and space",
                "Science",
                &["nauk", "kosmos", "astronom", "science", "space"],
                &[Interest("science")],
            ),
            o(
                "Lubi łamigłówki i zagadki",
                "Łamigłówki",
                "Loves puzzles and brain teasers",
                "Puzzles",
                &["lamiglow", "zagadk", "puzzl", "sudoku", "krzyzowk"],
                &[Interest("puzzles")],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- children's play
    Spec {
        key: "play",
        topic: Topic::Play,
        pl: "Czym najchętniej się bawi?",
        en: "What does {she} love playing with?",
        opts: [
            o(
                "Buduje z klocków LEGO",
                "LEGO",
                "Builds with LEGO",
                "LEGO",
                &["lego", "klock"],
                &[Interest("lego"), Interest("kids_toys")],
            ),
            o(
                "Gra w gry planszowe i układa puzzle",
                "Planszówki",
                "Plays board games and puzzles",
                "Board games",
                &["plansz", "puzzl", "board"],
                &[Interest("board_games"), Interest("puzzles")],
            ),
            o(
                "Rysuje i maluje",
                "Rysowanie",
                "Draws and paints",
                "Drawing",
                &["rysuj", "maluj", "draw", "paint"],
                &[
                    Interest("art"),
                    Theme("zestaw do malowania", "painting set"),
                ],
            ),
            o(
                "Bawi się na dworze: rower, hulajnoga, piłka",
                "Na dworze",
                "Plays outside: bike, scooter, ball",
                "Outdoors",
                &["dwor", "hulajnog", "pilk", "outside", "scooter"],
                &[
                    Interest("kids_toys"),
                    Theme("hulajnoga", "kick scooter"),
                    Theme("piłka", "ball"),
                ],
            ),
        ],
        then: None,
    },
    // ---------------------------------------------------------------- recent news
    Spec {
        key: "recent",
        topic: Topic::Recent,
        pl: "Czy ostatnio wydarzyło się {u_niej} coś nowego?",
        en: "Has anything changed in {her} life recently?",
        opts: [
            o(
                "Urządza nowe mieszkanie",
                "Nowe mieszkanie",
                "Is setting up a new home",
                "New home",
                &["mieszkani", "przeprowadz", "dom", "home", "moved", "flat"],
                &[
                    Interest("home_decor"),
                    Theme("dekoracje do mieszkania", "home decorations"),
                ],
            ),
            o(
                "Zaczyna nową pracę",
                "Nowa praca",
                "Is starting a new job",
                "New job",
                &["prac", "awans", "job", "promotion"],
                &[
                    Interest("work_office"),
                    Theme("torba na laptopa", "laptop bag"),
                ],
            ),
            o(
                "Ma małe dziecko",
                "Małe dziecko",
                "Has a little baby",
                "New baby",
                &["dzieck", "niemowl", "baby", "urodzil"],
                &[Interest("babies")],
            ),
            o(
                "Nic szczególnego się nie zmieniło",
                "Bez zmian",
                "Nothing much has changed",
                "No changes",
                &[],
                &[],
            ),
        ],
        then: None,
    },
    Spec {
        key: "recent_saved",
        topic: Topic::Recent,
        pl: "Czy od ostatniego prezentu coś się {u_niej} zmieniło?",
        en: "Has anything changed for {her_obj} since the last gift?",
        opts: [
            o(
                "Urządza nowe mieszkanie",
                "Nowe mieszkanie",
                "Is setting up a new home",
                "New home",
                &["mieszkani", "przeprowadz", "dom", "home", "moved", "flat"],
                &[
                    Interest("home_decor"),
                    Theme("dekoracje do mieszkania", "home decorations"),
                ],
            ),
            o(
                "Zaczyna nową pracę",
                "Nowa praca",
                "Is starting a new job",
                "New job",
                &["prac", "awans", "job", "promotion"],
                &[
                    Interest("work_office"),
                    Theme("torba na laptopa", "laptop bag"),
                ],
            ),
            o(
                "Ma nowe hobby",
                "Nowe hobby",
                "Has picked up a new hobby",
                "New hobby",
                &["hobby", "pasj", "zaczal", "zaczela", "started"],
                &[],
            ),
            o(
                "Nic szczególnego się nie zmieniło",
                "Bez zmian",
                "Nothing much has changed",
                "No changes",
                &[],
                &[],
            ),
        ],
        then: None,
    },
];

/// The fixed question with this key.
pub(super) fn spec(key: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.key == key)
}

/// The follow-up a fixed tree offers for an interest revealed in free text.
pub(super) fn followup_for_interest(id: &str) -> Option<&'static str> {
    Some(match id {
        "running" => "running_level",
        "fitness" => "fitness_where",
        "cycling" => "cycling_kind",
        "hiking" => "hiking_style",
        "fishing" => "fishing_kind",
        "gardening" => "garden_kind",
        "diy_tools" => "diy_kind",
        "cooking" => "cooking_kind",
        "baking" => "baking_kind",
        "grilling" => "grill_kind",
        "coffee" => "coffee_kind",
        "travel" => "travel_how",
        "reading" => "reading_genre",
        "music" => "music_kind",
        "instruments" => "instrument_which",
        "video_games" => "gaming_platform",
        "beauty" => "beauty_kind",
        "dogs" => "dog_size",
        "cats" => "cat_kind",
        "board_games" => "boardgame_kind",
        "photography" => "photo_kind",
        _ => return None,
    })
}

/// Per interest: Polish and English labels (used when the taxonomy has none), and the phrase
/// naming gifts for it: Polish "prezentów {phrase}", English "{phrase} gifts".
pub(super) struct InterestWords {
    pub(super) id: &'static str,
    pub(super) label_pl: &'static str,
    pub(super) label_en: &'static str,
    pub(super) phrase_pl: &'static str,
    pub(super) phrase_en: &'static str,
}

const fn w(
    id: &'static str,
    label_pl: &'static str,
    label_en: &'static str,
    phrase_pl: &'static str,
    phrase_en: &'static str,
) -> InterestWords {
    InterestWords {
        id,
        label_pl,
        label_en,
        phrase_pl,
        phrase_en,
    }
}

pub(super) static INTEREST_WORDS: &[InterestWords] = &[
    w("running", "bieganie", "running", "do biegania", "running"),
    w(
        "cycling",
        "rower",
        "cycling",
        "do jazdy na rowerze",
        "cycling",
    ),
    w("fitness", "fitness", "fitness", "do treningu", "fitness"),
    w("yoga", "joga", "yoga", "do jogi", "yoga"),
    w(
        "swimming",
        "pływanie",
        "swimming",
        "do pływania",
        "swimming",
    ),
    w(
        "football",
        "piłka nożna",
        "football",
        "związanych z piłką nożną",
        "football",
    ),
    w("tennis", "tenis", "tennis", "do tenisa", "tennis"),
    w(
        "winter_sports",
        "narty i snowboard",
        "skiing and snowboarding",
        "na narty lub snowboard",
        "winter sports",
    ),
    w(
        "climbing",
        "wspinaczka",
        "climbing",
        "do wspinaczki",
        "climbing",
    ),
    w(
        "hiking",
        "górskie wędrówki",
        "hiking",
        "na górskie wędrówki",
        "hiking",
    ),
    w("camping", "biwakowanie", "camping", "na biwak", "camping"),
    w(
        "fishing",
        "wędkarstwo",
        "fishing",
        "do wędkowania",
        "fishing",
    ),
    w(
        "gardening",
        "ogrodnictwo",
        "gardening",
        "do ogrodu",
        "gardening",
    ),
    w(
        "houseplants",
        "rośliny doniczkowe",
        "houseplants",
        "dla miłośników roślin",
        "houseplant",
    ),
    w(
        "home_decor",
        "dekoracje wnętrz",
        "home decor",
        "do wystroju wnętrz",
        "home decor",
    ),
    w(
        "diy_tools",
        "majsterkowanie",
        "DIY",
        "do majsterkowania",
        "DIY",
    ),
    w("cooking", "gotowanie", "cooking", "do kuchni", "cooking"),
    w("baking", "pieczenie", "baking", "do pieczenia", "baking"),
    w(
        "grilling",
        "grillowanie",
        "grilling",
        "do grillowania",
        "BBQ",
    ),
    w("coffee", "kawa", "coffee", "do kawy", "coffee"),
    w("tea", "herbata", "tea", "do herbaty", "tea"),
    w("wine", "wino", "wine", "dla miłośników wina", "wine"),
    w(
        "beer",
        "piwo kraftowe",
        "craft beer",
        "dla miłośników piwa",
        "beer",
    ),
    w(
        "spirits",
        "whisky i koktajle",
        "whisky and cocktails",
        "do domowego baru",
        "home bar",
    ),
    w(
        "sweets",
        "słodycze",
        "sweets",
        "dla miłośników słodyczy",
        "sweet",
    ),
    w(
        "board_games",
        "gry planszowe",
        "board games",
        "dla fanów planszówek",
        "board game",
    ),
    w(
        "video_games",
        "gry wideo",
        "video games",
        "dla graczy",
        "gaming",
    ),
    w(
        "puzzles",
        "łamigłówki",
        "puzzles",
        "związanych z łamigłówkami",
        "puzzle",
    ),
    w("lego", "klocki LEGO", "LEGO", "związanych z LEGO", "LEGO"),
    w(
        "reading",
        "książki",
        "books",
        "dla miłośników książek",
        "book",
    ),
    w("writing", "pisanie", "writing", "do pisania", "writing"),
    w(
        "photography",
        "fotografia",
        "photography",
        "do fotografii",
        "photography",
    ),
    w(
        "art",
        "malowanie i rysowanie",
        "art",
        "do malowania i rysowania",
        "art",
    ),
    w(
        "crafts",
        "rękodzieło",
        "crafts",
        "do rękodzieła",
        "crafting",
    ),
    w("music", "muzyka", "music", "dla melomanów", "music"),
    w(
        "instruments",
        "gra na instrumencie",
        "playing an instrument",
        "dla muzyków",
        "musician",
    ),
    w(
        "movies",
        "filmy i seriale",
        "films and series",
        "dla kinomanów",
        "film",
    ),
    w(
        "theatre",
        "teatr",
        "theatre",
        "związanych z teatrem",
        "theatre",
    ),
    w("travel", "podróże", "travel", "do podróży", "travel"),
    w(
        "languages",
        "nauka języków",
        "language learning",
        "do nauki języków",
        "language learning",
    ),
    w(
        "history",
        "historia",
        "history",
        "dla pasjonatów historii",
        "history",
    ),
    w(
        "science",
        "nauka i kosmos",
        "science",
        "związanych z nauką",
        "science",
    ),
    w(
        "programming",
        "programowanie",
        "programming",
        "dla programistów",
        "programmer",
    ),
    w(
        "gadgets",
        "gadżety elektroniczne",
        "gadgets",
        "związanych z elektroniką",
        "gadget",
    ),
    w(
        "smart_home",
        "inteligentny dom",
        "smart home",
        "do inteligentnego domu",
        "smart home",
    ),
    w("fashion", "moda", "fashion", "związanych z modą", "fashion"),
    w(
        "jewelry",
        "biżuteria",
        "jewellery",
        "związanych z biżuterią",
        "jewellery",
    ),
    w(
        "watches",
        "zegarki",
        "watches",
        "związanych z zegarkami",
        "watch",
    ),
    w("beauty", "kosmetyki", "beauty", "do pielęgnacji", "beauty"),
    w(
        "perfume",
        "perfumy",
        "perfume",
        "związanych z perfumami",
        "fragrance",
    ),
    w(
        "wellness",
        "relaks i spa",
        "wellness",
        "na relaks",
        "relaxation",
    ),
    w("dogs", "pies", "dogs", "dla psa", "dog"),
    w("cats", "kot", "cats", "dla kota", "cat"),
    w("cars", "motoryzacja", "cars", "do samochodu", "car"),
    w(
        "motorcycles",
        "motocykle",
        "motorcycles",
        "dla motocyklistów",
        "motorcycle",
    ),
    w("kids_toys", "zabawki", "toys", "do zabawy", "toy"),
    w("babies", "niemowlę", "baby", "dla maluszka", "baby"),
    w("work_office", "biuro", "office", "do biura", "office"),
];

pub(super) fn interest_words(id: &str) -> Option<&'static InterestWords> {
    INTEREST_WORDS.iter().find(|w| w.id == id)
}

// -------------------------------------------------------------------- generated questions

pub(super) fn occasion_label(occasion: Occasion, locale: Locale) -> &'static str {
    match (locale, occasion) {
        (Locale::Pl, Occasion::Birthday) => "urodziny",
        (Locale::Pl, Occasion::NameDay) => "imieniny",
        (Locale::Pl, Occasion::Anniversary) => "rocznica",
        (Locale::Pl, Occasion::Holiday) => "święta",
        (Locale::Pl, Occasion::Valentines) => "walentynki",
        (Locale::Pl, Occasion::JustBecause) => "bez okazji",
        (Locale::En, Occasion::Birthday) => "birthday",
        (Locale::En, Occasion::NameDay) => "name day",
        (Locale::En, Occasion::Anniversary) => "anniversary",
        (Locale::En, Occasion::Holiday) => "holidays",
        (Locale::En, Occasion::Valentines) => "Valentine's Day",
        (Locale::En, Occasion::JustBecause) => "just because",
    }
}

pub(super) fn relationship_question(occasion: Occasion, locale: Locale) -> &'static str {
    match (locale, occasion) {
        (Locale::Pl, Occasion::Birthday) => "Dla kogo szukasz prezentu z okazji urodzin?",
        (Locale::Pl, Occasion::NameDay) => "Dla kogo szukasz prezentu z okazji imienin?",
        (Locale::Pl, Occasion::Anniversary) => "Dla kogo szukasz prezentu z okazji rocznicy?",
        (Locale::Pl, Occasion::Holiday) => "Dla kogo szukasz prezentu na święta?",
        (Locale::Pl, Occasion::Valentines) => "Dla kogo szukasz prezentu z okazji Walentynek?",
        (Locale::Pl, Occasion::JustBecause) => "Dla kogo szukasz prezentu bez okazji?",
        (Locale::En, Occasion::Birthday) => "Who are you looking for a birthday present for?",
        (Locale::En, Occasion::NameDay) => "Who are you looking for a name-day present for?",
        (Locale::En, Occasion::Anniversary) => {
            "Who are you looking for an anniversary present for?"
        }
        (Locale::En, Occasion::Holiday) => "Who are you looking for a holiday present for?",
        (Locale::En, Occasion::Valentines) => {
            "Who are you looking for a Valentine's Day present for?"
        }
        (Locale::En, Occasion::JustBecause) => {
            "Who are you looking for a just-because present for?"
        }
    }
}

/// (Polish full, Polish short, English full, English short)
pub(super) type Texts4 = (&'static str, &'static str, &'static str, &'static str);

pub(super) const RELATIONSHIP_OPTIONS: [Texts4; 4] = [
    (
        "Dla mojej drugiej połówki",
        "Druga połówka",
        "For my partner",
        "Partner",
    ),
    (
        "Dla kogoś z mojej rodziny",
        "Rodzina",
        "For someone in my family",
        "Family",
    ),
    (
        "Dla przyjaciela lub przyjaciółki",
        "Przyjaciel",
        "For a friend",
        "Friend",
    ),
    (
        "Dla kogoś z pracy",
        "Kolega z pracy",
        "For a colleague",
        "Colleague",
    ),
];

pub(super) const FAMILY_QUESTION: (&str, &str) =
    ("Kto dokładnie z rodziny?", "Who exactly in your family?");

pub(super) const FAMILY_OPTIONS: [Texts4; 4] = [
    (
        "To moja mama lub mój tata",
        "Rodzic",
        "My mum or dad",
        "Parent",
    ),
    (
        "To ktoś z mojego rodzeństwa",
        "Rodzeństwo",
        "My brother or sister",
        "Sibling",
    ),
    (
        "To moje dziecko lub wnuczę",
        "Dziecko lub wnuk",
        "My child or grandchild",
        "Child",
    ),
    (
        "To babcia, dziadek, ciocia lub wujek",
        "Starsze pokolenie",
        "A grandparent, aunt or uncle",
        "Grandparent",
    ),
];

pub(super) const PARENT_QUESTION: (&str, &str) =
    ("Czy to mama, czy tata?", "Is it your mum or your dad?");
pub(super) const PARENT_OPTIONS: [Texts4; 4] = [
    ("To moja mama", "Mama", "My mum", "Mum"),
    ("To mój tata", "Tata", "My dad", "Dad"),
    (
        "To moja teściowa",
        "Teściowa",
        "My mother-in-law",
        "Mother-in-law",
    ),
    ("To mój teść", "Teść", "My father-in-law", "Father-in-law"),
];

pub(super) const SIBLING_QUESTION: (&str, &str) = (
    "Czy to siostra, czy brat?",
    "Is it your sister or your brother?",
);
pub(super) const SIBLING_OPTIONS: [Texts4; 4] = [
    ("To moja siostra", "Siostra", "My sister", "Sister"),
    ("To mój brat", "Brat", "My brother", "Brother"),
    (
        "To moja szwagierka",
        "Szwagierka",
        "My sister-in-law",
        "Sister-in-law",
    ),
    (
        "To mój szwagier",
        "Szwagier",
        "My brother-in-law",
        "Brother-in-law",
    ),
];

pub(super) const CHILD_QUESTION: (&str, &str) =
    ("Czy to córka, czy syn?", "Is it your daughter or your son?");
pub(super) const CHILD_OPTIONS: [Texts4; 4] = [
    ("To moja córka", "Córka", "My daughter", "Daughter"),
    ("To mój syn", "Syn", "My son", "Son"),
    (
        "To moja wnuczka",
        "Wnuczka",
        "My granddaughter",
        "Granddaughter",
    ),
    ("To mój wnuk", "Wnuk", "My grandson", "Grandson"),
];

pub(super) const ELDER_QUESTION: (&str, &str) = (
    "Czy to babcia, czy dziadek?",
    "Is it your grandma or your grandpa?",
);
pub(super) const ELDER_OPTIONS: [Texts4; 4] = [
    ("To moja babcia", "Babcia", "My grandma", "Grandma"),
    ("To mój dziadek", "Dziadek", "My grandpa", "Grandpa"),
    ("To moja ciocia", "Ciocia", "My aunt", "Aunt"),
    ("To mój wujek", "Wujek", "My uncle", "Uncle"),
];

pub(super) const PARTNER_GENDER_QUESTION: (&str, &str) = (
    "Czy Twoja druga połówka to kobieta, czy mężczyzna?",
    "Is your partner a woman or a man?",
);
pub(super) const GENDER_QUESTION: (&str, &str) = (
    "Czy to kobieta, czy mężczyzna?",
    "Is this person a woman or a man?",
);
pub(super) const GENDER_CHILD_QUESTION: (&str, &str) = (
    "Czy to kobieta, mężczyzna, dziewczynka czy chłopiec?",
    "Is this a woman, a man, a girl or a boy?",
);
pub(super) const WOMAN: Texts4 = ("To kobieta", "Kobieta", "It's a woman", "Woman");
pub(super) const MAN: Texts4 = ("To mężczyzna", "Mężczyzna", "It's a man", "Man");
pub(super) const GIRL: Texts4 = ("To dziewczynka", "Dziewczynka", "It's a girl", "Girl");
pub(super) const BOY: Texts4 = ("To chłopiec", "Chłopiec", "It's a boy", "Boy");
pub(super) const NON_BINARY: Texts4 = (
    "To osoba niebinarna",
    "Osoba niebinarna",
    "They're non-binary",
    "Non-binary",
);
pub(super) const UNDISCLOSED: Texts4 = (
    "Wolę tego nie określać",
    "Nie określam",
    "I'd rather not say",
    "Rather not say",
);

pub(super) const AGE_QUESTION: (&str, &str) = ("W jakim jest wieku?", "How old is {she}?");

/// An age option: texts and the bracket it stands for; `over_80` adds a note.
pub(super) fn age_option(
    bracket: super::model::AgeBracket,
    over_80: bool,
    split_66: bool,
) -> Texts4 {
    use super::model::AgeBracket as A;
    if over_80 {
        return ("Ma ponad 80 lat", "80+", "Over 80", "80+");
    }
    match bracket {
        A::Child => ("Ma mniej niż 13 lat", "Poniżej 13", "Under 13", "Under 13"),
        A::Teen => ("Ma od 13 do 17 lat", "13-17", "Between 13 and 17", "13-17"),
        A::A18 => ("Ma od 18 do 25 lat", "18-25", "Between 18 and 25", "18-25"),
        A::A26 => ("Ma od 26 do 35 lat", "26-35", "Between 26 and 35", "26-35"),
        A::A36 => ("Ma od 36 do 50 lat", "36-50", "Between 36 and 50", "36-50"),
        A::A51 => ("Ma od 51 do 65 lat", "51-65", "Between 51 and 65", "51-65"),
        A::A66 if split_66 => ("Ma od 66 do 80 lat", "66-80", "Between 66 and 80", "66-80"),
        A::A66 => ("Ma ponad 65 lat", "66+", "Over 65", "66+"),
    }
}

pub(super) const DISLIKES_QUESTION: (&str, &str) = (
    "Czego nie lubi albo czego na pewno nie chce dostać w prezencie?",
    "Is there anything {she} dislikes or definitely wouldn't want as a gift?",
);

/// A dislike suggestion: texts, the dislike (PL, EN), the interests it would contradict,
/// and whether it only suits adults.
pub(super) struct DislikeOption {
    pub(super) texts: Texts4,
    pub(super) dislike: (&'static str, &'static str),
    pub(super) keys: &'static [&'static str],
    pub(super) conflicts: &'static [&'static str],
    pub(super) adults_only: bool,
}

pub(super) static DISLIKE_OPTIONS: &[DislikeOption] = &[
    DislikeOption {
        texts: (
            "Nie lubi gadżetów elektronicznych",
            "Elektronika",
            "Doesn't like electronic gadgets",
            "Electronics",
        ),
        dislike: ("gadżety elektroniczne", "electronic gadgets"),
        keys: &["elektroni", "gadzet", "electronic", "gadget"],
        conflicts: &[
            "video_games",
            "gadgets",
            "programming",
            "smart_home",
            "photography",
        ],
        adults_only: false,
    },
    DislikeOption {
        texts: (
            "Nie lubi dostawać ubrań",
            "Ubrania",
            "Doesn't like getting clothes",
            "Clothes",
        ),
        dislike: ("ubrania", "clothes"),
        keys: &["ubran", "ciuch", "clothes", "clothing"],
        conflicts: &["fashion"],
        adults_only: false,
    },
    DislikeOption {
        texts: (
            "Nie znosi bibelotów i ozdóbek",
            "Bibeloty",
            "Can't stand knick-knacks",
            "Knick-knacks",
        ),
        dislike: ("bibeloty", "knick-knacks"),
        keys: &["bibelot", "ozdob", "knick", "trinket"],
        conflicts: &["home_decor"],
        adults_only: false,
    },
    DislikeOption {
        texts: (
            "Nie lubi kosmetyków w prezencie",
            "Kosmetyki",
            "Doesn't like cosmetics as gifts",
            "Cosmetics",
        ),
        dislike: ("kosmetyki", "cosmetics"),
        keys: &["kosmety", "cosmetic"],
        conflicts: &["beauty", "perfume"],
        adults_only: false,
    },
    DislikeOption {
        texts: (
            "Nie pije alkoholu",
            "Alkohol",
            "Doesn't drink alcohol",
            "Alcohol",
        ),
        dislike: ("alkohol", "alcohol"),
        keys: &["alkohol", "alcohol"],
        conflicts: &["wine", "beer", "spirits"],
        adults_only: true,
    },
    DislikeOption {
        texts: (
            "Nie je słodyczy",
            "Słodycze",
            "Doesn't eat sweets",
            "Sweets",
        ),
        dislike: ("słodycze", "sweets"),
        keys: &["slodycz", "sweets", "candy", "chocolate", "czekolad"],
        conflicts: &["sweets", "baking"],
        adults_only: false,
    },
    DislikeOption {
        texts: (
            "Nie lubi perfum",
            "Perfumy",
            "Doesn't like perfume",
            "Perfume",
        ),
        dislike: ("perfumy", "perfume"),
        keys: &["perfum", "fragrance"],
        conflicts: &["perfume", "beauty"],
        adults_only: false,
    },
    DislikeOption {
        texts: (
            "Nie chce bonów ani kart podarunkowych",
            "Bony",
            "Doesn't want vouchers or gift cards",
            "Vouchers",
        ),
        dislike: ("bony i karty podarunkowe", "vouchers and gift cards"),
        keys: &["bon", "bony", "bonow", "voucher", "podarunkow", "gift card"],
        conflicts: &[],
        adults_only: false,
    },
];

pub(super) const NO_DISLIKES: Texts4 = (
    "Nie ma szczególnych antypatii",
    "Nic takiego",
    "Nothing in particular",
    "Nothing",
);

pub(super) const HAS_QUESTION: (&str, &str) = (
    "Co już ma z rzeczy związanych ze swoimi pasjami (tego nie kupimy drugi raz), a czego {jej_dat} brakuje?",
    "What does {she} already have for {her} hobbies (so we don't buy it twice), and what is {she} missing?",
);

pub(super) const MISSING_SELECT_QUESTION: (&str, &str) = (
    "Który z tych pomysłów byłby {dla_niej} najbardziej trafiony?",
    "Which of these ideas would suit {her_obj} best?",
);
pub(super) const MISSING_FREE_QUESTION: (&str, &str) = (
    "Czego {jej_dat} brakuje albo o czym ostatnio marzy?",
    "Is there anything {she} is missing or has been dreaming of lately?",
);
pub(super) const NONE_FITS: Texts4 = (
    "Żaden z tych pomysłów nie pasuje",
    "Żaden",
    "None of these fit",
    "None",
);
pub(super) const ALREADY_HAS_SUCH: Texts4 = (
    "Ma już takie rzeczy",
    "Ma już takie",
    "Already has things like that",
    "Has those",
);

/// The question about gifts for one interest: Polish "Który z tych prezentów {phrase}…",
/// English "Which of these {phrase} gifts…".
pub(super) fn ideas_question(phrase: &str, locale: Locale) -> String {
    match locale {
        Locale::Pl => format!("Który z tych prezentów {phrase} byłby {{dla_niej}} najlepszy?"),
        Locale::En => format!("Which of these {phrase} gifts would be best for {{her_obj}}?"),
    }
}

/// The answer picking one gift idea.
pub(super) fn idea_choice(idea: &str, locale: Locale) -> String {
    match locale {
        Locale::Pl => format!("Wybieram: {idea}"),
        Locale::En => format!("I'd go for the {idea}"),
    }
}

pub(super) const ANYTHING_ELSE_QUESTION: (&str, &str) = (
    "Czy jest jeszcze coś, co warto wiedzieć, szukając prezentu {dla_niej}?",
    "Is there anything else worth knowing when choosing a gift for {her_obj}?",
);

// -------------------------------------------------------------------- rendering

/// Picks the text of the session's language.
pub(super) fn pick<'a>(pair: (&'a str, &'a str), locale: Locale) -> &'a str {
    match locale {
        Locale::Pl => pair.0,
        Locale::En => pair.1,
    }
}

/// The full sentence and the short form of a [`Texts4`].
pub(super) fn pick4(texts: Texts4, locale: Locale) -> (&'static str, &'static str) {
    match locale {
        Locale::Pl => (texts.0, texts.1),
        Locale::En => (texts.2, texts.3),
    }
}

/// Fills the pronoun placeholders of a template.
pub(super) fn render(template: &str, locale: Locale, gender: Option<Gender>) -> String {
    let female = gender == Some(Gender::Female);
    let male = gender == Some(Gender::Male);
    let forms: &[(&str, &str)] = match (locale, female, male) {
        (Locale::Pl, true, _) => &[
            ("{jej_gen}", "jej"),
            ("{jej_dat}", "jej"),
            ("{u_niej}", "u niej"),
            ("{dla_niej}", "dla niej"),
        ],
        (Locale::Pl, false, true) => &[
            ("{jej_gen}", "jego"),
            ("{jej_dat}", "mu"),
            ("{u_niej}", "u niego"),
            ("{dla_niej}", "dla niego"),
        ],
        (Locale::Pl, false, false) => &[
            ("{jej_gen}", "tej osoby"),
            ("{jej_dat}", "tej osobie"),
            ("{u_niej}", "u tej osoby"),
            ("{dla_niej}", "dla tej osoby"),
        ],
        (Locale::En, true, _) => &[
            ("{she}", "she"),
            ("{She}", "She"),
            ("{her}", "her"),
            ("{her_obj}", "her"),
        ],
        (Locale::En, false, true) => &[
            ("{she}", "he"),
            ("{She}", "He"),
            ("{her}", "his"),
            ("{her_obj}", "him"),
        ],
        (Locale::En, false, false) => &[
            ("{she}", "this person"),
            ("{She}", "This person"),
            ("{her}", "their"),
            ("{her_obj}", "them"),
        ],
    };
    let mut text = template.to_owned();
    for (placeholder, form) in forms {
        text = text.replace(placeholder, form);
    }
    text
}

// -------------------------------------------------------------------- safety

/// Why a request was refused, by category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refusal {
    Weapons,
    Drugs,
    Explosives,
    Poison,
    Harm,
    Illegal,
}

pub(super) fn refusal_reason(refusal: Refusal, locale: Locale) -> String {
    let (pl, en) = match refusal {
        Refusal::Weapons => (
            "Nie mogę pomóc w znalezieniu broni, amunicji ani podobnych przedmiotów.",
            "I can't help find weapons, ammunition or similar items.",
        ),
        Refusal::Drugs => (
            "Nie mogę pomóc w zdobyciu narkotyków ani innych zakazanych substancji.",
            "I can't help obtain drugs or other prohibited substances.",
        ),
        Refusal::Explosives => (
            "Nie mogę pomóc w zdobyciu materiałów wybuchowych.",
            "I can't help obtain explosives.",
        ),
        Refusal::Poison => (
            "Nie mogę pomóc w zdobyciu trucizn ani substancji, które mogą komuś zaszkodzić.",
            "I can't help obtain poisons or substances meant to hurt someone.",
        ),
        Refusal::Harm => (
            "Nie mogę pomóc w niczym, co mogłoby komuś zaszkodzić.",
            "I can't help with anything meant to harm someone.",
        ),
        Refusal::Illegal => (
            "Nie mogę pomóc w zdobyciu rzeczy nielegalnych.",
            "I can't help obtain anything illegal.",
        ),
    };
    match locale {
        Locale::Pl => format!(
            "{pl} Wyszukujemy wyłącznie legalne i bezpieczne prezenty — jeśli chcesz, rozpocznij nowe wyszukiwanie."
        ),
        Locale::En => format!(
            "{en} We only search for legal and safe gifts — feel free to start a new search."
        ),
    }
}
