import { describe, expect, it } from "vitest";

import { DEFAULT_RETURN_POLICY } from "./policy";
import { RETURN_PHOTO_LIMITS, asksForPhotos, photoFilename, photoProblem } from "./photos";

describe("return photos", () => {
  it("are asked for by reasons Shopify files as DEFECTIVE, unless the merchant says otherwise", () => {
    const asking = DEFAULT_RETURN_POLICY.reasons.filter(asksForPhotos).map((r) => r.id);
    expect(asking).toEqual(["defective"]);
    const damaged = { shopifyReason: "DEFECTIVE" as const };
    expect(asksForPhotos({ ...damaged, askPhotos: false })).toBe(false);
    expect(asksForPhotos({ shopifyReason: "WRONG_ITEM", askPhotos: true })).toBe(true);
  });

  it("take at most 3 JPEG, PNG or WebP images of at most 5 MB each", () => {
    const photo = { filename: "a.jpg", mimeType: "image/jpeg", fileSize: 1 };
    expect(photoProblem([photo, { ...photo, mimeType: "image/png" }, { ...photo, mimeType: "image/webp" }])).toBeNull();
    expect(photoProblem([{ ...photo, fileSize: RETURN_PHOTO_LIMITS.maxBytes }])).toBeNull();
    expect(photoProblem([{ ...photo, fileSize: RETURN_PHOTO_LIMITS.maxBytes + 1 }])).toBe("photo_too_large");
    expect(photoProblem([photo, photo, photo, photo])).toBe("too_many_photos");
    expect(photoProblem([{ ...photo, mimeType: "image/gif" }])).toBe("photo_type");
    for (const bad of [
      [],
      null,
      "a.jpg",
      [{ ...photo, fileSize: 0 }],
      [{ ...photo, fileSize: 1.5 }],
      [{ ...photo, filename: " " }],
    ])
      expect(photoProblem(bad), JSON.stringify(bad)).toBe("invalid_request");
  });

  it("are named for Shopify's Files with letters, digits and the type's extension", () => {
    expect(photoFilename("cracked mug (1).JPG", "image/jpeg")).toBe("cracked-mug-1.jpg");
    expect(photoFilename("사진.png", "image/png")).toBe("photo.png");
    expect(photoFilename("../../etc/passwd", "image/webp")).toBe("etc-passwd.webp");
  });
});
