/* The hub's only script: copy buttons, the scope picker's shortcuts, the event picker, and
   pages that reload themselves while something runs (a sync in progress). */
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

  // Event picker: a ticked wildcard ("*" or "order.*") covers its events, shown ticked and
  // disabled (so only the wildcard is sent); unticking it gives back what was ticked before.
  function cover(box, covered) {
    if (covered && !box.disabled) {
      box.setAttribute("data-was", box.checked ? "1" : "");
      box.checked = true;
      box.disabled = true;
    } else if (!covered && box.disabled) {
      box.disabled = false;
      box.checked = box.getAttribute("data-was") === "1";
    }
  }

  function syncEventPicker(picker) {
    var all = picker.querySelector("[data-covers-all]");
    picker.querySelectorAll("[data-group-all]").forEach(function (groupBox) {
      cover(groupBox, all.checked);
      var group = groupBox.getAttribute("data-group-all");
      picker.querySelectorAll('[data-group="' + group + '"]').forEach(function (box) {
        cover(box, groupBox.checked);
      });
    });
  }

  document.addEventListener("change", function (event) {
    var picker = event.target.closest("[data-event-picker]");
    if (picker) { syncEventPicker(picker); }
  });

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
    document.querySelectorAll("[data-event-picker]").forEach(syncEventPicker);
    scheduleRefresh(document.querySelector("[data-refresh-seconds]"));
  });

  // A page showing work in progress reloads itself; the server stops asking once it is done.
  // Hidden tabs wait until they are shown again.
  function scheduleRefresh(marker) {
    if (!marker) { return; }
    var seconds = parseInt(marker.getAttribute("data-refresh-seconds"), 10) || 5;
    window.setTimeout(function reload() {
      if (document.visibilityState === "hidden") {
        document.addEventListener("visibilitychange", reload, { once: true });
        return;
      }
      window.location.reload();
    }, seconds * 1000);
  }
})();
