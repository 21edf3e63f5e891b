//! `bench quality`: how well the gifts fit. Recipient personas (`quality/personas.json`) are
//! driven through the real interview, each by its own answers, and the top 10 gifts of each
//! search are judged against the relevance judgments written with the persona (`judge`:
//! which catalog interests fit, what the recipient owns or dislikes) and against life stage and
//! budget.
//!
//! The judgments never look at the system's own scores or reasons: a gift is relevant when the
//! catalog tags the product with an interest the persona's author named as fitting and no
//! judgment rules it out.

mod judge;
mod persona;

use std::time::Duration;

use anyhow::Context;
use present_finder_actors::broker::BrokerConfig;
use present_finder_schema::ServiceDatabase;
use present_finder_schema::testing::TestDatabases;
use present_finder_web::driver::Ending;
use present_finder_web::restapi::commands::{self, StartSearch};

use self::judge::{Judged, Summary};
use self::persona::{Persona, PersonaScript};
use super::report;
use super::simulated::{self, Simulation};
use crate::config::Config;

const TOP: usize = 10;

/// Runs the personas whose ids contain one of `only` (all when empty) and prints the figures;
/// with `verbose`, every persona's interview and top 10 as well.
pub async fn run(config: Config, only: Vec<String>, verbose: bool) -> anyhow::Result<()> {
    let personas: Vec<Persona> = persona::bundled()?
        .into_iter()
        .filter(|p| only.is_empty() || only.iter().any(|id| p.id.contains(id.as_str())))
        .collect();
    anyhow::ensure!(!personas.is_empty(), "no persona matches {only:?}");
    report(format!(
        "bench quality: {} personas, top {TOP} of each judged",
        personas.len()
    ));
    let databases = TestDatabases::create().await?;
    let Simulation {
        system,
        restapi,
        driver,
    } = Simulation::configured(
        &config,
        BrokerConfig {
            amqp_url: None,
            ..config.broker.clone()
        },
        databases.urls(),
    )
    .await?;
    let pool = databases.pool(ServiceDatabase::Restapi);

    let mut judged = Vec::with_capacity(personas.len());
    for persona in &personas {
        let user_id = {
            let mut conn = pool.get().await?;
            commands::create_guest(&mut conn).await?
        };
        let script = Box::new(PersonaScript::new(persona.clone()));
        let outcome =
            simulated::search(&driver, &restapi, user_id, script, |chat_id| StartSearch {
                chat_id,
                occasion: persona.occasion,
                locale: persona.locale,
                instagram_url: None,
                tiktok_url: None,
                x_url: None,
                price_range: persona.budget.range(),
                profile_id: None,
            })
            .await?;
        let outcome = tokio::time::timeout(Duration::from_secs(120), outcome)
            .await
            .with_context(|| format!("persona {} did not finish in 120 s", persona.id))??;
        let gifts = match &outcome.ending {
            Ending::Ready { gifts, .. } => gifts.iter().take(TOP).cloned().collect(),
            other => {
                report(format!("  {}: the search ended with {other:?}", persona.id));
                Vec::new()
            }
        };
        let result = judge::judge(persona, &gifts);
        if verbose {
            report(format!("\n== {}", persona.id));
            for (question, answer) in outcome.questions.iter().zip(&outcome.answers) {
                report(format!("  Q: {question}\n  A: {answer}"));
            }
            report(result.top_list());
        }
        judged.push(result);
    }
    system.shutdown(Duration::from_secs(10)).await;
    print_summary(&judged);
    Ok(())
}

fn print_summary(judged: &[Judged]) {
    let summary = Summary::of(judged);
    report(format!(
        "  precision@{TOP} {:.2} (lowest {:.2}), nDCG@{TOP} {:.2}; in the top {TOP}s: \
         {} budget, {} owned/disliked, {} age/gender violations; distinct categories min {} mean {:.1}",
        summary.precision,
        summary.lowest_precision,
        summary.ndcg,
        summary.budget_violations,
        summary.owned_or_disliked,
        summary.life_stage,
        summary.min_categories,
        summary.mean_categories
    ));
    report("  worst personas:");
    let mut worst: Vec<&Judged> = judged.iter().collect();
    worst.sort_by(|a, b| a.precision.total_cmp(&b.precision));
    for persona in worst.into_iter().take(5) {
        report(persona.top_list());
    }
    report(format!(
        "quality: precision@{TOP} {:.2}, lowest {:.2}, nDCG@{TOP} {:.2}, violations {}, min categories {}",
        summary.precision,
        summary.lowest_precision,
        summary.ndcg,
        summary.budget_violations + summary.owned_or_disliked + summary.life_stage,
        summary.min_categories
    ));
}
