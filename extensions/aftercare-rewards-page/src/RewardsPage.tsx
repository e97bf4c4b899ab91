/**
 * The rewards page: points and tier, the catalogue with redemption (a discount code to copy, or
 * store credit), the history and how to earn. Points are spent by the backend, never here.
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { backend, money, type BackendAnswer } from "../../customer-account-shared/backend";
import { tierName, type Reward, type Rewards } from "../../customer-account-shared/rewards";
import { auto, count, ltr } from "../../customer-account-shared/text";

/** Shopify calls the module's default export to render the target. */
export default async function extension() {
  render(<RewardsPage />, document.body);
}

interface Redemption {
  redemptionId: string;
  kind: string;
  points: number;
  code: string | null;
  valueMinor: number | null;
  currency: string;
}

const t = (key: string, replacements?: Record<string, string | number>) => shopify.i18n.translate(key, replacements);
const language = () => shopify.localization.language.value.isoCode;
const date = (iso: string) => shopify.i18n.formatDate(new Date(iso), { dateStyle: "medium" });

function RewardsPage() {
  const [answer, setAnswer] = useState<BackendAnswer<Rewards> | null>(null);
  const [redeemed, setRedeemed] = useState<Redemption | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const load = () => {
    backend<Rewards>(shopify, "rewards", { query: { locale: language() } })
      .then(setAnswer)
      .catch(() => setAnswer({ ok: false, status: 0, body: {} as never }));
  };
  useEffect(load, []);

  async function redeem(reward: Reward) {
    setBusy(reward.id);
    setProblem(null);
    const result = await backend<{ redemption: Redemption }>(shopify, "rewards", {
      body: { intent: "redeem", rewardId: reward.id },
    });
    setBusy(null);
    if (result.ok) {
      setRedeemed(result.body.redemption);
      load();
    } else setProblem(result.body.message ?? t("unavailable"));
  }

  if (!answer)
    return (
      <s-page heading={t("heading")}>
        <s-skeleton-paragraph />
      </s-page>
    );
  if (!answer.ok)
    return (
      <s-page heading={t("heading")}>
        <s-banner tone="info">{answer.body.message ?? t("unavailable")}</s-banner>
      </s-page>
    );
  const rewards = answer.body;
  const member = rewards.member;
  const program = rewards.program;
  const current = member ? tierName(rewards, member.tier) : null;
  const next = member ? tierName(rewards, member.nextTier) : null;
  return (
    <s-page heading={t("heading")}>
      <s-stack gap="large">
        {member ? (
          <s-section heading={t("yourPoints")}>
            <s-stack gap="small-200">
              <s-text type="strong">{t("balance", { count: member.balance })}</s-text>
              {member.pending ? <s-text color="subdued">{t("pending", { count: member.pending })}</s-text> : null}
              {current ? <s-text>{t("tier", { tier: current })}</s-text> : null}
              {next ? (
                <s-progress value={member.progress} max={1} accessibilityLabel={t("progressLabel", { tier: next })} />
              ) : null}
              {next ? (
                <s-text color="subdued">
                  {t("toNextTier", { amount: money(language(), member.remainingMinor, program.currency), tier: next })}
                </s-text>
              ) : null}
              {member.expiresAt ? (
                <s-text color="subdued">{t("expires", { date: date(member.expiresAt) })}</s-text>
              ) : null}
            </s-stack>
          </s-section>
        ) : null}
        {redeemed ? <Redeemed redemption={redeemed} /> : null}
        {problem ? <s-banner tone="critical">{problem}</s-banner> : null}
        <s-section heading={t("catalogue")}>
          <s-stack gap="base">
            {rewards.rewards.length === 0 ? <s-text>{t("noRewards")}</s-text> : null}
            {rewards.rewards.map((reward) => (
              <s-stack key={reward.id} direction="inline" gap="base" alignItems="center" justifyContent="space-between">
                <s-stack gap="none">
                  <s-text type="strong">{auto(reward.title)}</s-text>
                  <s-text color="subdued">{t("cost", { count: reward.pointsCost })}</s-text>
                </s-stack>
                <s-button
                  loading={busy === reward.id}
                  disabled={busy !== null || !member || member.balance < reward.pointsCost}
                  accessibilityLabel={t("redeemLabel", { reward: reward.title })}
                  onClick={() => redeem(reward)}
                >
                  {t("redeem")}
                </s-button>
              </s-stack>
            ))}
          </s-stack>
        </s-section>
        {member && member.redemptions.length ? (
          <s-section heading={t("yourCodes")}>
            <s-stack gap="small-200">
              {member.redemptions.map((r) => (
                <s-text key={r.id}>
                  {auto(r.title)}
                  {r.code ? ` · ${ltr(r.code)}` : ""} · {date(r.at)}
                </s-text>
              ))}
            </s-stack>
          </s-section>
        ) : null}
        {member && member.history.length ? (
          <s-section heading={t("history")}>
            <s-stack gap="small-200">
              {member.history.map((h) => (
                <s-text key={`${h.at}-${h.kind}-${h.points}`}>
                  {date(h.at)} · {t(`entry.${h.kind}`)}
                  {h.label ? ` (${auto(h.label)})` : ""} · {count(language(), h.points, { signed: true })}
                  {h.pendingUntil ? ` · ${t("pendingUntil", { date: date(h.pendingUntil) })}` : ""}
                </s-text>
              ))}
            </s-stack>
          </s-section>
        ) : null}
        <s-section heading={t("howToEarn")}>
          <s-unordered-list>
            <s-list-item>
              {t("earnPerUnit", { count: program.pointsPerUnit, unit: money(language(), 100, program.currency) })}
            </s-list-item>
            {program.signupBonus ? <s-list-item>{t("earnSignup", { count: program.signupBonus })}</s-list-item> : null}
            {program.birthdayBonus ? (
              <s-list-item>{t("earnBirthday", { count: program.birthdayBonus })}</s-list-item>
            ) : null}
            {program.tiers.map((tier) => (
              <s-list-item key={tier.key}>
                {t("tierRule", {
                  tier: tier.name,
                  amount: money(language(), tier.thresholdMinor, program.currency),
                  multiplier: tier.multiplier,
                })}
              </s-list-item>
            ))}
          </s-unordered-list>
        </s-section>
      </s-stack>
    </s-page>
  );
}

function Redeemed({ redemption }: { redemption: Redemption }) {
  if (!redemption.code)
    return (
      <s-banner tone="success" heading={t("creditHeading")}>
        {t("credited", {
          amount: money(language(), redemption.valueMinor ?? 0, redemption.currency),
        })}
      </s-banner>
    );
  return (
    <s-banner tone="success" heading={t("codeHeading")}>
      <s-stack gap="small-200">
        <s-text type="strong">{redemption.code}</s-text>
        <s-clipboard-item id="aftercare-reward-code" text={redemption.code} />
        <s-button commandFor="aftercare-reward-code" command="--copy" variant="secondary">
          {t("copyCode")}
        </s-button>
        <s-text color="subdued">{t("useAtCheckout")}</s-text>
      </s-stack>
    </s-banner>
  );
}
