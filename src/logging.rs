//! Log output on stderr: readable lines (the default) or, with `LOG_FORMAT=json`, one JSON
//! object per line for log collectors. `RUST_LOG` filters either way.

use std::io::Write;

use crate::config::ConfigError;

const DEFAULT_FILTER: &str = "info,lapin=warn,tracing::span=warn,actix_server=warn";

/// Libraries whose debug output carries the data itself, capped whatever `RUST_LOG` says:
/// tokio-postgres prints every statement's parameters (e-mail addresses, OAuth states and
/// verifiers, events with social profile URLs), and logs are no place for personal data or
/// credentials.
const CAPPED: &[(&str, log::LevelFilter)] = &[("tokio_postgres", log::LevelFilter::Info)];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    fn parse(value: Option<&str>) -> Result<Self, ConfigError> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None | Some("text") => Ok(Self::Text),
            Some("json") => Ok(Self::Json),
            Some(other) => Err(ConfigError {
                variable: "LOG_FORMAT",
                message: format!("{other:?} is neither text nor json"),
            }),
        }
    }
}

/// Installs the logger `LOG_FORMAT` selects.
pub fn init() -> Result<(), ConfigError> {
    let format = LogFormat::parse(std::env::var("LOG_FORMAT").ok().as_deref())?;
    let mut builder =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(DEFAULT_FILTER));
    for (module, level) in CAPPED {
        builder.filter_module(module, *level);
    }
    if format == LogFormat::Json {
        builder.format(|buf, record| {
            let line = json_line(&buf.timestamp_millis().to_string(), record);
            writeln!(buf, "{line}")
        });
    }
    builder.init();
    Ok(())
}

/// One log record as a JSON object: time, level, target (the module) and message.
fn json_line(time: &str, record: &log::Record<'_>) -> String {
    serde_json::json!({
        "time": time,
        "level": record.level().as_str(),
        "target": record.target(),
        "message": record.args().to_string(),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn json_lines_escape_the_message() {
        let line = json_line(
            "2026-12-01T10:00:00.000Z",
            &log::Record::builder()
                .level(log::Level::Warn)
                .target("present_finder::serve")
                .args(format_args!("a \"quoted\"\nmessage"))
                .build(),
        );
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["level"], "WARN");
        assert_eq!(parsed["target"], "present_finder::serve");
        assert_eq!(parsed["message"], "a \"quoted\"\nmessage");
        assert_eq!(parsed["time"], "2026-12-01T10:00:00.000Z");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn unknown_formats_name_the_variable() {
        assert_eq!(LogFormat::parse(None).unwrap(), LogFormat::Text);
        assert_eq!(LogFormat::parse(Some("json")).unwrap(), LogFormat::Json);
        assert_eq!(
            LogFormat::parse(Some("xml")).unwrap_err().variable,
            "LOG_FORMAT"
        );
    }
}
