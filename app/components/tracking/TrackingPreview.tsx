/**
 * What the storefront block will look like with the settings being edited, drawn with the
 * block's own locale files so the preview and the storefront use the same words.
 */
import en from "../../../extensions/aftercare/locales/en.default.json";
import ko from "../../../extensions/aftercare/locales/ko.json";
import ja from "../../../extensions/aftercare/locales/ja.json";
import fa from "../../../extensions/aftercare/locales/fa.json";
import type { TrackingSettings } from "../../domain/tracking/settings";
import type { Language, WordingKey } from "../../domain/tracking/vocabulary";
import { MILESTONES } from "../../domain/tracking/timeline";

const LOCALES = { en, ko, ja, fa } as const;

export function TrackingPreview({ settings, language }: { settings: TrackingSettings; language: Language }) {
  const t = LOCALES[language].order_tracking;
  const label = (key: WordingKey) =>
    settings.wording[language]?.[key]?.trim() || (t.milestones as Record<string, string>)[key];
  const accent = settings.branding.accentColor;
  const current = 3; // in transit
  return (
    <div
      dir={language === "fa" ? "rtl" : "ltr"}
      lang={language}
      aria-label="Preview of the tracking block"
      style={{
        border: "1px solid #e3e3e3",
        borderTop: `4px solid ${accent}`,
        borderRadius: 8,
        padding: 16,
        fontSize: 14,
        background: "#fff",
      }}
    >
      {settings.branding.logoUrl ? (
        <img src={settings.branding.logoUrl} alt="" style={{ maxHeight: 32, marginBottom: 8 }} />
      ) : null}
      <div style={{ fontWeight: 600, marginBottom: 8 }}>
        {t.shipment.replace("%number%", "1")} · {label("in_transit")}
      </div>
      <ol style={{ listStyle: "none", padding: 0, margin: "0 0 12px" }}>
        {MILESTONES.map((m, i) => (
          <li
            key={m}
            style={{
              display: "flex",
              gap: 8,
              alignItems: "center",
              padding: "3px 0",
              color: i <= current ? "#202223" : "#8c9196",
              fontWeight: i === current ? 600 : 400,
            }}
          >
            <span
              aria-hidden
              style={{
                width: 10,
                height: 10,
                borderRadius: "50%",
                border: `2px solid ${i <= current ? accent : "#c9cccf"}`,
                background: i < current ? accent : "#fff",
              }}
            />
            {label(m)}
          </li>
        ))}
      </ol>
      {settings.display.estimate ? (
        <>
          <strong>{t.estimate}:</strong> <span>{t.estimate_rules}</span>
        </>
      ) : null}
      {settings.display.items ? (
        <div style={{ marginTop: 8 }}>
          {t.items}: Linen shirt · {t.quantity.replace("%count%", "1")}
        </div>
      ) : null}
      {settings.display.scans ? <div style={{ marginTop: 8, color: "#6d7175" }}>▸ {t.updates}</div> : null}
      {settings.display.recommendations && settings.recommendations.source !== "none" ? (
        <div style={{ marginTop: 8 }}>{t.recommendations}</div>
      ) : null}
      {settings.display.contact && (settings.contact.email || settings.contact.url) ? (
        <div style={{ marginTop: 8 }}>
          {t.contact}{" "}
          <span style={{ color: accent, textDecoration: "underline" }}>
            {settings.contact.email ? t.contact_email : t.contact_page}
          </span>
        </div>
      ) : null}
    </div>
  );
}
