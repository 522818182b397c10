//! Breaking the network and the timers: split the cluster, cut one link in
//! one direction, heal everything, set loss and latency, spread or align the
//! protocol's timers, and pick the cluster's size.

use crate::i18n::{text, use_lang, Lang, Text};
use crate::run::view::{Noun, TimerWords};
use crate::state::{Action, Dispatch};
use quorum_sim::network::NetworkConfig;
use quorum_sim::{node_name, Command, NodeId, MS};
use std::collections::BTreeSet;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The loss slider's top, in percent.
pub const MAX_LOSS_PERCENT: u32 = 50;
/// The latency fields' top, in milliseconds.
pub const MAX_LATENCY_MS: u64 = 1_000;

#[derive(Properties, PartialEq)]
pub struct FaultsProps {
    /// The cluster's size.
    pub nodes: usize,
    /// The network's settings now.
    pub network: NetworkConfig,
    /// The directed links cut now.
    pub cut: Vec<(NodeId, NodeId)>,
    /// Offer the cluster-size choice (a protocol with fixed roles does not).
    #[prop_or(true)]
    pub sizes: bool,
    /// What Spread / Align move, in the protocol's words.
    pub timers: TimerWords,
    /// What the protocol calls its nodes: "3 servers", "3 replicas".
    #[prop_or(Noun::SERVERS)]
    pub noun: Noun,
    pub dispatch: Dispatch,
}

fn input_value(e: &Event) -> Option<String> {
    let target = e.target()?;
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(input.value());
    }
    target
        .dyn_ref::<web_sys::HtmlSelectElement>()
        .map(|select| select.value())
}

/// The network with latency bounds given in milliseconds, if they make sense.
pub fn with_latency(
    network: &NetworkConfig,
    min_ms: &str,
    max_ms: &str,
) -> Result<NetworkConfig, Text> {
    let parse = |what: (&str, &str), v: &str| -> Result<u64, Text> {
        v.trim()
            .parse::<u64>()
            .ok()
            .filter(|ms| (1..=MAX_LATENCY_MS).contains(ms))
            .ok_or_else(|| {
                text(
                    format!("{} latency must be a whole number of milliseconds from 1 to {MAX_LATENCY_MS}, not “{v}”", what.0),
                    format!("{}延迟必须是 1 到 {MAX_LATENCY_MS} ms 之间的整数，而不是“{v}”", what.1),
                )
            })
    };
    let min = parse(("The least", "最小"), min_ms)?;
    let max = parse(("The most", "最大"), max_ms)?;
    if min > max {
        return Err(text(
            format!("The least latency ({min} ms) cannot be more than the most ({max} ms)"),
            format!("最小延迟（{min} ms）不能大于最大延迟（{max} ms）"),
        ));
    }
    Ok(NetworkConfig {
        latency_min: min * MS,
        latency_max: max * MS,
        ..network.clone()
    })
}

#[component]
pub fn Faults(props: &FaultsProps) -> Html {
    let FaultsProps {
        nodes,
        network,
        cut,
        sizes: offer_sizes,
        timers,
        noun,
        dispatch,
    } = props;
    let (n, noun) = (*nodes, *noun);
    let lang = use_lang();
    let network = network.clone();
    let side = use_state(BTreeSet::<NodeId>::new);
    let link_from = use_state(|| 0usize);
    let link_to = use_state(|| 1usize);

    let send = |action: Action| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
    };

    // Cluster size: a new run with the same seed.
    let on_size = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(nodes) = input_value(&e).and_then(|v| v.parse::<usize>().ok()) {
                dispatch.emit(Action::NewRun { nodes });
            }
        })
    };
    let sizes = (3..=9).map(|k| {
        html! { <option value={k.to_string()} selected={k == n}>{ lang.t(format!("{k} {}", noun.en), format!("{k} {}{}", noun.measure_zh, noun.zh)) }</option> }
    });

    // Loss and latency.
    let on_loss = {
        let dispatch = dispatch.clone();
        let network = network.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            if let Some(pct) = input_value(&e).and_then(|v| v.parse::<u32>().ok()) {
                let network = NetworkConfig {
                    loss_per_mille: pct.min(MAX_LOSS_PERCENT) * 10,
                    ..network.clone()
                };
                dispatch.emit(Action::Apply(Command::SetNetwork { network }));
            }
        })
    };
    let latency_min_ms = network.latency_min / MS;
    let latency_max_ms = network.latency_max / MS;
    let on_latency = |which: &'static str| {
        let dispatch = dispatch.clone();
        let network = network.clone();
        Callback::from(move |v: String| {
            let (min, max) = match which {
                "min" => (v, (network.latency_max / MS).to_string()),
                _ => ((network.latency_min / MS).to_string(), v),
            };
            match with_latency(&network, &min, &max) {
                Ok(network) => dispatch.emit(Action::Apply(Command::SetNetwork { network })),
                Err(why) => dispatch.emit(Action::Notice(why)),
            }
        })
    };
    let loss_pct = network.loss_per_mille / 10;

    // Split into two groups.
    let side_boxes = (0..n).map(|id| {
        let side = side.clone();
        let checked = side.contains(&id);
        let onchange = Callback::from(move |_: Event| {
            let mut next = (*side).clone();
            if !next.remove(&id) {
                next.insert(id);
            }
            side.set(next);
        });
        html! {
            <label class="check">
                <input type="checkbox" {checked} {onchange} data-side-node={id.to_string()} />
                { node_name(id) }
            </label>
        }
    });
    let chosen: Vec<NodeId> = side.iter().copied().filter(|&id| id < n).collect();
    let can_split = !chosen.is_empty() && chosen.len() < n;
    let split = {
        let dispatch = dispatch.clone();
        let chosen = chosen.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Apply(Command::Partition {
                side: chosen.clone(),
            }))
        })
    };
    let other: Vec<String> = (0..n)
        .filter(|id| !chosen.contains(id))
        .map(node_name)
        .collect();
    let split_hint = if can_split {
        format!(
            "{} | {}",
            chosen
                .iter()
                .map(|&i| node_name(i))
                .collect::<Vec<_>>()
                .join(" "),
            other.join(" ")
        )
    } else {
        lang.t(
            format!("Tick the {} of one side.", noun.en),
            format!("勾选其中一侧的{}。", noun.zh),
        )
    };

    // One link, one direction.
    let node_select = |label: &'static str, aria: &'static str, value: UseStateHandle<usize>| {
        let onchange = {
            let value = value.clone();
            Callback::from(move |e: Event| {
                if let Some(v) = input_value(&e).and_then(|v| v.parse::<usize>().ok()) {
                    value.set(v);
                }
            })
        };
        let options = (0..n).map(|id| {
            html! { <option value={id.to_string()} selected={id == *value}>{ node_name(id) }</option> }
        });
        html! {
            <label class="field">
                <span>{ label }</span>
                <select aria-label={aria} {onchange}>{ for options }</select>
            </label>
        }
    };
    let (from, to) = (*link_from, *link_to);
    let link_ok = from < n && to < n && from != to;
    let link_cut = link_ok && cut.contains(&(from, to));
    let link_button = if link_cut {
        html! { <button type="button" onclick={send(Action::Apply(Command::HealLink { from, to }))}>{ lang.t("Heal link", "恢复链路") }</button> }
    } else {
        html! { <button type="button" disabled={!link_ok} onclick={send(Action::Apply(Command::CutLink { from, to }))}
        title={(!link_ok).then(|| lang.t(format!("Choose two different {}", noun.en), format!("请选择两{}不同的{}", noun.measure_zh, noun.zh)))}>{ lang.t("Cut link", "切断链路") }</button> }
    };

    let cut: Vec<String> = cut
        .iter()
        .map(|&(a, b)| format!("{} → {}", node_name(a), node_name(b)))
        .collect();
    let cut_summary = match (lang, cut.is_empty()) {
        (Lang::En, true) => "Every link is up.".to_string(),
        (Lang::En, false) => format!("Cut: {}", cut.join(", ")),
        (Lang::Zh, true) => "所有链路都连通。".to_string(),
        (Lang::Zh, false) => format!("已切断：{}", cut.join("，")),
    };

    html! {
        <section class="panel faults" data-faults="" aria-label={lang.t("Faults and network", "故障与网络")}>
            <h2>{ lang.t("Faults & network", "故障与网络") }</h2>
            <div class="row">
                if *offer_sizes {
                    <label class="field">
                        <span>{ lang.t("Cluster size", "集群规模") }</span>
                        <select aria-label={lang.t("Cluster size", "集群规模")} onchange={on_size}
                            title={lang.t("Starts a new run", "会开始一次新的运行")}>{ for sizes }</select>
                    </label>
                }
                <button type="button" onclick={send(Action::SpreadTimers)}
                    title={lang.t(format!("{} (T)", timers.spread.en), format!("{}（T）", timers.spread.zh))}>{ lang.t("Spread timers", "错开计时器") }</button>
                <button type="button" onclick={send(Action::AlignTimers)}
                    title={lang.t(format!("{} (A)", timers.align.en), format!("{}（A）", timers.align.zh))}>{ lang.t("Align timers", "对齐计时器") }</button>
            </div>
            <div class="row">
                <label class="field">
                    <span>{ lang.t("Message loss", "消息丢失率") }</span>
                    <input type="range" aria-label={lang.t("Message loss", "消息丢失率")} min="0" max={MAX_LOSS_PERCENT.to_string()}
                        step="1" value={loss_pct.to_string()} aria-valuetext={format!("{loss_pct}%")}
                        oninput={on_loss} data-loss={loss_pct.to_string()} />
                    <output>{ format!("{loss_pct}%") }</output>
                </label>
                <span class="field latency">
                    <span>{ lang.t("Latency", "延迟") }</span>
                    <MsField label={lang.t("Least latency (ms)", "最小延迟（ms）")} data="min" ms={latency_min_ms} on_commit={on_latency("min")} />
                    <span>{ lang.t("to", "到") }</span>
                    <MsField label={lang.t("Most latency (ms)", "最大延迟（ms）")} data="max" ms={latency_max_ms} on_commit={on_latency("max")} />
                    <span>{ "ms" }</span>
                </span>
            </div>
            <fieldset class="row split">
                <legend>{ lang.t("Split the network in two", "把网络分成两部分") }</legend>
                { for side_boxes }
                <button type="button" disabled={!can_split} onclick={split}>{ lang.t("Split", "分区") }</button>
                <span class="hint">{ split_hint }</span>
            </fieldset>
            <div class="row">
                { node_select(lang.t("from", "从"), lang.t("Link from", "链路起点"), link_from.clone()) }
                { node_select(lang.t("to", "到"), lang.t("Link to", "链路终点"), link_to.clone()) }
                { link_button }
                <button type="button" onclick={send(Action::Apply(Command::HealAll))}
                    disabled={cut.is_empty()}>{ lang.t("Heal all", "全部恢复") }</button>
            </div>
            <p class="hint" data-cut-links={cut.len().to_string()}>{ cut_summary }</p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct MsFieldProps {
    label: &'static str,
    /// `min` or `max`, for `data-latency-min` / `data-latency-max`.
    data: &'static str,
    /// The run's value, in milliseconds.
    ms: u64,
    /// Called with the typed text when the person commits it (Enter or leaving the field).
    on_commit: Callback<String>,
}

/// A number field that keeps what is being typed: the page redraws every
/// frame while playing, and a field bound to the run's value would undo each
/// keystroke before it is committed.
#[component]
fn MsField(props: &MsFieldProps) -> Html {
    let draft = use_state(|| None::<String>);
    {
        // A new value from the run (a new run, time travel) replaces the draft.
        let draft = draft.clone();
        use_effect_with(props.ms, move |_| draft.set(None));
    }
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            draft.set(input_value(&e));
        })
    };
    let onchange = {
        let draft = draft.clone();
        let on_commit = props.on_commit.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = input_value(&e) {
                on_commit.emit(v);
            }
            draft.set(None);
        })
    };
    let value = (*draft).clone().unwrap_or_else(|| props.ms.to_string());
    let data = props.ms.to_string();
    html! {
        <input type="number" aria-label={props.label} min="1" max={MAX_LATENCY_MS.to_string()}
            {value} {oninput} {onchange}
            data-latency-min={(props.data == "min").then(|| data.clone())}
            data-latency-max={(props.data == "max").then_some(data)} />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_fields_are_checked_before_they_reach_the_run() {
        let net = NetworkConfig::default();
        let ok = with_latency(&net, "5", "40").unwrap();
        assert_eq!((ok.latency_min, ok.latency_max), (5 * MS, 40 * MS));
        assert_eq!(ok.ordered, net.ordered);
        let too_high = with_latency(&net, "50", "40").unwrap_err();
        assert!(too_high.en.contains("cannot be more"));
        assert_eq!(too_high.zh, "最小延迟（50 ms）不能大于最大延迟（40 ms）");
        assert!(with_latency(&net, "", "40")
            .unwrap_err()
            .en
            .contains("whole number"));
        assert!(with_latency(&net, "0", "40").is_err());
        assert!(with_latency(&net, "1", "99999").is_err());
    }
}
