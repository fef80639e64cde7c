//! What the web edge does for every request before a handler sees it: the
//! security headers on every response, cross-origin access only for origins
//! the operator lists, a deadline on every request and on reading its body,
//! and limits per client address on the routes anyone can call in numbers
//! (asking for a sign-in challenge, using an invitation, uploading).

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::json_error;
use godown_domain::ErrorCode;

/// The policy for every page and answer: scripts, styles and everything else
/// from the node's own origin only (no inline script), images also as data
/// URLs (QR codes), no plugins, and no framing by any site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// How the web edge guards itself.
#[derive(Debug, Clone)]
pub struct EdgeOptions {
    /// Origins whose pages may call the API from a browser (CORS). None by
    /// default: only the dashboard the node serves itself.
    pub cors_origins: Vec<HeaderValue>,
    /// Whether `GET /graphql` serves GraphiQL, a developer's page that loads
    /// its scripts from a CDN and inline, under a looser policy of its own.
    pub graphiql: bool,
    /// Sign-in challenges and invitation uses per client address per minute.
    pub signin_per_minute: NonZeroU32,
    /// Document uploads per client address per minute.
    pub uploads_per_minute: NonZeroU32,
    /// The longest a request may take, from its headers to the answer.
    pub request_timeout: Duration,
    /// The longest a client may take to send a request's headers (the
    /// binary's listener applies it).
    pub header_timeout: Duration,
}

impl Default for EdgeOptions {
    fn default() -> Self {
        Self {
            cors_origins: Vec::new(),
            graphiql: false,
            signin_per_minute: NonZeroU32::new(120).unwrap_or(NonZeroU32::MIN),
            uploads_per_minute: NonZeroU32::new(60).unwrap_or(NonZeroU32::MIN),
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// Sets each security header a response does not set itself.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

/// Cross-origin access for the listed origins, if any: the methods and
/// headers the API takes, and no credentials (the API's token travels in
/// the `Authorization` header, never in a cookie).
pub fn cors(origins: &[HeaderValue]) -> Option<CorsLayer> {
    (!origins.is_empty()).then(|| {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins.iter().cloned()))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
            .max_age(Duration::from_secs(600))
    })
}

/// A limit per client address, with its name for the refusal.
#[derive(Clone)]
pub struct Limit {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    what: &'static str,
}

/// Addresses remembered before the idle ones are forgotten.
const MAX_TRACKED: usize = 100_000;

impl Limit {
    /// `per_minute` requests a minute from one address, half of them at once.
    pub fn per_minute(per_minute: NonZeroU32, what: &'static str) -> Self {
        let burst = NonZeroU32::new(per_minute.get().div_ceil(2)).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: Arc::new(RateLimiter::keyed(
                Quota::per_minute(per_minute).allow_burst(burst),
            )),
            what,
        }
    }
}

/// Refuses a request over its address's limit with 429 `RATE_LIMITED` and a
/// `Retry-After`. A request whose peer address is unknown (the router used
/// without a listener, as in some tests) is not limited.
pub async fn limit(State(limit): State<Limit>, request: Request, next: Next) -> Response {
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() else {
        return next.run(request).await;
    };
    let address = peer.ip();
    if limit.limiter.len() > MAX_TRACKED {
        limit.limiter.retain_recent();
    }
    match limit.limiter.check_key(&address) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1);
            tracing::warn!(%address, what = limit.what, "rate limited");
            let mut response = json_error(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                &format!(
                    "too many {} from this address; retry in {wait} s",
                    limit.what
                ),
            );
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response.into_response()
        }
    }
}
