/**
 * The returns page (customer-account.page.render), opened for one order by the order action or
 * the order status block (extension://aftercare-returns-page/orders/<id>). Aftercare's backend
 * says what can be returned and prices it; the request itself goes to Shopify through the
 * Customer Account API, and the return Shopify makes is then linked to Aftercare's.
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { backend, customerAccountApi, money, type BackendAnswer } from "../../customer-account-shared/backend";
import { auto, count, ltr } from "../../customer-account-shared/text";

import { REQUEST_RETURN, type RequestReturnData } from "./documents";

/** Shopify calls the module's default export to render the target. */
export default async function extension() {
  render(<ReturnsPage />, document.body);
}

interface Line {
  id: string;
  title: string;
  variantTitle: string | null;
  quantity: number;
  returnable: number;
  reason: string | null;
  windowEndsAt: string;
  exchangeVariants: { id: string; title: string; priceMinor: number }[];
}
/** The shop's products an exchange for any product may take (GET returns?search=). */
interface Found {
  currency: string;
  products: { id: string; title: string; variants: { id: string; title: string; priceMinor: number }[] }[];
}
interface EarlierReturn {
  number: string;
  status: string;
  resolution: string;
  currency: string;
  amounts: { total: number; exchange?: number; storeCredit?: number };
  /** A dearer exchange's difference: awaiting Shopify's figure (with Shopify's page to pay it), or paid. */
  payment: { state: "due" | "awaiting" | "paid"; amountMinor: number; payUrl: string | null } | null;
  requestedAt: string;
  items: {
    title: string;
    quantity: number;
    exchangeTitle: string | null;
    exchangeState: "pending" | "confirmed" | "added" | null;
  }[];
  instructions: string | null;
  returnAddress: string | null;
  declineNote: string | null;
}
interface Eligibility {
  order: { name: string; currency: string };
  enabled: boolean;
  windowDays: number;
  lines: Line[];
  /** photos: the reason asks for photos of the item (damaged, defective). */
  reasons: { id: string; label: string; requireNote: boolean; photos: boolean }[];
  resolutions: { id: string; bonusPercent: number }[];
  returns: EarlierReturn[];
}
interface Quote {
  currency: string;
  quote: { items: number; restockingFee: number; shippingFee: number; bonus: number; total: number };
  /**
   * pay: what the shopper pays through Shopify's invoice once approved (dearer new items); tax: how
   * that invoice taxes it (added to it, included in it, or none).
   */
  exchange: {
    newItems: number;
    covered: boolean;
    difference: number;
    pay: number;
    tax: "added" | "included" | "none" | null;
  } | null;
}
interface Started {
  returnId: string;
  return: EarlierReturn;
  shopifyRequest: { orderId: string; requestedLineItems: object[] } | null;
}
interface Choice {
  quantity: number;
  reason: string;
  note: string;
  exchangeVariantId: string;
  photos: File[];
  photosRejected: boolean;
}
/** Shopify's staged upload target for one photo, and the token that names it in the request. */
interface PhotoTarget {
  url: string;
  parameters: { name: string; value: string }[];
  photo: string;
}

const t = (key: string, replacements?: Record<string, string | number>) => shopify.i18n.translate(key, replacements);
const locale = () => shopify.localization.language.value.isoCode;
const valueOf = (event: Event) => (event.currentTarget as unknown as { value: string }).value;
const valuesOf = (event: Event) => (event.currentTarget as unknown as { values: string[] }).values;
const day = (iso: string) => shopify.i18n.formatDate(new Date(iso), { dateStyle: "medium" });
const isExchange = (resolution: string) => resolution.startsWith("exchange_");
const NO_CHOICE: Choice = {
  quantity: 0,
  reason: "",
  note: "",
  exchangeVariantId: "",
  photos: [],
  photosRejected: false,
};
/** The server's limits on an item's photos (app/domain/returns/photos.ts), checked here first in the page's words. */
const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
const PHOTOS_PER_ITEM = 3;
const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
function photoProblem(files: File[]): string | null {
  if (files.length > PHOTOS_PER_ITEM) return "too_many_photos";
  if (files.some((f) => !PHOTO_TYPES.includes(f.type))) return "photo_type";
  return files.some((f) => f.size > PHOTO_MAX_BYTES) ? "photo_too_large" : null;
}
/** Shopify takes at most this much of a note with the request (RequestedLineItemInput.customerNote). */
const NOTE_MAX = 300;

/** The order named in the page's address: …/orders/<id>. */
function orderFromAddress(): string | null {
  const id = /orders\/(\d+)/.exec(navigation.currentEntry.url ?? "")?.[1];
  return id ? `gid://shopify/Order/${id}` : null;
}

function ReturnsPage() {
  const orderId = orderFromAddress();
  const [eligibility, setEligibility] = useState<BackendAnswer<Eligibility> | null>(null);
  const [done, setDone] = useState<EarlierReturn | null>(null);
  const load = () => {
    if (!orderId) return;
    backend<Eligibility>(shopify, "returns", { query: { order: orderId, locale: locale() } })
      .then(setEligibility)
      .catch(() => setEligibility({ ok: false, status: 0, body: {} as never }));
  };
  useEffect(load, [orderId]);

  if (!orderId)
    return (
      <s-page heading={t("heading")}>
        <s-banner tone="critical">{t("noOrder")}</s-banner>
      </s-page>
    );
  if (!eligibility)
    return (
      <s-page heading={t("heading")}>
        <s-skeleton-paragraph />
      </s-page>
    );
  if (!eligibility.ok)
    return (
      <s-page heading={t("heading")}>
        <s-banner tone="critical">{eligibility.body.message ?? t("unavailable")}</s-banner>
      </s-page>
    );
  const data = eligibility.body;
  return (
    <s-page heading={t("headingFor", { order: ltr(data.order.name) })}>
      <s-stack gap="large">
        {done ? (
          <Confirmation ret={done} />
        ) : data.enabled ? (
          <RequestForm
            data={data}
            orderId={orderId}
            onDone={(ret) => {
              setDone(ret);
              load();
            }}
          />
        ) : (
          <s-banner tone="info">{t("returnsOff")}</s-banner>
        )}
        {data.returns.length ? (
          <s-section heading={t("earlier")}>
            <s-stack gap="base">
              {data.returns.map((r) => (
                <ReturnSummary key={r.number} ret={r} />
              ))}
            </s-stack>
          </s-section>
        ) : null}
      </s-stack>
    </s-page>
  );
}

function RequestForm({
  data,
  orderId,
  onDone,
}: {
  data: Eligibility;
  orderId: string;
  onDone: (ret: EarlierReturn) => void;
}) {
  const resolutions = data.resolutions;
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [resolution, setResolution] = useState(resolutions[0]?.id ?? "");
  const [quote, setQuote] = useState<Quote | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per visit: a double submit finds the same return.
  const [key] = useState(() => `ca${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`);

  const change = (lineId: string, patch: Partial<Choice>) => {
    setQuote(null);
    setChoices((all) => ({
      ...all,
      [lineId]: { ...NO_CHOICE, ...all[lineId], ...patch },
    }));
  };
  const chosen = Object.entries(choices).filter(([, c]) => c.quantity > 0);
  const items = chosen.map(([lineItemId, c]) => ({
    lineItemId,
    quantity: c.quantity,
    reason: c.reason,
    note: c.note.trim() || null,
    exchangeVariantId: isExchange(resolution) ? c.exchangeVariantId || null : null,
  }));
  const request = { order: orderId, resolution, items, key, locale: locale() };
  /** The photos each chosen item sends: only for a reason that asks for them. */
  const photosOf = (c: Choice) => (data.reasons.find((r) => r.id === c.reason)?.photos ? c.photos : []);
  const photoError = chosen.some(([, c]) => photoProblem(photosOf(c)));

  /**
   * Uploads an item's photos straight to Shopify's staged targets, which the backend asks Shopify
   * for (as the storefront's Returns block does); the tokens that name them in the request.
   * Throws what to tell the shopper.
   */
  async function upload(files: File[]): Promise<string[]> {
    if (!files.length) return [];
    const uploads = files.map((f) => ({ filename: f.name, mimeType: f.type, fileSize: f.size }));
    const staged = await backend<{ targets: PhotoTarget[] }>(shopify, "returns", {
      body: { intent: "photos", order: orderId, uploads },
    });
    if (!staged.ok) throw staged.body.message ?? t("photoUpload");
    return Promise.all(
      staged.body.targets.map(async (target, i) => {
        const form = new FormData();
        for (const field of target.parameters) form.append(field.name, field.value);
        // The storage takes the file as the form's last field.
        form.append("file", files[i]);
        const sent = await fetch(target.url, { method: "POST", body: form }).catch(() => null);
        if (!sent?.ok) throw t("photoUpload");
        return target.photo;
      }),
    );
  }

  async function review() {
    setBusy(true);
    setProblem(null);
    const answer = await backend<Quote>(shopify, "returns", { body: { intent: "quote", ...request } });
    setBusy(false);
    if (answer.ok) setQuote(answer.body);
    else setProblem(answer.body.message ?? t("unavailable"));
  }

  async function submit() {
    setBusy(true);
    setProblem(null);
    let photos: string[][];
    try {
      photos = await Promise.all(chosen.map(([, c]) => upload(photosOf(c))));
    } catch (why) {
      setBusy(false);
      setProblem(typeof why === "string" ? why : t("photoUpload"));
      return;
    }
    const withPhotos = items.map((item, i) => (photos[i].length ? { ...item, photos: photos[i] } : item));
    const started = await backend<Started>(shopify, "returns", {
      body: { intent: "start", ...request, items: withPhotos },
    });
    if (!started.ok) {
      setBusy(false);
      setProblem(started.body.message ?? t("unavailable"));
      return;
    }
    const { returnId, shopifyRequest } = started.body;
    if (!shopifyRequest) {
      onDone(started.body.return);
      return;
    }
    // Shopify checks the request as the signed-in shopper and makes the return.
    const asked = await customerAccountApi<RequestReturnData>(REQUEST_RETURN, shopifyRequest).catch(() => null);
    const made = asked?.data?.orderRequestReturn;
    if (!made?.return) {
      const why = made?.userErrors[0]?.message ?? asked?.errors?.[0]?.message ?? t("shopifyUnavailable");
      await backend(shopify, "returns", { body: { intent: "withdraw", order: orderId, returnId, message: why } });
      setBusy(false);
      setProblem(t("shopifyRefused", { message: why }));
      return;
    }
    const linked = await backend<{ return: EarlierReturn }>(shopify, "returns", {
      body: { intent: "link", order: orderId, returnId, shopifyReturnId: made.return.id },
    });
    setBusy(false);
    onDone(linked.ok ? linked.body.return : started.body.return);
  }

  const returnable = data.lines.filter((l) => l.returnable > 0);
  return (
    <s-stack gap="large">
      <s-section heading={t("chooseItems")}>
        <s-stack gap="base">
          {data.lines.map((line) => (
            <LineChoice
              key={line.id}
              line={line}
              orderId={orderId}
              choice={choices[line.id]}
              reasons={data.reasons}
              resolution={resolution}
              currency={data.order.currency}
              onChange={(patch) => change(line.id, patch)}
            />
          ))}
        </s-stack>
      </s-section>
      {returnable.length ? (
        <s-section heading={t("resolution")}>
          <s-choice-list
            label={t("resolution")}
            labelAccessibilityVisibility="exclusive"
            name="resolution"
            values={[resolution]}
            onChange={(event: Event) => {
              setQuote(null);
              // What was chosen in exchange belongs to the other kind of exchange.
              setChoices((all) =>
                Object.fromEntries(Object.entries(all).map(([id, c]) => [id, { ...c, exchangeVariantId: "" }])),
              );
              setResolution(valuesOf(event)[0] ?? "");
            }}
          >
            {resolutions.map((r) => (
              <s-choice key={r.id} value={r.id}>
                {t(`resolutions.${r.id}`)}
                {r.bonusPercent ? ` (${t("bonus", { percent: r.bonusPercent })})` : ""}
              </s-choice>
            ))}
          </s-choice-list>
        </s-section>
      ) : null}
      {problem ? <s-banner tone="critical">{problem}</s-banner> : null}
      {quote ? <QuoteView quote={quote} /> : null}
      {returnable.length ? (
        <s-button
          variant="primary"
          loading={busy}
          disabled={busy || items.length === 0 || photoError}
          onClick={quote ? submit : review}
        >
          {quote ? t("submit") : t("review")}
        </s-button>
      ) : (
        <s-text>{t("nothingReturnable")}</s-text>
      )}
    </s-stack>
  );
}

function LineChoice({
  line,
  orderId,
  choice,
  reasons,
  resolution,
  currency,
  onChange,
}: {
  line: Line;
  orderId: string;
  choice: Choice | undefined;
  reasons: Eligibility["reasons"];
  resolution: string;
  currency: string;
  onChange: (patch: Partial<Choice>) => void;
}) {
  const title = line.variantTitle ? `${line.title} (${line.variantTitle})` : line.title;
  if (line.returnable === 0)
    return (
      <s-stack gap="none">
        <s-text type="strong">{title}</s-text>
        <s-text color="subdued">{t(`ineligible.${line.reason ?? "none_left"}`)}</s-text>
      </s-stack>
    );
  const quantity = choice?.quantity ?? 0;
  const reason = reasons.find((r) => r.id === choice?.reason);
  // A file the picker left out (not an image it takes) is said as the wrong kind.
  const photoError = choice?.photosRejected ? "photo_type" : photoProblem(choice?.photos ?? []);
  return (
    <s-stack gap="small-200">
      <s-text color="subdued">{t("returnableUntil", { date: day(line.windowEndsAt) })}</s-text>
      <s-select
        label={title}
        value={String(quantity)}
        onChange={(event: Event) => onChange({ quantity: Number(valueOf(event)) })}
      >
        {Array.from({ length: line.returnable + 1 }, (_, n) => (
          <s-option key={n} value={String(n)}>
            {n === 0 ? t("keep") : t("returnCount", { n })}
          </s-option>
        ))}
      </s-select>
      {quantity > 0 ? (
        <s-select
          label={t("reason")}
          value={choice?.reason ?? ""}
          onChange={(event: Event) => onChange({ reason: valueOf(event) })}
        >
          <s-option value="">{t("chooseReason")}</s-option>
          {reasons.map((r) => (
            <s-option key={r.id} value={r.id}>
              {r.label}
            </s-option>
          ))}
        </s-select>
      ) : null}
      {quantity > 0 ? (
        <s-text-area
          label={reason?.requireNote ? t("noteRequired") : t("note")}
          value={choice?.note ?? ""}
          maxLength={NOTE_MAX}
          onInput={(event: Event) => onChange({ note: valueOf(event) })}
        />
      ) : null}
      {quantity > 0 && reason?.photos ? (
        <s-drop-zone
          label={t("photos")}
          accept={PHOTO_TYPES.join(",")}
          multiple
          error={photoError ? t(`photoErrors.${photoError}`) : undefined}
          onChange={(event: Event) =>
            onChange({
              photos: [...((event.currentTarget as unknown as { files?: ReadonlyArray<File> }).files ?? [])],
              photosRejected: false,
            })
          }
          onDropRejected={() => onChange({ photosRejected: true })}
        />
      ) : null}
      {quantity > 0 && reason?.photos ? (
        <s-text color="subdued">
          {choice?.photos.length ? auto(choice.photos.map((f) => f.name).join(", ")) : t("photosHint")}
        </s-text>
      ) : null}
      {quantity > 0 && resolution === "exchange_any" ? (
        <AnyProduct
          orderId={orderId}
          lineId={line.id}
          label={t("exchangeForItem", { title })}
          chosen={choice?.exchangeVariantId ?? ""}
          onPick={(exchangeVariantId) => onChange({ exchangeVariantId })}
        />
      ) : null}
      {quantity > 0 && resolution === "exchange_variant" ? (
        line.exchangeVariants.length ? (
          <s-select
            label={t("exchangeFor")}
            value={choice?.exchangeVariantId ?? ""}
            onChange={(event: Event) => onChange({ exchangeVariantId: valueOf(event) })}
          >
            <s-option value="">{t("chooseVariant")}</s-option>
            {line.exchangeVariants.map((v) => (
              <s-option key={v.id} value={v.id}>
                {`${v.title} · ${money(locale(), v.priceMinor, currency)}`}
              </s-option>
            ))}
          </s-select>
        ) : (
          <s-text color="subdued">{t("noVariants")}</s-text>
        )
      ) : null}
    </s-stack>
  );
}

/**
 * An exchange for any product: the shop's products as the backend finds them (the storefront
 * portal's search), one choice per variant for sale. The server checks the choice again.
 */
function AnyProduct({
  orderId,
  lineId,
  label,
  chosen,
  onPick,
}: {
  orderId: string;
  lineId: string;
  label: string;
  chosen: string;
  onPick: (variantId: string) => void;
}) {
  const [words, setWords] = useState("");
  const [found, setFound] = useState<BackendAnswer<Found> | null>(null);
  const [busy, setBusy] = useState(false);
  async function search() {
    setBusy(true);
    setFound(await backend<Found>(shopify, "returns", { query: { order: orderId, search: words } }));
    setBusy(false);
  }
  const currency = found?.ok ? found.body.currency : "";
  const variants = found?.ok
    ? found.body.products.flatMap((p) =>
        p.variants.map((v) => {
          const name = v.title === p.title ? p.title : `${p.title} – ${v.title}`;
          return { id: v.id, label: `${name} · ${money(locale(), v.priceMinor, currency)}` };
        }),
      )
    : [];
  return (
    <s-stack gap="small-200">
      <s-text-field
        label={t("searchProducts")}
        value={words}
        maxLength={80}
        onInput={(event: Event) => setWords(valueOf(event))}
      />
      <s-button variant="secondary" loading={busy} onClick={search}>
        {t("search")}
      </s-button>
      {found && !found.ok ? <s-text color="subdued">{found.body.message ?? t("unavailable")}</s-text> : null}
      {found?.ok && !variants.length ? <s-text color="subdued">{t("noResults")}</s-text> : null}
      {variants.length ? (
        <s-choice-list
          name={`exchange-${lineId}`}
          label={label}
          values={chosen ? [chosen] : []}
          onChange={(event: Event) => onPick(valuesOf(event)[0] ?? "")}
        >
          {variants.map((v) => (
            <s-choice key={v.id} value={v.id}>
              {v.label}
            </s-choice>
          ))}
        </s-choice-list>
      ) : null}
    </s-stack>
  );
}

function QuoteView({ quote }: { quote: Quote }) {
  const m = (minor: number) => money(locale(), minor, quote.currency);
  const q = quote.quote;
  return (
    <s-section heading={t("summary")}>
      <s-stack gap="small-200">
        <s-text>{t("itemsValue", { amount: m(q.items) })}</s-text>
        {q.restockingFee ? <s-text>{t("restockingFee", { amount: m(q.restockingFee) })}</s-text> : null}
        {q.shippingFee ? <s-text>{t("shippingFee", { amount: m(q.shippingFee) })}</s-text> : null}
        {q.bonus ? <s-text>{t("bonusAmount", { amount: m(q.bonus) })}</s-text> : null}
        <s-text type="strong">{t("total", { amount: m(q.total) })}</s-text>
        {quote.exchange ? (
          quote.exchange.pay <= 0 ? (
            <s-text>{t("exchangeCovered", { amount: m(quote.exchange.newItems) })}</s-text>
          ) : (
            <s-banner tone="info">
              {quote.exchange.tax === "included"
                ? t("exchangeTooDearTaxIncluded", { amount: m(quote.exchange.pay) })
                : quote.exchange.tax === "none"
                  ? t("exchangeTooDearUntaxed", { amount: m(quote.exchange.pay) })
                  : t("exchangeTooDear", { amount: m(quote.exchange.pay) })}
            </s-banner>
          )
        ) : null}
      </s-stack>
    </s-section>
  );
}

function Confirmation({ ret }: { ret: EarlierReturn }) {
  return (
    <s-banner tone="success" heading={t("confirmed", { number: ltr(ret.number) })}>
      <s-stack gap="small-200">
        <s-text>{t(`status.${ret.status}`)}</s-text>
        {ret.instructions ? <s-paragraph>{ret.instructions}</s-paragraph> : null}
        {ret.returnAddress ? <s-paragraph>{ret.returnAddress}</s-paragraph> : null}
      </s-stack>
    </s-banner>
  );
}

function ReturnSummary({ ret }: { ret: EarlierReturn }) {
  return (
    <s-stack gap="none">
      <s-text type="strong">
        {ltr(ret.number)} · {t(`status.${ret.status}`)}
      </s-text>
      <s-text>
        {t(`resolutions.${ret.resolution}`)} ·{" "}
        {ret.amounts.exchange === undefined
          ? money(locale(), ret.amounts.total, ret.currency)
          : t("exchangeAmounts", {
              newItems: money(locale(), ret.amounts.exchange, ret.currency),
              credit: money(locale(), ret.amounts.storeCredit ?? 0, ret.currency),
            })}
      </s-text>
      {ret.items.map((item) => (
        <s-text key={item.title} color="subdued">
          {count(locale(), item.quantity)} × {auto(item.title)}
          {item.exchangeTitle
            ? ` · ${t(`exchangeStates.${item.exchangeState ?? "pending"}`, { title: item.exchangeTitle })}`
            : ""}
        </s-text>
      ))}
      {ret.payment?.state === "awaiting" ? (
        <s-text>
          {t("paymentAwaiting", { amount: money(locale(), ret.payment.amountMinor, ret.currency) })}
          {ret.payment.payUrl ? " · " : ""}
          {ret.payment.payUrl ? (
            <s-link href={ret.payment.payUrl} target="_blank">
              {t("payNow")}
            </s-link>
          ) : null}
        </s-text>
      ) : null}
      {ret.payment?.state === "paid" ? (
        <s-text>{t("paymentPaid", { amount: money(locale(), ret.payment.amountMinor, ret.currency) })}</s-text>
      ) : null}
      {ret.declineNote ? <s-text>{ret.declineNote}</s-text> : null}
    </s-stack>
  );
}
