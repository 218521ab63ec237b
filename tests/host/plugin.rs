//! Exports of the author's own WIT world under the guard: `examples/plugin`
//! called thousands of times on one instance, a fresh `WasiCtx` per call.

use crate::support::count;

const API: &str = "example:plugin/api";

#[test]
fn plugin_exports_run_thousands_of_times_on_one_instance_each_isolated() {
    let mut p = crate::support::exports_instance(&crate::support::sdk("plugin"));
    for i in 1..=3000u64 {
        match i % 3 {
            0 => {
                let ((r,), printed) = p
                    .call::<(String,), (Result<String, String>,)>(
                        API,
                        "transform",
                        (format!("word-{i}"),),
                    )
                    .unwrap();
                assert_eq!(r, Ok(format!("WORD-{i}")));
                assert_eq!(printed.stdout, "");
                assert!(printed.table_empty);
            }
            1 => {
                let ((n,), _) = p.call::<(), (u64,)>(API, "calls", ()).unwrap();
                assert_eq!(n, i, "per-instance state counts every call");
            }
            _ => {
                let secret = format!("PluginSecret-{i}-k2");
                let ((seen,), printed) = p
                    .call::<(String,), (String,)>(API, "probe", (secret.clone(),))
                    .unwrap();
                // Per-call state starts empty: no earlier call's secret.
                assert_eq!(seen, format!("secret={secret} earlier=- local=1"));
                // Output goes to this call's own stdout.
                assert_eq!(printed.stdout, format!("probe of call {i}\n"));
                assert!(printed.table_empty);
                if i % 300 == 2 && i > 3 {
                    let memory = p.memory().unwrap();
                    let earlier = format!("PluginSecret-{}-k2", i - 3);
                    assert_eq!(
                        count(&memory, earlier.as_bytes()),
                        0,
                        "{earlier} after call {i}"
                    );
                }
            }
        }
    }
    let ((err,), _) = p
        .call::<(String,), (Result<String, String>,)>(API, "transform", (String::new(),))
        .unwrap();
    assert_eq!(err, Err("empty input".to_string()));
}
