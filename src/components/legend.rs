//! What the shapes on each protocol's ring mean.

use yew::prelude::*;

/// What the shapes on the ring mean.
#[component]
pub fn Legend() -> Html {
    html! {
        <ul class="legend-ring" aria-label="Legend">
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote" r="5.5" /></svg>{ "RequestVote" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><rect class="lg append" x="-5" y="-5" width="10" height="10" /></svg>{ "AppendEntries" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><path class="lg client" d="M0,-6.5 L6,4.5 L-6,4.5 Z" /></svg>{ "client request" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote reply" r="5" /></svg>{ "hollow: a reply" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg timer" r="6" /></svg>{ "ring: election timer" }</li>
        </ul>
    }
}

/// What the shapes on the Paxos ring mean.
#[component]
pub fn PaxosLegend() -> Html {
    html! {
        <ul class="legend-ring" aria-label="Legend">
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><path class="lg role" d="M0,-7 L7,0 L0,7 L-7,0 Z" /></svg>{ "proposer" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg role" r="6" /></svg>{ "acceptor" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><rect class="lg role" x="-6" y="-6" width="12" height="12" rx="2" /></svg>{ "learner" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote" r="5.5" /></svg>{ "phase 1: Prepare, Promise" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><rect class="lg append" x="-5" y="-5" width="10" height="10" /></svg>{ "phase 2: Accept, Accepted" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote reply" r="5" /></svg>{ "hollow: a reply" }</li>
        </ul>
    }
}

/// What the shapes on the Multi-Paxos ring mean.
#[component]
pub fn MpLegend() -> Html {
    html! {
        <ul class="legend-ring" aria-label="Legend">
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote" r="5.5" /></svg>{ "phase 1: Prepare, Promise" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><rect class="lg append" x="-5" y="-5" width="10" height="10" /></svg>{ "phase 2: Accept, Accepted" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><path class="lg client" d="M0,-6.5 L6,4.5 L-6,4.5 Z" /></svg>{ "Chosen, heartbeats, requests" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg vote reply" r="5" /></svg>{ "hollow: a reply" }</li>
            <li><svg viewBox="-8 -8 16 16" aria-hidden="true"><circle class="lg timer" r="6" /></svg>{ "ring: leader timeout" }</li>
        </ul>
    }
}
