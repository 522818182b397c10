//! Inspectors: every state variable of a server and every field of a
//! message, under the paper's names (as the protocol hands them over), with
//! the network's actions on a message (drop, duplicate, delay).
//!
//! Values carry `data-field` with the paper's name, so tests read them the
//! way a person does.

use super::glossary::{self, GlossaryLinks};
use super::tour::Onramp;
use super::{format_time, Shared};
use crate::i18n::use_lang;
use crate::run::view::{Field, Inspector, Item, MessageDetail, Section, SectionBody, Table, Value};
use crate::state::{Action, Dispatch};
use quorum_sim::{node_name, Command, MsgId, NodeId, Time, MS};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The delays a message can be given, in milliseconds.
pub const DELAYS_MS: [u64; 7] = [10, 20, 50, 100, 200, 500, 1000];
pub const DEFAULT_DELAY_MS: u64 = 50;

/// A server's fields, each name a link to its glossary entry if it has one.
fn fields(fields: &[Field], links: Option<&GlossaryLinks>, lang: crate::i18n::Lang) -> Html {
    let rows = fields.iter().map(|f| {
        let value = match &f.value {
            Value::Text(t) => html! { t },
            Value::List { items, empty } if items.is_empty() => {
                html! { <span class="empty">{ empty }</span> }
            }
            Value::List { items, .. } => {
                // Newest first in the markup: the list is `column-reverse`, so
                // it is drawn oldest at the top and starts scrolled to the newest.
                let items = items.iter().rev().map(|i| {
                    html! {
                        <li class={classes!(i.tag.is_some().then_some("committed"))} data-index={i.index.to_string()}>
                            { &i.text }
                            if let Some(tag) = &i.tag { <span class="tag">{ tag }</span> }
                        </li>
                    }
                });
                html! { <ol class="entries">{ for items }</ol> }
            }
        };
        html! {
            <>
                <dt>{ glossary::term(links, lang, f.key, &f.label) }</dt>
                <dd data-field={f.key}>{ value }</dd>
            </>
        }
    });
    html! { <dl>{ for rows }</dl> }
}

fn table(t: &Table, links: Option<&GlossaryLinks>, lang: crate::i18n::Lang) -> Html {
    let head = t.head.iter().map(|h| {
        html! { <th>{ glossary::term(links, lang, h, h) }</th> }
    });
    let rows = t.rows.iter().map(|r| {
        let cells = r.cells.iter().map(|(key, text)| match key {
            Some(key) => html! { <td data-field={*key}>{ text }</td> },
            None => html! { <td>{ text }</td> },
        });
        let mut row = html! {
            <tr>
                <th scope="row">{ &r.header }</th>
                { for cells }
            </tr>
        };
        if let Html::VTag(tag) = &mut row {
            std::rc::Rc::make_mut(tag).add_attribute(r.key.0, r.key.1.clone());
        }
        row
    });
    html! {
        <table class="progress">
            <thead><tr>{ for head }</tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

fn items(items: &[Item], now: f64, lang: crate::i18n::Lang) -> Html {
    let items = items.iter().map(|item| {
        let text = match item.deadline {
            Some(deadline) => {
                let at = format_time(deadline as f64);
                let left = format_time((deadline as f64 - now).max(0.0));
                lang.t(
                    format!("{} at {at} (in {left})", item.text),
                    format!("{}：{at}（还剩 {left}）", item.text),
                )
            }
            None => item.text.clone(),
        };
        let mut li = html! { <li>{ text }</li> };
        if let Html::VTag(tag) = &mut li {
            std::rc::Rc::make_mut(tag).add_attribute(item.data.0, item.data.1.clone());
        }
        li
    });
    html! { <ul class="timers">{ for items }</ul> }
}

fn section(s: &Section, now: f64, lang: crate::i18n::Lang, links: Option<&GlossaryLinks>) -> Html {
    let body = match &s.body {
        SectionBody::Fields(f) => fields(f, links, lang),
        SectionBody::Table(t) => table(t, links, lang),
        SectionBody::Items(i) => items(i, now, lang),
        SectionBody::Hint(h) => html! { <p class="hint">{ h }</p> },
    };
    html! { <><h3>{ &s.heading }</h3>{ body }</> }
}

#[derive(Properties, PartialEq)]
pub struct NodeInspectorProps {
    pub node: NodeId,
    pub inspector: Shared<Inspector>,
    /// The virtual time shown, in µs (for how soon each timer fires).
    pub now: f64,
}

/// A server's every state variable, whatever the protocol.
#[component]
pub fn NodeInspector(props: &NodeInspectorProps) -> Html {
    let lang = use_lang();
    let i = &props.inspector;
    let name = node_name(props.node);
    let onramp = use_context::<Onramp>();
    let links = onramp.as_ref().map(|o| &o.glossary);
    let sections = i
        .sections
        .iter()
        .map(|s| section(s, props.now, lang, links));
    html! {
        <section class="panel inspector" data-inspector="node" data-node-id-inspected={props.node.to_string()}
            aria-label={lang.t(format!("{name} inspector"), format!("{name} 检查器"))}>
            <h2>{ &i.title }</h2>
            if let Some(note) = &i.note {
                <p class="hint">{ note }</p>
            }
            { for sections }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct MessageInspectorProps {
    pub id: MsgId,
    /// The message, while it is in flight.
    pub detail: Option<Shared<MessageDetail>>,
    pub now: f64,
    /// The run is paused because this inspector opened (it plays again on close).
    pub held: bool,
    /// The person dropped this message (from this inspector).
    pub dropped: bool,
    pub dispatch: Dispatch,
}

/// Any protocol's message: its type, its fields, when it was sent and
/// arrives, and the network's actions on it.
#[component]
pub fn MessageInspector(props: &MessageInspectorProps) -> Html {
    let MessageInspectorProps {
        id,
        detail,
        now,
        held,
        dropped,
        dispatch,
    } = props;
    let id = *id;
    let lang = use_lang();
    let onramp = use_context::<Onramp>();
    let links = onramp.as_ref().map(|o| &o.glossary);
    let into_view = super::node_menu::use_into_view(id);
    let delay_ms = use_state(|| DEFAULT_DELAY_MS);
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Deselect))
    };
    let body = match detail {
        None if *dropped => html! {
            <p class="hint gone" data-message-gone="dropped" role="status">{ lang.t(
                format!("You dropped message #{id}: it is gone and will never arrive. Play on to see how the protocol copes without it."),
                format!("你丢弃了消息 #{id}：它已消失，永远不会送达。继续播放，看看协议如何应对。"),
            ) }</p>
        },
        None => html! {
            <p class="hint gone" data-message-gone="gone">{ lang.t(
                format!("Message #{id} is no longer in flight: it arrived or was lost."),
                format!("消息 #{id} 已不在传输途中：它已送达或已丢失。"),
            ) }</p>
        },
        Some(detail) => {
            let g = &detail.glyph;
            let act = |command: Command| {
                let dispatch = dispatch.clone();
                Callback::from(move |_: MouseEvent| dispatch.emit(Action::Apply(command.clone())))
            };
            let by: Time = *delay_ms * MS;
            let on_delay_choice = {
                let delay_ms = delay_ms.clone();
                Callback::from(move |e: Event| {
                    let v = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                        .and_then(|s| s.value().parse::<u64>().ok());
                    if let Some(v) = v {
                        delay_ms.set(v);
                    }
                })
            };
            let options = DELAYS_MS.iter().map(|&ms| {
                html! { <option value={ms.to_string()} selected={ms == *delay_ms}>{ format!("{ms} ms") }</option> }
            });
            // As a server's: each name a link to its glossary entry if it has one.
            let fields = detail.fields.iter().map(|f| {
                html! { <><dt>{ glossary::term(links, lang, f.key, &f.label) }</dt><dd data-field={f.key}>{ f.text() }</dd></> }
            });
            let arrives = format_time(g.deliver_at as f64);
            let left = format_time((g.deliver_at as f64 - now).max(0.0));
            html! {
                <>
                    <dl>
                        <dt>{ lang.t("type", "类型") }</dt><dd data-field="type">{ g.kind_text }</dd>
                        <dt>{ lang.t("from → to", "发送方 → 接收方") }</dt><dd>{ format!("{} → {}", node_name(g.from), node_name(g.to)) }</dd>
                        { for fields }
                        <dt>{ lang.t("sent", "发送于") }</dt><dd data-field="sentAt">{ format_time(g.sent_at as f64) }</dd>
                        <dt>{ lang.t("arrives", "到达于") }</dt>
                        <dd data-field="deliverAt" data-deliver-at={g.deliver_at.to_string()}>
                            { lang.t(format!("{arrives} (in {left})"), format!("{arrives}（还剩 {left}）")) }
                        </dd>
                    </dl>
                    if let Some(note) = &detail.channel_note {
                        <p class="hint" data-channel-note="">{ note }</p>
                    }
                    <div class="actions">
                        <button type="button" onclick={act(Command::DropMessage { id })}>{ lang.t("Drop", "丢弃") }</button>
                        <button type="button" onclick={act(Command::DuplicateMessage { id })}
                            title={lang.t("The network delivers a second copy, with its own latency", "网络把它再投递一次，这一份的延迟单独计算")}>{ lang.t("Duplicate", "重复投递") }</button>
                        <button type="button" onclick={act(Command::DelayMessage { id, by })}
                            title={lang.t("Hold it back; later messages on the same link can overtake it", "推迟送达；同一链路上后发的消息可以超过它")}>{ lang.t("Delay", "推迟") }</button>
                        <label class="delay">
                            <span>{ lang.t("by", "时长") }</span>
                            <select aria-label={lang.t("Delay by", "推迟时长")} onchange={on_delay_choice}>{ for options }</select>
                        </label>
                    </div>
                </>
            }
        }
    };
    html! {
        <section class="panel inspector msg-inspector" data-inspector="message" data-msg-panel={id.to_string()}
            ref={into_view}
            aria-label={lang.t(format!("Message #{id}"), format!("消息 #{id}"))}>
            <header>
                <h2>{ lang.t(format!("Message #{id}"), format!("消息 #{id}")) }</h2>
                <button type="button" class="close" aria-label={lang.t("Close", "关闭")} onclick={close}>{ "×" }</button>
            </header>
            { super::node_menu::held_note(*held, lang, dispatch) }
            { body }
        </section>
    }
}
