import { useEffect, useRef, useState } from "react";
import { useLocation, useNavigate } from "@remix-run/react";
import { InlineStack, Pagination } from "@shopify/polaris";

/** How long typing pauses before the search is sent. */
const SEARCH_PAUSE_MS = 400;

/**
 * A keyset-paged admin list's place is its URL (utils/paging.server.ts reads ?after= and ?before=;
 * the list's own filters, search and sort are query parameters too). `go` changes some of them; a
 * new filter, search or sort starts at the first page. `search` is the search field's text, sent
 * once typing pauses.
 */
export function useKeysetListUrl(path: string, query: string) {
  const navigate = useNavigate();
  const location = useLocation();
  const [q, setQ] = useState(query);
  const typing = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => setQ(query), [query]);
  useEffect(() => () => clearTimeout(typing.current), []);

  const go = (changes: Record<string, string>) => {
    const p = new URLSearchParams(location.search);
    if (!("after" in changes) && !("before" in changes)) {
      p.delete("after");
      p.delete("before");
    }
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    navigate(`${path}?${p}`);
  };
  const search = (value: string) => {
    setQ(value);
    clearTimeout(typing.current);
    typing.current = setTimeout(() => go({ q: value.trim() }), SEARCH_PAUSE_MS);
  };
  return { go, q, search };
}

/** Previous and next under a keyset-paged list; nothing when the list fits one page. */
export function KeysetPagination(props: {
  next: string | null;
  previous: string | null;
  go: (changes: Record<string, string>) => void;
}) {
  const { next, previous, go } = props;
  if (!next && !previous) return null;
  return (
    <div style={{ padding: "12px 16px" }}>
      <InlineStack align="center">
        <Pagination
          hasPrevious={Boolean(previous)}
          onPrevious={() => go({ before: previous ?? "", after: "" })}
          hasNext={Boolean(next)}
          onNext={() => go({ after: next ?? "", before: "" })}
        />
      </InlineStack>
    </div>
  );
}
