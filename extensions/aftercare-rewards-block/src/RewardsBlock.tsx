/** The profile block: the shopper's points, tier and how far the next tier is, with a link to the rewards page. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { backend, money, type BackendAnswer } from "../../customer-account-shared/backend";
import { tierName, type Rewards } from "../../customer-account-shared/rewards";

/** Shopify calls the module's default export to render the target. */
export default async function extension() {
  render(<RewardsBlock />, document.body);
}

const t = (key: string, replacements?: Record<string, string | number>) => shopify.i18n.translate(key, replacements);

function RewardsBlock() {
  const [answer, setAnswer] = useState<BackendAnswer<Rewards> | null>(null);
  const language = shopify.localization.language.value.isoCode;
  useEffect(() => {
    backend<Rewards>(shopify, "rewards", { query: { locale: language } })
      .then(setAnswer)
      .catch(() => setAnswer({ ok: false, status: 0, body: {} as never }));
  }, [language]);

  if (!answer)
    return (
      <s-section heading={t("heading")}>
        <s-skeleton-paragraph />
      </s-section>
    );
  // A shop whose program is off shows nothing rather than an error.
  if (answer.status === 403) return null;
  if (!answer.ok || !answer.body.member)
    return (
      <s-section heading={t("heading")}>
        <s-text>{answer.body.message ?? t("unavailable")}</s-text>
      </s-section>
    );
  const rewards = answer.body;
  const member = answer.body.member!;
  const current = tierName(rewards, member.tier);
  const next = tierName(rewards, member.nextTier);
  return (
    <s-section heading={t("heading")}>
      <s-stack gap="base">
        <s-text type="strong">{t("balance", { count: member.balance })}</s-text>
        {member.pending ? <s-text color="subdued">{t("pending", { count: member.pending })}</s-text> : null}
        {current ? <s-text>{t("tier", { tier: current })}</s-text> : null}
        {next ? (
          <s-stack gap="small-200">
            <s-progress value={member.progress} max={1} accessibilityLabel={t("progressLabel", { tier: next })} />
            <s-text color="subdued">
              {t("toNextTier", {
                amount: money(language, member.remainingMinor, rewards.program.currency),
                tier: next,
              })}
            </s-text>
          </s-stack>
        ) : null}
        <s-button href="extension://aftercare-rewards-page/" variant="secondary">
          {t("seeRewards")}
        </s-button>
      </s-stack>
    </s-section>
  );
}
