/**
 * Twilio in the sandbox: the stand-in's Messages API at /twilio (TWILIO_API_URL=<sandbox>/twilio),
 * and the control page's SMS panel: the texts the app sent, failing the next ones on demand, and
 * a shopper's reply (STOP, START …) sent to the app's /sms/inbound signed as Twilio signs it.
 */
import { z } from "zod";

import { TWILIO_DEMO_NUMBER, type TwilioStandIn } from "./twilio";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

const replyInput = z.object({
  from: z.string().regex(/^\+[1-9]\d{7,14}$/, "from: a phone number such as +14155550123"),
  body: z.string().min(1, "body: the shopper's reply").max(1600),
});
const failInput = z.object({
  count: z.number().int().min(0).max(1000).default(1),
  status: z.number().int().min(400).max(599).default(503),
});

export async function handleSmsControl(
  request: Request,
  path: string,
  o: { twilio: TwilioStandIn; appUrl: string },
): Promise<Response | null> {
  if (path.startsWith("/twilio/")) return o.twilio.handle(request, path.slice("/twilio".length));
  if (path === "/control/api/sms" && request.method === "GET")
    return json({ number: TWILIO_DEMO_NUMBER, messages: o.twilio.messages(), replies: o.twilio.inbound() });
  if (path === "/control/api/sms/fail" && request.method === "POST") {
    const input = failInput.safeParse(await request.json().catch(() => ({})));
    if (!input.success) return json({ error: input.error.issues.map((i) => i.message).join("; ") }, 400);
    o.twilio.failNext(input.data.count, input.data.status);
    return json({ message: `The next ${input.data.count} texts answer ${input.data.status}.` });
  }
  if (path === "/control/api/sms/reply" && request.method === "POST") {
    const input = replyInput.safeParse(await request.json().catch(() => ({})));
    if (!input.success) return json({ error: input.error.issues.map((i) => i.message).join("; ") }, 400);
    const sent = await o.twilio.reply({
      webhookUrl: `${o.appUrl.replace(/\/$/, "")}/sms/inbound`,
      from: input.data.from,
      to: TWILIO_DEMO_NUMBER,
      body: input.data.body,
    });
    return json({ message: `The app answered ${sent.status}.`, reply: sent });
  }
  return null;
}

export const SMS_PANEL_HTML = `
  <section class="wide" id="sms">
    <h2>Twilio (local stand-in)</h2>
    <p>Texts the app sends from <code id="sms-number"></code>.
      <button type="button" id="sms-fail">Fail the next 3 texts</button></p>
    <form id="sms-reply" class="row" aria-label="Reply as a shopper">
      <label>Shopper's number <input name="from" placeholder="+14155550123" required></label>
      <label>Reply <input name="body" value="STOP" required></label>
      <button type="submit">Send reply to the app</button>
    </form>
    <p id="sms-result" role="status"></p>
    <table>
      <thead><tr><th>When</th><th>To</th><th>Text</th><th>Segments</th></tr></thead>
      <tbody id="sms-messages"></tbody>
    </table>
  </section>`;

export const SMS_PANEL_SCRIPT = `
  function smsPost(path, body) {
    return fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); })
      .then(function (b) {
        var out = document.getElementById("sms-result");
        out.textContent = b.message || b.error;
        out.className = b.error ? "bad" : "ok";
        refreshSms();
      });
  }
  document.getElementById("sms-fail").onclick = function () { smsPost("/control/api/sms/fail", { count: 3 }); };
  document.getElementById("sms-reply").onsubmit = function (event) {
    event.preventDefault();
    var form = event.target;
    smsPost("/control/api/sms/reply", { from: form.from.value, body: form.body.value });
  };
  function refreshSms() {
    fetch("/control/api/sms").then(function (r) { return r.json(); }).then(function (s) {
      document.getElementById("sms-number").textContent = s.number;
      var tbody = document.getElementById("sms-messages");
      tbody.textContent = "";
      s.messages.slice(-30).reverse().forEach(function (m) {
        tbody.appendChild(el("tr", {}, [
          el("td", { text: new Date(m.receivedAt).toLocaleTimeString() }),
          el("td", { text: m.to }),
          el("td", { text: m.body }),
          el("td", { text: String(m.numSegments) }),
        ]));
      });
    });
  }`;
