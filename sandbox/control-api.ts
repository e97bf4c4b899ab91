/**
 * JSON endpoints behind the control page, also used by the end-to-end tests: read the sandbox
 * shop and run scenarios. Input is checked; a scenario Shopify would refuse answers 422 with
 * Shopify's message.
 */
import { z } from "zod";

import { financialStatus } from "./engine/state";
import { ScenarioError, type Sandbox } from "./engine";
import type { CapturedMail } from "./smtp";
import { CARRIERS, seededRandom } from "./seed-data";

export interface ControlApiOptions {
  sandbox: Sandbox;
  shop: string;
  mails?: () => CapturedMail[];
  onChange?: () => void;
  imageBase: () => string;
}

const id = z.union([z.string().min(1), z.number().int().positive()]);
const SCAN_STATUSES = ["in_transit", "out_for_delivery", "attempted_delivery", "delivered", "failure"] as const;

const scenarioInputs = {
  "place-order": z.object({
    customerId: id.nullish(),
    email: z.string().email("Enter the guest's email address").nullish(),
    lines: z
      .array(z.object({ variantId: id, quantity: z.coerce.number().int().min(1).max(50) }))
      .min(1, "Choose at least one product"),
    paid: z.boolean().default(true),
  }),
  "pay-order": z.object({ orderId: id }),
  fulfil: z.object({
    orderId: id,
    trackingCompany: z.string().min(1).optional(),
    trackingNumber: z.string().min(1).optional(),
    lines: z.array(z.object({ lineItemId: id, quantity: z.number().int().min(1) })).optional(),
  }),
  scan: z.object({
    fulfillmentId: id,
    status: z.enum(SCAN_STATUSES, { message: `status must be one of ${SCAN_STATUSES.join(", ")}` }),
    message: z.string().optional(),
    estimatedDeliveryAt: z.string().datetime().optional(),
  }),
  delay: z.object({ fulfillmentId: id, days: z.number().min(1).max(60).default(3) }),
  cancel: z.object({
    orderId: id,
    reason: z.enum(["customer", "declined", "fraud", "inventory", "other", "staff"]).default("customer"),
  }),
  refund: z.object({ orderId: id, note: z.string().optional() }),
  "create-return": z.object({ orderId: id }),
  "create-customer": z.object({
    email: z.string().email(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
  }),
  "redact-customer": z.object({ customerId: id }),
  "data-request": z.object({ customerId: id }),
} as const;

type ScenarioName = keyof typeof scenarioInputs;

const json = (body: unknown, status = 200) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

export function controlApi(options: ControlApiOptions) {
  const { sandbox, shop } = options;
  const random = seededRandom(Date.now() & 0xffff);

  function orderSummary(order: ReturnType<Sandbox["shop"]>["orders"][number]) {
    const unfulfilled = order.fulfillmentOrders
      .filter((fo) => fo.status === "OPEN" || fo.status === "IN_PROGRESS")
      .reduce((sum, fo) => sum + fo.lineItems.reduce((s, l) => s + l.remainingQuantity, 0), 0);
    return {
      id: order.id,
      name: order.name,
      email: order.email,
      createdAt: order.createdAt,
      cancelled: Boolean(order.cancelledAt),
      financialStatus: financialStatus(order),
      fulfillmentStatus: order.fulfillments.length === 0 ? null : unfulfilled > 0 ? "partial" : "fulfilled",
      unfulfilledQuantity: unfulfilled,
      fulfillments: order.fulfillments.map((f) => ({
        id: f.id,
        name: f.name,
        status: f.status,
        shipmentStatus: f.shipmentStatus,
        trackingCompany: f.trackingCompany,
        trackingNumber: f.trackingNumbers[0] ?? null,
        estimatedDeliveryAt: f.estimatedDeliveryAt,
      })),
    };
  }

  async function runScenario(
    name: ScenarioName,
    input: Record<string, unknown>,
  ): Promise<{ message: string; [k: string]: unknown }> {
    switch (name) {
      case "place-order": {
        const i = input as z.infer<(typeof scenarioInputs)["place-order"]>;
        if (!i.customerId && !i.email) throw new ScenarioError("Choose a customer or enter a guest email.");
        const order = sandbox.placeOrder({
          shop,
          ...(i.customerId ? { customer: i.customerId } : { email: i.email! }),
          lines: i.lines,
          paid: i.paid,
        });
        return { message: `${order.name} placed`, order: orderSummary(order) };
      }
      case "pay-order": {
        const order = sandbox.payOrder({ shop, order: (input as { orderId: string }).orderId });
        return { message: `${order.name} paid`, order: orderSummary(order) };
      }
      case "fulfil": {
        const i = input as z.infer<(typeof scenarioInputs)["fulfil"]>;
        const carrier = CARRIERS[Math.floor(random() * CARRIERS.length)];
        const f = sandbox.fulfil({
          shop,
          order: i.orderId,
          lines: i.lines,
          trackingCompany: i.trackingCompany ?? carrier.company,
          trackingNumber: i.trackingNumber ?? carrier.number(random),
        });
        return {
          message: `${f.name} shipped with ${f.trackingCompany} ${f.trackingNumbers[0]}`,
          fulfillment: { id: f.id, name: f.name },
        };
      }
      case "scan": {
        const i = input as z.infer<(typeof scenarioInputs)["scan"]>;
        const event = sandbox.carrierScan({
          shop,
          fulfillment: i.fulfillmentId,
          status: i.status,
          message: i.message,
          estimatedDeliveryAt: i.estimatedDeliveryAt,
        });
        return { message: `Carrier scan: ${event.status.replace(/_/g, " ")}` };
      }
      case "delay": {
        const i = input as z.infer<(typeof scenarioInputs)["delay"]>;
        const f = sandbox.delay({ shop, fulfillment: i.fulfillmentId, byMs: i.days * 86_400_000 });
        return { message: `${f.name} delayed by ${i.days} days` };
      }
      case "cancel": {
        const i = input as z.infer<(typeof scenarioInputs)["cancel"]>;
        const order = sandbox.cancelOrder({ shop, order: i.orderId, reason: i.reason });
        return { message: `${order.name} cancelled` };
      }
      case "refund": {
        const i = input as z.infer<(typeof scenarioInputs)["refund"]>;
        sandbox.refund({ shop, order: i.orderId, shipping: true, note: i.note });
        return { message: "Refunded" };
      }
      case "create-return": {
        const r = sandbox.merchantCreateReturn({ shop, order: (input as { orderId: string }).orderId });
        return { message: `Return ${r.name ?? r.id} created`, returnId: r.id };
      }
      case "create-customer": {
        const c = sandbox.createCustomer({ shop, ...(input as z.infer<(typeof scenarioInputs)["create-customer"]>) });
        return { message: `Customer ${c.email} created`, customerId: c.id };
      }
      case "redact-customer":
        sandbox.customersRedact({ shop, customer: (input as { customerId: string }).customerId });
        return { message: "customers/redact sent" };
      case "data-request":
        sandbox.customersDataRequest({ shop, customer: (input as { customerId: string }).customerId });
        return { message: "customers/data_request sent" };
    }
  }

  return async function handle(request: Request, path: string): Promise<Response> {
    if (path === "state" && request.method === "GET") {
      const s = sandbox.shop(shop);
      return json({
        shop: sandbox.shopInfo(shop),
        counts: { orders: s.orders.length, customers: s.customers.length, products: s.products.length },
        orders: [...s.orders]
          .sort((a, b) => b.id - a.id)
          .slice(0, 25)
          .map(orderSummary),
        customers: s.customers
          .slice(0, 50)
          .map((c) => ({ id: c.id, name: `${c.firstName} ${c.lastName}`.trim(), email: c.email })),
        variants: s.products.flatMap((p) =>
          p.variants.map((v) => ({
            id: v.id,
            productId: p.id,
            title: v.title === "Default Title" ? p.title : `${p.title} · ${v.title}`,
            price: (v.priceMinor / 100).toFixed(2),
          })),
        ),
      });
    }
    if (path === "webhooks" && request.method === "GET") {
      const deliveries = sandbox.webhooks.deliveries({ shop }).slice(-100).reverse();
      return json(
        deliveries.map((d) => ({
          webhookId: d.webhookId,
          topic: d.topic,
          createdAt: d.triggeredAt,
          attempts: d.attempts.length,
          delivered: d.status === "delivered",
          dropped: d.status === "dropped",
          lastStatus: d.responseCode,
          lastError: d.attempts.at(-1)?.error ?? null,
        })),
      );
    }
    // Dropping chosen webhooks on purpose (a lost delivery), for reconciliation's tests and demos:
    // {topic, count?} drops the next `count` of the topic, or all of it until cleared.
    if (path === "webhooks/drops" && request.method === "GET") return json(sandbox.webhooks.dropRules());
    if (path === "webhooks/drops" && (request.method === "POST" || request.method === "DELETE")) {
      const schema = z.object({
        topic: z
          .string()
          .regex(/^[a-z_]+\/[a-z_]+$/, "topic: e.g. orders/create")
          .optional(),
      });
      const input = schema
        .extend({ count: z.number().int().min(1).max(10_000).optional() })
        .safeParse(await request.json().catch(() => ({})));
      if (!input.success) return json({ error: input.error.issues.map((i) => i.message).join("; ") }, 400);
      if (request.method === "DELETE") sandbox.webhooks.clearDrops(input.data.topic);
      else if (input.data.topic) sandbox.webhooks.drop(input.data.topic, input.data.count);
      else return json({ error: "topic: name the topic to drop, e.g. orders/create" }, 400);
      return json(sandbox.webhooks.dropRules());
    }
    if (path === "mail" && request.method === "GET") {
      return json([...(options.mails?.() ?? [])].reverse());
    }
    if (path === "resources" && request.method === "GET") {
      const s = sandbox.shop(shop);
      const type = new URL(request.url).searchParams.get("type");
      if (type === "collection")
        return json(
          s.collections.map((c) => ({ id: `gid://shopify/Collection/${c.id}`, title: c.title, handle: c.handle })),
        );
      return json(
        s.products.map((p) => ({
          id: `gid://shopify/Product/${p.id}`,
          title: p.title,
          handle: p.handle,
          images: p.images.map((i) => ({ originalSrc: i.url })),
        })),
      );
    }
    const scenario = /^scenarios\/([a-z-]+)$/.exec(path)?.[1] as ScenarioName | undefined;
    if (scenario && request.method === "POST") {
      const schema = scenarioInputs[scenario];
      if (!schema)
        return json({ error: `Unknown scenario ${scenario}. Known: ${Object.keys(scenarioInputs).join(", ")}` }, 404);
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        return json({ error: "Send the scenario's input as a JSON object." }, 400);
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        return json(
          { error: parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ") },
          400,
        );
      }
      try {
        const result = await runScenario(scenario, parsed.data as Record<string, unknown>);
        options.onChange?.();
        return json(result);
      } catch (error) {
        if (error instanceof ScenarioError) return json({ error: error.message }, 422);
        throw error;
      }
    }
    return json({ error: "Not found" }, 404);
  };
}
