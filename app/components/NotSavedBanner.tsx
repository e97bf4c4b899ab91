import { Banner, List } from "@shopify/polaris";

import { problemText, type FieldProblem } from "../locales/admin/problems";
import { useT } from "../locales/admin/use-admin-language";
import type { Translate } from "../locales/admin";

// A problem from a form not yet moved to the locale files carries its English message only.
export type Shown = FieldProblem | { path: string; message: string; key?: undefined };
const shownText = (t: Translate, p: Shown) => (p.key ? problemText(t, p) : p.message);

/**
 * Why a settings save was refused: every problem at once, in the merchant's language (each is
 * also shown next to its field through useFieldProblems). A page someone else's save made stale
 * cannot be saved as it is: it offers Reload, which shows what the other person saved.
 */
export function NotSavedBanner({
  title,
  problems,
  stale = false,
}: {
  title?: string;
  problems: Shown[];
  stale?: boolean;
}) {
  const t = useT();
  if (problems.length === 0) return null;
  return (
    <Banner
      tone="critical"
      title={title ?? t("form.notSaved.count", { count: problems.length })}
      action={stale ? { content: t("form.reload"), onAction: () => window.location.reload() } : undefined}
    >
      <List>
        {problems.map((p) => (
          <List.Item key={`${p.path}${p.message}`}>{shownText(t, p)}</List.Item>
        ))}
      </List>
    </Banner>
  );
}

/**
 * The message for a field of a refused save, in the merchant's language: the field's own problem,
 * or the first one inside it (`tiers.0` shows a problem of `tiers.0.name`).
 */
export function useFieldProblems(problems: Shown[]) {
  const t = useT();
  return (path: string): string | undefined => {
    const p = problems.find((x) => x.path === path) ?? problems.find((x) => x.path.startsWith(`${path}.`));
    return p ? shownText(t, p) : undefined;
  };
}
