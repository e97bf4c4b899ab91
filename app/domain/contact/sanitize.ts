/**
 * FAQ answers are rich text written by the merchant and shown on the storefront with innerHTML,
 * so they pass through an allow-list sanitiser on save and again when served: formatting and
 * links survive; scripts, event handlers, styles, iframes and javascript: URLs do not.
 * sanitize-html 2.17.5 is pinned because later releases need Node 22 (docs/decisions/0008).
 */
import sanitizeHtml from "sanitize-html";

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code"],
  allowedAttributes: { a: ["href", "rel", "target"] },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: {
        ...(attribs.href ? { href: attribs.href } : {}),
        rel: "noopener noreferrer nofollow",
        target: "_blank",
      },
    }),
  },
};

export function sanitizeAnswerHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}
