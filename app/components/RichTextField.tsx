import { lazy, Suspense, useEffect, useId, useState } from "react";
import { BlockStack, InlineError, Text } from "@shopify/polaris";

import {
  FormattingToolbar,
  RICH_TEXT_STYLE,
  RichTextFrame,
  type RichTextFieldProps,
  type RichTextIds,
} from "./RichTextToolbar";

// Tiptap and ProseMirror (about 400 KB minified, 128 KB gzipped) load after the page shows, in
// their own chunk: the page paints with this shell, the same size, and the editor takes its place.
const RichTextEditor = lazy(() => import("./RichTextEditor"));

/**
 * Rich text for the merchant (bold, italics, lists, links) with Tiptap, written as HTML in the
 * sanitiser's allow-list (docs/decisions/0039). The server sanitises what it stores whatever
 * this sends; the editor only keeps the merchant from writing what would be thrown away.
 */
export function RichTextField(props: RichTextFieldProps) {
  const id = useId();
  const ids: RichTextIds = { labelId: `${id}-label`, helpId: props.helpText ? `${id}-help` : undefined };
  // The server and the first render in the browser draw the shell (no hydration mismatch).
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const shell = (
    <RichTextFrame invalid={Boolean(props.error)}>
      <FormattingToolbar state={null} />
      <div className="aftercare-rich-text__content" aria-hidden="true" />
    </RichTextFrame>
  );
  return (
    <BlockStack gap="100">
      <Text as="p" id={ids.labelId} variant="bodyMd">
        {props.label}
      </Text>
      {mounted ? (
        <Suspense fallback={shell}>
          <RichTextEditor {...props} ids={ids} />
        </Suspense>
      ) : (
        shell
      )}
      {props.error ? <InlineError message={props.error} fieldID={id} /> : null}
      {props.helpText ? (
        <Text as="p" id={ids.helpId} tone="subdued">
          {props.helpText}
        </Text>
      ) : null}
      <style>{RICH_TEXT_STYLE}</style>
    </BlockStack>
  );
}
