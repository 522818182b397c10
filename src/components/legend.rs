//! What the shapes on each protocol's ring mean.

use crate::i18n::use_lang;
use yew::prelude::*;

/// What the shapes on the ring mean.
#[component]
pub fn Legend() -> Html {
    let lang = use_lang();
    html! {
        <ul class="legend-ring" aria-label={lang.t("Legend", "图例")}>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote" r="5.5" /></svg>{ "RequestVote" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><rect class="lg append" x="-5" y="-5" width="10" height="10" /></svg>{ "AppendEntries" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><path class="lg client" d="M0,-6.5 L6,4.5 L-6,4.5 Z" /></svg>{ lang.t("client request", "客户端请求") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote reply" r="5" /></svg>{ lang.t("hollow: a reply", "空心：回复") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg timer" r="6" /></svg>{ lang.t("ring: election timer", "外圈：选举计时器") }</li>
        </ul>
    }
}

/// What the shapes on the Paxos ring mean.
#[component]
pub fn PaxosLegend() -> Html {
    let lang = use_lang();
    html! {
        <ul class="legend-ring" aria-label={lang.t("Legend", "图例")}>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><path class="lg role" d="M0,-7 L7,0 L0,7 L-7,0 Z" /></svg>{ lang.t("proposer", "提议者") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg role" r="6" /></svg>{ lang.t("acceptor", "接受者") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><rect class="lg role" x="-6" y="-6" width="12" height="12" rx="2" /></svg>{ lang.t("learner", "学习者") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote" r="5.5" /></svg>{ lang.t("phase 1: Prepare, Promise", "阶段 1：Prepare、Promise") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><rect class="lg append" x="-5" y="-5" width="10" height="10" /></svg>{ lang.t("phase 2: Accept, Accepted", "阶段 2：Accept、Accepted") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote reply" r="5" /></svg>{ lang.t("hollow: a reply", "空心：回复") }</li>
        </ul>
    }
}

/// What the shapes on the Multi-Paxos ring mean.
#[component]
pub fn MpLegend() -> Html {
    let lang = use_lang();
    html! {
        <ul class="legend-ring" aria-label={lang.t("Legend", "图例")}>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote" r="5.5" /></svg>{ lang.t("phase 1: Prepare, Promise", "阶段 1：Prepare、Promise") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><rect class="lg append" x="-5" y="-5" width="10" height="10" /></svg>{ lang.t("phase 2: Accept, Accepted", "阶段 2：Accept、Accepted") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><path class="lg client" d="M0,-6.5 L6,4.5 L-6,4.5 Z" /></svg>{ lang.t("Chosen, heartbeats, requests", "选定通知、心跳、请求") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote reply" r="5" /></svg>{ lang.t("hollow: a reply", "空心：回复") }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg timer" r="6" /></svg>{ lang.t("ring: leader timeout", "外圈：领导者超时") }</li>
        </ul>
    }
}
