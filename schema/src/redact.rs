//! Secrets kept out of messages, logs and `Debug` output.

/// `url` with its password replaced by `***`. A text that is not a URL with a host is
/// withheld whole: it may still hold a password (`user:password@host` parses as a URL of
/// scheme `user`).
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.has_host() => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        _ => "<not a URL>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn the_password_goes_and_the_rest_stays() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/gifts"),
            "postgres://app:***@db:5432/gifts"
        );
        assert_eq!(
            redact_url("amqp://guest@127.0.0.1:5672/%2f"),
            "amqp://guest@127.0.0.1:5672/%2f"
        );
        assert_eq!(redact_url("app:s3cret@db"), "<not a URL>");
    }
}
