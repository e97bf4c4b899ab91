import { useState } from "react";
import { Button, ColorPicker, Popover, TextField, hexToRgb, hsbToHex, rgbToHsb } from "@shopify/polaris";

import { useT } from "../locales/admin/use-admin-language";

const HEX = /^#[0-9a-f]{6}$/i;

/**
 * A colour set by Polaris's colour picker or typed as #rrggbb: the field keeps the text (so a
 * half-typed value is the merchant's to finish and the form's rules judge it), the picker opens
 * from the swatch beside it.
 */
export function ColorField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  helpText?: string;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const valid = HEX.test(props.value);
  const color = rgbToHsb(hexToRgb(valid ? props.value : "#000000"));
  return (
    <TextField
      label={props.label}
      value={props.value}
      onChange={props.onChange}
      autoComplete="off"
      error={props.error}
      helpText={props.helpText}
      connectedRight={
        <Popover
          active={open}
          onClose={() => setOpen(false)}
          activator={
            <Button
              onClick={() => setOpen((o) => !o)}
              accessibilityLabel={t("color.choose")}
              disclosure
              icon={
                <span
                  style={{
                    display: "inline-block",
                    width: 16,
                    height: 16,
                    borderRadius: 4,
                    verticalAlign: "middle",
                    background: valid ? props.value : "transparent",
                    border: "1px solid rgba(0,0,0,.2)",
                  }}
                />
              }
            />
          }
        >
          <div style={{ padding: 12 }}>
            <ColorPicker color={color} onChange={(next) => props.onChange(hsbToHex(next))} />
          </div>
        </Popover>
      }
    />
  );
}
