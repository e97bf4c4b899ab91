/**
 * The control page's Shopify Flow panel: what the app's triggers sent (flowTriggerReceive, as the
 * sandbox's Flow recorded it) and a form that runs any of the app's Flow actions the way a
 * workflow step does (a signed POST to the action's URL on the app, sandbox/engine/flow.ts), with
 * the app's answer shown as Flow would log it.
 */
import { z } from "zod";

import type { Sandbox } from "./engine";
import { payloadKeyOf } from "./engine/flow";

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

const runInput = z.object({
  handle: z.string().min(1, "Choose an action"),
  properties: z.record(z.union([z.string(), z.number(), z.boolean()])),
});

/** The panel's JSON endpoints under /control/api/flow; null for any other path. */
export async function handleFlowControl(
  request: Request,
  path: string,
  o: { sandbox: Sandbox; shop: string },
): Promise<Response | null> {
  if (path === "flow" && request.method === "GET") {
    const actions = o.sandbox.flow
      .extensions()
      .filter((e) => e.type === "flow_action")
      .map((a) => ({
        handle: a.handle,
        name: a.name,
        fields: a.fields.map((f) => ({
          key: payloadKeyOf(f),
          type: f.type,
          label:
            f.name ??
            (f.type === "customer_reference" ? "Customer id" : f.type === "order_reference" ? "Order id" : f.key),
          required: Boolean(f.required),
        })),
      }));
    return json({ runs: [...o.sandbox.flow.runs(o.shop)].reverse().slice(0, 50), actions });
  }
  if (path === "flow/actions" && request.method === "POST") {
    const parsed = runInput.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return json({ error: parsed.error.issues.map((i) => i.message).join("; ") }, 400);
    const action = o.sandbox.flow.extensions().find((e) => e.type === "flow_action" && e.handle === parsed.data.handle);
    if (!action) return json({ error: `The app has no Flow action ${parsed.data.handle}` }, 404);
    // Values as Flow sends them: numbers for number and reference fields, text for the rest.
    const properties: Record<string, unknown> = {};
    for (const field of action.fields) {
      const key = payloadKeyOf(field);
      const value = parsed.data.properties[key];
      if (value === undefined || value === "") continue;
      const numeric = /^(number_integer|number_decimal|customer_reference|order_reference)$/.test(field.type);
      properties[key] = numeric && /^-?\d+(\.\d+)?$/.test(String(value)) ? Number(value) : value;
    }
    try {
      const call = await o.sandbox.flow.runAction({ shop: o.shop, handle: action.handle, properties });
      return json({ status: call.status, body: call.body, request: call.request });
    } catch (error) {
      return json({ error: (error as Error).message }, 422);
    }
  }
  return null;
}

export const FLOW_PANEL_HTML = `
  <section class="wide" id="flow">
    <h2>Shopify Flow</h2>
    <form id="flow-action" class="row" aria-label="Run a Flow action">
      <label>Action <select id="flow-handle" name="handle"></select></label>
      <span id="flow-fields" class="row"></span>
      <button type="submit">Run action as Flow does</button>
    </form>
    <p id="flow-result" role="status"></p>
    <table>
      <thead><tr><th>When</th><th>Trigger</th><th>Payload</th></tr></thead>
      <tbody id="flow-runs"></tbody>
    </table>
  </section>`;

/** The panel's script, inside the control page's script (uses its el()). */
export const FLOW_PANEL_SCRIPT = `
  var flowActions = [];
  function renderFlowFields() {
    var box = document.getElementById("flow-fields");
    box.textContent = "";
    var action = flowActions.find(function (a) { return a.handle === document.getElementById("flow-handle").value; });
    (action ? action.fields : []).forEach(function (f) {
      var input = el("input", { name: f.key, "data-flow-field": f.key });
      if (/number|reference/.test(f.type)) input.setAttribute("inputmode", "numeric");
      if (f.required) input.setAttribute("required", "");
      box.appendChild(el("label", { text: f.label + " " }, [input]));
    });
  }
  document.getElementById("flow-handle").onchange = renderFlowFields;
  document.getElementById("flow-action").onsubmit = function (event) {
    event.preventDefault();
    var out = document.getElementById("flow-result");
    var properties = {};
    document.querySelectorAll("[data-flow-field]").forEach(function (i) { properties[i.name] = i.value; });
    out.textContent = "Running…";
    fetch("/control/api/flow/actions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ handle: document.getElementById("flow-handle").value, properties: properties }),
    }).then(function (r) { return r.json(); }).then(function (b) {
      out.textContent = b.error ? b.error : b.status + " " + ((b.body && b.body.message) || "");
      out.className = !b.error && b.status === 200 ? "ok" : "bad";
      refreshFlow();
    });
  };
  function refreshFlow() {
    fetch("/control/api/flow").then(function (r) { return r.json(); }).then(function (f) {
      var select = document.getElementById("flow-handle");
      if (!select.options.length) {
        flowActions = f.actions;
        f.actions.forEach(function (a) { select.appendChild(el("option", { value: a.handle, text: a.name })); });
        renderFlowFields();
      }
      var tbody = document.getElementById("flow-runs");
      tbody.textContent = "";
      f.runs.slice(0, 30).forEach(function (run) {
        tbody.appendChild(el("tr", {}, [
          el("td", { text: new Date(run.receivedAt).toLocaleTimeString() }),
          el("td", { text: run.handle }),
          el("td", { style: "font-family:monospace;font-size:12px", text: JSON.stringify(run.payload) }),
        ]));
      });
    });
  }`;
