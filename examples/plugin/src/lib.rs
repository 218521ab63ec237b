//! A plugin with its own WIT interface (`wit/plugin.wit`): the host calls
//! `transform`, `calls` and `probe` as often as it likes on one instance.
//! Every call runs through `PLUGIN.call`, so each gets the lifecycle of
//! `wasi:cli/run`: per-instance state created once, a fresh context,
//! per-call state dropped and memory cleared when it returns.
#![no_std]
#![deny(unsafe_code)]
extern crate alloc;
use alloc::format;
use alloc::string::{String, ToString};
use wasi_guest::{Context, Guarded, PerInstance, RunLocal, println};

wasi_guest::generate!({ path: "wit", world: "plugin" });

use exports::example::plugin::api::Guest;

/// Per-instance state: kept across calls on purpose.
struct Plugin {
    calls: u64,
}

impl PerInstance for Plugin {
    fn init(_: &mut Context) -> Self {
        Plugin { calls: 0 }
    }
}

static PLUGIN: Guarded<Plugin> = Guarded::new();

// The policy record (an export `wasi-guest:run/again`) for hosts
// that read it; `export!` does this for `wasi:cli/run` programs.
wasi_guest::record_policy!(<Plugin as PerInstance>::POLICY);

/// Per-call state: a secret stashed by this call, and a counter.
static STASH: RunLocal<Option<String>> = RunLocal::new(|| None);
static BUMPS: RunLocal<u32> = RunLocal::new(|| 0);

struct Exports;

impl Guest for Exports {
    fn transform(input: String) -> Result<String, String> {
        PLUGIN
            .call(|p, _| {
                p.calls += 1;
                if input.is_empty() {
                    Err("empty input".to_string())
                } else {
                    Ok(input.to_ascii_uppercase())
                }
            })
            // A refused call (single-shot, re-entry, after a panic) maps
            // onto the function's own error value.
            .unwrap_or_else(|refused| Err(refused.to_string()))
    }

    fn calls() -> u64 {
        // No error value to map a refusal onto: 0 is this function's answer.
        PLUGIN
            .call(|p, _| {
                p.calls += 1;
                p.calls
            })
            .unwrap_or(0)
    }

    fn probe(secret: String) -> String {
        PLUGIN
            .call(|p, _| {
                p.calls += 1;
                let earlier = STASH.with(|s| s.replace(secret.clone()));
                let bumps = BUMPS.with(|n| {
                    *n += 1;
                    *n
                });
                println!("probe of call {}", p.calls);
                format!(
                    "secret={secret} earlier={} local={bumps}",
                    earlier.as_deref().unwrap_or("-")
                )
            })
            .unwrap_or_else(|refused| refused.to_string())
    }
}

export!(Exports);
