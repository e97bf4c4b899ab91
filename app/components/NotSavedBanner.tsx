import { Banner, List } from "@shopify/polaris";

/**
 * Why a settings save was refused, one line per problem. A page someone else's save made stale
 * cannot be saved as it is: it offers Reload, which shows what the other person saved.
 */
export function NotSavedBanner({
  title,
  problems,
  stale,
}: {
  title: string;
  problems: { path: string; message: string }[];
  stale: boolean;
}) {
  if (problems.length === 0) return null;
  return (
    <Banner
      tone="critical"
      title={title}
      action={stale ? { content: "Reload", onAction: () => window.location.reload() } : undefined}
    >
      <List>
        {problems.map((p) => (
          <List.Item key={`${p.path}${p.message}`}>{p.message}</List.Item>
        ))}
      </List>
    </Banner>
  );
}
