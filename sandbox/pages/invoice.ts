/**
 * The page an invoice's "Pay now" link opens: the sandbox's stand-in for Shopify's checkout for an
 * order's balance (orderInvoiceSend). It shows what the order owes and takes the payment, after
 * which the sandbox emits orders/paid and orders/updated as Shopify does.
 */
import { escapeHtml } from "./html";

export function invoicePage(input: {
  shopName: string;
  orderName: string;
  amount: string;
  paid: boolean;
  message?: string;
}): string {
  const body = input.paid
    ? `<p role="status">Thank you. Order ${escapeHtml(input.orderName)} is paid.</p>`
    : `<p>Order <bdi>${escapeHtml(input.orderName)}</bdi> has <strong>${escapeHtml(input.amount)}</strong> to pay.</p>
       <form method="post"><button type="submit">Pay ${escapeHtml(input.amount)}</button></form>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pay for order ${escapeHtml(input.orderName)} · ${escapeHtml(input.shopName)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;background:#1f5199;color:#fff}</style>
</head><body><main><h1>${escapeHtml(input.shopName)}</h1>
${input.message ? `<p role="alert">${escapeHtml(input.message)}</p>` : ""}${body}</main></body></html>`;
}
