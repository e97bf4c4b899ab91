import { escapeHtml } from "./html";

export interface StorefrontPageOptions {
  shopName: string;
  locale: string;
  rtl: boolean;
  locales: ReadonlyArray<string>;
  customer: { id: string; name: string; email: string } | null;
  demoCustomers: { id: string; name: string }[];
  /** Section blocks, and app embeds (`embed`), which the theme puts at the end of the body. */
  blocks: { handle: string; name: string; html: string; embed?: boolean }[];
  /** The query the page was opened with, kept when switching locale or customer. */
  query: URLSearchParams;
  /** The theme's colour scheme around the blocks (?scheme=dark): Dawn's scheme 1 or its dark scheme. */
  scheme?: "light" | "dark";
}

const LANGUAGE_NAMES: Record<string, string> = { en: "English", ko: "한국어", ja: "日本語", fa: "فارسی" };

function withParam(query: URLSearchParams, key: string, value: string) {
  const next = new URLSearchParams(query);
  next.set(key, value);
  return `?${next.toString()}`;
}

/** A plain theme page around the app blocks, the way a merchant's theme would place them. */
export function storefrontPage(o: StorefrontPageOptions): string {
  const languageLinks = o.locales
    .map((l) => {
      const href = escapeHtml(withParam(o.query, "locale", l));
      const current = l === o.locale ? ' aria-current="true"' : "";
      return `<a href="${href}" lang="${l}"${current}>${escapeHtml(LANGUAGE_NAMES[l] ?? l)}</a>`;
    })
    .join("");
  const selectedIf = (chosen: boolean) => (chosen ? " selected" : "");
  const customerOptions = [
    `<option value="guest"${selectedIf(!o.customer)}>Guest</option>`,
    ...o.demoCustomers.map(
      (c) => `<option value="${escapeHtml(c.id)}"${selectedIf(o.customer?.id === c.id)}>${escapeHtml(c.name)}</option>`,
    ),
  ].join("");
  const embeds = o.blocks
    .filter((b) => b.embed)
    .map((b) => b.html)
    .join("\n");
  const sections = o.blocks
    .filter((b) => !b.embed)
    .map(
      (b) =>
        `<section class="theme-section" id="section-${escapeHtml(b.handle)}" ` +
        `aria-label="${escapeHtml(b.name)}">${b.html}</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="${escapeHtml(o.locale)}" dir="${o.rtl ? "rtl" : "ltr"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(o.shopName)}</title>
<style>
  :root { --page: 1100px; }
  * { box-sizing: border-box; }
  /* Colour schemes the way Dawn declares them: rgb triplets that sections and app blocks read. */
  .color-scheme-1 {
    --color-background: 255,255,255; --color-foreground: 18,18,18; --color-button: 18,18,18;
    --color-button-text: 255,255,255; --color-link: 18,18,18;
  }
  .color-scheme-3 {
    --color-background: 36,40,51; --color-foreground: 255,255,255; --color-button: 255,255,255;
    --color-button-text: 0,0,0; --color-link: 255,255,255;
  }
  body {
    margin:0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Vazirmatn", sans-serif;
    --buttons-radius: 6px; --inputs-radius: 6px;
    color: rgba(var(--color-foreground), 0.75); background: rgb(var(--color-background));
  }
  h1, h2, h3, h4 { color: rgb(var(--color-foreground)); }
  .theme-header { border-block-end:1px solid rgba(var(--color-foreground), 0.1); }
  .theme-header .inner, main, .theme-footer .inner { max-width:var(--page); margin:0 auto; padding:16px 20px; }
  .theme-header .inner { display:flex; flex-wrap:wrap; gap:16px; align-items:center; }
  .theme-header .brand { font-size:22px; font-weight:700; margin-inline-end:auto; color:inherit; text-decoration:none; }
  .languages { display:flex; gap:10px; }
  .languages a { color: inherit; }
  .languages a[aria-current="true"] { font-weight:700; color: rgb(var(--color-foreground)); }
  .theme-section { margin-block:32px; }
  .theme-footer { border-block-start:1px solid rgba(var(--color-foreground), 0.1); font-size:14px; }
  form.who { display:flex; gap:8px; align-items:center; font-size:14px; }
  a:focus-visible, select:focus-visible, button:focus-visible {
    outline:2px solid rgb(var(--color-foreground)); outline-offset:2px;
  }
</style>
</head>
<body class="color-scheme-${o.scheme === "dark" ? 3 : 1}">
<header class="theme-header">
  <div class="inner">
    <a class="brand" href="?${escapeHtml(o.query.toString())}">${escapeHtml(o.shopName)}</a>
    <nav class="languages" aria-label="Language">${languageLinks}</nav>
    <form class="who" method="get" action="">
      ${[...o.query]
        .filter(([k]) => k !== "customer")
        .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
        .join("")}
      <label for="customer">Signed in as</label>
      <select id="customer" name="customer" onchange="this.form.submit()">${customerOptions}</select>
      <noscript><button type="submit">Switch</button></noscript>
    </form>
  </div>
</header>
<main id="MainContent">
${sections || "<p>This theme has no Aftercare blocks yet.</p>"}
</main>
<footer class="theme-footer">
  <div class="inner">Sandbox storefront · blocks rendered from the Aftercare theme app extension</div>
</footer>
${embeds}
</body>
</html>`;
}
