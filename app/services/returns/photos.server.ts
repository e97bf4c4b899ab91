/**
 * Photos a shopper adds to a returned item (a reason that asks for them, domain/returns/photos.ts),
 * through Shopify's staged uploads: the app asks Shopify for one POST target per photo
 * (stagedUploadsCreate, resource IMAGE), the browser uploads straight to it, and the return request
 * carries a signed token per photo naming its resource URL. Creating the return registers the
 * uploads as files (fileCreate) and keeps their ids with the return's lines; the desk shows their
 * images once Shopify has processed them.
 *
 * The token is what keeps fileCreate to uploads this app staged for this order: a shopper cannot
 * make Shopify fetch a URL of their choosing.
 */
import type { Db } from "../../db.server";
import { asksForPhotos, photoFilename, photoProblem, type PhotoUpload } from "../../domain/returns/photos";
import type { ReturnPolicy } from "../../domain/returns/policy";
import type { AdminClient } from "../../shopify/admin.server";
import { FileCreate, FileImages, StagedUploadsCreate } from "../../shopify/operations/files";
import { signLinkToken, verifyLinkToken } from "../link-token.server";

import { ReturnsError } from "./errors.server";

const PHOTO_PURPOSE = "returns-photo";
/** A staged target takes its upload within the hour; the token lives as long as the order's. */
const PHOTO_TOKEN_LIFETIME_MS = 2 * 3_600_000;

const PHOTO_MESSAGES = {
  too_many_photos: "Add at most 3 photos per item.",
  photo_type: "Photos must be JPEG, PNG or WebP images.",
  photo_too_large: "Each photo must be 5 MB or smaller.",
  invalid_request: "The photos could not be read. Choose them again.",
} as const;

const rejected = (errors: { message: string }[], otherwise: string) =>
  new ReturnsError(
    422,
    "photo_rejected",
    `Shopify did not accept the photos (${errors.map((e) => e.message).join("; ") || otherwise}). Add them again.`,
  );

export interface PhotoTarget {
  url: string;
  parameters: { name: string; value: string }[];
  /** Sent back with the return request for this photo. */
  photo: string;
}

/** Upload targets for one item's photos (the caller has checked the shopper may see the order). */
export async function stagePhotoUploads(
  admin: AdminClient | null,
  claims: { shop: string; orderShopifyId: string; secret: string; now: Date },
  uploads: unknown,
): Promise<PhotoTarget[]> {
  const problem = photoProblem(uploads);
  if (problem) throw new ReturnsError(400, problem, PHOTO_MESSAGES[problem]);
  if (!admin) throw new ReturnsError(502, "shopify_unavailable", "Shopify is not reachable right now. Try again soon.");
  const files = uploads as PhotoUpload[];
  const answer = await admin.request(StagedUploadsCreate, {
    input: files.map((f) => ({
      resource: "IMAGE" as const,
      httpMethod: "POST" as const,
      filename: photoFilename(f.filename, f.mimeType),
      mimeType: f.mimeType,
      fileSize: String(f.fileSize),
    })),
  });
  const staged = answer.stagedUploadsCreate;
  if (!staged || staged.userErrors.length || !staged.stagedTargets)
    throw rejected(staged?.userErrors ?? [], "no upload target");
  return staged.stagedTargets.map((t) => {
    if (!t.url || !t.resourceUrl) throw new ReturnsError(502, "shopify_unavailable", "Shopify gave no upload target.");
    return {
      url: t.url,
      parameters: t.parameters.map((p) => ({ name: p.name, value: p.value })),
      photo: signLinkToken(
        {
          purpose: PHOTO_PURPOSE,
          shop: claims.shop,
          subject: `${claims.orderShopifyId} ${t.resourceUrl}`,
          expiresAt: new Date(claims.now.getTime() + PHOTO_TOKEN_LIFETIME_MS),
        },
        claims.secret,
      ),
    };
  });
}

export interface LinePhotos {
  lineItemId: string;
  resourceUrls: string[];
}

/**
 * The photos of a return request's items: their resource URLs, from the tokens the upload step
 * gave. Throws a 400 for a token that is not this order's, or photos on a reason that asks for none.
 */
export function readRequestPhotos(
  rawItems: unknown,
  policy: ReturnPolicy,
  claims: { shop: string; orderShopifyId: string; secret: string; now: Date },
): LinePhotos[] {
  if (!Array.isArray(rawItems)) return [];
  const out: LinePhotos[] = [];
  for (const raw of rawItems as Record<string, unknown>[]) {
    const photos = raw?.photos;
    if (photos === undefined || photos === null) continue;
    if (!Array.isArray(photos) || photos.some((p) => typeof p !== "string"))
      throw new ReturnsError(400, "invalid_request", PHOTO_MESSAGES.invalid_request);
    if (photos.length === 0) continue;
    if (photos.length > 3) throw new ReturnsError(400, "too_many_photos", PHOTO_MESSAGES.too_many_photos);
    const reason = policy.reasons.find((r) => r.id === raw.reason);
    if (!reason || !asksForPhotos(reason))
      throw new ReturnsError(400, "photos_not_asked", "Photos can only be added for a reason that asks for them.");
    const resourceUrls = (photos as string[]).map((token) => {
      const check = verifyLinkToken(token, {
        purpose: PHOTO_PURPOSE,
        shop: claims.shop,
        secret: claims.secret,
        now: claims.now,
      });
      const [order, url] = check.ok ? check.subject.split(" ") : [];
      if (!check.ok || order !== claims.orderShopifyId || !url)
        throw new ReturnsError(400, "photo_expired", "A photo's upload has expired. Add the photos again.");
      return url;
    });
    out.push({ lineItemId: String(raw.lineItemId), resourceUrls });
  }
  return out;
}

/** Registers uploaded photos as files in the shop (fileCreate); their ids per line item. */
export async function createPhotoFiles(
  admin: AdminClient | null,
  photos: LinePhotos[],
  alt: string,
): Promise<{ lineItemId: string; fileIds: string[] }[]> {
  const all = photos.flatMap((p) => p.resourceUrls);
  if (!all.length) return [];
  if (!admin) throw new ReturnsError(502, "shopify_unavailable", "Shopify is not reachable right now. Try again soon.");
  const answer = await admin.request(FileCreate, {
    files: all.map((originalSource) => ({ originalSource, contentType: "IMAGE" as const, alt: alt.slice(0, 512) })),
  });
  const created = answer.fileCreate;
  if (!created || created.userErrors.length || !created.files || created.files.length !== all.length)
    throw rejected(created?.userErrors ?? [], "no files");
  const ids = created.files.map((f) => f.id);
  let i = 0;
  return photos.map((p) => ({ lineItemId: p.lineItemId, fileIds: p.resourceUrls.map(() => ids[i++]) }));
}

/** Keeps the files with the return's lines. */
export async function savePhotos(
  db: Db,
  lines: { id: string; lineItemShopifyId: string }[],
  files: { lineItemId: string; fileIds: string[] }[],
) {
  const rows = files.flatMap((f) => {
    const line = lines.find((l) => l.lineItemShopifyId === f.lineItemId);
    return line ? f.fileIds.map((fileShopifyId) => ({ returnCaseLineId: line.id, fileShopifyId })) : [];
  });
  if (rows.length) await db.returnCasePhoto.createMany({ data: rows });
}

export interface DeskPhoto {
  id: string;
  url: string | null;
}

/**
 * The photos of a return's lines for the desk: each file's image URL, asked of Shopify for those
 * not processed when last seen (and kept once known).
 */
export async function returnPhotos(
  db: Db,
  admin: AdminClient | null,
  lineIds: string[],
  log?: (message: string, error?: unknown) => void,
): Promise<Map<string, DeskPhoto[]>> {
  const rows = await db.returnCasePhoto.findMany({
    where: { returnCaseLineId: { in: lineIds } },
    orderBy: { createdAt: "asc" },
  });
  const missing = rows.filter((r) => !r.url);
  if (missing.length && admin) {
    try {
      const answer = await admin.request(FileImages, { ids: missing.map((r) => r.fileShopifyId) });
      for (const node of answer.nodes) {
        const url = node && "image" in node ? node.image?.url : null;
        const row = node && "id" in node ? missing.find((r) => r.fileShopifyId === node.id) : undefined;
        if (!url || !row) continue;
        row.url = url;
        await db.returnCasePhoto.update({ where: { id: row.id }, data: { url } });
      }
    } catch (error) {
      log?.("could not load return photos", error);
    }
  }
  const out = new Map<string, DeskPhoto[]>();
  for (const r of rows) out.set(r.returnCaseLineId, [...(out.get(r.returnCaseLineId) ?? []), { id: r.id, url: r.url }]);
  return out;
}
