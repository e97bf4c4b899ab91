// @ts-check
/**
 * <aftercare-loyalty-launcher>: the Rewards launcher (blocks/loyalty-launcher.liquid). On every
 * page only this runs; the first open puts the widget from its template into the dialog and loads
 * the widget's script (unless a Rewards block on the page loaded it already).
 */
(() => {
  if (customElements.get("aftercare-loyalty-launcher")) return;

  class AftercareLoyaltyLauncher extends HTMLElement {
    connectedCallback() {
      this.addEventListener("click", this);
    }

    disconnectedCallback() {
      this.removeEventListener("click", this);
    }

    /** @param {Event} event */
    handleEvent(event) {
      const target = /** @type {Element} */ (event.target);
      /** @type {HTMLDialogElement | null} */
      const dialog = this.querySelector("dialog");
      if (!dialog) return;
      // A click on the backdrop lands on the dialog itself: it closes, as Escape does.
      if (target.closest("[data-close]") || target === dialog) return dialog.close();
      if (!target.closest("[data-open]")) return;
      const template = this.querySelector("template");
      if (template) {
        dialog.querySelector("[data-widget]")?.append(template.content);
        template.remove();
        if (!customElements.get("aftercare-loyalty") && this.dataset.script) {
          document.head.append(Object.assign(document.createElement("script"), { src: this.dataset.script }));
        }
      }
      dialog.showModal();
    }
  }

  customElements.define("aftercare-loyalty-launcher", AftercareLoyaltyLauncher);
})();
