//! What `/metrics` tells a monitoring system, in Prometheus' text format (0.0.4): requests and
//! their latency per route family and status, the database pool, the mail queue, questionnaires
//! stored and responses held for a coordinator's decision. Counts only: never who asked, which
//! code, or what was answered.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    /// Requests at or under each bucket's bound (cumulative when written out).
    within: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// The requests counted so far: by family and status, and each family's latencies.
#[derive(Default)]
struct Requests {
    answered: BTreeMap<(&'static str, u16), u64>,
    latency: BTreeMap<&'static str, Histogram>,
}

/// The counters one instance keeps since it started.
#[derive(Default)]
pub struct Metrics {
    /// One lock a request takes once.
    requests: Mutex<Requests>,
    submissions: AtomicU64,
}

/// What is read at the moment of a scrape.
pub struct Gauges {
    pub backend: &'static str,
    pub pool_size: u32,
    pub pool_idle: usize,
    /// Mail waiting to be sent or retried.
    pub mail_waiting: i64,
    /// Responses through a group code beyond its surplus limit, awaiting a decision.
    pub held: i64,
}

/// The family of a request's path: a few fixed names, so that no code or id becomes a label.
pub fn family(path: &str) -> &'static str {
    match path.trim_start_matches('/').split('/').next().unwrap_or("") {
        "" => "home",
        "s" | "respond" | "enter" | "lang" => "respond",
        "work" => "work",
        "api" => "api",
        "export" => "export",
        "pkg" => "static",
        "login" | "session" => "session",
        "healthz" => "health",
        "metrics" => "metrics",
        _ => "other",
    }
}

impl Metrics {
    /// One answered request.
    pub fn observe(&self, family: &'static str, status: u16, seconds: f64) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.answered.entry((family, status)).or_default() += 1;
            let h = requests.latency.entry(family).or_default();
            if let Some(at) = BUCKETS.iter().position(|b| seconds <= *b) {
                h.within[at] += 1;
            }
            h.sum += seconds;
            h.count += 1;
        }
    }

    /// A questionnaire stored and acknowledged.
    pub fn submitted(&self) {
        self.submissions.fetch_add(1, Ordering::Relaxed);
    }

    /// Everything, in Prometheus' text format.
    pub fn render(&self, g: &Gauges) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP orientir_http_requests_total Requests answered, by route family and status.\n# TYPE orientir_http_requests_total counter"
        );
        // Both families of lines from one look at the counters, under the lock a request takes.
        let mut latency = String::new();
        if let Ok(requests) = self.requests.lock() {
            for ((family, status), n) in requests.answered.iter() {
                let _ = writeln!(
                    out,
                    "orientir_http_requests_total{{family=\"{family}\",status=\"{status}\"}} {n}"
                );
            }
            for (family, h) in requests.latency.iter() {
                let mut cumulative = 0;
                for (bound, n) in BUCKETS.iter().zip(h.within) {
                    cumulative += n;
                    let _ = writeln!(
                        latency,
                        "orientir_http_request_duration_seconds_bucket{{family=\"{family}\",le=\"{bound}\"}} {cumulative}"
                    );
                }
                let _ = writeln!(
                    latency,
                    "orientir_http_request_duration_seconds_bucket{{family=\"{family}\",le=\"+Inf\"}} {}\norientir_http_request_duration_seconds_sum{{family=\"{family}\"}} {}\norientir_http_request_duration_seconds_count{{family=\"{family}\"}} {}",
                    h.count, h.sum, h.count
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP orientir_http_request_duration_seconds Time to answer, by route family.\n# TYPE orientir_http_request_duration_seconds histogram"
        );
        out.push_str(&latency);
        let gauges: [(&str, &str, &str, String); 5] = [
            (
                "orientir_submissions_total",
                "counter",
                "Questionnaires stored and acknowledged by this instance.",
                self.submissions.load(Ordering::Relaxed).to_string(),
            ),
            (
                "orientir_responses_held",
                "gauge",
                "Responses beyond a group code's surplus limit, awaiting a decision.",
                g.held.to_string(),
            ),
            (
                "orientir_mail_waiting",
                "gauge",
                "Mail waiting to be sent or retried.",
                g.mail_waiting.to_string(),
            ),
            (
                "orientir_db_pool_connections",
                "gauge",
                "Database connections open in the pool.",
                g.pool_size.to_string(),
            ),
            (
                "orientir_db_pool_idle",
                "gauge",
                "Database connections open and idle.",
                g.pool_idle.to_string(),
            ),
        ];
        for (name, kind, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name}{{backend=\"{}\"}} {value}",
                g.backend
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fall_into_a_few_families_and_latencies_into_cumulative_buckets() {
        assert_eq!(family("/s/ABCD-EFGH/p/2"), "respond");
        assert_eq!(family("/work/campaigns/3/matrix"), "work");
        assert_eq!(family("/"), "home");
        assert_eq!(family("/wp-admin.php"), "other");
        let m = Metrics::default();
        m.observe("work", 200, 0.004);
        m.observe("work", 200, 0.2);
        m.observe("work", 404, 20.0);
        m.submitted();
        let text = m.render(&Gauges {
            backend: "sqlite",
            pool_size: 3,
            pool_idle: 2,
            mail_waiting: 0,
            held: 1,
        });
        assert!(text.contains("orientir_http_requests_total{family=\"work\",status=\"200\"} 2"));
        assert!(text.contains("orientir_http_requests_total{family=\"work\",status=\"404\"} 1"));
        assert!(text.contains("_bucket{family=\"work\",le=\"0.005\"} 1\n"));
        assert!(text.contains("_bucket{family=\"work\",le=\"0.25\"} 2\n"));
        assert!(text.contains("_bucket{family=\"work\",le=\"10\"} 2\n"));
        assert!(text.contains("_bucket{family=\"work\",le=\"+Inf\"} 3\n"));
        assert!(text.contains("orientir_http_request_duration_seconds_count{family=\"work\"} 3"));
        assert!(text.contains("orientir_submissions_total{backend=\"sqlite\"} 1"));
        assert!(text.contains("orientir_responses_held{backend=\"sqlite\"} 1"));
    }
}
