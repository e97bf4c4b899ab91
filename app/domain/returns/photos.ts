/**
 * Photos a shopper may add to a returned item when its reason asks for them (damaged or
 * defective): how many, which kinds, how large. The storefront checks the same limits before
 * uploading (its copy: extensions/aftercare/assets/returns-request.js), and the server checks them
 * again before asking Shopify for upload targets.
 */
import type { ReturnReasonOption } from "./policy";

export const RETURN_PHOTO_LIMITS = {
  perItem: 3,
  maxBytes: 5 * 1024 * 1024,
  mimeTypes: ["image/jpeg", "image/png", "image/webp"],
} as const;

/**
 * Whether a reason asks for photos: the merchant's choice, else a reason Shopify files as
 * DEFECTIVE (the default "Damaged or defective", or a merchant's own "damaged").
 */
export function asksForPhotos(reason: Pick<ReturnReasonOption, "askPhotos" | "shopifyReason">): boolean {
  return reason.askPhotos ?? reason.shopifyReason === "DEFECTIVE";
}

export interface PhotoUpload {
  filename: string;
  mimeType: string;
  fileSize: number;
}

export type PhotoProblem = "too_many_photos" | "photo_type" | "photo_too_large" | "invalid_request";

/** What is wrong with the photos a shopper wants to upload for one item, or null. */
export function photoProblem(uploads: unknown): PhotoProblem | null {
  if (!Array.isArray(uploads) || uploads.length === 0) return "invalid_request";
  if (uploads.length > RETURN_PHOTO_LIMITS.perItem) return "too_many_photos";
  for (const u of uploads as Partial<PhotoUpload>[]) {
    if (!u || typeof u !== "object") return "invalid_request";
    if (typeof u.filename !== "string" || !u.filename.trim() || u.filename.length > 200) return "invalid_request";
    if (!(RETURN_PHOTO_LIMITS.mimeTypes as ReadonlyArray<string>).includes(String(u.mimeType))) return "photo_type";
    if (typeof u.fileSize !== "number" || !Number.isInteger(u.fileSize) || u.fileSize <= 0) return "invalid_request";
    if (u.fileSize > RETURN_PHOTO_LIMITS.maxBytes) return "photo_too_large";
  }
  return null;
}

/** A file name Shopify will keep: letters, digits, dot, dash and underscore, with the type's extension. */
export function photoFilename(name: string, mimeType: string): string {
  const ext = mimeType === "image/png" ? "png" : mimeType === "image/webp" ? "webp" : "jpg";
  const base =
    name
      .replace(/\.[^./\\]*$/, "")
      .replace(/[^A-Za-z0-9_-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "photo";
  return `${base}.${ext}`;
}
