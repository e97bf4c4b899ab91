import { useState } from "react";
import { BlockStack, Box, Button, DatePicker, InlineStack, OptionList, Popover } from "@shopify/polaris";

import { PERIOD_PRESETS, presetOf, presetPeriod, type PeriodPreset } from "../../domain/dashboard/presets";
import type { CivilDate } from "../../domain/tracking/calendar";
import type { AdminMessageKey } from "../../locales/admin";
import { useAdminFormat, useT } from "../../locales/admin/use-admin-language";

const PRESET_KEY: Record<PeriodPreset, AdminMessageKey> = {
  last7: "home.preset.last7",
  last30: "home.preset.last30",
  last90: "home.preset.last90",
  thisMonth: "home.preset.thisMonth",
  lastYear: "home.preset.lastYear",
};

// Polaris's DatePicker works in Date objects; a day of the shop's calendar is held as local midnight
// of the browser and read back the same way, so the browser's own zone never shifts a day.
const toDate = (day: string) =>
  new Date(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const toDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;

/**
 * The dashboard's period: ready-made periods (last 7/30/90 days, this month, last year) beside
 * Polaris's date picker, all in the shop's calendar (`today` is the shop's). `onApply` gets the days.
 */
export function PeriodPicker(props: {
  from: string;
  to: string;
  today: string;
  onApply: (period: { from: string; to: string }) => void;
}) {
  const t = useT();
  const format = useAdminFormat();
  // Without the shop's today (a page rendered from older data), the period's last day stands in.
  const today = (props.today || props.to) as CivilDate;
  const [open, setOpen] = useState(false);
  const [range, setRange] = useState({ from: props.from, to: props.to });
  const [month, setMonth] = useState({ month: toDate(props.to).getMonth(), year: toDate(props.to).getFullYear() });
  const chosen = presetOf(range, today);
  const shown = presetOf({ from: props.from, to: props.to }, today);
  const choose = (next: { from: string; to: string }) => {
    setRange(next);
    setMonth({ month: toDate(next.to).getMonth(), year: toDate(next.to).getFullYear() });
  };
  return (
    <Popover
      active={open}
      autofocusTarget="none"
      preferredAlignment="left"
      fluidContent
      onClose={() => setOpen(false)}
      activator={
        <Button id="period-picker" onClick={() => setOpen((o) => !o)} disclosure>
          {shown ? t(PRESET_KEY[shown]) : `${format.day(props.from)} – ${format.day(props.to)}`}
        </Button>
      }
    >
      <Popover.Pane fixed>
        <InlineStack wrap={false} align="start" blockAlign="start">
          <Box minWidth="180px" borderInlineEndWidth="025" borderColor="border">
            <OptionList
              options={PERIOD_PRESETS.map((p) => ({ value: p, label: t(PRESET_KEY[p]) }))}
              selected={chosen ? [chosen] : []}
              onChange={([p]) => choose(presetPeriod(p as PeriodPreset, today))}
            />
          </Box>
          <Box padding="400" maxWidth="320px">
            <BlockStack gap="300">
              <DatePicker
                month={month.month}
                year={month.year}
                onMonthChange={(m, y) => setMonth({ month: m, year: y })}
                selected={{ start: toDate(range.from), end: toDate(range.to) }}
                onChange={({ start, end }) => setRange({ from: toDay(start), to: toDay(end) })}
                disableDatesAfter={toDate(today)}
                allowRange
              />
              <InlineStack gap="200" align="end">
                <Button onClick={() => setOpen(false)}>{t("home.preset.cancel")}</Button>
                <Button
                  variant="primary"
                  onClick={() => {
                    setOpen(false);
                    props.onApply(range);
                  }}
                >
                  {t("home.preset.apply")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Box>
        </InlineStack>
      </Popover.Pane>
    </Popover>
  );
}
