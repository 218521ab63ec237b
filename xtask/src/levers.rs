//! `cargo xtask levers`: measures each size lever of docs/size.md by building
//! an example with and without it, side by side, and writes the table into
//! docs/size.md (between the `levers` markers) and prints it.

use cargo_wasi_guest::wasm;
use xtask::build::{Flags, P2, cargo_build_with};
use xtask::{Result, project_root};

/// One way of building a package.
struct Variant {
    package: &'static str,
    /// `None`: the workspace's rustflags; `Some`: exactly these.
    rustflags: Option<&'static str>,
    /// Extra cargo arguments (`--config ...`, `--features ...`).
    args: &'static [&'static str],
}

impl Variant {
    const fn plain(package: &'static str) -> Self {
        Self {
            package,
            rustflags: None,
            args: &[],
        }
    }
}

struct Lever {
    name: &'static str,
    without: Variant,
    with: Variant,
    /// Compare initial memory pages instead of bytes.
    pages: bool,
}

const STATIC_AND_STACK: &str = "-Crelocation-model=static\x1f-Clink-arg=-zstack-size=65536";

fn levers() -> Vec<Lever> {
    vec![
        Lever {
            name: "recommended release profile (opt-level z, LTO, 1 CGU, abort, strip) vs cargo's default release profile, hello",
            without: Variant {
                package: "hello",
                rustflags: None,
                args: &[
                    "--config",
                    "profile.release.opt-level=3",
                    "--config",
                    "profile.release.lto=false",
                    "--config",
                    "profile.release.codegen-units=16",
                    "--config",
                    "profile.release.strip=\"none\"",
                ],
            },
            with: Variant::plain("hello"),
            pages: false,
        },
        Lever {
            name: "static relocation model instead of the target's PIC, hello",
            without: Variant {
                package: "hello",
                rustflags: Some("-Clink-arg=-zstack-size=65536"),
                args: &[],
            },
            with: Variant {
                package: "hello",
                rustflags: Some(STATIC_AND_STACK),
                args: &[],
            },
            pages: false,
        },
        Lever {
            name: "64 KiB stack instead of 1 MiB, hello (initial pages)",
            without: Variant {
                package: "hello",
                rustflags: Some("-Crelocation-model=static"),
                args: &[],
            },
            with: Variant {
                package: "hello",
                rustflags: Some(STATIC_AND_STACK),
                args: &[],
            },
            pages: true,
        },
        Lever {
            name: "printing literals without core::fmt: wasi-guest's println!(\"hello\") vs core::fmt::write(.., format_args!(\"hello\\n\"))",
            without: Variant::plain("hello-fmt"),
            with: Variant::plain("hello"),
            pages: false,
        },
        Lever {
            // With `talc`, wc has no panic left to handle; dlmalloc's
            // assertions give it some.
            name: "panic handler that does not format (panic-trap) vs panic-handler, wc with dlmalloc",
            without: Variant {
                package: "wc",
                rustflags: None,
                args: &["--features", "wasi-guest/panic-handler,wasi-guest/dlmalloc"],
            },
            with: Variant {
                package: "wc",
                rustflags: None,
                args: &["--features", "wasi-guest/dlmalloc"],
            },
            pages: false,
        },
        Lever {
            name: "allocator and import arena linked only when used: hello vs hello with both forced in",
            without: Variant::plain("hello-eager"),
            with: Variant::plain("hello"),
            pages: false,
        },
        Lever {
            name: "the filesystem layer (what it costs): a program that reads one file (xtask/levers/read-file) vs the same program reading stdin (read-stdin)",
            without: Variant::plain("read-file"),
            with: Variant::plain("read-stdin"),
            pages: false,
        },
        Lever {
            name: "per-run arena allocator instead of talc (the default), wc",
            without: Variant::plain("wc"),
            with: Variant::plain("wc-arena"),
            pages: false,
        },
    ]
}

struct Measured {
    raw: usize,
    stripped: usize,
    pages: u64,
}

fn build(v: &Variant, slot: &str) -> Result<Measured> {
    // One target dir for every variant: host-side proc macros build once;
    // cargo keeps a separate artifact per profile and feature set.
    let flags = match v.rustflags {
        Some(flags) => Flags::Exactly(flags),
        // As `build-examples` builds it, so the numbers match docs/sizes.md.
        None => Flags::Workspace,
    };
    let path = cargo_build_with(v.package, P2, flags, v.args, Some("levers"))
        .map_err(|e| format!("building {} ({slot}): {e}", v.package))?;
    let bytes = std::fs::read(&path)?;
    Ok(Measured {
        raw: bytes.len(),
        stripped: wasm::strip(&bytes)?.len(),
        pages: wasm::facts(&bytes)?.initial_pages,
    })
}

pub fn run() -> Result<()> {
    let mut table = String::from("| lever | without | with | saved |\n|---|---|---|---|\n");
    for (i, lever) in levers().iter().enumerate() {
        eprintln!("measuring: {}", lever.name);
        let a = build(&lever.without, &format!("{i}-without"))?;
        let b = build(&lever.with, &format!("{i}-with"))?;
        let (without, with, saved) = if lever.pages {
            (
                format!("{} pages", a.pages),
                format!("{} pages", b.pages),
                format!("{} KiB of initial memory", (a.pages - b.pages) * 64),
            )
        } else if i == 0 {
            // Without `strip` the default profile's file is mostly debug
            // info; show both.
            (
                format!("{} bytes ({} as cargo writes it)", a.stripped, a.raw),
                format!("{} bytes ({} as cargo writes it)", b.stripped, b.raw),
                format!("{} bytes", a.stripped as i64 - b.stripped as i64),
            )
        } else {
            (
                format!("{} bytes", a.stripped),
                format!("{} bytes", b.stripped),
                format!("{} bytes", a.stripped as i64 - b.stripped as i64),
            )
        };
        table.push_str(&format!(
            "| {} | {without} | {with} | {saved} |\n",
            lever.name
        ));
    }
    // The strip step itself needs no second build.
    let hello = build(&Variant::plain("hello"), "strip")?;
    table.push_str(&format!(
        "| strip step (every custom section but the policy), hello | {} bytes | {} bytes | {} bytes |\n",
        hello.raw,
        hello.stripped,
        hello.raw - hello.stripped
    ));
    print!("{table}");
    let path = project_root().join("docs").join("size.md");
    let doc = std::fs::read_to_string(&path)?;
    let updated = xtask::report::splice(&doc, "levers", &table)
        .ok_or("docs/size.md lacks the <!-- levers:begin/end --> markers")?;
    std::fs::write(&path, updated)?;
    eprintln!("updated docs/size.md");
    Ok(())
}
