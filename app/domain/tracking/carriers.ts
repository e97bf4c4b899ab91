/**
 * Carriers: who a shipment is with, and where the shopper can follow it. Shopify gives the
 * carrier's name (tracking_company) and often the tracking URL; when it gives only a number, the
 * number's format says the carrier. Formats overlap (twelve digits can be FedEx, Japan Post,
 * Yamato or CJ), so check digits and the destination country break ties, and the answer says how
 * sure it is.
 */
export type CarrierCode =
  | "ups"
  | "usps"
  | "fedex"
  | "dhl_express"
  | "dhl_ecommerce"
  | "royal_mail"
  | "canada_post"
  | "australia_post"
  | "japan_post"
  | "yamato"
  | "korea_post"
  | "cj_logistics"
  | "deutsche_post";

interface CarrierInfo {
  name: string;
  /** `{number}` is replaced by the URL-encoded tracking number. */
  trackingUrl: string;
}

export const CARRIERS: Record<CarrierCode, CarrierInfo> = {
  ups: { name: "UPS", trackingUrl: "https://www.ups.com/track?tracknum={number}" },
  usps: { name: "USPS", trackingUrl: "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}" },
  fedex: { name: "FedEx", trackingUrl: "https://www.fedex.com/fedextrack/?trknbr={number}" },
  dhl_express: {
    name: "DHL Express",
    trackingUrl: "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}",
  },
  dhl_ecommerce: {
    name: "DHL eCommerce",
    trackingUrl: "https://www.dhl.com/global-en/home/tracking/tracking-ecommerce.html?submit=1&tracking-id={number}",
  },
  royal_mail: {
    name: "Royal Mail",
    trackingUrl: "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
  },
  canada_post: {
    name: "Canada Post",
    trackingUrl: "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
  },
  australia_post: { name: "Australia Post", trackingUrl: "https://auspost.com.au/mypost/track/details/{number}" },
  japan_post: {
    name: "Japan Post",
    trackingUrl: "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1={number}&locale=en",
  },
  yamato: { name: "Yamato Transport", trackingUrl: "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01={number}" },
  korea_post: {
    name: "Korea Post",
    trackingUrl: "https://service.epost.go.kr/trace.RetrieveDomRigiTraceList.comm?sid1={number}",
  },
  cj_logistics: {
    name: "CJ Logistics",
    trackingUrl: "https://trace.cjlogistics.com/next/tracking.html?wblNo={number}",
  },
  deutsche_post: {
    name: "Deutsche Post",
    trackingUrl: "https://www.deutschepost.de/de/s/sendungsverfolgung.html?piececode={number}",
  },
};

/** given: Shopify named it; format: the number can only be this carrier's; likely: a tie broken by country. */
export type CarrierCertainty = "given" | "format" | "likely";

export interface CarrierMatch {
  code: CarrierCode;
  name: string;
  certainty: CarrierCertainty;
}

/** Shopify's tracking_company values (and common spellings merchants type) to a carrier. */
const COMPANY_ALIASES: [RegExp, CarrierCode][] = [
  [/^ups(mailinnovations|surepost)?$/, "ups"],
  [/^(usps|unitedstatespostalservice)/, "usps"],
  [/^(fedex|federalexpress)/, "fedex"],
  [/^dhl(ecommerce|ecommercesolutions|ecommerceasia|parcel|globalmail)/, "dhl_ecommerce"],
  [/^dhl(express)?$/, "dhl_express"],
  [/^royalmail/, "royal_mail"],
  [/^(canadapost|postescanada)/, "canada_post"],
  [/^(australiapost|auspost)/, "australia_post"],
  [/^(japanpost|yubin)/, "japan_post"],
  [/^(yamato|kuronekoyamato)/, "yamato"],
  [/^(koreapost|epost)/, "korea_post"],
  [/^(cjlogistics|cjkoreaexpress|cjgls|cj대한통운)/, "cj_logistics"],
  [/^(deutschepost|dhldeutschepost)/, "deutsche_post"],
];

export function carrierFromCompany(company: string | null | undefined): CarrierCode | null {
  if (!company) return null;
  const key = company.toLowerCase().replace(/[^a-z0-9가-힣]/g, "");
  for (const [pattern, code] of COMPANY_ALIASES) if (pattern.test(key)) return code;
  return null;
}

/** Tracking numbers are printed with spaces and dashes; carriers want them without. */
export function normalizeTrackingNumber(value: string): string {
  return value.toUpperCase().replace(/[\s-]/g, "");
}

/** UPU S10 (international postal items: RR123456785GB): weights 8 6 4 2 3 5 9 7, mod 11. */
export function isValidS10(number: string): boolean {
  const m = /^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$/.exec(number);
  if (!m) return false;
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = [...m[1]].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  const check = 11 - (sum % 11);
  const expected = check === 10 ? 0 : check === 11 ? 5 : check;
  return expected === Number(m[2]);
}

/** GS1 mod 10 (USPS IMpb barcodes): weights 3 and 1 alternating from the right. */
export function hasMod10CheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  const body = digits.slice(0, -1);
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(digits.at(-1));
}

/** The last digit is the rest of the number modulo 7 (DHL Express waybills, Yamato, Japan Post, CJ). */
export function hasMod7CheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return Number(BigInt(digits.slice(0, -1)) % 7n) === Number(digits.at(-1));
}

const S10_COUNTRY: Record<string, CarrierCode> = {
  US: "usps",
  GB: "royal_mail",
  CA: "canada_post",
  AU: "australia_post",
  JP: "japan_post",
  KR: "korea_post",
  DE: "deutsche_post",
};

function match(code: CarrierCode, certainty: CarrierCertainty): CarrierMatch {
  return { code, name: CARRIERS[code].name, certainty };
}

/**
 * The carrier a tracking number belongs to, or null when the format is not one we know.
 * `destinationCountry` (ISO 3166 alpha-2) breaks ties between formats several carriers use.
 */
export function detectCarrier(
  rawNumber: string,
  options: { destinationCountry?: string | null } = {},
): CarrierMatch | null {
  const n = normalizeTrackingNumber(rawNumber);
  const country = options.destinationCountry?.toUpperCase() ?? null;

  if (/^1Z[0-9A-Z]{16}$/.test(n)) return match("ups", "format");
  if (/^[A-Z]{2}\d{9}[A-Z]{2}$/.test(n)) {
    const carrier = S10_COUNTRY[n.slice(-2)];
    if (carrier && isValidS10(n)) return match(carrier, "format");
    return null;
  }
  if (/^(GM|LX|RX)\d{16,22}$/.test(n) || /^(JJD|JVGL)\d{10,}$/.test(n)) return match("dhl_ecommerce", "format");
  if (!/^\d+$/.test(n)) return null;

  // USPS IMpb: 20-22 digits starting 91-95, or 420 + ZIP routing in front (30/34 digits).
  // USPS IMpb: 20-22 digits starting 91-95, sometimes after "420" and the ZIP code it routes to.
  const impb = /^(?:420(?:\d{9}|\d{5}))?(9[1-5]\d{18,20})$/.exec(n);
  if (impb && hasMod10CheckDigit(impb[1])) return match("usps", "format");
  if (/^96\d{20}$/.test(n) || /^\d{15}$/.test(n)) return match("fedex", "format");
  if (n.length === 16) return match("canada_post", country === "CA" || !country ? "format" : "likely");
  if (n.length === 13 && country === "KR") return match("korea_post", "likely");
  if (n.length === 10) {
    if (country === "KR") return match("cj_logistics", "likely");
    if (hasMod7CheckDigit(n)) return match("dhl_express", "likely");
    return null;
  }
  if (n.length === 12) {
    if (country === "JP") return match(hasMod7CheckDigit(n) ? "yamato" : "japan_post", "likely");
    if (country === "KR") return match("cj_logistics", "likely");
    return match("fedex", "likely");
  }
  if (n.length === 11 && country === "JP") return match("japan_post", "likely");
  return null;
}

export function carrierTrackingUrl(code: CarrierCode, trackingNumber: string): string {
  return CARRIERS[code].trackingUrl.replace("{number}", encodeURIComponent(normalizeTrackingNumber(trackingNumber)));
}

export interface ResolvedCarrier {
  /** null when neither Shopify nor the number says who carries it. */
  code: CarrierCode | null;
  /** What to show: our name for a known carrier, else what Shopify said. */
  name: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  certainty: CarrierCertainty | null;
}

/**
 * The carrier to show for a shipment. Shopify's company and URL win when given (the merchant or
 * the carrier integration set them); a known carrier without a URL gets the carrier's page; a
 * number alone is recognised by its format.
 */
export function resolveCarrier(input: {
  company: string | null;
  trackingNumbers: ReadonlyArray<string>;
  trackingUrls: ReadonlyArray<string>;
  destinationCountry?: string | null;
}): ResolvedCarrier {
  const trackingNumber = input.trackingNumbers.find((n) => n.trim() !== "") ?? null;
  const givenUrl = input.trackingUrls.find((u) => /^https?:\/\//i.test(u)) ?? null;
  const named = carrierFromCompany(input.company);
  const detected =
    !named && trackingNumber ? detectCarrier(trackingNumber, { destinationCountry: input.destinationCountry }) : null;
  const code = named ?? detected?.code ?? null;
  return {
    code,
    name: code ? CARRIERS[code].name : input.company,
    trackingNumber,
    trackingUrl: givenUrl ?? (code && trackingNumber ? carrierTrackingUrl(code, trackingNumber) : null),
    certainty: named ? "given" : (detected?.certainty ?? (input.company ? "given" : null)),
  };
}
