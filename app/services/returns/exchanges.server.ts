/**
 * Exchanges against Shopify's catalogue as it is now: the storefront's product search for an
 * exchange for any product, and the check of what a shopper chose (the variant exists, is for
 * sale, is another option of the same product when that is the resolution, and is priced in the
 * order's currency). Prices become integer minor units here; the arithmetic is in
 * app/domain/returns/exchange.ts.
 */
import { isExchange, type RequestedItem } from "../../domain/returns/policy";
import { toMinor } from "../../domain/shared/money";
import { ShopifyApiError, type AdminClient } from "../../shopify/admin.server";
import {
  ExchangeProductSearch,
  ExchangeVariants,
  OrderTaxes,
  type ExchangeVariantNode,
} from "../../shopify/operations/exchanges";

import type { OrderForReturns } from "./cases.server";
import { ReturnsError } from "./errors.server";

export interface ExchangeChoice {
  variantId: string;
  productId: string;
  /** "Product – Variant", as the shopper and merchant read it. */
  title: string;
  unitPriceMinor: number;
}

const UNAVAILABLE = "Exchanges cannot be checked right now. Please try again shortly.";
const VARIANT_GID = /^gid:\/\/shopify\/ProductVariant\/\d{1,20}$/;

const titleOf = (product: string, variant: string) =>
  variant === "Default Title" ? product : `${product} – ${variant}`;

function currencyMatches(shopCurrency: string, orderCurrency: string) {
  if (shopCurrency.toUpperCase() !== orderCurrency.toUpperCase()) {
    throw new ReturnsError(
      422,
      "exchange_currency",
      "This order was paid in another currency, so it cannot be exchanged online. Choose a refund or store credit.",
    );
  }
}

async function ask<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ShopifyApiError) throw new ReturnsError(502, "shopify_unavailable", UNAVAILABLE);
    throw error;
  }
}

/**
 * What the shopper chose in exchange, checked with Shopify now, keyed by variant id. An exchange
 * item without an exchange resolution is a 400; a variant that is gone, not for sale, or (for an
 * exchange of the same product) of another product, a 422.
 */
export async function checkExchangeChoices(
  admin: AdminClient | null,
  input: { items: RequestedItem[]; resolution: string; order: OrderForReturns | null },
): Promise<Record<string, ExchangeChoice>> {
  const wanted = input.items.filter((i) => i.exchangeVariantId).map((i) => i.exchangeVariantId!);
  if (!isExchange(input.resolution as never)) {
    if (wanted.length)
      throw new ReturnsError(400, "exchange_not_chosen", "An exchange item was chosen without choosing an exchange.");
    return {};
  }
  // Missing choices are the request check's to report (exchange_variant_required), an unknown order the lookup's.
  if (!wanted.length || !input.order) return {};
  if (wanted.some((id) => !VARIANT_GID.test(id)))
    throw new ReturnsError(400, "bad_exchange", "The item chosen in exchange could not be read. Choose it again.");
  if (!admin) throw new ReturnsError(502, "shopify_unavailable", UNAVAILABLE);
  const order = input.order;
  const answer = await ask(() => admin.request(ExchangeVariants, { ids: [...new Set(wanted)] }));
  currencyMatches(answer.shop.currencyCode, order.order.currency);
  const choices: Record<string, ExchangeChoice> = {};
  for (const item of input.items) {
    const v = answer.nodes.find(
      (n): n is ExchangeVariantNode =>
        n?.__typename === "ProductVariant" && (n as ExchangeVariantNode).id === item.exchangeVariantId,
    );
    if (!v || !v.availableForSale || v.product.status !== "ACTIVE") {
      throw new ReturnsError(
        422,
        "exchange_unavailable",
        "The item you chose in exchange is not available any more. Choose another.",
      );
    }
    const line = order.lines.find((l) => l.lineItemId === item.lineItemId);
    if (
      input.resolution === "exchange_variant" &&
      (!line || v.product.id !== line.productId || v.id === line.variantId)
    ) {
      throw new ReturnsError(
        422,
        "exchange_variant_invalid",
        "An exchange must be another option of the same product.",
      );
    }
    choices[v.id] = {
      variantId: v.id,
      productId: v.product.id,
      title: titleOf(v.product.title, v.title),
      unitPriceMinor: toMinor(v.price, order.order.currency),
    };
  }
  return choices;
}

export interface ExchangeSearchResult {
  id: string;
  title: string;
  imageUrl: string | null;
  variants: { id: string; title: string; priceMinor: number }[];
}

export const SEARCH_MAX_LENGTH = 80;
const SEARCH_RESULTS = 12;

/**
 * Shopify's search syntax reads `:`, quotes, brackets and a leading `-` as operators; a shopper's
 * words are kept to letters, digits and spaces so they only ever search, never filter.
 */
export function searchWords(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .split(" ")
    .filter((w) => w && !/^(AND|OR|NOT)$/.test(w))
    .join(" ");
}

/** The shop's active products for these words (all of them for none), only their variants for sale. */
export async function searchExchangeProducts(
  admin: AdminClient | null,
  text: string,
  orderCurrency: string,
): Promise<ExchangeSearchResult[]> {
  if (!admin) throw new ReturnsError(502, "shopify_unavailable", UNAVAILABLE);
  const words = searchWords(text);
  const answer = await ask(() =>
    admin.request(ExchangeProductSearch, {
      query: words ? `status:active ${words}` : "status:active",
      first: SEARCH_RESULTS,
    }),
  );
  currencyMatches(answer.shop.currencyCode, orderCurrency);
  return answer.products.nodes
    .map((p) => ({
      id: p.id,
      title: p.title,
      imageUrl: p.featuredMedia?.preview?.image?.url ?? null,
      variants: p.variants.nodes
        .filter((v) => v.availableForSale)
        .map((v) => ({
          id: v.id,
          title: v.title === "Default Title" ? p.title : v.title,
          priceMinor: toMinor(v.price, orderCurrency),
        })),
    }))
    .filter((p) => p.variants.length > 0);
}

/**
 * How the difference of a dearer exchange is taxed in Shopify's invoice, which is for the order's
 * balance: the new items are taxed as the order's lines were, less the tax paid on the returned
 * ones. "added": prices before tax, so the invoice adds tax to the quoted difference; "included":
 * prices include tax, so the difference is what is paid; "none": the order carries no tax, nor
 * will the difference. When Shopify cannot say, "added" (the shopper is told tax may be added).
 */
export type ExchangeTax = "added" | "included" | "none";

export async function exchangeTax(admin: AdminClient | null, orderShopifyId: string): Promise<ExchangeTax> {
  if (!admin) return "added";
  try {
    const order = (await admin.request(OrderTaxes, { id: orderShopifyId })).order;
    if (!order) return "added";
    if (order.taxesIncluded) return "included";
    const tax = order.currentTotalTaxSet?.shopMoney;
    return tax && toMinor(tax.amount, tax.currencyCode) === 0 ? "none" : "added";
  } catch (error) {
    if (error instanceof ShopifyApiError) return "added";
    throw error;
  }
}
