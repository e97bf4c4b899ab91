/**
 * The signed-in agent's live chat card in the inbox (docs/decisions/0042): available or away, the
 * display name and photo shoppers see, and the browser's notifications for new chats.
 */
import { useFetcher } from "@remix-run/react";
import {
  Avatar,
  Badge,
  BlockStack,
  Button,
  Card,
  DropZone,
  InlineError,
  InlineStack,
  Text,
  TextField,
  Thumbnail,
} from "@shopify/polaris";
import { useEffect, useState } from "react";

import type { AdminMessageKey } from "../locales/admin";
import { useT } from "../locales/admin/use-admin-language";

export interface AgentSelf {
  available: boolean;
  present: boolean;
  displayName: string;
  firstName: string;
  photoUrl: string | null;
}

interface Answer {
  ok: boolean;
  intent?: string;
  error?: string;
  message?: string;
}

const ACTION = "/app/inbox/agent";

export function AgentChatCard({ agent }: { agent: AgentSelf }) {
  const t = useT();
  const availability = useFetcher<Answer>();
  const profile = useFetcher<Answer>();
  const photo = useFetcher<Answer>();
  const [name, setName] = useState(agent.displayName);
  useEffect(() => setName(agent.displayName), [agent.displayName]);
  const pending = availability.formData?.get("available");
  const available = pending === undefined || pending === null ? agent.available : pending === "true";
  const errorOf = (data: Answer | undefined) => {
    if (!data || data.ok || !data.error) return null;
    const text = t(data.error as AdminMessageKey);
    return text === data.error ? (data.message ?? "") : text;
  };
  const [permission, setPermission] = useState<string | null>(null);
  useEffect(() => setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission), []);
  const shown = name.trim() || agent.firstName;

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingSm">
              {t("inbox.agent.heading")}
            </Text>
            <Badge tone={available ? "success" : undefined}>
              {available ? t("inbox.agent.available") : t("inbox.agent.away")}
            </Badge>
          </InlineStack>
          <availability.Form method="post" action={ACTION}>
            <input type="hidden" name="intent" value="availability" />
            <input type="hidden" name="available" value={available ? "false" : "true"} />
            <Button submit variant={available ? "secondary" : "primary"} loading={availability.state !== "idle"}>
              {available ? t("inbox.agent.goAway") : t("inbox.agent.goAvailable")}
            </Button>
          </availability.Form>
        </InlineStack>
        <Text as="p" tone="subdued">
          {available ? t("inbox.agent.availableHelp") : t("inbox.agent.awayHelp")}
        </Text>
        <InlineStack gap="400" blockAlign="start" wrap>
          <BlockStack gap="200" inlineAlign="center">
            {agent.photoUrl ? (
              <Thumbnail source={agent.photoUrl} alt={t("inbox.agent.photoAlt", { name: shown })} size="large" />
            ) : (
              <Avatar size="xl" name={shown} initials={shown.slice(0, 1).toUpperCase() || undefined} />
            )}
            {agent.photoUrl ? (
              <photo.Form method="post" action={ACTION}>
                <input type="hidden" name="intent" value="removePhoto" />
                <Button submit variant="plain" tone="critical">
                  {t("inbox.agent.removePhoto")}
                </Button>
              </photo.Form>
            ) : null}
          </BlockStack>
          <BlockStack gap="200">
            <div style={{ width: 220 }}>
              <DropZone
                accept="image/jpeg,image/png,image/webp"
                type="image"
                allowMultiple={false}
                label={t("inbox.agent.photo")}
                onDrop={(files) => {
                  const file = files[0];
                  if (!file) return;
                  const form = new FormData();
                  form.set("intent", "photo");
                  form.set("photo", file);
                  photo.submit(form, { method: "post", action: ACTION, encType: "multipart/form-data" });
                }}
              >
                <DropZone.FileUpload actionHint={t("inbox.agent.photoHint")} />
              </DropZone>
            </div>
            {errorOf(photo.data) ? <InlineError message={errorOf(photo.data)!} fieldID="agent-photo" /> : null}
          </BlockStack>
          <profile.Form method="post" action={ACTION}>
            <input type="hidden" name="intent" value="profile" />
            <BlockStack gap="200">
              <TextField
                label={t("inbox.agent.displayName")}
                name="displayName"
                value={name}
                onChange={setName}
                placeholder={agent.firstName}
                helpText={t("inbox.agent.displayNameHelp")}
                error={errorOf(profile.data) ?? undefined}
                autoComplete="off"
                maxLength={40}
              />
              <InlineStack>
                <Button submit loading={profile.state !== "idle"}>
                  {t("inbox.agent.saveName")}
                </Button>
              </InlineStack>
            </BlockStack>
          </profile.Form>
        </InlineStack>
        {permission === "default" ? (
          <InlineStack gap="200" blockAlign="center">
            <Text as="p" tone="subdued">
              {t("inbox.agent.notifyHelp")}
            </Text>
            <Button
              variant="plain"
              onClick={() => {
                Notification.requestPermission()
                  .then(setPermission)
                  .catch(() => {});
              }}
            >
              {t("inbox.agent.notifyOn")}
            </Button>
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
