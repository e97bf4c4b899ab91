import { useEffect, useRef, type ReactNode } from "react";

/**
 * Text fields inside run in the direction of what is typed in them (`dir="auto"`): a Persian
 * reply reads right to left in a page laid out left to right. Polaris's TextField does not pass
 * `dir` through, so it is set on the fields once they are in the page.
 */
export function AutoDirection({ children }: { children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.querySelectorAll("textarea, input[type=text]").forEach((field) => field.setAttribute("dir", "auto"));
  });
  return <div ref={box}>{children}</div>;
}
