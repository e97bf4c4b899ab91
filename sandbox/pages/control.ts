import { FLOW_PANEL_HTML, FLOW_PANEL_SCRIPT } from "../flow-panel";
import { SMS_PANEL_HTML, SMS_PANEL_SCRIPT } from "../sms-panel";

import { escapeHtml, scriptJson } from "./html";

/**
 * The sandbox control page: place orders and move them through their life (pay, ship, carrier
 * scans, delay, cancel, refund, return), and watch the webhooks Shopify would send and the mail
 * the app sends. Every button calls the same /control/api the tests use.
 */
export function controlPage(o: { shop: string; appUrl: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sandbox control · ${escapeHtml(o.shop)}</title>
<style>
  * { box-sizing: border-box; }
  body {
    margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:#1f2124;
    background:#f6f6f7;
  }
  header {
    background:#1a1a1a; color:#fff; padding:12px 20px; display:flex; gap:16px; align-items:center; flex-wrap:wrap;
  }
  header a { color:#cfe3ff; }
  header h1 { font-size:16px; margin:0; margin-inline-end:auto; }
  main { max-width:1280px; margin:0 auto; padding:16px 20px; display:grid; gap:16px; grid-template-columns: 340px 1fr; }
  section { background:#fff; border:1px solid #e1e3e5; border-radius:12px; padding:14px 16px; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size:15px; margin:0 0 10px; }
  label { display:block; margin:6px 0 2px; font-weight:600; font-size:13px; }
  input, select {
    font:inherit; width:100%; padding:6px 8px; border:1px solid #c9cccf; border-radius:8px; background:#fff;
  }
  button {
    font:inherit; padding:6px 12px; border-radius:8px; border:1px solid #8c9196; background:#fff; cursor:pointer;
  }
  button.primary { background:#1a1a1a; border-color:#1a1a1a; color:#fff; }
  button:focus-visible, input:focus-visible, select:focus-visible { outline:2px solid #005bd3; outline-offset:1px; }
  table { width:100%; border-collapse:collapse; font-size:13px; }
  th, td { text-align:start; padding:6px 8px; border-block-end:1px solid #eceef0; vertical-align:top; }
  .row { display:flex; gap:6px; flex-wrap:wrap; min-width:320px; }
  .row button, .row select { padding:4px 8px; font-size:13px; width:auto; }
  .status { font-size:12px; padding:1px 8px; border-radius:10px; background:#eef1f4; white-space:nowrap; }
  .ok { color:#0c5132; } .bad { color:#8e1f0b; }
  #result { min-height:1.5em; margin-top:8px; }
  details pre {
    white-space:pre-wrap; word-break:break-all; max-height:300px; overflow:auto; background:#f6f6f7; padding:8px;
  }
</style>
</head>
<body>
<header>
  <h1>Shopify sandbox · ${escapeHtml(o.shop)}</h1>
  <a href="/admin">Admin (the app embedded)</a>
  <a href="/store">Storefront</a>
  <a href="${escapeHtml(o.appUrl)}/healthz">App health</a>
</header>
<main>
  <section>
    <h2>Place an order</h2>
    <form id="place-order">
      <label for="po-customer">Customer</label>
      <select id="po-customer" name="customerId"></select>
      <label for="po-email">Guest email (when no customer)</label>
      <input id="po-email" name="email" type="email" placeholder="guest@example.com">
      <label for="po-variant">Product</label>
      <select id="po-variant" name="variantId"></select>
      <label for="po-qty">Quantity</label>
      <input id="po-qty" name="quantity" type="number" min="1" value="1">
      <label><input type="checkbox" name="paid" checked style="width:auto"> Paid</label>
      <p><button class="primary" type="submit">Place order</button></p>
    </form>
    <div id="result" role="status" aria-live="polite"></div>
  </section>
  <section>
    <h2>Recent orders</h2>
    <table aria-describedby="orders-help">
      <thead><tr><th>Order</th><th>Status</th><th>Shipments</th><th>Actions</th></tr></thead>
      <tbody id="orders"></tbody>
    </table>
    <p id="orders-help" style="color:#6d7175"
      >Ship creates a fulfillment with a tracking number; scans move it along like a carrier would.</p
    >
  </section>
  <section class="wide">
    <h2>Webhooks sent to the app</h2>
    <table>
      <thead><tr><th>When</th><th>Topic</th><th>Webhook id</th><th>Attempts</th><th>Answer</th></tr></thead>
      <tbody id="webhooks"></tbody>
    </table>
  </section>
  ${FLOW_PANEL_HTML}
  ${SMS_PANEL_HTML}
  <section class="wide" id="klaviyo">
    <h2>Klaviyo (local stand-in)</h2>
    <p>Connect Klaviyo in the app with the key <code id="klaviyo-key"></code>. Events the app sends appear here,
      checked against Klaviyo's API definitions.
      <button type="button" id="klaviyo-fail">Fail the next 3 requests</button></p>
    <table>
      <thead><tr><th>When</th><th>Metric</th><th>Profile</th><th>Unique id</th></tr></thead>
      <tbody id="klaviyo-events"></tbody>
    </table>
  </section>
  <section class="wide">
    <h2>Mail the app sent</h2>
    <p>An email answered with <strong>Reply as the shopper</strong> goes by SMTP to its Reply-To; mail to the
      inbound domain reaches Mailgun (local stand-in), which posts it to the app signed as Mailgun signs it.</p>
    <p id="mail-result" role="status" aria-live="polite"></p>
    <table>
      <thead><tr><th>When</th><th>To</th><th>Subject</th><th>Shopper</th></tr></thead>
      <tbody id="mail"></tbody>
    </table>
    <h3 style="font-size:14px">Forwarded by Mailgun to the app</h3>
    <table>
      <thead><tr><th>When</th><th>Recipient</th><th>Subject</th><th>App answered</th></tr></thead>
      <tbody id="mail-inbound"></tbody>
    </table>
  </section>
</main>
<script>
(function () {
  var SCANS = ${scriptJson(["in_transit", "out_for_delivery", "attempted_delivery", "delivered", "failure"])};
  var result = document.getElementById("result");
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { e.appendChild(c); });
    return e;
  }
  function call(name, body) {
    result.textContent = "Working…";
    var init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body || {}) };
    return fetch("/control/api/scenarios/" + name, init)
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (r) {
        result.textContent = r.ok ? (r.body.message || "Done") : (r.body.error || "Refused");
        result.className = r.ok ? "ok" : "bad";
        refresh();
        return r;
      });
  }
  function button(label, onClick) {
    var b = el("button", { type: "button", text: label }); b.onclick = onClick; return b;
  }
  function renderOrders(orders) {
    var tbody = document.getElementById("orders");
    tbody.textContent = "";
    orders.forEach(function (o) {
      var actions = el("div", { class: "row" });
      // One button for a scenario on this order: it calls the scenario with the order's id.
      function orderButton(label, scenario) {
        return button(label, function () { call(scenario, { orderId: o.id }); });
      }
      if (o.financialStatus !== "paid" && !o.cancelled) actions.appendChild(orderButton("Pay", "pay-order"));
      if (o.unfulfilledQuantity > 0 && !o.cancelled) actions.appendChild(orderButton("Ship", "fulfil"));
      o.fulfillments.forEach(function (f) {
        var select = el("select", { "aria-label": "Carrier scan for " + (f.trackingNumber || f.id) });
        SCANS.forEach(function (s) { select.appendChild(el("option", { value: s, text: s.replace(/_/g, " ") })); });
        actions.appendChild(select);
        actions.appendChild(button("Scan", function () {
          call("scan", { fulfillmentId: f.id, status: select.value });
        }));
        actions.appendChild(button("Delay", function () { call("delay", { fulfillmentId: f.id, days: 4 }); }));
      });
      if (!o.cancelled && o.fulfillments.length === 0) actions.appendChild(orderButton("Cancel", "cancel"));
      if (o.financialStatus === "paid" || o.financialStatus === "partially_refunded")
        actions.appendChild(orderButton("Refund all", "refund"));
      if (o.fulfillments.length > 0) actions.appendChild(orderButton("Return", "create-return"));
      var ships = o.fulfillments.map(function (f) {
        return (f.trackingCompany || "") + " " + (f.trackingNumber || "") + " · " + (f.shipmentStatus || f.status);
      }).join("\\n");
      tbody.appendChild(el("tr", {}, [
        el("td", {}, [el("strong", { text: o.name }), el("div", { text: o.email || "" })]),
        el("td", {}, [el("span", {
          class: "status",
          text: (o.cancelled ? "cancelled" : o.financialStatus) + " · " + (o.fulfillmentStatus || "unfulfilled"),
        })]),
        el("td", { style: "white-space:pre-line", text: ships }),
        el("td", {}, [actions]),
      ]));
    });
  }
  document.getElementById("klaviyo-fail").onclick = function () {
    fetch("/control/api/klaviyo/fail", { method: "POST", body: JSON.stringify({ count: 3, status: 503 }) })
      .then(function (r) { return r.json(); })
      .then(function (b) { result.textContent = b.message || b.error; });
  };
  function refreshKlaviyo() {
    fetch("/control/api/klaviyo").then(function (r) { return r.json(); }).then(function (k) {
      document.getElementById("klaviyo-key").textContent = k.demoKey;
      var tbody = document.getElementById("klaviyo-events");
      tbody.textContent = "";
      k.events.slice(-30).reverse().forEach(function (e) {
        var p = e.body.data.attributes.profile.data.attributes || {};
        tbody.appendChild(el("tr", {}, [
          el("td", { text: new Date(e.receivedAt).toLocaleTimeString() }),
          el("td", { text: e.metric + (e.duplicate ? " (repeat, not recorded)" : "") }),
          el("td", { text: [p.email, p.phone_number].filter(Boolean).join(" · ") }),
          el("td", { text: e.uniqueId || "" }),
        ]));
      });
    });
  }
  // "Reply as the shopper": a details element, so the mailbox's refresh leaves an open one alone.
  var openReply = null;
  var drafts = {};
  function replyForm(m) {
    var box = el("details", { "data-mail": String(m.id) });
    if (openReply === m.id) box.setAttribute("open", "");
    box.ontoggle = function () { openReply = box.open ? m.id : (openReply === m.id ? null : openReply); };
    var form = el("form", { class: "row", "aria-label": "Reply as the shopper to " + m.subject });
    var text = el("textarea", { name: "text", rows: "3", "aria-label": "The shopper's answer", style: "width:100%" });
    text.value = drafts[m.id] || "Thanks, that helps!";
    text.oninput = function () { drafts[m.id] = text.value; };
    form.appendChild(text);
    form.appendChild(el("button", { type: "submit", text: "Send by email" }));
    form.onsubmit = function (event) {
      event.preventDefault();
      var out = document.getElementById("mail-result");
      out.textContent = "Sending…";
      fetch("/control/api/mail/reply", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ mailId: m.id, text: text.value }),
      }).then(function (r) { return r.json(); }).then(function (b) {
        out.textContent = b.message || b.error;
        out.className = b.error || (b.forward && b.forward.status !== 200) ? "bad" : "ok";
        openReply = null;
        refresh();
      });
    };
    box.appendChild(el("summary", { text: "Reply as the shopper" }));
    box.appendChild(form);
    return box;
  }
  ${FLOW_PANEL_SCRIPT}
  ${SMS_PANEL_SCRIPT}
  function refresh() {
    refreshKlaviyo();
    refreshFlow();
    refreshSms();
    fetch("/control/api/state").then(function (r) { return r.json(); }).then(function (s) {
      var customer = document.getElementById("po-customer");
      if (!customer.options.length) {
        customer.appendChild(el("option", { value: "", text: "Guest checkout" }));
        s.customers.forEach(function (c) {
          customer.appendChild(el("option", { value: c.id, text: c.name + " <" + c.email + ">" }));
        });
        var variant = document.getElementById("po-variant");
        s.variants.forEach(function (v) {
          variant.appendChild(el("option", { value: v.id, text: v.title + " · " + v.price }));
        });
      }
      renderOrders(s.orders);
    });
    fetch("/control/api/webhooks").then(function (r) { return r.json(); }).then(function (list) {
      var tbody = document.getElementById("webhooks");
      tbody.textContent = "";
      list.slice(0, 30).forEach(function (d) {
        tbody.appendChild(el("tr", {}, [
          el("td", { text: new Date(d.createdAt).toLocaleTimeString() }),
          el("td", { text: d.topic }),
          el("td", { text: d.webhookId }),
          el("td", { text: String(d.attempts) }),
          el("td", {
            class: d.delivered ? "ok" : "bad",
            text: d.dropped ? "dropped" : d.lastStatus ? String(d.lastStatus) : (d.lastError || "pending"),
          }),
        ]));
      });
    });
    fetch("/control/api/mail").then(function (r) { return r.json(); }).then(function (list) {
      var tbody = document.getElementById("mail");
      tbody.textContent = "";
      list.slice(0, 20).forEach(function (m) {
        var details = el("details", {}, [el("summary", { text: m.subject }), el("pre", { text: m.raw })]);
        var shopper = el("td", {});
        if (m.replyTo && m.replyTo.indexOf("+r.") > 0) shopper.appendChild(replyForm(m));
        tbody.appendChild(el("tr", {}, [
          el("td", { text: new Date(m.receivedAt).toLocaleTimeString() }),
          el("td", { text: m.to.join(", ") }),
          el("td", {}, [details]),
          shopper,
        ]));
      });
    });
    fetch("/control/api/mail/inbound").then(function (r) { return r.json(); }).then(function (b) {
      var tbody = document.getElementById("mail-inbound");
      tbody.textContent = "";
      b.forwarded.slice(-20).reverse().forEach(function (f) {
        tbody.appendChild(el("tr", {}, [
          el("td", { text: new Date(f.at).toLocaleTimeString() }),
          el("td", { text: f.recipient }),
          el("td", { text: f.subject }),
          el("td", {
            class: f.status === 200 ? "ok" : "bad",
            style: "word-break:break-all",
            text: f.status + " " + f.answer,
          }),
        ]));
      });
    });
  }
  document.getElementById("place-order").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = new FormData(e.target);
    call("place-order", {
      customerId: f.get("customerId") || null,
      email: f.get("email") || null,
      lines: [{ variantId: f.get("variantId"), quantity: Number(f.get("quantity") || 1) }],
      paid: f.get("paid") === "on",
    });
  });
  refresh();
  setInterval(refresh, 5000);
})();
</script>
</body>
</html>`;
}
