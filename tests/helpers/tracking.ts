/**
 * Shopify-shaped payloads for tracking tests, built from Shopify's documented examples with small
 * ids (the examples' 18-digit ids lose precision in JSON.parse) and times the test chooses.
 */
import { examplePayload } from "./webhooks";

export const SHOP = "aftercare-test.myshopify.com";

export const hoursAgo = (h: number, now = Date.now()) => new Date(now - h * 3_600_000).toISOString();

export function orderPayload(o: {
  id: number;
  name: string;
  email: string | null;
  customerId?: number | null;
  createdAt: string;
  updatedAt?: string;
  country?: string;
  locale?: string;
  lineItems?: { id: number; title?: string; quantity?: number; fulfillable?: number }[];
  fulfillments?: object[];
}) {
  const base = JSON.parse(examplePayload("orders/create"));
  const items = o.lineItems ?? [{ id: o.id * 10 + 1, title: "Linen shirt", quantity: 1, fulfillable: 0 }];
  return {
    ...base,
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    name: o.name,
    order_number: Number(o.name.replace(/\D/g, "")) || o.id,
    email: o.email,
    contact_email: o.email,
    customer_locale: o.locale ?? "en",
    financial_status: "paid",
    fulfillment_status: null,
    cancelled_at: null,
    cancel_reason: null,
    closed_at: null,
    created_at: o.createdAt,
    processed_at: o.createdAt,
    updated_at: o.updatedAt ?? o.createdAt,
    customer: o.customerId
      ? {
          ...base.customer,
          id: o.customerId,
          admin_graphql_api_id: `gid://shopify/Customer/${o.customerId}`,
          email: o.email,
        }
      : null,
    shipping_address: { ...base.shipping_address, country_code: o.country ?? "CA", city: "Toronto", zip: "M5V 2T6" },
    line_items: items.map((li) => ({
      ...base.line_items[0],
      id: li.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${li.id}`,
      title: li.title ?? "Linen shirt",
      name: li.title ?? "Linen shirt",
      quantity: li.quantity ?? 1,
      fulfillable_quantity: li.fulfillable ?? 0,
      requires_shipping: true,
      product_id: 700 + li.id,
      variant_id: 800 + li.id,
    })),
    fulfillments: o.fulfillments ?? [],
    refunds: [],
  };
}

export function fulfillmentPayload(f: {
  id: number;
  orderId: number;
  createdAt: string;
  updatedAt?: string;
  company?: string | null;
  numbers?: string[];
  urls?: string[];
  shipmentStatus?: string | null;
  status?: string;
  lineItems: { id: number; quantity?: number }[];
}) {
  const base = JSON.parse(examplePayload("fulfillments/create"));
  return {
    ...base,
    id: f.id,
    admin_graphql_api_id: `gid://shopify/Fulfillment/${f.id}`,
    order_id: f.orderId,
    status: f.status ?? "success",
    created_at: f.createdAt,
    updated_at: f.updatedAt ?? f.createdAt,
    tracking_company: f.company ?? null,
    tracking_number: f.numbers?.[0] ?? null,
    tracking_numbers: f.numbers ?? [],
    tracking_url: f.urls?.[0] ?? null,
    tracking_urls: f.urls ?? [],
    shipment_status: f.shipmentStatus ?? null,
    line_items: f.lineItems.map((li) => ({
      ...base.line_items[0],
      id: li.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${li.id}`,
      quantity: li.quantity ?? 1,
    })),
  };
}

export function fulfillmentEventPayload(e: {
  id: number;
  fulfillmentId: number;
  orderId: number;
  status: string;
  happenedAt: string;
  message?: string | null;
  estimatedDeliveryAt?: string | null;
}) {
  const base = JSON.parse(examplePayload("fulfillment_events/create"));
  return {
    ...base,
    id: e.id,
    admin_graphql_api_id: `gid://shopify/FulfillmentEvent/${e.id}`,
    fulfillment_id: e.fulfillmentId,
    order_id: e.orderId,
    status: e.status,
    message: e.message ?? null,
    happened_at: e.happenedAt,
    created_at: e.happenedAt,
    updated_at: e.happenedAt,
    estimated_delivery_at: e.estimatedDeliveryAt ?? null,
    city: "Toronto",
    province: "ON",
    country: "CA",
  };
}
