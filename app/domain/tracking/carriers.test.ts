import { describe, expect, it } from "vitest";

import {
  carrierFromCompany,
  carrierTrackingUrl,
  detectCarrier,
  hasMod10CheckDigit,
  hasMod7CheckDigit,
  isValidS10,
  resolveCarrier,
} from "./carriers";

describe("carrier detection from the tracking number", () => {
  it("recognises UPS 1Z numbers, with spaces or lower case", () => {
    expect(detectCarrier("1Z999AA10123456784")).toMatchObject({ code: "ups", name: "UPS", certainty: "format" });
    expect(detectCarrier("1z 999 aa1 01 2345 6784")?.code).toBe("ups");
    expect(detectCarrier("1Z999AA1012345678")).toBeNull(); // one character short
  });

  it("recognises UPU S10 postal numbers by their country and check digit", () => {
    expect(isValidS10("RR123456785GB")).toBe(true);
    expect(isValidS10("RR123456784GB")).toBe(false);
    expect(detectCarrier("RR123456785GB")?.code).toBe("royal_mail");
    expect(detectCarrier("EE123456785US")?.code).toBe("usps");
    expect(detectCarrier("CP123456785CA")?.code).toBe("canada_post");
    expect(detectCarrier("LX123456785AU")?.code).toBe("australia_post");
    expect(detectCarrier("EJ123456785JP")?.code).toBe("japan_post");
    expect(detectCarrier("RB123456785KR")?.code).toBe("korea_post");
    expect(detectCarrier("RR123456784GB")).toBeNull();
    expect(detectCarrier("RR123456785FR")).toBeNull(); // a post we do not link to
  });

  it("recognises USPS IMpb barcodes by prefix and mod-10 check digit", () => {
    expect(hasMod10CheckDigit("9405511899223197428490")).toBe(true);
    expect(detectCarrier("9405 5118 9922 3197 4284 90")?.code).toBe("usps");
    expect(detectCarrier("9361289878700317633795")?.code).toBe("usps");
    expect(detectCarrier("9405511899223197428491")).toBeNull();
    expect(detectCarrier("420221539101026837331000039521")?.code).toBe("usps");
  });

  it("recognises FedEx 15-digit and 22-digit 96 numbers, and 12 digits outside Japan and Korea", () => {
    expect(detectCarrier("961234567890123456789012")).toBeNull(); // 24 digits
    expect(detectCarrier("9612345678901234567890")?.code).toBe("fedex");
    expect(detectCarrier("123456789012345")?.code).toBe("fedex");
    expect(detectCarrier("123456789012", { destinationCountry: "US" })).toMatchObject({
      code: "fedex",
      certainty: "likely",
    });
  });

  it("breaks twelve-digit ties by the destination country", () => {
    expect(hasMod7CheckDigit("123456789013")).toBe(true); // 12345678901 mod 7 = 3
    expect(hasMod7CheckDigit("123456789016")).toBe(false);
    expect(detectCarrier("123456789013", { destinationCountry: "JP" })?.code).toBe("yamato");
    expect(detectCarrier("123456789012", { destinationCountry: "JP" })?.code).toBe("japan_post");
    expect(detectCarrier("123456789012", { destinationCountry: "kr" })?.code).toBe("cj_logistics");
    expect(detectCarrier("6123456789012", { destinationCountry: "KR" })?.code).toBe("korea_post");
  });

  it("recognises DHL Express waybills by their mod-7 check digit, and DHL eCommerce prefixes", () => {
    expect(detectCarrier("1234567891")?.code).toBe("dhl_express"); // 123456789 mod 7 = 1
    expect(detectCarrier("1234567890")).toBeNull();
    expect(detectCarrier("GM2951173225174494")?.code).toBe("dhl_ecommerce");
    expect(detectCarrier("JJD0099999999")?.code).toBe("dhl_ecommerce");
  });

  it("recognises Canada Post 16-digit numbers", () => {
    expect(detectCarrier("1234567890123456", { destinationCountry: "CA" })).toMatchObject({
      code: "canada_post",
      certainty: "format",
    });
  });

  it("says nothing for numbers it cannot place", () => {
    expect(detectCarrier("ABC")).toBeNull();
    expect(detectCarrier("12345")).toBeNull();
    expect(detectCarrier("")).toBeNull();
  });
});

describe("carrier names from Shopify", () => {
  it("maps Shopify's tracking_company values", () => {
    expect(carrierFromCompany("UPS")).toBe("ups");
    expect(carrierFromCompany("FedEx")).toBe("fedex");
    expect(carrierFromCompany("DHL Express")).toBe("dhl_express");
    expect(carrierFromCompany("DHL eCommerce")).toBe("dhl_ecommerce");
    expect(carrierFromCompany("Royal Mail")).toBe("royal_mail");
    expect(carrierFromCompany("Canada Post")).toBe("canada_post");
    expect(carrierFromCompany("Japan Post (EN)")).toBe("japan_post");
    expect(carrierFromCompany("CJ Logistics")).toBe("cj_logistics");
    expect(carrierFromCompany("Korea Post")).toBe("korea_post");
    expect(carrierFromCompany("Bob's Courier")).toBeNull();
    expect(carrierFromCompany(null)).toBeNull();
  });
});

describe("resolving a shipment's carrier", () => {
  it("keeps Shopify's URL when it gave one", () => {
    const r = resolveCarrier({
      company: "UPS",
      trackingNumbers: ["1z827wk74630"],
      trackingUrls: ["https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630"],
    });
    expect(r).toMatchObject({ code: "ups", name: "UPS", certainty: "given", trackingNumber: "1z827wk74630" });
    expect(r.trackingUrl).toContain("trackNums=1z827wk74630");
  });

  it("builds the carrier's page when Shopify gave only the number", () => {
    const r = resolveCarrier({ company: null, trackingNumbers: ["RR123456785GB"], trackingUrls: [] });
    expect(r).toMatchObject({ code: "royal_mail", name: "Royal Mail", certainty: "format" });
    expect(r.trackingUrl).toBe("https://www.royalmail.com/track-your-item#/tracking-results/RR123456785GB");
    expect(carrierTrackingUrl("japan_post", "ej 1234 5678 5jp")).toContain("reqCodeNo1=EJ123456785JP");
  });

  it("shows an unknown carrier's own name and no link it cannot build", () => {
    const r = resolveCarrier({
      company: "Bob's Courier",
      trackingNumbers: ["X1"],
      trackingUrls: ["javascript:alert(1)"],
    });
    expect(r).toMatchObject({ code: null, name: "Bob's Courier", trackingUrl: null, certainty: "given" });
  });
});
