import type { UserError } from "../../shopify/admin.server";

/** A refusal the caller can act on: becomes a 4xx with this message, never a 500. */
export class ReturnsError extends Error {
  /** What the admin's words for `code` need (a return's number, an item's title, the step refused). */
  values: Record<string, string | number> = {};
  /** Shopify's own userErrors when Shopify refused: their codes say it in the admin's words, or their text is shown. */
  shopifyErrors: UserError[] = [];

  constructor(
    public readonly status: 400 | 403 | 404 | 409 | 422 | 429 | 502,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = "ReturnsError";
  }

  with(values: Record<string, string | number>): this {
    this.values = { ...this.values, ...values };
    return this;
  }

  fromShopify(errors: UserError[]): this {
    this.shopifyErrors = errors;
    return this;
  }
}
