/**
 * A return's step refused, in the admin's words: the services' codes and Shopify's userError codes
 * become messages in en, ko and ja; Shopify's English is shown, as a detail, only when no code
 * says what happened.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { ReturnsError } from "../../services/returns/errors.server";

import { refusalSaid, SHOPIFY_ERROR_CODES } from "./refusals";

import { translator } from "./index";

const ja = translator("ja");
const ko = translator("ko");
const en = translator("en");
const word = (t: typeof ja, r: ReturnType<typeof refusalSaid>) => t(r.said.key, r.said.values);

describe("a refused step in the admin's language", () => {
  it("says a status refusal with the return's number, per step, with no English left", () => {
    const refused = new ReturnsError(409, "wrong_status", "Return 1042 is declined and cannot be approved.").with({
      number: 1042,
      step: "approve",
    });
    const r = refusalSaid(refused);
    expect(r.detail).toBeNull();
    expect(word(en, r)).toBe("Return 1042 can no longer be approved in its current status.");
    expect(word(ja, r)).toBe("返品1042は現在のステータスでは承認できません。");
    expect(word(ko, r)).toContain("1042");
    expect(word(ko, r)).not.toMatch(/[A-Za-z]{3,}/);
  });

  it("names the item in a service's refusal", () => {
    const refused = new ReturnsError(400, "disposition_required", "Choose whether Mug goes back to stock.").with({
      item: "Blue mug",
    });
    expect(word(ja, refusalSaid(refused))).toBe(
      "Blue mugを在庫に戻すかどうかを選んでください（再入荷、再入荷しない、紛失）。",
    );
  });

  it("words Shopify's known userError codes itself, and keeps Shopify's text only for the others", () => {
    const known = new ReturnsError(
      422,
      "shopify_refused",
      "Shopify refused to approve the return: Invalid state",
    ).fromShopify([{ field: ["id"], message: "Return is not in a valid state", code: "INVALID_STATE" }]);
    const saidKnown = refusalSaid(known);
    expect(saidKnown.detail).toBeNull();
    expect(word(ja, saidKnown)).toContain("Shopifyの返品ではもうこの操作ができません");

    const unknown = new ReturnsError(
      422,
      "shopify_refused",
      "Shopify refused to approve the return: Note is blank",
    ).fromShopify([{ field: ["note"], message: "Note can't be blank", code: "BLANK" }]);
    const saidUnknown = refusalSaid(unknown);
    expect(word(ja, saidUnknown)).toBe("Shopifyがこの手順を受け付けませんでした。");
    expect(saidUnknown.detail).toBe("Note can't be blank");
    expect(ja("returnRefusal.detail", { detail: saidUnknown.detail! })).toBe("詳細（原文）: Note can't be blank");

    // Two different problems: Shopify's words for both.
    const mixed = new ReturnsError(422, "shopify_refused", "…").fromShopify([
      { message: "Return not found", code: "NOT_FOUND" },
      { message: "Quantity too big", code: "TOO_BIG" },
    ]);
    expect(refusalSaid(mixed).detail).toBe("Return not found; Quantity too big");
  });

  it("keeps a code it does not know as a detail under a translated sentence", () => {
    const r = refusalSaid(new ReturnsError(400, "something_new", "Something new went wrong."));
    expect(word(ja, r)).toBe("この手順を実行できませんでした。");
    expect(r.detail).toBe("Something new went wrong.");
  });

  it("maps only codes Shopify's Admin API (2026-07) has", () => {
    const file = join(__dirname, "..", "..", "..", "sandbox", "schema", "admin_2026-07.json.gz");
    const schema = JSON.parse(gunzipSync(readFileSync(file)).toString()) as {
      data?: { __schema: { types: { name: string; enumValues?: { name: string }[] }[] } };
      __schema?: { types: { name: string; enumValues?: { name: string }[] }[] };
    };
    const types = (schema.data ?? schema).__schema!.types;
    const codes = new Set(
      ["ReturnErrorCode", "StoreCreditAccountCreditUserErrorCode"].flatMap(
        (name) => types.find((t) => t.name === name)?.enumValues?.map((v) => v.name) ?? [],
      ),
    );
    expect(Object.keys(SHOPIFY_ERROR_CODES).filter((c) => !codes.has(c))).toEqual([]);
  });
});
