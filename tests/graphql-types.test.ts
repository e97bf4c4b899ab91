import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { GENERATED_FILE, generateGraphqlTypes } from "../scripts/graphql-types";

/**
 * app/shopify/operations/types.generated.ts is committed; it must be what the script makes from today's
 * documents and schema. When this fails, run `npm run graphql:types` and commit the result.
 */
describe("generated GraphQL types", () => {
  it("are up to date with the operations' documents", async () => {
    const fresh = await generateGraphqlTypes();
    const committed = readFileSync(GENERATED_FILE, "utf8");
    expect(committed === fresh, "app/shopify/operations/types.generated.ts is stale: run npm run graphql:types").toBe(
      true,
    );
  });

  it("leave deprecated input fields out, so the app's code cannot set them", async () => {
    const fresh = await generateGraphqlTypes();
    const line = /export type ReturnRequestLineItemInput = \{[^}]*\}/.exec(fresh)?.[0] ?? "";
    expect(line).toContain("returnReasonDefinitionId");
    expect(line).not.toMatch(/\breturnReason\?/);
  });
});
