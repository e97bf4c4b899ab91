import { SaveBar } from "@shopify/app-bridge-react";

import { useT } from "../locales/admin/use-admin-language";

/** App Bridge's contextual save bar for a settings page: shown while there are unsaved changes. */
export function SettingsSaveBar({
  id,
  dirty,
  saving,
  onSave,
  onDiscard,
}: {
  id: string;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const t = useT();
  return (
    <SaveBar id={id} open={dirty}>
      <button type="button" variant="primary" onClick={onSave} loading={saving ? "" : undefined}>
        {t("form.save")}
      </button>
      <button type="button" onClick={onDiscard}>
        {t("form.discard")}
      </button>
    </SaveBar>
  );
}
