import { useState } from "react";
import { Button } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";

import { useT } from "../locales/admin/use-admin-language";

/** The file name the server gave (Content-Disposition), or the address's last part. */
function fileNameOf(response: Response, url: string): string {
  const given = /filename="?([^";]+)"?/i.exec(response.headers.get("Content-Disposition") ?? "")?.[1];
  return given ?? new URL(url, window.location.href).pathname.split("/").pop() ?? "download";
}

/**
 * A file the app makes (a CSV export), downloaded inside the Shopify admin's frame. Following a
 * link would load the app's address in the frame without the session token (the frame goes blank
 * and nothing downloads): the file is fetched instead, where App Bridge adds the token, and handed
 * to the browser as a download of its own.
 */
export function DownloadButton({ url, children }: { url: string; children: string }) {
  const shopify = useAppBridge();
  const t = useT();
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${response.status}`);
      // eslint-disable-next-line n/no-unsupported-features/node-builtins -- runs in the browser
      const href = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = href;
      link.download = fileNameOf(response, url);
      document.body.appendChild(link);
      link.click();
      link.remove();
      // The browser has taken the file once the click is handled.
      // eslint-disable-next-line n/no-unsupported-features/node-builtins -- runs in the browser
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } catch {
      shopify.toast.show(t("export.failed"), { isError: true });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button onClick={download} loading={busy}>
      {children}
    </Button>
  );
}
