/**
 * Shopify's staged uploads and Files, as far as an app uses them for images: stagedUploadsCreate
 * hands out a POST target (Google Cloud Storage's form upload: the `url`, form `parameters` to
 * send before the file, and the `resourceUrl` the file will have), the storage accepts a
 * multipart POST there, and fileCreate turns an uploaded resource URL into a MediaImage whose
 * image is served from the shop's CDN.
 *
 * The storage checks what Google's does: every parameter handed out, unchanged and signed; the
 * file last; its size within the policy's content-length-range; the policy not expired; and it
 * fails loudly (an XML error, as GCS answers) otherwise. Shopify answers fileCreate with the file
 * UPLOADED and no image yet, and processes it afterwards: here the file is READY with its image
 * from the next request on.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

import { NotImplementedError } from "./admin-graphql";

/** Images Shopify takes through a staged upload: at most 20 MB. */
export const STAGED_IMAGE_MAX_BYTES = 20 * 1024 * 1024;
/** How long a target accepts its upload. */
const TARGET_LIFETIME_MS = 60 * 60_000;
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp", "image/gif", "image/heic"]);

export interface StagedUploadInput {
  resource: string;
  filename: string;
  mimeType: string;
  httpMethod?: string | null;
  fileSize?: string | number | null;
}

interface Target {
  shop: string;
  key: string;
  parameters: { name: string; value: string }[];
  maxBytes: number;
  expiresAt: number;
  upload: { body: Buffer; contentType: string } | null;
}

export interface StoredFile {
  id: number;
  shop: string;
  alt: string;
  filename: string;
  contentType: string;
  body: Buffer;
  createdAt: string;
  /** Seen by a request after the one that created it: Shopify has processed it. */
  ready: boolean;
}

interface UserError {
  field: string[];
  message: string;
  code?: string;
}

const xml = (status: number, code: string, message: string) =>
  new Response(
    `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message.replace(/[<&]/g, "")}</Message></Error>`,
    { status, headers: { "content-type": "application/xml; charset=UTF-8", "access-control-allow-origin": "*" } },
  );

export class StagedUploads {
  private origin = "https://sandbox-staged-uploads.invalid";
  private readonly secret = randomBytes(32);
  private readonly targets = new Map<string, Target>();
  private readonly files = new Map<number, StoredFile>();

  constructor(private readonly deps: { nextId: () => number; now: () => Date }) {}

  /** Where targets and files point (the sandbox server sets its own origin). */
  setOrigin(origin: string) {
    this.origin = origin.replace(/\/$/, "");
  }

  private sign(text: string) {
    return createHmac("sha256", this.secret).update(text).digest("hex");
  }

  /** stagedUploadsCreate: one target per input, or the inputs' user errors. */
  create(shop: { id: number; domain: string }, inputs: StagedUploadInput[]) {
    const userErrors: UserError[] = [];
    inputs.forEach((input, i) => {
      if (input.resource !== "IMAGE" && input.resource !== "FILE")
        throw new NotImplementedError(`stagedUploadsCreate for resource ${input.resource}`);
      if ((input.httpMethod ?? "PUT") !== "POST")
        throw new NotImplementedError("stagedUploadsCreate with httpMethod PUT (the sandbox stages POST uploads)");
      if (!input.filename.trim())
        userErrors.push({ field: ["input", String(i), "filename"], message: "Filename can't be blank" });
      if (input.resource === "IMAGE" && !IMAGE_TYPES.has(input.mimeType))
        userErrors.push({
          field: ["input", String(i), "mimeType"],
          message: `Mime type ${input.mimeType} is not supported`,
        });
      const size = input.fileSize === null || input.fileSize === undefined ? null : Number(input.fileSize);
      if (size !== null && (!Number.isInteger(size) || size > STAGED_IMAGE_MAX_BYTES))
        userErrors.push({ field: ["input", String(i), "fileSize"], message: "File size exceeds the maximum of 20 MB" });
    });
    if (userErrors.length) return { stagedTargets: null, userErrors };
    const now = this.deps.now();
    const stagedTargets = inputs.map((input) => {
      const key = `tmp/${shop.id}/files/${randomUUID()}/${encodeURIComponent(input.filename)}`;
      const expiresAt = now.getTime() + TARGET_LIFETIME_MS;
      const maxBytes = Math.min(Number(input.fileSize ?? STAGED_IMAGE_MAX_BYTES), STAGED_IMAGE_MAX_BYTES);
      const date = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
      const policy = Buffer.from(
        JSON.stringify({
          expiration: new Date(expiresAt).toISOString(),
          conditions: [
            ["eq", "$bucket", "shopify-staged-uploads"],
            ["eq", "$key", key],
            ["eq", "$Content-Type", input.mimeType],
            ["content-length-range", 0, maxBytes],
          ],
        }),
      ).toString("base64");
      const parameters = [
        { name: "Content-Type", value: input.mimeType },
        { name: "success_action_status", value: "201" },
        { name: "acl", value: "private" },
        { name: "key", value: key },
        { name: "x-goog-date", value: date },
        {
          name: "x-goog-credential",
          value: `merchant-assets@shopify-tiers.iam.gserviceaccount.com/${date.slice(0, 8)}/auto/storage/goog4_request`,
        },
        { name: "x-goog-algorithm", value: "GOOG4-RSA-SHA256" },
        { name: "x-goog-signature", value: this.sign(policy) },
        { name: "policy", value: policy },
      ];
      this.targets.set(key, { shop: shop.domain, key, parameters, maxBytes, expiresAt, upload: null });
      return { url: `${this.origin}/staged-uploads/`, resourceUrl: `${this.origin}/staged-uploads/${key}`, parameters };
    });
    return { stagedTargets, userErrors: [] };
  }

  /** The storage's answer to a form POST at a target's URL. */
  async receive(request: Request): Promise<Response> {
    if (request.method === "OPTIONS")
      return new Response(null, {
        status: 204,
        headers: { "access-control-allow-origin": "*", "access-control-allow-methods": "POST" },
      });
    if (request.method !== "POST") return xml(405, "MethodNotAllowed", "Upload with a form POST.");
    if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data"))
      return xml(400, "InvalidArgument", "A form upload is multipart/form-data.");
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return xml(400, "InvalidArgument", "The multipart body could not be read.");
    }
    const entries = [...form.entries()];
    const key = form.get("key");
    const target = typeof key === "string" ? this.targets.get(key) : undefined;
    if (!target) return xml(400, "InvalidArgument", "No staged upload target has this key.");
    for (const p of target.parameters) {
      const sent = form.getAll(p.name);
      if (sent.length !== 1 || sent[0] !== p.value)
        return xml(
          p.name === "x-goog-signature" || p.name === "policy" ? 403 : 400,
          p.name === "x-goog-signature" ? "SignatureDoesNotMatch" : "InvalidPolicyDocument",
          `The form field ${p.name} is missing or differs from the staged target's.`,
        );
    }
    const policy = target.parameters.find((p) => p.name === "policy")!.value;
    const signature = Buffer.from(target.parameters.find((p) => p.name === "x-goog-signature")!.value);
    if (!timingSafeEqual(signature, Buffer.from(this.sign(policy))))
      return xml(403, "SignatureDoesNotMatch", "The policy's signature does not match.");
    if (this.deps.now().getTime() > target.expiresAt)
      return xml(400, "ExpiredToken", "The staged upload target has expired; ask for a new one.");
    const last = entries.at(-1);
    if (!last || last[0] !== "file" || typeof last[1] === "string")
      return xml(400, "InvalidArgument", "The file must be the form's last field, named file.");
    if (form.getAll("file").length !== 1) return xml(400, "InvalidArgument", "Send one file per upload.");
    const body = Buffer.from(await (last[1] as Blob).arrayBuffer());
    if (body.length > target.maxBytes)
      return xml(
        400,
        "EntityTooLarge",
        `The file is ${body.length} bytes; the policy allows at most ${target.maxBytes}.`,
      );
    if (body.length === 0) return xml(400, "EntityTooSmall", "The file is empty.");
    const contentType = target.parameters.find((p) => p.name === "Content-Type")!.value;
    target.upload = { body, contentType };
    const etag = createHash("md5").update(body).digest("hex");
    const location = `${this.origin}/staged-uploads/${target.key}`;
    return new Response(
      `<?xml version="1.0" encoding="UTF-8"?><PostResponse><Location>${location}</Location>` +
        `<Bucket>shopify-staged-uploads</Bucket><Key>${target.key}</Key><ETag>"${etag}"</ETag></PostResponse>`,
      {
        status: 201,
        headers: {
          "content-type": "application/xml; charset=UTF-8",
          etag: `"${etag}"`,
          "access-control-allow-origin": "*",
        },
      },
    );
  }

  /** fileCreate: MediaImages from uploaded resource URLs. */
  createFiles(
    shop: { domain: string },
    inputs: { originalSource: string; contentType?: string | null; alt?: string | null; filename?: string | null }[],
  ): { files: StoredFile[] | null; userErrors: UserError[] } {
    const userErrors: UserError[] = [];
    const uploads = inputs.map((input, i) => {
      const prefix = `${this.origin}/staged-uploads/`;
      if (!input.originalSource.startsWith(prefix))
        throw new NotImplementedError("fileCreate from a source other than the sandbox's staged uploads");
      if (input.contentType && input.contentType !== "IMAGE")
        throw new NotImplementedError(`fileCreate with contentType ${input.contentType}`);
      const target = this.targets.get(input.originalSource.slice(prefix.length));
      if (!target || target.shop !== shop.domain || !target.upload) {
        userErrors.push({
          field: ["files", String(i), "originalSource"],
          message: "Image URL is invalid",
          code: "INVALID_IMAGE_SOURCE_URL",
        });
        return null;
      }
      if ((input.alt ?? "").length > 512)
        userErrors.push({
          field: ["files", String(i), "alt"],
          message: "Alt value limit exceeded",
          code: "ALT_VALUE_LIMIT_EXCEEDED",
        });
      return { target, upload: target.upload, input };
    });
    if (userErrors.length) return { files: null, userErrors };
    const files = uploads.map((u) => {
      const { target, upload, input } = u!;
      const file: StoredFile = {
        id: this.deps.nextId(),
        shop: shop.domain,
        alt: input.alt ?? "",
        filename: input.filename || decodeURIComponent(target.key.split("/").pop()!),
        contentType: upload.contentType,
        body: upload.body,
        createdAt: this.deps.now().toISOString(),
        ready: false,
      };
      this.files.set(file.id, file);
      return file;
    });
    return { files, userErrors };
  }

  /** A file by id, as a later request sees it (processed). */
  file(shop: string, id: number): StoredFile | null {
    const file = this.files.get(id);
    if (!file || file.shop !== shop) return null;
    file.ready = true;
    return file;
  }

  /** The CDN URL of a file's image. */
  imageUrl(file: StoredFile) {
    return `${this.origin}/cdn/files/${file.id}/${encodeURIComponent(file.filename)}`;
  }

  /** GET of a file's CDN URL. */
  serve(path: string): Response {
    const match = /^\/cdn\/files\/(\d+)\//.exec(path);
    const file = match ? this.files.get(Number(match[1])) : undefined;
    if (!file) return new Response("Not found", { status: 404 });
    return new Response(new Uint8Array(file.body), {
      headers: { "content-type": file.contentType, "cache-control": "public, max-age=31536000" },
    });
  }
}
