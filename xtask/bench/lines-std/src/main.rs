fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    for i in 0..n {
        println!("line {i} of {n}: {}", i * i);
    }
}
