/**
 * Webhook payloads in Shopify's REST shape (snake_case, numeric ids beside admin_graphql_api_id,
 * money as decimal strings beside *_set MoneyBags, times in the shop's offset). Field lists follow
 * Shopify's documented example for each topic (tests/fixtures/webhooks).
 */
import {
  type Address,
  type Customer,
  type Fulfillment,
  type FulfillmentEvent,
  type LineItem,
  type Order,
  type Refund,
  type Return,
  type ReturnLine,
  type Shop,
  decimal,
  financialStatus,
  fulfillableQuantity,
  gidFor,
  lineFulfillmentStatus,
  orderFulfillmentStatus,
  orderTotals,
  sum,
  transaction,
} from "./state";
import { reasonDefinition } from "./return-reasons";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads are JSON shaped by hand
type Json = Record<string, any>;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** ISO instant -> "2026-07-01T09:30:00-04:00" in the shop's time zone, as Shopify writes times. */
export function shopTime(iso: string | null, timeZone: string): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "longOffset",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const offset = parts.timeZoneName === "GMT" ? "+00:00" : parts.timeZoneName.slice(3);
  const ms = date.getUTCMilliseconds();
  // Shopify writes whole seconds; keep milliseconds only when a change happened within a second.
  const fraction = ms ? `.${String(ms).padStart(3, "0")}` : "";
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${fraction}${offset}`;
}

/** Every sandbox shop ships from, and is registered at, the same made-up address. */
const SHOP_ADDRESS = {
  address1: "1 Sandbox Street",
  address2: null,
  city: "Ottawa",
  province: "Ontario",
  province_code: "ON",
  country_code: "CA",
  zip: "K2P 1L4",
  phone: "555-0100",
};

export function moneySet(amountMinor: number, currency: string): Json {
  const money = { amount: decimal(amountMinor, currency), currency_code: currency };
  return { shop_money: money, presentment_money: { ...money } };
}

function address(a: Address | null, extra: Json = {}): Json | null {
  if (!a) return null;
  return {
    first_name: a.firstName,
    address1: a.address1,
    phone: a.phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    country: a.country,
    last_name: a.lastName,
    address2: a.address2,
    company: a.company,
    latitude: null,
    longitude: null,
    name: `${a.firstName} ${a.lastName}`.trim(),
    country_code: a.countryCode,
    province_code: a.provinceCode,
    ...extra,
  };
}

export function customerPayload(shop: Shop, c: Customer, compact = false): Json {
  const defaultAddress = address(c.defaultAddress, {
    id: c.addressId,
    customer_id: c.id,
    country_name: c.defaultAddress.country,
    default: true,
  })!;
  // Inside an order, Shopify nests a smaller customer object.
  const base: Json = {
    id: c.id,
    email: c.email,
    created_at: shopTime(c.createdAt, shop.timezone),
    updated_at: shopTime(c.updatedAt, shop.timezone),
    first_name: c.firstName,
    last_name: c.lastName,
    state: c.state.toLowerCase(),
    note: c.note,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    phone: c.phone,
    email_marketing_consent: {
      state: c.acceptsMarketing ? "subscribed" : "not_subscribed",
      opt_in_level: "single_opt_in",
      consent_updated_at: shopTime(c.updatedAt, shop.timezone),
    },
    sms_marketing_consent: null,
    tags: c.tags.join(", "),
    currency: shop.currency,
    tax_exemptions: [],
    admin_graphql_api_id: gidFor("Customer", c.id),
    default_address: defaultAddress,
  };
  if (compact) return base;
  // Shopify's addresses list writes blanks where default_address has nulls.
  return {
    ...base,
    addresses: [{ ...defaultAddress, address2: defaultAddress.address2 ?? "", company: defaultAddress.company ?? "" }],
  };
}

function taxLines(amountMinor: number, rate: number, currency: string): Json[] {
  if (amountMinor === 0) return [];
  return [
    {
      channel_liable: false,
      price: decimal(amountMinor, currency),
      price_set: moneySet(amountMinor, currency),
      rate,
      title: "Tax",
    },
  ];
}

/** A line item as it appears in orders, fulfillments and refunds; `quantity` can be overridden. */
export function lineItemPayload(order: Order, li: LineItem, quantity = li.quantity): Json {
  const c = order.currency;
  const share = (amount: number) => (li.quantity === 0 ? 0 : Math.round((amount * quantity) / li.quantity));
  const discount = share(li.discountMinor);
  return {
    id: li.id,
    admin_graphql_api_id: gidFor("LineItem", li.id),
    attributed_staffs: [],
    current_quantity: Math.max(
      0,
      li.quantity -
        sum(order.refunds.flatMap((r) => r.lines.filter((l) => l.lineItemId === li.id).map((l) => l.quantity))),
    ),
    fulfillable_quantity: fulfillableQuantity(order, li),
    fulfillment_service: "manual",
    fulfillment_status: lineFulfillmentStatus(order, li),
    gift_card: false,
    grams: li.grams,
    name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
    price: decimal(li.priceMinor, c),
    price_set: moneySet(li.priceMinor, c),
    product_exists: li.productId !== null,
    product_id: li.productId,
    properties: [],
    quantity,
    requires_shipping: li.requiresShipping,
    sales_line_item_group_id: null,
    sku: li.sku ?? "",
    taxable: li.taxable,
    title: li.title,
    total_discount: decimal(discount, c),
    total_discount_set: moneySet(discount, c),
    variant_id: li.variantId,
    variant_inventory_management: "shopify",
    variant_title: li.variantTitle,
    vendor: li.vendor,
    tax_lines: taxLines(share(li.taxMinor), order.taxRate, c),
    duties: [],
    discount_allocations:
      discount > 0
        ? [{ amount: decimal(discount, c), amount_set: moneySet(discount, c), discount_application_index: 0 }]
        : [],
  };
}

export function fulfillmentPayload(shop: Shop, order: Order, f: Fulfillment): Json {
  const tz = shop.timezone;
  return {
    id: f.id,
    order_id: order.id,
    status: f.status,
    created_at: shopTime(f.createdAt, tz),
    service: "manual",
    updated_at: shopTime(f.updatedAt, tz),
    tracking_company: f.trackingCompany ?? "Other",
    shipment_status: f.shipmentStatus,
    location_id: shop.locationId,
    origin_address: {
      address1: SHOP_ADDRESS.address1,
      address2: SHOP_ADDRESS.address2,
      city: SHOP_ADDRESS.city,
      country_code: SHOP_ADDRESS.country_code,
      province_code: SHOP_ADDRESS.province_code,
      zip: SHOP_ADDRESS.zip,
    },
    email: order.email,
    destination: address(order.shippingAddress),
    line_items: f.lineItems.map((fl) => {
      const li = order.lineItems.find((l) => l.id === fl.lineItemId)!;
      return lineItemPayload(order, li, fl.quantity);
    }),
    tracking_number: f.trackingNumbers[0] ?? "",
    tracking_numbers: f.trackingNumbers,
    tracking_url: f.trackingUrls[0] ?? "",
    tracking_urls: f.trackingUrls,
    receipt: {},
    name: f.name,
    admin_graphql_api_id: gidFor("Fulfillment", f.id),
  };
}

export function fulfillmentEventPayload(shop: Shop, order: Order, f: Fulfillment, e: FulfillmentEvent): Json {
  const tz = shop.timezone;
  return {
    id: e.id,
    fulfillment_id: f.id,
    status: e.status,
    message: e.message ?? "",
    happened_at: shopTime(e.happenedAt, tz),
    city: e.city,
    province: e.province,
    country: e.country ?? order.shippingAddress?.countryCode ?? "",
    zip: e.zip,
    address1: e.address1,
    latitude: null,
    longitude: null,
    shop_id: shop.id,
    created_at: shopTime(e.createdAt, tz),
    updated_at: shopTime(e.createdAt, tz),
    estimated_delivery_at: shopTime(e.estimatedDeliveryAt, tz),
    order_id: order.id,
    admin_graphql_api_id: gidFor("FulfillmentEvent", e.id),
  };
}

function transactionPayload(shop: Shop, order: Order, id: number): Json {
  const t = transaction(order, id)!;
  return {
    id: t.id,
    order_id: order.id,
    kind: t.kind,
    gateway: t.gateway,
    status: t.status,
    message: t.kind === "refund" ? "Refunded" : "Paid",
    created_at: shopTime(t.createdAt, shop.timezone),
    test: false,
    authorization: null,
    location_id: null,
    user_id: null,
    parent_id: t.parentId,
    processed_at: shopTime(t.createdAt, shop.timezone),
    device_id: null,
    error_code: null,
    source_name: "web",
    receipt: {},
    amount: decimal(t.amountMinor, order.currency),
    currency: order.currency,
    payment_id: `${order.token}.${t.id}`,
    total_unsettled_set: {
      presentment_money: { amount: "0.0", currency: order.currency },
      shop_money: { amount: "0.0", currency: order.currency },
    },
    manual_payment_gateway: t.gateway === "manual",
    amount_rounding: null,
    admin_graphql_api_id: gidFor("OrderTransaction", t.id),
  };
}

export function refundPayload(shop: Shop, order: Order, r: Refund): Json {
  const c = order.currency;
  const tz = shop.timezone;
  const shippingAdjustments =
    r.shippingMinor > 0
      ? [
          {
            id: r.id + 1,
            order_id: order.id,
            refund_id: r.id,
            amount: decimal(-r.shippingMinor, c),
            tax_amount: decimal(0, c),
            kind: "shipping_refund",
            reason: "Shipping refund",
            amount_set: moneySet(-r.shippingMinor, c),
            tax_amount_set: moneySet(0, c),
          },
        ]
      : [];
  return {
    id: r.id,
    order_id: order.id,
    created_at: shopTime(r.createdAt, tz),
    note: r.note ?? "",
    // Refunds are made by a staff member: the shop's owner in the sandbox.
    user_id: (shop.staff.find((u) => u.accountOwner) ?? shop.staff[0]).id,
    processed_at: shopTime(r.processedAt, tz),
    restock: r.lines.some((l) => l.restockType !== "no_restock"),
    duties: [],
    total_duties_set: moneySet(0, c),
    return: r.returnId ? { id: r.returnId, admin_graphql_api_id: gidFor("Return", r.returnId) } : null,
    admin_graphql_api_id: gidFor("Refund", r.id),
    refund_line_items: r.lines.map((rl) => {
      const li = order.lineItems.find((l) => l.id === rl.lineItemId)!;
      return {
        id: rl.id,
        quantity: rl.quantity,
        line_item_id: li.id,
        location_id: rl.restockType === "no_restock" ? null : shop.locationId,
        restock_type: rl.restockType,
        subtotal: Number(decimal(rl.subtotalMinor, c)),
        total_tax: Number(decimal(rl.taxMinor, c)),
        subtotal_set: moneySet(rl.subtotalMinor, c),
        total_tax_set: moneySet(rl.taxMinor, c),
        line_item: lineItemPayload(order, li),
      };
    }),
    transactions: r.transactionIds.map((id) => transactionPayload(shop, order, id)),
    order_adjustments: shippingAdjustments,
    refund_shipping_lines: [],
  };
}

export function orderPayload(shop: Shop, order: Order, customer: Customer | null): Json {
  const c = order.currency;
  const tz = shop.timezone;
  const t = orderTotals(order);
  const ms = (minor: number) => moneySet(minor, c);
  const code = order.discountCodes[0];
  const taxTotal = t.taxMinor;
  const hasShipping = order.shippingLine !== null;
  return {
    id: order.id,
    admin_graphql_api_id: gidFor("Order", order.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: customer?.acceptsMarketing ?? false,
    cancel_reason: order.cancelReason,
    cancelled_at: shopTime(order.cancelledAt, tz),
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: shopTime(order.closedAt, tz),
    confirmation_number: order.token.slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: order.email,
    created_at: shopTime(order.createdAt, tz),
    currency: c,
    current_shipping_price_set: ms(t.currentShippingMinor),
    current_subtotal_price: decimal(t.currentSubtotalMinor, c),
    current_subtotal_price_set: ms(t.currentSubtotalMinor),
    current_total_additional_fees_set: null,
    current_total_discounts: decimal(t.currentDiscountsMinor, c),
    current_total_discounts_set: ms(t.currentDiscountsMinor),
    current_total_duties_set: null,
    current_total_price: decimal(t.currentTotalMinor, c),
    current_total_price_set: ms(t.currentTotalMinor),
    current_total_tax: decimal(t.currentTaxMinor, c),
    current_total_tax_set: ms(t.currentTaxMinor),
    customer_locale: order.customerLocale,
    device_id: null,
    discount_codes: order.discountCodes.map((d) => ({ code: d.code, amount: decimal(d.amountMinor, c), type: d.type })),
    duties_included: false,
    email: order.email,
    estimated_taxes: false,
    financial_status: financialStatus(order),
    fulfillment_status: orderFulfillmentStatus(order),
    landing_site: null,
    landing_site_ref: null,
    location_id: null,
    merchant_business_entity_id: `E${shop.id}`,
    merchant_of_record_app_id: null,
    name: order.name,
    note: order.note,
    note_attributes: [],
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${shop.domain}/${shop.id}/orders/${order.token}/authenticate?key=${order.token}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: order.transactions.filter((x) => x.kind === "sale").map((x) => x.gateway),
    phone: order.phone,
    po_number: null,
    presentment_currency: c,
    processed_at: shopTime(order.processedAt, tz),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: "web",
    source_url: null,
    subtotal_price: decimal(t.subtotalMinor, c),
    subtotal_price_set: ms(t.subtotalMinor),
    tags: order.tags.join(", "),
    tax_exempt: false,
    tax_lines: taxLines(taxTotal, order.taxRate, c),
    taxes_included: false,
    test: false,
    token: order.token,
    total_cash_rounding_payment_adjustment_set: ms(0),
    total_cash_rounding_refund_adjustment_set: ms(0),
    total_discounts: decimal(t.discountsMinor, c),
    total_discounts_set: ms(t.discountsMinor),
    total_line_items_price: decimal(t.lineItemsMinor, c),
    total_line_items_price_set: ms(t.lineItemsMinor),
    total_outstanding: decimal(t.outstandingMinor, c),
    total_price: decimal(t.totalMinor, c),
    total_price_set: ms(t.totalMinor),
    total_shipping_price_set: ms(t.shippingMinor),
    total_tax: decimal(taxTotal, c),
    total_tax_set: ms(taxTotal),
    total_tip_received: decimal(0, c),
    total_weight: sum(order.lineItems.map((l) => l.grams * l.quantity)),
    updated_at: shopTime(order.updatedAt, tz),
    user_id: null,
    billing_address: address(order.billingAddress ?? order.shippingAddress),
    customer: customer ? customerPayload(shop, customer, true) : null,
    discount_applications: code
      ? [
          {
            type: "discount_code",
            value: code.value,
            value_type: code.type === "percentage" ? "percentage" : "fixed_amount",
            allocation_method: "across",
            target_selection: "all",
            target_type: code.type === "shipping" ? "shipping_line" : "line_item",
            code: code.code,
          },
        ]
      : [],
    fulfillments: order.fulfillments.map((f) => fulfillmentPayload(shop, order, f)),
    line_items: order.lineItems.map((li) => lineItemPayload(order, li)),
    payment_terms: null,
    refunds: order.refunds.map((r) => refundPayload(shop, order, r)),
    shipping_address: address(order.shippingAddress),
    shipping_lines: hasShipping
      ? [
          {
            id: order.shippingLine!.id,
            carrier_identifier: null,
            code: order.shippingLine!.code,
            current_discounted_price_set: ms(t.currentShippingMinor),
            discounted_price: decimal(t.shippingMinor, c),
            discounted_price_set: ms(t.shippingMinor),
            is_removed: false,
            phone: null,
            price: decimal(order.shippingLine!.priceMinor, c),
            price_set: ms(order.shippingLine!.priceMinor),
            requested_fulfillment_service_id: null,
            source: "shopify",
            title: order.shippingLine!.title,
            tax_lines: [],
            discount_allocations: [],
          },
        ]
      : [],
    returns: [],
    line_item_groups: [],
  };
}

/**
 * REST payloads still carry the ReturnReason enum value in lowercase (`size_too_small`); it comes
 * from the line's definition, the legacy value standing in for lines saved before definitions.
 */
const reasonRest = (l: ReturnLine) =>
  (reasonDefinition(l.returnReasonDefinitionId)?.legacy ?? l.returnReason).toLowerCase();

function returnLineItemsPayload(ret: Return): Json[] {
  return ret.lines.map((l) => ({
    id: l.id,
    admin_graphql_api_id: gidFor("ReturnLineItem", l.id),
    fulfillment_line_item: {
      id: l.fulfillmentLineItemId,
      admin_graphql_api_id: gidFor("FulfillmentLineItem", l.fulfillmentLineItemId),
      line_item: { id: l.lineItemId, admin_graphql_api_id: gidFor("LineItem", l.lineItemId) },
    },
    quantity: l.quantity,
    return_reason: reasonRest(l),
    return_reason_note: l.returnReasonNote,
    customer_note: l.customerNote,
  }));
}

/** returns/request and returns/approve carry the return with its lines. */
export function returnPayload(order: Order, ret: Return): Json {
  return {
    id: ret.id,
    admin_graphql_api_id: gidFor("Return", ret.id),
    status: ret.status,
    order: { id: order.id, admin_graphql_api_id: gidFor("Order", order.id) },
    total_return_line_items: sum(ret.lines.map((l) => l.quantity)),
    // Shopify's documented payloads for these topics carry a null name.
    name: null,
    return_line_items: returnLineItemsPayload(ret),
    return_shipping_fees: [],
    // Shopify's payloads give each exchange item's order line as null (it exists once processed).
    exchange_line_items: (ret.exchangeLines ?? []).map((e) => ({
      id: e.id,
      admin_graphql_api_id: gidFor("ExchangeLineItem", e.id),
      line_item: null,
    })),
    total_exchange_line_items: sum((ret.exchangeLines ?? []).map((e) => e.quantity)),
  };
}

export function returnDeclinePayload(order: Order, ret: Return): Json {
  return {
    id: ret.id,
    admin_graphql_api_id: gidFor("Return", ret.id),
    status: ret.status,
    order: { id: order.id, admin_graphql_api_id: gidFor("Order", order.id) },
    decline: { reason: (ret.decline?.reason ?? "OTHER").toLowerCase(), note: ret.decline?.note ?? null },
  };
}

/** returns/close, returns/cancel (and returns/process, whose documented example is empty). */
export function returnStatusPayload(order: Order, ret: Return): Json {
  return { id: ret.id, admin_graphql_api_id: gidFor("Return", ret.id), order_id: order.id, status: ret.status };
}

export function shopPayload(shop: Shop): Json {
  const owner = shop.staff.find((s) => s.accountOwner) ?? shop.staff[0];
  return {
    id: shop.id,
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    province: SHOP_ADDRESS.province,
    country: SHOP_ADDRESS.country_code,
    address1: SHOP_ADDRESS.address1,
    zip: SHOP_ADDRESS.zip,
    city: SHOP_ADDRESS.city,
    source: null,
    phone: SHOP_ADDRESS.phone,
    latitude: null,
    longitude: null,
    primary_locale: "en",
    address2: null,
    created_at: shopTime(shop.createdAt, shop.timezone),
    updated_at: shopTime(shop.createdAt, shop.timezone),
    country_code: SHOP_ADDRESS.country_code,
    country_name: "Canada",
    currency: shop.currency,
    customer_email: shop.email,
    timezone: shop.timezone,
    iana_timezone: shop.timezone,
    shop_owner: owner ? `${owner.firstName} ${owner.lastName}` : shop.name,
    money_format: "{{amount}}",
    money_with_currency_format: `{{amount}} ${shop.currency}`,
    weight_unit: "kg",
    province_code: SHOP_ADDRESS.province_code,
    taxes_included: false,
    auto_configure_tax_inclusivity: null,
    tax_shipping: null,
    county_taxes: null,
    plan_display_name: "Development",
    plan_name: "partner_test",
    has_discounts: shop.discounts.length > 0,
    has_gift_cards: false,
    myshopify_domain: shop.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: "{{amount}}",
    money_with_currency_in_emails_format: `{{amount}} ${shop.currency}`,
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: false,
    has_storefront: true,
    finances: true,
    primary_location_id: shop.locationId,
    checkout_api_supported: true,
    multi_location_enabled: false,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [shop.currency],
    marketing_sms_consent_enabled_at_checkout: false,
    transactional_sms_disabled: false,
  };
}
