use std::process::ExitCode;

fn main() -> ExitCode {
    print!("args:");
    for arg in std::env::args().skip(1) {
        print!(" {arg}");
    }
    println!();
    for (name, value) in std::env::vars() {
        println!("env: {name}={value}");
    }
    if std::env::var_os("ECHO_FAIL").is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
