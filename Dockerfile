# Build: a release binary with everything (migrations, catalog) embedded.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked && strip target/release/present-finder

# Run: a small image, an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home present-finder
COPY --from=build /src/target/release/present-finder /usr/local/bin/present-finder
USER present-finder
ENV HOST=0.0.0.0 PORT=3000 APP_ENV=production
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:3000/health/readiness || exit 1
ENTRYPOINT ["present-finder"]
CMD ["serve"]
