use crate::vocabulary::Locale;

pub fn nothing_found(locale: Locale) -> &'static str {
    match locale {
        Locale::Pl => {
            "Nie znaleźliśmy produktów pasujących do tej osoby i budżetu. Spróbuj poszerzyć zakres cen albo opowiedzieć o niej więcej."
        }
        Locale::En => {
            "We found no products that fit this person and budget. Try a wider price range or tell us more about them."
        }
    }
}

pub fn partial(locale: Locale) -> &'static str {
    match locale {
        Locale::Pl => {
            "Nie wszystkie sklepy odpowiedziały na czas — to wyniki z tych, które zdążyły."
        }
        Locale::En => {
            "Not every shop answered in time — these are the results from those that did."
        }
    }
}

/// Why a product was dropped by the pre-filter.
pub fn filtered_out(locale: Locale) -> &'static str {
    match locale {
        Locale::Pl => {
            "Odrzucony: poza budżetem, już posiadany albo w kategorii, której osoba nie lubi."
        }
        Locale::En => {
            "Dropped: outside the budget, already owned, or something the person dislikes."
        }
    }
}
