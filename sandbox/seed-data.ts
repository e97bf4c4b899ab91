/**
 * The demo shop's catalogue and people. Deterministic (a seeded generator), so every fresh demo
 * and every end-to-end run starts from the same shop.
 */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoProduct {
  handle: string;
  title: string;
  kind: string;
  productType: string;
  tags: string[];
  variants: { title: string; price: string; sku: string }[];
  collection: string;
}

export const DEMO_SHOP = {
  domain: "aftercare-demo.myshopify.com",
  name: "Northwind Goods",
  email: "owner@northwind.example",
  currency: "USD",
  timezone: "America/New_York",
};

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    handle: "stoneware-mug",
    title: "Stoneware Mug",
    kind: "mug",
    productType: "Kitchen",
    tags: ["kitchen", "gift"],
    collection: "Home",
    variants: [
      { title: "Sand", price: "24.00", sku: "MUG-SND" },
      { title: "Slate", price: "24.00", sku: "MUG-SLT" },
    ],
  },
  {
    handle: "organic-cotton-tee",
    title: "Organic Cotton Tee",
    kind: "tee",
    productType: "Apparel",
    tags: ["apparel"],
    collection: "Apparel",
    variants: [
      { title: "S", price: "32.00", sku: "TEE-S" },
      { title: "M", price: "32.00", sku: "TEE-M" },
      { title: "L", price: "32.00", sku: "TEE-L" },
    ],
  },
  {
    handle: "canvas-cap",
    title: "Canvas Cap",
    kind: "cap",
    productType: "Accessories",
    tags: ["apparel", "accessories"],
    collection: "Apparel",
    variants: [
      { title: "Olive", price: "28.00", sku: "CAP-OLV" },
      { title: "Navy", price: "28.00", sku: "CAP-NVY" },
    ],
  },
  {
    handle: "insulated-bottle",
    title: "Insulated Bottle",
    kind: "bottle",
    productType: "Outdoor",
    tags: ["outdoor", "gift"],
    collection: "Outdoor",
    variants: [
      { title: "500 ml", price: "36.00", sku: "BTL-500" },
      { title: "750 ml", price: "42.00", sku: "BTL-750" },
    ],
  },
  {
    handle: "waxed-tote",
    title: "Waxed Canvas Tote",
    kind: "bag",
    productType: "Accessories",
    tags: ["accessories"],
    collection: "Outdoor",
    variants: [{ title: "Default Title", price: "68.00", sku: "TOTE-1" }],
  },
  {
    handle: "merino-socks",
    title: "Merino Socks",
    kind: "sock",
    productType: "Apparel",
    tags: ["apparel", "final-sale"],
    collection: "Apparel",
    variants: [
      { title: "M", price: "18.00", sku: "SOCK-M" },
      { title: "L", price: "18.00", sku: "SOCK-L" },
    ],
  },
  {
    handle: "soy-candle",
    title: "Cedar Soy Candle",
    kind: "candle",
    productType: "Home",
    tags: ["home", "gift"],
    collection: "Home",
    variants: [{ title: "Default Title", price: "22.00", sku: "CNDL-1" }],
  },
  {
    handle: "linen-notebook",
    title: "Linen Notebook",
    kind: "notebook",
    productType: "Stationery",
    tags: ["stationery"],
    collection: "Home",
    variants: [
      { title: "Dotted", price: "16.00", sku: "NB-DOT" },
      { title: "Ruled", price: "16.00", sku: "NB-RUL" },
    ],
  },
];

const FIRST = [
  "Ava",
  "Noah",
  "Mina",
  "Leo",
  "Sara",
  "Jun",
  "Yui",
  "Omid",
  "Lena",
  "Kai",
  "Maya",
  "Ravi",
  "Zoe",
  "Ali",
  "Hana",
  "Theo",
  "Nora",
  "Sam",
  "Ines",
  "Dara",
];
const LAST = [
  "Kim",
  "Park",
  "Tanaka",
  "Sato",
  "Ahmadi",
  "Rahimi",
  "Smith",
  "Garcia",
  "Chen",
  "Novak",
  "Silva",
  "Brown",
  "Müller",
  "Rossi",
  "Haddad",
  "Jones",
];
const LOCALES = ["en", "en", "en", "ko", "ja", "fa"];

export const DEMO_ADDRESSES = [
  {
    city: "Brooklyn",
    province: "New York",
    provinceCode: "NY",
    country: "United States",
    countryCode: "US",
    zip: "11201",
    address1: "12 Pierrepont St",
  },
  {
    city: "Austin",
    province: "Texas",
    provinceCode: "TX",
    country: "United States",
    countryCode: "US",
    zip: "78701",
    address1: "500 Congress Ave",
  },
  {
    city: "Seattle",
    province: "Washington",
    provinceCode: "WA",
    country: "United States",
    countryCode: "US",
    zip: "98101",
    address1: "1 Pike Pl",
  },
  {
    city: "Toronto",
    province: "Ontario",
    provinceCode: "ON",
    country: "Canada",
    countryCode: "CA",
    zip: "M5H 2N2",
    address1: "100 Queen St W",
  },
  {
    city: "London",
    province: "England",
    provinceCode: "ENG",
    country: "United Kingdom",
    countryCode: "GB",
    zip: "SW1A 1AA",
    address1: "10 Downing St",
  },
  {
    city: "Seoul",
    province: "Seoul",
    provinceCode: "11",
    country: "South Korea",
    countryCode: "KR",
    zip: "04524",
    address1: "110 Sejong-daero",
  },
  {
    city: "Tokyo",
    province: "Tokyo",
    provinceCode: "JP-13",
    country: "Japan",
    countryCode: "JP",
    zip: "100-0005",
    address1: "1-1 Marunouchi",
  },
];

export function demoCustomers(count: number, random: () => number) {
  const used = new Set<string>();
  const out = [];
  for (let i = 0; out.length < count && i < count * 10; i++) {
    const first = FIRST[Math.floor(random() * FIRST.length)];
    const last = LAST[Math.floor(random() * LAST.length)];
    const name = `${first}.${last}`
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^\w.]/g, "");
    const email = `${name}${used.size + 1}@example.com`; // used grows with out, one entry each
    if (used.has(email)) continue;
    used.add(email);
    out.push({
      email,
      firstName: first,
      lastName: last,
      locale: LOCALES[Math.floor(random() * LOCALES.length)],
      address: DEMO_ADDRESSES[Math.floor(random() * DEMO_ADDRESSES.length)],
    });
  }
  return out;
}

/** The life an order has reached in the demo, spread so every state shows up. */
export const ORDER_FATES = [
  { fate: "unfulfilled", weight: 12 },
  { fate: "unpaid", weight: 3 },
  { fate: "shipped", weight: 10 },
  { fate: "in_transit", weight: 18 },
  { fate: "out_for_delivery", weight: 6 },
  { fate: "delivered", weight: 32 },
  { fate: "delayed", weight: 6 },
  { fate: "failed_delivery", weight: 4 },
  { fate: "split_shipment", weight: 3 },
  { fate: "cancelled", weight: 3 },
  { fate: "refunded", weight: 3 },
] as const;
export type OrderFate = (typeof ORDER_FATES)[number]["fate"];

export function pickFate(random: () => number): OrderFate {
  const total = ORDER_FATES.reduce((s, f) => s + f.weight, 0);
  let r = random() * total;
  for (const f of ORDER_FATES) {
    r -= f.weight;
    if (r < 0) return f.fate;
  }
  return "delivered";
}

export const CARRIERS = [
  {
    company: "UPS",
    number: (r: () => number) =>
      `1Z${Array.from({ length: 16 }, () => "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"[Math.floor(r() * 33)]).join("")}`,
  },
  {
    company: "USPS",
    number: (r: () => number) => `9400${Array.from({ length: 18 }, () => Math.floor(r() * 10)).join("")}`,
  },
  { company: "FedEx", number: (r: () => number) => Array.from({ length: 12 }, () => Math.floor(r() * 10)).join("") },
  {
    company: "DHL Express",
    number: (r: () => number) => Array.from({ length: 10 }, () => Math.floor(r() * 10)).join(""),
  },
];
