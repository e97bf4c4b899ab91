import { SaveBar } from "@shopify/app-bridge-react";

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
  return (
    <SaveBar id={id} open={dirty}>
      <button type="button" variant="primary" onClick={onSave} loading={saving ? "" : undefined}>
        Save
      </button>
      <button type="button" onClick={onDiscard}>
        Discard
      </button>
    </SaveBar>
  );
}
