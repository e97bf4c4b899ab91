/**
 * The sandbox's staged uploads as Shopify documents them: stagedUploadsCreate's POST target, the
 * storage refusing a form that is not the target's (loudly, as Google Cloud Storage answers), and
 * fileCreate making a MediaImage of an uploaded resource whose image the next request sees.
 */
import { describe, expect, it } from "vitest";

import { testSandbox, TEST_SHOP } from "./testing";

const STAGE = `mutation($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}`;
const CREATE = `mutation($files: [FileCreateInput!]!) {
  fileCreate(files: $files) {
    files { id fileStatus ... on MediaImage { image { url } } }
    userErrors { field message code }
  }
}`;

interface Target {
  url: string;
  resourceUrl: string;
  parameters: { name: string; value: string }[];
}

async function setUp(fileSize = 10) {
  const { sandbox } = testSandbox();
  const gql = async (query: string, variables: Record<string, unknown>) =>
    (await (await sandbox.graphqlClient(TEST_SHOP)(query, { variables })).json()) as {
      data: Record<string, { stagedTargets?: Target[]; files?: unknown[]; userErrors: unknown[] }>;
      errors?: { message: string }[];
    };
  const staged = await gql(STAGE, {
    input: [
      {
        resource: "IMAGE",
        httpMethod: "POST",
        filename: "dent.png",
        mimeType: "image/png",
        fileSize: String(fileSize),
      },
    ],
  });
  const target = staged.data.stagedUploadsCreate.stagedTargets![0];
  const post = (fields: [string, string | Blob][]) => {
    const form = new FormData();
    for (const [name, value] of fields) form.append(name, value);
    return sandbox.uploads.receive(new Request(target.url, { method: "POST", body: form }));
  };
  const params = target.parameters.map((p) => [p.name, p.value] as [string, string]);
  return { sandbox, gql, target, post, params };
}

const png = (n: number) => new Blob([new Uint8Array(n).fill(1)], { type: "image/png" });

describe("staged uploads in the sandbox", () => {
  it("accepts the target's form with the file last, then makes a file whose image the next request sees", async () => {
    const { gql, target, post, params, sandbox } = await setUp();
    expect(target.url).toMatch(/\/staged-uploads\/$/);
    expect(target.resourceUrl).toBe(`${target.url}${params.find(([n]) => n === "key")![1]}`);
    const answer = await post([...params, ["file", png(10)]]);
    expect(answer.status).toBe(201);
    const created = await gql(CREATE, {
      files: [{ originalSource: target.resourceUrl, contentType: "IMAGE", alt: "Dent" }],
    });
    expect(created.data.fileCreate).toEqual({
      files: [{ id: expect.stringMatching(/^gid:\/\/shopify\/MediaImage\/\d+$/), fileStatus: "UPLOADED", image: null }],
      userErrors: [],
    });
    const id = (created.data.fileCreate.files![0] as { id: string }).id;
    const later = (await gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on MediaImage { fileStatus image { url } } } }`,
      {
        ids: [id],
      },
    )) as unknown as { data: { nodes: { fileStatus: string; image: { url: string } }[] } };
    expect(later.data.nodes[0].fileStatus).toBe("READY");
    const served = sandbox.uploads.serve(new URL(later.data.nodes[0].image.url).pathname);
    expect([served.status, served.headers.get("content-type")]).toEqual([200, "image/png"]);
  });

  it("refuses, loudly, a form missing or changing a parameter, a file not last, and a file over the size", async () => {
    const { post, params } = await setUp(10);
    const refused = async (answer: Response) => [answer.status, /<Code>(\w+)<\/Code>/.exec(await answer.text())?.[1]];
    expect(await refused(await post([...params.filter(([n]) => n !== "acl"), ["file", png(10)]]))).toEqual([
      400,
      "InvalidPolicyDocument",
    ]);
    const forged = params.map(([n, v]) => [n, n === "x-goog-signature" ? "00" : v] as [string, string]);
    expect(await refused(await post([...forged, ["file", png(10)]]))).toEqual([403, "SignatureDoesNotMatch"]);
    expect(await refused(await post([["file", png(10)], ...params]))).toEqual([400, "InvalidArgument"]);
    expect(await refused(await post([...params, ["file", png(11)]]))).toEqual([400, "EntityTooLarge"]);
    expect(await refused(await post([...params]))).toEqual([400, "InvalidArgument"]);
  });

  it("makes no file of a resource never uploaded, and says what it does not implement", async () => {
    const { gql, target } = await setUp();
    const created = await gql(CREATE, { files: [{ originalSource: target.resourceUrl, contentType: "IMAGE" }] });
    expect(created.data.fileCreate.userErrors).toEqual([
      { field: ["files", "0", "originalSource"], message: "Image URL is invalid", code: "INVALID_IMAGE_SOURCE_URL" },
    ]);
    const put = await gql(STAGE, { input: [{ resource: "IMAGE", filename: "a.png", mimeType: "image/png" }] });
    expect(put.errors?.[0].message).toMatch(/Sandbox does not implement stagedUploadsCreate with httpMethod PUT/);
    const type = await gql(STAGE, {
      input: [{ resource: "IMAGE", httpMethod: "POST", filename: "a.txt", mimeType: "text/plain" }],
    });
    expect(type.data.stagedUploadsCreate.userErrors).toEqual([
      { field: ["input", "0", "mimeType"], message: "Mime type text/plain is not supported" },
    ]);
  });
});
