//! Prints the trace hash of a Raft run with no user commands, as the page
//! shows it: `cargo run -p quorum-sim --example trace_hash -- --nodes 5 --seed 42 --until 2000000`
//! (`--until` in virtual microseconds). The browser tests compare the two.

use quorum_sim::raft::Raft;
use quorum_sim::{Sim, SimConfig};

fn main() {
    let mut nodes = 5usize;
    let mut seed = 42u64;
    let mut until = 0u64;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args
            .get(i + 1)
            .unwrap_or_else(|| usage(&format!("{} needs a value", args[i])));
        let parsed = value
            .parse::<u64>()
            .unwrap_or_else(|_| usage(&format!("{value} is not a whole number")));
        match args[i].as_str() {
            "--nodes" => nodes = parsed as usize,
            "--seed" => seed = parsed,
            "--until" => until = parsed,
            other => usage(&format!("unknown option {other}")),
        }
        i += 2;
    }
    let mut sim =
        Sim::<Raft>::new(SimConfig::new(nodes, seed)).unwrap_or_else(|e| usage(&e.to_string()));
    sim.advance_to(until);
    println!("{}", sim.trace_hash_hex());
}

fn usage(problem: &str) -> ! {
    eprintln!("trace_hash: {problem}\nusage: trace_hash --nodes N --seed S --until MICROSECONDS");
    std::process::exit(2)
}
