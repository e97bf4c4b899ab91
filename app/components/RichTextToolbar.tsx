/** The rich-text field's frame, toolbar and look, shared by its shell and the lazily loaded editor. */
import { useState, type ReactNode } from "react";
import { BlockStack, Button, ButtonGroup, InlineStack, Popover, TextField } from "@shopify/polaris";
import { LinkIcon, ListBulletedIcon, ListNumberedIcon, TextBoldIcon, TextItalicIcon } from "@shopify/polaris-icons";

import { linkHref } from "../domain/contact/answer-links";
import { useT } from "../locales/admin/use-admin-language";

export interface RichTextFieldProps {
  label: string;
  value: string;
  onChange: (html: string) => void;
  error?: string;
  helpText?: string;
  dir?: "ltr" | "rtl";
  lang?: string;
}

/** What the editor's ids are: the visible label and the help text describe the editable box. */
export interface RichTextIds {
  labelId: string;
  helpId: string | undefined;
}

export function RichTextFrame(props: { invalid: boolean; children: ReactNode }) {
  return (
    <div className="aftercare-rich-text" data-invalid={props.invalid ? "true" : undefined}>
      {props.children}
    </div>
  );
}

/** Which formatting applies where the cursor is; null while the editor loads (buttons disabled). */
export interface FormattingState {
  bold: boolean;
  italic: boolean;
  bulletList: boolean;
  orderedList: boolean;
  link: boolean;
  href: string;
}

export interface FormattingActions {
  bold: () => void;
  italic: () => void;
  bulletList: () => void;
  orderedList: () => void;
  /** Links the selection (or inserts the address as its own text), or unlinks with null. */
  link: (href: string | null, text: string) => void;
}

export function FormattingToolbar({ state, actions }: { state: FormattingState | null; actions?: FormattingActions }) {
  const t = useT();
  const off = !state || !actions;
  const button = (name: "bold" | "italic" | "bulletList" | "orderedList", icon: typeof TextBoldIcon, label: string) => (
    <Button
      size="slim"
      icon={icon}
      accessibilityLabel={label}
      pressed={state?.[name] ?? false}
      disabled={off}
      onClick={() => actions?.[name]()}
    />
  );
  return (
    <div className="aftercare-rich-text__toolbar" role="toolbar" aria-label={t("richText.toolbar")}>
      <InlineStack gap="100" blockAlign="center">
        <ButtonGroup variant="segmented">
          {button("bold", TextBoldIcon, t("richText.bold"))}
          {button("italic", TextItalicIcon, t("richText.italic"))}
        </ButtonGroup>
        <ButtonGroup variant="segmented">
          {button("bulletList", ListBulletedIcon, t("richText.bulletList"))}
          {button("orderedList", ListNumberedIcon, t("richText.orderedList"))}
        </ButtonGroup>
        <LinkButton active={state?.link ?? false} href={state?.href ?? ""} onLink={off ? null : actions.link} />
      </InlineStack>
    </div>
  );
}

/** The link button: a small form for the address, applied to the selection (or the link around the cursor). */
function LinkButton(props: { active: boolean; href: string; onLink: FormattingActions["link"] | null }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [invalid, setInvalid] = useState(false);
  const close = () => {
    setOpen(false);
    setInvalid(false);
  };
  const apply = () => {
    const target = linkHref(typed);
    if (!target) {
      setInvalid(true);
      return;
    }
    props.onLink?.(target, typed.trim());
    close();
  };
  return (
    <Popover
      active={open}
      onClose={close}
      preferredAlignment="left"
      activator={
        <Button
          size="slim"
          icon={LinkIcon}
          accessibilityLabel={t("richText.link")}
          pressed={props.active}
          disabled={!props.onLink}
          onClick={() => {
            setTyped(props.href);
            setInvalid(false);
            setOpen((o) => !o);
          }}
        />
      }
    >
      <div style={{ padding: 12, width: 320 }}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            apply();
          }}
        >
          <BlockStack gap="200">
            <TextField
              label={t("richText.linkAddress")}
              value={typed}
              onChange={(v) => {
                setTyped(v);
                setInvalid(false);
              }}
              error={invalid ? t("richText.linkInvalid") : undefined}
              autoComplete="off"
              placeholder="https://"
            />
            <InlineStack gap="200">
              <Button submit variant="primary">
                {t("richText.linkApply")}
              </Button>
              {props.active ? (
                <Button
                  onClick={() => {
                    props.onLink?.(null, "");
                    close();
                  }}
                  tone="critical"
                  variant="plain"
                >
                  {t("richText.linkRemove")}
                </Button>
              ) : null}
            </InlineStack>
          </BlockStack>
        </form>
      </div>
    </Popover>
  );
}

// Polaris's text field's look for the editable box; lists and links as the storefront shows them.
export const RICH_TEXT_STYLE = `
.aftercare-rich-text { border: var(--p-border-width-0165, 1px) solid var(--p-color-input-border, #8a8a8a);
  border-radius: var(--p-border-radius-200, 8px); background: var(--p-color-input-bg-surface, #fdfdfd); }
.aftercare-rich-text[data-invalid] { border-color: var(--p-color-border-critical-secondary, #8e1f0b); }
.aftercare-rich-text:focus-within { outline: var(--p-border-width-050, 2px) solid var(--p-color-border-focus, #005bd3);
  outline-offset: var(--p-space-025, 1px); }
.aftercare-rich-text__toolbar { padding: var(--p-space-150, 6px);
  border-bottom: 1px solid var(--p-color-border, #e3e3e3); }
.aftercare-rich-text__content { min-height: 5.5rem; padding: var(--p-space-150, 6px) var(--p-space-300, 12px);
  outline: none; overflow-wrap: anywhere; }
.aftercare-rich-text__content p { margin: 0 0 .5em; }
.aftercare-rich-text__content ul, .aftercare-rich-text__content ol { margin: 0 0 .5em; padding-inline-start: 1.5em; }
.aftercare-rich-text__content a { color: var(--p-color-text-link, #005bd3); text-decoration: underline; }
`;
