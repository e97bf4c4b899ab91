/**
 * Polaris's setup-guide pattern for the admin home: a card with a title, "N of M tasks complete"
 * and a progress bar, a collapsible list of steps (one open at a time, the first one not done by
 * default), each with a done mark, a short description and one primary action. The whole guide
 * can be dismissed; the home page offers to bring it back. Steps tick from the server's state.
 */
import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Collapsible,
  InlineStack,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { useEffect, useState } from "react";

import type { Said, Translate } from "../locales/admin";
import { useT } from "../locales/admin/use-admin-language";

export type GuideAction =
  { kind: "link"; label: string; url: string; external: boolean } | { kind: "post"; label: string; intent: string };

export interface GuideStep {
  id: string;
  /** The step's words as locale keys; the English fields below are what the server said. */
  words: { title: Said; description: Said; note: Said; action: Said; secondary: Said | null };
  title: string;
  description: string;
  note: string;
  done: boolean;
  action: GuideAction;
  secondary: { label: string; url: string } | null;
}

export interface GuideData {
  steps: GuideStep[];
  completed: number;
  total: number;
}

interface ActionAnswer {
  ok: boolean;
  message: string;
  said?: Said;
}

const say = (t: Translate, w: Said) => t(w.key, w.values);
/** An action's answer in the admin's language (its English message when it names no key). */
const answerText = (t: Translate, a: ActionAnswer) => (a.said ? say(t, a.said) : a.message);

/**
 * The round mark beside a step, as Polaris's setup guide draws it: a dashed grey circle while the
 * step is open, a filled dark circle with a white tick once done. An SVG of fixed size (a span with
 * borders has no size of its own inline and showed as thin bars).
 */
function DoneMark({ done }: { done: boolean }) {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false" style={{ display: "block" }}>
      {done ? (
        <>
          <circle cx="10" cy="10" r="9" fill="var(--p-color-bg-fill-inverse, #303030)" />
          <path
            d="M6.2 10.4l2.5 2.5 5-5.4"
            fill="none"
            stroke="var(--p-color-text-brand-on-bg-fill, #ffffff)"
            strokeWidth="1.8"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </>
      ) : (
        <circle
          cx="10"
          cy="10"
          r="8.25"
          fill="none"
          stroke="var(--p-color-icon-secondary, #8a8a8a)"
          strokeWidth="1.5"
          strokeDasharray="2.6 1.72"
        />
      )}
    </svg>
  );
}

/** Shows the action's answer as an App Bridge toast once it arrives. */
function useToastAnswer(fetcher: ReturnType<typeof useFetcher<ActionAnswer>>) {
  const shopify = useAppBridge();
  const t = useT();
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    shopify.toast.show(answerText(t, fetcher.data), { isError: !fetcher.data.ok });
  }, [fetcher.state, fetcher.data, shopify, t]);
}

function StepActions({ step }: { step: GuideStep }) {
  const fetcher = useFetcher<ActionAnswer>();
  const t = useT();
  useToastAnswer(fetcher);
  const primary =
    step.action.kind === "link" ? (
      // A link out of the app (Shopify's theme editor) opens in a new tab: Polaris 13's Button says
      // so with target (its `external` reaches the DOM as an unknown attribute).
      <Button variant="primary" url={step.action.url} target={step.action.external ? "_blank" : undefined}>
        {say(t, step.words.action)}
      </Button>
    ) : (
      <Button
        variant="primary"
        loading={fetcher.state !== "idle"}
        onClick={() => fetcher.submit({ intent: (step.action as { intent: string }).intent }, { method: "post" })}
      >
        {say(t, step.words.action)}
      </Button>
    );
  return (
    <BlockStack gap="200">
      <ButtonGroup>
        {primary}
        {step.secondary ? (
          <Button variant="tertiary" url={step.secondary.url}>
            {step.words.secondary ? say(t, step.words.secondary) : step.secondary.label}
          </Button>
        ) : null}
      </ButtonGroup>
      {fetcher.data && !fetcher.data.ok ? (
        <div role="alert">
          <Text as="p" tone="critical">
            {answerText(t, fetcher.data)}
          </Text>
        </div>
      ) : null}
    </BlockStack>
  );
}

export function SetupGuide({ guide }: { guide: GuideData }) {
  const firstOpen = guide.steps.find((s) => !s.done)?.id ?? null;
  const [expanded, setExpanded] = useState<string | null>(firstOpen);
  const [listOpen, setListOpen] = useState(true);
  const dismiss = useFetcher<ActionAnswer>();
  const t = useT();
  // When a step ticks (the loader ran again after an action), move on to the next open one.
  useEffect(() => setExpanded(firstOpen), [firstOpen]);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="start" wrap={false}>
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t("setup.title")}
            </Text>
            <Text as="p" tone="subdued">
              {t("setup.intro")}
            </Text>
          </BlockStack>
          <InlineStack gap="200" wrap={false}>
            <Button
              variant="tertiary"
              loading={dismiss.state !== "idle"}
              onClick={() => dismiss.submit({ intent: "setup.dismiss" }, { method: "post" })}
            >
              {t("setup.dismiss")}
            </Button>
            <Button
              variant="tertiary"
              disclosure={listOpen ? "up" : "down"}
              ariaExpanded={listOpen}
              ariaControls="setup-guide-steps"
              onClick={() => setListOpen((open) => !open)}
            >
              {listOpen ? t("setup.hideSteps") : t("setup.showSteps")}
            </Button>
          </InlineStack>
        </InlineStack>
        <InlineStack gap="300" blockAlign="center" wrap={false}>
          <Text as="p" variant="bodySm" id="setup-guide-progress">
            {t("setup.progress", { done: guide.completed, total: guide.total })}
          </Text>
          <Box width="160px">
            <ProgressBar
              progress={guide.total ? Math.round((guide.completed / guide.total) * 100) : 0}
              size="small"
              tone="primary"
              ariaLabelledBy="setup-guide-progress"
            />
          </Box>
        </InlineStack>
        <Collapsible id="setup-guide-steps" open={listOpen} transition={{ duration: "150ms" }}>
          <BlockStack gap="100" as="ul">
            {guide.steps.map((step) => {
              const open = expanded === step.id;
              const title = say(t, step.words.title);
              return (
                <Box
                  as="li"
                  key={step.id}
                  id={`setup-step-${step.id}`}
                  padding="200"
                  borderRadius="200"
                  background={open ? "bg-surface-secondary" : undefined}
                >
                  <InlineStack gap="300" blockAlign="start" wrap={false}>
                    <span style={{ flexShrink: 0 }}>
                      <DoneMark done={step.done} />
                    </span>
                    <BlockStack gap="200">
                      <Button
                        variant="monochromePlain"
                        removeUnderline
                        textAlign="left"
                        ariaExpanded={open}
                        ariaControls={`setup-step-${step.id}-body`}
                        accessibilityLabel={t(step.done ? "setup.stepDone" : "setup.stepOpen", { title })}
                        onClick={() => setExpanded(open ? null : step.id)}
                      >
                        {title}
                      </Button>
                      <Collapsible id={`setup-step-${step.id}-body`} open={open}>
                        <BlockStack gap="200">
                          <Text as="p" tone="subdued">
                            {say(t, step.words.description)}
                          </Text>
                          <Text as="p" variant="bodySm" tone={step.done ? "success" : "subdued"}>
                            {say(t, step.words.note)}
                          </Text>
                          <StepActions step={step} />
                        </BlockStack>
                      </Collapsible>
                    </BlockStack>
                  </InlineStack>
                </Box>
              );
            })}
          </BlockStack>
        </Collapsible>
      </BlockStack>
    </Card>
  );
}

/** The home page's way back to a dismissed guide. */
export function ShowSetupGuide({ remaining }: { remaining: number }) {
  const fetcher = useFetcher<ActionAnswer>();
  const t = useT();
  return (
    <InlineStack align="end">
      <Button
        variant="plain"
        loading={fetcher.state !== "idle"}
        onClick={() => fetcher.submit({ intent: "setup.show" }, { method: "post" })}
      >
        {t("setup.showGuide", { count: remaining })}
      </Button>
    </InlineStack>
  );
}
