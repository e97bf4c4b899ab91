// @ts-check
/**
 * <aftercare-launcher>: one element for every launcher (the Rewards and chat app embeds, and
 * "Chat with us" in the Contact block). On every page only this runs; the first open puts the
 * panel from its template into the dialog and loads the panel's script (data-script), unless the
 * element it defines (data-element) is on the page already.
 */
(() => {
  if (customElements.get("aftercare-launcher")) return;

  class AftercareLauncher extends HTMLElement {
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
        const { script, element } = this.dataset;
        if (script && element && !customElements.get(element)) {
          document.head.append(Object.assign(document.createElement("script"), { src: script }));
        }
      }
      dialog.showModal();
    }
  }

  customElements.define("aftercare-launcher", AftercareLauncher);
})();
