use std::time::{Duration, Instant, SystemTime};

fn main() {
    let start = Instant::now();
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--sleep-ms") {
        let ms = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0);
        std::thread::sleep(Duration::from_millis(ms));
    }
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let token = wasi::random::random::get_random_bytes(16);
    println!("time: {}.{:09}", now.as_secs(), now.subsec_nanos());
    let hex: String = token.iter().map(|b| format!("{b:02x}")).collect();
    println!("token: {hex}");
    println!("took: {} ns", start.elapsed().as_nanos());
}
