//! `wasmtime serve` (the Wasmtime CLI, a real server nobody here wrote) with
//! instance reuse on: thousands of requests to `http-echo`, some of them
//! concurrent, each answered correctly and with nothing of another request;
//! reuse visibly happening; the server's memory flat after warm-up.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server process; killed when dropped, whatever happens to the test.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Server {
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.0.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().strip_suffix("kB"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap()
    }
}

/// Starts `wasmtime serve` on a free loopback port, with
/// `--max-instance-reuse-count reuse` (`None`: the server's defaults).
fn serve(component: &std::path::Path, reuse: Option<u32>) -> (Server, SocketAddr) {
    let wasmtime = xtask::tools::wasmtime(xtask::tools::WASMTIME_CURRENT).unwrap();
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut cmd = Command::new(wasmtime);
    cmd.arg("serve").arg("--addr").arg(addr.to_string());
    if let Some(reuse) = reuse {
        cmd.arg("--max-instance-reuse-count").arg(reuse.to_string());
    }
    let child = cmd
        .arg(component)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "wasmtime serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (server, addr)
}

/// One HTTP/1.1 request with `Connection: close`; returns status and body.
fn request(addr: SocketAddr, path: &str, secret: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nx-secret: {secret}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    // wasmtime serve streams the body chunked.
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, body)
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&tail[..n]);
        rest = &tail[n + 2..];
    }
    out
}

/// Checks one response of http-echo; returns its `instance-requests`.
fn check(i: usize, status: u16, body: &str) -> u64 {
    let secret = format!("ServeSecret-{i}-p4");
    assert_eq!(status, 200, "request {i}: {body}");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 6, "request {i}: {body}");
    assert_eq!(lines[0], "method=GET");
    assert_eq!(lines[1], format!("path=/r/{i}"));
    // Its own secret, and so no other request's.
    assert_eq!(lines[2], format!("x-secret={secret}"), "request {i}");
    assert_eq!(lines[4], "request-local=1", "request {i}");
    assert_eq!(lines[5], "body-bytes=0");
    lines[3]
        .strip_prefix("instance-requests=")
        .and_then(|n| n.parse().ok())
        .unwrap()
}

#[test]
fn wasmtime_serve_reuses_instances_of_http_echo_and_every_request_stays_isolated() {
    let component = crate::support::sdk("http-echo");
    let (server, addr) = serve(&component, Some(1_000_000));
    let mut counts = Vec::new();
    // Warm-up, sequential: one instance is reused throughout.
    for i in 0..500 {
        let (status, body) = request(addr, &format!("/r/{i}"), &format!("ServeSecret-{i}-p4"));
        counts.push(check(i, status, &body));
    }
    // Sequential requests reach reused instances. Not always the same one:
    // `wasmtime serve` starts another instance when a request arrives
    // before the last one's instance is back in its pool, and on a loaded
    // machine (the whole suite on two cores) two instances can take turns.
    let warm_max = *counts.iter().max().unwrap();
    assert!(
        warm_max >= 100,
        "500 sequential requests did not reach reused instances: at most {warm_max} on one; {:?}",
        &counts[..20]
    );
    let rss_warm = server.rss_kib();
    // Then 2,000 more, eight clients at a time.
    let threads: Vec<_> = (0..8)
        .map(|t| {
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                for k in 0..250 {
                    let i = 500 + t * 250 + k;
                    let (status, body) =
                        request(addr, &format!("/r/{i}"), &format!("ServeSecret-{i}-p4"));
                    seen.push(check(i, status, &body));
                }
                seen
            })
        })
        .collect();
    for t in threads {
        counts.extend(t.join().unwrap());
    }
    // Another 500 sequential, to measure memory after the concurrent burst.
    for i in 2500..3000 {
        let (status, body) = request(addr, &format!("/r/{i}"), &format!("ServeSecret-{i}-p4"));
        counts.push(check(i, status, &body));
    }
    let rss_end = server.rss_kib();
    eprintln!(
        "serve: rss after warm-up {rss_warm} KiB, at the end {rss_end} KiB; most requests on one instance: {}",
        counts.iter().max().unwrap()
    );
    let max = *counts.iter().max().unwrap();
    assert!(
        max >= 500,
        "instances were not reused: at most {max} requests on one"
    );
    assert_eq!(counts.len(), 3000);
    // Flat memory: no per-request growth (3,000 requests of leaks would
    // show); allocator caches may move it a little.
    assert!(
        rss_end <= rss_warm + rss_warm / 4,
        "server memory grew from {rss_warm} KiB to {rss_end} KiB"
    );
}

/// The `key=value` lines of a response body.
fn field<'a>(body: &'a str, key: &str) -> Option<&'a str> {
    body.lines()
        .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
}

/// 5,000 requests from 32 concurrent clients to `wasmtime serve` with its
/// WASI 0.3 defaults (no reuse flags: up to 128 requests per instance, 16
/// at once); each response checked for its own secret and no other's.
/// Returns the largest `instance-requests` and `in-flight` seen, and the
/// server's RSS after the first and the last thousand requests.
fn load_p3(
    name: &str,
    path: impl Fn(usize) -> String + Send + Sync + 'static,
) -> (u64, u64, u64, u64) {
    let (server, addr) = serve(&crate::support::sdk(name), None);
    let path = std::sync::Arc::new(path);
    let mut most = (0, 0);
    let mut rss = Vec::new();
    for round in 0..5 {
        let threads: Vec<_> = (0..32)
            .map(|t| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut most = (0u64, 0u64);
                    for k in 0..1000 / 32 + 1 {
                        let i = round * 1000 + t * 32 + k;
                        if k * 32 + t >= 1000 {
                            break;
                        }
                        let secret = format!("ServeP3Secret-{i}-k2");
                        let (status, body) = request(addr, &path(i), &secret);
                        assert_eq!(status, 200, "request {i}: {body}");
                        assert_eq!(
                            field(&body, "x-secret"),
                            Some(secret.as_str()),
                            "request {i}: {body}"
                        );
                        assert_eq!(
                            body.matches("ServeP3Secret-").count(),
                            body.matches(&secret).count(),
                            "request {i} shows another request's secret: {body}"
                        );
                        let n = |k| field(&body, k).and_then(|v| v.parse::<u64>().ok()).unwrap();
                        most.0 = most.0.max(n("instance-requests"));
                        most.1 = most.1.max(n("in-flight"));
                    }
                    most
                })
            })
            .collect();
        for t in threads {
            let m = t.join().unwrap();
            most = (most.0.max(m.0), most.1.max(m.1));
        }
        rss.push(server.rss_kib());
    }
    eprintln!(
        "serve {name}: most requests on one instance {}, most in flight {}, rss {rss:?} KiB",
        most.0, most.1
    );
    (most.0, most.1, rss[0], rss[4])
}

#[test]
fn wasmtime_serve_with_its_wasi_0_3_defaults_reuses_a_serial_handler_one_request_at_a_time() {
    let (reused, in_flight, rss_first, rss_last) = load_p3("http-echo-p3", |i| format!("/r/{i}"));
    assert!(reused > 1, "no instance served more than one request");
    assert_eq!(
        in_flight, 1,
        "a serial handler had {in_flight} requests in flight on one instance"
    );
    assert!(
        rss_last <= rss_first + rss_first / 4,
        "server memory grew from {rss_first} KiB to {rss_last} KiB"
    );
}

#[test]
fn wasmtime_serve_with_its_wasi_0_3_defaults_overlaps_requests_of_a_concurrent_handler() {
    let (reused, in_flight, rss_first, rss_last) =
        load_p3("http-sleep-p3", |i| format!("/?ms={}", i % 7));
    assert!(reused > 1, "no instance served more than one request");
    assert!(in_flight > 1, "requests never overlapped on one instance");
    assert!(
        rss_last <= rss_first + rss_first / 4,
        "server memory grew from {rss_first} KiB to {rss_last} KiB"
    );
}
