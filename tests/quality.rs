//! The quality benchmark's small subset: a few personas driven through the real interview by
//! their own answers, their top 10s judged against the judgments written with them. The
//! thresholds guard against regressions; `present-finder bench quality` runs every persona.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_present-finder");

/// Personas of different ages (a one-year-old among them), languages and interests.
const SUBSET: &str =
    "runner-girlfriend-22,wife-yoga-tea-42-en,grandpa-history-72,uncle-cars-48,baby-first-1";

/// The number after `label` in the bench's summary line.
fn figure(summary: &str, label: &str) -> f64 {
    let rest = summary
        .split(label)
        .nth(1)
        .unwrap_or_else(|| panic!("no {label:?} in {summary:?}"));
    let number: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number.parse().unwrap()
}

#[test]
fn a_small_set_of_personas_gets_fitting_gifts_with_no_violation() {
    let output = Command::new(BINARY)
        .args(["bench", "quality", "--personas", SUBSET])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("5 personas"), "{report}");
    let summary = report
        .lines()
        .find(|line| line.starts_with("quality:"))
        .unwrap_or_else(|| panic!("no summary line in {report}"));
    assert!(figure(summary, "precision@10") >= 0.8, "{report}");
    assert!(figure(summary, "lowest") >= 0.5, "{report}");
    assert_eq!(figure(summary, "violations"), 0.0, "{report}");
    assert!(figure(summary, "min categories") >= 3.0, "{report}");
}
