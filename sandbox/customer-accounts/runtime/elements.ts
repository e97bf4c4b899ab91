/**
 * The Polaris web components (s-*) of customer-account extensions, 2026-07, as custom elements
 * that render plain, accessible HTML in their shadow roots: labels tied to their inputs, buttons
 * that are buttons, headings whose level follows the sections they sit in. Properties follow
 * Shopify's type definitions (@shopify/ui-extensions 2026.7, surfaces/customer-account/components);
 * an s-* element outside that list, one listed but not rendered here, or a property the
 * definitions do not give the element, is an error the host shows on the page.
 */

/** Every component the 2026-07 definitions allow on customer-account targets. */
export const POLARIS_2026_07 = [
  "abbreviation",
  "announcement",
  "avatar",
  "badge",
  "banner",
  "box",
  "button",
  "button-group",
  "chat",
  "checkbox",
  "chip",
  "choice",
  "choice-list",
  "clickable",
  "clickable-chip",
  "clipboard-item",
  "consent-checkbox",
  "consent-phone-field",
  "customer-account-action",
  "date-field",
  "date-picker",
  "details",
  "divider",
  "drop-zone",
  "email-field",
  "form",
  "grid",
  "grid-item",
  "heading",
  "icon",
  "image",
  "image-group",
  "link",
  "list-item",
  "map",
  "map-marker",
  "menu",
  "modal",
  "money-field",
  "number-field",
  "option",
  "ordered-list",
  "page",
  "paragraph",
  "password-field",
  "payment-icon",
  "phone-field",
  "popover",
  "press-button",
  "product-thumbnail",
  "progress",
  "qr-code",
  "query-container",
  "scroll-box",
  "section",
  "select",
  "sheet",
  "skeleton-paragraph",
  "spinner",
  "stack",
  "summary",
  "switch",
  "text",
  "text-area",
  "text-field",
  "time",
  "tooltip",
  "unordered-list",
  "url-field",
].map((n) => `s-${n}`);

export type HostErrorReporter = (message: string) => void;
let report: HostErrorReporter = (message) => {
  throw new Error(message);
};

type Kind = "string" | "boolean" | "number" | "any";
type PropSpec = Record<string, Kind>;

// Properties every element takes (HTML's own, set as properties by Preact).
const GLOBAL_ATTRIBUTES = new Set(["id", "slot", "class", "style", "hidden", "lang", "dir", "title", "role", "key"]);

const LAYOUT: PropSpec = {
  padding: "string",
  paddingBlock: "string",
  paddingInline: "string",
  paddingBlockStart: "string",
  paddingBlockEnd: "string",
  paddingInlineStart: "string",
  paddingInlineEnd: "string",
  background: "string",
  border: "string",
  borderWidth: "string",
  borderStyle: "string",
  borderColor: "string",
  borderRadius: "string",
  inlineSize: "string",
  blockSize: "string",
  minInlineSize: "string",
  maxInlineSize: "string",
  minBlockSize: "string",
  maxBlockSize: "string",
  overflow: "string",
  display: "string",
  accessibilityRole: "string",
  accessibilityLabel: "string",
  accessibilityVisibility: "string",
};
const FIELD: PropSpec = {
  label: "string",
  name: "string",
  value: "string",
  defaultValue: "string",
  placeholder: "string",
  disabled: "boolean",
  readOnly: "boolean",
  required: "boolean",
  error: "string",
  details: "string",
  labelAccessibilityVisibility: "string",
  autocomplete: "string",
  minLength: "number",
  maxLength: "number",
  icon: "string",
  prefix: "string",
  suffix: "string",
};

let uid = 0;
const nextId = (prefix: string) => `${prefix}-${++uid}`;
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const esc = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const BASE_CSS = `:host{display:block;box-sizing:border-box}:host([hidden]){display:none}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
:focus-visible{outline:2px solid #005bd3;outline-offset:2px}`;

const SPACE: Record<string, string> = {
  none: "0",
  "small-500": "2px",
  "small-400": "4px",
  "small-300": "6px",
  "small-200": "8px",
  "small-100": "10px",
  small: "12px",
  base: "16px",
  large: "20px",
  "large-100": "24px",
  "large-200": "28px",
  "large-300": "32px",
  "large-400": "40px",
  "large-500": "48px",
};
const space = (v: unknown) =>
  String(v ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => SPACE[t] ?? (/^\d/.test(t) ? t : "0"))
    .join(" ");

/** Routes a link or button target through the host (extension:, shopify: and web URLs). */
export type Navigator = (href: string, target?: string) => void;
let navigate: Navigator = (href) => window.location.assign(href);

abstract class PolarisElement extends HTMLElement {
  static spec: PropSpec = {};
  static events: string[] = [];
  protected props: Record<string, unknown> = {};
  protected root: ShadowRoot;
  private queued = false;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
  }

  connectedCallback() {
    this.checkAttributes();
    this.renderNow();
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null) {
    const spec = (this.constructor as typeof PolarisElement).spec;
    const prop = Object.keys(spec).find((p) => p.toLowerCase() === name || kebab(p) === name);
    if (!prop) return;
    const kind = spec[prop];
    this.props[prop] =
      kind === "boolean"
        ? value !== null && value !== "false"
        : kind === "number" && value !== null
          ? Number(value)
          : value;
    this.schedule();
  }

  /** An attribute that is no property of this element in 2026-07 (Preact sets unknown props so). */
  checkAttributes() {
    const spec = (this.constructor as typeof PolarisElement).spec;
    const known = new Set(Object.keys(spec).flatMap((p) => [p.toLowerCase(), kebab(p)]));
    for (const name of this.getAttributeNames()) {
      if (GLOBAL_ATTRIBUTES.has(name) || known.has(name) || name.startsWith("aria-") || name.startsWith("data-"))
        continue;
      report(`<${this.localName}> has no property "${name}" in the 2026-07 definitions.`);
    }
  }

  protected schedule() {
    if (this.queued || !this.isConnected) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.renderNow();
    });
  }

  protected renderNow() {
    this.render();
  }

  protected abstract render(): void;

  protected html(markup: string, css = "") {
    this.root.innerHTML = `<style>${BASE_CSS}${css}</style>${markup}`;
  }

  protected str(name: string): string {
    const v = this.props[name];
    return v === undefined || v === null ? "" : String(v);
  }

  static define(tag: string) {
    const cls = this as unknown as CustomElementConstructor & typeof PolarisElement;
    for (const prop of Object.keys(cls.spec)) {
      // HTML's own properties (hidden, title, id) and ones the class defines itself stay as they are.
      if (prop in cls.prototype) continue;
      Object.defineProperty(cls.prototype, prop, {
        configurable: true,
        get(this: PolarisElement) {
          return this.props[prop];
        },
        set(this: PolarisElement, value: unknown) {
          this.props[prop] = value;
          this.schedule();
        },
      });
    }
    // Custom events Preact maps from onFoo props once the element has an `onfoo` property.
    for (const event of cls.events) {
      const key = `on${event}`;
      if (key in HTMLElement.prototype) continue;
      Object.defineProperty(cls.prototype, key, { configurable: true, writable: true, value: null });
    }
    Object.defineProperty(cls, "observedAttributes", {
      get: () => Object.keys(cls.spec).flatMap((p) => [...new Set([p.toLowerCase(), kebab(p)])]),
    });
    if (!customElements.get(tag)) customElements.define(tag, cls);
  }
}

/** Headings take their level from the sections around them: h2 at the top of a block, h3 inside. */
function headingLevel(el: Element): number {
  let level = 1;
  for (let node = el.parentElement; node; node = node.parentElement) {
    if (node.localName === "s-section") level += 1;
  }
  return Math.min(6, Math.max(2, level));
}

class Page extends PolarisElement {
  static spec: PropSpec = { heading: "string", subheading: "string", inlineSize: "string" };
  render() {
    this.html(
      `<div class="page"><div class="crumbs"><slot name="breadcrumb-actions"></slot></div>
      <header>${this.str("heading") ? `<h1>${esc(this.str("heading"))}</h1>` : ""}
      ${this.str("subheading") ? `<p class="sub">${esc(this.str("subheading"))}</p>` : ""}
      <div class="actions"><slot name="secondary-actions"></slot><slot name="primary-action"></slot></div></header>
      <slot></slot></div>`,
      `h1{font-size:1.6rem;margin:0 0 4px}.sub{margin:0;color:#555}header{margin-bottom:16px}
      .actions{display:flex;gap:8px;margin-top:8px}`,
    );
  }
}

class Section extends PolarisElement {
  static spec: PropSpec = { heading: "string", accessibilityLabel: "string", padding: "string" };
  render() {
    const level = headingLevel(this);
    const heading = this.str("heading");
    const id = nextId("section");
    const label = heading
      ? `aria-labelledby="${id}"`
      : this.str("accessibilityLabel")
        ? `aria-label="${esc(this.str("accessibilityLabel"))}"`
        : "";
    this.html(
      `<section ${label}>${heading ? `<h${level} id="${id}">${esc(heading)}</h${level}>` : ""}<slot></slot></section>`,
      `section{border:1px solid #e3e3e3;border-radius:12px;padding:${space(this.props.padding ?? "base")};
      background:#fff;margin-block:8px}h2,h3,h4,h5,h6{margin:0 0 8px;font-size:1.1rem}`,
    );
  }
}

class Layout extends PolarisElement {
  static spec: PropSpec = {
    ...LAYOUT,
    direction: "string",
    gap: "string",
    rowGap: "string",
    columnGap: "string",
    alignItems: "string",
    alignContent: "string",
    justifyContent: "string",
    justifyItems: "string",
    placeItems: "string",
    placeContent: "string",
    gridTemplateColumns: "string",
    gridTemplateRows: "string",
    gridColumn: "string",
    gridRow: "string",
  };

  protected styles(): string {
    const p = this.props;
    const css: string[] = [];
    const set = (prop: string, value: unknown) => value && css.push(`${prop}:${value}`);
    if (this.localName === "s-stack") {
      css.push("display:flex", `flex-direction:${p.direction === "inline" ? "row" : "column"}`, "flex-wrap:wrap");
    }
    if (this.localName === "s-grid") {
      css.push("display:grid");
      set("grid-template-columns", p.gridTemplateColumns);
      set("grid-template-rows", p.gridTemplateRows);
    }
    if (this.localName === "s-grid-item") {
      set("grid-column", p.gridColumn);
      set("grid-row", p.gridRow);
    }
    set("gap", p.gap && space(p.gap));
    set("row-gap", p.rowGap && space(p.rowGap));
    set("column-gap", p.columnGap && space(p.columnGap));
    set("align-items", p.alignItems);
    set("justify-content", p.justifyContent);
    set("padding", p.padding && space(p.padding));
    set("padding-block", p.paddingBlock && space(p.paddingBlock));
    set("padding-inline", p.paddingInline && space(p.paddingInline));
    set("inline-size", p.inlineSize);
    set("max-inline-size", p.maxInlineSize);
    if (p.background === "subdued") css.push("background:#f6f6f7");
    if (p.background === "base") css.push("background:#fff");
    if (p.border && p.border !== "none") css.push("border:1px solid #d4d4d4");
    if (p.borderRadius && p.borderRadius !== "none") css.push("border-radius:8px");
    return css.join(";");
  }

  render() {
    const role = this.str("accessibilityRole");
    const tag =
      { main: "main", header: "header", footer: "footer", section: "section", aside: "aside", navigation: "nav" }[
        role
      ] ?? "div";
    const label = this.str("accessibilityLabel") ? ` aria-label="${esc(this.str("accessibilityLabel"))}"` : "";
    const listRole =
      role === "unordered-list" || role === "ordered-list"
        ? ' role="list"'
        : role === "list-item"
          ? ' role="listitem"'
          : "";
    this.html(`<${tag} class="l"${label}${listRole}><slot></slot></${tag}>`, `.l{${this.styles()}}`);
  }
}

class Heading extends PolarisElement {
  static spec: PropSpec = { accessibilityRole: "string", accessibilityVisibility: "string", lineClamp: "number" };
  render() {
    const level = headingLevel(this);
    const hidden = this.str("accessibilityVisibility") === "exclusive" ? ' class="visually-hidden"' : "";
    if (this.str("accessibilityRole") === "presentation")
      return this.html(`<p${hidden}><strong><slot></slot></strong></p>`);
    this.html(`<h${level}${hidden}><slot></slot></h${level}>`, `h2,h3,h4,h5,h6{margin:0 0 4px;font-size:1.05rem}`);
  }
}

const TONES: Record<string, string> = {
  critical: "#8e1f0b",
  warning: "#5e4200",
  success: "#0c5132",
  info: "#00527c",
  neutral: "#303030",
  auto: "inherit",
};

class Text extends PolarisElement {
  static spec: PropSpec = {
    type: "string",
    tone: "string",
    color: "string",
    accessibilityVisibility: "string",
    dir: "string",
    lang: "string",
    interestFor: "string",
  };

  render() {
    const tag =
      {
        strong: "strong",
        emphasis: "em",
        small: "small",
        address: "address",
        mark: "mark",
        offset: "span",
        redundant: "s",
      }[this.str("type")] ?? "span";
    const hidden = this.str("accessibilityVisibility") === "exclusive" ? ' class="visually-hidden"' : "";
    const color = this.str("color") === "subdued" ? "#616161" : (TONES[this.str("tone")] ?? "inherit");
    this.html(`<${tag}${hidden}><slot></slot></${tag}>`, `:host{display:inline}${tag}{color:${color}}`);
  }
}

class Paragraph extends PolarisElement {
  static spec: PropSpec = {
    type: "string",
    tone: "string",
    color: "string",
    textAlign: "string",
    accessibilityVisibility: "string",
    dir: "string",
    lang: "string",
  };

  render() {
    const hidden = this.str("accessibilityVisibility") === "exclusive" ? ' class="visually-hidden"' : "";
    const color = this.str("color") === "subdued" ? "#616161" : (TONES[this.str("tone")] ?? "inherit");
    this.html(
      `<p${hidden}><slot></slot></p>`,
      `p{margin:0 0 8px;color:${color};text-align:${this.str("textAlign") || "start"}}`,
    );
  }
}
/** ` name="value"` when there is a value, else nothing. */
const attr = (name: string, value: unknown) =>
  value === undefined || value === null || value === "" || value === false ? "" : ` ${name}="${esc(value)}"`;
const flag = (name: string, on: unknown) => (on ? ` ${name}` : "");

/** What a button with neither an href nor a command does (set by the host for some targets). */
let plainButton: (() => void) | undefined;

const BUTTON_CSS = [
  ".button{font:inherit;padding:8px 14px;border-radius:8px;border:1px solid #8a8a8a;background:#fff;",
  "color:#303030;cursor:pointer;text-decoration:none;display:inline-block;line-height:1.3}",
  ".button:hover{background:#f6f6f6}",
  ".button.primary{background:#303030;color:#fff;border-color:#303030}.button.primary:hover{background:#1a1a1a}",
  ".button.critical{color:#8e1f0b;border-color:#8e1f0b}.button.primary.critical{background:#8e1f0b;color:#fff}",
  ".button[disabled]{opacity:.55;cursor:not-allowed}.button[aria-busy=true]{cursor:progress}",
  ".link{color:#005bd3;text-decoration:underline;background:none;border:0;padding:0;font:inherit;cursor:pointer}",
].join("");

/** Buttons and links: a real <button> (or <a> with an href), routed through the host on click. */
class Action extends PolarisElement {
  static spec: PropSpec = {
    href: "string",
    target: "string",
    tone: "string",
    variant: "string",
    type: "string",
    disabled: "boolean",
    loading: "boolean",
    accessibilityLabel: "string",
    inlineSize: "string",
    command: "string",
    commandFor: "string",
    interestFor: "string",
    lang: "string",
  };

  render() {
    const isLink = this.localName === "s-link";
    const href = this.str("href");
    const variant = this.str("variant") || (isLink ? "" : "secondary");
    const cls = `${isLink ? "link" : "button"} ${variant} ${this.str("tone")}`;
    const common = attr("class", cls) + attr("aria-label", this.str("accessibilityLabel"));
    const busy = attr("aria-busy", this.props.loading ? "true" : "");
    const loading = this.props.loading ? '<span class="visually-hidden"> (loading)</span>' : "";
    const inner = `<slot></slot>${loading}`;
    const type = this.str("type") === "submit" ? "submit" : "button";
    const markup =
      href && !this.props.disabled
        ? `<a${common} href="${esc(href)}"${busy}>${inner}</a>`
        : `<button${common} type="${type}"${busy}${flag("disabled", this.props.disabled)}>${inner}</button>`;
    const size = this.str("inlineSize") === "fill" ? ":host{display:block}.button{inline-size:100%}" : "";
    this.html(markup, `:host{display:${isLink ? "inline" : "inline-block"}}${BUTTON_CSS}${size}`);
    const control = this.root.querySelector("a,button")!;
    control.addEventListener("click", (event) => {
      const target = this.str("commandFor");
      if (target) runCommand(this, target, this.str("command") || "--auto");
      if (this.str("type") === "submit") {
        const form = this.closest("s-form");
        if (form) form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
      }
      if (href) {
        event.preventDefault();
        navigate(href, this.str("target"));
      } else if (!target && this.str("type") !== "submit") plainButton?.();
    });
  }
}

function runCommand(source: Element, id: string, command: string) {
  const target = (source.getRootNode() as Document).getElementById?.(id) ?? document.getElementById(id);
  if (!target) return report(`<${source.localName} commandFor="${id}">: no element has that id.`);
  if (target instanceof ClipboardItem) return target.copy();
  if (target instanceof Modal) return command === "--hide" ? target.hide() : target.show();
  report(`Sandbox does not implement command ${command} on <${target.localName}>`);
}

const BADGE_BACKGROUNDS: Record<string, string> = {
  critical: "#fedad9",
  warning: "#ffe4c6",
  success: "#cdfee1",
  info: "#e0f0ff",
  neutral: "#e3e3e3",
};

class Badge extends PolarisElement {
  static spec: PropSpec = { tone: "string", color: "string", icon: "string", iconPosition: "string", size: "string" };
  render() {
    const tone = this.str("tone");
    const css = [
      ":host{display:inline-block}",
      `.badge{background:${BADGE_BACKGROUNDS[tone] ?? "#ebebeb"};color:${TONES[tone] ?? "#303030"};`,
      "border-radius:8px;padding:2px 8px;font-size:.85em;font-weight:550}",
    ].join("");
    this.html(`<span class="badge"><slot></slot></span>`, css);
  }
}

const BANNER_BACKGROUNDS: Record<string, string> = {
  critical: "#fee9e8",
  warning: "#fff1e3",
  success: "#e3f1df",
  info: "#eaf4ff",
};

class Banner extends PolarisElement {
  static spec: PropSpec = {
    heading: "string",
    tone: "string",
    dismissible: "boolean",
    collapsible: "boolean",
    hidden: "boolean",
  };

  static events = ["dismiss", "afterhide"];
  render() {
    if (this.props.hidden) return this.html("");
    const tone = this.str("tone") || "info";
    const role = tone === "critical" || tone === "warning" ? "alert" : "status";
    const heading = this.str("heading") ? `<p class="heading"><strong>${esc(this.str("heading"))}</strong></p>` : "";
    const dismiss = this.props.dismissible
      ? '<button type="button" class="dismiss" aria-label="Dismiss">×</button>'
      : "";
    const css = [
      `.banner{background:${BANNER_BACKGROUNDS[tone] ?? "#f1f1f1"};color:${TONES[tone] ?? "#303030"};`,
      "border-radius:8px;padding:12px;position:relative}",
      ".heading{margin:0 0 4px}",
      ".dismiss{position:absolute;inset-inline-end:8px;top:8px;background:none;border:0;font-size:1.2em;",
      "cursor:pointer}",
    ].join("");
    this.html(`<div role="${role}" class="banner">${heading}<slot></slot>${dismiss}</div>`, css);
    this.root.querySelector(".dismiss")?.addEventListener("click", () => {
      this.props.hidden = true;
      this.dispatchEvent(new Event("dismiss"));
      this.renderNow();
      this.dispatchEvent(new Event("afterhide"));
    });
  }
}

class Divider extends PolarisElement {
  static spec: PropSpec = { direction: "string", color: "string" };
  render() {
    this.html(`<hr>`, `hr{border:0;border-top:1px solid #e3e3e3;margin:8px 0}`);
  }
}

class ImageEl extends PolarisElement {
  static spec: PropSpec = {
    ...LAYOUT,
    src: "string",
    srcSet: "string",
    sizes: "string",
    alt: "string",
    aspectRatio: "string",
    objectFit: "string",
    loading: "string",
  };

  render() {
    const decorative = this.str("accessibilityRole") === "presentation" || this.str("accessibilityRole") === "none";
    const alt = decorative ? "" : this.str("alt");
    const loading = this.str("loading") === "lazy" ? "lazy" : "eager";
    const css = [
      `img{max-inline-size:100%;inline-size:${this.str("inlineSize") || "auto"};`,
      `object-fit:${this.str("objectFit") || "contain"};border-radius:${this.props.borderRadius ? "8px" : "0"};`,
      `aspect-ratio:${this.str("aspectRatio") || "auto"}}`,
    ].join("");
    this.html(`<img src="${esc(this.str("src"))}" alt="${esc(alt)}" loading="${loading}">`, css);
  }
}

class ProductThumbnail extends PolarisElement {
  static spec: PropSpec = {
    src: "string",
    srcSet: "string",
    sizes: "string",
    alt: "string",
    size: "string",
    totalItems: "number",
  };

  render() {
    const n = Number(this.props.totalItems ?? 0);
    const count = n > 1 ? `<span class="n" aria-label="${n} items">${n}</span>` : "";
    const css = [
      ":host{display:inline-block}.t{position:relative;display:inline-block}",
      "img{inline-size:64px;block-size:64px;object-fit:cover;border-radius:8px;border:1px solid #e3e3e3}",
      ".n{position:absolute;top:-6px;inset-inline-end:-6px;background:#303030;color:#fff;border-radius:10px;",
      "padding:0 6px;font-size:.75em}",
    ].join("");
    this.html(`<span class="t"><img src="${esc(this.str("src"))}" alt="${esc(this.str("alt"))}">${count}</span>`, css);
  }
}

const FIELD_CSS = [
  "label,legend{display:block;font-weight:600;margin-bottom:4px}",
  ".hidden-label label{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
  "input,textarea,select{font:inherit;inline-size:100%;box-sizing:border-box;padding:8px;",
  "border:1px solid #8a8a8a;border-radius:8px;background:#fff;color:#303030}",
  "[aria-invalid=true]{border-color:#8e1f0b}.error{color:#8e1f0b;margin:4px 0 0}",
  ".details{color:#616161;margin:4px 0 0;font-size:.9em}.error:empty,.details:empty{display:none}",
].join("");

/** Text-like fields: the control is built once, so typing keeps its focus and caret. */
class Field extends PolarisElement {
  static spec: PropSpec = {
    ...FIELD,
    min: "number",
    max: "number",
    step: "number",
    inputMode: "string",
    rows: "number",
    controlledValue: "string",
  };

  static events = ["input", "change", "focus", "blur"];
  private control: HTMLInputElement | HTMLTextAreaElement | null = null;

  get valueAsText() {
    return this.control?.value ?? this.str("value");
  }

  render() {
    if (!this.control) this.build();
    const control = this.control!;
    const id = control.id;
    const label = this.root.querySelector("label")!;
    label.textContent = this.str("label") || this.str("accessibilityLabel") || "";
    if (!label.textContent) report(`<${this.localName}> needs a label: a field without one cannot be named.`);
    this.root
      .querySelector(".f")!
      .classList.toggle("hidden-label", this.str("labelAccessibilityVisibility") === "exclusive");
    if (this.props.value !== undefined && control.value !== this.str("value") && this.root.activeElement !== control)
      control.value = this.str("value");
    control.disabled = Boolean(this.props.disabled);
    control.readOnly = Boolean(this.props.readOnly);
    control.required = Boolean(this.props.required);
    control.placeholder = this.str("placeholder");
    for (const name of ["min", "max", "step", "minLength", "maxLength", "autocomplete", "inputMode", "name"]) {
      const v = this.props[name];
      if (v === undefined || v === null || v === "") control.removeAttribute(name.toLowerCase());
      else control.setAttribute(name.toLowerCase(), String(v));
    }
    const error = this.root.querySelector(".error")!;
    const details = this.root.querySelector(".details")!;
    error.textContent = this.str("error");
    details.textContent = this.str("details");
    control.setAttribute("aria-invalid", this.str("error") ? "true" : "false");
    const described = [this.str("error") ? `${id}-error` : "", this.str("details") ? `${id}-details` : ""].filter(
      Boolean,
    );
    if (described.length) control.setAttribute("aria-describedby", described.join(" "));
    else control.removeAttribute("aria-describedby");
  }

  private build() {
    const id = nextId("field");
    const multiline = this.localName === "s-text-area";
    const type =
      {
        "s-number-field": "number",
        "s-email-field": "email",
        "s-url-field": "url",
        "s-password-field": "password",
        "s-phone-field": "tel",
        "s-money-field": "number",
      }[this.localName] ?? "text";
    const control = multiline
      ? `<textarea id="${id}" rows="${Number(this.props.rows ?? 3)}"></textarea>`
      : `<input id="${id}" type="${type}">`;
    this.html(
      `<div class="f"><label for="${id}"></label>${control}` +
        `<p class="error" id="${id}-error"></p><p class="details" id="${id}-details"></p></div>`,
      FIELD_CSS,
    );
    this.control = this.root.getElementById(id) as HTMLInputElement;
    this.control.value = this.str("value") || this.str("defaultValue");
    this.control.addEventListener("input", (event) => {
      event.stopPropagation();
      this.props.value = this.control!.value;
      this.dispatchEvent(new Event("input", { bubbles: true }));
    });
    this.control.addEventListener("change", () => {
      this.props.value = this.control!.value;
      this.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
}

/** Choices live as children (s-choice / s-option); the list renders them as one real group. */
abstract class ChoiceHost extends PolarisElement {
  private observer: MutationObserver | null = null;
  connectedCallback() {
    super.connectedCallback();
    this.observer = new MutationObserver(() => this.schedule());
    this.observer.observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
  }

  disconnectedCallback() {
    this.observer?.disconnect();
  }

  protected options(tag: string) {
    return [...this.querySelectorAll(tag)].map((el) => {
      const option = el as Choice;
      return {
        value: option.str("value"),
        label: (option.textContent ?? "").trim() || option.str("accessibilityLabel"),
        selected: Boolean(option.props.selected ?? option.props.defaultSelected),
        disabled: Boolean(option.props.disabled),
      };
    });
  }

  /** The error and details paragraphs under a control, tied to it by aria-describedby. */
  protected notes(id: string) {
    const error = this.str("error") ? `<p class="error" id="${id}-e">${esc(this.str("error"))}</p>` : "";
    const details = this.str("details") ? `<p class="details" id="${id}-d">${esc(this.str("details"))}</p>` : "";
    const described = [error && `${id}-e`, details && `${id}-d`].filter(Boolean).join(" ");
    return { markup: error + details, describedBy: attr("aria-describedby", described) };
  }
}

class Choice extends PolarisElement {
  static spec: PropSpec = {
    value: "string",
    selected: "boolean",
    defaultSelected: "boolean",
    disabled: "boolean",
    accessibilityLabel: "string",
    error: "boolean",
  };

  declare props: Record<string, unknown>;
  str(name: string) {
    return super.str(name);
  }

  render() {
    // Rendered by its list; the element itself shows nothing of its own.
    this.html("", ":host{display:none}");
    this.parentElement?.dispatchEvent(new Event("sandbox-choice-changed"));
  }
}

class ChoiceList extends ChoiceHost {
  static spec: PropSpec = {
    label: "string",
    name: "string",
    values: "any",
    multiple: "boolean",
    disabled: "boolean",
    error: "string",
    details: "string",
    labelAccessibilityVisibility: "string",
    variant: "string",
  };

  static events = ["change", "input"];
  get selectedValues(): string[] {
    return (
      (this.props.values as string[] | undefined) ??
      this.options("s-choice")
        .filter((o) => o.selected)
        .map((o) => o.value)
    );
  }

  render() {
    const id = nextId("choices");
    const type = this.props.multiple ? "checkbox" : "radio";
    const selected = new Set(this.selectedValues);
    const hiddenLegend = this.str("labelAccessibilityVisibility") === "exclusive" ? ' class="visually-hidden"' : "";
    if (!this.str("label")) report("<s-choice-list> needs a label: the group cannot be named without one.");
    const notes = this.notes(id);
    const name = esc(this.str("name") || id);
    const choices = this.options("s-choice")
      .map((o, i) => {
        const state = flag("checked", selected.has(o.value)) + flag("disabled", o.disabled || this.props.disabled);
        return (
          `<div class="c"><input type="${type}" id="${id}-${i}" name="${name}" value="${esc(o.value)}"${state}>` +
          `<label for="${id}-${i}">${esc(o.label)}</label></div>`
        );
      })
      .join("");
    this.html(
      `<fieldset${notes.describedBy}><legend${hiddenLegend}>${esc(this.str("label"))}</legend>` +
        `${choices}${notes.markup}</fieldset>`,
      `${FIELD_CSS}fieldset{border:0;padding:0;margin:0}.c{display:flex;gap:8px;align-items:center;padding:4px 0}` +
        ".c input{inline-size:auto;margin:0}.c label{font-weight:400;margin:0}",
    );
    for (const input of this.root.querySelectorAll("input")) {
      input.addEventListener("change", () => {
        const values = [...this.root.querySelectorAll<HTMLInputElement>("input:checked")].map((x) => x.value);
        this.props.values = values;
        this.dispatchEvent(new Event("input", { bubbles: true }));
        this.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
  }

  get values() {
    return this.selectedValues;
  }

  set values(v: string[]) {
    this.props.values = v;
    this.schedule();
  }
}

class Select extends ChoiceHost {
  static spec: PropSpec = { ...FIELD };
  static events = ["change", "input", "focus", "blur"];
  render() {
    const id = nextId("select");
    const options = this.options("s-option");
    const value = this.props.value ?? options.find((o) => o.selected)?.value ?? options[0]?.value ?? "";
    const focused = this.root.activeElement?.localName === "select";
    const notes = this.notes(id);
    const hidden = this.str("labelAccessibilityVisibility") === "exclusive" ? " hidden-label" : "";
    const placeholder = this.str("placeholder")
      ? `<option value="" disabled${flag("selected", value === "")}>${esc(this.str("placeholder"))}</option>`
      : "";
    const list = options
      .map((o) => {
        const state = flag("selected", o.value === value) + flag("disabled", o.disabled);
        return `<option value="${esc(o.value)}"${state}>${esc(o.label)}</option>`;
      })
      .join("");
    const state =
      flag("disabled", this.props.disabled) +
      flag("required", this.props.required) +
      attr("aria-invalid", this.str("error") ? "true" : "") +
      notes.describedBy;
    this.html(
      `<div class="f${hidden}"><label for="${id}">${esc(this.str("label"))}</label>` +
        `<select id="${id}"${state}>${placeholder}${list}</select>${notes.markup}</div>`,
      FIELD_CSS,
    );
    if (!this.str("label")) report("<s-select> needs a label: a field without one cannot be named.");
    const select = this.root.querySelector("select")!;
    if (focused) select.focus();
    select.addEventListener("change", () => {
      this.props.value = select.value;
      this.dispatchEvent(new Event("input", { bubbles: true }));
      this.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
}

class Checkbox extends PolarisElement {
  static spec: PropSpec = {
    label: "string",
    checked: "boolean",
    defaultChecked: "boolean",
    name: "string",
    value: "string",
    disabled: "boolean",
    required: "boolean",
    error: "string",
    details: "string",
    accessibilityLabel: "string",
    command: "string",
    commandFor: "string",
  };

  static events = ["change", "input"];
  render() {
    const id = nextId("check");
    const role = this.localName === "s-switch" ? ' role="switch"' : "";
    const state =
      flag("checked", this.props.checked ?? this.props.defaultChecked) +
      flag("disabled", this.props.disabled) +
      attr("aria-label", this.str("accessibilityLabel"));
    const error = this.str("error") ? `<p class="error">${esc(this.str("error"))}</p>` : "";
    if (!this.str("label") && !this.str("accessibilityLabel"))
      report(`<${this.localName}> needs a label or an accessibilityLabel: a checkbox without one cannot be named.`);
    this.html(
      `<div class="c"><input type="checkbox"${role} id="${id}"${state}>` +
        `<label for="${id}">${esc(this.str("label"))}</label></div>${error}`,
      `.c{display:flex;gap:8px;align-items:center}.error{color:#8e1f0b}`,
    );
    const input = this.root.querySelector("input")!;
    input.addEventListener("change", () => {
      this.props.checked = input.checked;
      this.dispatchEvent(new Event("input", { bubbles: true }));
      this.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
}

/**
 * A drop zone (2026-07): a labelled file picker whose `files` are the chosen files the `accept`
 * list takes; any it does not are left out and reported by `droprejected`, as Shopify's does.
 * Setting `value` to "" clears the choice.
 */
class DropZone extends PolarisElement {
  static spec: PropSpec = {
    label: "string",
    accessibilityLabel: "string",
    accept: "string",
    multiple: "boolean",
    disabled: "boolean",
    required: "boolean",
    error: "string",
    name: "string",
    value: "string",
  };

  static events = ["input", "change", "droprejected"];
  private chosen: File[] = [];
  private input: HTMLInputElement | null = null;

  get files(): ReadonlyArray<File> {
    return this.chosen;
  }

  private accepts(file: File) {
    const accept = this.str("accept")
      .split(",")
      .map((a) => a.trim().toLowerCase())
      .filter(Boolean);
    if (!accept.length) return true;
    const name = file.name.toLowerCase();
    const type = file.type.toLowerCase();
    return accept.some((a) =>
      a.startsWith(".") ? name.endsWith(a) : a.endsWith("/*") ? type.startsWith(a.slice(0, -1)) : type === a,
    );
  }

  render() {
    if (this.props.value === "" && this.chosen.length) this.chosen = [];
    if (!this.input) {
      const id = nextId("drop");
      this.html(
        `<div class="f"><label for="${id}"></label><input id="${id}" type="file">` +
          `<p class="error" id="${id}-error"></p></div>`,
        FIELD_CSS,
      );
      this.input = this.root.getElementById(id) as HTMLInputElement;
      this.input.addEventListener("change", () => {
        const all = [...(this.input!.files ?? [])];
        this.chosen = all.filter((f) => this.accepts(f));
        this.props.value = this.chosen[0] ? `C:\\fakepath\\${this.chosen[0].name}` : "";
        this.dispatchEvent(new Event("input", { bubbles: true }));
        this.dispatchEvent(new Event("change", { bubbles: true }));
        if (this.chosen.length < all.length) this.dispatchEvent(new Event("droprejected"));
        this.renderNow();
      });
    }
    const input = this.input;
    const label = this.root.querySelector("label")!;
    label.textContent = this.str("label") || this.str("accessibilityLabel");
    if (!label.textContent) report(`<${this.localName}> needs a label: a drop zone without one cannot be named.`);
    input.accept = this.str("accept");
    input.multiple = Boolean(this.props.multiple);
    input.disabled = Boolean(this.props.disabled);
    input.required = Boolean(this.props.required);
    if (!this.chosen.length) input.value = "";
    this.root.querySelector(".error")!.textContent = this.str("error");
    input.setAttribute("aria-invalid", this.str("error") ? "true" : "false");
    if (this.str("error")) input.setAttribute("aria-describedby", `${input.id}-error`);
    else input.removeAttribute("aria-describedby");
  }
}

class ClipboardItem extends PolarisElement {
  static spec: PropSpec = { text: "string" };
  static events = ["copy", "copyerror"];
  render() {
    this.html("", ":host{display:none}");
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(this.str("text"));
      this.dispatchEvent(new Event("copy"));
    } catch {
      this.dispatchEvent(new Event("copyerror"));
    }
  }
}

class Modal extends PolarisElement {
  static spec: PropSpec = { heading: "string", accessibilityLabel: "string", size: "string", padding: "string" };
  static events = ["show", "hide", "aftershow", "afterhide"];
  render() {
    const id = nextId("modal");
    const heading = esc(this.str("heading") || this.str("accessibilityLabel"));
    this.html(
      `<dialog aria-labelledby="${id}"><h2 id="${id}">${heading}</h2><slot></slot>` +
        `<div class="a"><slot name="secondary-actions"></slot><slot name="primary-action"></slot></div>` +
        `<button type="button" class="close">Close</button></dialog>`,
      `dialog{border-radius:12px;border:1px solid #ccc;max-inline-size:560px}.a{display:flex;gap:8px;margin-top:12px}`,
    );
    this.root.querySelector(".close")!.addEventListener("click", () => this.hide());
  }

  show() {
    const dialog = this.root.querySelector("dialog")!;
    this.dispatchEvent(new Event("show"));
    dialog.showModal?.();
    this.dispatchEvent(new Event("aftershow"));
  }

  hide() {
    const dialog = this.root.querySelector("dialog")!;
    this.dispatchEvent(new Event("hide"));
    dialog.close?.();
    this.dispatchEvent(new Event("afterhide"));
  }
}

/**
 * The body of an order action's modal (customer-account.order.action.render): its heading, what
 * the extension puts in it, and its actions. The page around the frame draws the modal and its
 * close button.
 */
class CustomerAccountAction extends PolarisElement {
  static spec: PropSpec = { heading: "string" };
  render() {
    if (!this.str("heading")) report("<s-customer-account-action> needs a heading: the modal would have no name.");
    this.html(
      `<section aria-labelledby="h"><h2 id="h">${esc(this.str("heading"))}</h2><div class="body"><slot></slot></div>` +
        `<div class="a"><slot name="secondary-actions"></slot><slot name="primary-action"></slot></div></section>`,
      "h2{font-size:1.25rem;margin:0 0 12px}.body{margin-bottom:16px}" +
        ".a{display:flex;gap:8px;justify-content:flex-end;flex-wrap:wrap}",
    );
  }
}

class Progress extends PolarisElement {
  static spec: PropSpec = { value: "number", max: "number", tone: "string", accessibilityLabel: "string" };
  render() {
    const label = this.str("accessibilityLabel");
    if (!label) report("<s-progress> needs an accessibilityLabel: a progress bar without a name says nothing.");
    const value = this.props.value === undefined ? "" : ` value="${Number(this.props.value)}"`;
    this.html(
      `<progress aria-label="${esc(label)}"${value} max="${Number(this.props.max ?? 1)}"></progress>`,
      `progress{inline-size:100%;block-size:10px;accent-color:#005bd3}`,
    );
  }
}

class Spinner extends PolarisElement {
  static spec: PropSpec = { size: "string", accessibilityLabel: "string" };
  render() {
    const label = esc(this.str("accessibilityLabel") || "Loading");
    this.html(
      `<span role="status" class="s"><span class="visually-hidden">${label}</span></span>`,
      [
        ":host{display:inline-block}",
        ".s{display:inline-block;inline-size:20px;block-size:20px;border:3px solid #ccc;border-top-color:#303030;",
        "border-radius:50%;animation:r 1s linear infinite}",
        "@media (prefers-reduced-motion:reduce){.s{animation:none}}@keyframes r{to{transform:rotate(360deg)}}",
      ].join(""),
    );
  }
}

const GLYPHS: Record<string, string> = {
  "check-circle": "✓",
  check: "✓",
  alert: "!",
  "alert-circle": "!",
  "alert-triangle": "⚠",
  info: "ℹ",
  truck: "🚚",
  delivery: "🚚",
  clock: "⏱",
  calendar: "📅",
  gift: "🎁",
  star: "★",
  "arrow-left": "←",
  "arrow-right": "→",
  "chevron-left": "‹",
  "chevron-right": "›",
  return: "↩",
  order: "🧾",
  "store-credit": "💳",
  discount: "%",
  x: "×",
  "x-circle": "×",
  plus: "+",
  minus: "−",
  clipboard: "📋",
  external: "↗",
  email: "✉",
  location: "📍",
};
// Arrows point the way the page reads: mirrored right to left, as Shopify's icons are.
const DIRECTIONAL = new Set(["arrow-left", "arrow-right", "chevron-left", "chevron-right", "return", "external"]);

class Icon extends PolarisElement {
  static spec: PropSpec = { type: "string", tone: "string", size: "string", interestFor: "string" };
  render() {
    const type = this.str("type");
    if (!GLYPHS[type]) report(`Sandbox does not implement <s-icon type="${type}">.`);
    this.html(
      `<span aria-hidden="true"${DIRECTIONAL.has(type) ? ' class="flip"' : ""}>${GLYPHS[type] ?? "•"}</span>`,
      `:host{display:inline-block;color:${TONES[this.str("tone")] ?? "inherit"}}` +
        ":host(:dir(rtl)) .flip{display:inline-block;transform:scaleX(-1)}",
    );
  }
}

class Details extends PolarisElement {
  static spec: PropSpec = { defaultOpen: "boolean", open: "boolean", toggleTransition: "string" };
  static events = ["toggle", "aftertoggle"];
  render() {
    const open = flag("open", this.props.open ?? this.props.defaultOpen);
    this.html(`<details${open}><summary><slot name="summary"></slot></summary><slot></slot></details>`);
    const details = this.root.querySelector("details")!;
    details.addEventListener("toggle", () => this.dispatchEvent(new Event("toggle")));
  }
}

class Summary extends PolarisElement {
  static spec: PropSpec = {};
  connectedCallback() {
    if (!this.slot) this.slot = "summary";
    super.connectedCallback();
  }

  render() {
    this.html(`<slot></slot>`, `:host{display:inline}`);
  }
}

class Form extends PolarisElement {
  static spec: PropSpec = { id: "string" };
  static events = ["submit"];
  render() {
    this.html(`<form novalidate><slot></slot></form>`);
    this.root.querySelector("form")!.addEventListener("submit", (e) => e.preventDefault());
  }
}

/**
 * Lists: a real <ol> or <ul> around the slotted items, so they are numbered (in the page's own
 * digits: Persian right to left) or bulleted, and read as a list of so many items.
 */
class List extends PolarisElement {
  static spec: PropSpec = {};
  render() {
    if (this.localName === "s-list-item") {
      if (!["s-ordered-list", "s-unordered-list"].includes(this.parentElement?.localName ?? ""))
        report("<s-list-item> belongs in an <s-ordered-list> or <s-unordered-list>.");
      this.setAttribute("role", "listitem");
      return this.html(`<slot></slot>`, `:host{display:list-item;margin-block:2px}`);
    }
    const tag = this.localName === "s-ordered-list" ? "ol" : "ul";
    this.html(
      `<${tag} role="list"><slot></slot></${tag}>`,
      "ol,ul{margin:0;padding-inline-start:1.5em}ol{list-style-type:decimal}ul{list-style-type:disc}" +
        ":host(:lang(fa)) ol{list-style-type:persian}:host(:lang(ar)) ol{list-style-type:arabic-indic}",
    );
  }
}

class TimeEl extends PolarisElement {
  static spec: PropSpec = { dateTime: "string" };
  render() {
    this.html(`<time datetime="${esc(this.str("dateTime"))}"><slot></slot></time>`, `:host{display:inline}`);
  }
}

class Abbreviation extends PolarisElement {
  static spec: PropSpec = { title: "string" };
  render() {
    this.html(`<abbr title="${esc(this.getAttribute("title") ?? "")}"><slot></slot></abbr>`, `:host{display:inline}`);
  }
}

class SkeletonParagraph extends PolarisElement {
  static spec: PropSpec = { content: "string" };
  render() {
    this.html(
      `<p aria-hidden="true" class="sk">&nbsp;</p>`,
      `.sk{background:#eee;border-radius:6px;min-block-size:1em}`,
    );
  }
}

const RENDERERS: Record<string, typeof PolarisElement> = {
  "s-page": Page,
  "s-section": Section,
  "s-stack": Layout,
  "s-grid": Layout,
  "s-grid-item": Layout,
  "s-box": Layout,
  "s-heading": Heading,
  "s-text": Text,
  "s-paragraph": Paragraph,
  "s-link": Action,
  "s-button": Action,
  "s-badge": Badge,
  "s-banner": Banner,
  "s-divider": Divider,
  "s-image": ImageEl,
  "s-product-thumbnail": ProductThumbnail,
  "s-choice-list": ChoiceList,
  "s-choice": Choice,
  "s-select": Select,
  "s-option": Choice,
  "s-text-field": Field,
  "s-text-area": Field,
  "s-number-field": Field,
  "s-email-field": Field,
  "s-url-field": Field,
  "s-checkbox": Checkbox,
  "s-switch": Checkbox,
  "s-drop-zone": DropZone,
  "s-clipboard-item": ClipboardItem,
  "s-modal": Modal,
  "s-customer-account-action": CustomerAccountAction,
  "s-progress": Progress,
  "s-spinner": Spinner,
  "s-icon": Icon,
  "s-details": Details,
  "s-summary": Summary,
  "s-form": Form,
  "s-unordered-list": List,
  "s-ordered-list": List,
  "s-list-item": List,
  "s-time": TimeEl,
  "s-abbreviation": Abbreviation,
  "s-skeleton-paragraph": SkeletonParagraph,
};

export const RENDERED_ELEMENTS = Object.keys(RENDERERS);

/** Why an s-* name cannot be rendered here, or null when it can. */
export function unsupportedReason(tag: string): string | null {
  const name = tag.toLowerCase();
  if (!name.startsWith("s-")) return null;
  if (RENDERERS[name]) return null;
  if (POLARIS_2026_07.includes(name))
    return `Sandbox does not implement <${name}> (a 2026-07 component the host does not render yet)`;
  return `<${name}> is not a Polaris web component for customer accounts in 2026-07`;
}

/**
 * Defines every renderer in this window and makes unknown s-* elements fail where they are made:
 * document.createElement throws (Preact creates elements so), and any that arrive another way
 * (innerHTML) are reported as soon as they are attached. `plainButton` is what a button with no
 * href and no command does (an order action's menu item opens its modal).
 */
export function installPolarisElements(options: {
  report: HostErrorReporter;
  navigate: Navigator;
  plainButton?: () => void;
}) {
  report = options.report;
  navigate = options.navigate;
  plainButton = options.plainButton;
  for (const [tag, cls] of Object.entries(RENDERERS)) {
    // Classes used for several tags need one subclass per tag (the registry takes each once).
    const perTag = class extends (cls as unknown as typeof HTMLElement) {} as unknown as typeof PolarisElement;
    perTag.spec = cls.spec;
    perTag.events = cls.events;
    perTag.define(tag);
  }
  const create = document.createElement.bind(document);
  document.createElement = ((tag: string, opts?: ElementCreationOptions) => {
    const reason = unsupportedReason(tag);
    if (reason) throw new Error(reason);
    return create(tag, opts);
  }) as typeof document.createElement;
  const check = (node: Node) => {
    if (!(node instanceof Element)) return;
    for (const el of [node, ...node.querySelectorAll("*")]) {
      const reason = unsupportedReason(el.localName);
      if (reason) report(reason);
      if (el instanceof PolarisElement) el.checkAttributes();
    }
  };
  new MutationObserver((records) => {
    for (const r of records) {
      r.addedNodes.forEach(check);
      if (r.type === "attributes" && r.target instanceof PolarisElement) r.target.checkAttributes();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
}
