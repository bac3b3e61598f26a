/* The hub's only script: copy buttons and the scope picker's shortcuts. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Older browsers or plain-HTTP hosts: select a temporary textarea and copy it.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var copied = document.execCommand("copy");
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function onCopyClick(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var original = button.textContent;
    copyText(source.textContent).then(function () {
      button.textContent = "Copiado!";
      button.classList.add("is-done");
    }, function () {
      button.textContent = "Selecione e copie";
    }).then(function () {
      window.setTimeout(function () {
        button.textContent = original;
        button.classList.remove("is-done");
      }, 2000);
    });
  }

  function onScopeShortcut(button) {
    var picker = button.closest("[data-scope-picker]");
    var mode = button.getAttribute("data-scope-select");
    picker.querySelectorAll('input[name="scopes"]').forEach(function (box) {
      box.checked = mode === "all" || (mode === "read" && box.getAttribute("data-action") === "read");
    });
  }

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) { onCopyClick(copy); return; }
    var shortcut = event.target.closest("[data-scope-select]");
    if (shortcut) { onScopeShortcut(shortcut); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // The shortcuts need this script, so they appear only when it runs.
    document.querySelectorAll(".scope-tools[hidden]").forEach(function (tools) {
      tools.hidden = false;
    });
  });
})();
