use std::process::ExitCode;

fn main() -> ExitCode {
    if let Ok(banner) = std::env::var("CAT_BANNER") {
        println!("{banner}");
    }
    let copied = std::io::copy(&mut std::io::stdin(), &mut std::io::stdout());
    if copied.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
