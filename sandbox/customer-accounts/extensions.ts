/**
 * The app's customer-account extensions as a store would know them: every
 * extensions/<dir>/shopify.extension.toml of type ui_extension, its targets, its built bundle
 * (extensions/<dir>/dist/<dir>.js) and its locales/*.json.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface CustomerAccountExtension {
  dir: string;
  handle: string;
  name: string;
  apiVersion: string;
  targets: { target: string; module: string }[];
  capabilities: string[];
  /** The merchant's settings the extension declares ([[extensions.settings.fields]]). */
  settings: SettingField[];
  /** What in its toml the sandbox cannot honour (shown where the extension would run). */
  problems: string[];
  /** Where the built bundle should be, and whether it is there. */
  bundlePath: string;
  built: boolean;
  localesDir: string;
}

/** One setting a merchant fills in for an extension in the checkout and accounts editor. */
export interface SettingField {
  key: string;
  type: string;
  name: string;
  description: string | null;
  validations: { name: string; value: string }[];
}

/** Setting types of customer-account UI extensions (Shopify's extension settings reference). */
export const SETTING_TYPES = [
  "boolean",
  "date",
  "date_time",
  "single_line_text_field",
  "multi_line_text_field",
  "number_integer",
  "number_decimal",
  "variant_reference",
] as const;
const VALIDATIONS = ["choices", "min", "max", "regex", "max_precision"];

function settingFields(ext: Record<string, unknown>, problems: string[]): SettingField[] {
  const settings = (ext.settings as Record<string, unknown> | undefined) ?? {};
  const fields = (settings.fields as Record<string, unknown>[] | undefined) ?? [];
  return fields.map((f, i) => {
    const key = String(f.key ?? "");
    const type = String(f.type ?? "");
    if (!/^[a-z0-9_]+$/.test(key)) problems.push(`settings field ${i + 1} needs a key of a-z, 0-9 and _.`);
    if (!(SETTING_TYPES as ReadonlyArray<string>).includes(type))
      problems.push(`Sandbox does not implement the setting type "${type}" (field ${key}).`);
    const validations = ((f.validations as Record<string, unknown>[] | undefined) ?? []).map((v) => ({
      name: String(v.name ?? ""),
      value: String(v.value ?? ""),
    }));
    for (const v of validations) {
      if (!VALIDATIONS.includes(v.name))
        problems.push(`Sandbox does not implement the setting validation "${v.name}" (field ${key}).`);
    }
    return {
      key,
      type,
      name: String(f.name ?? key),
      description: f.description ? String(f.description) : null,
      validations,
    };
  });
}

/** The handful of TOML an extension file uses: tables, arrays of tables, strings, booleans, arrays. */
export function parseExtensionToml(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let current = root;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) continue;
    const table = /^\[(\[)?\s*([\w.-]+)\s*\]?\]$/.exec(line);
    if (table) {
      const isArray = Boolean(table[1]);
      const path = table[2].split(".");
      let node: Record<string, unknown> = root;
      for (const [i, key] of path.entries()) {
        const last = i === path.length - 1;
        if (last && isArray) {
          const list = (node[key] as Record<string, unknown>[] | undefined) ?? [];
          node[key] = list;
          const item = {};
          list.push(item);
          node = item;
        } else {
          let next = node[key];
          if (Array.isArray(next)) next = next.at(-1);
          if (!next) {
            next = {};
            node[key] = next;
          }
          node = next as Record<string, unknown>;
        }
      }
      current = node;
      continue;
    }
    const pair = /^([\w.-]+)\s*=\s*(.+)$/.exec(line);
    if (!pair) continue;
    current[pair[1]] = parseValue(pair[2]);
  }
  return root;
}

function parseValue(text: string): unknown {
  const t = text.trim();
  // A basic string's escapes are JSON's; a literal ('…') string has none.
  if (t.startsWith('"')) return JSON.parse(t.slice(0, t.lastIndexOf('"') + 1)) as string;
  if (t.startsWith("'")) return t.slice(1, t.lastIndexOf("'"));
  if (t === "true" || t === "false") return t === "true";
  if (t.startsWith("[")) {
    return (t.slice(1, -1).match(/"[^"]*"|'[^']*'|[^,\s]+/g) ?? []).map(parseValue);
  }
  return Number.isNaN(Number(t)) ? t : Number(t);
}

export function findCustomerAccountExtensions(root: string): CustomerAccountExtension[] {
  if (!existsSync(root)) return [];
  const found: CustomerAccountExtension[] = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const tomlPath = join(root, dir.name, "shopify.extension.toml");
    if (!existsSync(tomlPath)) continue;
    const toml = parseExtensionToml(readFileSync(tomlPath, "utf8"));
    for (const ext of (toml.extensions as Record<string, unknown>[] | undefined) ?? []) {
      if (ext.type !== "ui_extension") continue;
      const targets = ((ext.targeting as Record<string, unknown>[] | undefined) ?? [])
        .map((t) => ({ target: String(t.target ?? ""), module: String(t.module ?? "") }))
        .filter((t) => t.target.startsWith("customer-account."));
      if (!targets.length) continue;
      const bundlePath = join(root, dir.name, "dist", `${dir.name}.js`);
      const capabilities = Object.entries((ext.capabilities as Record<string, unknown> | undefined) ?? {})
        .filter(([, on]) => on === true)
        .map(([name]) => name);
      const problems: string[] = [];
      const settings = settingFields(ext, problems);
      found.push({
        dir: dir.name,
        handle: String(ext.handle ?? dir.name),
        name: String(ext.name ?? dir.name),
        apiVersion: String(toml.api_version ?? ""),
        targets,
        capabilities,
        settings,
        problems,
        bundlePath,
        built: existsSync(bundlePath),
        localesDir: join(root, dir.name, "locales"),
      });
    }
  }
  return found;
}

function readJson(path: string): Record<string, unknown> | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : null;
}

/**
 * A merchant's value for a setting, checked as Shopify's editor checks it: null to clear it, the
 * typed value, or an error message.
 */
export function settingValue(field: SettingField, raw: string): { value: unknown } | { error: string } {
  const text = raw.trim();
  if (text === "") return { value: null };
  const rule = (name: string) => field.validations.find((v) => v.name === name)?.value;
  let value: unknown = text;
  switch (field.type) {
    case "boolean":
      if (text !== "true" && text !== "false") return { error: `${field.name}: true or false.` };
      value = text === "true";
      break;
    case "number_integer":
    case "number_decimal": {
      const n = Number(text);
      if (!Number.isFinite(n) || (field.type === "number_integer" && !Number.isInteger(n)))
        return { error: `${field.name}: enter a ${field.type === "number_integer" ? "whole " : ""}number.` };
      const precision = rule("max_precision");
      if (precision !== undefined && (text.split(".")[1]?.length ?? 0) > Number(precision))
        return { error: `${field.name}: at most ${precision} decimal places.` };
      value = n;
      break;
    }
    case "date":
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return { error: `${field.name}: a date as YYYY-MM-DD.` };
      break;
    case "date_time":
      if (Number.isNaN(Date.parse(text))) return { error: `${field.name}: a date and time (ISO 8601).` };
      break;
    case "variant_reference":
      if (!/^gid:\/\/shopify\/ProductVariant\/\d+$/.test(text))
        return { error: `${field.name}: a product variant's gid.` };
      break;
    default:
      break;
  }
  const min = rule("min");
  const max = rule("max");
  const measure = typeof value === "number" ? value : field.type.startsWith("date") ? Date.parse(text) : text.length;
  const bound = (b: string) => (field.type.startsWith("date") ? Date.parse(b) : Number(b));
  if (min !== undefined && measure < bound(min)) return { error: `${field.name}: at least ${min}.` };
  if (max !== undefined && measure > bound(max)) return { error: `${field.name}: at most ${max}.` };
  const regex = rule("regex");
  if (regex !== undefined && !new RegExp(regex).test(text)) return { error: `${field.name}: must match ${regex}.` };
  const choices = rule("choices");
  if (choices !== undefined && !(JSON.parse(choices) as string[]).includes(text))
    return { error: `${field.name}: one of ${(JSON.parse(choices) as string[]).join(", ")}.` };
  return { value };
}

/** The extension's locale files for a shopper's locale: exact, base language, and the default. */
export function localeFiles(ext: CustomerAccountExtension, locale: string) {
  const files = existsSync(ext.localesDir) ? readdirSync(ext.localesDir) : [];
  const fallbackName = files.find((f) => f.endsWith(".default.json"));
  const base = locale.split("-")[0];
  return {
    locale: readJson(join(ext.localesDir, `${locale}.json`)),
    language: base === locale ? null : readJson(join(ext.localesDir, `${base}.json`)),
    fallback: fallbackName ? (readJson(join(ext.localesDir, fallbackName)) ?? {}) : {},
    defaultLocale: fallbackName?.replace(".default.json", "") ?? null,
  };
}
