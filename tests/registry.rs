//! The registry is the only list of protocols. Outside a protocol's own
//! folders (`crates/sim/src/<name>/`, `src/protocols/<name>/`) and the two
//! registries, no code imports a protocol or matches on one, and every place
//! the build needs to name a protocol (a `[[bin]]`, a bundle in
//! `index.html`) names exactly the registered ones. Adding a protocol is one
//! folder on each side, one line in each registry, and the build lines this
//! test asks for.

use quorum::registry::PROTOCOLS;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn names() -> Vec<&'static str> {
    PROTOCOLS.iter().map(|p| p.name).collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file: without comments, string contents kept, and without
/// its tests (a test may pick a protocol by name to run it).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let (mut in_str, mut block) = (false, 0usize);
    while let Some(c) = chars.next() {
        if block > 0 {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                block -= 1;
            } else if c == '/' && chars.peek() == Some(&'*') {
                chars.next();
                block += 1;
            }
            continue;
        }
        if in_str {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '/' if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                block = 1;
            }
            _ => out.push(c),
        }
    }
    out
}

/// Where `code` names protocol `name`: a path into its module, or its name
/// as a string (what a match on protocols compares).
fn namings(code: &str, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let module = [
            format!("quorum_sim::{name}"),
            format!("crate::{name}::"),
            format!("protocols::{name}"),
            format!("registry::{name}"),
        ];
        let grouped = line.contains("quorum_sim::{")
            && line
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == name);
        if module.iter().any(|m| line.contains(m.as_str()))
            || grouped
            || line.contains(&format!("\"{name}\""))
        {
            found.push(format!("line {}: {}", i + 1, line.trim()));
        }
    }
    found
}

fn check_tree(tree: &str, allowed: impl Fn(&Path) -> bool) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join(tree), &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let rel = file.strip_prefix(ROOT).unwrap().to_path_buf();
        if allowed(&rel) || rel.file_name().is_some_and(|f| f == "tests.rs") {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for name in names() {
            for n in namings(&code, name) {
                problems.push(format!("{} names {name}: {n}", rel.display()));
            }
        }
    }
    problems
}

#[test]
fn only_a_protocols_folders_and_the_registries_name_it_in_the_app() {
    let problems = check_tree("src", |rel| {
        let s = rel.to_string_lossy();
        s == "src/registry.rs"
            || s == "src/protocols/mod.rs"
            || names()
                .iter()
                .any(|n| s.starts_with(&format!("src/protocols/{n}/")))
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn only_a_protocols_folder_and_the_registry_name_it_in_the_core() {
    let problems = check_tree("crates/sim/src", |rel| {
        let s = rel.to_string_lossy();
        s == "crates/sim/src/registry.rs"
            || s == "crates/sim/src/lib.rs"
            || names()
                .iter()
                .any(|n| s.starts_with(&format!("crates/sim/src/{n}/")))
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_sees_a_protocol_named_outside_its_folder() {
    let code = code_of(
        "use quorum_sim::raft::Raft; // a comment naming paxos\nfn f(p: &str) { match p { \"multipaxos\" => {} _ => {} } }\nuse quorum_sim::{kv, paxos::Paxos};",
    );
    assert_eq!(namings(&code, "raft").len(), 1);
    assert_eq!(namings(&code, "multipaxos").len(), 1);
    assert_eq!(
        namings(&code, "paxos").len(),
        1,
        "the grouped import, not the comment"
    );
}

#[test]
fn every_protocol_has_its_folder_and_its_bundle_and_no_other_bundle_exists() {
    let cargo = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    let html = std::fs::read_to_string(Path::new(ROOT).join("index.html")).unwrap();
    let bins: Vec<&str> = cargo
        .lines()
        .filter_map(|l| l.strip_prefix("name = \"quorum-"))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    let mut bundles: Vec<&str> = html
        .match_indices("data-bin=\"quorum-")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    bundles.dedup();
    let listed = html
        .split("data-protocols=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .split(' ')
        .collect::<Vec<_>>();
    for name in names() {
        let folder = Path::new(ROOT).join("src/protocols").join(name);
        assert!(
            folder.join("mod.rs").exists(),
            "src/protocols/{name}/mod.rs"
        );
        assert!(
            folder.join("main.rs").exists(),
            "src/protocols/{name}/main.rs"
        );
        assert!(
            cargo.contains(&format!("path = \"src/protocols/{name}/main.rs\"")),
            "Cargo.toml lacks the [[bin]] quorum-{name} at src/protocols/{name}/main.rs"
        );
        assert!(
            Path::new(ROOT).join("crates/sim/src").join(name).is_dir(),
            "crates/sim/src/{name}/"
        );
    }
    let mut registered: Vec<&str> = names();
    registered.sort_unstable();
    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_unstable();
        v
    }
    assert_eq!(
        sorted(bins),
        registered,
        "Cargo.toml's [[bin]] quorum-<name>"
    );
    assert_eq!(
        sorted(bundles),
        registered,
        "index.html's <link data-trunk rel=\"rust\" data-bin=\"quorum-<name>\">"
    );
    assert_eq!(sorted(listed), registered, "index.html's data-protocols");
}
